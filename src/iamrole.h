/*
 * iamrole.h - the execution role accelerate config creates for "Create new
 * IAM role using credentials" (accelerate commands/config/sagemaker.py,
 * _create_iam_role_for_sagemaker): CreateRole with SageMaker's trust
 * policy, then PutRolePolicy with its permission policy; a role that
 * already exists is used as it is.
 */
#ifndef ACCEL_IAMROLE_H
#define ACCEL_IAMROLE_H

#include <stdio.h>

/*
 * iamrole_create: create ROLE in the account of the credentials the AWS
 * CLI would use (PROFILE as AWS_PROFILE, or NULL), REGION naming the
 * partition.  Prints accelerate's "already exists" line to OUT.  Returns
 * 0, or -1 with a message printed and *STATUS set (EXIT_NO or
 * EXIT_TEMPFAIL).
 */
int iamrole_create(const char *role, const char *profile, const char *region,
    FILE *out, int *status);

/* The two policy documents (accelerate's, without whitespace). */
extern const char iamrole_trust_policy[];
extern const char iamrole_permission_policy[];

#endif
