/*
 * fuzz-pyyaml.c - pyyaml_load on any bytes must not crash, and what it
 * loads must survive pyyaml_dump and a second load unchanged: dump(load(
 * dump(x))) == dump(x), the property that lets accel-config rewrite
 * accelerate's files (--from) without changing them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pyyaml.h"

#define FUZZ_OUT_MAX (1 << 22)

static char *
dump(const struct ynode *root, size_t *len)
{
	struct buf b;

	buf_init(&b, FUZZ_OUT_MAX);
	if (pyyaml_dump(&b, root) == -1) {
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return b.data;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ynode *first, *second;
	char *a, *b;
	size_t alen = 0, blen = 0;

	accel_prog = "fuzz-pyyaml";
	first = pyyaml_load("input", (const char *)data, size);
	if (first == NULL || (first->kind != Y_MAP && first->kind != Y_SEQ)) {
		ynode_free(first);
		return 0;
	}
	a = dump(first, &alen);
	ynode_free(first);
	if (a == NULL)
		return 0;	/* too deep or not UTF-8 */
	second = pyyaml_load("dump", a, alen);
	if (second == NULL)
		abort();	/* we wrote what we cannot read */
	b = dump(second, &blen);
	ynode_free(second);
	if (b == NULL || alen != blen || memcmp(a, b, alen) != 0)
		abort();
	free(a);
	free(b);
	return 0;
}
