/*
 * test-awserror.c - AWS error answers in each protocol's shape to code,
 * message and request id, and the text users read.  Shapes from
 * aws-protocols.md 3.7, 4.2 and 5 (botocore parsers.py, Smithy awsJson1_1);
 * tests/aws/errors.t asks botocore's own parsers about the same bodies.
 */
#include <string.h>

#include "aws.h"
#include "check.h"

static void
test_parse(void)
{
	static const struct {
		const char *name;
		long status;
		const char *error_type, *request_id, *body;
		const char *code, *message, *rid, *region;
	} rows[] = {
		{ "json __type", 400, NULL, "R1",
		    "{\"__type\":\"ValidationException\",\"message\":\"bad\"}",
		    "ValidationException", "bad", "R1", "" },
		{ "json prefix#Code and Message", 400, NULL, NULL,
		    "{\"__type\":\"com.amazon.coral.validate#ValidationException\","
		    "\"Message\":\"m\"}", "ValidationException", "m", "", "" },
		{ "json header preferred, :uri cut", 400,
		    "ThrottlingException:http://internal.amazon.com/coral/x/",
		    NULL, "{\"__type\":\"Other\",\"message\":\"Rate exceeded\"}",
		    "ThrottlingException", "Rate exceeded", "", "" },
		{ "json header with prefix#", 400,
		    "com.amazon.coral.service#ExpiredTokenException", NULL,
		    "{\"message\":\"expired\"}", "ExpiredTokenException",
		    "expired", "", "" },
		{ "json code key", 400, NULL, NULL,
		    "{\"code\":\"ResourceInUse\",\"message\":\"exists\"}",
		    "ResourceInUse", "exists", "", "" },
		{ "json message beats Message", 400, NULL, NULL,
		    "{\"__type\":\"X\",\"message\":\"a\",\"Message\":\"b\"}", "X",
		    "a", "", "" },
		{ "json without code: from status", 500, NULL, NULL, "{}",
		    "InternalError", "", "", "" },
		{ "json header only, body not JSON", 400, "ThrottlingException",
		    NULL, "", "ThrottlingException", "", "", "" },
		{ "json non-string __type", 400, NULL, NULL,
		    "{\"__type\":5,\"message\":[1]}", "BadRequest", "", "", "" },
		{ "query ErrorResponse", 404, NULL, NULL,
		    "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/"
		    "2010-05-08/\"><Error><Type>Sender</Type><Code>NoSuchEntity"
		    "</Code><Message>Role nope not found</Message></Error>"
		    "<RequestId>4a5b</RequestId></ErrorResponse>",
		    "NoSuchEntity", "Role nope not found", "4a5b", "" },
		{ "ErrorResponse with Errors (moto)", 403, NULL, "H",
		    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ErrorResponse>"
		    "<Errors><Error><Code>SignatureDoesNotMatch</Code><Message>"
		    "sig</Message><Type>Sender</Type></Error></Errors>"
		    "</ErrorResponse>", "SignatureDoesNotMatch", "sig", "H", "" },
		{ "EC2 Response shape", 400, NULL, NULL,
		    "<Response><Errors><Error><Code>RequestLimitExceeded</Code>"
		    "<Message>slow</Message></Error></Errors><RequestID>E1"
		    "</RequestID></Response>", "RequestLimitExceeded", "slow",
		    "E1", "" },
		{ "query throttling", 400, NULL, NULL,
		    "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate "
		    "exceeded</Message></Error></ErrorResponse>", "Throttling",
		    "Rate exceeded", "", "" },
		{ "S3 Error with RequestId", 404, NULL, "HDR",
		    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
		    "NoSuchKey</Code><Message>The specified key does not exist."
		    "</Message><Key>nokey</Key><RequestId>S3RID</RequestId>"
		    "<HostId>h</HostId></Error>", "NoSuchKey",
		    "The specified key does not exist.", "HDR", "" },
		{ "S3 Error, request id from body", 403, NULL, NULL,
		    "<Error><Code>AccessDenied</Code><Message>no</Message>"
		    "<RequestId>B</RequestId></Error>", "AccessDenied", "no",
		    "B", "" },
		{ "S3 region in error body", 400, NULL, NULL,
		    "  \n<Error><Code>AuthorizationHeaderMalformed</Code>"
		    "<Region>eu-west-1</Region></Error>",
		    "AuthorizationHeaderMalformed", "", "", "eu-west-1" },
		{ "moto SageMaker auth error as XML", 403, NULL, NULL,
		    "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code>"
		    "<Message>sig</Message></Error></ErrorResponse>",
		    "SignatureDoesNotMatch", "sig", "", "" },
		{ "HEAD 404 without body", 404, NULL, "H", NULL, "NotFound", "",
		    "H", "" },
		{ "HEAD 301", 301, NULL, NULL, "", "PermanentRedirect", "", "",
		    "" },
		{ "plain text body", 503, NULL, NULL, "status 503\nmore",
		    "ServiceUnavailable", "status 503", "", "" },
		{ "unknown status", 418, NULL, NULL, NULL, "HTTP418", "", "",
		    "" },
		{ "control characters cleaned", 400, NULL, NULL,
		    "{\"__type\":\"A\\u001bB\",\"message\":\"x\\ny\\u0007\"}",
		    "A?B", "x?y?", "", "" },
		{ "malformed XML", 500, NULL, NULL, "<Error><Code>X</Code>",
		    "InternalError", "", "", "" },
		{ "XML of another kind", 400, NULL, NULL, "<Foo><Code>X</Code>"
		    "</Foo>", "BadRequest", "", "", "" },
		{ "truncated JSON", 400, NULL, NULL, "{\"__type\":\"Valid",
		    "BadRequest", "", "", "" },
	};
	struct aws_error e;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		memset(&e, 0, sizeof e);
		aws_parse_error_body(rows[i].status, rows[i].error_type,
		    rows[i].request_id, rows[i].body, rows[i].body ?
		    strlen(rows[i].body) : 0, &e);
		if (!CHECK(rows[i].name, e.status == rows[i].status &&
		    strcmp(e.code, rows[i].code) == 0 &&
		    strcmp(e.message, rows[i].message) == 0 &&
		    strcmp(e.request_id, rows[i].rid) == 0 &&
		    strcmp(e.region, rows[i].region) == 0))
			printf("#   got code '%s' message '%s' rid '%s' "
			    "region '%s'\n", e.code, e.message, e.request_id,
			    e.region);
	}
}

