/*
 * http.c - one HTTP exchange at a time over a reused libcurl easy handle.
 * The handle is reset between requests (curl_easy_reset keeps the live
 * connections), every option is set again, and the request body is read
 * through a callback that can seek, so libcurl may rewind it when it
 * reconnects.  Nothing here retries; see retry.c and aws.c.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "http.h"

#define HTTP_USER_AGENT "accel.mk/" ACCEL_VERSION
#define HTTP_MAX_REQUEST_HEADERS 64	/* what the caller may pass */

struct http_client {
	CURL *curl;
	long connect_ms;
	long low_speed_seconds;
	char *ca_bundle;		/* AWS_CA_BUNDLE, or NULL */
	char curl_err[CURL_ERROR_SIZE];
};

/* The state of one exchange, shared with the callbacks. */
struct exchange {
	CURL *curl;
	const struct http_request *req;
	struct http_response *resp;
	off_t sent;			/* request body position */
	size_t header_bytes;
	int too_big;			/* a cap was hit: the abort is ours */
	int fd_error;			/* writing or reading an fd failed */
	int fd_errno;
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;

static void
global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct http_client *
http_client_new(void)
{
	struct http_client *c;
	const char *ca;

	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK)
		return NULL;
	c = calloc(1, sizeof *c);
	if (c == NULL)
		return NULL;
	c->connect_ms = HTTP_CONNECT_TIMEOUT_MS;
	c->low_speed_seconds = HTTP_LOW_SPEED_SECONDS;
	ca = getenv("AWS_CA_BUNDLE");
	if (ca != NULL && *ca != '\0' && (c->ca_bundle = strdup(ca)) == NULL)
		goto fail;
	if ((c->curl = curl_easy_init()) == NULL)
		goto fail;
	return c;
fail:
	free(c->ca_bundle);
	free(c);
	return NULL;
}

void
http_client_free(struct http_client *c)
{
	if (c == NULL)
		return;
	curl_easy_cleanup(c->curl);
	free(c->ca_bundle);
	free(c);
}

void
http_client_set_timeouts(struct http_client *c, long connect_ms,
    long low_speed_seconds)
{
	c->connect_ms = connect_ms;
	c->low_speed_seconds = low_speed_seconds;
}

int
http_error_retryable(enum http_error e)
{
	return e == HTTP_ERR_CONNECT || e == HTTP_ERR_TIMEOUT ||
	    e == HTTP_ERR_RESET;
}

/* Request body: memory or a file range, from position ex->sent. */
static size_t
read_body(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct exchange *ex = arg;
	const struct http_request *req = ex->req;
	size_t want = size * nmemb, left;
	ssize_t n;

	left = req->body_len - (size_t)ex->sent;
	if (want > left)
		want = left;
	if (want == 0)
		return 0;
	if (req->body != NULL) {
		memcpy(dst, (const char *)req->body + ex->sent, want);
		ex->sent += (off_t)want;
		return want;
	}
	do
		n = pread(req->body_fd, dst, want, req->body_offset + ex->sent);
	while (n == -1 && errno == EINTR);
	if (n <= 0) {
		ex->fd_error = 1;
		ex->fd_errno = n == 0 ? EIO : errno;	/* file shrank: EIO */
		return CURL_READFUNC_ABORT;
	}
	ex->sent += n;
	return (size_t)n;
}

static int
seek_body(void *arg, curl_off_t offset, int origin)
{
	struct exchange *ex = arg;

	if (origin != SEEK_SET || offset < 0 ||
	    (size_t)offset > ex->req->body_len)
		return CURL_SEEKFUNC_CANTSEEK;
	ex->sent = (off_t)offset;
	return CURL_SEEKFUNC_OK;
}

static int
status_is_2xx(struct exchange *ex)
{
	long status = 0;

	curl_easy_getinfo(ex->curl, CURLINFO_RESPONSE_CODE, &status);
	return status >= 200 && status <= 299;
}

static int
write_fd_all(struct exchange *ex, const char *p, size_t n)
{
	const struct http_request *req = ex->req;
	ssize_t w;

	while (n > 0) {
		w = pwrite(req->out_fd, p, n,
		    req->out_offset + (off_t)ex->resp->body_bytes);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			ex->fd_error = 1;
			ex->fd_errno = errno;
			return -1;
		}
		p += w;
		n -= (size_t)w;
		ex->resp->body_bytes += (size_t)w;
	}
	return 0;
}

