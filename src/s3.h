/*
 * s3.h - the S3 operations the tools need (REST-XML): buckets, objects,
 * multipart uploads with parts in parallel, ranged downloads to an fd.
 * Rules: ../shared/reference/aws-protocols.md section 3.
 *
 * A bucket in another region is followed once, as botocore does: the
 * client is re-aimed at the region the answer names (x-amz-bucket-region
 * or <Region>) and keeps it for later calls.  (Multipart uploads do not
 * follow; a HeadBucket first aims the client.)
 *
 * Keys are UTF-8 and sent URI-encoded once ('/' kept).  Bodies are read
 * from a file range, so every attempt and every part re-reads the file
 * rather than holding it in memory.
 */
#ifndef ACCEL_S3_H
#define ACCEL_S3_H

#include <sys/types.h>

#include "aws.h"

#define S3_MAX_KEY 1024			/* bytes of UTF-8, as S3 allows */
#define S3_MAX_ETAG 128
#define S3_MIN_PART ((size_t)5 << 20)	/* every part but the last */
#define S3_MAX_PART ((size_t)5 << 30)
#define S3_MAX_PARTS 10000
#define S3_MAX_PUT ((off_t)5 << 30)	/* single PutObject */
#define S3_MAX_THREADS 16
#define S3_DEFAULT_PART ((size_t)8 << 20)	/* aws-cli multipart_chunksize */
#define S3_DEFAULT_THRESHOLD ((off_t)8 << 20)	/* multipart_threshold */
#define S3_DEFAULT_THREADS 4
#define S3_MAX_EXTRA 8			/* headers a caller adds to a write */
#define S3_META_SHA256 "x-amz-meta-sha256"	/* hex SHA-256 of the bytes,
						   as accel-submit records it */

/* Bucket names as S3 accepts them today: 3-63 of [a-z0-9.-]. */
int s3_bucket_name_ok(const char *bucket);

struct s3_object {
	long long size;
	char etag[S3_MAX_ETAG];		/* as sent, with its quotes */
	char sha256[65];		/* S3_META_SHA256, "" when absent */
};

/*
 * s3_head_bucket: 0 when BUCKET exists and is ours to use; REGION (may be
 * NULL) gets x-amz-bucket-region when the answer has it, also on failure
 * (a 301 names the bucket's region).
 */
int s3_head_bucket(struct aws_client *c, const char *bucket,
    char region[ENDPOINT_MAX_REGION], struct aws_error *e);

/*
 * s3_head_bucket_owner: the same with ExpectedBucketOwner (OWNER, an
 * account id; NULL: none), as the SageMaker SDK checks the default bucket:
 * a bucket of another account answers 403.
 */
int s3_head_bucket_owner(struct aws_client *c, const char *bucket,
    const char *owner, char region[ENDPOINT_MAX_REGION],
    struct aws_error *e);

/* CreateBucket in the client's region; BucketAlreadyOwnedByYou is 0. */
int s3_create_bucket(struct aws_client *c, const char *bucket,
    struct aws_error *e);

int s3_head_object(struct aws_client *c, const char *bucket, const char *key,
    struct s3_object *out, struct aws_error *e);

/* PutObject of LEN bytes of FD at OFF; ETAG (may be NULL) gets the ETag. */
int s3_put_object(struct aws_client *c, const char *bucket, const char *key,
    int fd, off_t off, off_t len, char etag[S3_MAX_ETAG],
    struct aws_error *e);

struct s3_upload_opts {
	size_t part_size;		/* 0: S3_DEFAULT_PART (grown to fit) */
	off_t threshold;		/* 0: S3_DEFAULT_THRESHOLD */
	int threads;			/* 0: S3_DEFAULT_THREADS */
	const char *expected_owner;	/* x-amz-expected-bucket-owner on
					   every request; NULL: none */
	const char *headers[S3_MAX_EXTRA];	/* "Name: value", signed, on
					   PutObject or CreateMultipartUpload:
					   x-amz-meta-*, server-side
					   encryption */
	size_t nheaders;
};

/* s3_put_object with the expected owner and headers of OPTS (may be NULL). */
int s3_put_object_opts(struct aws_client *c, const char *bucket,
    const char *key, int fd, off_t off, off_t len,
    const struct s3_upload_opts *opts, char etag[S3_MAX_ETAG],
    struct aws_error *e);

/*
 * s3_upload: SIZE bytes of FD as BUCKET/KEY: one PutObject below the
 * threshold, else a multipart upload with parts sent in parallel (a
 * client per thread) and aborted when any part fails.  OPTS may be NULL.
 */
int s3_upload(struct aws_client *c, const char *bucket, const char *key,
    int fd, off_t size, const struct s3_upload_opts *opts,
    char etag[S3_MAX_ETAG], struct aws_error *e);

/*
 * s3_get_object: the object, or bytes FIRST..LAST (inclusive; LAST -1: to
 * the end; FIRST -1: the whole object), written to OUT_FD from OUT_OFFSET.
 * IF_MATCH (may be NULL): an ETag as HeadObject gave it; when the object
 * has another one now, S3 answers 412 PreconditionFailed and nothing is
 * written, so ranges of one download never mix two versions.  *BYTES (may
 * be NULL) gets the count written.
 */
int s3_get_object(struct aws_client *c, const char *bucket, const char *key,
    long long first, long long last, const char *if_match, int out_fd,
    off_t out_offset, long long *bytes, struct aws_error *e);

#endif
