/*
 * sigv4-canon.c - canonical URI, query string and headers of SigV4
 * (aws-protocols.md 2.2-2.4).  Every function appends to a bounded buffer;
 * nothing here knows about keys or time.
 */
#include <stdlib.h>
#include <string.h>

#include "sigv4-canon.h"

/*
 * Headers botocore 1.43.11 never signs (SIGNED_HEADERS_BLACKLIST): a proxy
 * or the HTTP library may change them on the way.
 */
static const char *const unsigned_headers[] = {
	"connection", "expect", "keep-alive", "proxy-authenticate",
	"proxy-authorization", "te", "trailer", "transfer-encoding",
	"upgrade", "user-agent", "x-amzn-trace-id",
};

static void
set_err(char *err, size_t errlen, const char *msg)
{
	if (errlen > 0 && xsnprintf(err, errlen, "%s", msg) == -1)
		err[errlen - 1] = '\0';	/* a cut reason is still a reason */
}

static int
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	    c == '~';
}

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
put_escape(struct buf *out, unsigned char c)
{
	static const char digits[] = "0123456789ABCDEF";
	char esc[3];

	esc[0] = '%';
	esc[1] = digits[c >> 4];
	esc[2] = digits[c & 15];
	return buf_append(out, esc, 3);
}

int
sigv4_uri_encode(struct buf *out, const char *s, size_t len, int keep_slash)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, run;

	for (i = 0; i < len; i += run) {
		/* Copy runs of safe bytes at once: most of a path is safe. */
		for (run = 0; i + run < len && (is_unreserved(p[i + run]) ||
		    (keep_slash && p[i + run] == '/')); run++)
			;
		if (run > 0) {
			if (buf_append(out, p + i, run) == -1)
				return -1;
			continue;
		}
		if (put_escape(out, p[i]) == -1)
			return -1;
		run = 1;
	}
	return 0;
}

/* Percent-decode LEN bytes; a '%' without two hex digits stays literal. */
int
sigv4_uri_decode(struct buf *out, const char *s, size_t len)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && len - i >= 3 &&
		    (hi = hex_value((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hex_value((unsigned char)s[i + 2])) >= 0) {
			if (buf_putc(out, hi << 4 | lo) == -1)
				return -1;
			i += 2;
		} else if (buf_putc(out, s[i]) == -1) {
			return -1;
		}
	}
	return 0;
}

/*
 * The S3 wire path is already the key encoded once.  Keep it, valid %XX
 * escapes included, and encode only what could not be on the wire (a raw
 * space or UTF-8 byte in a test-suite path), as S3 would read it.
 */
static int
s3_path(struct buf *out, const char *path)
{
	const unsigned char *p = (const unsigned char *)path;
	size_t i;

	for (i = 0; p[i] != '\0'; i++) {
		if (p[i] == '%' && hex_value(p[i + 1]) >= 0 &&
		    hex_value(p[i + 2]) >= 0) {
			if (buf_append(out, p + i, 3) == -1)
				return -1;
			i += 2;
		} else if (is_unreserved(p[i]) || p[i] == '/') {
			if (buf_putc(out, p[i]) == -1)
				return -1;
		} else if (put_escape(out, p[i]) == -1) {
			return -1;
		}
	}
	return 0;
}

/*
 * Segments are pushed onto OUT; ".." pops back to the previous '/'.  The
 * leading '/' and a trailing one (when any segment is left) are kept, as
 * botocore's remove_dot_segments() does.
 */
int
normalize_path(struct buf *out, const char *path)
{
	size_t len = strlen(path), i, seg, base;
	const char *s;

	if (len == 0)
		return buf_putc(out, '/');
	if (buf_append(out, "", 0) == -1)	/* data is never NULL below */
		return -1;
	base = out->len;
	for (i = 0; i <= len; i += seg + 1) {
		s = path + i;
		seg = strcspn(s, "/");
		if (seg == 0 || (seg == 1 && s[0] == '.'))
			continue;
		if (seg == 2 && s[0] == '.' && s[1] == '.') {
			while (out->len > base && out->data[out->len - 1] != '/')
				out->len--;
			if (out->len > base)
				out->len--;	/* the '/' before the segment */
			out->data[out->len] = '\0';
			continue;
		}
		if (buf_putc(out, '/') == -1 || buf_append(out, s, seg) == -1)
			return -1;
	}
	if (path[0] != '/' && out->len > base) {
		/* A relative path gets no leading '/'. */
		memmove(out->data + base, out->data + base + 1,
		    out->len - base - 1);
		out->data[--out->len] = '\0';
	}
	if (path[0] == '/' && out->len == base)
		return buf_putc(out, '/');
	if (path[len - 1] == '/' && out->len > base &&
	    out->data[out->len - 1] != '/')
		return buf_putc(out, '/');
	return 0;
}

