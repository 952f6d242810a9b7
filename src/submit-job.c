/*
 * submit-job.c - one job per digest (DESIGN.md "Idempotence").  The job
 * name comes from the digest, and the job carries the whole digest in the
 * tag accel:digest.  DescribeTrainingJob does not return tags (its output
 * shape has none), so the tag is read with ListTags on the job's ARN.
 *
 * A job of our name with our digest is ours: attach to it.  With another
 * digest, or none, it is someone else's (a name given with --job-name, or
 * 48 bits of digest colliding): refuse, never submit over it.
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "submit.h"
#include "util.h"

static const char *
str_member(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
aws_fail(const struct aws_error *e, int *status)
{
	*status = aws_error_exit_status(e);
	return aws_error_report(e);
}

/* DescribeTrainingJob of an unknown name: AWS and moto word it apart. */
static int
is_not_found(const struct aws_error *e)
{
	return strcmp(e->code, "ValidationException") == 0 &&
	    (strcasestr(e->message, "not found") != NULL ||
	    strcasestr(e->message, "could not find") != NULL);
}

/* The digest tag of ARN into OUT ("" when the job has none). */
static int
digest_tag(struct aws_client *sm, const char *arn, char out[65], int *status)
{
	cJSON *in = cJSON_CreateObject(), *answer = NULL;
	const cJSON *tag;
	struct aws_error e;
	const char *token = NULL;
	int rc = -1;

	out[0] = '\0';
	if (in == NULL || cJSON_AddStringToObject(in, "ResourceArn", arn) ==
	    NULL)
		goto nomem;
	for (int page = 0; page < SUBMIT_MAX_TAG_PAGES; page++) {
		cJSON_DeleteItemFromObjectCaseSensitive(in, "NextToken");
		if (token != NULL && cJSON_AddStringToObject(in, "NextToken",
		    token) == NULL)
			goto nomem;
		cJSON_Delete(answer);
		answer = NULL;
		if (aws_json_call(sm, "ListTags", in, &answer, &e) == -1) {
			rc = aws_fail(&e, status);
			goto out;
		}
		cJSON_ArrayForEach(tag, cJSON_GetObjectItemCaseSensitive(answer,
		    "Tags")) {
			const char *k = str_member(tag, "Key");
			const char *v = str_member(tag, "Value");

			/* a longer value is no digest of ours, never a
			 * truncated match */
			if (k && v && strcmp(k, SUBMIT_DIGEST_TAG) == 0 &&
			    xsnprintf(out, 65, "%s", v) == -1)
				snprintf(out, 65, "(not a digest)");
		}
		token = str_member(answer, "NextToken");
		if (token == NULL || *token == '\0')
			break;
	}
	rc = 0;
	goto out;
nomem:
	*status = EXIT_NO;
	rc = accel_err("cannot build the ListTags input:");
out:
	cJSON_Delete(answer);
	cJSON_Delete(in);
	return rc;
}

/* A job of our name that is not ours. */
static int
collision(const struct submit_request *r, const char *theirs, int *status)
{
	*status = EXIT_NO;
	if (theirs[0] == '\0')
		return accel_err("a training job named %s exists and has no %s "
		    "tag: accel-submit did not create it, so it is not this "
		    "request's; choose another name (base_job_name, "
		    "--job-name) or ask for a new run (--run N)", r->job_name,
		    SUBMIT_DIGEST_TAG);
	return accel_err("a training job named %s exists for other inputs "
	    "(its %s is %.12s..., this request's is %.12s...); it is left "
	    "alone: choose another name (base_job_name, --job-name) or ask "
	    "for a new run (--run N)", r->job_name, SUBMIT_DIGEST_TAG, theirs,
	    r->digest);
}

int
submit_find_job(struct aws_client *sm, const struct submit_request *r,
    struct submit_job *job, int *status)
{
	char theirs[65], q[QUOTE_SIZE(64)];
	const char *arn, *st;
	struct aws_error e;
	cJSON *d = NULL;

