/*
 * creds.h - AWS credentials found where the AWS CLI finds them, in the same
 * order (botocore credentials.py create_credential_resolver, 1.43):
 *
 *   1. environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 *      AWS_SESSION_TOKEN (or AWS_SECURITY_TOKEN), AWS_CREDENTIAL_EXPIRATION;
 *      skipped when the caller names a profile (--profile)
 *   2. assume-role profile: role_arn with source_profile or
 *      credential_source (Environment, Ec2InstanceMetadata, EcsContainer)
 *   3. web identity: AWS_WEB_IDENTITY_TOKEN_FILE / AWS_ROLE_ARN /
 *      AWS_ROLE_SESSION_NAME, each falling back to the profile's key
 *   4. (SSO profiles: refused with a message; not supported)
 *   5. the shared credentials file's [PROFILE]
 *   6. credential_process (its own argv, no shell)
 *   7. the config file's [profile PROFILE] static keys
 *   8. container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI
 *   9. instance metadata (IMDSv2, falling back to v1 as botocore does)
 *
 * Temporary credentials are refreshed like botocore's RefreshableCredentials:
 * inside CREDS_ADVISORY_REFRESH seconds of expiry a refresh is tried and a
 * failure keeps the old ones; inside CREDS_MANDATORY_REFRESH it must work.
 * The clock is the caller's (creds_options.clock) so tests can jump hours.
 *
 * Secrets are wiped when replaced or freed, never printed, never in argv.
 */
#ifndef ACCEL_CREDS_H
#define ACCEL_CREDS_H

#include <stddef.h>
#include <time.h>

#include "sigv4.h"

#define CREDS_ADVISORY_REFRESH (15 * 60)	/* botocore's defaults */
#define CREDS_MANDATORY_REFRESH (10 * 60)
#define CREDS_PROCESS_TIMEOUT_MS 60000	/* botocore waits forever; we don't */
#define CREDS_MAX_RESPONSE (64 * 1024)	/* process, container, IMDS, STS */
#define CREDS_MAX_TOKEN_FILE (64 * 1024)	/* web identity / container token */
#define CREDS_MAX_CHAIN 16		/* source_profile hops */

struct creds_options {
	const char *profile;		/* --profile, or NULL */
	const char *region;		/* --region, or NULL */
	time_t (*clock)(void *ctx);	/* NULL: time(NULL) */
	void *clock_ctx;
	long process_timeout_ms;	/* 0: CREDS_PROCESS_TIMEOUT_MS */
};

struct creds_provider;
struct awsconfig;

/*
 * creds_provider_new: read the configuration (nothing is fetched yet).
 * NULL with a reason in ERR: a file that cannot be parsed, a profile that
 * does not exist.
 */
struct creds_provider *creds_provider_new(const struct creds_options *opt,
    char *err, size_t errlen);
void creds_provider_free(struct creds_provider *p);

/*
 * creds_get: current credentials, resolved on first use and refreshed near
 * expiry.  OUT's strings belong to the provider and stay valid until the
 * second refresh after this call (refreshes are minutes apart) or
 * creds_provider_free, so threads sharing the provider (parallel uploads)
 * may keep signing with them.  Thread-safe.  The signature is aws.c's
 * aws_creds_provider get hook: PROVIDER is a struct creds_provider.
 * Returns 0, or -1 with a reason in ERR that never holds a secret.
 */
int creds_get(void *provider, struct sigv4_creds *out, char *err,
    size_t errlen);

/* botocore's name of the source in use ("env", "assume-role", ...), or NULL. */
const char *creds_method(const struct creds_provider *p);

/* When the credentials in use expire (0: never). */
time_t creds_expiry(const struct creds_provider *p);

/* The region (--region, AWS_REGION, AWS_DEFAULT_REGION, profile); "" if none. */
const char *creds_region(const struct creds_provider *p);

/* The files and profile in use, for endpoint settings (awsconfig.h). */
const struct awsconfig *creds_config(const struct creds_provider *p);

/* parse_iso8601: "2026-11-26T23:45:37Z" (fraction, +HH:MM allowed). */
int parse_iso8601(const char *s, time_t *out);

#endif
