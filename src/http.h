/*
 * http.h - one HTTP exchange at a time over a reused connection.  The only
 * user of libcurl is http.c.  TLS verification is always on; AWS_CA_BUNDLE
 * and the proxy variables libcurl reads are honoured.  No retries here: the
 * caller (aws.c) decides, re-signs and calls http_send again, which is why
 * request bodies are replayable (memory, or a file range).
 *
 * Limits: HTTP_MAX_HEADERS response headers, HTTP_MAX_HEADER_BYTES bytes of
 * them; the response body cap is per request (max_body, HTTP_DEFAULT_MAX_BODY
 * when 0).  Redirects are not followed: S3 region redirects are the caller's.
 * The URL's path is sent as it is (no dot-segment removal): it is what
 * was signed, and S3 keys may hold "." and ".." segments.
 */
#ifndef ACCEL_HTTP_H
#define ACCEL_HTTP_H

#include <stddef.h>
#include <sys/types.h>

#include "util.h"

#define HTTP_MAX_HEADERS 100
#define HTTP_MAX_HEADER_BYTES (64 * 1024)
#define HTTP_DEFAULT_MAX_BODY (16 << 20)	/* responses we parse: JSON, XML */
#define HTTP_CONNECT_TIMEOUT_MS 10000	/* botocore: 60 s; we fail sooner */
#define HTTP_LOW_SPEED_SECONDS 60	/* under 1 byte/s this long: timeout */

/* Transport failures, so the retry policy can classify them. */
enum http_error {
	HTTP_OK = 0,
	HTTP_ERR_CONNECT,	/* refused, DNS, unreachable: retryable */
	HTTP_ERR_TIMEOUT,	/* connect or low-speed timeout: retryable */
	HTTP_ERR_RESET,		/* reset or truncated mid-exchange: retryable */
	HTTP_ERR_TLS,		/* certificate or handshake: not retryable */
	HTTP_ERR_TOOBIG,	/* body over max_body: not retryable */
	HTTP_ERR_OTHER		/* anything else: not retryable */
};

/*
 * A zero-initialised request is a GET without body whose response stays in
 * memory; fd 0 is never used as an output.
 */
struct http_request {
	const char *method;		/* NULL: GET */
	const char *url;
	const char *const *headers;	/* "Name: value" lines */
	size_t nheaders;
	const void *body;		/* in memory, or when NULL ... */
	size_t body_len;		/* (0 with a NULL body: no body) */
	int body_fd;			/* ... body_len bytes of body_fd at */
	off_t body_offset;		/* body_offset, read with pread */
	int out_fd;			/* > 0: a 2xx body goes to this fd, */
	off_t out_offset;		/* written with pwrite from here, so a
					   retry rewrites the same bytes */
	size_t max_body;		/* cap of a body kept in memory */
	int fresh_connection;		/* a retry: no reused connection, so
					   libcurl's own resend of a request
					   on a dead reused one cannot add
					   an attempt the caller never made */
};

struct http_response {
	long status;
	struct buf body;		/* the body, unless it went to out_fd */
	size_t body_bytes;		/* bytes received (memory or fd) */
	char **headers;			/* "name: value", names lower-cased */
	size_t nheaders;
};

struct http_client;

/* http_client_new: settings from the environment.  NULL on failure. */
struct http_client *http_client_new(void);
void http_client_free(struct http_client *c);

/* Override the timeouts (IMDS wants 1 s; tests want short ones). */
void http_client_set_timeouts(struct http_client *c, long connect_ms,
    long low_speed_seconds);

/* Retryable transport failure (connect, timeout, reset)? */
int http_error_retryable(enum http_error e);

/*
 * http_send: one attempt.  Returns HTTP_OK when a response arrived (any
 * status), else the class of the transport failure, with a one-line reason
 * in ERR.  RESP is always safe to pass to http_response_free.
 */
enum http_error http_send(struct http_client *c, const struct http_request *req,
    struct http_response *resp, char *err, size_t errlen);

/* The value of header NAME (case-insensitive), or NULL. */
const char *http_header(const struct http_response *resp, const char *name);
void http_response_free(struct http_response *resp);

#endif
