/*
 * sigv4.h - AWS Signature Version 4, pure: no I/O, no clock, no globals.
 * The caller passes the time (X-Amz-Date form) and the credentials; the
 * signer returns the canonical request, the string to sign, the signature and
 * the headers or query parameters to add.  Rules: ../shared/reference/
 * aws-protocols.md section 2; checked against the AWS SigV4 test suite and
 * botocore.
 *
 * Limits: SIGV4_MAX_HEADERS headers, SIGV4_MAX_QUERY_PARAMS query
 * parameters, SIGV4_MAX_TEXT bytes of canonical text.
 *
 * Headers the request already carries are signed as they are: an
 * X-Amz-Date (it must equal params->amz_date), X-Amz-Security-Token or
 * x-amz-content-sha256 in the request is not added a second time.  The
 * payload hash is the value of the request's x-amz-content-sha256 header
 * (e.g. UNSIGNED-PAYLOAD), else UNSIGNED-PAYLOAD for an S3 presigned URL,
 * else the SHA-256 of the body.  Headers botocore never signs
 * (user-agent, expect, connection, ...: aws-protocols.md 2.4) stay unsigned.
 */
#ifndef ACCEL_SIGV4_H
#define ACCEL_SIGV4_H

#include <stddef.h>

#include "util.h"

#define SIGV4_MAX_HEADERS 64
#define SIGV4_MAX_TEXT (1 << 20)
#define SIGV4_MAX_QUERY_PARAMS 256	/* curl caps them too (8.14.0) */
#define SIGV4_MAX_EXPIRES 604800	/* a week: the longest presigned URL */
#define SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"

struct sigv4_creds {
	const char *access_key;
	const char *secret_key;		/* wiped by the caller after use */
	const char *session_token;	/* NULL for long-term keys */
};

struct sigv4_header {
	const char *name;		/* as sent; matched case-insensitively */
	const char *value;		/* raw value as sent (may be multi-line) */
};

struct sigv4_request {
	const char *method;
	const char *path;		/* the path as sent on the wire */
	const char *query;		/* raw query after '?', "" when none */
	const struct sigv4_header *headers;	/* must include Host */
	size_t nheaders;
	const void *body;		/* hashed when no x-amz-content-sha256 */
	size_t body_len;
};

struct sigv4_params {
	const char *region;
	const char *service;		/* signing name: s3, sagemaker, logs, sts, iam */
	const char *amz_date;		/* YYYYMMDDTHHMMSSZ, the caller's clock */
	int s3;				/* S3 rules: encode the path once, no normalising */
	int sign_body;			/* add and sign x-amz-content-sha256 */
	long presign_expires;		/* > 0: sign in the query (presigned URL) */
	int no_normalize;		/* others: keep '.', '..', '//' (test suite) */
};

/*
 * The derived signing key, cached by the caller per access key, date,
 * region and service (one cache per thread; wipe it with sigv4_cache_wipe).
 */
struct sigv4_key_cache {
	char scope[256];		/* AKID/YYYYMMDD/region/service */
	unsigned char key[32];
	int valid;
};

/* What sigv4_sign adds; the caller adds these headers to the request. */
struct sigv4_result {
	struct buf canonical;		/* canonical request */
	struct buf string_to_sign;
	char signature[65];		/* lower-case hex */
	struct buf authorization;	/* Authorization value (header mode) */
	struct buf query;		/* full signed query string (presign mode) */
	char amz_date[17];		/* X-Amz-Date to send, "" if the request has it */
	char content_sha256[65];	/* x-amz-content-sha256 to send, "" if none */
	const char *security_token;	/* X-Amz-Security-Token to send, or NULL */
};

/*
 * sigv4_sign: sign REQ.  CACHE may be NULL.  Returns 0, or -1 with a reason
 * in ERR (ERRLEN bytes).  sigv4_result_free wipes and frees the result.
 */
int sigv4_sign(const struct sigv4_params *params,
    const struct sigv4_creds *creds, const struct sigv4_request *req,
    struct sigv4_key_cache *cache, struct sigv4_result *out,
    char *err, size_t errlen);
void sigv4_result_free(struct sigv4_result *out);
void sigv4_cache_wipe(struct sigv4_key_cache *cache);

/* URI-encode LEN bytes of S (RFC 3986 unreserved kept; '/' kept if KEEP_SLASH). */
int sigv4_uri_encode(struct buf *out, const char *s, size_t len, int keep_slash);

/*
 * Percent-decode LEN bytes of S, as urllib.parse.unquote does for ASCII: a
 * '%' without two hex digits stays as it is.
 */
int sigv4_uri_decode(struct buf *out, const char *s, size_t len);

#endif
