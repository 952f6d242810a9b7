/*
 * fuzz-localhp.c - hyperparameter values are untrusted text: decoding one
 * and rendering it every way the toolkit does must not crash, read out of
 * bounds or leak, whatever the bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "localhp.h"

#define FUZZ_VALUE_MAX 4096	/* well past the API's 2500 characters */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[FUZZ_VALUE_MAX + 1];
	struct buf out;
	cJSON *v;

	if (size > FUZZ_VALUE_MAX)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if ((v = hp_decode(text)) == NULL)
		return 0;
	buf_init(&out, 1 << 20);
	hp_str(&out, v);
	buf_free(&out);
	hp_env(&out, v);
	buf_free(&out);
	hp_json(&out, v, 0);
	buf_free(&out);
	cJSON_Delete(v);
	return 0;
}
