/* iam.h - IAM GetRole (query protocol, the global endpoint). */
#ifndef ACCEL_IAM_H
#define ACCEL_IAM_H

#include "aws.h"

#define IAM_MAX_ARN 2048
#define IAM_MAX_POLICY (128 * 1024)	/* trust policies are at most 8 KB */

struct iam_role {
	char arn[IAM_MAX_ARN];
	char role_id[128];
	struct buf trust_policy;	/* AssumeRolePolicyDocument, decoded */
};

/* iam_get_role: the role NAME.  iam_role_free frees trust_policy. */
int iam_get_role(struct aws_client *c, const char *name,
    struct iam_role *out, struct aws_error *e);
void iam_role_free(struct iam_role *role);

#endif
