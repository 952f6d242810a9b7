/*
 * fuzz-credsprocess.c - what a credential_process prints is another
 * program's output: parsed as botocore's ProcessProvider reads it, the
 * keys found are complete and freed, whatever the bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "creds-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct creds c;
	char err[256];

	memset(&c, 0, sizeof c);
	err[0] = '\0';
	if (creds_process_parse((const char *)data, size, &c, err,
	    sizeof err) == 0) {
		if (c.access_key == NULL || c.secret_key == NULL)
			abort();
	} else if (err[0] == '\0' || c.access_key != NULL) {
		abort();	/* a refusal says why and holds no key */
	}
	creds_clear(&c);
	return 0;
}
