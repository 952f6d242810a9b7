/* sagemaker.c - CreateTrainingJob, Describe, Stop, List (JSON 1.1). */
#include <stdio.h>
#include <string.h>

#include "sagemaker.h"
#include "util.h"

static const char *
string_member(const cJSON *doc, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
invalid(struct aws_error *e, const char *what)
{
	snprintf(e->code, sizeof e->code, "InvalidResponse");
	snprintf(e->message, sizeof e->message, "%s", what);
	e->retryable = 0;
	return -1;
}

int
sagemaker_create_training_job(struct aws_client *c, const cJSON *request,
    char arn[SAGEMAKER_MAX_ARN], struct aws_error *e)
{
	const char *s;
	cJSON *out;
	int rc = 0;

	arn[0] = '\0';
	if (aws_json_call(c, "CreateTrainingJob", request, &out, e) == -1)
		return -1;
	s = string_member(out, "TrainingJobArn");
	if (s == NULL || xsnprintf(arn, SAGEMAKER_MAX_ARN, "%s", s) == -1)
		rc = invalid(e, "the answer has no TrainingJobArn");
	cJSON_Delete(out);
	return rc;
}

/* {"TrainingJobName": NAME} */
static cJSON *
name_input(const char *name)
{
	cJSON *in = cJSON_CreateObject();

	if (in == NULL || cJSON_AddStringToObject(in, "TrainingJobName",
	    name) == NULL) {
		cJSON_Delete(in);
		return NULL;
	}
	return in;
}

static int
no_memory(struct aws_client *c, const char *op, struct aws_error *e)
{
	memset(e, 0, sizeof *e);
	e->service = endpoint_service_title(c->ep.service);
	e->operation = op;
	snprintf(e->code, sizeof e->code, "OutOfMemory");
	return -1;
}

int
sagemaker_describe_training_job(struct aws_client *c, const char *name,
    cJSON **out, struct aws_error *e)
{
	cJSON *in = name_input(name);
	int rc;

	*out = NULL;
	if (in == NULL)
		return no_memory(c, "DescribeTrainingJob", e);
	rc = aws_json_call(c, "DescribeTrainingJob", in, out, e);
	cJSON_Delete(in);
	if (rc == 0 && sagemaker_job_status(*out, NULL) == NULL) {
		cJSON_Delete(*out);
		*out = NULL;
		return invalid(e, "the answer has no TrainingJobStatus");
	}
	return rc;
}

int
sagemaker_stop_training_job(struct aws_client *c, const char *name,
    struct aws_error *e)
{
	cJSON *in = name_input(name), *out = NULL;
	int rc;

	if (in == NULL)
		return no_memory(c, "StopTrainingJob", e);
	rc = aws_json_call(c, "StopTrainingJob", in, &out, e);
	cJSON_Delete(in);
	cJSON_Delete(out);
	return rc;
}

int
sagemaker_list_training_jobs(struct aws_client *c, const cJSON *filters,
    const char *next_token, cJSON **out, struct aws_error *e)
{
	cJSON *in = filters ? cJSON_Duplicate(filters, 1) :
	    cJSON_CreateObject();
	int rc;

	*out = NULL;
	if (in == NULL || (next_token != NULL &&
	    cJSON_AddStringToObject(in, "NextToken", next_token) == NULL)) {
		cJSON_Delete(in);
		return no_memory(c, "ListTrainingJobs", e);
	}
	rc = aws_json_call(c, "ListTrainingJobs", in, out, e);
	cJSON_Delete(in);
	if (rc == 0 && !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(*out,
	    "TrainingJobSummaries"))) {
		cJSON_Delete(*out);
		*out = NULL;
		return invalid(e, "the answer has no TrainingJobSummaries");
	}
	return rc;
}

const char *
sagemaker_job_status(const cJSON *describe, const char **secondary)
{
	if (secondary != NULL)
		*secondary = string_member(describe, "SecondaryStatus");
	return string_member(describe, "TrainingJobStatus");
}
