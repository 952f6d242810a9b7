/*
 * submit.h - the steps of accel-submit (accel-submit(1)):
 *
 *   submit-request.c  read REQUEST.json, check the archive beside it,
 *                     resolve the placeholders, tag the body with the digest
 *   submit-aws.c      account, role, default bucket, code upload
 *   submit-job.c      find the job of our name, create it or attach to it,
 *                     and the JOB.json text
 *
 * Every function that fails prints its message and returns -1 with the
 * exit status it calls for in *STATUS (EXIT_NO or EXIT_TEMPFAIL).
 */
#ifndef ACCEL_SUBMIT_H
#define ACCEL_SUBMIT_H

#include <limits.h>

#include <cjson/cJSON.h>

#include "aws.h"
#include "awssession.h"
#include "crypto.h"
#include "s3.h"
#include "sagemaker.h"

#define SUBMIT_REQUEST_MAX (4 << 20)	/* REQUEST.json; accel-request's cap */
#define SUBMIT_JOB_MAX (64 * 1024)	/* JOB.json we write */
#define SUBMIT_DIGEST_TAG "accel:digest"	/* the tag that names our job */
#define SUBMIT_MAX_TAG_PAGES 20		/* ListTags pages (50 tags at most) */
#define SUBMIT_ACCOUNT_MAX 32		/* 12 digits today */
#define SUBMIT_ROLE_ARN_MAX 2048	/* RoleArn's maximum length */

struct submit_request {
	cJSON *doc;			/* the whole of REQUEST.json */
	cJSON *body;			/* its CreateTrainingJob, resolved
					   in place */
	const char *digest;		/* accel.digest, 64 hex digits */
	const char *job_name;		/* TrainingJobName = accel.job_name */
	const char *region;		/* accel.region */
	const char *role_name;		/* accel.role_name, or NULL */
	char archive[PATH_MAX];		/* the sourcedir.tar.gz beside it */
	long long archive_bytes;	/* accel.archive.bytes */
	const char *archive_sha256;	/* accel.archive.sha256 */
	int fd;				/* the archive once checked, or -1 */
};

/* The code's place in S3, taken from the resolved body. */
struct submit_code {
	char bucket[64];
	char key[S3_MAX_KEY + 1];
};

/* What the placeholders become. */
struct submit_values {
	char account[SUBMIT_ACCOUNT_MAX];	/* "" when not known */
	char role_arn[SUBMIT_ROLE_ARN_MAX + 1];	/* "" when not needed or
					   not known */
	char bucket[64];		/* "" when not needed or not known */
	int default_bucket;		/* bucket is sagemaker-REGION-ACCOUNT */
};

/* submit-request.c */
int submit_request_load(const char *path, struct submit_request *r,
    int *status);
int submit_archive_check(struct submit_request *r, int *status);
void submit_request_free(struct submit_request *r);
int submit_needs_role(const struct submit_request *r);
int submit_needs_bucket(const struct submit_request *r);
int submit_role_arn_from(const char *region, const char *account,
    const char *role_name, char *out, size_t outlen);
int submit_default_bucket(const char *region, const char *account,
    char out[64]);
int submit_resolve(struct submit_request *r, const struct submit_values *v,
    int *status);
int submit_code_location(const struct submit_request *r,
    struct submit_code *code, int *status);

/* submit-aws.c */
int submit_find_values(struct aws_session *s, const struct submit_request *r,
    struct submit_values *v, int *status);
int submit_ensure_bucket(struct aws_session *s, const struct submit_values *v,
    int *status);
int submit_upload(struct aws_session *s, const struct submit_request *r,
    const struct submit_values *v, const struct submit_code *code,
    int *uploaded, int *status);

/* submit-job.c */
struct submit_job {
	char arn[SAGEMAKER_MAX_ARN];
	char status[64];		/* TrainingJobStatus when attached */
	int attached;
};

/*
 * submit_find_job: 1 when a job of our name exists and carries our digest
 * (JOB filled, attached), 0 when there is none, -1 on error, a collision
 * (a job of that name with another digest or none) included.
 */
int submit_find_job(struct aws_client *sm, const struct submit_request *r,
    struct submit_job *job, int *status);
int submit_create_job(struct aws_client *sm, const struct submit_request *r,
    struct submit_job *job, int *status);
char *submit_job_text(const struct submit_request *r,
    const struct submit_job *job, const char *endpoint);

#endif
