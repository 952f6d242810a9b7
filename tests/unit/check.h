/*
 * check.h - the unit-test harness, after curl's unitcheck.h: every check
 * records and continues, prints one TAP line ("ok N - name" or
 * "not ok N - name" plus a "# file:line: detail" line), and check_done()
 * prints the plan and returns the exit status for main.
 *
 * Tests are tables of { name, input, expected } rows looped over in main.
 */
#ifndef ACCEL_CHECK_H
#define ACCEL_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_n, check_failed;

static inline int
check_report(const char *file, int line, int pass, const char *name,
    const char *detail)
{
	check_n++;
	if (pass) {
		printf("ok %d - %s\n", check_n, name);
	} else {
		check_failed++;
		printf("not ok %d - %s\n# %s:%d: %s\n", check_n, name, file,
		    line, detail);
	}
	fflush(stdout);
	return pass;
}

#define CHECK(name, cond) \
	check_report(__FILE__, __LINE__, (cond) ? 1 : 0, (name), #cond)

static inline int
check_streq_at(const char *file, int line, const char *name, const char *got,
    const char *want)
{
	int pass = got != NULL && want != NULL && strcmp(got, want) == 0;

	if (!pass) {
		check_report(file, line, 0, name, "strings differ");
		printf("#   got:  '%s'\n#   want: '%s'\n", got ? got : "(null)",
		    want ? want : "(null)");
		return 0;
	}
	return check_report(file, line, 1, name, "");
}

#define CHECK_STREQ(name, got, want) \
	check_streq_at(__FILE__, __LINE__, (name), (got), (want))

static inline int
check_inteq_at(const char *file, int line, const char *name, long got,
    long want)
{
	char detail[96];

	snprintf(detail, sizeof detail, "got %ld, want %ld", got, want);
	return check_report(file, line, got == want, name, detail);
}

#define CHECK_INTEQ(name, got, want) \
	check_inteq_at(__FILE__, __LINE__, (name), (long)(got), (long)(want))

static inline int
check_done(void)
{
	printf("1..%d\n", check_n);
	return check_failed ? 1 : 0;
}

#endif
