/*
 * submit-aws.c - what accel-submit needs from STS, IAM and S3 before it
 * can create the job (sagemaker-api.md 7, 8): the account, the role's ARN,
 * the default bucket (made when missing), and the code in S3, uploaded only
 * when the same bytes are not there already.
 *
 * Unlike the SDK we look the bucket up with HeadBucket alone (no
 * ListBuckets: one call fewer, no s3:ListAllMyBuckets permission), and
 * refuse a default bucket in another region before SageMaker does.
 */
#include <stdio.h>
#include <string.h>

#include "iam.h"
#include "sts.h"
#include "submit.h"
#include "util.h"

/* Report E and set *STATUS from its class; returns -1. */
static int
aws_fail(const struct aws_error *e, int *status)
{
	*status = aws_error_exit_status(e);
	return aws_error_report(e);
}

static int
client(struct aws_session *s, enum aws_service svc, struct aws_client *c,
    int *status)
{
	char err[512];

	if (aws_session_client(s, svc, c, err, sizeof err) == -1) {
		*status = EXIT_NO;
		return accel_err("%s", err);
	}
	return 0;
}

static int
find_account(struct aws_session *s, struct submit_values *v, int *status)
{
	struct sts_identity id;
	struct aws_client c;
	struct aws_error e;
	int rc;

	if (client(s, AWS_STS, &c, status) == -1)
		return -1;
	rc = sts_get_caller_identity(&c, &id, &e);
	aws_client_free(&c);
	if (rc == -1)
		return aws_fail(&e, status);
	if (xsnprintf(v->account, sizeof v->account, "%s", id.account) == -1 ||
	    v->account[0] == '\0') {
		*status = EXIT_NO;
		return accel_err("STS GetCallerIdentity: no account in the "
		    "answer");
	}
	return 0;
}

static int
find_role(struct aws_session *s, const char *name, struct submit_values *v,
    int *status)
{
	struct iam_role role;
	struct aws_client c;
	struct aws_error e;
	int rc;

	if (client(s, AWS_IAM, &c, status) == -1)
		return -1;
	rc = iam_get_role(&c, name, &role, &e);
	aws_client_free(&c);
	if (rc == -1) {
		aws_fail(&e, status);
		if (strcmp(e.code, "NoSuchEntity") == 0)
			accel_err("no IAM role '%s' in this account: create it "
			    "(accel-config does) or give iam_role_name as an "
			    "ARN", name);
		return -1;
	}
	rc = xsnprintf(v->role_arn, sizeof v->role_arn, "%s", role.arn);
	iam_role_free(&role);
	if (rc == -1 || v->role_arn[0] == '\0') {
		*status = EXIT_NO;
		return accel_err("IAM GetRole: no ARN in the answer");
	}
	return 0;
}

/*
 * submit_find_values: fill what V still lacks and the request needs: the
 * account (STS GetCallerIdentity) for the default bucket, the role's ARN
 * (IAM GetRole).  Read-only calls, so --dry-run may make them too.
 */
int
submit_find_values(struct aws_session *s, const struct submit_request *r,
    struct submit_values *v, int *status)
{
	if (submit_needs_bucket(r) && v->bucket[0] == '\0') {
		if (v->account[0] == '\0' && find_account(s, v, status) == -1)
			return -1;
		if (submit_default_bucket(r->region, v->account,
		    v->bucket) == -1 || !s3_bucket_name_ok(v->bucket)) {
			*status = EXIT_NO;
			return accel_err("'sagemaker-%s-%s' is no bucket name",
			    r->region, v->account);
		}
		v->default_bucket = 1;
	}
	if (submit_needs_role(r) && v->role_arn[0] == '\0') {
		if (r->role_name == NULL) {
			*status = EXIT_NO;
			return accel_err("the request has a role placeholder "
			    "but no accel.role_name");
		}
		if (find_role(s, r->role_name, v, status) == -1)
			return -1;
	}
	return 0;
}

/* The SDK's words for a default bucket we may not use (sagemaker-api.md 7.2). */
static int
not_accessible(const char *bucket, int *status)
{
	*status = EXIT_NO;
	return accel_err("Bucket %s is not accessible as the default bucket. "
	    "It may be owned by another account or access is forbidden. To "
	    "unblock, name a bucket of yours in additional_args.output_path",
	    bucket);
}

static int
create_bucket(struct aws_client *c, const char *bucket, int *status)
{
	struct aws_error e;

	if (s3_create_bucket(c, bucket, &e) == 0) {
		fprintf(stderr, "%s: Created S3 bucket: %s\n", accel_prog,
		    bucket);
		return 0;
	}
	/* the SDK's race with a concurrent creator */
	if (strcmp(e.code, "OperationAborted") == 0)
		return 0;
	if (strcmp(e.code, "BucketAlreadyExists") == 0)
		return not_accessible(bucket, status);
	return aws_fail(&e, status);
}

