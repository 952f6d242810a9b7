/*
 * test-sigv4.c - the SigV4 canonical forms, table by table.  Expected
 * values come from aws-protocols.md 2.2-2.4 and botocore's behaviour
 * (quote(safe='-_.~'), remove_dot_segments, ' '.join(value.split())); the
 * whole signer is checked against the AWS suite in tests/cli/sign-vectors.t
 * and against botocore in tests/cli/sign-botocore.t.
 */
#include <string.h>

#include "check.h"
#include "sigv4-canon.h"
#include "sigv4.h"

static void
test_uri_encode(void)
{
	static const struct {
		const char *in;
		int keep_slash;
		const char *want;
	} rows[] = {
		{ "AZaz09-_.~", 0, "AZaz09-_.~" },
		{ "a b", 0, "a%20b" },
		{ "/a/b", 1, "/a/b" },
		{ "/a/b", 0, "%2Fa%2Fb" },
		{ "+=$&*", 0, "%2B%3D%24%26%2A" },
		{ "%", 0, "%25" },
		{ "\xc3\xa9", 0, "%C3%A9" },	/* é: upper-case hex */
		{ "f\xc3\xbcr+x=1", 1, "f%C3%BCr%2Bx%3D1" },
		{ "", 0, "" },
	};
	struct buf b;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		buf_init(&b, 1024);
		buf_append(&b, "", 0);
		CHECK("uri_encode returns 0", sigv4_uri_encode(&b, rows[i].in,
		    strlen(rows[i].in), rows[i].keep_slash) == 0);
		CHECK_STREQ(rows[i].in, b.data, rows[i].want);
		buf_free(&b);
	}
}

static void
test_canon_uri(void)
{
	static const struct {
		const char *path;
		int s3, no_normalize;
		const char *want;
	} rows[] = {
		/* S3: the wire path, escapes kept, never normalised. */
		{ "/test%24file.text", 1, 0, "/test%24file.text" },
		{ "/examplebucket/dir%20one/f%C3%BCr%2Bx%3D1.txt", 1, 0,
		  "/examplebucket/dir%20one/f%C3%BCr%2Bx%3D1.txt" },
		{ "//a/./b/../c//", 1, 0, "//a/./b/../c//" },
		{ "/example space/", 1, 0, "/example%20space/" },
		{ "/100%", 1, 0, "/100%25" },	/* not an escape */
		{ "/a%2Fb", 1, 0, "/a%2Fb" },
		/* Others: normalised, then encoded again ('%' -> %25). */
		{ "/a%20b", 0, 0, "/a%2520b" },
		{ "//example//", 0, 0, "/example/" },
		{ "/a/./b/../c", 0, 0, "/a/c" },
		{ "/example1/example2/../..", 0, 0, "/" },
		{ "/..", 0, 0, "/" },
		{ "/./", 0, 0, "/" },
		{ "/a/b/", 0, 0, "/a/b/" },
		{ "/a/b/.", 0, 0, "/a/b" },
		{ "", 0, 0, "/" },
		{ "/", 0, 0, "/" },
		{ "//", 0, 1, "//" },
		{ "/a/../b", 0, 1, "/a/../b" },
		{ "/\xe1\x88\xb4", 0, 0, "/%E1%88%B4" },
	};
	struct buf b;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		buf_init(&b, 1024);
		buf_append(&b, "", 0);
		CHECK("canon_uri returns 0", canon_uri(&b, rows[i].path,
		    rows[i].s3, rows[i].no_normalize) == 0);
		CHECK_STREQ(rows[i].path, b.data, rows[i].want);
		buf_free(&b);
	}
}

static void
test_canon_query(void)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "", "" },
		/* Keys sharing a prefix: sorted by name, not by "k=v". */
		{ "select-type=2&select=1", "select=1&select-type=2" },
		{ "select=1&select-type=2", "select=1&select-type=2" },
		{ "a-b=1&a=2&a_b=3", "a=2&a-b=1&a_b=3" },
		/* Repeated keys: then by value. */
		{ "a=2&a=1&a=10", "a=1&a=10&a=2" },
		{ "b=1&a=2&a=1&A=3", "A=3&a=1&a=2&b=1" },
		/* Valueless and empty. */
		{ "uploads", "uploads=" },
		{ "lifecycle", "lifecycle=" },
		{ "a=&b", "a=&b=" },
		{ "b&a=", "a=&b=" },
		{ "&&a=1&", "a=1" },
		{ "=v", "=v" },
		{ "a==b", "a=%3Db" },
		/* Decode, then encode once. */
		{ "k=%2b", "k=%2B" },
		{ "k=a+b", "k=a%2Bb" },
		{ "k=%7E%41", "k=~A" },
		{ "k=a/b", "k=a%2Fb" },
		{ "k=a%2Fb", "k=a%2Fb" },
		{ "k=%zz&j=%4", "j=%254&k=%25zz" },
		{ "k=%00", "k=%00" },
		{ "%E1%88%B4=Value1&Param=Value2&Param-3=Value3",
		  "%E1%88%B4=Value1&Param=Value2&Param-3=Value3" },
		{ "uploadId=x&partNumber=1", "partNumber=1&uploadId=x" },
		{ "max-keys=2&prefix=J", "max-keys=2&prefix=J" },
	};
	struct canon_query q;
	struct buf b;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&q, 0, sizeof(q));
		buf_init(&b, 1024);
		buf_append(&b, "", 0);
		CHECK("query parses", canon_query_parse(&q, rows[i].in, err,
		    sizeof(err)) == 0);
		CHECK("query writes", canon_query_write(&b, &q) == 0);
		CHECK_STREQ(rows[i].in, b.data, rows[i].want);
		canon_query_free(&q);
		buf_free(&b);
	}
}

