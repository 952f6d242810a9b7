/*
 * rawreq.h - read a raw HTTP/1.1 request in the AWS SigV4 test suite's
 * request.txt form: a request line "METHOD SP target SP HTTP/x.y" (the
 * target may hold raw spaces and UTF-8), "Name:value" header lines (a line
 * starting with a space or tab continues the previous value), then an
 * optional empty line and the body.  LF or CRLF line ends.  Untrusted
 * input: every size is capped and anything else is an error, never a guess.
 */
#ifndef ACCEL_RAWREQ_H
#define ACCEL_RAWREQ_H

#include <stddef.h>

#define RAWREQ_MAX_INPUT (16 << 20)	/* whole request, body included */
#define RAWREQ_MAX_HEAD (256 << 10)	/* request line and headers */
#define RAWREQ_MAX_HEADERS 64		/* = SIGV4_MAX_HEADERS */

struct rawreq_header {
	const char *name;
	const char *value;		/* from after ':' to the end of its last
					   continuation line, line ends kept */
};

struct rawreq {
	char *copy;			/* the head, cut into the strings below */
	char *pathq;			/* the target, cut into path and query */
	const char *method;
	const char *target;		/* path[?query] as written */
	const char *path;
	const char *query;		/* after the first '?', "" when none */
	const char *version;		/* "HTTP/1.1" */
	struct rawreq_header headers[RAWREQ_MAX_HEADERS];
	size_t nheaders;
	size_t head_len;		/* bytes of request line and headers in
					   the input, through the last line end */
	const char *body;		/* points into the caller's input */
	size_t body_len;
};

/*
 * rawreq_parse: parse LEN bytes at DATA into REQ.  DATA must outlive REQ
 * (the body points into it).  Returns 0, or -1 with a reason in ERR.
 */
int rawreq_parse(struct rawreq *req, const char *data, size_t len,
    char *err, size_t errlen);
void rawreq_free(struct rawreq *req);

#endif
