/*
 * fuzz-ignore.c - the .accelignore parser and matcher.  The input is an
 * .accelignore text, then optionally a NUL and a path to test against it;
 * without a path a few fixed ones are tried.  Catches overruns in the line
 * and escape handling and runaway backtracking in the matcher (libFuzzer's
 * timeout reports it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ignore.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fixed_paths[] = {
	"a", "a/b", "a/b/c.txt", ".env", "deep/x/y/z/id_rsa.pub", "",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const uint8_t *nul = memchr(data, '\0', size);
	size_t textlen = nul != NULL ? (size_t)(nul - data) : size;
	struct ignore *ig;
	char *path = NULL;

	accel_prog = "fuzz-ignore";
	if (nul != NULL) {
		size_t n = size - textlen - 1;

		path = malloc(n + 1);
		if (path == NULL)
			return 0;
		memcpy(path, nul + 1, n);
		path[n] = '\0';
	}
	ig = ignore_parse(text, textlen, "fuzz");
	if (ig != NULL) {
		if (path != NULL) {
			ignore_match(ig, path, 0);
			ignore_match(ig, path, 1);
		} else {
			for (size_t i = 0; i < sizeof fixed_paths /
			    sizeof fixed_paths[0]; i++)
				ignore_match(ig, fixed_paths[i], (int)(i & 1));
		}
		ignore_free(ig);
	}
	free(path);
	return 0;
}
