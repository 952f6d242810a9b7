/*
 * creds.c - getting and refreshing credentials (botocore's
 * RefreshableCredentials), and the helpers the sources share.  Which
 * source is used: creds-chain.c; the fetchers: creds-process.c,
 * creds-http.c, creds-sts.c.
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

const char *
creds_setting(const struct creds_provider *p, const char *var,
    const char *key)
{
	const char *v = env(var);

	return v != NULL ? v : awsconfig_get(&p->cfg, p->cfg.profile, key);
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
	if ((p->top != NULL || creds_resolve(p, err, errlen) == 0) &&
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

const struct awsconfig *
creds_config(const struct creds_provider *p)
{
	return &p->cfg;
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
