/*
 * creds.c - the order of the credential chain and the refresh rules; the
 * fetchers live in creds-http.c and creds-process.c.  Each step names the
 * botocore class it follows, so a difference can be looked up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "creds-int.h"
#include "util.h"

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

time_t
creds_now(const struct creds_provider *p)
{
	return p->opt.clock != NULL ? p->opt.clock(p->opt.clock_ctx) :
	    time(NULL);
}

static void
wipe_str(char *s)
{
	if (s != NULL) {
		wipe(s, strlen(s));
		free(s);
	}
}

void
creds_clear(struct creds *c)
{
	wipe_str(c->access_key);
	wipe_str(c->secret_key);
	wipe_str(c->session_token);
	memset(c, 0, sizeof *c);
}

char *
creds_strdup(const char *s, char *err, size_t errlen)
{
	char *d = strdup(s);

	if (d == NULL)
		snprintf(err, errlen, "out of memory");
	return d;
}

static void
json_wipe(cJSON *item)
{
	for (; item != NULL; item = item->next) {
		if (item->valuestring != NULL)
			wipe(item->valuestring, strlen(item->valuestring));
		json_wipe(item->child);
	}
}

/* cJSON_Delete, after zeroing every string (documents hold secret keys). */
void
json_wipe_delete(cJSON *root)
{
	if (root == NULL)
		return;
	if (root->valuestring != NULL)
		wipe(root->valuestring, strlen(root->valuestring));
	json_wipe(root->child);
	cJSON_Delete(root);
}

/* Digits at S[0..n) as a number. */
static int
digits(const char *s, int n, int *out)
{
	*out = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*out = *out * 10 + (s[i] - '0');
	}
	return 0;
}

