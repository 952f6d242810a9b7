/* endpoint.c - regional and custom endpoints; see endpoint.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "endpoint.h"
#include "util.h"

/*
 * Partitions by region prefix (botocore partitions.json regionRegex), most
 * specific first, with the global IAM endpoint of each (endpoints.json
 * "aws-global" and friends: host and credentialScope region).
 */
static const struct partition {
	const char *prefix;		/* "" matches every region */
	const char *id;
	const char *dns;
	const char *iam_host;
	const char *iam_region;
} partitions[] = {
	{ "cn-", "aws-cn", "amazonaws.com.cn", "iam.cn-north-1.amazonaws.com.cn",
	    "cn-north-1" },
	{ "us-gov-", "aws-us-gov", "amazonaws.com", "iam.us-gov.amazonaws.com",
	    "us-gov-west-1" },
	{ "us-iso-", "aws-iso", "c2s.ic.gov", "iam.us-iso-east-1.c2s.ic.gov",
	    "us-iso-east-1" },
	{ "us-isob-", "aws-iso-b", "sc2s.sgov.gov",
	    "iam.us-isob-east-1.sc2s.sgov.gov", "us-isob-east-1" },
	{ "us-isof-", "aws-iso-f", "csp.hci.ic.gov",
	    "iam.us-isof-south-1.csp.hci.ic.gov", "us-isof-south-1" },
	{ "eu-isoe-", "aws-iso-e", "cloud.adc-e.uk",
	    "iam.eu-isoe-west-1.cloud.adc-e.uk", "eu-isoe-west-1" },
	{ "eusc-", "aws-eusc", "amazonaws.eu", "iam.eusc-de-east-1.amazonaws.eu",
	    "eusc-de-east-1" },
	{ "", "aws", "amazonaws.com", "iam.amazonaws.com", "us-east-1" },
};

static const struct service_info {
	const char *prefix;		/* host prefix: prefix.region.dns */
	const char *signing_name;
	const char *env_suffix;		/* AWS_ENDPOINT_URL_<this> */
	const char *title;		/* in messages */
} services[] = {
	[AWS_S3] = { "s3", "s3", "S3", "S3" },
	[AWS_SAGEMAKER] = { "api.sagemaker", "sagemaker", "SAGEMAKER",
	    "SageMaker" },
	[AWS_LOGS] = { "logs", "logs", "CLOUDWATCH_LOGS", "CloudWatch Logs" },
	[AWS_STS] = { "sts", "sts", "STS", "STS" },
	[AWS_IAM] = { "iam", "iam", "IAM", "IAM" },
};

const char *
endpoint_env_suffix(enum aws_service service)
{
	return services[service].env_suffix;
}

const char *
endpoint_service_title(enum aws_service service)
{
	return services[service].title;
}

static const struct partition *
find_partition(const char *region)
{
	size_t i;

	for (i = 0; i < sizeof partitions / sizeof partitions[0] - 1; i++)
		if (strncmp(region, partitions[i].prefix,
		    strlen(partitions[i].prefix)) == 0)
			return &partitions[i];
	return &partitions[i];
}

const char *
endpoint_partition(const char *region, const char **dns_suffix)
{
	const struct partition *p = find_partition(region);

	if (dns_suffix != NULL)
		*dns_suffix = p->dns;
	return p->id;
}

/* A region is a DNS label of lower-case letters, digits and '-'. */
static int
region_ok(const char *region)
{
	size_t n = strlen(region);

	if (n == 0 || n >= ENDPOINT_MAX_REGION || region[0] == '-' ||
	    region[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)region[i]) &&
		    !isdigit((unsigned char)region[i]) && region[i] != '-')
			return 0;
	return 1;
}

static int
default_endpoint(enum aws_service service, const char *region,
    struct endpoint *out)
{
	const struct partition *p = find_partition(region);

	snprintf(out->scheme, sizeof out->scheme, "https");
	out->path[0] = '\0';
	if (service == AWS_IAM) {
		snprintf(out->region, sizeof out->region, "%s", p->iam_region);
		return xsnprintf(out->host, sizeof out->host, "%s",
		    p->iam_host);
	}
	snprintf(out->region, sizeof out->region, "%s", region);
	if (service == AWS_S3 && strcmp(region, "us-east-1") == 0)
		return xsnprintf(out->host, sizeof out->host,
		    "s3.amazonaws.com");
	return xsnprintf(out->host, sizeof out->host, "%s.%s.%s",
	    services[service].prefix, region, p->dns);
}

/* Host characters we accept in a URL: no user info, no spaces. */
static int
host_ok(const char *h, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];

		if (!isalnum(c) && strchr("-._:[]", c) == NULL)
			return 0;
	}
	return 1;
}

