/*
 * retry.h - the standard retry mode of the AWS SDKs as pure logic: which
 * failures are retried, how long to wait, and the retry quota (a token
 * bucket).  No I/O, no sleeping, no clock: aws.c asks and then sleeps.
 * Rules: ../shared/reference/aws-protocols.md section 7.
 *
 * Standard mode: AWS_MAX_ATTEMPTS total attempts (default 3); delay =
 * rand[0,1) * min(base * 2^(attempt-1), 20 s), base 100 ms, or 500 ms for
 * throttling (the JS v3 / Java v2 bases); a Retry-After (seconds) or
 * x-amz-retry-after (milliseconds) header raises the delay to at least that,
 * within the same cap.  Quota: 500 tokens, a retry costs 5 (10 after a
 * timeout), a first-attempt success refunds 1, a success after retries
 * refunds the last retry's cost (botocore's quota.py); with too few
 * tokens, no retry.
 *
 * AWS_RETRY_MODE: standard (default); adaptive is standard without the
 * client-side rate limiter; legacy has 5 attempts by default and no quota.
 */
#ifndef ACCEL_RETRY_H
#define ACCEL_RETRY_H

#include "http.h"

#define RETRY_DEFAULT_ATTEMPTS 3
#define RETRY_LEGACY_ATTEMPTS 5
#define RETRY_MAX_ATTEMPTS 50		/* AWS_MAX_ATTEMPTS above this: error */
#define RETRY_BASE_MS 100
#define RETRY_THROTTLE_BASE_MS 500
#define RETRY_CAP_MS 20000
#define RETRY_QUOTA 500
#define RETRY_COST 5
#define RETRY_TIMEOUT_COST 10
#define RETRY_SUCCESS_REFUND 1

enum retry_mode { RETRY_MODE_STANDARD, RETRY_MODE_ADAPTIVE, RETRY_MODE_LEGACY };

/* What a failed attempt was, for the decision and the delay. */
enum retry_class {
	RETRY_NEVER = 0,	/* success, 4xx validation, auth, TLS, ... */
	RETRY_TRANSIENT,	/* 5xx, RequestTimeout, resets, refusals */
	RETRY_TIMEOUT,		/* transport timeout: costs more quota */
	RETRY_THROTTLE		/* throttling codes, 429: longer base */
};

struct retry_policy {
	enum retry_mode mode;
	int max_attempts;		/* total, >= 1 */
	double (*random)(void *ctx);	/* [0, 1); NULL: arc4random */
	void *random_ctx;
};

/* The quota; one per client, not shared between threads. */
struct retry_quota {
	int tokens;
};

/* One call's attempts. */
struct retry_state {
	int attempts;			/* attempts made so far */
	int cost;			/* quota taken by the last retry */
};

/* Defaults, then AWS_RETRY_MODE and AWS_MAX_ATTEMPTS.  -1 with ERR. */
int retry_policy_from_env(struct retry_policy *p, char *err, size_t errlen);
void retry_quota_init(struct retry_quota *q);
void retry_state_init(struct retry_state *s);

/*
 * retry_classify: the class of an attempt that ended with transport result
 * TRANSPORT, or (when HTTP_OK) with STATUS and the error CODE parsed from
 * the response (NULL or "" when none).
 */
enum retry_class retry_classify(enum http_error transport, long status,
    const char *code);

/* Is CODE one of the throttling codes of any protocol? */
int retry_is_throttle_code(const char *code);

/*
 * retry_next: after attempt number S->attempts failed with class C, may we
 * try again?  Takes the quota when yes, and stores the delay in *DELAY_MS.
 * RETRY_AFTER and AMZ_RETRY_AFTER are the response's Retry-After (seconds)
 * and x-amz-retry-after (ms) header values, or NULL.
 */
int retry_next(const struct retry_policy *p, struct retry_quota *q,
    struct retry_state *s, enum retry_class c, const char *retry_after,
    const char *amz_retry_after, long *delay_ms);

/* The call succeeded: refund the quota. */
void retry_success(const struct retry_policy *p, struct retry_quota *q,
    const struct retry_state *s);

/* The delay alone (exposed for tests): attempt >= 1. */
long retry_delay_ms(const struct retry_policy *p, int attempt,
    enum retry_class c, const char *retry_after, const char *amz_retry_after);

#endif
