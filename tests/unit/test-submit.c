/*
 * test-submit.c - the pure parts of accel-submit: placeholders and the
 * digest tag, where the code goes (sagemaker-api.md 7.4: the submit
 * directory, or the code channel under network isolation), role ARNs in
 * each partition.  The AWS side is tested against the fake AWS
 * (tests/aws/submit*.t).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json.h"
#include "submit.h"
#include "util.h"

static const char *digest =
    "d8be1c023d9c98a3b7025fb56528be89da1f7592712b649269d17fac93af9953";

/* A request around BODY (JSON text); the caller frees r->doc. */
static void
request_of(struct submit_request *r, const char *body)
{
	memset(r, 0, sizeof *r);
	r->fd = -1;
	r->doc = cJSON_CreateObject();
	r->body = cJSON_Parse(body);
	cJSON_AddItemToObject(r->doc, "CreateTrainingJob", r->body);
	r->digest = digest;
	r->job_name = "j-d8be1c023d9c";
	r->region = "us-east-1";
	r->role_name = "role";
}

static char *
compact(const cJSON *item)
{
	struct buf b;

	buf_init(&b, 1 << 16);
	if (json_dump(&b, item, JSON_COMPACT) == -1)
		return NULL;
	return b.data;
}

static void
test_resolve(void)
{
	struct submit_request r;
	struct submit_values v;
	int status;
	char *text;

	request_of(&r, "{\"RoleArn\": \"{{role_arn}}\", \"OutputDataConfig\": "
	    "{\"S3OutputPath\": \"s3://{{bucket}}/\"}, \"Tags\": [{\"Key\": "
	    "\"team\", \"Value\": \"ml\"}, {\"Key\": \"accel:digest\", "
	    "\"Value\": \"forged\"}]}");
	CHECK("the role placeholder is seen", submit_needs_role(&r));
	CHECK("the bucket placeholder is seen", submit_needs_bucket(&r));
	memset(&v, 0, sizeof v);
	CHECK("no bucket: refused", submit_resolve(&r, &v, &status) == -1 &&
	    status == EXIT_NO);
	snprintf(v.role_arn, sizeof v.role_arn, "arn:aws:iam::1:role/role");
	snprintf(v.bucket, sizeof v.bucket, "b-1");
	CHECK("resolved", submit_resolve(&r, &v, &status) == 0);
	text = compact(r.body);
	CHECK_STREQ("placeholders replaced, our tag replaces a forged one, "
	    "other tags kept", text, "{\"OutputDataConfig\": {\"S3OutputPath\""
	    ": \"s3://b-1/\"}, \"RoleArn\": \"arn:aws:iam::1:role/role\", "
	    "\"Tags\": [{\"Key\": \"team\", \"Value\": \"ml\"}, {\"Key\": "
	    "\"accel:digest\", \"Value\": \"d8be1c023d9c98a3b7025fb56528be89da"
	    "1f7592712b649269d17fac93af9953\"}]}");
	free(text);
	CHECK("nothing left to resolve", !submit_needs_role(&r) &&
	    !submit_needs_bucket(&r));
	cJSON_Delete(r.doc);

	request_of(&r, "{\"RoleArn\": \"arn:aws:iam::1:role/x\"}");
	memset(&v, 0, sizeof v);
	CHECK("a body without placeholders needs no values",
	    submit_resolve(&r, &v, &status) == 0);
	text = compact(cJSON_GetObjectItem(r.body, "Tags"));
	CHECK_STREQ("Tags made for the digest", text, "[{\"Key\": \"accel:"
	    "digest\", \"Value\": \"d8be1c023d9c98a3b7025fb56528be89da1f7592712"
	    "b649269d17fac93af9953\"}]");
	free(text);
	cJSON_Delete(r.doc);

	request_of(&r, "{\"HyperParameters\": {\"x\": \"{{job_name}}\"}}");
	CHECK("a {{job_name}} left over is refused",
	    submit_resolve(&r, &v, &status) == -1);
	cJSON_Delete(r.doc);
}

static void
test_code(void)
{
	static const struct {
		const char *body;
		const char *bucket, *key;	/* NULL: refused */
	} rows[] = {
		{ "{\"HyperParameters\": {\"sagemaker_submit_directory\": "
		  "\"\\\"s3://b-1/j/source/sourcedir.tar.gz\\\"\"}}",
		  "b-1", "j/source/sourcedir.tar.gz" },
		{ "{\"HyperParameters\": {\"sagemaker_submit_directory\": "
		  "\"\\\"s3://my.bucket/p/q/j/source/sourcedir.tar.gz\\\"\"}}",
		  "my.bucket", "p/q/j/source/sourcedir.tar.gz" },
		/* network isolation: a path in the container, the code channel */
		{ "{\"HyperParameters\": {\"sagemaker_submit_directory\": "
		  "\"\\\"/opt/ml/input/data/code/sourcedir.tar.gz\\\"\"}, "
		  "\"InputDataConfig\": [{\"ChannelName\": \"train\", "
		  "\"DataSource\": {\"S3DataSource\": {\"S3Uri\": \"s3://d/t\"}}},"
		  "{\"ChannelName\": \"code\", \"DataSource\": {\"S3DataSource\":"
		  " {\"S3Uri\": \"s3://c-b/j/source/sourcedir.tar.gz\"}}}]}",
		  "c-b", "j/source/sourcedir.tar.gz" },
		{ "{\"HyperParameters\": {\"sagemaker_submit_directory\": "
		  "\"\\\"s3://b-1/\\\"\"}}", NULL, NULL },
		{ "{\"HyperParameters\": {\"sagemaker_submit_directory\": "
		  "\"\\\"s3://B_/k\\\"\"}}", NULL, NULL },
		{ "{\"HyperParameters\": {\"sagemaker_submit_directory\": "
		  "\"s3://b-1/k\"}}", NULL, NULL },	/* not JSON-encoded */
		{ "{}", NULL, NULL },
	};
	struct submit_request r;
	struct submit_code code;
	char name[64];
	int status;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		request_of(&r, rows[i].body);
		snprintf(name, sizeof name, "code location %zu", i);
		if (rows[i].bucket == NULL)
			CHECK(name, submit_code_location(&r, &code,
			    &status) == -1 && status == EXIT_NO);
		else if (CHECK(name, submit_code_location(&r, &code,
		    &status) == 0)) {
			CHECK_STREQ(name, code.bucket, rows[i].bucket);
			CHECK_STREQ(name, code.key, rows[i].key);
		}
		cJSON_Delete(r.doc);
	}
}

static void
test_names(void)
{
	static const struct {
		const char *region, *want;
	} rows[] = {
		{ "us-east-1", "arn:aws:iam::111122223333:role/r" },
		{ "cn-northwest-1", "arn:aws-cn:iam::111122223333:role/r" },
		{ "us-gov-west-1", "arn:aws-us-gov:iam::111122223333:role/r" },
		{ "us-iso-east-1", "arn:aws-iso:iam::111122223333:role/r" },
	};
	char arn[256], bucket[64];

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		CHECK(rows[i].region, submit_role_arn_from(rows[i].region,
		    "111122223333", "r", arn, sizeof arn) == 0);
		CHECK_STREQ(rows[i].region, arn, rows[i].want);
	}
	CHECK("default bucket", submit_default_bucket("eu-west-1",
	    "111122223333", bucket) == 0);
	CHECK_STREQ("default bucket", bucket, "sagemaker-eu-west-1-111122223333");
}

int
main(void)
{
	accel_prog = "test-submit";
	test_resolve();
	test_code();
	test_names();
	return check_done();
}
