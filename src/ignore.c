/* ignore.c - the .accelignore subset of gitignore(5) (see ignore.h). */
#include <stdlib.h>
#include <string.h>

#include "ignore.h"
#include "util.h"

struct pattern {
	char *glob;
	int negate;		/* "!x" */
	int dir_only;		/* "x/" */
	int anchored;		/* has a '/' before its end: whole path */
};

struct ignore {
	struct pattern *v;
	size_t n;
};

/*
 * The matcher follows git's wildmatch: a failed '*' reports how far the
 * failure reaches, so that the callers above it stop trying positions
 * that cannot succeed, which keeps the work polynomial.
 */
enum {
	WM_MATCH,
	WM_NOMATCH,
	WM_ABORT_ALL,		/* the text ran out: no later start helps */
	WM_ABORT_TO_STARSTAR	/* a '/' stopped a '*': only a '**' helps */
};

/* A bracket class at P ("[...]"); *END gets the character after ']'. */
static int
match_class(const char *p, unsigned char c, const char **end)
{
	int negate = 0, hit = 0;
	unsigned char lo, hi;

	p++;
	if (*p == '!' || *p == '^') {
		negate = 1;
		p++;
	}
	for (int first = 1; *p != '\0' && (first || *p != ']'); first = 0) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		lo = hi = (unsigned char)*p++;
		if (*p == '-' && p[1] != ']' && p[1] != '\0') {
			p++;
			if (*p == '\\' && p[1] != '\0')
				p++;
			hi = (unsigned char)*p++;
		}
		if (c >= lo && c <= hi)
			hit = 1;
	}
	if (*p != ']')
		return -1;	/* unterminated: the pattern cannot match */
	*end = p;
	return hit != negate && c != '/';
}

static int
dowild(const char *pattern, const char *p, const char *t)
{
	const char *end;
	int slash, m;

	for (; *p != '\0'; p++, t++) {
		if (*t == '\0' && *p != '*')
			return WM_ABORT_ALL;
		switch (*p) {
		case '\\':
			if (p[1] != '\0')
				p++;
			if (*t != *p)
				return WM_NOMATCH;
			break;
		case '?':
			if (*t == '/')
				return WM_NOMATCH;
			break;
		case '[':
			m = match_class(p, (unsigned char)*t, &end);
			if (m == -1)
				return WM_ABORT_ALL;
			if (m == 0)
				return WM_NOMATCH;
			p = end;
			break;
		case '*':
			slash = 0;
			if (p[1] == '*') {
				const char *before = p - 1;

				while (p[1] == '*')
					p++;
				/* "**" as a whole path component crosses '/' */
				if ((before < pattern || *before == '/') &&
				    (p[1] == '\0' || p[1] == '/')) {
					/* "**" then '/' may match no directory;
					 * running out of text there means no
					 * longer match can work either */
					if (p[1] == '/') {
						m = dowild(pattern, p + 2, t);
						if (m == WM_MATCH ||
						    m == WM_ABORT_ALL)
							return m;
					}
					slash = 1;
				}
			}
			p++;
			if (*p == '\0') {
				if (!slash && strchr(t, '/') != NULL)
					return WM_ABORT_TO_STARSTAR;
				return WM_MATCH;
			}
			if (!slash && *p == '/') {
				/* "*" then '/': the rest of this component */
				t = strchr(t, '/');
				if (t == NULL)
					return WM_ABORT_ALL;
				break;
			}
			for (; *t != '\0'; t++) {
				m = dowild(pattern, p, t);
				if (m != WM_NOMATCH) {
					if (!slash || m != WM_ABORT_TO_STARSTAR)
						return m;
				} else if (!slash && *t == '/') {
					return WM_ABORT_TO_STARSTAR;
				}
			}
			return WM_ABORT_ALL;
		default:
			if (*t != *p)
				return WM_NOMATCH;
			break;
		}
	}
	return *t == '\0' ? WM_MATCH : WM_NOMATCH;
}

