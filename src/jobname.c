/* jobname.c - the content-derived job name (see jobname.h). */
#include <ctype.h>
#include <string.h>

#include "jobname.h"
#include "util.h"

int
jobname_digest(const char *body, size_t len, const char *tar_sha256,
    long run, char out[SHA256_HEX_LEN + 1])
{
	unsigned char md[SHA256_LEN];
	struct sha256_ctx *ctx = sha256_new();
	char head[160];

	if (ctx == NULL)
		return -1;
	if (xsnprintf(head, sizeof head, "accel-request digest 1\nrun %ld\n"
	    "archive %s\nbody %zu\n", run, tar_sha256, len) == -1 ||
	    sha256_update(ctx, head, strlen(head)) == -1 ||
	    sha256_update(ctx, body, len) == -1) {
		sha256_free(ctx);
		return -1;
	}
	if (sha256_final(ctx, md) == -1)
		return -1;
	hex_encode(md, sizeof md, out);
	return 0;
}

int
jobname_make(const char *base, const char *digest,
    char out[JOBNAME_MAX + 1])
{
	int keep = JOBNAME_MAX - 1 - JOBNAME_HASH_LEN;

	return xsnprintf(out, JOBNAME_MAX + 1, "%.*s-%.*s", keep, base,
	    JOBNAME_HASH_LEN, digest);
}

int
jobname_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > JOBNAME_MAX || !isalnum((unsigned char)name[0]) ||
	    !isalnum((unsigned char)name[n - 1]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-')
			return 0;
	return 1;
}
