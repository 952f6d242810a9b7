/*
 * request.h - the CreateTrainingJob body the SageMaker Python SDK sends for
 * an accelerate SageMaker config (sagemaker-api.md §4, accelerate-sagemaker.md
 * §9-§11), built from the normalized config.json of accel-validate, the
 * script's hyperparameters and the source archive.  Pure: no clock, no
 * network, no account.
 *
 * What needs the account stays a placeholder, resolved by accel-submit:
 *
 *   {{role_arn}}   RoleArn, when iam_role_name is a role name (no '/')
 *   {{bucket}}     the SDK's default bucket, sagemaker-REGION-ACCOUNT
 *
 * and {{job_name}} stands for the job name until the digest is known (so
 * it may also be used in config strings, e.g. a checkpoint_s3_uri).
 */
#ifndef ACCEL_REQUEST_H
#define ACCEL_REQUEST_H

#include <cjson/cJSON.h>

#include "sourcedir.h"

#define REQUEST_PH_JOB "{{job_name}}"
#define REQUEST_PH_ROLE "{{role_arn}}"
#define REQUEST_PH_BUCKET "{{bucket}}"

struct request_in {
	const cJSON *config;		/* accel-validate's config.json */
	const char *config_name;	/* for messages */
	const cJSON *hyperparameters;	/* from the script arguments */
	const char *program;		/* script, relative to the source dir */
};

/*
 * request_body: the body with {{job_name}} in place of the name.
 * Returns NULL with a message naming CONFIG_NAME and the key.
 */
cJSON *request_body(const struct request_in *in);

/* request_substitute: every FROM in the strings of ITEM becomes TO. */
int request_substitute(cJSON *item, const char *from, const char *to);

#endif
