/* test-shlex.c - shell-style splitting; expected values from Python 3.11's
 * shlex.split, which botocore uses for credential_process. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "shlex.h"
#include "util.h"

static const struct {
	const char *in;
	const char *want;	/* words joined by '|', NULL: error */
} rows[] = {
	{ "get-creds --flag \"quoted arg\"", "get-creds|--flag|quoted arg" },
	{ "  a\tb\r\nc  ", "a|b|c" },
	{ "a'b c'd", "ab cd" },
	{ "'' a \"\"", "|a|" },
	{ "a\\ b", "a b" },
	{ "\"a\\\"b\\\\c\\d\"", "a\"b\\c\\d" },
	{ "'a\\b'", "a\\b" },
	{ "\\'x", "'x" },
	{ "profile \"a b\"", "profile|a b" },
	{ "a#b #c", "a#b|#c" },
	{ "", "" },
	{ "'unclosed", NULL },
	{ "\"unclosed", NULL },
	{ "trailing\\", NULL },
	{ "\"x\\", NULL },
};

int
main(void)
{
	char err[128], name[128], **argv;
	struct buf got;
	size_t argc;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		snprintf(name, sizeof name, "split <%s>", rows[i].in);
		if (shlex_split(rows[i].in, &argv, &argc, err,
		    sizeof err) == -1) {
			CHECK_STREQ(name, rows[i].want ? err : "error",
			    rows[i].want ? rows[i].want : "error");
			continue;
		}
		buf_init(&got, 4096);
		buf_puts(&got, "");
		for (size_t j = 0; j < argc; j++)
			buf_printf(&got, "%s%s", j ? "|" : "", argv[j]);
		CHECK_STREQ(name, rows[i].want ? got.data : "no error",
		    rows[i].want ? rows[i].want : "error");
		CHECK("argv is NULL-terminated", argv[argc] == NULL);
		buf_free(&got);
		free(argv);
	}
	return check_done();
}
