/*
 * test-endpoint.c - regional endpoints per partition, IAM's global
 * endpoints, custom endpoint variables and their precedence, S3
 * addressing.  Expected hosts are what botocore 1.43.11 resolves
 * (boto3.client(service, region_name=r).meta.endpoint_url and the signer's
 * region); tests/aws/endpoint.t asks botocore again for a larger grid.
 */
#include <stdlib.h>

#include "check.h"
#include "endpoint.h"

static void
test_defaults(void)
{
	static const struct {
		enum aws_service svc;
		const char *region, *host, *signing_region, *signing_name;
	} rows[] = {
		{ AWS_S3, "us-east-1", "s3.amazonaws.com", "us-east-1", "s3" },
		{ AWS_S3, "eu-west-1", "s3.eu-west-1.amazonaws.com", "eu-west-1",
		    "s3" },
		{ AWS_S3, "cn-north-1", "s3.cn-north-1.amazonaws.com.cn",
		    "cn-north-1", "s3" },
		{ AWS_SAGEMAKER, "us-east-1",
		    "api.sagemaker.us-east-1.amazonaws.com", "us-east-1",
		    "sagemaker" },
		{ AWS_SAGEMAKER, "cn-northwest-1",
		    "api.sagemaker.cn-northwest-1.amazonaws.com.cn",
		    "cn-northwest-1", "sagemaker" },
		{ AWS_SAGEMAKER, "us-gov-west-1",
		    "api.sagemaker.us-gov-west-1.amazonaws.com", "us-gov-west-1",
		    "sagemaker" },
		{ AWS_SAGEMAKER, "us-iso-east-1",
		    "api.sagemaker.us-iso-east-1.c2s.ic.gov", "us-iso-east-1",
		    "sagemaker" },
		{ AWS_SAGEMAKER, "us-isob-east-1",
		    "api.sagemaker.us-isob-east-1.sc2s.sgov.gov",
		    "us-isob-east-1", "sagemaker" },
		{ AWS_SAGEMAKER, "us-isof-south-1",
		    "api.sagemaker.us-isof-south-1.csp.hci.ic.gov",
		    "us-isof-south-1", "sagemaker" },
		{ AWS_SAGEMAKER, "eu-isoe-west-1",
		    "api.sagemaker.eu-isoe-west-1.cloud.adc-e.uk",
		    "eu-isoe-west-1", "sagemaker" },
		{ AWS_LOGS, "eusc-de-east-1", "logs.eusc-de-east-1.amazonaws.eu",
		    "eusc-de-east-1", "logs" },
		{ AWS_LOGS, "il-central-1", "logs.il-central-1.amazonaws.com",
		    "il-central-1", "logs" },
		{ AWS_STS, "us-east-1", "sts.us-east-1.amazonaws.com",
		    "us-east-1", "sts" },
		{ AWS_STS, "ap-south-1", "sts.ap-south-1.amazonaws.com",
		    "ap-south-1", "sts" },
		{ AWS_IAM, "us-east-1", "iam.amazonaws.com", "us-east-1", "iam" },
		{ AWS_IAM, "eu-west-1", "iam.amazonaws.com", "us-east-1", "iam" },
		{ AWS_IAM, "cn-northwest-1", "iam.cn-north-1.amazonaws.com.cn",
		    "cn-north-1", "iam" },
		{ AWS_IAM, "us-gov-east-1", "iam.us-gov.amazonaws.com",
		    "us-gov-west-1", "iam" },
		{ AWS_IAM, "us-iso-west-1", "iam.us-iso-east-1.c2s.ic.gov",
		    "us-iso-east-1", "iam" },
		{ AWS_IAM, "us-isof-east-1", "iam.us-isof-south-1.csp.hci.ic.gov",
		    "us-isof-south-1", "iam" },
		{ AWS_IAM, "eusc-de-east-1", "iam.eusc-de-east-1.amazonaws.eu",
		    "eusc-de-east-1", "iam" },
	};
	struct endpoint ep;
	char name[128], err[256];

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int rc = endpoint_resolve(rows[i].svc, rows[i].region, NULL,
		    NULL, &ep, err, sizeof err);

		snprintf(name, sizeof name, "%s in %s",
		    endpoint_service_title(rows[i].svc), rows[i].region);
		CHECK(name, rc == 0 && strcmp(ep.scheme, "https") == 0 &&
		    strcmp(ep.host, rows[i].host) == 0 && ep.path[0] == '\0' &&
		    strcmp(ep.region, rows[i].signing_region) == 0 &&
		    strcmp(ep.signing_name, rows[i].signing_name) == 0 &&
		    !ep.custom);
		if (rc == 0 && strcmp(ep.host, rows[i].host) != 0)
			printf("#   host %s\n", ep.host);
	}
}

