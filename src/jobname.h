/*
 * jobname.h - the content-derived job name (DESIGN.md "Idempotence"):
 * BASE-<first 12 hex of the digest>, the base cut so that the whole fits
 * the API's 63 characters.  The digest is SHA-256 over
 *
 *   "accel-request digest 1\n"
 *   "run N\n"
 *   "archive <hex SHA-256 of the uncompressed tar stream>\n"
 *   "body <byte count>\n" <the body, compact JSON, keys sorted, with
 *   {{job_name}}, {{bucket}} and {{role_arn}} still in place>
 *
 * The tar stream rather than the .tar.gz bytes: gzip output may differ
 * between zlib builds (zlib-ng, another level of optimisation) for the
 * same files, and that must not start a second job.
 */
#ifndef ACCEL_JOBNAME_H
#define ACCEL_JOBNAME_H

#include <stddef.h>

#include "crypto.h"

#define JOBNAME_MAX 63
#define JOBNAME_HASH_LEN 12

int jobname_digest(const char *body, size_t len, const char *tar_sha256,
    long run, char out[SHA256_HEX_LEN + 1]);

/* OUT (JOBNAME_MAX + 1 bytes) = BASE-<12 hex of DIGEST>, trimmed. */
int jobname_make(const char *base, const char *digest,
    char out[JOBNAME_MAX + 1]);

/* Does NAME match ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$ ? */
int jobname_valid(const char *name);

#endif