int
parse_iso8601(const char *s, time_t *out)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	const char *z;

	if (strlen(s) < 19 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	z = s + 19;
	if (*z == '.')
		for (z++; *z >= '0' && *z <= '9'; z++)
			;
	if (*z == '+' || *z == '-') {
		sign = *z == '-' ? -1 : 1;
		if (digits(z + 1, 2, &oh) == -1)
			return -1;
		z += 3;
		if (*z == ':')
			z++;
		if (digits(z, 2, &om) == -1)
			return -1;
		z += 2;
	} else if (*z == 'Z' || *z == 'z') {
		z++;
	}
	if (*z != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = timegm(&tm) - sign * (oh * 3600 + om * 60);
	return 0;
}

static const char *
json_str(const cJSON *doc, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int
creds_from_json(const cJSON *doc, const char *token_name, int token_required,
    struct creds *out, char *err, size_t errlen)
{
	const char *id = json_str(doc, "AccessKeyId");
	const char *secret = json_str(doc, "SecretAccessKey");
	const char *token = json_str(doc, token_name);
	const char *exp = json_str(doc, "Expiration");

	memset(out, 0, sizeof *out);
	if (id == NULL || secret == NULL || (token_required && token == NULL)) {
		snprintf(err, errlen, "missing %s in the response",
		    id == NULL ? "AccessKeyId" : secret == NULL ?
		    "SecretAccessKey" : token_name);
		return -1;
	}
	if (exp != NULL && parse_iso8601(exp, &out->expires) == -1) {
		snprintf(err, errlen, "bad Expiration '%.40s'", exp);
		return -1;
	}
	if ((out->access_key = creds_strdup(id, err, errlen)) == NULL ||
	    (out->secret_key = creds_strdup(secret, err, errlen)) == NULL ||
	    (token != NULL && (out->session_token = creds_strdup(token, err,
	    errlen)) == NULL)) {
		creds_clear(out);
		return -1;
	}
	return 0;
}

/* --- sources ---------------------------------------------------------- */

static void
source_free(struct source *s)
{
	while (s != NULL) {
		struct source *parent = s->parent;

		creds_clear(&s->creds);
		creds_clear(&s->retired);
		free(s->profile);
		free(s->command);
		free(s->role_arn);
		free(s->session_name);
		free(s->external_id);
		free(s->token_file);
		free(s);
		s = parent;
	}
}

static struct source *
source_new(enum source_kind kind, const char *method, const char *profile,
    char *err, size_t errlen)
{
	struct source *s = calloc(1, sizeof *s);

	if (s == NULL || (profile != NULL &&
	    (s->profile = strdup(profile)) == NULL)) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->kind = kind;
	s->method = method;
	return s;
}

/* Copy an optional string; -1 only when out of memory. */
static int
opt_dup(char **dst, const char *v, char *err, size_t errlen)
{
	*dst = NULL;
	return v == NULL || (*dst = creds_strdup(v, err, errlen)) != NULL ?
	    0 : -1;
}

/* EnvProvider: 1 found, 0 not set, -1 partial. */
static int
env_source(struct source **out, char *err, size_t errlen)
{
	*out = NULL;
	if (env("AWS_ACCESS_KEY_ID") == NULL)
		return 0;
	if (env("AWS_SECRET_ACCESS_KEY") == NULL) {
		snprintf(err, errlen, "Partial credentials found in env, "
		    "missing: AWS_SECRET_ACCESS_KEY");
		return -1;
	}
	*out = source_new(SRC_ENV, "env", NULL, err, errlen);
	return *out != NULL ? 1 : -1;
}

/* The environment value (unless disabled), else the profile's key. */
static const char *
env_or_profile(const struct creds_provider *p, const char *profile,
    int env_enabled, const char *var, const char *key)
{
	const char *v = env_enabled ? getenv(var) : NULL;

	return v != NULL ? v : awsconfig_get(&p->cfg, profile, key);
}

/* AssumeRoleWithWebIdentityProvider: 1, 0 (not configured), -1. */
static int
web_identity_source(const struct creds_provider *p, const char *profile,
    int env_enabled, struct source **out, char *err, size_t errlen)
{
	const char *file = env_or_profile(p, profile, env_enabled,
	    "AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file");
	const char *arn = env_or_profile(p, profile, env_enabled,
	    "AWS_ROLE_ARN", "role_arn");
	const char *name = env_or_profile(p, profile, env_enabled,
	    "AWS_ROLE_SESSION_NAME", "role_session_name");
	char path[AWSCONFIG_MAX_PATH];
	struct source *s;

	*out = NULL;
	if (file == NULL)
		return 0;
	if (arn == NULL) {
		snprintf(err, errlen, "The provided profile or the current "
		    "environment is configured to assume role with web "
		    "identity but has no role ARN configured. Ensure that "
		    "the profile has the role_arnconfiguration set or the "
		    "AWS_ROLE_ARN env var is set.");
		return -1;
	}
	if (expand_path(file, path, sizeof path) == -1) {
		snprintf(err, errlen, "web identity token path too long");
		return -1;
	}
	if ((s = source_new(SRC_WEB_IDENTITY, "assume-role-with-web-identity",
	    profile, err, errlen)) == NULL)
		return -1;
	if (opt_dup(&s->token_file, path, err, errlen) == -1 ||
	    opt_dup(&s->role_arn, arn, err, errlen) == -1 ||
	    opt_dup(&s->session_name, name, err, errlen) == -1) {
		source_free(s);
		return -1;
	}
	*out = s;
	return 1;
}

/* Static keys of PROFILE in one file: SharedCredential- or ConfigProvider. */
static int
static_source(const struct creds_provider *p, const char *profile,
    int credentials_file, struct source **out, char *err, size_t errlen)
{
	const char *(*get)(const struct awsconfig *, const char *,
	    const char *) = credentials_file ? awsconfig_get_credentials :
	    awsconfig_get_config;

	*out = NULL;
	if (get(&p->cfg, profile, "aws_access_key_id") == NULL)
		return 0;
	if (get(&p->cfg, profile, "aws_secret_access_key") == NULL) {
		snprintf(err, errlen, "Partial credentials found in %s, "
		    "missing: aws_secret_access_key", credentials_file ?
		    "shared-credentials-file" : "config-file");
		return -1;
	}
	*out = source_new(SRC_STATIC, credentials_file ?
	    "shared-credentials-file" : "config-file", profile, err, errlen);
	if (*out == NULL)
		return -1;
	(*out)->from_credentials_file = credentials_file;
	return 1;
}

static int
process_source(const struct creds_provider *p, const char *profile,
    struct source **out, char *err, size_t errlen)
{
	const char *cmd = awsconfig_get(&p->cfg, profile, "credential_process");

	*out = NULL;
	if (cmd == NULL)
		return 0;
	if ((*out = source_new(SRC_PROCESS, "custom-process", profile, err,
	    errlen)) == NULL || opt_dup(&(*out)->command, cmd, err,
	    errlen) == -1) {
		source_free(*out);
		*out = NULL;
		return -1;
	}
	return 1;
}

/* ProfileProviderBuilder.providers: the sources a profile itself names. */
static int
profile_sources(const struct creds_provider *p, const char *profile,
    int env_enabled, struct source **out, char *err, size_t errlen)
{
	int rc;

	if ((rc = web_identity_source(p, profile, env_enabled, out, err,
	    errlen)) != 0)
		return rc;
	if (awsconfig_get(&p->cfg, profile, "sso_session") != NULL ||
	    awsconfig_get(&p->cfg, profile, "sso_start_url") != NULL) {
		snprintf(err, errlen, "profile '%s' uses IAM Identity Center "
		    "(SSO), which is not supported: export credentials with "
		    "'aws configure export-credentials' instead", profile);
		return -1;
	}
	if ((rc = static_source(p, profile, 1, out, err, errlen)) != 0)
		return rc;
	if ((rc = process_source(p, profile, out, err, errlen)) != 0)
		return rc;
	return static_source(p, profile, 0, out, err, errlen);
}

static int
container_configured(void)
{
	return getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != NULL ||
	    getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") != NULL;
}

static int
imds_disabled(void)
{
	const char *v = getenv("AWS_EC2_METADATA_DISABLED");

	return v != NULL && strcasecmp(v, "true") == 0;
}

/* AssumeRoleProvider._has_assume_role_config_vars */
static int
is_role_profile(const struct creds_provider *p, const char *profile)
{
	return awsconfig_get(&p->cfg, profile, "role_arn") != NULL &&
	    awsconfig_get(&p->cfg, profile, "web_identity_token_file") == NULL;
}

static int
has_static(const struct creds_provider *p, const char *profile)
{
	return awsconfig_get(&p->cfg, profile, "aws_access_key_id") != NULL ||
	    awsconfig_get(&p->cfg, profile, "aws_secret_access_key") != NULL;
}

struct visit {
	const char *names[CREDS_MAX_CHAIN];
	int n;
};

static int visited(const struct visit *v, const char *name);
static int role_source(const struct creds_provider *p, const char *profile,
    struct visit *v, struct source **out, char *err, size_t errlen);

/* CanonicalNameCredentialSourcer */
static int
credential_source(const char *name, const char *profile, struct source **out,
    char *err, size_t errlen)
{
	if (strcmp(name, "Environment") == 0)
		*out = source_new(SRC_ENV, "env", NULL, err, errlen);
	else if (strcmp(name, "EcsContainer") == 0)
		*out = source_new(SRC_CONTAINER, "container-role", NULL, err,
		    errlen);
	else if (strcmp(name, "Ec2InstanceMetadata") == 0)
		*out = source_new(SRC_IMDS, "iam-role", NULL, err, errlen);
	else {
		snprintf(err, errlen, "The credential source \"%s\" "
		    "referenced in profile \"%s\" is not valid.", name,
		    profile);
		return -1;
	}
	return *out != NULL ? 0 : -1;
}

static int
visited(const struct visit *v, const char *name)
{
	for (int i = 0; i < v->n; i++)
		if (strcmp(v->names[i], name) == 0)
			return 1;
	return 0;
}

/* AssumeRoleProvider._resolve_source_credentials for a source_profile. */
static int
source_profile(const struct creds_provider *p, const char *parent,
    const char *name, struct visit *v, struct source **out, char *err,
    size_t errlen)
{
	int rc;

	if (!awsconfig_has_profile(&p->cfg, name)) {
		snprintf(err, errlen, "The source_profile \"%s\" referenced "
		    "in the profile \"%s\" does not exist.", name, parent);
		return -1;
	}
	if (visited(v, name) && (strcmp(name, parent) != 0 ||
	    !has_static(p, name))) {
		snprintf(err, errlen, "Infinite loop in credential "
		    "configuration detected. Attempting to load from profile "
		    "%s which has already been visited.", name);
		return -1;
	}
	if (v->n == CREDS_MAX_CHAIN) {
		snprintf(err, errlen, "more than %d source_profile hops",
		    CREDS_MAX_CHAIN);
		return -1;
	}
	v->names[v->n++] = name;
	if (!has_static(p, name) && is_role_profile(p, name))
		return role_source(p, name, v, out, err, errlen);
	rc = profile_sources(p, name, 0, out, err, errlen);
	if (rc == 0)
		snprintf(err, errlen, "The source profile \"%s\" must have "
		    "credentials.", name);
	return rc == 1 ? 0 : -1;
}

/* AssumeRoleProvider._get_role_config and _load_creds_via_assume_role */
static int
role_source(const struct creds_provider *p, const char *profile,
    struct visit *v, struct source **out, char *err, size_t errlen)
{
	const char *src = awsconfig_get(&p->cfg, profile, "source_profile");
	const char *csrc = awsconfig_get(&p->cfg, profile,
	    "credential_source");
	const char *dur = awsconfig_get(&p->cfg, profile, "duration_seconds");
	struct source *s, *parent = NULL;
	long n;

	*out = NULL;
	if (src != NULL && csrc != NULL) {
		snprintf(err, errlen, "The profile \"%s\" contains both "
		    "source_profile and credential_source.", profile);
		return -1;
	}
	if (src == NULL && csrc == NULL) {
		snprintf(err, errlen, "Partial credentials found in "
		    "assume-role, missing: source_profile or "
		    "credential_source");
		return -1;
	}
	if (awsconfig_get(&p->cfg, profile, "mfa_serial") != NULL) {
		snprintf(err, errlen, "profile '%s' needs an MFA code "
		    "(mfa_serial), which cannot be prompted for", profile);
		return -1;
	}
	if ((csrc != NULL ? credential_source(csrc, profile, &parent, err,
	    errlen) : source_profile(p, profile, src, v, &parent, err,
	    errlen)) == -1)
		return -1;
	if ((s = source_new(SRC_ASSUME_ROLE, "assume-role", profile, err,
	    errlen)) == NULL) {
		source_free(parent);
		return -1;
	}
	s->parent = parent;
	if (dur != NULL && parse_long(dur, 1, 43200, &n) == 0)
		s->duration = n;	/* botocore ignores a bad number too */
	if (opt_dup(&s->role_arn, awsconfig_get(&p->cfg, profile, "role_arn"),
	    err, errlen) == -1 || opt_dup(&s->session_name, awsconfig_get(
	    &p->cfg, profile, "role_session_name"), err, errlen) == -1 ||
	    opt_dup(&s->external_id, awsconfig_get(&p->cfg, profile,
	    "external_id"), err, errlen) == -1) {
		source_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

/* create_credential_resolver: the first source that is configured. */
static int
resolve(struct creds_provider *p, char *err, size_t errlen)
{
	const char *profile = p->cfg.profile;
	struct visit v = { .names = { profile }, .n = 1 };
	int env_enabled = !p->cfg.explicit_profile, rc;
	struct source *s = NULL;

	if (env_enabled && (rc = env_source(&s, err, errlen)) != 0)
		goto out;
	if (is_role_profile(p, profile)) {
		rc = role_source(p, profile, &v, &s, err, errlen) == 0 ? 1 : -1;
		goto out;
	}
	if ((rc = profile_sources(p, profile, env_enabled, &s, err,
	    errlen)) != 0)
		goto out;
	if (container_configured())
		s = source_new(SRC_CONTAINER, "container-role", NULL, err,
		    errlen);
	else if (!imds_disabled())
		s = source_new(SRC_IMDS, "iam-role", NULL, err, errlen);
	else
		snprintf(err, errlen, "Unable to locate credentials");
	rc = s != NULL ? 1 : -1;
out:
	if (rc == 1)
		p->top = s;
	return rc == 1 ? 0 : -1;
}

/* --- fetching and refreshing ------------------------------------------ */

static int
dup_creds(const char *id, const char *secret, const char *token,
    struct creds *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if ((out->access_key = creds_strdup(id, err, errlen)) == NULL ||
	    (out->secret_key = creds_strdup(secret, err, errlen)) == NULL ||
	    (token != NULL && (out->session_token = creds_strdup(token, err,
	    errlen)) == NULL)) {
		creds_clear(out);
		return -1;
	}
	return 0;
}

/* EnvProvider's fetcher, read again on each refresh. */
static int
fetch_env(struct creds *out, char *err, size_t errlen)
{
	const char *token = env("AWS_SECURITY_TOKEN");
	const char *exp = env("AWS_CREDENTIAL_EXPIRATION");

	if (env("AWS_ACCESS_KEY_ID") == NULL ||
	    env("AWS_SECRET_ACCESS_KEY") == NULL) {
		snprintf(err, errlen, "Partial credentials found in env");
		return -1;
	}
	if (token == NULL)
		token = env("AWS_SESSION_TOKEN");
	if (dup_creds(env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"),
	    token, out, err, errlen) == -1)
		return -1;
	if (exp != NULL && parse_iso8601(exp, &out->expires) == -1) {
		creds_clear(out);
		snprintf(err, errlen, "bad AWS_CREDENTIAL_EXPIRATION");
		return -1;
	}
	return 0;
}

static int
fetch_static(const struct creds_provider *p, const struct source *s,
    struct creds *out, char *err, size_t errlen)
{
	const char *(*get)(const struct awsconfig *, const char *,
	    const char *) = s->from_credentials_file ?
	    awsconfig_get_credentials : awsconfig_get_config;
	const char *token = get(&p->cfg, s->profile, "aws_security_token");

	if (token == NULL)
		token = get(&p->cfg, s->profile, "aws_session_token");
	return dup_creds(get(&p->cfg, s->profile, "aws_access_key_id"),
	    get(&p->cfg, s->profile, "aws_secret_access_key"), token, out,
	    err, errlen);
}

static int refresh(struct creds_provider *p, struct source *s, char *err,
    size_t errlen);

static int
fetch(struct creds_provider *p, struct source *s, struct creds *out,
    char *err, size_t errlen)
{
	int rc;

	switch (s->kind) {
	case SRC_ENV:
		return fetch_env(out, err, errlen);
	case SRC_STATIC:
		return fetch_static(p, s, out, err, errlen);
	case SRC_PROCESS:
		return fetch_process(p, s, out, err, errlen);
	case SRC_WEB_IDENTITY:
		return fetch_web_identity(p, s, out, err, errlen);
	case SRC_ASSUME_ROLE:
		if (refresh(p, s->parent, err, errlen) == -1)
			return -1;
		return fetch_assume_role(p, s, &s->parent->creds, out, err,
		    errlen);
	case SRC_CONTAINER:
		return fetch_container(p, out, err, errlen);
	case SRC_IMDS:
		rc = fetch_imds(p, out, err, errlen);
		if (rc == 0)
			snprintf(err, errlen, "Unable to locate credentials");
		return rc == 1 ? 0 : -1;
	}
	return -1;
}

/*
 * RefreshableCredentials._refresh: nothing to do far from expiry; inside
 * the advisory window a failed refresh keeps the current keys; inside the
 * mandatory window (or with none yet) it is an error.  New keys are taken
 * whatever their expiry (so keys that live less than the windows are
 * fetched on each use), and keys already expired are an error.
 */
static int
refresh(struct creds_provider *p, struct source *s, char *err, size_t errlen)
{
	time_t now = creds_now(p);
	struct creds fresh;
	int mandatory;

	if (s->have && (s->creds.expires == 0 ||
	    s->creds.expires - now >= CREDS_ADVISORY_REFRESH))
		return 0;
	mandatory = !s->have || s->creds.expires - now <
	    CREDS_MANDATORY_REFRESH;
	if (fetch(p, s, &fresh, err, errlen) == -1) {
		if (mandatory)
			return -1;
		/* botocore logs this too, and keeps going. */
		accel_warn("refreshing credentials failed, keeping the "
		    "current ones: %s", err);
		return 0;
	}
	/* Keep the replaced keys one more round for threads signing now. */
	creds_clear(&s->retired);
	s->retired = s->creds;
	s->creds = fresh;
	s->have = 1;
	/* Adopted even so, as botocore does; but unusable now. */
	if (fresh.expires != 0 && fresh.expires < now) {
		snprintf(err, errlen, "Credentials were refreshed, but the "
		    "refreshed credentials are still expired.");
		return -1;
	}
	return 0;
}

int
creds_get(void *provider, struct sigv4_creds *out, char *err, size_t errlen)
{
	struct creds_provider *p = provider;
	int rc = -1;

	pthread_mutex_lock(&p->lock);
	if ((p->top != NULL || resolve(p, err, errlen) == 0) &&
	    refresh(p, p->top, err, errlen) == 0) {
		out->access_key = p->top->creds.access_key;
		out->secret_key = p->top->creds.secret_key;
		out->session_token = p->top->creds.session_token;
		rc = 0;
	}
	pthread_mutex_unlock(&p->lock);
	return rc;
}

const char *
creds_method(const struct creds_provider *p)
{
	return p->top != NULL ? p->top->method : NULL;
}

time_t
creds_expiry(const struct creds_provider *p)
{
	return p->top != NULL && p->top->have ? p->top->creds.expires : 0;
}

const char *
creds_region(const struct creds_provider *p)
{
	return p->region;
}

struct creds_provider *
creds_provider_new(const struct creds_options *opt, char *err, size_t errlen)
{
	struct creds_provider *p = calloc(1, sizeof *p);

	if (p == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->opt = *opt;
	pthread_mutex_init(&p->lock, NULL);
	if (p->opt.process_timeout_ms <= 0)
		p->opt.process_timeout_ms = CREDS_PROCESS_TIMEOUT_MS;
	if (awsconfig_load(&p->cfg, opt->profile, err, errlen) == -1) {
		pthread_mutex_destroy(&p->lock);
		free(p);
		return NULL;
	}
	if (awsconfig_region(&p->cfg, opt->region, p->region,
	    sizeof p->region) == -1) {
		snprintf(err, errlen, "region name too long");
		creds_provider_free(p);
		return NULL;
	}
	return p;
}

void
creds_provider_free(struct creds_provider *p)
{
	if (p == NULL)
		return;
	source_free(p->top);
	if (p->http != NULL)
		http_client_free(p->http);
	awsconfig_free(&p->cfg);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