static void
test_bad_regions(void)
{
	static const char *const bad[] = { "", "US-EAST-1", "us east 1",
	    "us-east-1.evil.com", "-us", "us-", "a/b",
	    "a123456789012345678901234567890123456789012345678901234567890123",
	};
	struct endpoint ep;
	char name[128], err[256];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(name, sizeof name, "region '%s' refused", bad[i]);
		CHECK(name, endpoint_resolve(AWS_STS, bad[i], NULL, NULL, &ep,
		    err, sizeof err) == -1 && err[0] != '\0');
	}
	CHECK("NULL region refused", endpoint_resolve(AWS_STS, NULL, NULL,
	    NULL, &ep, err, sizeof err) == -1);
}

static void
clear_env(void)
{
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ENDPOINT_URL_S3");
	unsetenv("AWS_ENDPOINT_URL_SAGEMAKER");
	unsetenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS");
	unsetenv("AWS_ENDPOINT_URL_STS");
	unsetenv("AWS_ENDPOINT_URL_IAM");
	unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
}

static void
test_custom(void)
{
	static const struct {
		const char *global, *specific_name, *specific, *ignore;
		const char *explicit_url, *cfg_service, *cfg_global;
		enum aws_service svc;
		const char *scheme, *host, *path;	/* NULL: the default */
	} rows[] = {
		{ "http://127.0.0.1:15000", NULL, NULL, NULL, NULL, NULL, NULL,
		    AWS_SAGEMAKER, "http", "127.0.0.1:15000", "" },
		{ "http://127.0.0.1:15000", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
		    "http://localhost:9/", NULL, NULL, NULL, NULL, AWS_LOGS,
		    "http", "localhost:9", "" },
		{ "http://127.0.0.1:15000", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
		    "http://localhost:9/", NULL, NULL, NULL, NULL, AWS_SAGEMAKER,
		    "http", "127.0.0.1:15000", "" },
		{ NULL, "AWS_ENDPOINT_URL_IAM", "https://iam.test:443/base/",
		    NULL, NULL, NULL, NULL, AWS_IAM, "https", "iam.test",
		    "/base" },
		{ NULL, "AWS_ENDPOINT_URL_S3", "HTTP://s3.test:80", NULL, NULL,
		    NULL, NULL, AWS_S3, "http", "s3.test", "" },
		{ NULL, "AWS_ENDPOINT_URL_STS", "http://[::1]:8080", NULL, NULL,
		    NULL, NULL, AWS_STS, "http", "[::1]:8080", "" },
		{ "http://127.0.0.1:1", "AWS_ENDPOINT_URL_STS", "http://a:2",
		    "true", NULL, NULL, NULL, AWS_STS, NULL, NULL, NULL },
		{ "http://127.0.0.1:1", NULL, NULL, "TRUE", "http://x:3", NULL,
		    NULL, AWS_STS, "http", "x:3", "" },
		{ "http://127.0.0.1:1", "AWS_ENDPOINT_URL_STS", "http://a:2",
		    NULL, "http://x:3", NULL, NULL, AWS_STS, "http", "x:3", "" },
		{ "http://g:1", NULL, NULL, NULL, NULL, "http://cs:2",
		    "http://cg:3", AWS_SAGEMAKER, "http", "cs:2", "" },
		{ "http://g:1", NULL, NULL, NULL, NULL, NULL, "http://cg:3",
		    AWS_SAGEMAKER, "http", "g:1", "" },
		{ NULL, NULL, NULL, NULL, NULL, NULL, "http://cg:3",
		    AWS_SAGEMAKER, "http", "cg:3", "" },
		{ "", NULL, NULL, NULL, NULL, NULL, NULL, AWS_SAGEMAKER, NULL,
		    NULL, NULL },
	};
	struct endpoint_config cfg;
	struct endpoint ep;
	char name[160], err[256];
	int rc;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		clear_env();
		if (rows[i].global)
			setenv("AWS_ENDPOINT_URL", rows[i].global, 1);
		if (rows[i].specific_name)
			setenv(rows[i].specific_name, rows[i].specific, 1);
		if (rows[i].ignore)
			setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
			    rows[i].ignore, 1);
		cfg = (struct endpoint_config){ rows[i].cfg_service,
		    rows[i].cfg_global, 0 };
		rc = endpoint_resolve(rows[i].svc, "eu-west-1",
		    rows[i].explicit_url, &cfg, &ep, err, sizeof err);
		snprintf(name, sizeof name, "custom endpoint row %zu (%s)", i,
		    endpoint_service_title(rows[i].svc));
		if (rows[i].host == NULL)
			CHECK(name, rc == 0 && !ep.custom &&
			    strcmp(ep.scheme, "https") == 0);
		else
			CHECK(name, rc == 0 && ep.custom &&
			    strcmp(ep.scheme, rows[i].scheme) == 0 &&
			    strcmp(ep.host, rows[i].host) == 0 &&
			    strcmp(ep.path, rows[i].path) == 0 &&
			    strcmp(ep.region, "eu-west-1") == 0);
	}
	clear_env();
	cfg = (struct endpoint_config){ "http://cs:2", NULL, 1 };
	CHECK("config ignore flag", endpoint_resolve(AWS_S3, "eu-west-1", NULL,
	    &cfg, &ep, err, sizeof err) == 0 && !ep.custom);
}

