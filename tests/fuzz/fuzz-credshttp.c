/*
 * fuzz-credshttp.c - the answers of the container credentials endpoint
 * and of instance metadata (IMDS) on arbitrary bytes: the role name taken
 * from the first line, and the credentials document both read.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "creds-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
keys(int ok, struct creds *c)
{
	if (ok && (c->access_key == NULL || c->secret_key == NULL ||
	    c->session_token == NULL))
		abort();	/* both endpoints must give a token */
	if (!ok && c->access_key != NULL)
		abort();
	creds_clear(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	char err[256], role[256];
	struct creds c;

	memset(&c, 0, sizeof c);
	keys(creds_container_parse(body, size, &c, err, sizeof err) == 0, &c);
	keys(creds_imds_parse(body, size, &c, err, sizeof err) == 1, &c);
	memset(role, 'x', sizeof role);
	creds_imds_role(body, size, role, sizeof role);
	if (memchr(role, '\0', sizeof role) == NULL ||
	    strpbrk(role, "\r\n") != NULL)
		abort();
	return 0;
}
