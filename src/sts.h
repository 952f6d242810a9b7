/*
 * sts.h - STS over the query protocol: who am I, and temporary credentials
 * from AssumeRole (signed) or AssumeRoleWithWebIdentity (unsigned, the
 * GitHub Actions OIDC path).  Secrets in the answer are wiped from every
 * buffer they passed through; sts_credentials_wipe clears the result.
 */
#ifndef ACCEL_STS_H
#define ACCEL_STS_H

#include "aws.h"

#define STS_MAX_ARN 2048
#define STS_MAX_TOKEN 8192		/* session tokens run to a few KB */

struct sts_identity {
	char account[32];
	char arn[STS_MAX_ARN];
	char user_id[256];
};

struct sts_credentials {
	char access_key[128];
	char secret_key[128];
	char session_token[STS_MAX_TOKEN];
	char expiration[32];		/* ISO 8601, "2026-11-26T23:45:37Z" */
	char assumed_role_arn[STS_MAX_ARN];
};

int sts_get_caller_identity(struct aws_client *c, struct sts_identity *out,
    struct aws_error *e);

/* DURATION 0: the service default (3600 s). */
int sts_assume_role(struct aws_client *c, const char *role_arn,
    const char *session_name, long duration, struct sts_credentials *out,
    struct aws_error *e);
int sts_assume_role_with_web_identity(struct aws_client *c,
    const char *role_arn, const char *session_name, const char *token,
    long duration, struct sts_credentials *out, struct aws_error *e);

void sts_credentials_wipe(struct sts_credentials *creds);

#endif