/*
 * "scheme://host[:port][/path]" -> scheme, Host header, base path.  The
 * default port of the scheme is dropped from Host, as botocore and curl do.
 */
static int
parse_url(const char *url, struct endpoint *out)
{
	const char *p, *slash, *port;
	size_t hostlen;

	if (strncasecmp(url, "https://", 8) == 0) {
		snprintf(out->scheme, sizeof out->scheme, "https");
		p = url + 8;
	} else if (strncasecmp(url, "http://", 7) == 0) {
		snprintf(out->scheme, sizeof out->scheme, "http");
		p = url + 7;
	} else
		return -1;
	slash = strchr(p, '/');
	hostlen = slash ? (size_t)(slash - p) : strlen(p);
	if (!host_ok(p, hostlen) || hostlen >= sizeof out->host ||
	    strpbrk(slash ? slash : "", "?# \t") != NULL)
		return -1;
	memcpy(out->host, p, hostlen);
	out->host[hostlen] = '\0';
	port = strrchr(out->host, ':');
	if (port != NULL && strchr(port, ']') == NULL &&
	    ((strcmp(out->scheme, "https") == 0 && strcmp(port, ":443") == 0) ||
	    (strcmp(out->scheme, "http") == 0 && strcmp(port, ":80") == 0)))
		out->host[port - out->host] = '\0';
	if (xsnprintf(out->path, sizeof out->path, "%s", slash ? slash : "") ==
	    -1)
		return -1;
	hostlen = strlen(out->path);
	while (hostlen > 0 && out->path[hostlen - 1] == '/')
		out->path[--hostlen] = '\0';
	return 0;
}

static int
env_true(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && strcasecmp(v, "true") == 0;
}

static const char *
nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/* The configured URL with the highest precedence, or NULL. */
static const char *
configured_url(enum aws_service service, const char *explicit_url,
    const struct endpoint_config *config)
{
	char name[64];
	const char *url;

	if (nonempty(explicit_url))
		return explicit_url;
	if (env_true("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") ||
	    (config != NULL && config->ignore_configured))
		return NULL;
	snprintf(name, sizeof name, "AWS_ENDPOINT_URL_%s",
	    services[service].env_suffix);
	if ((url = nonempty(getenv(name))) != NULL)
		return url;
	if (config != NULL && (url = nonempty(config->service_url)) != NULL)
		return url;
	if ((url = nonempty(getenv("AWS_ENDPOINT_URL"))) != NULL)
		return url;
	return config != NULL ? nonempty(config->global_url) : NULL;
}

int
endpoint_resolve(enum aws_service service, const char *region,
    const char *explicit_url, const struct endpoint_config *config,
    struct endpoint *out, char *err, size_t errlen)
{
	const char *url;

	memset(out, 0, sizeof *out);
	out->service = service;
	out->signing_name = services[service].signing_name;
	if (region == NULL || !region_ok(region)) {
		snprintf(err, errlen, "invalid region '%.64s'",
		    region ? region : "");
		return -1;
	}
	url = configured_url(service, explicit_url, config);
	if (url == NULL) {
		if (default_endpoint(service, region, out) == -1) {
			snprintf(err, errlen, "endpoint name too long");
			return -1;
		}
		return 0;
	}
	if (parse_url(url, out) == -1) {
		snprintf(err, errlen, "invalid endpoint URL '%.200s'", url);
		return -1;
	}
	out->custom = 1;
	snprintf(out->region, sizeof out->region, "%s", region);
	return 0;
}

/* botocore's check_dns_name, without dots (they break TLS wildcards). */
static int
virtual_host_ok(const char *bucket)
{
	size_t n = strlen(bucket);

	if (n < 3 || n > 63 || bucket[0] == '-' || bucket[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)bucket[i]) &&
		    !isdigit((unsigned char)bucket[i]) && bucket[i] != '-')
			return 0;
	return 1;
}

int
endpoint_s3_addressing(const struct endpoint *ep, const char *bucket,
    char host[ENDPOINT_MAX_HOST], char *path, size_t pathlen)
{
	if (!ep->custom && virtual_host_ok(bucket)) {
		if (xsnprintf(host, ENDPOINT_MAX_HOST, "%s.%s", bucket,
		    ep->host) == -1)
			return -1;
		return xsnprintf(path, pathlen, "%s", ep->path);
	}
	if (xsnprintf(host, ENDPOINT_MAX_HOST, "%s", ep->host) == -1)
		return -1;
	return xsnprintf(path, pathlen, "%s/%s", ep->path, bucket);
}
