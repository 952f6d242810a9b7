/* fuzz-ini.c - the config reader on arbitrary bytes, then every lookup. */
#include <stddef.h>
#include <stdint.h>

#include "ini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ini_section *sec;
	struct ini ini;
	char err[512];

	if (ini_parse(&ini, "fuzz", (const char *)data, size, err,
	    sizeof err) == -1)
		return 0;
	for (size_t i = 0; i < ini.nsections; i++) {
		sec = &ini.sections[i];
		for (size_t j = 0; j < sec->npairs; j++)
			(void)ini_get_sub(&ini, sec, sec->pairs[j].key, "s3");
		(void)ini_get(&ini, sec, "region");
	}
	(void)ini_named(&ini, "profile", "default");
	(void)ini_named(&ini, "profile", "a b");
	(void)ini_get_sub(&ini, ini_named(&ini, "services", "s"), "s3",
	    "endpoint_url");
	ini_free(&ini);
	return 0;
}
