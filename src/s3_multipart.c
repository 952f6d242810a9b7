/*
 * s3_multipart.c - s3_upload: a PutObject for small files, else a
 * multipart upload whose parts go up in parallel, each thread with its own
 * client (connection, retry quota), taking the next part number from a
 * shared counter.  The first failure stops the others, and the upload is
 * aborted so no parts are left behind to be billed.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3.h"
#include "util.h"

#define S3_MAX_COMPLETE_BODY (S3_MAX_PARTS * (S3_MAX_ETAG + 64) + 256)
#define S3_MAX_UPLOAD_ID 1024

struct upload {
	struct aws_client *base;	/* settings to clone per thread */
	const char *bucket, *key;
	char path[3 * S3_MAX_KEY + ENDPOINT_MAX_PATH + 80];
	char host[ENDPOINT_MAX_HOST];
	struct buf upload_id;		/* URI-encoded for the query */
	const struct s3_upload_opts *opts;	/* may be NULL */
	char owner[96];			/* x-amz-expected-bucket-owner, or "" */
	int fd;
	off_t size;
	size_t part_size;
	int nparts;
	char (*etags)[S3_MAX_ETAG];
	pthread_mutex_t lock;		/* guards next, failed, error */
	int next;
	int failed;
	struct aws_error error;
};

static int
local_error(struct aws_client *c, const char *op, const char *code,
    const char *msg, struct aws_error *e)
{
	return aws_local_error(e, endpoint_service_title(c->ep.service), op,
	    code, msg);
}

/* The part size: at least the asked one, large enough for 10,000 parts. */
static size_t
part_size_for(off_t size, size_t want)
{
	size_t part = want ? want : S3_DEFAULT_PART;

	if (part < S3_MIN_PART)
		part = S3_MIN_PART;
	while ((off_t)part * S3_MAX_PARTS < size && part < S3_MAX_PART)
		part *= 2;
	return part;
}

static int
send_op(struct aws_client *c, struct upload *u, struct aws_request *req,
    const char *query, struct http_response *resp, struct aws_error *e)
{
	req->host = u->host;
	req->path = u->path;
	req->query = query;
	req->s3 = 1;
	if (u->owner[0] != '\0')
		req->headers[req->nheaders++] = u->owner;
	if (req->max_body == 0)
		req->max_body = AWS_MAX_ERROR_BODY;
	return aws_call(c, req, resp, e);
}

static int
create_upload(struct aws_client *c, struct upload *u, struct aws_error *e)
{
	struct aws_request req = { .operation = "CreateMultipartUpload",
	    .method = "POST" };
	struct http_response resp;
	struct xml_node *doc = NULL;
	const char *id = NULL;
	char err[128];
	int rc;

	for (size_t i = 0; u->opts != NULL && i < u->opts->nheaders &&
	    i < S3_MAX_EXTRA; i++)
		req.headers[req.nheaders++] = u->opts->headers[i];
	rc = send_op(c, u, &req, "uploads=", &resp, e);
	if (rc == 0) {
		doc = xml_parse(resp.body.data, resp.body.len, err, sizeof err);
		id = doc ? xml_text(doc, "UploadId") : NULL;
		if (id == NULL || *id == '\0' || strlen(id) > S3_MAX_UPLOAD_ID ||
		    buf_puts(&u->upload_id, "uploadId=") == -1 ||
		    sigv4_uri_encode(&u->upload_id, id, strlen(id), 0) == -1)
			rc = local_error(c, req.operation, "InvalidResponse",
			    "the answer has no UploadId", e);
	}
	xml_free(doc);
	http_response_free(&resp);
	return rc;
}

static int
upload_part(struct aws_client *c, struct upload *u, int n,
    struct aws_error *e)
{
	off_t off = (off_t)(n - 1) * (off_t)u->part_size;
	off_t len = u->size - off < (off_t)u->part_size ? u->size - off :
	    (off_t)u->part_size;
	struct aws_request req = { .operation = "UploadPart", .method = "PUT",
	    .body_fd = u->fd, .body_offset = off, .body_len = (size_t)len };
	struct http_response resp;
	char query[S3_MAX_UPLOAD_ID * 3 + 64];
	const char *etag;
	int rc;