int
ignore_wildmatch(const char *pattern, const char *text)
{
	return dowild(pattern, pattern, text) == WM_MATCH;
}

/* Trailing spaces go unless escaped; "\ " keeps one. */
static size_t
trim_trailing_spaces(const char *s, size_t n)
{
	while (n > 0 && s[n - 1] == ' ') {
		size_t bs = 0;

		while (bs < n - 1 && s[n - 2 - bs] == '\\')
			bs++;
		if (bs % 2 == 1)
			break;	/* an escaped space ends the pattern */
		n--;
	}
	return n;
}

/* One line of LEN bytes into *PT; 0 when the line holds no pattern. */
static int
parse_line(const char *s, size_t len, struct pattern *pt)
{
	memset(pt, 0, sizeof *pt);
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (len == 0 || s[0] == '#')
		return 0;
	len = trim_trailing_spaces(s, len);
	if (len > 0 && s[0] == '!') {
		pt->negate = 1;
		s++;
		len--;
	}
	if (len > 0 && s[len - 1] == '/' &&
	    (len < 2 || s[len - 2] != '\\')) {
		pt->dir_only = 1;
		len--;
	}
	if (memchr(s, '/', len) != NULL)
		pt->anchored = 1;
	if (len > 0 && s[0] == '/') {
		s++;
		len--;
	}
	if (len == 0)
		return 0;
	if (memchr(s, '\0', len) != NULL)
		return 0;	/* a NUL cannot be in a file name */
	pt->glob = strndup(s, len);
	return pt->glob == NULL ? -1 : 1;
}

struct ignore *
ignore_parse(const char *text, size_t len, const char *file)
{
	struct ignore *ig = calloc(1, sizeof *ig);
	const char *line = text, *end = text + len, *nl;
	size_t n, lineno = 0;
	struct pattern pt;
	int rc;

	if (ig == NULL)
		goto nomem;
	if (len > IGNORE_MAX_BYTES) {
		accel_err("'%s' is larger than the limit of %d bytes", file,
		    IGNORE_MAX_BYTES);
		goto fail;
	}
	for (; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - line);
		lineno++;
		if (n > IGNORE_MAX_PATTERN) {
			accel_err("%s:%zu:1: error: pattern longer than %d "
			    "bytes", file, lineno, IGNORE_MAX_PATTERN);
			goto fail;
		}
		rc = parse_line(line, n, &pt);
		if (rc == -1)
			goto nomem;
		if (rc == 0)
			continue;
		if (ig->n == IGNORE_MAX_PATTERNS) {
			free(pt.glob);
			accel_err("%s:%zu:1: error: more than %d patterns", file,
			    lineno, IGNORE_MAX_PATTERNS);
			goto fail;
		}
		if (ig->n % 64 == 0) {
			struct pattern *v = realloc(ig->v,
			    (ig->n + 64) * sizeof *v);

			if (v == NULL) {
				free(pt.glob);
				goto nomem;
			}
			ig->v = v;
		}
		ig->v[ig->n++] = pt;
	}
	return ig;
nomem:
	accel_err("cannot read '%s':", file);
fail:
	ignore_free(ig);
	return NULL;
}

enum ignore_verdict
ignore_match(const struct ignore *ig, const char *path, int is_dir)
{
	const char *base = strrchr(path, '/');
	size_t i;

	base = base != NULL ? base + 1 : path;
	for (i = ig != NULL ? ig->n : 0; i-- > 0;) {
		const struct pattern *pt = &ig->v[i];

		if (pt->dir_only && !is_dir)
			continue;
		if (ignore_wildmatch(pt->glob, pt->anchored ? path : base))
			return pt->negate ? IGNORE_INCLUDE : IGNORE_EXCLUDE;
	}
	return IGNORE_NONE;
}

void
ignore_free(struct ignore *ig)
{
	if (ig == NULL)
		return;
	for (size_t i = 0; i < ig->n; i++)
		free(ig->v[i].glob);
	free(ig->v);
	free(ig);
}
