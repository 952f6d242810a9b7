/*
 * test-http.c - http.c against tests/aws/httpd.py, a scripted Python
 * server: methods and bodies as the server saw them, connection reuse,
 * header capture and caps, bodies to fds, and the class of each transport
 * failure (reset, truncation, refusal, stall, TLS, caps).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "http.h"
#include "httpd.h"

static char base[64];

static enum http_error
get(struct http_client *c, const char *path, struct http_response *resp,
    struct http_request *req)
{
	struct http_request local = { 0 };
	char url[256], err[256];
	enum http_error e;

	if (req == NULL)
		req = &local;
	snprintf(url, sizeof url, "%s%s", base, path);
	req->url = url;
	e = http_send(c, req, resp, err, sizeof err);
	if (e != HTTP_OK)
		printf("# %s: %s\n", path, err);
	return e;
}

static const char *
echo_str(const struct http_response *resp, const char *key)
{
	static char out[256];
	cJSON *doc = cJSON_Parse(resp->body.data);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);

	snprintf(out, sizeof out, "%s", cJSON_IsString(v) ? v->valuestring :
	    "(missing)");
	cJSON_Delete(doc);
	return out;
}

static long
echo_num(const struct http_response *resp, const char *key)
{
	cJSON *doc = cJSON_Parse(resp->body.data);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);
	long n = cJSON_IsNumber(v) ? (long)v->valuedouble : -1;

	cJSON_Delete(doc);
	return n;
}

/* The value of request header NAME as the server saw it, or "(absent)". */
static const char *
echo_header(const struct http_response *resp, const char *name)
{
	static char out[256];
	cJSON *doc = cJSON_Parse(resp->body.data), *h;

	snprintf(out, sizeof out, "(absent)");
	cJSON_ArrayForEach(h, cJSON_GetObjectItem(doc, "headers")) {
		if (strcmp(cJSON_GetArrayItem(h, 0)->valuestring, name) == 0)
			snprintf(out, sizeof out, "%s",
			    cJSON_GetArrayItem(h, 1)->valuestring);
	}
	cJSON_Delete(doc);
	return out;
}

static void
test_get_and_reuse(struct http_client *c)
{
	struct http_response r;
	long first;

	CHECK("GET /echo", get(c, "/echo", &r, NULL) == HTTP_OK);
	CHECK_INTEQ("GET status", r.status, 200);
	CHECK_STREQ("GET method seen", echo_str(&r, "method"), "GET");
	CHECK_STREQ("no Expect header", echo_header(&r, "expect"), "(absent)");
	CHECK_STREQ("user agent", echo_header(&r, "user-agent"),
	    "accel.mk/" ACCEL_VERSION);
	CHECK_STREQ("header names lower-cased, value trimmed",
	    http_header(&r, "X-MIXED-CASE"), "Value");
	CHECK("absent header is NULL", http_header(&r, "x-nope") == NULL);
	first = echo_num(&r, "connection");
	http_response_free(&r);
	get(c, "/echo", &r, NULL);
	CHECK_INTEQ("connection reused", echo_num(&r, "connection"), first);
	http_response_free(&r);
}