	/* Canonical order: partNumber sorts before uploadId. */
	snprintf(query, sizeof query, "partNumber=%d&%s", n,
	    u->upload_id.data);
	rc = send_op(c, u, &req, query, &resp, e);
	etag = http_header(&resp, "etag");
	if (rc == 0 && (etag == NULL || strlen(etag) >= S3_MAX_ETAG))
		rc = local_error(c, req.operation, "InvalidResponse",
		    "the answer has no ETag", e);
	if (rc == 0)
		snprintf(u->etags[n - 1], S3_MAX_ETAG, "%s", etag);
	http_response_free(&resp);
	return rc;
}

/* The next part to send, or 0 when done or another thread failed. */
static int
take_part(struct upload *u)
{
	int n = 0;

	pthread_mutex_lock(&u->lock);
	if (!u->failed && u->next <= u->nparts)
		n = u->next++;
	pthread_mutex_unlock(&u->lock);
	return n;
}

static void
record_failure(struct upload *u, const struct aws_error *e)
{
	pthread_mutex_lock(&u->lock);
	if (!u->failed) {
		u->failed = 1;
		u->error = *e;
	}
	pthread_mutex_unlock(&u->lock);
}

static void *
part_worker(void *arg)
{
	struct upload *u = arg;
	struct aws_client c;
	struct aws_error e;
	int n;

	if (aws_client_clone(&c, u->base) == -1) {
		local_error(u->base, "UploadPart", "OutOfMemory",
		    "cannot start an HTTP client", &e);
		record_failure(u, &e);
		return NULL;
	}
	while ((n = take_part(u)) > 0)
		if (upload_part(&c, u, n, &e) == -1) {
			record_failure(u, &e);
			break;
		}
	aws_client_free(&c);
	return NULL;
}

