/*
 * aws_error.c - AWS error answers to struct aws_error, and its text.
 * JSON 1.1: botocore parsers.py BaseJSONParser._do_error_parse and the
 * Smithy awsJson1_1 rules; query and S3: the <ErrorResponse> and <Error>
 * documents; HEAD answers have no body, so the status names the error.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "aws.h"
#include "util.h"

/* Copy at most LEN bytes of S into DST, control characters as '?'. */
static void
copy_clean(char *dst, size_t dstlen, const char *s, size_t len)
{
	size_t i;

	if (dstlen == 0)
		return;
	for (i = 0; i < len && i + 1 < dstlen && s[i] != '\0'; i++)
		dst[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' :
		    s[i];
	dst[i] = '\0';
}

static void
set_field(char *dst, size_t dstlen, const char *s)
{
	if (s != NULL)
		copy_clean(dst, dstlen, s, strlen(s));
}

/*
 * A JSON 1.1 error code as sent, to the bare code: everything after ':'
 * goes ("ThrottlingException:http://internal..."), and everything up to
 * the last '#' ("com.amazon.coral.service#ExpiredTokenException").
 */
static void
set_json_code(struct aws_error *e, const char *raw)
{
	const char *end = strchr(raw, ':'), *hash;
	size_t len = end ? (size_t)(end - raw) : strlen(raw);

	for (hash = raw; hash < raw + len; hash++)
		if (*hash == '#') {
			len -= (size_t)(hash + 1 - raw);
			raw = hash + 1;
			hash = raw - 1;
		}
	copy_clean(e->code, sizeof e->code, raw, len);
}

static const char *
json_string(const cJSON *doc, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
parse_json_error(const char *error_type, const char *body, size_t len,
    struct aws_error *e)
{
	cJSON *doc = cJSON_ParseWithLength(body, len);
	const char *code, *msg;

	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return -1;
	}
	code = error_type;
	if (code == NULL || *code == '\0')
		code = json_string(doc, "__type");
	if (code == NULL)
		code = json_string(doc, "code");
	if (code != NULL)
		set_json_code(e, code);
	if ((msg = json_string(doc, "message")) == NULL)
		msg = json_string(doc, "Message");
	set_field(e->message, sizeof e->message, msg);
	cJSON_Delete(doc);
	return 0;
}

/*
 * <Error> (S3), <ErrorResponse><Error> (query) or <Response><Errors><Error>
 * (EC2 style), with its RequestId.
 */
static int
parse_xml_error(const char *body, size_t len, struct aws_error *e)
{
	char err[128];
	struct xml_node *doc = xml_parse(body, len, err, sizeof err);
	const struct xml_node *error;

	if (doc == NULL)
		return -1;
	/* The EC2 shape <Errors><Error> also comes from moto. */
	if (strcmp(doc->name, "Error") == 0)
		error = doc;
	else if ((strcmp(doc->name, "ErrorResponse") == 0 ||
	    strcmp(doc->name, "Response") == 0) &&
	    ((error = xml_find(doc, "Error")) != NULL ||
	    (error = xml_find(doc, "Errors/Error")) != NULL)) {
		set_field(e->request_id, sizeof e->request_id,
		    xml_text(doc, "RequestId"));
		if (e->request_id[0] == '\0')
			set_field(e->request_id, sizeof e->request_id,
			    xml_text(doc, "RequestID"));
	} else {
		xml_free(doc);
		return -1;
	}
	set_field(e->code, sizeof e->code, xml_text(error, "Code"));
	set_field(e->message, sizeof e->message, xml_text(error, "Message"));
	if (e->request_id[0] == '\0')
		set_field(e->request_id, sizeof e->request_id,
		    xml_text(error, "RequestId"));
	if (e->region[0] == '\0')
		set_field(e->region, sizeof e->region,
		    xml_text(error, "Region"));
	xml_free(doc);
	return 0;
}

/* The code an answer without a usable body stands for. */
static const char *
status_code(long status)
{
	static const struct {
		long status;
		const char *code;
	} names[] = {
		{ 301, "PermanentRedirect" }, { 307, "TemporaryRedirect" },
		{ 400, "BadRequest" }, { 403, "Forbidden" },
		{ 404, "NotFound" }, { 405, "MethodNotAllowed" },
		{ 409, "Conflict" }, { 412, "PreconditionFailed" },
		{ 416, "InvalidRange" }, { 429, "TooManyRequests" },
		{ 500, "InternalError" }, { 502, "BadGateway" },
		{ 503, "ServiceUnavailable" }, { 504, "GatewayTimeout" },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].status == status)
			return names[i].code;
	return NULL;
}

