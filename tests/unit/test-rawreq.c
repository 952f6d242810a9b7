/* test-rawreq.c - the request.txt reader: shapes it accepts and refuses. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rawreq.h"

static void
test_parse(void)
{
	static const char in[] = "POST /a b/\xe1\x88\xb4?x=1&y HTTP/1.1\r\n"
	    "Host:example.com\r\n"
	    "My-Header:  one\r\n"
	    "   two\r\n"
	    "\tthree\r\n"
	    "my-header:again\r\n"
	    "Empty:\r\n"
	    "\r\n"
	    "body\n\nwith blank line";
	struct rawreq rq;
	char err[128];

	CHECK("parses", rawreq_parse(&rq, in, sizeof(in) - 1, err,
	    sizeof(err)) == 0);
	CHECK_STREQ("method", rq.method, "POST");
	CHECK_STREQ("target keeps raw spaces and UTF-8", rq.target,
	    "/a b/\xe1\x88\xb4?x=1&y");
	CHECK_STREQ("path", rq.path, "/a b/\xe1\x88\xb4");
	CHECK_STREQ("query", rq.query, "x=1&y");
	CHECK_STREQ("version", rq.version, "HTTP/1.1");
	CHECK_INTEQ("headers", rq.nheaders, 4);
	CHECK_STREQ("name as written", rq.headers[1].name, "My-Header");
	CHECK_STREQ("folded value keeps its lines", rq.headers[1].value,
	    "  one\r\n   two\r\n\tthree");
	CHECK_STREQ("repeat kept apart", rq.headers[2].value, "again");
	CHECK_STREQ("empty value", rq.headers[3].value, "");
	CHECK("body is the rest", rq.body_len == 21 &&
	    memcmp(rq.body, "body\n\nwith blank line", 21) == 0);
	CHECK_INTEQ("head length", rq.head_len,
	    strstr(in, "\r\n\r\n") + 2 - in);
	rawreq_free(&rq);
}

static void
test_no_body(void)
{
	static const char in[] = "GET / HTTP/1.1\nHost:h";
	struct rawreq rq;
	char err[128];

	CHECK("no final newline, no body", rawreq_parse(&rq, in,
	    sizeof(in) - 1, err, sizeof(err)) == 0 && rq.body_len == 0 &&
	    rq.head_len == sizeof(in) - 1 && rq.nheaders == 1);
	CHECK_STREQ("query empty", rq.query, "");
	rawreq_free(&rq);
}

static void
test_refused(void)
{
	static const struct {
		const char *in, *why;
	} rows[] = {
		{ "", "empty request" },
		{ "\nGET / HTTP/1.1\n", "malformed request line" },
		{ "GET\n", "malformed request line" },
		{ "GET /\n", "malformed request line" },
		{ "get / HTTP/1.1\n", "malformed method" },
		{ "GET / FTP/1\n", "malformed HTTP version" },
		{ "GET x HTTP/1.1\n", "request target is not a path" },
		{ "GET / HTTP/1.1\n folded\n", "continuation line without a header" },
		{ "GET / HTTP/1.1\nNoColon\n", "malformed header line" },
		{ "GET / HTTP/1.1\n:v\n", "malformed header line" },
		{ "GET / HTTP/1.1\nBad Name:v\n", "malformed header name" },
	};
	struct rawreq rq;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		CHECK("refused", rawreq_parse(&rq, rows[i].in,
		    strlen(rows[i].in), err, sizeof(err)) == -1);
		CHECK_STREQ("refusal reason", err, rows[i].why);
	}
	CHECK("NUL in the head refused", rawreq_parse(&rq,
	    "GET / HTTP/1.1\nA:\0\n", 19, err, sizeof(err)) == -1);
	CHECK_STREQ("NUL reason", err, "NUL byte in the request head");
}

static void
test_limits(void)
{
	struct rawreq rq;
	char err[128], *big;
	size_t i, len = 0;

	big = malloc(RAWREQ_MAX_HEAD + 64);
	if (big == NULL)
		return;
	len += (size_t)snprintf(big, 64, "GET / HTTP/1.1\n");
	for (i = 0; i <= RAWREQ_MAX_HEADERS; i++)
		len += (size_t)snprintf(big + len, 64, "H%zu:v\n", i);
	CHECK("65 headers refused", rawreq_parse(&rq, big, len, err,
	    sizeof(err)) == -1);
	CHECK_STREQ("header count reason", err, "too many headers");
	memset(big, 'a', RAWREQ_MAX_HEAD + 64);
	memcpy(big, "GET / HTTP/1.1\nA:", 17);
	CHECK("oversized head refused", rawreq_parse(&rq, big,
	    RAWREQ_MAX_HEAD + 64, err, sizeof(err)) == -1);
	CHECK_STREQ("head size reason", err, "request head too large");
	free(big);
	CHECK("oversized input refused", rawreq_parse(&rq, "",
	    (size_t)RAWREQ_MAX_INPUT + 1, err, sizeof(err)) == -1);
}

int
main(void)
{
	test_parse();
	test_no_body();
	test_refused();
	test_limits();
	return check_done();
}
