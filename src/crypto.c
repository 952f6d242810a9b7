/* crypto.c - SHA-256, HMAC-SHA256 and hex over OpenSSL's libcrypto. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto.h"

/* The opaque type is libcrypto's digest context under our own name. */
struct sha256_ctx {
	EVP_MD_CTX *md;
};

int
sha256(const void *p, size_t len, unsigned char md[SHA256_LEN])
{
	unsigned int n = 0;

	if (EVP_Digest(p, len, md, &n, EVP_sha256(), NULL) != 1 ||
	    n != SHA256_LEN)
		return -1;
	return 0;
}

struct sha256_ctx *
sha256_new(void)
{
	struct sha256_ctx *ctx;

	if ((ctx = OPENSSL_zalloc(sizeof(*ctx))) == NULL)
		return NULL;
	if ((ctx->md = EVP_MD_CTX_new()) == NULL)
		goto fail;
	if (EVP_DigestInit_ex(ctx->md, EVP_sha256(), NULL) != 1)
		goto fail;
	return ctx;
fail:
	sha256_free(ctx);
	return NULL;
}

int
sha256_update(struct sha256_ctx *ctx, const void *p, size_t len)
{
	return EVP_DigestUpdate(ctx->md, p, len) == 1 ? 0 : -1;
}

int
sha256_final(struct sha256_ctx *ctx, unsigned char md[SHA256_LEN])
{
	unsigned int n = 0;
	int ok;

	ok = EVP_DigestFinal_ex(ctx->md, md, &n) == 1 && n == SHA256_LEN;
	sha256_free(ctx);
	return ok ? 0 : -1;
}

void
sha256_free(struct sha256_ctx *ctx)
{
	if (ctx == NULL)
		return;
	EVP_MD_CTX_free(ctx->md);
	OPENSSL_free(ctx);
}

int
hmac_sha256(const void *key, size_t keylen, const void *msg, size_t msglen,
    unsigned char md[SHA256_LEN])
{
	unsigned int n = 0;

	/* HMAC() takes an int key length; our keys are tens of bytes. */
	if (keylen > 1024)
		return -1;
	if (HMAC(EVP_sha256(), key, (int)keylen, msg, msglen, md, &n) == NULL ||
	    n != SHA256_LEN)
		return -1;
	return 0;
}

void
hex_encode(const void *p, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[s[i] >> 4];
		out[2 * i + 1] = digits[s[i] & 15];
	}
	out[2 * len] = '\0';
}

int
sha256_hex(const void *p, size_t len, char out[SHA256_HEX_LEN + 1])
{
	unsigned char md[SHA256_LEN];

	if (sha256(p, len, md) == -1)
		return -1;
	hex_encode(md, sizeof(md), out);
	return 0;
}

int
ct_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}
