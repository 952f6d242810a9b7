/*
 * endpoint.h - where a service lives and how it signs: regional hosts in
 * each partition (aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e,
 * aws-iso-f, aws-eusc), the global IAM endpoint of each partition with its
 * signing region, and custom endpoints as the AWS CLI reads them.
 * Rules: ../shared/reference/aws-protocols.md section 6, botocore's
 * partitions.json and endpoints.json (the test compares with botocore).
 *
 * Custom endpoint precedence (SDK reference "service-specific endpoints"):
 * the caller's explicit URL (--endpoint-url) > AWS_ENDPOINT_URL_<SERVICE> >
 * the config file's services section > AWS_ENDPOINT_URL > the profile's
 * endpoint_url; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true drops all but the
 * explicit one.  A custom endpoint signs with the client's region.
 */
#ifndef ACCEL_ENDPOINT_H
#define ACCEL_ENDPOINT_H

#include <stddef.h>

#define ENDPOINT_MAX_HOST 256		/* host[:port] of a URL */
#define ENDPOINT_MAX_PATH 256		/* base path of a custom URL */
#define ENDPOINT_MAX_REGION 64

enum aws_service {
	AWS_S3,
	AWS_SAGEMAKER,
	AWS_LOGS,
	AWS_STS,
	AWS_IAM
};

struct endpoint {
	enum aws_service service;
	char scheme[8];			/* "https" or "http" */
	char host[ENDPOINT_MAX_HOST];	/* Host header: port only if not
					   the scheme's default */
	char path[ENDPOINT_MAX_PATH];	/* "" or "/prefix", no final '/' */
	char region[ENDPOINT_MAX_REGION];	/* signing region */
	const char *signing_name;	/* s3, sagemaker, logs, sts, iam */
	int custom;			/* from a configured URL: S3 path-style */
};

/* Endpoint URLs from the shared config file (h-creds reads them); NULLs ok. */
struct endpoint_config {
	const char *service_url;	/* [services X] <service> endpoint_url */
	const char *global_url;		/* the profile's endpoint_url */
	int ignore_configured;		/* ignore_configured_endpoint_urls */
};

/*
 * endpoint_resolve: the endpoint of SERVICE for REGION.  EXPLICIT (may be
 * NULL) is a URL given on the command line; CONFIG may be NULL.  Returns 0,
 * or -1 with a reason in ERR (bad region, bad URL).
 */
int endpoint_resolve(enum aws_service service, const char *region,
    const char *explicit_url, const struct endpoint_config *config,
    struct endpoint *out, char *err, size_t errlen);

/* The AWS_ENDPOINT_URL_<SERVICE> suffix and a display name ("SageMaker"). */
const char *endpoint_env_suffix(enum aws_service service);
const char *endpoint_service_title(enum aws_service service);

/* The partition of REGION ("aws", "aws-cn", ...) and its DNS suffix. */
const char *endpoint_partition(const char *region, const char **dns_suffix);

/*
 * endpoint_s3_host: the Host and base path for BUCKET: virtual-hosted
 * (BUCKET.host) on AWS endpoints when the bucket is a DNS label without
 * dots, else path-style (path "/BUCKET").  Returns 0 or -1 (too long).
 */
int endpoint_s3_addressing(const struct endpoint *ep, const char *bucket,
    char host[ENDPOINT_MAX_HOST], char *path, size_t pathlen);

#endif
