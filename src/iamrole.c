/* iamrole.c - CreateRole and PutRolePolicy, as accelerate config does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws.h"
#include "creds.h"
#include "iamrole.h"
#include "util.h"

#define ROLE_NAME_MAX 64	/* IAM's limit on RoleName */

/*
 * The documents exactly as accelerate sends them: json.dumps(..., indent=2)
 * of its dicts, key order as written in accelerate's sagemaker.py.
 */
const char iamrole_trust_policy[] =
    "{\n"
    "  \"Version\": \"2012-10-17\",\n"
    "  \"Statement\": [\n"
    "    {\n"
    "      \"Effect\": \"Allow\",\n"
    "      \"Principal\": {\n"
    "        \"Service\": \"sagemaker.amazonaws.com\"\n"
    "      },\n"
    "      \"Action\": \"sts:AssumeRole\"\n"
    "    }\n"
    "  ]\n"
    "}";

const char iamrole_permission_policy[] =
    "{\n"
    "  \"Version\": \"2012-10-17\",\n"
    "  \"Statement\": [\n"
    "    {\n"
    "      \"Effect\": \"Allow\",\n"
    "      \"Action\": [\n"
    "        \"sagemaker:*\",\n"
    "        \"ecr:GetDownloadUrlForLayer\",\n"
    "        \"ecr:BatchGetImage\",\n"
    "        \"ecr:BatchCheckLayerAvailability\",\n"
    "        \"ecr:GetAuthorizationToken\",\n"
    "        \"cloudwatch:PutMetricData\",\n"
    "        \"cloudwatch:GetMetricData\",\n"
    "        \"cloudwatch:GetMetricStatistics\",\n"
    "        \"cloudwatch:ListMetrics\",\n"
    "        \"logs:CreateLogGroup\",\n"
    "        \"logs:CreateLogStream\",\n"
    "        \"logs:DescribeLogStreams\",\n"
    "        \"logs:PutLogEvents\",\n"
    "        \"logs:GetLogEvents\",\n"
    "        \"s3:CreateBucket\",\n"
    "        \"s3:ListBucket\",\n"
    "        \"s3:GetBucketLocation\",\n"
    "        \"s3:GetObject\",\n"
    "        \"s3:PutObject\"\n"
    "      ],\n"
    "      \"Resource\": \"*\"\n"
    "    }\n"
    "  ]\n"
    "}";

/* One query call whose answer we do not need. */
static int
call(struct aws_client *c, const char *op, const struct aws_param *p,
    size_t n, struct aws_error *e)
{
	struct xml_node *doc = NULL;

	if (aws_query_call(c, op, p, n, 0, &doc, e) == -1)
		return -1;
	xml_free(doc);
	return 0;
}

static int
create_and_attach(struct aws_client *c, const char *role, FILE *out,
    int *status)
{
	char policy_name[ROLE_NAME_MAX + 32];
	const struct aws_param create[] = {
		/* botocore's order: the shape's members */
		{ "RoleName", role },
		{ "AssumeRolePolicyDocument", iamrole_trust_policy },
	};
	const struct aws_param put[] = {
		{ "RoleName", role },
		{ "PolicyName", policy_name },
		{ "PolicyDocument", iamrole_permission_policy },
	};
	struct aws_error e;

	if (xsnprintf(policy_name, sizeof policy_name, "%s_policy_permission",
	    role) == -1) {
		*status = EXIT_NO;
		return accel_err("role name '%s' is too long", role);
	}
	memset(&e, 0, sizeof e);
	if (call(c, "CreateRole", create, 2, &e) == -1) {
		if (strcmp(e.code, "EntityAlreadyExists") == 0) {
			/* as accelerate: the policy is then not attached */
			fprintf(out, "role %s already exists. Using existing "
			    "one\n", role);
			return 0;
		}
		*status = aws_error_exit_status(&e);
		return aws_error_report(&e);
	}
	memset(&e, 0, sizeof e);
	if (call(c, "PutRolePolicy", put, 3, &e) == -1) {
		*status = aws_error_exit_status(&e);
		return aws_error_report(&e);
	}
	return 0;
}

int
iamrole_create(const char *role, const char *profile, const char *region,
    FILE *out, int *status)
{
	struct creds_options opt;
	struct creds_provider *p;
	struct aws_creds_provider cp;
	struct aws_client c;
	char err[512];
	int rc;

	/* accelerate sets AWS_PROFILE and lets boto3 find the credentials,
	 * so the environment's keys still come first */
	if (profile != NULL && setenv("AWS_PROFILE", profile, 1) == -1) {
		*status = EXIT_NO;
		return accel_err("cannot set AWS_PROFILE:");
	}
	memset(&opt, 0, sizeof opt);
	opt.region = region;
	*status = EXIT_NO;
	p = creds_provider_new(&opt, err, sizeof err);
	if (p == NULL)
		return accel_err("%s", err);
	cp.get = creds_get;
	cp.ctx = p;
	if (aws_client_init(&c, AWS_IAM, region, NULL, NULL, &cp, err,
	    sizeof err) == -1) {
		creds_provider_free(p);
		return accel_err("%s", err);
	}
	rc = create_and_attach(&c, role, out, status);
	aws_client_free(&c);
	creds_provider_free(p);
	return rc;
}