static int
send_parts(struct upload *u, int threads)
{
	pthread_t tid[S3_MAX_THREADS];
	int started = 0;

	if (threads > u->nparts)
		threads = u->nparts;
	for (; started < threads; started++)
		if (pthread_create(&tid[started], NULL, part_worker, u) != 0)
			break;
	if (started == 0)
		part_worker(u);		/* no threads: do it here */
	for (int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	return u->failed ? -1 : 0;
}

static int
complete_body(struct upload *u, struct buf *b)
{
	if (buf_puts(b, "<CompleteMultipartUpload xmlns=\"http://s3."
	    "amazonaws.com/doc/2006-03-01/\">") == -1)
		return -1;
	for (int i = 0; i < u->nparts; i++)
		if (buf_printf(b, "<Part><ETag>%s</ETag><PartNumber>%d"
		    "</PartNumber></Part>", u->etags[i], i + 1) == -1)
			return -1;
	return buf_puts(b, "</CompleteMultipartUpload>");
}

static int
complete_upload(struct aws_client *c, struct upload *u,
    char etag[S3_MAX_ETAG], struct aws_error *e)
{
	struct aws_request req = { .operation = "CompleteMultipartUpload",
	    .method = "POST", .error_in_200 = 1 };
	struct http_response resp;
	struct xml_node *doc;
	struct buf body;
	char err[128];
	const char *tag;
	int rc;

	buf_init(&body, S3_MAX_COMPLETE_BODY);
	if (complete_body(u, &body) == -1)
		return local_error(c, req.operation, "OutOfMemory", "", e);
	req.body = body.data;
	req.body_len = body.len;
	rc = send_op(c, u, &req, u->upload_id.data, &resp, e);
	buf_free(&body);
	if (rc == 0 && etag != NULL) {
		doc = xml_parse(resp.body.data, resp.body.len, err, sizeof err);
		tag = doc ? xml_text(doc, "ETag") : NULL;
		snprintf(etag, S3_MAX_ETAG, "%s", tag ? tag : "");
		xml_free(doc);
	}
	http_response_free(&resp);
	return rc;
}

/* AbortMultipartUpload; its own failure is reported, the first one kept. */
static void
abort_upload(struct aws_client *c, struct upload *u)
{
	struct aws_request req = { .operation = "AbortMultipartUpload",
	    .method = "DELETE" };
	struct http_response resp;
	struct aws_error e;

	if (send_op(c, u, &req, u->upload_id.data, &resp, &e) == -1)
		aws_error_report(&e);
	http_response_free(&resp);
}

static int
upload_init(struct aws_client *c, struct upload *u, const char *bucket,
    const char *key, int fd, off_t size, size_t part_size,
    struct aws_error *e)
{
	memset(u, 0, sizeof *u);
	u->base = c;
	u->bucket = bucket;
	u->key = key;
	u->fd = fd;
	u->size = size;
	u->part_size = part_size;
	u->nparts = (int)((size + (off_t)part_size - 1) / (off_t)part_size);
	u->next = 1;
	buf_init(&u->upload_id, 4 * S3_MAX_UPLOAD_ID);
	if (u->nparts > S3_MAX_PARTS)
		return local_error(c, "CreateMultipartUpload", "EntityTooLarge",
		    "more than 10,000 parts", e);
	u->etags = calloc((size_t)u->nparts, sizeof *u->etags);
	if (u->etags == NULL)
		return local_error(c, "CreateMultipartUpload", "OutOfMemory",
		    "", e);
	pthread_mutex_init(&u->lock, NULL);
	return 0;
}

static void
upload_free(struct upload *u)
{
	free(u->etags);
	buf_free(&u->upload_id);
	pthread_mutex_destroy(&u->lock);
}

/* Host and path of BUCKET/KEY. */
static int
upload_target(struct aws_client *c, struct upload *u, struct aws_error *e)
{
	char base[ENDPOINT_MAX_PATH + 80];
	struct buf path;

	buf_init(&path, sizeof u->path - 1);
	if (endpoint_s3_addressing(&c->ep, u->bucket, u->host, base,
	    sizeof base) == -1 || buf_puts(&path, base) == -1 ||
	    buf_putc(&path, '/') == -1 ||
	    sigv4_uri_encode(&path, u->key, strlen(u->key), 1) == -1)
		return local_error(c, "CreateMultipartUpload", "InvalidRequest",
		    "name too long", e);
	memcpy(u->path, path.data, path.len + 1);
	buf_free(&path);
	return 0;
}

int
s3_upload(struct aws_client *c, const char *bucket, const char *key,
    int fd, off_t size, const struct s3_upload_opts *opts,
    char etag[S3_MAX_ETAG], struct aws_error *e)
{
	off_t threshold = opts && opts->threshold ? opts->threshold :
	    S3_DEFAULT_THRESHOLD;
	int threads = opts && opts->threads ? opts->threads :
	    S3_DEFAULT_THREADS;
	struct upload u;
	int rc;

	if (size < threshold)
		return s3_put_object_opts(c, bucket, key, fd, 0, size, opts,
		    etag, e);
	if (threads > S3_MAX_THREADS)
		threads = S3_MAX_THREADS;
	if (!s3_bucket_name_ok(bucket))
		return local_error(c, "CreateMultipartUpload",
		    "InvalidBucketName", "bad bucket name", e);
	if (strlen(key) > S3_MAX_KEY || key[0] == '\0')
		return local_error(c, "CreateMultipartUpload", "KeyTooLongError",
		    "keys are 1 to 1024 bytes", e);
	if (upload_init(c, &u, bucket, key, fd, size, part_size_for(size,
	    opts ? opts->part_size : 0), e) == -1)
		return -1;
	u.opts = opts;
	rc = upload_target(c, &u, e);
	if (rc == 0 && opts != NULL && opts->expected_owner != NULL &&
	    xsnprintf(u.owner, sizeof u.owner, "x-amz-expected-bucket-owner: "
	    "%s", opts->expected_owner) == -1)
		rc = local_error(c, "CreateMultipartUpload", "InvalidRequest",
		    "bad expected bucket owner", e);
	if (rc == 0)
		rc = create_upload(c, &u, e);
	if (rc == 0) {
		rc = send_parts(&u, threads);
		if (rc == 0)
			rc = complete_upload(c, &u, etag, e);
		else
			*e = u.error;
		if (rc == -1)
			abort_upload(c, &u);
	}
	upload_free(&u);
	return rc;
}