int
canon_uri(struct buf *out, const char *path, int s3, int no_normalize)
{
	struct buf norm;
	int rc;

	if (s3)
		return s3_path(out, path);
	if (no_normalize)
		return sigv4_uri_encode(out, path, strlen(path), 1);
	buf_init(&norm, out->max);
	if (normalize_path(&norm, path) == -1)
		return -1;
	rc = sigv4_uri_encode(out, norm.data, norm.len, 1);
	buf_free(&norm);
	return rc;
}

/* Decode LEN bytes of S and encode them again into a new string. */
static char *
recode(const char *s, size_t len)
{
	struct buf raw, enc;

	buf_init(&raw, SIGV4_MAX_TEXT);
	buf_init(&enc, SIGV4_MAX_TEXT);
	if (buf_append(&raw, "", 0) == -1 || buf_append(&enc, "", 0) == -1 ||
	    sigv4_uri_decode(&raw, s, len) == -1 ||
	    sigv4_uri_encode(&enc, raw.data, raw.len, 0) == -1) {
		buf_free(&raw);
		buf_free(&enc);
		return NULL;
	}
	buf_free(&raw);
	return enc.data;
}

static int
query_push(struct canon_query *q, const char *name, size_t nlen,
    const char *value, size_t vlen, char *err, size_t errlen)
{
	struct canon_param *p;

	if (q->n == sizeof(q->p) / sizeof(q->p[0])) {
		set_err(err, errlen, "too many query parameters");
		return -1;
	}
	p = &q->p[q->n];
	p->name = recode(name, nlen);
	p->value = recode(value, vlen);
	if (p->name == NULL || p->value == NULL) {
		free(p->name);
		free(p->value);
		set_err(err, errlen, "query parameter too long");
		return -1;
	}
	q->n++;
	return 0;
}

int
canon_query_parse(struct canon_query *q, const char *query, char *err,
    size_t errlen)
{
	const char *s, *value;
	size_t len, nlen, vlen;

	for (s = query; *s != '\0'; s += len + (s[len] == '&')) {
		len = strcspn(s, "&");
		if (len == 0)
			continue;
		if (q->n >= SIGV4_MAX_QUERY_PARAMS) {
			set_err(err, errlen, "too many query parameters");
			return -1;
		}
		/* "name=value", or a bare "name" with the empty value. */
		nlen = strcspn(s, "=&");
		value = nlen < len ? s + nlen + 1 : s + len;
		vlen = nlen < len ? len - nlen - 1 : 0;
		if (query_push(q, s, nlen, value, vlen, err, errlen) == -1)
			return -1;
	}
	return 0;
}

/* The X-Amz-* values are raw text: encode them without decoding first. */
int
canon_query_add(struct canon_query *q, const char *name, const char *value,
    char *err, size_t errlen)
{
	struct buf n, v;
	struct canon_param *p;

	if (q->n == sizeof(q->p) / sizeof(q->p[0])) {
		set_err(err, errlen, "too many query parameters");
		return -1;
	}
	buf_init(&n, SIGV4_MAX_TEXT);
	buf_init(&v, SIGV4_MAX_TEXT);
	if (buf_append(&n, "", 0) == -1 || buf_append(&v, "", 0) == -1 ||
	    sigv4_uri_encode(&n, name, strlen(name), 0) == -1 ||
	    sigv4_uri_encode(&v, value, strlen(value), 0) == -1) {
		buf_free(&n);
		buf_free(&v);
		set_err(err, errlen, "query parameter too long");
		return -1;
	}
	p = &q->p[q->n++];
	p->name = n.data;
	p->value = v.data;
	return 0;
}

/* Name first, then value: sorting whole "k=v" strings puts '-' before '='. */
static int
param_cmp(const void *a, const void *b)
{
	const struct canon_param *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : strcmp(x->value, y->value);
}

