/*
 * creds-chain.c - which source the credential chain uses, in the order and
 * with the rules of botocore's create_credential_resolver and the
 * providers it lists; each function names the botocore class it follows.
 */
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

void
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
int
creds_resolve(struct creds_provider *p, char *err, size_t errlen)
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
