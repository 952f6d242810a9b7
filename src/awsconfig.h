/*
 * awsconfig.h - the shared config and credentials files of one run, and
 * the profile they select, as botocore's Session sees them:
 *
 *   profile   --profile (explicit: the environment provider is skipped),
 *             else AWS_DEFAULT_PROFILE, else AWS_PROFILE (botocore reads
 *             them in that order), else "default".
 *   files     AWS_CONFIG_FILE (~/.aws/config) and AWS_SHARED_CREDENTIALS_FILE
 *             (~/.aws/credentials), with ~ and $VAR expanded; a missing
 *             file is empty.
 *   a profile's keys (Session.full_config): the credentials file's
 *             section of the same bare name overrides the config file's
 *             [profile NAME], key by key.
 *   region    --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's
 *             region (aws-protocols.md section 9).
 */
#ifndef ACCEL_AWSCONFIG_H
#define ACCEL_AWSCONFIG_H

#include <stddef.h>

#include "endpoint.h"
#include "ini.h"

#define AWSCONFIG_MAX_PATH 4096

struct awsconfig {
	struct ini config;		/* AWS_CONFIG_FILE */
	struct ini credentials;		/* AWS_SHARED_CREDENTIALS_FILE */
	char config_path[AWSCONFIG_MAX_PATH];
	char credentials_path[AWSCONFIG_MAX_PATH];
	char *profile;			/* the selected profile */
	int explicit_profile;		/* given by the caller (--profile) */
};

/*
 * awsconfig_load: both files and the profile (PROFILE from --profile, or
 * NULL).  A profile named by the caller or the environment that neither
 * file has is an error, as botocore's ProfileNotFound.  Returns 0, or -1
 * with a reason in ERR.
 */
int awsconfig_load(struct awsconfig *cfg, const char *profile, char *err,
    size_t errlen);
void awsconfig_free(struct awsconfig *cfg);

/* Does PROFILE exist in either file? */
int awsconfig_has_profile(const struct awsconfig *cfg, const char *profile);

/* KEY of PROFILE, credentials file first, then config file; or NULL. */
const char *awsconfig_get(const struct awsconfig *cfg, const char *profile,
    const char *key);

/* KEY of PROFILE in one file only (botocore's SharedCredentialProvider and
 * ConfigProvider each read one). */
const char *awsconfig_get_credentials(const struct awsconfig *cfg,
    const char *profile, const char *key);
const char *awsconfig_get_config(const struct awsconfig *cfg,
    const char *profile, const char *key);

/* The region (see above) into OUT; "" when none is configured. */
int awsconfig_region(const struct awsconfig *cfg, const char *explicit_region,
    char *out, size_t outlen);

/*
 * awsconfig_endpoints: the endpoint settings of the selected profile for
 * SERVICE, for endpoint_resolve: its "services = NAME" section's
 * "<service> = / endpoint_url = ..." block (keys s3, sagemaker,
 * cloudwatch_logs, sts, iam), its own endpoint_url, and
 * ignore_configured_endpoint_urls (or AWS_IGNORE_CONFIGURED_ENDPOINT_URLS).
 * The strings belong to CFG.
 */
void awsconfig_endpoints(const struct awsconfig *cfg, enum aws_service service,
    struct endpoint_config *out);

/*
 * expand_path: os.path.expandvars then expanduser, as botocore applies to
 * the file variables: $NAME and ${NAME} of set variables, a leading ~ or
 * ~/ as $HOME.  Returns 0 or -1 (too long).
 */
int expand_path(const char *in, char *out, size_t outlen);

#endif
