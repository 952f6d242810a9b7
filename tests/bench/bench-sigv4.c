/*
 * bench-sigv4.c - SigV4 signatures per second in-process: a SageMaker
 * DescribeTrainingJob-shaped POST (JSON body, four headers, a session
 * token), signed N times with and without the signing-key cache.
 *
 *   build/tests/bench-sigv4 [N]     prints "cached R" and "uncached R"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sigv4.h"
#include "util.h"

static const char body[] = "{\"TrainingJobName\":\"accel-demo-2024-02-29-"
    "23-59-58-123\"}";
static const struct sigv4_header headers[] = {
	{ "Host", "api.sagemaker.us-east-1.amazonaws.com" },
	{ "Content-Type", "application/x-amz-json-1.1" },
	{ "X-Amz-Target", "SageMaker.DescribeTrainingJob" },
	{ "User-Agent", "accel/0.1.0" },
};
static const struct sigv4_request req = { "POST", "/", "", headers, 4,
	body, sizeof(body) - 1 };
static const struct sigv4_creds creds = { "AKIDEXAMPLE",
	"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "IQoJb3JpZ2luX2VjEXAMPLE" };
static const struct sigv4_params params = { .region = "us-east-1",
	.service = "sagemaker", .amz_date = "20240229T235958Z" };

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
rate(long n, struct sigv4_key_cache *cache)
{
	struct sigv4_result r;
	char err[128];
	double t0;
	long i;

	t0 = now();
	for (i = 0; i < n; i++) {
		if (sigv4_sign(&params, &creds, &req, cache, &r, err,
		    sizeof(err)) == -1) {
			fprintf(stderr, "bench-sigv4: %s\n", err);
			exit(1);
		}
		sigv4_result_free(&r);
	}
	return (double)n / (now() - t0);
}

int
main(int argc, char **argv)
{
	struct sigv4_key_cache cache;
	long n = 100000;

	if (argc > 1 && parse_long(argv[1], 1, 100000000, &n) == -1) {
		fprintf(stderr, "usage: bench-sigv4 [N]\n");
		return 2;
	}
	memset(&cache, 0, sizeof(cache));
	printf("cached %.0f\n", rate(n, &cache));
	printf("uncached %.0f\n", rate(n, NULL));
	sigv4_cache_wipe(&cache);
	return 0;
}
