/*
 * fuzz-config.c - the config reader end to end: the positioned tree, every
 * rule, the normalized output.  JSON mode when the input starts with '{'
 * (as a JSON config does), else YAML.  TSV files are not opened.
 */
#include <stdint.h>
#include <stdlib.h>

#include "config.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags d;
	cJSON *obj = NULL;
	char *text;

	if (size > CONFIG_MAX_BYTES)
		return 0;
	diags_init(&d);
	if (config_check("fuzz", (const char *)data, size,
	    size > 0 && data[0] == '{', NULL, &d, &obj) == 0) {
		text = json_dump_file_text(obj, CONFIG_OUT_MAX);
		free(text);
	}
	diags_sort(&d);
	cJSON_Delete(obj);
	diags_free(&d);
	return 0;
}
