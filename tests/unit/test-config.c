/*
 * test-config.c - config_check on small inputs (the normalized value of one
 * key, or every diagnostic), tsv_parse, and the typo hints.  The broken
 * config files and their exact messages are in tests/validate/bad/.
 */
#include <stdlib.h>

#include "check.h"
#include "config.h"
#include "config-int.h"
#include "json.h"
#include "tsv.h"

#define BASE "compute_environment: AMAZON_SAGEMAKER\n" \
	"distributed_type: DATA_PARALLEL\n" \
	"ec2_instance_type: ml.p4d.24xlarge\n" \
	"iam_role_name: r\n"

/* Every diagnostic of D, one per line, without the file name. */
static void
diag_text(const struct diags *d, char *out, size_t len)
{
	size_t used = 0;
	int n;

	out[0] = '\0';
	for (size_t i = 0; i < d->n; i++) {
		n = snprintf(out + used, len - used, "%d:%d: %s: %s\n",
		    d->v[i].line, d->v[i].col, d->v[i].level == DIAG_ERROR ?
		    "error" : "warning", d->v[i].msg);
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
	}
}

static void
test_values(void)
{
	static const struct {
		const char *name, *text, *key, *want;	/* want: compact JSON */
	} rows[] = {
		{ "default region", BASE, "region", "\"us-east-1\"" },
		{ "default mixed precision", BASE, "mixed_precision", "\"no\"" },
		{ "legacy fp16", BASE "fp16: true\n", "mixed_precision",
		    "\"fp16\"" },
		{ "mixed precision wins over fp16",
		    BASE "fp16: true\nmixed_precision: bf16\n",
		    "mixed_precision", "\"bf16\"" },
		{ "legacy dynamo NO", BASE "dynamo_backend: 'NO'\n",
		    "dynamo_config", "{}" },
		{ "legacy dynamo backend", BASE "dynamo_backend: eager\n",
		    "dynamo_config", "{\"dynamo_backend\": \"EAGER\"}" },
		{ "null dynamo_config", BASE "dynamo_config: null\n",
		    "dynamo_config", "{}" },
		{ "unquoted NO", "compute_environment: AMAZON_SAGEMAKER\n"
		    "distributed_type: NO\nec2_instance_type: ml.g5.xlarge\n"
		    "iam_role_name: r\n", "distributed_type", "\"NO\"" },
		{ "gpu_ids int", BASE "gpu_ids: 0\n", "gpu_ids", "\"0\"" },
		{ "num_machines", BASE "num_machines: 4\n", "num_machines",
		    "4" },
		{ "no additional_args", BASE, "additional_args", "{}" },
		{ "typed additional_args", BASE "additional_args:\n"
		    "  volume_size: 50\n  enable_network_isolation: yes\n",
		    "additional_args",
		    "{\"enable_network_isolation\": true, \"volume_size\": 50}" },
		{ "tags map to list", BASE "additional_args:\n  tags: {a: b}\n",
		    "additional_args",
		    "{\"tags\": [{\"Key\": \"a\", \"Value\": \"b\"}]}" },
		{ "image_uri wins", BASE "image_uri: my/image:1\n",
		    "training_image", "\"my/image:1\"" },
		{ "no inputs", BASE, "sagemaker_inputs", "{}" },
		{ "no metrics", BASE, "sagemaker_metrics", "[]" },
		{ "alias resolved", BASE "profile: &p research\n"
		    "additional_args:\n  environment: {PROFILE: *p}\n",
		    "additional_args",
		    "{\"environment\": {\"PROFILE\": \"research\"}}" },
	};
	struct diags d;
	struct buf b;
	cJSON *obj;
	char name[128];

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		diags_init(&d);
		buf_init(&b, 4096);
		snprintf(name, sizeof name, "value: %s", rows[i].name);
		if (config_check("t", rows[i].text, strlen(rows[i].text), 0,
		    NULL, &d, &obj) == -1 || json_dump(&b,
		    cJSON_GetObjectItemCaseSensitive(obj, rows[i].key),
		    JSON_COMPACT) == -1)
			CHECK(name, 0);
		else
			CHECK_STREQ(name, b.data, rows[i].want);
		cJSON_Delete(obj);
		buf_free(&b);
		diags_free(&d);
	}
}

