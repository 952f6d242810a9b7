/*
 * aws_proto.c - the JSON 1.1 and query protocols over aws_call: request
 * bodies and headers, and the parsed answers (aws-protocols.md 4 and 5).
 */
#include <stdio.h>
#include <string.h>

#include "aws.h"
#include "json.h"
#include "util.h"

#define AWS_MAX_REQUEST_BODY (8 << 20)	/* JSON or form body we send */

static const char *
target_prefix(enum aws_service service)
{
	switch (service) {
	case AWS_SAGEMAKER:
		return "SageMaker";
	case AWS_LOGS:
		return "Logs_20140328";
	default:
		return NULL;
	}
}

static const char *
query_version(enum aws_service service)
{
	switch (service) {
	case AWS_STS:
		return "2011-06-15";
	case AWS_IAM:
		return "2010-05-08";
	default:
		return NULL;
	}
}

static void
invalid_response(struct aws_error *e, long status, const char *what)
{
	e->status = status;
	e->retryable = 0;
	snprintf(e->code, sizeof e->code, "InvalidResponse");
	snprintf(e->message, sizeof e->message, "%s", what);
}

static int
local_error(struct aws_error *e, enum aws_service service,
    const char *operation, const char *msg)
{
	return aws_local_error(e, endpoint_service_title(service), operation,
	    "InvalidRequest", msg);
}

int
aws_json_call(struct aws_client *c, const char *operation,
    const cJSON *input, cJSON **output, struct aws_error *e)
{
	const char *prefix = target_prefix(c->ep.service);
	struct aws_request req = { .operation = operation };
	struct http_response resp;
	char target[160];
	struct buf body;
	int rc;

	*output = NULL;
	buf_init(&body, AWS_MAX_REQUEST_BODY);
	if (prefix == NULL || xsnprintf(target, sizeof target,
	    "X-Amz-Target: %s.%s", prefix, operation) == -1)
		return local_error(e, c->ep.service, operation,
		    "not a JSON 1.1 operation");
	if ((input ? json_dump(&body, input, JSON_COMPACT) :
	    buf_puts(&body, "{}")) == -1)
		return local_error(e, c->ep.service, operation,
		    "request body too large");
	req.headers[0] = "Content-Type: application/x-amz-json-1.1";
	req.headers[1] = target;
	req.nheaders = 2;
	req.body = body.data;
	req.body_len = body.len;
	rc = aws_call(c, &req, &resp, e);
	buf_free(&body);
	if (rc == 0) {
		*output = cJSON_ParseWithLength(resp.body.data, resp.body.len);
		if (*output == NULL) {
			invalid_response(e, resp.status,
			    "the answer is not JSON");
			rc = -1;
		}
	}
	http_response_free(&resp);
	return rc;
}

int
aws_form_encode(struct buf *out, const char *s)
{
	/*
	 * Python's urlencode, as botocore sends query bodies: RFC 3986
	 * unreserved bytes kept, a space as '+', everything else %XX.
	 * (moto re-encodes the parsed form that way to check signatures.)
	 */
	const char *space;

	while ((space = strchr(s, ' ')) != NULL) {
		if (sigv4_uri_encode(out, s, (size_t)(space - s), 0) == -1 ||
		    buf_putc(out, '+') == -1)
			return -1;
		s = space + 1;
	}
	return sigv4_uri_encode(out, s, strlen(s), 0);
}

static int
form_body(struct buf *b, const char *operation, const char *version,
    const struct aws_param *params, size_t n)
{
	if (buf_puts(b, "Action=") == -1 || aws_form_encode(b, operation) ==
	    -1 || buf_puts(b, "&Version=") == -1 || buf_puts(b, version) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (params[i].value == NULL)
			continue;
		if (buf_putc(b, '&') == -1 ||
		    aws_form_encode(b, params[i].name) == -1 ||
		    buf_putc(b, '=') == -1 ||
		    aws_form_encode(b, params[i].value) == -1)
			return -1;
	}
	return 0;
}

int
aws_query_call(struct aws_client *c, const char *operation,
    const struct aws_param *params, size_t nparams, int unsigned_call,
    struct xml_node **output, struct aws_error *e)
{
	const char *version = query_version(c->ep.service);
	struct aws_request req = { .operation = operation,
	    .unsigned_call = unsigned_call };
	struct http_response resp;
	char err[128];
	struct buf body;
	int rc;

	*output = NULL;
	buf_init(&body, AWS_MAX_REQUEST_BODY);
	if (version == NULL)
		return local_error(e, c->ep.service, operation,
		    "not a query-protocol operation");
	if (form_body(&body, operation, version, params, nparams) == -1) {
		/* The body may hold a web identity token: wipe it. */
		buf_wipe(&body);
		return local_error(e, c->ep.service, operation,
		    "request body too large");
	}
	req.headers[0] = "Content-Type: application/x-www-form-urlencoded; "
	    "charset=utf-8";
	req.nheaders = 1;
	req.body = body.data;
	req.body_len = body.len;
	rc = aws_call(c, &req, &resp, e);
	buf_wipe(&body);
	if (rc == 0) {
		*output = xml_parse(resp.body.data, resp.body.len, err,
		    sizeof err);
		if (*output == NULL) {
			invalid_response(e, resp.status, err);
			rc = -1;
		}
	}
	buf_wipe(&resp.body);	/* STS answers carry credentials */
	http_response_free(&resp);
	return rc;
}
