/* s3.c - bucket and object operations over aws_call; see s3.h. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3.h"
#include "util.h"

#define S3_MAX_PATH (ENDPOINT_MAX_PATH + 64 + 3 * S3_MAX_KEY)

/* Where a bucket or object request goes: Host and the encoded path. */
struct s3_target {
	const char *bucket, *key;	/* key NULL: a bucket request */
	char host[ENDPOINT_MAX_HOST];
	struct buf path;
};

static int
local_error(struct aws_client *c, const char *op, const char *code,
    const char *msg, struct aws_error *e)
{
	return aws_local_error(e, endpoint_service_title(c->ep.service), op,
	    code, msg);
}

/* Bucket names as S3 accepts them today: 3-63 of [a-z0-9.-]. */
int
s3_bucket_name_ok(const char *b)
{
	size_t n = strlen(b);

	if (n < 3 || n > 63)
		return 0;
	return strspn(b, "abcdefghijklmnopqrstuvwxyz0123456789.-") == n;
}

static int
target(struct aws_client *c, const char *op, const char *bucket,
    const char *key, struct s3_target *t, struct aws_error *e)
{
	char base[ENDPOINT_MAX_PATH + 80];

	t->bucket = bucket;
	t->key = key;
	buf_init(&t->path, S3_MAX_PATH);
	if (!s3_bucket_name_ok(bucket))
		return local_error(c, op, "InvalidBucketName",
		    "bucket names are 3 to 63 characters of a-z, 0-9, '.' "
		    "and '-'", e);
	if (key != NULL && (key[0] == '\0' || strlen(key) > S3_MAX_KEY))
		return local_error(c, op, "KeyTooLongError",
		    "keys are 1 to 1024 bytes", e);
	if (endpoint_s3_addressing(&c->ep, bucket, t->host, base,
	    sizeof base) == -1 || buf_puts(&t->path, base) == -1)
		return local_error(c, op, "InvalidRequest", "name too long", e);
	if (key == NULL)
		return t->path.len == 0 && buf_putc(&t->path, '/') == -1 ?
		    local_error(c, op, "OutOfMemory", "", e) : 0;
	if (buf_putc(&t->path, '/') == -1 ||
	    sigv4_uri_encode(&t->path, key, strlen(key), 1) == -1) {
		buf_free(&t->path);
		return local_error(c, op, "OutOfMemory", "", e);
	}
	return 0;
}

/*
 * The bucket is in another region (botocore's S3RegionRedirectorv2): a
 * redirect status, PermanentRedirect, AuthorizationHeaderMalformed naming
 * the region, or a bodiless 301/400 to a HEAD.  When the answer names the
 * region, the client is re-aimed there: the regional host on AWS, the same
 * URL signed for the new region on a custom endpoint.  1 when re-aimed.
 */
static int
reaim(struct aws_client *c, const struct aws_request *req,
    const struct aws_error *e)
{
	int head = req->method != NULL && strcmp(req->method, "HEAD") == 0;
	struct endpoint ep;
	char err[128];

	if (e->region[0] == '\0' || strcmp(e->region, c->ep.region) == 0)
		return 0;
	if (!(e->status == 301 || e->status == 302 || e->status == 307 ||
	    strcmp(e->code, "PermanentRedirect") == 0 ||
	    strcmp(e->code, "AuthorizationHeaderMalformed") == 0 ||
	    (head && e->status == 400)))
		return 0;
	if (c->ep.custom) {
		if (xsnprintf(c->ep.region, sizeof c->ep.region, "%s",
		    e->region) == -1)
			return 0;
		return 1;
	}
	if (endpoint_resolve(AWS_S3, e->region, NULL, NULL, &ep, err,
	    sizeof err) == -1)
		return 0;
	c->ep = ep;
	return 1;
}

/*
 * Send REQ to T (redirected once to the bucket's region if need be);
 * RESP is freed unless the caller wants it.
 */
static int
call(struct aws_client *c, struct aws_request *req, struct s3_target *t,
    struct http_response *keep, struct aws_error *e)
{
	struct http_response resp;
	int rc;