/* Response body: to out_fd when asked and 2xx, else to memory (capped). */
static size_t
write_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct exchange *ex = arg;
	size_t n = size * nmemb;

	if (ex->req->out_fd > 0 && status_is_2xx(ex))
		return write_fd_all(ex, p, n) == 0 ? n : 0;
	if (buf_append(&ex->resp->body, p, n) == -1) {
		ex->too_big = errno == EFBIG;
		return 0;
	}
	ex->resp->body_bytes += n;
	return n;
}

static void
free_headers(struct http_response *resp)
{
	for (size_t i = 0; i < resp->nheaders; i++)
		free(resp->headers[i]);
	free(resp->headers);
	resp->headers = NULL;
	resp->nheaders = 0;
}

/* "Name:  value  \r\n" -> "name: value", or NULL (no colon, no memory). */
static char *
header_line(const char *p, size_t n)
{
	const char *colon = memchr(p, ':', n);
	size_t namelen, vstart, vend;
	char *line;

	if (colon == NULL || colon == p)
		return NULL;
	namelen = (size_t)(colon - p);
	vstart = namelen + 1;
	while (vstart < n && (p[vstart] == ' ' || p[vstart] == '\t'))
		vstart++;
	vend = n;
	while (vend > vstart && isspace((unsigned char)p[vend - 1]))
		vend--;
	line = malloc(namelen + 2 + (vend - vstart) + 1);
	if (line == NULL)
		return NULL;
	for (size_t i = 0; i < namelen; i++)
		line[i] = (char)tolower((unsigned char)p[i]);
	memcpy(line + namelen, ": ", 2);
	memcpy(line + namelen + 2, p + vstart, vend - vstart);
	line[namelen + 2 + vend - vstart] = '\0';
	return line;
}

static int
add_header(struct http_response *resp, char *line)
{
	char **v;

	v = realloc(resp->headers, (resp->nheaders + 1) * sizeof *v);
	if (v == NULL)
		return -1;
	resp->headers = v;
	resp->headers[resp->nheaders++] = line;
	return 0;
}

/*
 * Response headers of the last response only: a status line (after a 1xx
 * or through a proxy's CONNECT) starts the list again.
 */
static size_t
write_header(char *p, size_t size, size_t nmemb, void *arg)
{
	struct exchange *ex = arg;
	size_t n = size * nmemb;
	char *line;

	if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		free_headers(ex->resp);
		ex->header_bytes = 0;
		return n;
	}
	ex->header_bytes += n;
	if (ex->header_bytes > HTTP_MAX_HEADER_BYTES ||
	    ex->resp->nheaders >= HTTP_MAX_HEADERS) {
		ex->too_big = 1;
		return 0;
	}
	if (memchr(p, ':', n) == NULL)
		return n;		/* the blank line that ends them */
	if ((line = header_line(p, n)) == NULL)
		return 0;
	if (add_header(ex->resp, line) == -1) {
		free(line);
		return 0;
	}
	return n;
}

static void
response_init(struct http_response *resp)
{
	resp->status = 0;
	buf_init(&resp->body, 0);
	resp->body_bytes = 0;
	resp->headers = NULL;
	resp->nheaders = 0;
}

void
http_response_free(struct http_response *resp)
{
	if (resp == NULL)
		return;
	buf_free(&resp->body);
	free_headers(resp);
	resp->body_bytes = 0;
	resp->status = 0;
}

const char *
http_header(const struct http_response *resp, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < resp->nheaders; i++) {
		const char *h = resp->headers[i];

		if (strncasecmp(h, name, len) == 0 && h[len] == ':')
			return h + len + 2;
	}
	return NULL;
}

/*
 * The caller's headers, plus "Expect:" (no 100-continue round trip: AWS
 * answers at once, and moto does not speak it) and no Accept header.
 */
static struct curl_slist *
request_headers(const struct http_request *req)
{
	struct curl_slist *list = NULL, *t;

	for (size_t i = 0; i < req->nheaders; i++) {
		if ((t = curl_slist_append(list, req->headers[i])) == NULL)
			goto fail;
		list = t;
	}
	if ((t = curl_slist_append(list, "Expect:")) == NULL)
		goto fail;
	list = t;
	if ((t = curl_slist_append(list, "Accept:")) == NULL)
		goto fail;
	return t;
fail:
	curl_slist_free_all(list);
	return NULL;
}

