/*
 * test-jobname.c - job names: the API pattern
 * ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$ (sagemaker-api.md §4.2) and the cut
 * to 63 characters.  The digest itself is recomputed by Python in
 * tests/cli/request.t.
 */
#include <string.h>

#include "check.h"
#include "jobname.h"

static void
test_valid(void)
{
	static const struct {
		const char *name;
		int want;
	} rows[] = {
		{ "a", 1 }, { "accelerate-sagemaker-1-0123456789ab", 1 },
		{ "a--b", 1 }, { "A9", 1 }, { "", 0 }, { "-a", 0 }, { "a-", 0 },
		{ "a_b", 0 }, { "a.b", 0 }, { "a b", 0 }, { "\xc3\xa9", 0 },
		{ "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij"
		  "abc", 1 },
		{ "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij"
		  "abcd", 0 },
	};
	char name[96];

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		snprintf(name, sizeof name, "'%s' is %svalid", rows[i].name,
		    rows[i].want ? "" : "not ");
		CHECK(name, jobname_valid(rows[i].name) == rows[i].want);
	}
}

static void
test_make(void)
{
	const char *digest = "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef";
	char base[80], out[JOBNAME_MAX + 1];

	CHECK("short base", jobname_make("job", digest, out) == 0);
	CHECK_STREQ("short base name", out, "job-0123456789ab");
	memset(base, 'b', 70);
	base[70] = '\0';
	CHECK("long base", jobname_make(base, digest, out) == 0);
	CHECK_INTEQ("long base is cut to 63", strlen(out), 63);
	CHECK_STREQ("long base keeps the hash", out + 50, "-0123456789ab");
	CHECK("cut name is valid", jobname_valid(out));
}

int
main(void)
{
	test_valid();
	test_make();
	return check_done();
}