static void
test_text(void)
{
	struct aws_error e = { .service = "SageMaker",
	    .operation = "CreateTrainingJob", .status = 400,
	    .code = "ValidationException", .message = "message",
	    .request_id = "R" };
	char text[1024];

	aws_error_text(&e, text, sizeof text);
	CHECK_STREQ("service error text", text, "SageMaker CreateTrainingJob: "
	    "ValidationException: message (request id R)");
	e = (struct aws_error){ .service = "S3", .operation = "HeadObject",
	    .status = 404, .code = "NotFound" };
	aws_error_text(&e, text, sizeof text);
	CHECK_STREQ("no message, no request id", text,
	    "S3 HeadObject: NotFound");
	e = (struct aws_error){ .service = "STS",
	    .operation = "GetCallerIdentity", .transport = HTTP_ERR_CONNECT,
	    .message = "Failed to connect", .attempts = 3, .retryable = 1 };
	aws_error_text(&e, text, sizeof text);
	CHECK_STREQ("transport failure text", text,
	    "STS GetCallerIdentity: Failed to connect (3 attempts)");
	CHECK_INTEQ("transient failure exits 75", aws_error_exit_status(&e),
	    75);
	e.retryable = 0;
	CHECK_INTEQ("other failures exit 1", aws_error_exit_status(&e), 1);
	aws_error_text(&e, text, 20);
	CHECK("text cut to the buffer", strlen(text) == 19);
}

int
main(void)
{
	test_parse();
	test_text();
	return check_done();
}
