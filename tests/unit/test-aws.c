/*
 * test-aws.c - aws_call's loop against tests/aws/httpd.py, with the clock,
 * the random source and the sleep injected: the headers of a signed JSON
 * 1.1 call at a fixed time, one clock read per attempt, retries with
 * their delays and Retry-After, giving up, no retry of a validation
 * error, S3's 200-with-<Error>, unsigned calls.  (Signatures themselves
 * are checked by the fake AWS in tests/aws/ops.t.)
 */
#include <stdlib.h>
#include <string.h>

#include "aws.h"
#include "check.h"
#include "s3.h"
#include "httpd.h"

static char base[64];
static int clock_reads;
static long sleeps[16];
static int nsleeps;

static time_t
fixed_clock(void *ctx)
{
	(void)ctx;
	clock_reads++;
	return 1440938160;		/* 2015-08-30T12:36:00Z */
}

static double
half(void *ctx)
{
	(void)ctx;
	return 0.5;
}

static void
record_sleep(void *ctx, long ms)
{
	(void)ctx;
	if (nsleeps < 16)
		sleeps[nsleeps++] = ms;
}

static int
test_creds(void *ctx, struct sigv4_creds *out, char *err, size_t errlen)
{
	(void)ctx;
	(void)err;
	(void)errlen;
	out->access_key = "AKIDEXAMPLE";
	out->secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	out->session_token = "TOKEN1";
	return 0;
}

static const struct aws_creds_provider creds = { test_creds, NULL };

/* A SageMaker client whose endpoint is PATH on the test server. */
static int
client(struct aws_client *c, const char *path)
{
	char url[256], err[256];

	snprintf(url, sizeof url, "%s%s", base, path);
	if (aws_client_init(c, AWS_SAGEMAKER, "us-east-1", url, NULL, &creds,
	    err, sizeof err) == -1) {
		printf("# %s\n", err);
		return -1;
	}
	c->clock = fixed_clock;
	c->sleep_ms = record_sleep;
	c->retry.random = half;
	clock_reads = nsleeps = 0;
	return 0;
}

/* The value of request header NAME in an /echo answer, or "(absent)". */
static const char *
echoed(const cJSON *doc, const char *name)
{
	const cJSON *h;

	cJSON_ArrayForEach(h, cJSON_GetObjectItem(doc, "headers"))
		if (strcmp(cJSON_GetArrayItem(h, 0)->valuestring, name) == 0)
			return cJSON_GetArrayItem(h, 1)->valuestring;
	return "(absent)";
}

static const char auth_prefix[] = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
    "20150830/us-east-1/sagemaker/aws4_request, SignedHeaders=content-type;"
    "host;x-amz-date;x-amz-security-token;x-amz-target, Signature=";

