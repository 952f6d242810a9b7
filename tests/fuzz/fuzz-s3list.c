/*
 * fuzz-s3list.c - a ListObjectsV2 page on arbitrary bytes: parsed as the
 * listing does, then every <Contents> handed to a callback.  Checks what
 * accel-fetch relies on: sizes are never negative, the continuation token
 * fits its buffer, a callback's stop is returned as it was given.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "s3list.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_STOP_AFTER 3	/* keys before the second pass says stop */

struct seen {
	long n, stop_after;
};

static int
each(void *ctx, const char *key, long long size, const char *etag)
{
	struct seen *s = ctx;

	if (key == NULL || etag == NULL || size < 0)
		abort();
	s->n++;
	return s->stop_after > 0 && s->n == s->stop_after ? 7 : 0;
}

static void
list(const struct xml_node *root, long stop_after, size_t nextlen)
{
	struct seen s = { 0, stop_after };
	char next[1024];
	int rc;

	memset(next, 'x', sizeof next);
	rc = s3_list_page(root, each, &s, next, nextlen);
	if (rc != 0 && rc != -2 && !(rc == 7 && s.n == stop_after))
		abort();
	if (rc == 0 && memchr(next, '\0', nextlen) == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xml_node *root;
	char err[128];

	root = xml_parse((const char *)data, size, err, sizeof err);
	if (root == NULL)
		return 0;
	list(root, 0, 1024);
	list(root, FUZZ_STOP_AFTER, 16);
	xml_free(root);
	return 0;
}
