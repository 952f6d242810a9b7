/*
 * crypto.h - the few digests libaccel needs: SHA-256 (one-shot and
 * incremental, for streaming a file), HMAC-SHA256, lower-case hex and a
 * constant-time compare.  Only crypto.c includes OpenSSL; everything else
 * uses this interface (s3fs-fuse's s3fs_auth.h is the model).
 */
#ifndef ACCEL_CRYPTO_H
#define ACCEL_CRYPTO_H

#include <stddef.h>

#define SHA256_LEN 32			/* bytes of a SHA-256 digest */
#define SHA256_HEX_LEN 64		/* its hex form, without the NUL */

/* An incremental SHA-256; opaque, allocated by sha256_new. */
struct sha256_ctx;

/* sha256: MD = SHA-256 of LEN bytes at P.  Returns 0 or -1. */
int sha256(const void *p, size_t len, unsigned char md[SHA256_LEN]);

/*
 * Streaming: sha256_new, any number of sha256_update, then sha256_final,
 * which also frees CTX.  sha256_free drops a context that is not finished
 * (an error path).  Each returns 0 or -1 (NULL for sha256_new).
 */
struct sha256_ctx *sha256_new(void);
int sha256_update(struct sha256_ctx *ctx, const void *p, size_t len);
int sha256_final(struct sha256_ctx *ctx, unsigned char md[SHA256_LEN]);
void sha256_free(struct sha256_ctx *ctx);

/*
 * MD5, only to check S3 ETags (aws-protocols.md 3.6), never for security:
 * the same streaming shape as SHA-256 above.
 */
#define MD5_LEN 16
struct md5_ctx;
struct md5_ctx *md5_new(void);
int md5_update(struct md5_ctx *ctx, const void *p, size_t len);
int md5_final(struct md5_ctx *ctx, unsigned char md[MD5_LEN]);
void md5_free(struct md5_ctx *ctx);

/* hmac_sha256: MD = HMAC-SHA256(KEY, MSG).  Returns 0 or -1. */
int hmac_sha256(const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char md[SHA256_LEN]);

/* hex_encode: LEN bytes of P as lower-case hex in OUT (2*LEN+1 bytes). */
void hex_encode(const void *p, size_t len, char *out);

/* sha256_hex: hex SHA-256 of P into OUT (SHA256_HEX_LEN+1 bytes). */
int sha256_hex(const void *p, size_t len, char out[SHA256_HEX_LEN + 1]);

/* ct_equal: 1 when the LEN bytes at A and B are equal, in constant time. */
int ct_equal(const void *a, const void *b, size_t len);

#endif
