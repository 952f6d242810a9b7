/* test-crypto.c - SHA-256 and HMAC-SHA256 against published vectors. */
#include <string.h>

#include "check.h"
#include "crypto.h"

/* FIPS 180-2 appendix B and the empty string (NIST CAVS). */
static void
test_sha256(void)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	char hex[SHA256_HEX_LEN + 1];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		CHECK("sha256_hex returns 0",
		    sha256_hex(rows[i].in, strlen(rows[i].in), hex) == 0);
		CHECK_STREQ("sha256 vector", hex, rows[i].want);
	}
}

/* The same digest, fed one byte at a time. */
static void
test_sha256_stream(void)
{
	const char *in = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	unsigned char md[SHA256_LEN];
	char hex[SHA256_HEX_LEN + 1];
	struct sha256_ctx *ctx;
	size_t i;
	int ok = 1;

	ctx = sha256_new();
	CHECK("sha256_new", ctx != NULL);
	if (ctx == NULL)
		return;
	for (i = 0; in[i] != '\0'; i++)
		ok &= sha256_update(ctx, in + i, 1) == 0;
	CHECK("sha256_update", ok);
	CHECK("sha256_final", sha256_final(ctx, md) == 0);
	hex_encode(md, sizeof(md), hex);
	CHECK_STREQ("streamed sha256", hex,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	sha256_free(sha256_new());	/* an unfinished context is freed */
}

/* RFC 4231 test cases 1 and 2. */
static void
test_hmac(void)
{
	unsigned char key1[20], md[SHA256_LEN];
	char hex[SHA256_HEX_LEN + 1];

	memset(key1, 0x0b, sizeof(key1));
	CHECK("hmac case 1", hmac_sha256(key1, sizeof(key1), "Hi There", 8,
	    md) == 0);
	hex_encode(md, sizeof(md), hex);
	CHECK_STREQ("hmac case 1 digest", hex,
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	CHECK("hmac case 2", hmac_sha256("Jefe", 4,
	    "what do ya want for nothing?", 28, md) == 0);
	hex_encode(md, sizeof(md), hex);
	CHECK_STREQ("hmac case 2 digest", hex,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void
test_hex_and_compare(void)
{
	static const unsigned char in[] = { 0x00, 0x7f, 0xab, 0xff };
	char hex[9];

	hex_encode(in, sizeof(in), hex);
	CHECK_STREQ("hex is lower-case", hex, "007fabff");
	CHECK("ct_equal equal", ct_equal("abcd", "abcd", 4) == 1);
	CHECK("ct_equal differs in last byte", ct_equal("abcd", "abce", 4) == 0);
	CHECK("ct_equal empty", ct_equal("", "", 0) == 1);
}

int
main(void)
{
	test_sha256();
	test_sha256_stream();
	test_hmac();
	test_hex_and_compare();
	return check_done();
}