static void
test_query_limit(void)
{
	struct canon_query q;
	struct buf in;
	char err[128];
	int i;

	buf_init(&in, 1 << 16);
	for (i = 0; i <= SIGV4_MAX_QUERY_PARAMS; i++)
		buf_printf(&in, "k%d=v&", i);
	memset(&q, 0, sizeof(q));
	CHECK("too many query parameters fail",
	    canon_query_parse(&q, in.data, err, sizeof(err)) == -1);
	CHECK_STREQ("reason", err, "too many query parameters");
	canon_query_free(&q);
	buf_free(&in);
}

static void
test_trim(void)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "value", "value" },
		{ "   value   ", "value" },
		{ "a   b\t\tc", "a b c" },
		{ "value1\n  value2\n     value3", "value1 value2 value3" },
		{ "a\r\n b", "a b" },
		{ "\"a   b\"", "\"a b\"" },	/* quotes do not protect */
		{ "", "" },
		{ " \t ", "" },
	};
	struct buf b;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		buf_init(&b, 1024);
		buf_append(&b, "", 0);
		CHECK("trim returns 0", trim_value(&b, rows[i].in) == 0);
		CHECK_STREQ(rows[i].in, b.data, rows[i].want);
		buf_free(&b);
	}
}

static void
test_headers(void)
{
	static const struct sigv4_header in[] = {
		{ "My-Header1", " a " }, { "Host", "example.com" },
		{ "my-header1", "b   c" }, { "User-Agent", "x" },
		{ "X-Amzn-Trace-Id", "y" }, { "Expect", "100-continue" },
		{ "my-header", "z" }, { "Connection", "close" },
	};
	struct canon_headers hs;
	struct buf block, names;
	char err[128];
	size_t i;
	int ok = 1;

	memset(&hs, 0, sizeof(hs));
	buf_init(&block, 1024);
	buf_init(&names, 1024);
	buf_append(&block, "", 0);
	buf_append(&names, "", 0);
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		ok &= canon_headers_add(&hs, in[i].name, in[i].value, err,
		    sizeof(err)) == 0;
	CHECK("headers add", ok);
	CHECK("headers write", canon_headers_write(&block, &names, &hs) == 0);
	CHECK_STREQ("repeats joined in order, never-signed left out",
	    block.data, "host:example.com\nmy-header:z\nmy-header1:a,b c\n");
	CHECK_STREQ("signed names", names.data, "host;my-header;my-header1");
	CHECK("a space in a name is refused",
	    canon_headers_add(&hs, "Bad Name", "v", err, sizeof(err)) == -1);
	canon_headers_free(&hs);
	buf_free(&block);
	buf_free(&names);
}

/* aws-protocols.md 2.1 and the suite README 4.3: v4/get-vanilla. */
static const struct sigv4_header vanilla_headers[] = {
	{ "Host", "example.amazonaws.com" },
};
static const struct sigv4_request vanilla = {
	"GET", "/", "", vanilla_headers, 1, "", 0,
};
static const struct sigv4_creds suite_creds = {
	"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", NULL,
};

