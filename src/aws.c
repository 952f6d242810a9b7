/*
 * aws.c - a signed call with standard-mode retries; see aws.h.  Every
 * attempt reads the clock and the credentials again (a long wait outlives
 * temporary keys), signs, sends and classifies.  The session token only
 * exists in a header line that is wiped after the attempt.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws.h"
#include "crypto.h"
#include "util.h"

#define AWS_MAX_URL 8192		/* scheme://host/path?query */
#define AWS_MAX_HEADER_NAME 64
#define AWS_HASH_CHUNK (256 * 1024)	/* read size when hashing a file range */

/* Where a call goes, fixed for all its attempts. */
struct target {
	const char *host;
	char path[AWS_MAX_URL];
	char url[AWS_MAX_URL];
	char hash[SHA256_HEX_LEN + 1];
	const char *payload_hash;	/* x-amz-content-sha256 of a file */
	int retry;			/* not the first attempt */
};

/* The wire headers of one attempt; token holds the secret line. */
struct wire {
	const char *lines[AWS_MAX_HEADERS + 8];
	size_t n;
	char date[32];
	char sha[128];
	struct buf auth;
	struct buf token;
	char host[ENDPOINT_MAX_HOST + 8];
};

int
aws_client_init(struct aws_client *c, enum aws_service service,
    const char *region, const char *endpoint_url,
    const struct endpoint_config *config,
    const struct aws_creds_provider *creds, char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	if (endpoint_resolve(service, region, endpoint_url, config, &c->ep,
	    err, errlen) == -1 ||
	    retry_policy_from_env(&c->retry, err, errlen) == -1)
		return -1;
	retry_quota_init(&c->quota);
	if (creds != NULL)
		c->creds = *creds;
	if ((c->http = http_client_new()) == NULL) {
		snprintf(err, errlen, "cannot start the HTTP client");
		return -1;
	}
	return 0;
}

int
aws_client_clone(struct aws_client *dst, const struct aws_client *src)
{
	*dst = *src;
	memset(&dst->key_cache, 0, sizeof dst->key_cache);
	retry_quota_init(&dst->quota);
	dst->attempts = dst->retries = 0;
	dst->http = http_client_new();
	return dst->http ? 0 : -1;
}

void
aws_client_free(struct aws_client *c)
{
	http_client_free(c->http);
	c->http = NULL;
	sigv4_cache_wipe(&c->key_cache);
}

static void
sleep_ms(struct aws_client *c, long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	if (c->sleep_ms != NULL) {
		c->sleep_ms(c->sleep_ctx, ms);
		return;
	}
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static int
amz_date(struct aws_client *c, char out[17])
{
	time_t now = c->clock ? c->clock(c->clock_ctx) : time(NULL);
	struct tm tm;

	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm) != 16)
		return -1;
	return 0;
}

/* SHA-256 of LEN bytes of FD at OFF, in hex: the payload hash. */
static int
hash_fd_range(int fd, off_t off, size_t len, char hex[SHA256_HEX_LEN + 1])
{
	unsigned char md[SHA256_LEN];
	struct sha256_ctx *ctx = sha256_new();
	char *chunk = malloc(AWS_HASH_CHUNK);
	size_t done = 0, want;
	ssize_t n;

	if (ctx == NULL || chunk == NULL)
		goto fail;
	while (done < len) {
		want = len - done < AWS_HASH_CHUNK ? len - done :
		    AWS_HASH_CHUNK;
		n = pread(fd, chunk, want, off + (off_t)done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0 || sha256_update(ctx, chunk, (size_t)n) == -1)
			goto fail;
		done += (size_t)n;
	}
	free(chunk);
	if (sha256_final(ctx, md) == -1)
		return -1;
	hex_encode(md, sizeof md, hex);
	return 0;
fail:
	free(chunk);
	sha256_free(ctx);
	return -1;
}

static void
set_local_error(struct aws_error *e, const char *code, const char *msg)
{
	e->status = 0;
	e->transport = HTTP_ERR_OTHER;
	e->retryable = 0;
	snprintf(e->code, sizeof e->code, "%s", code);
	snprintf(e->message, sizeof e->message, "%s", msg);
}

/* "Name: value" lines to signer headers; names copied into NAMES. */
static int
split_headers(const struct aws_request *req, const char *host,
    struct sigv4_header *out, char names[][AWS_MAX_HEADER_NAME],
    size_t *n)
{
	out[0] = (struct sigv4_header){ "Host", host };
	*n = 1;
	for (size_t i = 0; i < req->nheaders; i++) {
		const char *line = req->headers[i];
		const char *colon = strchr(line, ':');
		size_t len = colon ? (size_t)(colon - line) : 0;

		if (len == 0 || len >= AWS_MAX_HEADER_NAME)
			return -1;
		memcpy(names[i], line, len);
		names[i][len] = '\0';
		colon++;
		while (*colon == ' ')
			colon++;
		out[(*n)++] = (struct sigv4_header){ names[i], colon };
	}
	return 0;
}