	req->host = t->host;
	req->path = t->path.data;
	req->s3 = 1;
	rc = aws_call(c, req, &resp, e);
	if (rc == -1 && reaim(c, req, e)) {
		if (c->verbose)
			accel_warn("S3 %s: bucket %s is in %s; sending there",
			    req->operation, t->bucket, c->ep.region);
		http_response_free(&resp);
		buf_free(&t->path);
		if (target(c, req->operation, t->bucket, t->key, t, e) == -1) {
			memset(&resp, 0, sizeof resp);
			rc = -1;
		} else {
			req->host = t->host;
			req->path = t->path.data;
			rc = aws_call(c, req, &resp, e);
		}
	}
	buf_free(&t->path);
	if (keep != NULL)
		*keep = resp;
	else
		http_response_free(&resp);
	return rc;
}

static void
copy_header(const struct http_response *resp, const char *name, char *dst,
    size_t len)
{
	const char *v = http_header(resp, name);

	if (v != NULL && dst != NULL)
		snprintf(dst, len, "%s", v);
}

/* "x-amz-expected-bucket-owner: OWNER" into H; 0, or -1 when too long. */
static int
owner_header(const char *owner, char *h, size_t len)
{
	return xsnprintf(h, len, "x-amz-expected-bucket-owner: %s", owner);
}

int
s3_head_bucket(struct aws_client *c, const char *bucket,
    char region[ENDPOINT_MAX_REGION], struct aws_error *e)
{
	return s3_head_bucket_owner(c, bucket, NULL, region, e);
}

int
s3_head_bucket_owner(struct aws_client *c, const char *bucket,
    const char *owner, char region[ENDPOINT_MAX_REGION],
    struct aws_error *e)
{
	struct aws_request req = { .operation = "HeadBucket", .method = "HEAD",
	    .max_body = AWS_MAX_ERROR_BODY };
	struct http_response resp;
	struct s3_target t;
	char owner_h[96];
	int rc;

	if (region != NULL)
		region[0] = '\0';
	if (owner != NULL) {
		if (owner_header(owner, owner_h, sizeof owner_h) == -1)
			return local_error(c, req.operation, "InvalidRequest",
			    "bad expected bucket owner", e);
		req.headers[req.nheaders++] = owner_h;
	}
	if (target(c, req.operation, bucket, NULL, &t, e) == -1)
		return -1;
	rc = call(c, &req, &t, &resp, e);
	copy_header(&resp, "x-amz-bucket-region", region, ENDPOINT_MAX_REGION);
	http_response_free(&resp);
	return rc;
}

int
s3_create_bucket(struct aws_client *c, const char *bucket,
    struct aws_error *e)
{
	struct aws_request req = { .operation = "CreateBucket", .method = "PUT",
	    .max_body = AWS_MAX_ERROR_BODY };
	struct s3_target t;
	struct buf body;
	int rc;

	buf_init(&body, 1024);
	if (target(c, req.operation, bucket, NULL, &t, e) == -1)
		return -1;
	/* us-east-1 takes no configuration; every other region must. */
	if (strcmp(c->ep.region, "us-east-1") != 0) {
		if (buf_printf(&body, "<CreateBucketConfiguration xmlns=\""
		    "http://s3.amazonaws.com/doc/2006-03-01/\"><Location"
		    "Constraint>%s</LocationConstraint></CreateBucket"
		    "Configuration>", c->ep.region) == -1) {
			buf_free(&t.path);
			return local_error(c, req.operation, "OutOfMemory", "",
			    e);
		}
		req.body = body.data;
		req.body_len = body.len;
	}
	rc = call(c, &req, &t, NULL, e);
	buf_free(&body);
	if (rc == -1 && strcmp(e->code, "BucketAlreadyOwnedByYou") == 0)
		return 0;
	return rc;
}

int
s3_head_object(struct aws_client *c, const char *bucket, const char *key,
    struct s3_object *out, struct aws_error *e)
{
	struct aws_request req = { .operation = "HeadObject", .method = "HEAD",
	    .max_body = AWS_MAX_ERROR_BODY };
	struct http_response resp;
	struct s3_target t;
	const char *len;
	long n;

