/*
 * test-retry.c - the standard retry mode: classification of failures in
 * each protocol's shape, backoff with jitter and Retry-After, the quota,
 * and the environment variables.  Expected values follow aws-protocols.md
 * section 7 (botocore retries/standard.py and quota.py).
 */
#include <stdlib.h>

#include "check.h"
#include "retry.h"

static double fixed_r;

static double
fixed_random(void *ctx)
{
	(void)ctx;
	return fixed_r;
}

static void
test_classify(void)
{
	static const struct {
		enum http_error transport;
		long status;
		const char *code;
		enum retry_class want;
	} rows[] = {
		{ HTTP_OK, 200, NULL, RETRY_NEVER },
		{ HTTP_OK, 204, "", RETRY_NEVER },
		{ HTTP_OK, 500, "InternalError", RETRY_TRANSIENT },
		{ HTTP_OK, 500, "InternalFailure", RETRY_TRANSIENT },
		{ HTTP_OK, 502, NULL, RETRY_TRANSIENT },
		{ HTTP_OK, 503, "ServiceUnavailable", RETRY_TRANSIENT },
		{ HTTP_OK, 504, "", RETRY_TRANSIENT },
		{ HTTP_OK, 501, "NotImplemented", RETRY_NEVER },
		{ HTTP_OK, 503, "SlowDown", RETRY_THROTTLE },
		{ HTTP_OK, 400, "ThrottlingException", RETRY_THROTTLE },
		{ HTTP_OK, 400, "Throttling", RETRY_THROTTLE },
		{ HTTP_OK, 400, "LimitExceededException", RETRY_THROTTLE },
		{ HTTP_OK, 400, "RequestLimitExceeded", RETRY_THROTTLE },
		{ HTTP_OK, 400, "TooManyRequestsException", RETRY_THROTTLE },
		{ HTTP_OK, 429, "", RETRY_THROTTLE },
		{ HTTP_OK, 400, "RequestTimeout", RETRY_TRANSIENT },
		{ HTTP_OK, 408, "RequestTimeoutException", RETRY_TRANSIENT },
		{ HTTP_OK, 400, "PriorRequestNotComplete", RETRY_THROTTLE },
		{ HTTP_OK, 400, "IDPCommunicationError", RETRY_TRANSIENT },
		{ HTTP_OK, 400, "ValidationException", RETRY_NEVER },
		{ HTTP_OK, 400, "ResourceLimitExceeded", RETRY_NEVER },
		{ HTTP_OK, 400, "ResourceInUse", RETRY_NEVER },
		{ HTTP_OK, 403, "SignatureDoesNotMatch", RETRY_NEVER },
		{ HTTP_OK, 403, "AccessDenied", RETRY_NEVER },
		{ HTTP_OK, 400, "ExpiredToken", RETRY_NEVER },
		{ HTTP_OK, 404, "NoSuchEntity", RETRY_NEVER },
		{ HTTP_OK, 404, NULL, RETRY_NEVER },
		{ HTTP_OK, 400, "throttlingexception", RETRY_NEVER },
		{ HTTP_ERR_CONNECT, 0, NULL, RETRY_TRANSIENT },
		{ HTTP_ERR_RESET, 0, NULL, RETRY_TRANSIENT },
		{ HTTP_ERR_TIMEOUT, 0, NULL, RETRY_TIMEOUT },
		{ HTTP_ERR_TLS, 0, NULL, RETRY_NEVER },
		{ HTTP_ERR_TOOBIG, 0, NULL, RETRY_NEVER },
		{ HTTP_ERR_OTHER, 0, NULL, RETRY_NEVER },
	};
	char name[128];

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		snprintf(name, sizeof name, "classify transport %d status %ld "
		    "code %s", rows[i].transport, rows[i].status,
		    rows[i].code ? rows[i].code : "(none)");
		CHECK_INTEQ(name, retry_classify(rows[i].transport,
		    rows[i].status, rows[i].code), rows[i].want);
	}
}