static int
sign(struct aws_client *c, const struct aws_request *req,
    const struct target *tg, struct sigv4_result *res, struct aws_error *e)
{
	struct sigv4_header hdrs[AWS_MAX_HEADERS + 2];
	char names[AWS_MAX_HEADERS][AWS_MAX_HEADER_NAME];
	struct sigv4_creds creds = { 0 };
	char date[17], err[256];
	struct sigv4_params p = { .region = c->ep.region,
	    .service = c->ep.signing_name, .amz_date = date, .s3 = req->s3,
	    .sign_body = req->s3 };
	struct sigv4_request sr = { .method = req->method ? req->method :
	    "POST", .path = tg->path, .query = req->query ?
	    req->query : "", .headers = hdrs, .body = req->body,
	    .body_len = req->body ? req->body_len : 0 };
	int rc;

	if (split_headers(req, tg->host, hdrs, names, &sr.nheaders) == -1) {
		set_local_error(e, "InvalidRequest", "bad request header");
		return -1;
	}
	if (tg->payload_hash != NULL)
		hdrs[sr.nheaders++] = (struct sigv4_header){
		    "x-amz-content-sha256", tg->payload_hash };
	if (amz_date(c, date) == -1) {
		set_local_error(e, "ClockError", "cannot read the clock");
		return -1;
	}
	if (c->creds.get(c->creds.ctx, &creds, err, sizeof err) == -1) {
		set_local_error(e, "CredentialsError", err);
		return -1;
	}
	rc = sigv4_sign(&p, &creds, &sr, &c->key_cache, res, err, sizeof err);
	if (rc == -1)
		set_local_error(e, "SigningError", err);
	return rc;
}

/* The headers on the wire: Host, the caller's, and the signer's. */
static int
wire_headers(struct wire *w, const struct aws_request *req, const char *host,
    const char *payload_hash, const struct sigv4_result *res)
{
	w->n = 0;
	if (xsnprintf(w->host, sizeof w->host, "Host: %s", host) == -1)
		return -1;
	w->lines[w->n++] = w->host;
	for (size_t i = 0; i < req->nheaders; i++)
		w->lines[w->n++] = req->headers[i];
	if (payload_hash != NULL) {
		snprintf(w->sha, sizeof w->sha, "x-amz-content-sha256: %s",
		    payload_hash);
		w->lines[w->n++] = w->sha;
	}
	if (res == NULL)
		return 0;
	if (res->amz_date[0] != '\0') {
		snprintf(w->date, sizeof w->date, "X-Amz-Date: %s",
		    res->amz_date);
		w->lines[w->n++] = w->date;
	}
	if (res->content_sha256[0] != '\0' && payload_hash == NULL) {
		snprintf(w->sha, sizeof w->sha, "x-amz-content-sha256: %s",
		    res->content_sha256);
		w->lines[w->n++] = w->sha;
	}
	if (res->security_token != NULL) {
		if (buf_printf(&w->token, "X-Amz-Security-Token: %s",
		    res->security_token) == -1)
			return -1;
		w->lines[w->n++] = w->token.data;
	}
	if (buf_printf(&w->auth, "Authorization: %s",
	    res->authorization.data) == -1)
		return -1;
	w->lines[w->n++] = w->auth.data;
	return 0;
}

/*
 * One attempt.  Returns the transport result, or -1 when nothing was sent
 * (clock, credentials, signing: E says why).
 */
static int
attempt(struct aws_client *c, const struct aws_request *req,
    const struct target *tg, struct http_response *resp, struct aws_error *e)
{
	struct http_request hr = { .method = req->method ? req->method :
	    "POST", .url = tg->url, .body = req->body, .body_len = req->body_len,
	    .body_fd = req->body_fd, .body_offset = req->body_offset,
	    .out_fd = req->out_fd, .out_offset = req->out_offset,
	    .max_body = req->max_body ? req->max_body : AWS_MAX_JSON_RESPONSE,
	    .fresh_connection = tg->retry };
	struct sigv4_result res;
	struct wire w;
	enum http_error t;
	int signed_call = !req->unsigned_call && c->creds.get != NULL;

	memset(&res, 0, sizeof res);
	memset(&w, 0, sizeof w);
	buf_init(&w.auth, 4096);
	buf_init(&w.token, 8192);
	if (signed_call && sign(c, req, tg, &res, e) == -1) {
		sigv4_result_free(&res);
		return -1;
	}
	if (wire_headers(&w, req, tg->host, tg->payload_hash, signed_call ?
	    &res : NULL) == -1) {
		set_local_error(e, "InvalidRequest", "request headers too long");
		t = (enum http_error)-1;
		goto done;
	}
	hr.headers = w.lines;
	hr.nheaders = w.n;
	t = http_send(c->http, &hr, resp, e->message, sizeof e->message);
done:
	buf_wipe(&w.token);
	buf_free(&w.auth);
	if (signed_call)
		sigv4_result_free(&res);
	return (int)t;
}