static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n'))
		p++;
	return p;
}

/* The first line of the N bytes at P (the body need not end in NUL). */
static size_t
line_length(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && p[i] != '\r' && p[i] != '\n')
		i++;
	return i;
}

void
aws_parse_error_body(long status, const char *error_type_header,
    const char *request_id_header, const char *body, size_t len,
    struct aws_error *e)
{
	const char *p = body ? skip_space(body, body + len) : NULL;
	const char *code;

	e->status = status;
	e->code[0] = e->message[0] = '\0';
	if (request_id_header != NULL)
		set_field(e->request_id, sizeof e->request_id,
		    request_id_header);
	if (p != NULL && p < body + len) {
		if (*p == '{')
			parse_json_error(error_type_header, p,
			    (size_t)(body + len - p), e);
		else if (*p == '<')
			parse_xml_error(p, (size_t)(body + len - p), e);
	}
	if (e->code[0] == '\0' && error_type_header != NULL &&
	    *error_type_header != '\0')
		set_json_code(e, error_type_header);
	if (e->code[0] == '\0') {
		code = status_code(status);
		if (code != NULL)
			set_field(e->code, sizeof e->code, code);
		else
			snprintf(e->code, sizeof e->code, "HTTP%ld", status);
		if (e->message[0] == '\0' && p != NULL && p < body + len &&
		    *p != '{' && *p != '<')
			copy_clean(e->message, sizeof e->message, p,
			    line_length(p, (size_t)(body + len - p)));
	}
}

void
aws_parse_error(const struct http_response *resp, struct aws_error *e)
{
	const char *rid = http_header(resp, "x-amzn-requestid");
	const char *region = http_header(resp, "x-amz-bucket-region");

	if (rid == NULL)
		rid = http_header(resp, "x-amz-request-id");
	e->request_id[0] = e->region[0] = '\0';
	if (region != NULL)
		set_field(e->region, sizeof e->region, region);
	aws_parse_error_body(resp->status, http_header(resp,
	    "x-amzn-errortype"), rid, resp->body.data, resp->body.len, e);
}

void
aws_error_text(const struct aws_error *e, char *out, size_t outlen)
{
	char raw[1024];
	struct buf b;

	buf_init(&b, sizeof raw - 1);
	buf_printf(&b, "%s %s: ", e->service ? e->service : "AWS",
	    e->operation ? e->operation : "request");
	if (e->status == 0) {
		buf_printf(&b, "%s", e->message[0] ? e->message :
		    "no answer");
		if (e->attempts > 1)
			buf_printf(&b, " (%d attempts)", e->attempts);
	} else {
		buf_printf(&b, "%s", e->code);
		if (e->message[0] != '\0')
			buf_printf(&b, ": %s", e->message);
		if (e->request_id[0] != '\0')
			buf_printf(&b, " (request id %s)", e->request_id);
	}
	if (b.data == NULL)	/* too long: cut it rather than say nothing */
		snprintf(raw, sizeof raw, "%s %s: %s: %s", e->service ?
		    e->service : "AWS", e->operation ? e->operation :
		    "request", e->code, e->message);
	else
		snprintf(raw, sizeof raw, "%s", b.data);
	buf_free(&b);
	/* The code and message are the service's (or a proxy's) words. */
	quote_name(raw, out, outlen);
}

int
aws_error_report(const struct aws_error *e)
{
	char text[1024];

	aws_error_text(e, text, sizeof text);
	return accel_err("%s", text);
}

int
aws_error_exit_status(const struct aws_error *e)
{
	return e->retryable ? EXIT_TEMPFAIL : EXIT_NO;
}

int
aws_local_error(struct aws_error *e, const char *service,
    const char *operation, const char *code, const char *msg)
{
	memset(e, 0, sizeof *e);
	e->service = service;
	e->operation = operation;
	e->transport = HTTP_ERR_OTHER;
	snprintf(e->code, sizeof e->code, "%s", code);
	snprintf(e->message, sizeof e->message, "%s", msg);
	return -1;
}
