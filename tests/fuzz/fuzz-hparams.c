/*
 * fuzz-hparams.c - script arguments to hyperparameters: the input is split
 * at NUL bytes into arguments for hparams_from_args, and the whole input
 * (up to its first NUL) is also encoded as one value.  Catches overruns in
 * the float grammar, the UTF-8 handling and the big-integer printer; the
 * property test against Python is tests/cli/hparams-python.t.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hparams.h"
#include "pynum.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_ARGS 64

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *args[FUZZ_MAX_ARGS];
	struct buf b;
	cJSON *hp;
	int n = 0;

	if (copy == NULL)
		return 0;
	accel_prog = "fuzz-hparams";
	memcpy(copy, data, size);
	copy[size] = '\0';
	buf_init(&b, 1 << 16);
	py_encode_value(&b, copy);
	buf_free(&b);
	for (size_t i = 0; i <= size && n < FUZZ_MAX_ARGS; n++) {
		args[n] = copy + i;
		i += strlen(copy + i) + 1;
	}
	hp = hparams_from_args(n, args);
	cJSON_Delete(hp);
	free(copy);
	return 0;
}
