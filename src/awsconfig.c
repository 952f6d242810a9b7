/* awsconfig.c - the two shared files and the selected profile. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "awsconfig.h"
#include "util.h"

/* getenv, with an empty value counting as unset. */
static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static int
put(char *out, size_t outlen, size_t *n, const char *s, size_t len)
{
	if (len >= outlen - *n)
		return -1;
	memcpy(out + *n, s, len);
	*n += len;
	out[*n] = '\0';
	return 0;
}

/* Python's posixpath.expandvars: unset variables stay as written. */
static int
expand_vars(const char *in, char *out, size_t outlen)
{
	char name[256];
	const char *val, *end;
	size_t n = 0, len;
	int braced;

	out[0] = '\0';
	while (*in != '\0') {
		braced = in[0] == '$' && in[1] == '{';
		end = in + 1 + braced;
		if (braced)
			end += strcspn(end, "}");
		else
			while (isalnum((unsigned char)*end) || *end == '_')
				end++;
		len = (size_t)(end - in - 1 - braced);
		if (in[0] != '$' || len == 0 || len >= sizeof name ||
		    (braced && *end != '}')) {
			if (put(out, outlen, &n, in, 1) == -1)
				return -1;
			in++;
			continue;
		}
		memcpy(name, in + 1 + braced, len);
		name[len] = '\0';
		end += braced;
		val = getenv(name);
		if (val != NULL ? put(out, outlen, &n, val, strlen(val)) :
		    put(out, outlen, &n, in, (size_t)(end - in)))
			return -1;
		in = end;
	}
	return 0;
}

int
expand_path(const char *in, char *out, size_t outlen)
{
	char tmp[AWSCONFIG_MAX_PATH];
	const char *home = getenv("HOME");

	if (expand_vars(in, tmp, sizeof tmp) == -1)
		return -1;
	if (tmp[0] == '~' && (tmp[1] == '/' || tmp[1] == '\0') &&
	    home != NULL)
		return xsnprintf(out, outlen, "%s%s", home, tmp + 1);
	return xsnprintf(out, outlen, "%s", tmp);
}

static int
file_path(const char *var, const char *dflt, char *out, size_t outlen)
{
	const char *v = env(var);

	return expand_path(v != NULL ? v : dflt, out, outlen);
}

const char *
awsconfig_get_credentials(const struct awsconfig *cfg, const char *profile,
    const char *key)
{
	return ini_get(&cfg->credentials,
	    ini_section(&cfg->credentials, profile), key);
}

const char *
awsconfig_get_config(const struct awsconfig *cfg, const char *profile,
    const char *key)
{
	return ini_get(&cfg->config, ini_named(&cfg->config, "profile",
	    profile), key);
}

const char *
awsconfig_get(const struct awsconfig *cfg, const char *profile,
    const char *key)
{
	const char *v = awsconfig_get_credentials(cfg, profile, key);

	return v != NULL ? v : awsconfig_get_config(cfg, profile, key);
}

int
awsconfig_has_profile(const struct awsconfig *cfg, const char *profile)
{
	return ini_section(&cfg->credentials, profile) != NULL ||
	    ini_named(&cfg->config, "profile", profile) != NULL;
}

void
awsconfig_free(struct awsconfig *cfg)
{
	ini_free(&cfg->config);
	ini_free(&cfg->credentials);
	free(cfg->profile);
	cfg->profile = NULL;
}

int
awsconfig_load(struct awsconfig *cfg, const char *profile, char *err,
    size_t errlen)
{
	const char *name = profile;

	memset(cfg, 0, sizeof *cfg);
	cfg->explicit_profile = profile != NULL;
	/* botocore's order (configprovider.py): the legacy name first. */
	if (name == NULL)
		name = env("AWS_DEFAULT_PROFILE");
	if (name == NULL)
		name = env("AWS_PROFILE");
	if (file_path("AWS_CONFIG_FILE", "~/.aws/config", cfg->config_path,
	    sizeof cfg->config_path) == -1 ||
	    file_path("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials",
	    cfg->credentials_path, sizeof cfg->credentials_path) == -1) {
		snprintf(err, errlen, "configuration file path too long");
		return -1;
	}
	if (ini_load(&cfg->config, cfg->config_path, err, errlen) == -1)
		return -1;
	if (ini_load(&cfg->credentials, cfg->credentials_path, err,
	    errlen) == -1)
		goto fail;
	if (name != NULL && !awsconfig_has_profile(cfg, name)) {
		snprintf(err, errlen, "The config profile (%s) could not be "
		    "found", name);
		goto fail;
	}
	if ((cfg->profile = strdup(name != NULL ? name : "default")) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return 0;
fail:
	awsconfig_free(cfg);
	return -1;
}

int
awsconfig_region(const struct awsconfig *cfg, const char *explicit_region,
    char *out, size_t outlen)
{
	const char *r = explicit_region;

	if (r == NULL || *r == '\0')
		r = env("AWS_REGION");
	if (r == NULL)
		r = env("AWS_DEFAULT_REGION");
	if (r == NULL && cfg != NULL)
		r = awsconfig_get(cfg, cfg->profile, "region");
	return xsnprintf(out, outlen, "%s", r != NULL ? r : "");
}

void
awsconfig_endpoints(const struct awsconfig *cfg, enum aws_service service,
    struct endpoint_config *out)
{
	/* botocore's per-service key: the service id, snake_case. */
	static const char *const keys[] = { [AWS_S3] = "s3",
	    [AWS_SAGEMAKER] = "sagemaker", [AWS_LOGS] = "cloudwatch_logs",
	    [AWS_STS] = "sts", [AWS_IAM] = "iam" };
	const char *svc = awsconfig_get(cfg, cfg->profile, "services");
	const char *ignore = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");

	if (ignore == NULL)
		ignore = awsconfig_get(cfg, cfg->profile,
		    "ignore_configured_endpoint_urls");
	out->service_url = svc == NULL ? NULL : ini_get_sub(&cfg->config,
	    ini_named(&cfg->config, "services", svc), keys[service],
	    "endpoint_url");
	out->global_url = awsconfig_get(cfg, cfg->profile, "endpoint_url");
	out->ignore_configured = ignore != NULL &&
	    strcasecmp(ignore, "true") == 0;
}