	memset(job, 0, sizeof *job);
	if (sagemaker_describe_training_job(sm, r->job_name, &d, &e) == -1)
		return is_not_found(&e) ? 0 : aws_fail(&e, status);
	arn = str_member(d, "TrainingJobArn");
	st = str_member(d, "TrainingJobStatus");
	if (arn == NULL || xsnprintf(job->arn, sizeof job->arn, "%s", arn) ==
	    -1) {
		cJSON_Delete(d);
		*status = EXIT_NO;
		return accel_err("SageMaker DescribeTrainingJob: no "
		    "TrainingJobArn in the answer");
	}
	snprintf(job->status, sizeof job->status, "%s", st ? st : "");
	cJSON_Delete(d);
	if (digest_tag(sm, job->arn, theirs, status) == -1)
		return -1;
	if (strcmp(theirs, r->digest) != 0)
		return collision(r, theirs, status);
	job->attached = 1;
	fprintf(stderr, "%s: attached to training job %s (%s): it was "
	    "submitted with these inputs before\n", accel_prog, r->job_name,
	    quote_name(job->status[0] ? job->status : "status unknown", q,
	    sizeof q));
	if (strcmp(job->status, "Failed") == 0 ||
	    strcmp(job->status, "Stopped") == 0)
		fprintf(stderr, "%s: to run the same inputs again, ask for a "
		    "new run: ACCEL_RUN=N or accel-request --run N\n",
		    accel_prog);
	return 1;
}

int
submit_create_job(struct aws_client *sm, const struct submit_request *r,
    struct submit_job *job, int *status)
{
	struct aws_error e;
	int rc;

	memset(job, 0, sizeof *job);
	/* the SDK's logger line (sagemaker-api.md 12.8) */
	fprintf(stderr, "%s: Creating training-job with name: %s\n",
	    accel_prog, r->job_name);
	if (sagemaker_create_training_job(sm, r->body, job->arn, &e) == 0)
		return 0;
	if (strcmp(e.code, "ResourceInUse") != 0)
		return aws_fail(&e, status);
	/* created meanwhile: by another runner, or by our own attempt whose
	 * answer was lost before a retry */
	rc = submit_find_job(sm, r, job, status);
	if (rc == 0) {
		*status = EXIT_TEMPFAIL;
		return accel_err("SageMaker says %s exists, but cannot describe "
		    "it yet: run accel-submit again", r->job_name);
	}
	return rc == 1 ? 0 : -1;
}

/* JOB.json: what accel-wait and accel-fetch need to find the job. */
char *
submit_job_text(const struct submit_request *r, const struct submit_job *job,
    const char *endpoint)
{
	const cJSON *out = cJSON_GetObjectItemCaseSensitive(r->body,
	    "OutputDataConfig");
	const char *output_path = str_member(out, "S3OutputPath");
	cJSON *o = cJSON_CreateObject();
	char *text = NULL;

	if (o == NULL || cJSON_AddStringToObject(o, "arn", job->arn) == NULL ||
	    cJSON_AddBoolToObject(o, "attached", job->attached) == NULL ||
	    cJSON_AddStringToObject(o, "digest", r->digest) == NULL ||
	    cJSON_AddStringToObject(o, "endpoint", endpoint) == NULL ||
	    cJSON_AddStringToObject(o, "name", r->job_name) == NULL ||
	    cJSON_AddStringToObject(o, "output_path", output_path ?
	    output_path : "") == NULL ||
	    cJSON_AddStringToObject(o, "region", r->region) == NULL ||
	    cJSON_AddNumberToObject(o, "version", 1) == NULL)
		accel_err("cannot build JOB.json:");
	else
		text = json_dump_file_text(o, SUBMIT_JOB_MAX);
	cJSON_Delete(o);
	return text;
}