static void
test_signed_json(void)
{
	struct aws_client c;
	struct aws_error e;
	cJSON *out = NULL;
	const char *auth;

	if (client(&c, "/echo") == -1)
		return;
	CHECK("JSON 1.1 call", aws_json_call(&c, "ListTrainingJobs", NULL,
	    &out, &e) == 0);
	CHECK_STREQ("path: the endpoint's base path and /",
	    cJSON_GetObjectItem(out, "path")->valuestring, "/echo/");
	CHECK_STREQ("X-Amz-Date from the injected clock",
	    echoed(out, "x-amz-date"), "20150830T123600Z");
	CHECK_STREQ("X-Amz-Target", echoed(out, "x-amz-target"),
	    "SageMaker.ListTrainingJobs");
	CHECK_STREQ("Content-Type", echoed(out, "content-type"),
	    "application/x-amz-json-1.1");
	CHECK_STREQ("session token sent", echoed(out,
	    "x-amz-security-token"), "TOKEN1");
	CHECK_STREQ("Host with the port", echoed(out, "host"), base + 7);
	auth = echoed(out, "authorization");
	CHECK("Authorization scope and signed headers", strncmp(auth,
	    auth_prefix, strlen(auth_prefix)) == 0 &&
	    strlen(auth) == strlen(auth_prefix) + 64);
	CHECK_STREQ("no input: body {}", cJSON_GetObjectItem(out,
	    "body_sha256")->valuestring,
	    "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
	CHECK_INTEQ("one attempt, one clock read", clock_reads, 1);
	cJSON_Delete(out);
	aws_client_free(&c);
}

static void
test_retries(void)
{
	struct aws_client c;
	struct aws_error e;
	cJSON *out = NULL;

	if (client(&c, "/flaky/2/a") == -1)
		return;
	CHECK("two 503s, then success", aws_json_call(&c, "ListTrainingJobs",
	    NULL, &out, &e) == 0);
	CHECK("delays 50 and 100 ms (r = 0.5, base 100 ms)", nsleeps == 2 &&
	    sleeps[0] == 50 && sleeps[1] == 100);
	CHECK_INTEQ("the clock read once per attempt", clock_reads, 3);
	CHECK_INTEQ("client counts retries", c.retries, 2);
	CHECK_INTEQ("quota: the last retry's cost refunded", c.quota.tokens,
	    495);
	cJSON_Delete(out);
	aws_client_free(&c);

	client(&c, "/flaky/1/b-ra3");
	aws_json_call(&c, "ListTrainingJobs", NULL, &out, &e);
	CHECK("Retry-After: 3 waits 3 s", nsleeps == 1 && sleeps[0] == 3000);
	cJSON_Delete(out);
	aws_client_free(&c);

	client(&c, "/flaky/9/c");
	CHECK("503 every time fails", aws_json_call(&c, "ListTrainingJobs",
	    NULL, &out, &e) == -1 && out == NULL);
	CHECK("...after 3 attempts", e.attempts == 3 && nsleeps == 2);
	CHECK("...as a temporary failure", e.status == 503 && e.retryable &&
	    aws_error_exit_status(&e) == EXIT_TEMPFAIL &&
	    strcmp(e.code, "ServiceUnavailable") == 0);
	aws_client_free(&c);
}

static void
test_validation(void)
{
	char text[1024];
	struct aws_client c;
	struct aws_error e;
	cJSON *out = NULL;

	if (client(&c, "/json400") == -1)
		return;
	CHECK("validation error fails", aws_json_call(&c, "CreateTrainingJob",
	    NULL, &out, &e) == -1);
	CHECK("...at once, no retry", e.attempts == 1 && nsleeps == 0 &&
	    !e.retryable && aws_error_exit_status(&e) == EXIT_NO);
	aws_error_text(&e, text, sizeof text);
	CHECK_STREQ("...in the users' words", text, "SageMaker "
	    "CreateTrainingJob: ValidationException: 1 validation error "
	    "(request id RID-400)");
	aws_client_free(&c);
}

static void
test_error_in_200(void)
{
	struct aws_request req = { .operation = "CompleteMultipartUpload",
	    .method = "POST", .path = "/error200/1/d", .s3 = 1,
	    .error_in_200 = 1 };
	struct http_response resp;
	struct aws_client c;
	struct aws_error e;

	if (client(&c, "") == -1)
		return;
	CHECK("200 with <Error> retried, then done", aws_call(&c, &req, &resp,
	    &e) == 0 && nsleeps == 1 && strstr(resp.body.data,
	    "CompleteMultipartUploadResult") != NULL);
	http_response_free(&resp);
	req.path = "/error200/1/e";
	req.error_in_200 = 0;
	nsleeps = 0;
	CHECK("without the flag a 200 is a 200", aws_call(&c, &req, &resp,
	    &e) == 0 && nsleeps == 0);
	http_response_free(&resp);
	aws_client_free(&c);
}

static void
test_unsigned(void)
{
	struct aws_request req = { .operation = "AssumeRoleWithWebIdentity",
	    .path = "/echo", .unsigned_call = 1, .body = "Action=x",
	    .body_len = 8 };
	struct http_response resp;
	struct aws_client c;
	struct aws_error e;
	cJSON *doc;

	if (client(&c, "") == -1)
		return;
	CHECK("unsigned call", aws_call(&c, &req, &resp, &e) == 0);
	doc = cJSON_Parse(resp.body.data);
	CHECK("no Authorization, no token, no date",
	    strcmp(echoed(doc, "authorization"), "(absent)") == 0 &&
	    strcmp(echoed(doc, "x-amz-security-token"), "(absent)") == 0 &&
	    strcmp(echoed(doc, "x-amz-date"), "(absent)") == 0);
	CHECK_INTEQ("no clock read", clock_reads, 0);
	cJSON_Delete(doc);
	http_response_free(&resp);
	aws_client_free(&c);
}

static void
test_s3_region_redirect(void)
{
	struct aws_client c;
	struct aws_error e;
	struct s3_object obj;
	char url[256], err[256];
	long long bytes;
	FILE *f = tmpfile();

	snprintf(url, sizeof url, "%s/s3region/eu-west-1", base);
	if (aws_client_init(&c, AWS_S3, "us-east-1", url, NULL, &creds, err,
	    sizeof err) == -1 || f == NULL)
		return;
	c.clock = fixed_clock;
	c.sleep_ms = record_sleep;
	CHECK("HEAD to the wrong region: 301, then the bucket's region",
	    s3_head_object(&c, "bucket", "k", &obj, &e) == 0 &&
	    strcmp(c.ep.region, "eu-west-1") == 0 && c.attempts == 2);
	c.ep.region[0] = 'u';	/* "uu-west-1": wrong again */
	CHECK("GET to the wrong region: AuthorizationHeaderMalformed, then "
	    "the <Region>", s3_get_object(&c, "bucket", "k", -1, -1,
	    NULL, fileno(f), 0, &bytes, &e) == 0 &&
	    strcmp(c.ep.region, "eu-west-1") == 0 && c.attempts == 4);
	fclose(f);
	aws_client_free(&c);
}

/* The form body encoding equals Python's urlencode (expected values from it). */
static void
test_form_encode(void)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "a b", "a+b" },
		{ "x~y_z.-", "x~y_z.-" },
		{ "{\n \"V\": 1}", "%7B%0A+%22V%22%3A+1%7D" },
		{ "\xc3\xa9+*/=&", "%C3%A9%2B%2A%2F%3D%26" },
	};
	struct buf b;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		buf_init(&b, 256);
		CHECK("aws_form_encode", aws_form_encode(&b, rows[i].in) == 0);
		CHECK_STREQ(rows[i].want, b.data, rows[i].want);
		buf_free(&b);
	}
}

int
main(void)
{
	accel_prog = "unit-aws";
	unsetenv("AWS_MAX_ATTEMPTS");
	unsetenv("AWS_RETRY_MODE");
	unsetenv("http_proxy");
	if (httpd_start(base, sizeof base) == -1) {
		CHECK("start tests/aws/httpd.py", 0);
		return check_done();
	}
	test_form_encode();
	test_signed_json();
	test_retries();
	test_validation();
	test_error_in_200();
	test_unsigned();
	test_s3_region_redirect();
	httpd_stop();
	return check_done();
}