/*
 * submit_ensure_bucket: the default bucket exists, is the account's
 * (ExpectedBucketOwner) and is in our region; created when missing, with
 * the LocationConstraint outside us-east-1 (s3_create_bucket).  A bucket
 * the user named is used as it is, as the SDK does.
 */
int
submit_ensure_bucket(struct aws_session *s, const struct submit_values *v,
    int *status)
{
	char where[ENDPOINT_MAX_REGION];
	struct aws_client c;
	struct aws_error e;
	int rc;

	if (!v->default_bucket)
		return 0;
	if (client(s, AWS_S3, &c, status) == -1)
		return -1;
	rc = s3_head_bucket_owner(&c, v->bucket, v->account, where, &e);
	if (rc == 0 && where[0] != '\0' && strcmp(where, s->region) != 0) {
		*status = EXIT_NO;
		rc = accel_err("bucket %s is in %s, the job runs in %s",
		    v->bucket, where, s->region);
	} else if (rc == -1 && (e.status == 404 ||
	    strcmp(e.code, "NoSuchBucket") == 0))
		rc = create_bucket(&c, v->bucket, status);
	else if (rc == -1 && e.status == 403)
		rc = not_accessible(v->bucket, status);
	else if (rc == -1 && e.status == 301) {
		*status = EXIT_NO;
		rc = accel_err("bucket %s is in %s, the job runs in %s",
		    v->bucket, where[0] ? where : "another region", s->region);
	} else if (rc == -1)
		rc = aws_fail(&e, status);
	aws_client_free(&c);
	return rc;
}

/* Are the archive's bytes at CODE already?  1 yes, 0 no, -1 error. */
static int
already_there(struct aws_client *c, const struct submit_request *r,
    const struct submit_code *code, int *status)
{
	struct s3_object obj;
	struct aws_error e;

	if (s3_head_object(c, code->bucket, code->key, &obj, &e) == -1) {
		/* 403: no s3:ListBucket, so a missing key looks forbidden */
		if (e.status == 404 || e.status == 403)
			return 0;
		return aws_fail(&e, status);
	}
	return obj.size == r->archive_bytes &&
	    strcmp(obj.sha256, r->archive_sha256) == 0;
}

/* The upload's headers as the SDK sends them (sagemaker-api.md 7.4). */
static void
upload_opts(const struct submit_request *r, const struct submit_values *v,
    struct s3_upload_opts *o, char *meta, size_t metalen, char *kms,
    size_t kmslen)
{
	const cJSON *out = cJSON_GetObjectItemCaseSensitive(r->body,
	    "OutputDataConfig");
	const cJSON *key = cJSON_GetObjectItemCaseSensitive(out, "KmsKeyId");

	memset(o, 0, sizeof *o);
	o->expected_owner = v->default_bucket ? v->account : NULL;
	o->headers[o->nheaders++] = "x-amz-server-side-encryption: aws:kms";
	if (cJSON_IsString(key) && key->valuestring[0] != '\0' &&
	    xsnprintf(kms, kmslen, "x-amz-server-side-encryption-aws-kms-"
	    "key-id: %s", key->valuestring) == 0)
		o->headers[o->nheaders++] = kms;
	snprintf(meta, metalen, S3_META_SHA256 ": %s", r->archive_sha256);
	o->headers[o->nheaders++] = meta;
}

/*
 * submit_upload: the archive to CODE unless HeadObject shows the same size
 * and our SHA-256 (recorded in its metadata at upload; the ETag is no MD5
 * under SSE-KMS or multipart).  *UPLOADED says whether bytes were sent.
 * Each attempt sends the payload's SHA-256 as x-amz-content-sha256, so S3
 * refuses bytes that changed on the way.
 */
int
submit_upload(struct aws_session *s, const struct submit_request *r,
    const struct submit_values *v, const struct submit_code *code,
    int *uploaded, int *status)
{
	char meta[128], kms[2200], etag[S3_MAX_ETAG];
	struct s3_upload_opts opts;
	struct aws_client c;
	struct aws_error e;
	int rc;

	*uploaded = 0;
	if (client(s, AWS_S3, &c, status) == -1)
		return -1;
	rc = already_there(&c, r, code, status);
	if (rc == 1)
		fprintf(stderr, "%s: s3://%s/%s holds this archive already\n",
		    accel_prog, code->bucket, code->key);
	if (rc != 0) {
		aws_client_free(&c);
		return rc == 1 ? 0 : -1;
	}
	upload_opts(r, v, &opts, meta, sizeof meta, kms, sizeof kms);
	rc = s3_upload(&c, code->bucket, code->key, r->fd,
	    (off_t)r->archive_bytes, &opts, etag, &e);
	aws_client_free(&c);
	if (rc == -1)
		return aws_fail(&e, status);
	*uploaded = 1;
	fprintf(stderr, "%s: uploaded %lld bytes to s3://%s/%s\n", accel_prog,
	    r->archive_bytes, code->bucket, code->key);
	return 0;
}
