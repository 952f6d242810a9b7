/*
 * sigv4-canon.h - the canonical parts of a SigV4 request (internal to
 * sigv4.c; unit tests reach them through this header, as curl's UNITTEST
 * functions): URI, query string and header block.  Pure functions; each
 * appends to a struct buf and returns 0 or -1 with a reason in ERR.
 */
#ifndef ACCEL_SIGV4_CANON_H
#define ACCEL_SIGV4_CANON_H

#include <stddef.h>

#include "sigv4.h"
#include "util.h"

/* One header as it will be signed: lower-case name, raw value. */
struct canon_header {
	char *name;			/* owned, lower-case */
	const char *value;		/* borrowed, raw (may be multi-line) */
	size_t order;			/* position in the request: keeps repeats in order */
};

struct canon_headers {
	struct canon_header h[SIGV4_MAX_HEADERS + 3];	/* + the three we add */
	size_t n;
};

/* One query parameter, both halves already URI-encoded. */
struct canon_param {
	char *name;
	char *value;
};

struct canon_query {
	struct canon_param p[SIGV4_MAX_QUERY_PARAMS + 6];	/* + X-Amz-* */
	size_t n;
};

/*
 * canon_uri: the canonical URI of PATH (as sent on the wire).  S3: the path
 * encoded once (existing %XX escapes kept, bytes that cannot appear in a
 * request target encoded).  Others: the path with dot segments and '//'
 * removed unless NO_NORMALIZE, then every byte but unreserved and '/'
 * encoded, so a '%' on the wire becomes %25.
 */
int canon_uri(struct buf *out, const char *path, int s3, int no_normalize);

/* normalize_path: RFC 3986 5.2.4 plus '//' collapsing, as botocore does. */
int normalize_path(struct buf *out, const char *path);

/*
 * canon_query_parse: split the raw QUERY at '&' (empty parts skipped), and
 * percent-decode then re-encode each name and value ('+' is a literal plus).
 * A parameter without '=' gets the empty value.
 */
int canon_query_parse(struct canon_query *q, const char *query,
    char *err, size_t errlen);

/* canon_query_add: add NAME=VALUE (raw text, encoded here). */
int canon_query_add(struct canon_query *q, const char *name,
    const char *value, char *err, size_t errlen);

/* canon_query_write: sort by name, then value, and join with '&'. */
int canon_query_write(struct buf *out, struct canon_query *q);
void canon_query_free(struct canon_query *q);

/*
 * canon_headers_add: add one header (NAME is lower-cased into a copy);
 * headers botocore never signs are dropped here.
 */
int canon_headers_add(struct canon_headers *hs, const char *name,
    const char *value, char *err, size_t errlen);

/* canon_headers_find: the first header named LNAME (lower-case), or NULL. */
const struct canon_header *canon_headers_find(const struct canon_headers *hs,
    const char *lname);

/*
 * canon_headers_write: sort, then write "name:value\n" lines (values
 * trimmed, whitespace runs squashed, repeats joined with ',') to BLOCK and
 * the "a;b;c" list to SIGNED.
 */
int canon_headers_write(struct buf *block, struct buf *signed_names,
    struct canon_headers *hs);
void canon_headers_free(struct canon_headers *hs);

/* trim_value: VALUE trimmed and squashed as in the header block. */
int trim_value(struct buf *out, const char *value);

#endif
