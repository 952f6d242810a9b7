/*
 * aws.h - one call to one AWS service: build the request, sign it (SigV4,
 * at the caller's clock), send it (http.c), classify the answer, retry in
 * the standard mode (retry.c), and turn a failure into a struct aws_error
 * whose text reads
 *
 *	SageMaker CreateTrainingJob: ValidationException: message (request id R)
 *
 * Protocols: AWS JSON 1.1 (SageMaker, CloudWatch Logs), query (STS, IAM)
 * and S3's REST-XML (s3.c builds its requests with aws_call).  Rules:
 * ../shared/reference/aws-protocols.md sections 3 to 7.
 *
 * A client is used by one thread at a time; parallel uploads make one
 * client per thread (each has its own connection and retry quota).
 */
#ifndef ACCEL_AWS_H
#define ACCEL_AWS_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "endpoint.h"
#include "http.h"
#include "retry.h"
#include "sigv4.h"
#include "xml.h"

#define AWS_MAX_JSON_RESPONSE (16 << 20)	/* JSON and XML we parse */
#define AWS_MAX_ERROR_BODY (1 << 20)		/* error documents */
#define AWS_MAX_HEADERS 32			/* extra headers per request */

/*
 * Where credentials come from (creds.c implements the provider chain).
 * get fills OUT with strings that stay valid until the next get or until
 * the provider is freed; aws.c uses them for one attempt and keeps no copy.
 * Returns 0, or -1 with a reason in ERR.  A NULL get: unsigned requests.
 */
struct aws_creds_provider {
	int (*get)(void *ctx, struct sigv4_creds *out, char *err,
	    size_t errlen);
	void *ctx;
};

struct aws_client {
	struct endpoint ep;
	struct http_client *http;
	struct aws_creds_provider creds;
	struct retry_policy retry;
	struct retry_quota quota;
	struct sigv4_key_cache key_cache;
	time_t (*clock)(void *ctx);	/* NULL: time(); read per attempt */
	void *clock_ctx;
	void (*sleep_ms)(void *ctx, long ms);	/* NULL: nanosleep */
	void *sleep_ctx;
	int verbose;			/* each attempt to stderr */
	long attempts;			/* totals over the client's life */
	long retries;
};

/* What went wrong.  status 0 with transport set: no answer arrived. */
struct aws_error {
	const char *service;		/* "SageMaker" */
	const char *operation;		/* "CreateTrainingJob" */
	long status;
	enum http_error transport;
	char code[128];
	char message[512];
	char request_id[128];
	char region[ENDPOINT_MAX_REGION];	/* S3: the bucket's region */
	int attempts;
	int retryable;			/* the last failure was transient */
};

struct aws_request {
	const char *operation;		/* for messages and X-Amz-Target */
	const char *method;		/* "POST" when NULL */
	const char *host;		/* NULL: the endpoint's host */
	const char *path;		/* as sent, URI-encoded; NULL: "/" */
	const char *query;		/* as sent, URI-encoded; NULL: none */
	const char *headers[AWS_MAX_HEADERS];	/* "Name: value", signed */
	size_t nheaders;
	const void *body;		/* memory body, or when NULL ... */
	size_t body_len;
	int body_fd;			/* ... body_len bytes of this fd */
	off_t body_offset;
	int out_fd;			/* > 0: a 2xx body goes here */
	off_t out_offset;
	size_t max_body;		/* 0: AWS_MAX_JSON_RESPONSE */
	int s3;				/* S3 signing rules and payload hash */
	int unsigned_call;		/* no Authorization (web identity) */
	int error_in_200;		/* S3 Complete: 200 with <Error> fails */
};

/*
 * aws_client_init: the client for SERVICE in REGION.  ENDPOINT_URL and
 * CONFIG as for endpoint_resolve; CREDS may be NULL (unsigned).  Reads the
 * retry settings from the environment.  Returns 0 or -1 with ERR.
 */
int aws_client_init(struct aws_client *c, enum aws_service service,
    const char *region, const char *endpoint_url,
    const struct endpoint_config *config,
    const struct aws_creds_provider *creds, char *err, size_t errlen);
void aws_client_free(struct aws_client *c);

/*
 * aws_client_clone: a client with SRC's endpoint, credentials, policy,
 * clock and verbosity, its own connection and a fresh retry quota, for
 * another thread.  The credential provider must then be thread-safe.
 */
int aws_client_clone(struct aws_client *dst, const struct aws_client *src);

/*
 * aws_call: send REQ with retries.  Returns 0 with a 2xx RESP, or -1 with
 * E filled (RESP then holds the last answer, if any).  RESP is always safe
 * to pass to http_response_free.
 */
int aws_call(struct aws_client *c, const struct aws_request *req,
    struct http_response *resp, struct aws_error *e);

/*
 * aws_json_call: a JSON 1.1 operation; INPUT NULL sends {}.  *OUTPUT is
 * the parsed answer (cJSON_Delete it).  Returns 0 or -1 with E.
 */
int aws_json_call(struct aws_client *c, const char *operation,
    const cJSON *input, cJSON **output, struct aws_error *e);

/* A query-protocol parameter; a NULL value is left out. */
struct aws_param {
	const char *name;
	const char *value;
};

/*
 * aws_query_call: a query-protocol operation (Action=OP&Version=...&
 * PARAMS, form-encoded, sorted as given).  *OUTPUT is the XML document.
 * UNSIGNED_CALL for AssumeRoleWithWebIdentity.  Returns 0 or -1 with E.
 */
int aws_query_call(struct aws_client *c, const char *operation,
    const struct aws_param *params, size_t nparams, int unsigned_call,
    struct xml_node **output, struct aws_error *e);

/*
 * Error parsing, exposed for tests and fuzzing.  From a non-2xx answer:
 * the code, message and request id of a JSON 1.1 error (x-amzn-ErrorType
 * header, __type or code, "prefix#Code:uri" trimmed), an XML <Error> or
 * <ErrorResponse>, or, with no body (HEAD), a code from the status.
 */
void aws_parse_error(const struct http_response *resp, struct aws_error *e);
void aws_parse_error_body(long status, const char *error_type_header,
    const char *request_id_header, const char *body, size_t len,
    struct aws_error *e);

/*
 * "Service Operation: Code: message (request id R)" into OUT, quoted
 * (quote_name): the code and message are the service's words.
 */
void aws_error_text(const struct aws_error *e, char *out, size_t outlen);

/*
 * aws_local_error: E describes a failure found before or without a
 * response (a bad argument, a malformed answer): SERVICE OPERATION: CODE:
 * MSG, not retryable.  Returns -1, for "return aws_local_error(...)".
 */
int aws_local_error(struct aws_error *e, const char *service,
    const char *operation, const char *code, const char *msg);

/* Print aws_error_text via accel_err; returns -1. */
int aws_error_report(const struct aws_error *e);

/* EXIT_TEMPFAIL when rerunning may succeed, else EXIT_NO. */
int aws_error_exit_status(const struct aws_error *e);

/* Form-encode S (a query value or name): RFC 3986 unreserved kept. */
int aws_form_encode(struct buf *out, const char *s);

#endif
