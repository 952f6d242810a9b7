/*
 * extractsafe.c - the rules extract.c applies to each entry: a name that
 * stays under the root, no name twice, links that resolve inside.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract-int.h"
#include "extract.h"
#include "util.h"

int
extract_check_name(const char *name, char *out, size_t outlen,
    const char **why)
{
	const char *p = name, *end;
	size_t n, len = 0;

	if (name[0] == '\0')
		return *why = "empty name", -1;
	if (name[0] == '/')
		return *why = "absolute path", -1;
	if (strlen(name) >= outlen || strlen(name) > EXTRACT_MAX_NAME)
		return *why = "name too long", -1;
	while (*p != '\0') {
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return *why = "'..' in the path", -1;
		if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (len > 0)
				out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		p += n;
		if (*p == '/')
			p++;
	}
	out[len] = '\0';
	return 0;
}

static size_t
hash(const char *s)
{
	size_t h = 14695981039346656037ULL & SIZE_MAX;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * (1099511628211ULL & SIZE_MAX);
	return h;
}

void
nameset_init(struct nameset *s)
{
	memset(s, 0, sizeof *s);
}

void
nameset_free(struct nameset *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->names[i]);
	free(s->names);
	free(s->types);
	nameset_init(s);
}

static size_t
slot(const struct nameset *s, const char *name)
{
	size_t i = hash(name) & (s->cap - 1);

	while (s->names[i] != NULL && strcmp(s->names[i], name) != 0)
		i = (i + 1) & (s->cap - 1);
	return i;
}

char
nameset_type(const struct nameset *s, const char *name)
{
	size_t i;

	if (s->cap == 0)
		return 0;
	i = slot(s, name);
	return s->names[i] ? s->types[i] : 0;
}

static int
grow(struct nameset *s)
{
	struct nameset n = { 0 };
	size_t i, j;

	n.cap = s->cap ? s->cap * 2 : 64;
	n.names = calloc(n.cap, sizeof *n.names);
	n.types = calloc(n.cap, 1);
	if (n.names == NULL || n.types == NULL) {
		free(n.names);
		free(n.types);
		return -1;
	}
	for (i = 0; i < s->cap; i++)
		if (s->names[i] != NULL) {
			j = slot(&n, s->names[i]);
			n.names[j] = s->names[i];
			n.types[j] = s->types[i];
		}
	n.len = s->len;
	free(s->names);
	free(s->types);
	*s = n;
	return 0;
}

int
nameset_add(struct nameset *s, const char *name, char type)
{
	size_t i;

	if ((s->len + 1) * 2 > s->cap && grow(s) == -1)
		return -1;
	i = slot(s, name);
	if (s->names[i] == NULL) {
		if ((s->names[i] = strdup(name)) == NULL)
			return -1;
		s->len++;
	}
	s->types[i] = type;
	return 0;
}

/* Depth of NAME's directory below the root ("a/b/c": 2). */
static long
dir_depth(const char *name)
{
	long d = 0;

	for (; *name != '\0'; name++)
		d += *name == '/';
	return d;
}

int
link_stays_inside(const char *name, const char *target)
{
	long depth = dir_depth(name);
	const char *p = target, *end;
	size_t n;

	if (target[0] == '/' || target[0] == '\0')
		return 0;
	while (*p != '\0') {
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return 0;
		} else if (n > 0 && !(n == 1 && p[0] == '.'))
			depth++;
		p += n;
		if (*p == '/')
			p++;
	}
	return 1;
}

/* Drop the last component of CUR ("" is the root). */
static void
up(char *cur)
{
	char *s = strrchr(cur, '/');

	if (s != NULL)
		*s = '\0';
	else
		cur[0] = '\0';
}

/* Walk TARGET from directory CUR (root-relative), following links. */
static int
walk(char *cur, size_t size, const char *target, int *hops)
{
	char link[PATH_MAX];
	const char *p = target, *end;
	struct stat st;
	size_t n, len;
	ssize_t r;

	if (target[0] == '/')
		return 0;
	while (*p != '\0') {
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (cur[0] == '\0')
				return 0;
			up(cur);
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			len = strlen(cur);
			if (len + n + 2 > size)
				return 0;
			if (len > 0)
				cur[len++] = '/';
			memcpy(cur + len, p, n);
			cur[len + n] = '\0';
			if (lstat(cur, &st) == 0 && S_ISLNK(st.st_mode)) {
				if (++*hops > EXTRACT_MAX_HOPS ||
				    (r = readlink(cur, link, sizeof link - 1))
				    < 0)
					return 0;
				link[r] = '\0';
				up(cur);
				if (!walk(cur, size, link, hops))
					return 0;
			}
		}
		p += n;
		if (*p == '/')
			p++;
	}
	return 1;
}

int
link_resolves_inside(const char *name)
{
	char cur[PATH_MAX], link[PATH_MAX];
	ssize_t r;
	int hops = 0;

	if (xsnprintf(cur, sizeof cur, "%s", name) == -1 ||
	    (r = readlink(name, link, sizeof link - 1)) < 0)
		return 0;
	link[r] = '\0';
	up(cur);
	return walk(cur, sizeof cur, link, &hops);
}
