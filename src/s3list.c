/* s3list.c - ListObjectsV2, paged; see s3list.h. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3list.h"
#include "util.h"

#define S3_LIST_MAX_QUERY (3 * S3_MAX_KEY + 4096)

static int
local_error(const char *code, const char *msg, struct aws_error *e)
{
	return aws_local_error(e, "S3", "ListObjectsV2", code, msg);
}

static int
query(struct buf *q, const char *prefix, const char *token)
{
	if (token != NULL && (buf_puts(q, "continuation-token=") == -1 ||
	    sigv4_uri_encode(q, token, strlen(token), 0) == -1 ||
	    buf_putc(q, '&') == -1))
		return -1;
	if (buf_puts(q, "list-type=2&prefix=") == -1 ||
	    sigv4_uri_encode(q, prefix, strlen(prefix), 0) == -1)
		return -1;
	return 0;
}

int
s3_list_page(const struct xml_node *root, s3_list_fn fn, void *ctx, char *next,
    size_t nextlen)
{
	const struct xml_node *n;
	const char *key, *size, *etag, *trunc, *tok;
	long v;
	int rc;

	for (n = root->child; n != NULL; n = n->next) {
		if (strcmp(n->name, "Contents") != 0)
			continue;
		key = xml_text(n, "Key");
		size = xml_text(n, "Size");
		etag = xml_text(n, "ETag");
		if (key == NULL || size == NULL ||
		    parse_long(size, 0, LONG_MAX, &v) == -1)
			return -2;
		if ((rc = fn(ctx, key, v, etag ? etag : "")) != 0)
			return rc;
	}
	trunc = xml_text(root, "IsTruncated");
	tok = xml_text(root, "NextContinuationToken");
	next[0] = '\0';
	if (trunc != NULL && strcmp(trunc, "true") == 0) {
		if (tok == NULL || *tok == '\0' ||
		    xsnprintf(next, nextlen, "%s", tok) == -1)
			return -2;
	}
	return 0;
}

int
s3_list_objects(struct aws_client *c, const char *bucket,
    const char *prefix, s3_list_fn fn, void *ctx, struct aws_error *e)
{
	struct aws_request req = { .operation = "ListObjectsV2",
	    .method = "GET", .s3 = 1 };
	char host[ENDPOINT_MAX_HOST], path[ENDPOINT_MAX_PATH + 80];
	char next[1024] = "", err[128];
	struct http_response resp;
	struct xml_node *root;
	struct buf q;
	int pages, rc = 0;

	if (!s3_bucket_name_ok(bucket) || endpoint_s3_addressing(&c->ep,
	    bucket, host, path, sizeof path) == -1)
		return local_error("InvalidBucketName", bucket, e);
	req.host = host;
	req.path = path[0] != '\0' ? path : "/";
	for (pages = 0; rc == 0 && pages < S3_LIST_MAX_PAGES; pages++) {
		buf_init(&q, S3_LIST_MAX_QUERY);
		if (query(&q, prefix, next[0] ? next : NULL) == -1)
			return local_error("OutOfMemory", "", e);
		req.query = q.data;
		rc = aws_call(c, &req, &resp, e);
		buf_free(&q);
		if (rc == -1) {
			http_response_free(&resp);
			return -1;
		}
		root = xml_parse(resp.body.data, resp.body.len, err,
		    sizeof err);
		http_response_free(&resp);
		if (root == NULL)
			return local_error("MalformedXML", err, e);
		rc = s3_list_page(root, fn, ctx, next, sizeof next);
		xml_free(root);
		if (rc == -2)
			return local_error("MalformedXML", "a listing without "
			    "Key, Size or continuation token", e);
		if (rc == 0 && next[0] == '\0')
			return 0;
	}
	if (rc != 0)
		return rc;
	return local_error("TooManyKeys", "more pages than accel-fetch "
	    "lists", e);
}
