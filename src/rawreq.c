/*
 * rawreq.c - a raw HTTP request reader for request.txt files.  The head is
 * copied once and cut in place into NUL-terminated strings: the request
 * line at its spaces, each header at its ':' and at the end of its last
 * continuation line.  The target gets a second copy, cut at its '?'.
 */
#include <stdlib.h>
#include <string.h>

#include "rawreq.h"
#include "util.h"

static int
fail(char *err, size_t errlen, const char *msg)
{
	if (errlen > 0 && xsnprintf(err, errlen, "%s", msg) == -1)
		err[errlen - 1] = '\0';
	return -1;
}

/* The line at S: its length without LF or CRLF; *NEXT is the next line. */
static size_t
line_at(const char *s, const char *end, const char **next)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	size_t len;

	len = nl == NULL ? (size_t)(end - s) : (size_t)(nl - s);
	*next = nl == NULL ? end : nl + 1;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	return len;
}

/*
 * Where the head ends: just after the last header line, before the empty
 * line that starts the body (or at the end of input when there is none).
 */
static void
split_head(struct rawreq *req, const char *data, size_t len)
{
	const char *s = data, *end = data + len, *next;

	req->head_len = len;
	req->body = end;
	req->body_len = 0;
	while (s < end) {
		if (line_at(s, end, &next) == 0 && s != data) {
			req->head_len = (size_t)(s - data);
			req->body = next;
			req->body_len = (size_t)(end - next);
			return;
		}
		s = next;
	}
}

/* "METHOD SP target SP HTTP/x.y"; the target may hold spaces. */
static int
request_line(struct rawreq *req, char *s, char *err, size_t errlen)
{
	char *sp1 = strchr(s, ' '), *sp2 = strrchr(s, ' '), *q;
	const char *m;

	if (sp1 == NULL || sp2 == sp1 || sp1 == s)
		return fail(err, errlen, "malformed request line");
	for (m = s; m < sp1; m++)
		if (*m < 'A' || *m > 'Z')
			return fail(err, errlen, "malformed method");
	if (strncmp(sp2 + 1, "HTTP/", 5) != 0)
		return fail(err, errlen, "malformed HTTP version");
	*sp1 = '\0';
	*sp2 = '\0';
	req->method = s;
	req->target = sp1 + 1;
	req->version = sp2 + 1;
	if (req->target[0] != '/')
		return fail(err, errlen, "request target is not a path");
	if ((req->pathq = strdup(req->target)) == NULL)
		return fail(err, errlen, "out of memory");
	req->path = req->pathq;
	req->query = "";
	if ((q = strchr(req->pathq, '?')) != NULL) {
		*q = '\0';
		req->query = q + 1;
	}
	return 0;
}

static int
header_line(struct rawreq *req, char *s, size_t len, char *err,
    size_t errlen)
{
	char *colon = memchr(s, ':', len);
	const char *c;

	if (colon == NULL || colon == s)
		return fail(err, errlen, "malformed header line");
	for (c = s; c < colon; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f)
			return fail(err, errlen, "malformed header name");
	if (req->nheaders == RAWREQ_MAX_HEADERS)
		return fail(err, errlen, "too many headers");
	*colon = '\0';
	req->headers[req->nheaders].name = s;
	req->headers[req->nheaders].value = colon + 1;
	req->nheaders++;
	return 0;
}

/*
 * A header's value ends at the end of its last continuation line, known
 * only when the next header (or the end of the head) shows up: PENDING
 * marks where the current value will be cut.
 */
static int
parse_head(struct rawreq *req, char *err, size_t errlen)
{
	char *s = req->copy, *end = req->copy + req->head_len;
	char *pending = NULL;
	const char *next;
	size_t len;

	len = line_at(s, end, &next);
	s[len] = '\0';
	if (request_line(req, s, err, errlen) == -1)
		return -1;
	for (s = req->copy + (next - req->copy); s < end;
	    s = req->copy + (next - req->copy)) {
		len = line_at(s, end, &next);
		if (s[0] == ' ' || s[0] == '\t') {
			if (pending == NULL)
				return fail(err, errlen,
				    "continuation line without a header");
		} else {
			if (pending != NULL)
				*pending = '\0';
			if (header_line(req, s, len, err, errlen) == -1)
				return -1;
		}
		pending = s + len;
	}
	if (pending != NULL)
		*pending = '\0';
	return 0;
}

int
rawreq_parse(struct rawreq *req, const char *data, size_t len, char *err,
    size_t errlen)
{
	memset(req, 0, sizeof(*req));
	if (len > RAWREQ_MAX_INPUT)
		return fail(err, errlen, "request too large");
	split_head(req, data, len);
	if (req->head_len == 0)
		return fail(err, errlen, "empty request");
	if (req->head_len > RAWREQ_MAX_HEAD)
		return fail(err, errlen, "request head too large");
	if (memchr(data, '\0', req->head_len) != NULL)
		return fail(err, errlen, "NUL byte in the request head");
	if ((req->copy = malloc(req->head_len + 1)) == NULL)
		return fail(err, errlen, "out of memory");
	memcpy(req->copy, data, req->head_len);
	req->copy[req->head_len] = '\0';
	if (parse_head(req, err, errlen) == -1) {
		rawreq_free(req);
		return -1;
	}
	return 0;
}

void
rawreq_free(struct rawreq *req)
{
	free(req->copy);
	free(req->pathq);
	req->copy = NULL;
	req->pathq = NULL;
	req->nheaders = 0;
}
