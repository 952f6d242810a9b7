/*
 * fuzz-etag.c - the ETag check (fetchverify.c): the first line of the
 * input is the ETag S3 gave, the rest the object's bytes.  Besides the
 * parse on arbitrary text: the verdict must not depend on how the bytes
 * are cut into reads, and the ETag S3 would give these bytes (the MD5 of
 * a single PUT, or the MD5 of the part MD5s of one part) must match.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "fetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_ETAG 1024

static enum etag_result
check(const char *etag, const unsigned char *p, size_t n, size_t cut)
{
	struct etag_check *c = etag_check_new(etag, (long long)n);
	char why[256];
	size_t take;

	if (c == NULL)
		abort();
	while (n > 0) {
		take = n < cut ? n : cut;
		if (etag_check_update(c, p, take) == -1)
			abort();
		p += take;
		n -= take;
	}
	return etag_check_final(c, why, sizeof why);
}

static void
md5_hex(const void *p, size_t n, char hex[2 * MD5_LEN + 1])
{
	struct md5_ctx *m = md5_new();
	unsigned char md[MD5_LEN];

	if (m == NULL || md5_update(m, p, n) == -1 || md5_final(m, md) == -1)
		abort();
	hex_encode(md, sizeof md, hex);
}

/* What S3 would say for BODY: both forms must match. */
static void
own_etags(const unsigned char *body, size_t n)
{
	char hex[2 * MD5_LEN + 1], etag[2 * MD5_LEN + 8];
	unsigned char md[MD5_LEN];
	struct md5_ctx *m;

	md5_hex(body, n, hex);
	snprintf(etag, sizeof etag, "\"%s\"", hex);
	if (check(etag, body, n, n + 1) != ETAG_MATCH)
		abort();
	if (n == 0)
		return;		/* no part of an empty multipart upload */
	if ((m = md5_new()) == NULL || md5_update(m, body, n) == -1 ||
	    md5_final(m, md) == -1)
		abort();
	md5_hex(md, sizeof md, hex);
	snprintf(etag, sizeof etag, "%s-1", hex);
	if (check(etag, body, n, 3) != ETAG_MATCH)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - data) : size;
	const unsigned char *body = nl ? nl + 1 : data + size;
	size_t blen = size - (size_t)(body - data);
	char etag[FUZZ_MAX_ETAG + 1];
	struct etag_check *c;

	if (n > FUZZ_MAX_ETAG)
		return 0;
	memcpy(etag, data, n);
	etag[n] = '\0';
	if (check(etag, body, blen, blen + 1) != check(etag, body, blen,
	    1 + blen % 7))
		abort();
	/* A size that the bytes do not reach: no crash, no leak. */
	if ((c = etag_check_new(etag, (long long)blen << 24)) == NULL)
		abort();
	(void)etag_check_final(c, NULL, 0);
	own_etags(body, blen);
	return 0;
}