	memset(out, 0, sizeof *out);
	if (target(c, req.operation, bucket, key, &t, e) == -1)
		return -1;
	if (call(c, &req, &t, &resp, e) == -1) {
		http_response_free(&resp);
		return -1;
	}
	copy_header(&resp, "etag", out->etag, sizeof out->etag);
	copy_header(&resp, S3_META_SHA256, out->sha256, sizeof out->sha256);
	len = http_header(&resp, "content-length");
	out->size = len && parse_long(len, 0, LONG_MAX, &n) == 0 ? n : -1;
	http_response_free(&resp);
	return 0;
}

int
s3_put_object(struct aws_client *c, const char *bucket, const char *key,
    int fd, off_t off, off_t len, char etag[S3_MAX_ETAG],
    struct aws_error *e)
{
	return s3_put_object_opts(c, bucket, key, fd, off, len, NULL, etag, e);
}

int
s3_put_object_opts(struct aws_client *c, const char *bucket,
    const char *key, int fd, off_t off, off_t len,
    const struct s3_upload_opts *opts, char etag[S3_MAX_ETAG],
    struct aws_error *e)
{
	struct aws_request req = { .operation = "PutObject", .method = "PUT",
	    .body_fd = fd, .body_offset = off, .body_len = (size_t)len,
	    .max_body = AWS_MAX_ERROR_BODY };
	struct http_response resp;
	struct s3_target t;
	char owner_h[96];
	int rc;

	if (etag != NULL)
		etag[0] = '\0';
	if (len < 0 || len > S3_MAX_PUT)
		return local_error(c, req.operation, "EntityTooLarge",
		    "a single PutObject takes at most 5 GiB", e);
	if (opts != NULL && opts->expected_owner != NULL) {
		if (owner_header(opts->expected_owner, owner_h,
		    sizeof owner_h) == -1)
			return local_error(c, req.operation, "InvalidRequest",
			    "bad expected bucket owner", e);
		req.headers[req.nheaders++] = owner_h;
	}
	for (size_t i = 0; opts != NULL && i < opts->nheaders &&
	    i < S3_MAX_EXTRA; i++)
		req.headers[req.nheaders++] = opts->headers[i];
	if (target(c, req.operation, bucket, key, &t, e) == -1)
		return -1;
	rc = call(c, &req, &t, &resp, e);
	if (rc == 0)
		copy_header(&resp, "etag", etag, S3_MAX_ETAG);
	http_response_free(&resp);
	return rc;
}

int
s3_get_object(struct aws_client *c, const char *bucket, const char *key,
    long long first, long long last, const char *if_match, int out_fd,
    off_t out_offset, long long *bytes, struct aws_error *e)
{
	struct aws_request req = { .operation = "GetObject", .method = "GET",
	    .out_fd = out_fd, .out_offset = out_offset,
	    .max_body = AWS_MAX_ERROR_BODY };
	struct http_response resp;
	struct s3_target t;
	char range[80], match[S3_MAX_ETAG + 16];
	int rc;

	if (bytes != NULL)
		*bytes = 0;
	if (if_match != NULL) {
		if (xsnprintf(match, sizeof match, "If-Match: %s", if_match) ==
		    -1 || strpbrk(if_match, "\r\n") != NULL)
			return local_error(c, req.operation, "InvalidETag",
			    "bad ETag for If-Match", e);
		req.headers[req.nheaders++] = match;
	}
	if (out_fd <= 0 || (first >= 0 && last >= 0 && last < first))
		return local_error(c, req.operation, "InvalidRange",
		    "bad range or output", e);
	if (first >= 0) {
		if (last >= 0)
			snprintf(range, sizeof range, "Range: bytes=%lld-%lld",
			    first, last);
		else
			snprintf(range, sizeof range, "Range: bytes=%lld-",
			    first);
		req.headers[req.nheaders++] = range;
	}
	if (target(c, req.operation, bucket, key, &t, e) == -1)
		return -1;
	rc = call(c, &req, &t, &resp, e);
	if (rc == 0 && bytes != NULL)
		*bytes = (long long)resp.body_bytes;
	http_response_free(&resp);
	return rc;
}
