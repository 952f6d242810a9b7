/*
 * fuzz-manifest.c - accel-local's S3 channel cache manifest (locals3.c)
 * on arbitrary bytes: the old manifest, then after a NUL the new one.
 * Every path named as gone is what remove_gone unlinks below the cache, so
 * besides memory safety it must be a line's path of the old manifest, and
 * a name fetch_tree could have written: relative, normalised, no "..".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "local.h"
#include "s3.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
gone(void *ctx, const char *rel)
{
	char norm[S3_MAX_KEY + 1];
	const char *why;

	if (strlen(rel) > S3_MAX_KEY || strchr(rel, '\n') != NULL)
		abort();
	if (extract_check_name(rel, norm, sizeof norm, &why) == -1 ||
	    norm[0] == '\0' || strcmp(norm, rel) != 0)
		abort();	/* would unlink outside the cache */
	(void)ctx;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, '\0', size);
	size_t n = nul ? (size_t)(nul - (const char *)data) : size;
	char *old, *new, *line;

	if ((old = malloc(size + 1)) == NULL)
		return 0;
	memcpy(old, data, size);
	old[size] = '\0';		/* old is OLD[0..n) */
	new = nul ? old + n + 1 : old + size;
	local_manifest_gone(old, new, gone, NULL);
	local_manifest_gone(old, NULL, gone, NULL);
	/* The new manifest's first line, looked up in the old one. */
	if ((line = strdup(new)) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		(void)local_manifest_listed(old, line);
		(void)local_manifest_listed(NULL, line);
		free(line);
	}
	free(old);
	return 0;
}
