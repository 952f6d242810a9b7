/*
 * test-fetch.c - accel-fetch's pure parts: the ETag check (MD5 vectors of
 * RFC 1321; multipart digests computed with Python's hashlib, the same rule
 * aws-cli's uploads are checked against in tests/aws/fetch.t), entry names,
 * link words, URIs and the progress line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "extract-int.h"
#include "extract.h"
#include "fetch.h"
#include "progress.h"
#include "util.h"

static enum etag_result
etag(const char *tag, const void *p, size_t n, size_t chunk, char *why,
    size_t whylen)
{
	struct etag_check *c = etag_check_new(tag, (long long)n);
	const char *s = p;
	size_t k;

	if (c == NULL)
		return ETAG_MISMATCH - 1;
	for (k = 0; k < n; k += chunk)	/* any split of the stream */
		etag_check_update(c, s + k, n - k < chunk ? n - k : chunk);
	return etag_check_final(c, why, whylen);
}

static void
test_etag(void)
{
	char *zeros = calloc(20 << 20, 1);
	char why[256];

	CHECK_INTEQ("empty", etag("\"d41d8cd98f00b204e9800998ecf8427e\"", "",
	    0, 1, why, sizeof why), ETAG_MATCH);
	CHECK_INTEQ("abc", etag("\"900150983CD24FB0D6963F7D28E17F72\"", "abc",
	    3, 1, why, sizeof why), ETAG_MATCH);
	CHECK_STREQ("abc why", why, "size and ETag (MD5) verified");
	CHECK_INTEQ("abd", etag("\"900150983cd24fb0d6963f7d28e17f72\"", "abd",
	    3, 2, why, sizeof why), ETAG_MISMATCH);
	CHECK_STREQ("mismatch why", why, "the bytes do not match the ETag "
	    "900150983cd24fb0d6963f7d28e17f72");
	/* 6 MiB in 5 MiB parts: 8 MiB would give one part, not two. */
	CHECK_INTEQ("5 MiB parts", etag("\"b7992ce8540773fdfcab72bd0e8c4c64-2\"",
	    zeros, 6 << 20, 777777, why, sizeof why), ETAG_MATCH);
	CHECK_STREQ("5 MiB why", why, "size and ETag (2 parts of 5 MiB) "
	    "verified");
	CHECK_INTEQ("8 MiB parts", etag("5452e5568d20a60209babc69a7b95911-3",
	    zeros, 20 << 20, 1 << 20, why, sizeof why), ETAG_MATCH);
	CHECK_INTEQ("wrong count", etag("5452e5568d20a60209babc69a7b95911-4",
	    zeros, 20 << 20, 1 << 20, why, sizeof why), ETAG_MISMATCH);
	CHECK_INTEQ("KMS-like", etag("\"not-an-md5\"", "abc", 3, 1, why,
	    sizeof why), ETAG_UNCHECKED);
	CHECK_INTEQ("odd part size", etag("5452e5568d20a60209babc69a7b95911-"
	    "9000", zeros, 20 << 20, 1 << 20, why, sizeof why), ETAG_UNCHECKED);
	free(zeros);
}

static void
test_names(void)
{
	static const struct { const char *in, *want; } rows[] = {
		{ "a/b", "a/b" }, { "./a//b/", "a/b" }, { ".", "" },
		{ "./", "" }, { "a/./b", "a/b" }, { "..", NULL },
		{ "a/../b", NULL }, { "/etc/passwd", NULL }, { "", NULL },
		{ "..a/b..", "..a/b.." },
	};
	char out[EXTRACT_MAX_NAME + 1];
	const char *why;
	size_t i;
	int rc;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		rc = extract_check_name(rows[i].in, out, sizeof out, &why);
		if (rows[i].want == NULL)
			CHECK_INTEQ(rows[i].in, rc, -1);
		else
			CHECK_STREQ(rows[i].in, rc == 0 ? out : why,
			    rows[i].want);
	}
	CHECK("link sibling", link_stays_inside("d/l", "../a"));
	CHECK("link to root", link_stays_inside("d/l", ".."));
	CHECK("link above", !link_stays_inside("d/l", "../.."));
	CHECK("link down and up", link_stays_inside("l", "a/b/../../x"));
	CHECK("link absolute", !link_stays_inside("l", "/x"));
	CHECK("link empty", !link_stays_inside("l", ""));
}

static void
test_sets(void)
{
	struct nameset s;
	char name[32];
	int i, ok = 1;

	nameset_init(&s);
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof name, "n%d", i);
		ok &= nameset_add(&s, name, i % 2 ? 'f' : 'd') == 0;
	}
	CHECK("5000 names added", ok);
	CHECK_INTEQ("found", nameset_type(&s, "n4999"), 'f');
	CHECK_INTEQ("found d", nameset_type(&s, "n0"), 'd');
	CHECK_INTEQ("absent", nameset_type(&s, "n5000"), 0);
	nameset_free(&s);
}

static void
test_uris(void)
{
	struct fetch_uri u, o;
	char text[64];

	CHECK_INTEQ("s3", fetch_uri_parse("s3://bkt/a/b/model.tar.gz", &u), 0);
	CHECK_STREQ("bucket", u.bucket, "bkt");
	CHECK_STREQ("key", u.key, "a/b/model.tar.gz");
	CHECK_INTEQ("output", fetch_output_uri(&u, &o), 0);
	CHECK_STREQ("output key", o.key, "a/b/output.tar.gz");
	CHECK_INTEQ("file", fetch_uri_parse("file:///x/output/model.tar.gz",
	    &u), 0);
	CHECK_STREQ("path", u.path, "/x/output/model.tar.gz");
	fetch_output_uri(&u, &o);
	fetch_uri_text(&o, text, sizeof text);
	CHECK_STREQ("file output", text, "file:///x/output/output.tar.gz");
	accel_prog = "test";
	fclose(stderr);	/* the refusals below print messages */
	CHECK_INTEQ("no key", fetch_uri_parse("s3://bkt/", &u), -1);
	CHECK_INTEQ("bad bucket", fetch_uri_parse("s3://B_k/x", &u), -1);
	CHECK_INTEQ("relative file", fetch_uri_parse("file://x", &u), -1);
	CHECK_INTEQ("http", fetch_uri_parse("http://x/y", &u), -1);
}

static void
test_progress(void)
{
	char line[160];

	progress_format(line, sizeof line, 3LL << 29, 2LL << 30, 10,
	    100 << 20);
	CHECK_STREQ("bar", line, "[###############     ]  75% 1.50 GiB / "
	    "2.00 GiB  100.0 MiB/s  ETA 0:05  (10 s)");
	progress_format(line, sizeof line, 0, 1 << 20, 0, 0);
	CHECK_STREQ("start", line, "[                    ]   0% 0.0 MiB / "
	    "1.0 MiB  0.0 MiB/s  ETA --:--  (0 s)");
}

int
main(void)
{
	test_etag();
	test_names();
	test_sets();
	test_progress();
	test_uris();
	return check_done();
}
