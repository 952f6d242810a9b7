/* test-util.c - bounded buffers, numbers, atomic output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

static void
test_buf(void)
{
	struct buf b;

	buf_init(&b, 8);
	CHECK("buf append within cap", buf_puts(&b, "abcd") == 0 && b.len == 4);
	CHECK("buf printf within cap", buf_printf(&b, "%d", 123) == 0 &&
	    strcmp(b.data, "abcd123") == 0);
	CHECK("buf append past cap fails", buf_puts(&b, "xy") == -1 &&
	    errno == EFBIG);
	CHECK("failed buf is freed", b.data == NULL && b.len == 0);
	buf_free(&b);
}

static void
test_parse_long(void)
{
	static const struct {
		const char *in;
		long min, max;
		int rc;
		long want;
	} rows[] = {
		{ "0", 0, 10, 0, 0 },
		{ "10", 0, 10, 0, 10 },
		{ "11", 0, 10, -1, 0 },
		{ "-1", 0, 10, -1, 0 },
		{ "-5", -10, 10, 0, -5 },
		{ "", 0, 10, -1, 0 },
		{ " 1", 0, 10, -1, 0 },
		{ "1x", 0, 10, -1, 0 },
		{ "+1", 0, 10, -1, 0 },
		{ "99999999999999999999", 0, 10, -1, 0 },
	};
	char name[64];
	long v;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		v = 0;
		snprintf(name, sizeof name, "parse_long '%s'", rows[i].in);
		CHECK(name, parse_long(rows[i].in, rows[i].min, rows[i].max,
		    &v) == rows[i].rc && v == rows[i].want);
	}
}

static void
test_write_output(void)
{
	char dir[] = "/tmp/accel-unit.XXXXXX";
	char path[64];
	struct stat st1, st2;
	struct buf b;

	if (mkdtemp(dir) == NULL) {
		CHECK("mkdtemp", 0);
		return;
	}
	snprintf(path, sizeof path, "%s/out.json", dir);
	CHECK("write_output creates", write_output(path, "abc\n", 4) == 1);
	stat(path, &st1);
	CHECK("write_output same bytes is a no-op",
	    write_output(path, "abc\n", 4) == 0);
	stat(path, &st2);
	CHECK("unchanged file keeps its inode", st1.st_ino == st2.st_ino);
	CHECK("write_output replaces", write_output(path, "xyz\n", 4) == 1);
	CHECK("replaced content", read_file(path, 100, &b) == 0 &&
	    strcmp(b.data, "xyz\n") == 0);
	buf_free(&b);
	CHECK("read_file cap", read_file(path, 2, &b) == -1);
	CHECK("/dev/null written in place",
	    write_output("/dev/null", "x", 1) == 1);
	unlink(path);
	rmdir(dir);
}

static void
test_quote_name(void)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "model/w.bin", "model/w.bin" },
		{ "a b'c\"~", "a b'c\"~" },
		{ "back\\slash", "back\\\\slash" },
		{ "\033]0;PWNED\a", "\\033]0;PWNED\\a" },
		{ "t\tn\nr\r", "t\\tn\\nr\\r" },
		{ "del\177", "del\\177" },
		{ "caf\303\251 \346\227\245\360\237\230\200",
		    "caf\303\251 \346\227\245\360\237\230\200" },
		{ "csi\302\233", "csi\\302\\233" },	/* U+009B */
		{ "rlo\342\200\256x", "rlo\\342\\200\\256x" },	/* U+202E */
		{ "ls\342\200\250", "ls\\342\\200\\250" },	/* U+2028 */
		{ "bad\377", "bad\\377" },
		{ "cut\303", "cut\\303" },
		{ "over\300\257", "over\\300\\257" },	/* overlong '/' */
		{ "sur\355\240\200", "sur\\355\\240\\200" },
	};
	char out[QUOTE_SIZE(64)], small[8];
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		CHECK_STREQ(rows[i].want, quote_name(rows[i].in, out,
		    sizeof out), rows[i].want);
	CHECK_STREQ("fits exactly", quote_name("1234567", small,
	    sizeof small), "1234567");
	CHECK_STREQ("cut with ...", quote_name("12345678", small,
	    sizeof small), "1234...");
	CHECK_STREQ("escape not cut in half", quote_name("12345\033",
	    small, sizeof small), "1234...");
	CHECK_STREQ("worst case fits QUOTE_SIZE", quote_name("\001\002",
	    out, QUOTE_SIZE(2)), "\\001\\002");
}

int
main(void)
{
	accel_prog = "test-util";
	test_buf();
	test_parse_long();
	test_write_output();
	test_quote_name();
	return check_done();
}