/* The method and body options: every request with a body is an upload. */
static CURLcode
set_method(CURL *curl, const struct http_request *req, struct exchange *ex)
{
	const char *method = req->method ? req->method : "GET";
	CURLcode rc = CURLE_OK;

	if (strcmp(method, "HEAD") == 0)
		return curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
	if (strcmp(method, "GET") != 0)
		rc = curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	if (rc != CURLE_OK || strcmp(method, "GET") == 0 ||
	    strcmp(method, "DELETE") == 0)
		return rc;
	/* PUT, POST: a sized upload, so Content-Length is always sent. */
	if ((rc = curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L)) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE,
	    (curl_off_t)req->body_len)) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_body)) !=
	    CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_READDATA, ex)) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_SEEKFUNCTION, seek_body)) !=
	    CURLE_OK)
		return rc;
	return curl_easy_setopt(curl, CURLOPT_SEEKDATA, ex);
}

static CURLcode
set_transport(struct http_client *c)
{
	CURL *curl = c->curl;
	CURLcode rc;

	if ((rc = curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L)) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR,
	    "http,https")) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L)) !=
	    CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L)) !=
	    CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
	    c->connect_ms)) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L)) !=
	    CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
	    c->low_speed_seconds)) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_USERAGENT,
	    HTTP_USER_AGENT)) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, c->curl_err)) !=
	    CURLE_OK ||
	    /*
	     * The path goes out as it was signed: libcurl would remove "."
	     * and ".." segments (RFC 3986 5.2.4), but S3 keys keep them, so
	     * the signature would not match (and another key be named).
	     */
	    (rc = curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L)) != CURLE_OK)
		return rc;
	if (c->ca_bundle != NULL)
		rc = curl_easy_setopt(curl, CURLOPT_CAINFO, c->ca_bundle);
	return rc;
}

static CURLcode
set_exchange(struct http_client *c, const struct http_request *req,
    struct exchange *ex, struct curl_slist *headers)
{
	CURL *curl = c->curl;
	CURLcode rc;

	if ((rc = set_transport(c)) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_URL, req->url)) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers)) !=
	    CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION,
	    write_header)) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_HEADERDATA, ex)) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body)) !=
	    CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_WRITEDATA, ex)) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT,
	    req->fresh_connection ? 1L : 0L)) != CURLE_OK)
		return rc;
	return set_method(curl, req, ex);
}

static enum http_error
classify(CURLcode rc, const struct exchange *ex)
{
	if (ex->too_big)
		return HTTP_ERR_TOOBIG;
	if (ex->fd_error)
		return HTTP_ERR_OTHER;
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
		return HTTP_ERR_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_ERR_TIMEOUT;
	case CURLE_PARTIAL_FILE:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_BAD_CONTENT_ENCODING:
		return HTTP_ERR_RESET;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CRL_BADFILE:
		return HTTP_ERR_TLS;
	default:
		return HTTP_ERR_OTHER;
	}
}

static void
describe(const struct http_client *c, CURLcode rc, const struct exchange *ex,
    char *err, size_t errlen)
{
	if (errlen == 0)
		return;
	if (ex->too_big)
		snprintf(err, errlen, "response larger than the limit");
	else if (ex->fd_error)
		snprintf(err, errlen, "%s", strerror(ex->fd_errno));
	else if (c->curl_err[0] != '\0')
		snprintf(err, errlen, "%s", c->curl_err);
	else
		snprintf(err, errlen, "%s", curl_easy_strerror(rc));
}

enum http_error
http_send(struct http_client *c, const struct http_request *req,
    struct http_response *resp, char *err, size_t errlen)
{
	struct exchange ex = { .curl = c->curl, .req = req, .resp = resp };
	struct curl_slist *headers;
	enum http_error e;
	CURLcode rc;

	response_init(resp);
	if (errlen > 0)
		err[0] = '\0';
	buf_init(&resp->body, req->max_body ? req->max_body :
	    HTTP_DEFAULT_MAX_BODY);
	if (buf_append(&resp->body, "", 0) == -1 ||
	    (headers = request_headers(req)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return HTTP_ERR_OTHER;
	}
	curl_easy_reset(c->curl);
	c->curl_err[0] = '\0';
	rc = set_exchange(c, req, &ex, headers);
	if (rc == CURLE_OK)
		rc = curl_easy_perform(c->curl);
	curl_slist_free_all(headers);
	if (rc == CURLE_OK && !ex.too_big && !ex.fd_error) {
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE,
		    &resp->status);
		return HTTP_OK;
	}
	e = classify(rc, &ex);
	describe(c, rc, &ex, err, errlen);
	http_response_free(resp);
	buf_append(&resp->body, "", 0);
	return e;
}