static void
test_delay(void)
{
	static const struct {
		double r;
		int attempt;
		enum retry_class c;
		const char *retry_after, *amz_retry_after;
		long want;
	} rows[] = {
		{ 0.5, 1, RETRY_TRANSIENT, NULL, NULL, 50 },
		{ 0.5, 2, RETRY_TRANSIENT, NULL, NULL, 100 },
		{ 0.5, 3, RETRY_TRANSIENT, NULL, NULL, 200 },
		{ 0.5, 1, RETRY_TIMEOUT, NULL, NULL, 50 },
		{ 0.5, 1, RETRY_THROTTLE, NULL, NULL, 250 },
		{ 0.5, 3, RETRY_THROTTLE, NULL, NULL, 1000 },
		{ 0.0, 1, RETRY_TRANSIENT, NULL, NULL, 0 },
		{ 0.999, 1, RETRY_TRANSIENT, NULL, NULL, 99 },
		/* the cap: 100 ms * 2^9 = 51.2 s > 20 s; 500 * 2^6 > 20 s */
		{ 0.5, 10, RETRY_TRANSIENT, NULL, NULL, 10000 },
		{ 0.999, 7, RETRY_THROTTLE, NULL, NULL, 19980 },
		{ 0.5, 60, RETRY_THROTTLE, NULL, NULL, 10000 },
		/* a random source out of range counts as 0 */
		{ 1.0, 1, RETRY_TRANSIENT, NULL, NULL, 0 },
		{ -0.5, 1, RETRY_TRANSIENT, NULL, NULL, 0 },
		/* Retry-After raises the delay, within the cap */
		{ 0.5, 1, RETRY_THROTTLE, "3", NULL, 3000 },
		{ 0.5, 3, RETRY_THROTTLE, "0", NULL, 1000 },
		{ 0.5, 1, RETRY_THROTTLE, "60", NULL, 250 },
		{ 0.5, 1, RETRY_THROTTLE, "Fri, 27 Nov 2026 00:00:00 GMT", NULL,
		    250 },
		{ 0.5, 1, RETRY_TRANSIENT, "x", "1500", 1500 },
		{ 0.5, 1, RETRY_TRANSIENT, "9", "1500", 1500 },
		{ 0.5, 1, RETRY_TRANSIENT, "2", "junk", 2000 },
	};
	struct retry_policy p = { RETRY_MODE_STANDARD, 3, fixed_random, NULL };
	char name[128];

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		fixed_r = rows[i].r;
		snprintf(name, sizeof name, "delay r=%g attempt %d class %d "
		    "retry-after %s/%s", rows[i].r, rows[i].attempt, rows[i].c,
		    rows[i].retry_after ? rows[i].retry_after : "-",
		    rows[i].amz_retry_after ? rows[i].amz_retry_after : "-");
		CHECK_INTEQ(name, retry_delay_ms(&p, rows[i].attempt, rows[i].c,
		    rows[i].retry_after, rows[i].amz_retry_after),
		    rows[i].want);
	}
	p.random = NULL;
	for (int i = 0; i < 100; i++) {
		long d = retry_delay_ms(&p, 2, RETRY_TRANSIENT, NULL, NULL);

		if (d < 0 || d >= 200) {
			CHECK("default random stays in [0, 200)", 0);
			return;
		}
	}
	CHECK("default random stays in [0, 200)", 1);
}

/* Attempts until the policy gives up, for a call that always fails. */
static int
attempts_until_stop(const struct retry_policy *p, struct retry_quota *q,
    enum retry_class c)
{
	struct retry_state s;
	long delay;

	retry_state_init(&s);
	do
		s.attempts++;
	while (retry_next(p, q, &s, c, NULL, NULL, &delay));
	return s.attempts;
}