static void
test_diagnostics(void)
{
	static const struct {
		const char *name, *text, *want;
	} rows[] = {
		{ "valid", BASE, "" },
		{ "p4dn", "compute_environment: AMAZON_SAGEMAKER\n"
		    "distributed_type: DATA_PARALLEL\n"
		    "ec2_instance_type: ml.p4dn.24xlarge\niam_role_name: r\n",
		    "3:20: error: ec2_instance_type: ml.p4dn.24xlarge is not a "
		    "SageMaker instance type (accelerate's menu offers it; the "
		    "API has no such type); did you mean ml.p4d.24xlarge?\n" },
		{ "job name fits exactly", BASE "base_job_name: "
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", "" },
		{ "job name with double hyphen", BASE "base_job_name: a--b-\n",
		    "" },
		{ "spot ok", BASE "additional_args:\n  use_spot_instances: true\n"
		    "  max_wait: 86400\n", "" },
		{ "MODEL_PARALLEL warns", "compute_environment: AMAZON_SAGEMAKER"
		    "\ndistributed_type: MODEL_PARALLEL\n"
		    "ec2_instance_type: ml.g5.xlarge\niam_role_name: r\n",
		    "2:19: warning: distributed_type: accelerate launches "
		    "MODEL_PARALLEL without any distribution (in development "
		    "upstream); the job runs as with NO\n" },
		{ "instance type not in the API's list warns",
		    "compute_environment: AMAZON_SAGEMAKER\n"
		    "distributed_type: 'NO'\nec2_instance_type: ml.g5.xlarg\n"
		    "iam_role_name: r\n",
		    "3:20: warning: ec2_instance_type: 'ml.g5.xlarg' is not a "
		    "training instance type of the SageMaker API (botocore "
		    "1.43.11); did you mean 'ml.g5.xlarge'?\n" },
		{ "inputs not read without a directory",
		    BASE "sagemaker_inputs_file: x.tsv\n", "" },
	};
	char got[4096];
	struct diags d;
	cJSON *obj;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		diags_init(&d);
		config_check("t", rows[i].text, strlen(rows[i].text), 0, NULL,
		    &d, &obj);
		diags_sort(&d);
		diag_text(&d, got, sizeof got);
		CHECK_STREQ(rows[i].name, got, rows[i].want);
		CHECK(rows[i].name, (obj != NULL) == (d.errors == 0));
		cJSON_Delete(obj);
		diags_free(&d);
	}
}

static void
test_tsv(void)
{
	static const struct {
		const char *name, *text;
		int rc;
		size_t rows;
		const char *last_value;
	} rows[] = {
		{ "notebooks inputs", "channel_name\tdata_location\n"
		    "train\ts3://b/train\nvalidation\ts3://b/validation", 0, 2,
		    "s3://b/validation" },
		{ "crlf and spaces", "channel_name\tdata_location\r\n"
		    "train\t  s3://b/t  \r\n", 0, 1, "s3://b/t" },
		{ "header only", "channel_name\tdata_location\n", 0, 0, NULL },
		{ "bad row, good rows kept", "channel_name\tdata_location\n"
		    "x\n" "train\ts3://b/t\n", -1, 1, "s3://b/t" },
		{ "empty", "", -1, 0, NULL },
	};
	struct diags d;
	struct tsv t;
	int rc;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		diags_init(&d);
		rc = tsv_parse("f", rows[i].text, strlen(rows[i].text),
		    "channel_name", "data_location", &t, &d);
		CHECK(rows[i].name, rc == rows[i].rc && t.n == rows[i].rows);
		if (rows[i].last_value != NULL && t.n > 0)
			CHECK_STREQ(rows[i].name, t.rows[t.n - 1].value,
			    rows[i].last_value);
		tsv_free(&t);
		diags_free(&d);
	}
}

static void
test_nearest(void)
{
	static const char *const keys[] = {
		"region", "profile", "ec2_instance_type", "num_machines",
	};
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "regoin", "region" }, { "REGION", "region" },
		{ "instance_type", "ec2_instance_type" },
		{ "num_machine", "num_machines" }, { "zzz", NULL },
		{ "train_script", NULL },
	};
	const char *got;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		got = nearest(rows[i].in, keys, 4);
		if (rows[i].want == NULL)
			CHECK(rows[i].in, got == NULL);
		else
			CHECK_STREQ(rows[i].in, got, rows[i].want);
	}
}

int
main(void)
{
	test_values();
	test_diagnostics();
	test_tsv();
	test_nearest();
	return check_done();
}