static void
test_bad_urls(void)
{
	static const char *const bad[] = { "ftp://x", "127.0.0.1:15000",
	    "http://", "http://user@host/", "http://a b/", "http://h/p?q=1",
	    "http://h/p#f", "file:///etc/passwd",
	};
	struct endpoint ep;
	char name[128], err[256];

	clear_env();
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(name, sizeof name, "endpoint URL '%s' refused",
		    bad[i]);
		CHECK(name, endpoint_resolve(AWS_S3, "us-east-1", bad[i], NULL,
		    &ep, err, sizeof err) == -1 && err[0] != '\0');
	}
}

static void
test_s3_addressing(void)
{
	static const struct {
		const char *url, *region, *bucket, *host, *path;
	} rows[] = {
		{ NULL, "us-east-1", "my-bucket", "my-bucket.s3.amazonaws.com",
		    "" },
		{ NULL, "eu-west-1", "my-bucket",
		    "my-bucket.s3.eu-west-1.amazonaws.com", "" },
		{ NULL, "eu-west-1", "my.bucket", "s3.eu-west-1.amazonaws.com",
		    "/my.bucket" },
		{ NULL, "eu-west-1", "My_Bucket", "s3.eu-west-1.amazonaws.com",
		    "/My_Bucket" },
		{ "http://127.0.0.1:15000", "us-east-1", "my-bucket",
		    "127.0.0.1:15000", "/my-bucket" },
		{ "http://s3.example.test:1/pre", "us-east-1", "b12",
		    "s3.example.test:1", "/pre/b12" },
	};
	struct endpoint ep;
	char host[ENDPOINT_MAX_HOST], path[512], err[256], name[128];

	clear_env();
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		snprintf(name, sizeof name, "S3 addressing of %s via %s",
		    rows[i].bucket, rows[i].url ? rows[i].url : "AWS");
		CHECK(name, endpoint_resolve(AWS_S3, rows[i].region,
		    rows[i].url, NULL, &ep, err, sizeof err) == 0 &&
		    endpoint_s3_addressing(&ep, rows[i].bucket, host, path,
		    sizeof path) == 0 && strcmp(host, rows[i].host) == 0 &&
		    strcmp(path, rows[i].path) == 0);
	}
}

int
main(void)
{
	clear_env();
	test_defaults();
	test_bad_regions();
	test_custom();
	test_bad_urls();
	test_s3_addressing();
	return check_done();
}