static void
test_bodies(struct http_client *c)
{
	const char *hdrs[] = { "X-Custom: one", "Content-Type: text/plain" };
	struct http_request req = { .method = "PUT", .body = "hello",
	    .body_len = 5, .headers = hdrs, .nheaders = 2 };
	struct http_response r;
	char path[] = "/tmp/accel-http.XXXXXX";
	int fd;

	get(c, "/echo", &r, &req);
	CHECK_STREQ("PUT method", echo_str(&r, "method"), "PUT");
	CHECK_INTEQ("PUT body length", echo_num(&r, "body_len"), 5);
	CHECK_STREQ("PUT body bytes", echo_str(&r, "body_sha256"),
	    "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
	CHECK_STREQ("caller header sent", echo_header(&r, "x-custom"), "one");
	CHECK_STREQ("content-length sent", echo_header(&r, "content-length"),
	    "5");
	http_response_free(&r);

	fd = mkstemp(path);
	CHECK("temp file", fd >= 0 && write(fd, "0123456789abcdef", 16) == 16);
	req = (struct http_request){ .method = "POST", .body_fd = fd,
	    .body_offset = 4, .body_len = 6 };
	get(c, "/echo", &r, &req);
	CHECK_STREQ("POST from a file range",
	    echo_str(&r, "body_sha256"),
	    "472bbe83616e93d3c09a79103ae47d8f71e3d35a966d6e8b22f743218d04171d");
	http_response_free(&r);
	/* The same request again: the body is replayable. */
	get(c, "/echo", &r, &req);
	CHECK_INTEQ("file range body replayed", echo_num(&r, "body_len"), 6);
	http_response_free(&r);

	req = (struct http_request){ .method = "POST" };
	get(c, "/echo", &r, &req);
	CHECK_STREQ("empty POST has Content-Length: 0",
	    echo_header(&r, "content-length"), "0");
	http_response_free(&r);
	close(fd);
	unlink(path);
}

static void
test_statuses(struct http_client *c)
{
	struct http_request req = { .method = "HEAD" };
	struct http_response r;

	CHECK("HEAD 404 is a response", get(c, "/status/404", &r, &req) ==
	    HTTP_OK);
	CHECK_INTEQ("HEAD 404 status", r.status, 404);
	CHECK_INTEQ("HEAD has no body", r.body.len, 0);
	http_response_free(&r);
	get(c, "/status/503", &r, NULL);
	CHECK_INTEQ("503 status", r.status, 503);
	CHECK_STREQ("503 body kept", r.body.data, "status 503");
	http_response_free(&r);
	get(c, "/continue", &r, NULL);
	CHECK_INTEQ("after 100 Continue", r.status, 200);
	CHECK_STREQ("final headers kept", http_header(&r, "x-final"), "yes");
	CHECK("interim headers dropped", http_header(&r, "x-interim") == NULL);
	http_response_free(&r);
}

static void
test_to_fd(struct http_client *c)
{
	char path[] = "/tmp/accel-http.XXXXXX";
	struct http_request req = { .out_offset = 10 };
	struct http_response r;
	struct stat st;

	req.out_fd = mkstemp(path);
	get(c, "/big/5000", &r, &req);
	CHECK_INTEQ("2xx body to fd: bytes", r.body_bytes, 5000);
	CHECK_INTEQ("2xx body to fd: none in memory", r.body.len, 0);
	CHECK("written at the offset", fstat(req.out_fd, &st) == 0 &&
	    st.st_size == 5010);
	http_response_free(&r);
	get(c, "/status/404", &r, &req);
	CHECK_STREQ("error body kept in memory", r.body.data, "status 404");
	CHECK("file untouched by an error", fstat(req.out_fd, &st) == 0 &&
	    st.st_size == 5010);
	http_response_free(&r);
	close(req.out_fd);
	unlink(path);
}

static void
test_failures(struct http_client *c)
{
	struct http_request req = { .max_body = 1000 };
	struct http_response r;
	char err[256];
	enum http_error e;

	e = get(c, "/reset", &r, NULL);
	CHECK_INTEQ("reset before the answer", e, HTTP_ERR_RESET);
	CHECK("reset is retryable", http_error_retryable(e));
	CHECK("failed response has an empty body", r.body.data != NULL &&
	    r.body.len == 0 && r.nheaders == 0);
	http_response_free(&r);
	CHECK_INTEQ("truncated body", get(c, "/truncate", &r, NULL),
	    HTTP_ERR_RESET);
	http_response_free(&r);
	CHECK_INTEQ("body over max_body", get(c, "/big/2000", &r, &req),
	    HTTP_ERR_TOOBIG);
	CHECK("too big is not retryable", !http_error_retryable(HTTP_ERR_TOOBIG));
	http_response_free(&r);
	CHECK_INTEQ("body at max_body", get(c, "/big/1000", &r, &req), HTTP_OK);
	http_response_free(&r);
	CHECK_INTEQ("too many headers", get(c, "/headers/150", &r, NULL),
	    HTTP_ERR_TOOBIG);
	http_response_free(&r);
	req = (struct http_request){ .url = "http://127.0.0.1:1/" };
	e = http_send(c, &req, &r, err, sizeof err);
	CHECK_INTEQ("refused connection", e, HTTP_ERR_CONNECT);
	CHECK("refusal has a reason", err[0] != '\0');
	http_response_free(&r);
	req.url = "file:///etc/passwd";
	CHECK_INTEQ("file:// refused", http_send(c, &req, &r, err, sizeof err),
	    HTTP_ERR_OTHER);
	http_response_free(&r);
	CHECK_INTEQ("client still works", get(c, "/echo", &r, NULL), HTTP_OK);
	http_response_free(&r);
}

static void
test_stall(void)
{
	struct http_client *c = http_client_new();
	struct http_response r;

	http_client_set_timeouts(c, 1000, 1);
	CHECK_INTEQ("stalled body times out", get(c, "/stall", &r, NULL),
	    HTTP_ERR_TIMEOUT);
	http_response_free(&r);
	http_client_free(c);
}

static void
test_tls(void)
{
	struct http_request req = { 0 };
	struct http_response r;
	struct http_client *c;
	char url[128], err[256];

	/* TLS to a plain-HTTP server: the handshake fails, not retried. */
	snprintf(url, sizeof url, "https%s", base + 4);
	req.url = url;
	c = http_client_new();
	CHECK_INTEQ("TLS handshake failure", http_send(c, &req, &r, err,
	    sizeof err), HTTP_ERR_TLS);
	http_response_free(&r);
	http_client_free(c);
	setenv("AWS_CA_BUNDLE", "/nonexistent/ca.pem", 1);
	c = http_client_new();
	CHECK_INTEQ("AWS_CA_BUNDLE is used", http_send(c, &req, &r, err,
	    sizeof err), HTTP_ERR_TLS);
	http_response_free(&r);
	http_client_free(c);
	unsetenv("AWS_CA_BUNDLE");
}

int
main(void)
{
	struct http_client *c;

	accel_prog = "unit-http";
	unsetenv("http_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("https_proxy");
	unsetenv("ALL_PROXY");
	unsetenv("all_proxy");
	if (httpd_start(base, sizeof base) == -1) {
		CHECK("start tests/aws/httpd.py", 0);
		return check_done();
	}
	c = http_client_new();
	test_get_and_reuse(c);
	test_bodies(c);
	test_statuses(c);
	test_to_fd(c);
	test_failures(c);
	http_client_free(c);
	test_stall();
	test_tls();
	httpd_stop();
	return check_done();
}
