/*
 * test-creds.c - the credential chain.
 *
 *   unit-creds                      unit tests of the pure parts (TAP)
 *   unit-creds get [--profile P] [--region R] [--timeout-ms N]
 *                  [--at SECONDS]...
 *       resolve the chain the way a tool would and print, for each --at
 *       (seconds added to the real clock before that creds_get; default one
 *       call at 0), "METHOD ACCESS_KEY_ID token=yes|no", then
 *       "region=REGION".  On failure "error" on stdout and the reason on
 *       stderr.  Never prints a secret: the tests in tests/creds compare it with
 *       botocore (tests/creds/botocore-creds.py) and grep it for secrets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "awsconfig.h"
#include "check.h"
#include "creds.h"
#include "util.h"

static long clock_offset;

static time_t
test_clock(void *ctx)
{
	(void)ctx;
	return time(NULL) + clock_offset;
}

static int
drive(int argc, char **argv)
{
	struct creds_options opt = { .clock = test_clock };
	struct creds_provider *p;
	struct sigv4_creds c;
	long at[64], v;
	int nat = 0, i, rc = 0;
	char err[1024];

	for (i = 2; i < argc; i++) {
		if (i + 1 >= argc)
			goto usage;
		if (strcmp(argv[i], "--profile") == 0)
			opt.profile = argv[++i];
		else if (strcmp(argv[i], "--region") == 0)
			opt.region = argv[++i];
		else if (strcmp(argv[i], "--timeout-ms") == 0 &&
		    parse_long(argv[++i], 1, 3600000, &v) == 0)
			opt.process_timeout_ms = v;
		else if (strcmp(argv[i], "--at") == 0 && nat < 64 &&
		    parse_long(argv[++i], 0, 10L * 365 * 86400, &v) == 0)
			at[nat++] = v;
		else
			goto usage;
	}
	if (nat == 0)
		at[nat++] = 0;
	if ((p = creds_provider_new(&opt, err, sizeof err)) == NULL) {
		printf("error\n");
		accel_err("%s", err);
		return 1;
	}
	for (i = 0; i < nat && rc == 0; i++) {
		clock_offset = at[i];
		if (creds_get(p, &c, err, sizeof err) == -1) {
			printf("error\n");
			rc = accel_err("%s", err);
			break;
		}
		printf("%s %s token=%s\n", creds_method(p), c.access_key,
		    c.session_token != NULL ? "yes" : "no");
	}
	if (rc == 0)
		printf("region=%s\n", creds_region(p));
	creds_provider_free(p);
	return rc == 0 ? 0 : 1;
usage:
	fprintf(stderr, "usage: unit-creds get [--profile P] [--region R] "
	    "[--timeout-ms N] [--at SECONDS]...\n");
	return 2;
}

static void
test_iso8601(void)
{
	static const struct {
		const char *in;
		long long want;		/* -1: refused */
	} rows[] = {
		{ "2026-11-26T23:45:37Z", 1795736737LL },
		{ "2026-11-26T23:45:37.123Z", 1795736737LL },
		{ "2026-11-26T23:45:37+00:00", 1795736737LL },
		{ "2026-11-27T01:45:37+02:00", 1795736737LL },
		{ "2026-11-26T22:45:37-0100", 1795736737LL },
		{ "2026-11-26 23:45:37Z", 1795736737LL },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2026-11-26T23:45Z", -1 },
		{ "2026-13-26T23:45:37Z", -1 },
		{ "2026-11-26T23:45:37Zjunk", -1 },
		{ "", -1 },
	};
	char name[96];
	time_t t;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		snprintf(name, sizeof name, "iso8601 '%s'", rows[i].in);
		if (rows[i].want == -1)
			CHECK(name, parse_iso8601(rows[i].in, &t) == -1);
		else
			CHECK(name, parse_iso8601(rows[i].in, &t) == 0 &&
			    (long long)t == rows[i].want);
	}
}

/* Expected values printed by Python 3.11's os.path.expanduser(
 * os.path.expandvars(s)) with HOME=/h X=/x Y= (botocore's order). */
static void
test_expand_path(void)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "~/.aws/config", "/h/.aws/config" }, { "~", "/h" },
		{ "~user/x", "~user/x" }, { "$X/c", "/x/c" },
		{ "${X}/c", "/x/c" }, { "$NOPE/c", "$NOPE/c" },
		{ "${NOPE}/c", "${NOPE}/c" }, { "a$", "a$" }, { "${X", "${X" },
		{ "$X$X", "/x/x" }, { "x~/y", "x~/y" }, { "$Y/z", "/z" },
		{ "~$X", "/h/x" },
	};
	char out[256], name[64];

	setenv("HOME", "/h", 1);
	setenv("X", "/x", 1);
	setenv("Y", "", 1);
	unsetenv("NOPE");
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		snprintf(name, sizeof name, "expand_path '%s'", rows[i].in);
		CHECK_STREQ(name, expand_path(rows[i].in, out, sizeof out) ==
		    0 ? out : "(failed)", rows[i].want);
	}
	CHECK("expand_path too long", expand_path("$X$X$X", out, 5) == -1);
}

int
main(int argc, char **argv)
{
	accel_prog = "unit-creds";
	if (argc >= 2 && strcmp(argv[1], "get") == 0)
		return drive(argc, argv);
	test_iso8601();
	test_expand_path();
	return check_done();
}