static void
test_sign(void)
{
	struct sigv4_params p = { .region = "us-east-1", .service = "service",
	    .amz_date = "20150830T123600Z" };
	struct sigv4_creds other = suite_creds;
	struct sigv4_key_cache cache;
	struct sigv4_result r;
	char err[128];

	memset(&cache, 0, sizeof(cache));
	CHECK("sign get-vanilla", sigv4_sign(&p, &suite_creds, &vanilla,
	    &cache, &r, err, sizeof(err)) == 0);
	CHECK_STREQ("get-vanilla signature", r.signature,
	    "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
	CHECK_STREQ("X-Amz-Date to add", r.amz_date, "20150830T123600Z");
	CHECK_STREQ("no content hash to add", r.content_sha256, "");
	CHECK("cache filled", cache.valid == 1);
	sigv4_result_free(&r);

	CHECK("sign again from the cache", sigv4_sign(&p, &suite_creds,
	    &vanilla, &cache, &r, err, sizeof(err)) == 0);
	CHECK_STREQ("cached key, same signature", r.signature,
	    "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
	sigv4_result_free(&r);

	/* Another key pair with the same scope must not use the cached key. */
	other.access_key = "AKIDOTHER";
	other.secret_key = "another secret";
	CHECK("sign with other credentials", sigv4_sign(&p, &other, &vanilla,
	    &cache, &r, err, sizeof(err)) == 0);
	CHECK("other credentials, other signature", strcmp(r.signature,
	    "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
	    != 0);
	sigv4_result_free(&r);
	sigv4_cache_wipe(&cache);
	CHECK("cache wiped", cache.valid == 0 && cache.key[0] == 0);
}

static void
test_sign_errors(void)
{
	static const struct sigv4_header nohost[] = { { "X-A", "b" } };
	static const struct sigv4_header wrongdate[] = {
		{ "Host", "h" }, { "X-Amz-Date", "20150830T123601Z" },
	};
	struct sigv4_request req = vanilla;
	struct sigv4_params p = { .region = "us-east-1", .service = "service",
	    .amz_date = "20150830T123600Z" };
	struct sigv4_result r;
	char err[128];

	p.amz_date = "2015-08-30T12:36:00Z";
	CHECK("ISO time refused", sigv4_sign(&p, &suite_creds, &req, NULL,
	    &r, err, sizeof(err)) == -1);
	CHECK_STREQ("time reason", err, "the time is not YYYYMMDDTHHMMSSZ");
	p.amz_date = "20150830T123600Z";
	p.region = "us/east";
	CHECK("region with '/' refused", sigv4_sign(&p, &suite_creds, &req,
	    NULL, &r, err, sizeof(err)) == -1);
	p.region = "us-east-1";
	req.headers = nohost;
	CHECK("no Host refused", sigv4_sign(&p, &suite_creds, &req, NULL, &r,
	    err, sizeof(err)) == -1);
	CHECK_STREQ("Host reason", err, "the request has no Host header");
	req.headers = wrongdate;
	req.nheaders = 2;
	CHECK("X-Amz-Date other than the signing time refused",
	    sigv4_sign(&p, &suite_creds, &req, NULL, &r, err,
	    sizeof(err)) == -1);
	p.presign_expires = SIGV4_MAX_EXPIRES + 1;
	req = vanilla;
	CHECK("presign past a week refused", sigv4_sign(&p, &suite_creds,
	    &req, NULL, &r, err, sizeof(err)) == -1);
}

static void
test_payload(void)
{
	static const struct sigv4_header unsigned_payload[] = {
		{ "Host", "h" }, { "X-Amz-Content-SHA256", " UNSIGNED-PAYLOAD " },
	};
	struct sigv4_request req = { "PUT", "/k", "", unsigned_payload, 2,
	    "body", 4 };
	struct sigv4_params p = { .region = "us-east-1", .service = "s3",
	    .amz_date = "20150830T123600Z", .s3 = 1, .sign_body = 1 };
	struct sigv4_result r;
	const char *tail;
	char err[128];

	CHECK("sign with the request's payload hash", sigv4_sign(&p,
	    &suite_creds, &req, NULL, &r, err, sizeof(err)) == 0);
	tail = strrchr(r.canonical.data, '\n');
	CHECK_STREQ("payload hash from the header", tail,
	    "\nUNSIGNED-PAYLOAD");
	CHECK_STREQ("sign_body adds nothing when the header is there",
	    r.content_sha256, "");
	sigv4_result_free(&r);

	req.headers = vanilla_headers;
	req.nheaders = 1;
	CHECK("sign_body", sigv4_sign(&p, &suite_creds, &req, NULL, &r, err,
	    sizeof(err)) == 0);
	/* printf body | sha256sum */
	CHECK_STREQ("sign_body adds the body hash", r.content_sha256,
	    "230d8358dc8e8890b4c58deeb62912ee2f20357ae92a5cc861b98e68fe31acb5");
	sigv4_result_free(&r);

	p.presign_expires = 60;
	CHECK("S3 presign", sigv4_sign(&p, &suite_creds, &req, NULL, &r, err,
	    sizeof(err)) == 0);
	tail = strrchr(r.canonical.data, '\n');
	CHECK_STREQ("S3 presign payload", tail, "\nUNSIGNED-PAYLOAD");
	sigv4_result_free(&r);
}

int
main(void)
{
	test_uri_encode();
	test_canon_uri();
	test_canon_query();
	test_query_limit();
	test_trim();
	test_headers();
	test_sign();
	test_sign_errors();
	test_payload();
	return check_done();
}