static void
test_quota(void)
{
	struct retry_policy p = { RETRY_MODE_STANDARD, 3, fixed_random, NULL };
	struct retry_state s;
	struct retry_quota q;
	long delay;
	int n;

	fixed_r = 0.5;
	retry_quota_init(&q);
	CHECK_INTEQ("quota starts at 500", q.tokens, 500);
	CHECK_INTEQ("3 attempts by default", attempts_until_stop(&p, &q,
	    RETRY_TRANSIENT), 3);
	CHECK_INTEQ("two retries cost 10", q.tokens, 490);
	CHECK_INTEQ("validation error: one attempt", attempts_until_stop(&p,
	    &q, RETRY_NEVER), 1);
	CHECK_INTEQ("no quota taken for it", q.tokens, 490);
	attempts_until_stop(&p, &q, RETRY_TIMEOUT);
	CHECK_INTEQ("timeouts cost 10 each", q.tokens, 470);

	retry_state_init(&s);
	s.attempts = 1;
	retry_success(&p, &q, &s);
	CHECK_INTEQ("first-attempt success refunds 1", q.tokens, 471);
	s.attempts = 1;
	retry_next(&p, &q, &s, RETRY_TIMEOUT, NULL, NULL, &delay);
	s.attempts = 2;
	retry_next(&p, &q, &s, RETRY_TRANSIENT, NULL, NULL, &delay);
	CHECK_INTEQ("two retries taken", q.tokens, 456);
	retry_success(&p, &q, &s);
	CHECK_INTEQ("success after retries refunds the last cost", q.tokens,
	    461);
	q.tokens = RETRY_QUOTA;
	retry_state_init(&s);
	s.attempts = 1;
	retry_success(&p, &q, &s);
	CHECK_INTEQ("refund never passes 500", q.tokens, 500);

	/* Drain: 100 retries of 5 empty the bucket, then no more retries. */
	p.max_attempts = 1000;
	n = attempts_until_stop(&p, &q, RETRY_THROTTLE);
	CHECK_INTEQ("an empty quota stops retrying", n, 101);
	CHECK_INTEQ("quota drained", q.tokens, 0);
	CHECK_INTEQ("no retry with no tokens", attempts_until_stop(&p, &q,
	    RETRY_TRANSIENT), 1);

	p.mode = RETRY_MODE_LEGACY;
	p.max_attempts = 5;
	CHECK_INTEQ("legacy mode ignores the quota", attempts_until_stop(&p,
	    &q, RETRY_TRANSIENT), 5);
}

static void
test_env(void)
{
	static const struct {
		const char *mode, *attempts;
		int rc;
		enum retry_mode want_mode;
		int want_attempts;
	} rows[] = {
		{ NULL, NULL, 0, RETRY_MODE_STANDARD, 3 },
		{ "standard", NULL, 0, RETRY_MODE_STANDARD, 3 },
		{ "STANDARD", "5", 0, RETRY_MODE_STANDARD, 5 },
		{ "legacy", NULL, 0, RETRY_MODE_LEGACY, 5 },
		{ "legacy", "2", 0, RETRY_MODE_LEGACY, 2 },
		{ "adaptive", NULL, 0, RETRY_MODE_ADAPTIVE, 3 },
		{ "", "", 0, RETRY_MODE_STANDARD, 3 },
		{ NULL, "1", 0, RETRY_MODE_STANDARD, 1 },
		{ NULL, "50", 0, RETRY_MODE_STANDARD, 50 },
		{ NULL, "0", -1, 0, 0 },
		{ NULL, "51", -1, 0, 0 },
		{ NULL, "three", -1, 0, 0 },
		{ NULL, "-1", -1, 0, 0 },
		{ "fast", NULL, -1, 0, 0 },
	};
	struct retry_policy p;
	char name[128], err[256];
	int rc;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		if (rows[i].mode)
			setenv("AWS_RETRY_MODE", rows[i].mode, 1);
		else
			unsetenv("AWS_RETRY_MODE");
		if (rows[i].attempts)
			setenv("AWS_MAX_ATTEMPTS", rows[i].attempts, 1);
		else
			unsetenv("AWS_MAX_ATTEMPTS");
		err[0] = '\0';
		rc = retry_policy_from_env(&p, err, sizeof err);
		snprintf(name, sizeof name, "env mode %s attempts %s",
		    rows[i].mode ? rows[i].mode : "(unset)",
		    rows[i].attempts ? rows[i].attempts : "(unset)");
		if (rows[i].rc == -1)
			CHECK(name, rc == -1 && err[0] != '\0');
		else
			CHECK(name, rc == 0 && p.mode == rows[i].want_mode &&
			    p.max_attempts == rows[i].want_attempts);
	}
	unsetenv("AWS_RETRY_MODE");
	unsetenv("AWS_MAX_ATTEMPTS");
}

int
main(void)
{
	test_classify();
	test_delay();
	test_quota();
	test_env();
	return check_done();
}