/* S3 CompleteMultipartUpload and copies: 200 with an <Error> body. */
static int
is_error_document(const struct http_response *resp)
{
	char err[64];
	struct xml_node *doc;
	int is_error;

	if (resp->body.len == 0)
		return 0;
	doc = xml_parse(resp->body.data, resp->body.len, err, sizeof err);
	is_error = doc != NULL && strcmp(doc->name, "Error") == 0;
	xml_free(doc);
	return is_error;
}

static int
build_url(const struct aws_client *c, const struct aws_request *req,
    const char *host, const char *path, char *url, size_t len)
{
	const char *query = req->query && *req->query ? req->query : NULL;

	return xsnprintf(url, len, "%s://%s%s%s%s", c->ep.scheme, host, path,
	    query ? "?" : "", query ? query : "");
}

static void
log_attempt(const struct aws_client *c, const struct aws_error *e,
    int attempt_no, long delay)
{
	char text[1024];

	if (!c->verbose)
		return;
	aws_error_text(e, text, sizeof text);
	if (delay >= 0)
		accel_warn("%s (attempt %d; retrying in %ld ms)", text,
		    attempt_no, delay);
	else
		accel_warn("%s (attempt %d; giving up)", text, attempt_no);
}

/* Fill E from the outcome of an attempt; 1 when it succeeded. */
static int
outcome(const struct aws_request *req, int t, struct http_response *resp,
    struct aws_error *e)
{
	e->transport = (enum http_error)t;
	if (t != HTTP_OK) {
		e->status = 0;
		e->code[0] = '\0';
		e->request_id[0] = '\0';
		return 0;
	}
	if (resp->status >= 200 && resp->status <= 299 &&
	    !(req->error_in_200 && is_error_document(resp)))
		return 1;
	aws_parse_error(resp, e);
	if (resp->status >= 200 && resp->status <= 299)
		e->status = 500;	/* botocore _handle_200_error */
	return 0;
}

/*
 * Host, path (the endpoint's base path and "/" when the request names
 * none, as botocore joins them), URL and, for a file body, its hash.
 */
static int
prepare(const struct aws_client *c, const struct aws_request *req,
    struct target *t, struct aws_error *e)
{
	t->host = req->host ? req->host : c->ep.host;
	t->payload_hash = NULL;
	if (req->path == NULL)
		snprintf(t->path, sizeof t->path, "%s/", c->ep.path);
	else if (xsnprintf(t->path, sizeof t->path, "%s", req->path) == -1)
		t->path[0] = '\0';
	if (req->nheaders > AWS_MAX_HEADERS || t->path[0] == '\0' ||
	    build_url(c, req, t->host, t->path, t->url, sizeof t->url) == -1) {
		set_local_error(e, "InvalidRequest", "request too long");
		return -1;
	}
	/* A file body is hashed once here; a memory body by the signer. */
	if (req->s3 && req->body == NULL && req->body_len > 0 &&
	    !req->unsigned_call) {
		if (hash_fd_range(req->body_fd, req->body_offset,
		    req->body_len, t->hash) == -1) {
			set_local_error(e, "ReadError", strerror(errno ? errno :
			    EIO));
			return -1;
		}
		t->payload_hash = t->hash;
	}
	return 0;
}

int
aws_call(struct aws_client *c, const struct aws_request *req,
    struct http_response *resp, struct aws_error *e)
{
	struct target t;
	struct retry_state s;
	enum retry_class cls;
	long delay;
	int rc;

	memset(resp, 0, sizeof *resp);
	memset(e, 0, sizeof *e);
	e->service = endpoint_service_title(c->ep.service);
	e->operation = req->operation;
	if (prepare(c, req, &t, e) == -1)
		return -1;
	retry_state_init(&s);
	for (;;) {
		s.attempts++;
		c->attempts++;
		http_response_free(resp);
		t.retry = s.attempts > 1;
		rc = attempt(c, req, &t, resp, e);
		e->attempts = s.attempts;
		if (rc == -1)
			return -1;
		if (outcome(req, rc, resp, e)) {
			if (c->verbose)
				accel_warn("%s %s: HTTP %ld (attempt %d)",
				    e->service, e->operation, resp->status,
				    s.attempts);
			retry_success(&c->retry, &c->quota, &s);
			return 0;
		}
		cls = retry_classify(e->transport, e->status, e->code);
		e->retryable = cls != RETRY_NEVER;
		if (!retry_next(&c->retry, &c->quota, &s, cls,
		    http_header(resp, "retry-after"),
		    http_header(resp, "x-amz-retry-after"), &delay)) {
			log_attempt(c, e, s.attempts, -1);
			return -1;
		}
		log_attempt(c, e, s.attempts, delay);
		c->retries++;
		sleep_ms(c, delay);
	}
}