int
canon_query_write(struct buf *out, struct canon_query *q)
{
	size_t i;

	qsort(q->p, q->n, sizeof(q->p[0]), param_cmp);
	for (i = 0; i < q->n; i++)
		if ((i > 0 && buf_putc(out, '&') == -1) ||
		    buf_puts(out, q->p[i].name) == -1 ||
		    buf_putc(out, '=') == -1 ||
		    buf_puts(out, q->p[i].value) == -1)
			return -1;
	return 0;
}

void
canon_query_free(struct canon_query *q)
{
	size_t i;

	for (i = 0; i < q->n; i++) {
		free(q->p[i].name);
		free(q->p[i].value);
	}
	q->n = 0;
}

/* RFC 9110 token characters: what a header name may hold. */
static int
is_tchar(unsigned char c)
{
	return is_unreserved(c) || (c != '\0' && strchr("!#$%&'*+^`|", c));
}

int
canon_headers_add(struct canon_headers *hs, const char *name,
    const char *value, char *err, size_t errlen)
{
	size_t i, len = strlen(name);
	char *lname;

	for (i = 0; i < len; i++)
		if (!is_tchar((unsigned char)name[i]))
			break;
	if (len == 0 || i < len) {
		set_err(err, errlen, "invalid header name");
		return -1;
	}
	if (hs->n == sizeof(hs->h) / sizeof(hs->h[0])) {
		set_err(err, errlen, "too many headers");
		return -1;
	}
	if ((lname = malloc(len + 1)) == NULL) {
		set_err(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i <= len; i++)
		lname[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ?
		    name[i] - 'A' + 'a' : name[i]);
	for (i = 0; i < sizeof(unsigned_headers) / sizeof(unsigned_headers[0]);
	    i++) {
		if (strcmp(lname, unsigned_headers[i]) == 0) {
			free(lname);
			return 0;
		}
	}
	hs->h[hs->n].name = lname;
	hs->h[hs->n].value = value;
	hs->h[hs->n].order = hs->n;
	hs->n++;
	return 0;
}

const struct canon_header *
canon_headers_find(const struct canon_headers *hs, const char *lname)
{
	size_t i;

	for (i = 0; i < hs->n; i++)
		if (strcmp(hs->h[i].name, lname) == 0)
			return &hs->h[i];
	return NULL;
}

/* By name; repeats keep their order in the request (qsort is not stable). */
static int
header_cmp(const void *a, const void *b)
{
	const struct canon_header *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

/*
 * Trim both ends and squash each inner run of whitespace to one space.  A
 * folded value ("a\n  b") is a run like any other, so multi-line values
 * come out on one line, as botocore's ' '.join(value.split()) does.
 */
int
trim_value(struct buf *out, const char *value)
{
	const char *s = value, *word;
	int first = 1;

	for (;;) {
		while (is_space(*s))
			s++;
		if (*s == '\0')
			return 0;
		if (!first && buf_putc(out, ' ') == -1)
			return -1;
		for (word = s; *s != '\0' && !is_space(*s); s++)
			;
		if (buf_append(out, word, (size_t)(s - word)) == -1)
			return -1;
		first = 0;
	}
}

/*
 * Runs on the sorted list, so repeats of a name are neighbours: the first
 * writes "name:", each later one only ",value".
 */
int
canon_headers_write(struct buf *block, struct buf *signed_names,
    struct canon_headers *hs)
{
	size_t i;
	int repeat;

	qsort(hs->h, hs->n, sizeof(hs->h[0]), header_cmp);
	for (i = 0; i < hs->n; i++) {
		repeat = i > 0 && strcmp(hs->h[i].name, hs->h[i - 1].name) == 0;
		if (repeat) {
			if (buf_putc(block, ',') == -1)
				return -1;
		} else if ((i > 0 && (buf_putc(block, '\n') == -1 ||
		    buf_putc(signed_names, ';') == -1)) ||
		    buf_puts(block, hs->h[i].name) == -1 ||
		    buf_putc(block, ':') == -1 ||
		    buf_puts(signed_names, hs->h[i].name) == -1) {
			return -1;
		}
		if (trim_value(block, hs->h[i].value) == -1)
			return -1;
	}
	return hs->n > 0 ? buf_putc(block, '\n') : 0;
}

void
canon_headers_free(struct canon_headers *hs)
{
	size_t i;

	for (i = 0; i < hs->n; i++)
		free(hs->h[i].name);
	hs->n = 0;
}
