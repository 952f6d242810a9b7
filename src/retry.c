/* retry.c - standard-mode retry decisions, delays and quota; see retry.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "retry.h"

/* botocore retries/standard.py and special.py, aws-sdk-js-v3 constants. */
static const char *const throttle_codes[] = {
	"Throttling",				/* query: STS, IAM */
	"ThrottlingException",			/* JSON 1.1: SageMaker, Logs */
	"ThrottledException",
	"RequestThrottledException",
	"TooManyRequestsException",
	"ProvisionedThroughputExceededException",
	"TransactionInProgressException",
	"RequestLimitExceeded",
	"BandwidthLimitExceeded",
	"LimitExceededException",		/* Logs */
	"RequestThrottled",
	"SlowDown",				/* S3 */
	"PriorRequestNotComplete",		/* in both of botocore's lists */
	"EC2ThrottledException",
};

static const char *const transient_codes[] = {
	"RequestTimeout",			/* S3, 400 */
	"RequestTimeoutException",
	"IDPCommunicationError",		/* STS web identity */
};

static int
in_list(const char *code, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(code, list[i]) == 0)
			return 1;
	return 0;
}

int
retry_is_throttle_code(const char *code)
{
	return code != NULL && in_list(code, throttle_codes,
	    sizeof throttle_codes / sizeof throttle_codes[0]);
}

enum retry_class
retry_classify(enum http_error transport, long status, const char *code)
{
	switch (transport) {
	case HTTP_OK:
		break;
	case HTTP_ERR_TIMEOUT:
		return RETRY_TIMEOUT;
	case HTTP_ERR_CONNECT:
	case HTTP_ERR_RESET:
		return RETRY_TRANSIENT;
	default:
		return RETRY_NEVER;
	}
	if (status >= 200 && status <= 299)
		return RETRY_NEVER;
	if (code == NULL)
		code = "";
	if (retry_is_throttle_code(code) || status == 429)
		return RETRY_THROTTLE;
	if (in_list(code, transient_codes,
	    sizeof transient_codes / sizeof transient_codes[0]))
		return RETRY_TRANSIENT;
	if (status == 500 || status == 502 || status == 503 || status == 504)
		return RETRY_TRANSIENT;
	return RETRY_NEVER;
}

static int
env_attempts(int *out, char *err, size_t errlen)
{
	const char *s = getenv("AWS_MAX_ATTEMPTS");
	long n;

	if (s == NULL || *s == '\0')
		return 0;
	if (parse_long(s, 1, RETRY_MAX_ATTEMPTS, &n) == -1) {
		snprintf(err, errlen, "AWS_MAX_ATTEMPTS must be an integer "
		    "from 1 to %d, not '%.32s'", RETRY_MAX_ATTEMPTS, s);
		return -1;
	}
	*out = (int)n;
	return 0;
}

int
retry_policy_from_env(struct retry_policy *p, char *err, size_t errlen)
{
	const char *mode = getenv("AWS_RETRY_MODE");
	int attempts = 0;

	p->mode = RETRY_MODE_STANDARD;
	p->random = NULL;
	p->random_ctx = NULL;
	if (mode != NULL && *mode != '\0') {
		if (strcasecmp(mode, "standard") == 0)
			p->mode = RETRY_MODE_STANDARD;
		else if (strcasecmp(mode, "adaptive") == 0)
			p->mode = RETRY_MODE_ADAPTIVE;
		else if (strcasecmp(mode, "legacy") == 0)
			p->mode = RETRY_MODE_LEGACY;
		else {
			snprintf(err, errlen, "AWS_RETRY_MODE must be standard, "
			    "adaptive or legacy, not '%.32s'", mode);
			return -1;
		}
	}
	if (env_attempts(&attempts, err, errlen) == -1)
		return -1;
	if (attempts == 0)
		attempts = p->mode == RETRY_MODE_LEGACY ?
		    RETRY_LEGACY_ATTEMPTS : RETRY_DEFAULT_ATTEMPTS;
	p->max_attempts = attempts;
	return 0;
}

void
retry_quota_init(struct retry_quota *q)
{
	q->tokens = RETRY_QUOTA;
}

void
retry_state_init(struct retry_state *s)
{
	s->attempts = 0;
	s->cost = 0;
}

static double
default_random(void *ctx)
{
	(void)ctx;
	return (double)arc4random() / 4294967296.0;
}

/* A header's non-negative integer value, or -1. */
static long
header_number(const char *s, long max)
{
	long n;

	if (s == NULL || parse_long(s, 0, max, &n) == -1)
		return -1;
	return n;
}

long
retry_delay_ms(const struct retry_policy *p, int attempt, enum retry_class c,
    const char *retry_after, const char *amz_retry_after)
{
	long base = c == RETRY_THROTTLE ? RETRY_THROTTLE_BASE_MS :
	    RETRY_BASE_MS;
	long ceiling = RETRY_CAP_MS, hint;
	double r;

	/* base * 2^(attempt-1), without overflowing for large attempts. */
	for (int i = 1; i < attempt && ceiling > base; i++)
		base *= 2;
	if (base < ceiling)
		ceiling = base;
	r = p->random ? p->random(p->random_ctx) : default_random(NULL);
	if (!(r >= 0.0 && r < 1.0))
		r = 0.0;
	base = (long)(r * (double)ceiling);
	hint = header_number(amz_retry_after, RETRY_CAP_MS);
	if (hint < 0) {
		hint = header_number(retry_after, RETRY_CAP_MS / 1000);
		hint = hint < 0 ? -1 : hint * 1000;
	}
	return hint > base ? hint : base;
}

int
retry_next(const struct retry_policy *p, struct retry_quota *q,
    struct retry_state *s, enum retry_class c, const char *retry_after,
    const char *amz_retry_after, long *delay_ms)
{
	int cost = c == RETRY_TIMEOUT ? RETRY_TIMEOUT_COST : RETRY_COST;

	*delay_ms = 0;
	if (c == RETRY_NEVER || s->attempts >= p->max_attempts)
		return 0;
	if (p->mode != RETRY_MODE_LEGACY) {
		if (q->tokens < cost)
			return 0;
		q->tokens -= cost;
		s->cost = cost;	/* botocore refunds the last retry's cost */
	}
	*delay_ms = retry_delay_ms(p, s->attempts, c, retry_after,
	    amz_retry_after);
	return 1;
}

void
retry_success(const struct retry_policy *p, struct retry_quota *q,
    const struct retry_state *s)
{
	if (p->mode == RETRY_MODE_LEGACY)
		return;
	q->tokens += s->cost > 0 ? s->cost : RETRY_SUCCESS_REFUND;
	if (q->tokens > RETRY_QUOTA)
		q->tokens = RETRY_QUOTA;
}
