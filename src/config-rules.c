/*
 * config-rules.c - the rules that need more than one key: the instance
 * type and what it allows, the region, the job name, the training image,
 * the inputs and metrics TSV files, spot and VPC settings.
 */
#include <ctype.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-int.h"
#include "tsv.h"

/* botocore 1.43.11 endpoints.json, every partition (tests/cli/regions.t). */
static const char *const regions[] = {
	"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1",
	"ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
	"ap-southeast-4", "ap-southeast-5", "ap-southeast-6",
	"ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1",
	"cn-northwest-1", "eu-central-1", "eu-central-2", "eu-isoe-west-1",
	"eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
	"eu-west-3", "eusc-de-east-1", "il-central-1", "me-central-1",
	"me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2",
	"us-gov-east-1", "us-gov-west-1", "us-iso-east-1", "us-iso-west-1",
	"us-isob-east-1", "us-isob-west-1", "us-isof-east-1",
	"us-isof-south-1", "us-west-1", "us-west-2",
};

/*
 * SM_DATAPARALLEL_SUPPORTED_INSTANCE_TYPES of the SDK (sagemaker-api.md
 * 10.4); the SDK refuses p5 for smdistributed outright.
 */
static const char *const dataparallel_types[] = {
	"ml.p3.16xlarge", "ml.p3dn.24xlarge", "ml.p4d.24xlarge",
	"ml.p4de.24xlarge", "local_gpu",
};

/* SM_DATAPARALLEL_SUPPORTED_FRAMEWORK_VERSIONS["pytorch"] */
static const char *const dataparallel_pytorch[] = {
	"1.6", "1.6.0", "1.7", "1.7.1", "1.8", "1.8.0", "1.8.1", "1.9",
	"1.9.0", "1.9.1", "1.10", "1.10.0", "1.10.2", "1.11", "1.11.0", "1.12",
	"1.12.0", "1.12.1", "1.13.1", "2.0.0", "2.0.1", "2.1.0", "2.1.2",
	"2.2.0",
};

#define NELEM(a) (sizeof (a) / sizeof (a)[0])
#define JOB_SUFFIX_LEN 13	/* "-" + 12 hex of the request digest */
#define JOB_NAME_MAX 63		/* TrainingJobName */
#define MAX_METRICS 40		/* MetricDefinitions */
#define DEFAULT_MAX_RUN 86400	/* the SDK's max_run */

static int
in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

static int
is_local(const char *instance)
{
	return instance != NULL && (strcmp(instance, "local") == 0 ||
	    strcmp(instance, "local_gpu") == 0);
}

void
check_region(struct cfg *c)
{
	const char *near;

	if (c->region == NULL || in_list(c->region, regions, NELEM(regions)))
		return;
	near = nearest(c->region, regions, NELEM(regions));
	if (near != NULL)
		cfg_error(c, c->n_region, "region: '%s' is not an AWS region; "
		    "did you mean '%s'?", c->region, near);
	else
		cfg_error(c, c->n_region, "region: '%s' is not an AWS region "
		    "(e.g. us-east-1, eu-west-1, cn-north-1, us-gov-west-1)",
		    c->region);
	c->region = NULL;
}

/* ml.<family>.<size>: lower-case letters, digits and '-' in each part. */
static int
is_ml_type(const char *s)
{
	const char *p;
	int dots = 0;

	if (strncmp(s, "ml.", 3) != 0)
		return 0;
	for (p = s + 3; *p != '\0'; p++) {
		if (*p == '.') {
			if (p[-1] == '.' || p[1] == '\0' || ++dots > 1)
				return 0;
		} else if (!islower((unsigned char)*p) &&
		    !isdigit((unsigned char)*p) && *p != '-') {
			return 0;
		}
	}
	return dots == 1 && s[3] != '.';
}

/*
 * Not in the API's list: most likely a typo, but the list grows, so a
 * warning (botocore's model is the list the tests keep us in step with).
 */
static void
warn_unknown_type(struct cfg *c, const char *s)
{
	const char *near;

	near = nearest(s, training_instance_types, ntraining_instance_types);
	cfg_warn(c, c->n_instance, "ec2_instance_type: '%s' is not a training "
	    "instance type of the SageMaker API (botocore 1.43.11)%s%s%s", s,
	    near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
}

void
check_instance(struct cfg *c)
{
	const char *s = c->instance;
	char fixed[128];

	if (c->n_instance == NULL) {
		cfg_error(c, c->root, "missing required key 'ec2_instance_type' "
		    "(ml.<family>.<size>, local or local_gpu)");
		c->bad_instance = 1;
		return;
	}
	if (s == NULL) {
		c->bad_instance = 1;
		return;
	}
	if (is_local(s))
		return;
	if (is_ml_type(s) && strcmp(s, "ml.p4dn.24xlarge") != 0) {
		if (!in_list(s, training_instance_types,
		    ntraining_instance_types))
			warn_unknown_type(c, s);
		return;
	}
	c->bad_instance = 1;
	if (strcmp(s, "ml.p4dn.24xlarge") == 0)
		cfg_error(c, c->n_instance, "ec2_instance_type: "
		    "ml.p4dn.24xlarge is not a SageMaker instance type "
		    "(accelerate's menu offers it; the API has no such type); "
		    "did you mean ml.p4d.24xlarge?");
	else if (strcmp(s, "local-gpu") == 0 || strcmp(s, "localgpu") == 0)
		cfg_error(c, c->n_instance, "ec2_instance_type: '%s' is not an "
		    "instance type; did you mean local_gpu?", s);
	else if (strncmp(s, "ml", 2) != 0 &&
	    xsnprintf(fixed, sizeof fixed, "ml.%s", s) == 0 &&
	    is_ml_type(fixed))
		cfg_error(c, c->n_instance, "ec2_instance_type: '%s' is not a "
		    "SageMaker instance type; did you mean %s?", s, fixed);
	else
		cfg_error(c, c->n_instance, "ec2_instance_type: '%.60s' is not "
		    "ml.<family>.<size>, local or local_gpu", s);
}

/* base_job_name + "-" + 12 hex must match ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$ */
static void
check_base_job_name(struct cfg *c)
{
	const struct ynode *v = ydoc_get(c->root, "base_job_name", NULL);
	const char *s;
	size_t n;

	if (v == NULL || v->kind != YNODE_SCALAR || v->type != YT_STR)
		return;
	s = v->text;
	n = strlen(s);
	if (!isalnum((unsigned char)s[0]))
		cfg_error(c, v, "base_job_name: must start with a letter or "
		    "a digit (job names match "
		    "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})");
	else if (strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-") != n)
		cfg_error(c, v, "base_job_name: only letters, digits and - are "
		    "allowed in job names (no '_', '.' or spaces)");
	else if (n + JOB_SUFFIX_LEN > JOB_NAME_MAX)
		cfg_error(c, v, "base_job_name: %zu characters; at most %d "
		    "leave room for the suffix -<12 hex digits> in the "
		    "%d-character job name", n, JOB_NAME_MAX - JOB_SUFFIX_LEN,
		    JOB_NAME_MAX);
}

/* The node to blame for a resolution failure: the key, else a neighbour. */
static const struct ynode *
field_node(struct cfg *c, enum images_field f, const char **unset)
{
	const struct ynode *own = NULL;

	*unset = NULL;
	switch (f) {
	case IMAGES_FIELD_INSTANCE:
		return c->n_instance;
	case IMAGES_FIELD_TRANSFORMERS:
		own = c->n_tv, *unset = "transformers_version";
		break;
	case IMAGES_FIELD_PYTORCH:
		own = c->n_pt, *unset = "pytorch_version";
		break;
	case IMAGES_FIELD_PY:
		own = c->n_py, *unset = "py_version";
		break;
	case IMAGES_FIELD_REGION:
		own = c->n_region, *unset = "region";
		break;
	default:
		return c->root;
	}
	if (own != NULL) {
		*unset = NULL;
		return own;
	}
	return c->n_tv ? c->n_tv : c->n_pt ? c->n_pt : c->n_py ? c->n_py :
	    c->root;
}

static void
check_image(struct cfg *c)
{
	char err[IMAGES_ERR_MAX];
	enum images_field bad;
	const struct ynode *at;
	const char *unset;

	if (c->image != NULL) {
		xsnprintf(c->training_image, sizeof c->training_image, "%s",
		    c->image);
		return;
	}
	if (ydoc_get(c->root, "image_uri", NULL) != NULL &&
	    !(ydoc_get(c->root, "image_uri", NULL)->type == YT_NULL))
		return;		/* a bad image_uri, already reported */
	if (c->bad_instance || c->region == NULL || c->tv == NULL ||
	    c->pt == NULL || c->py == NULL)
		return;
	if (images_resolve_field(c->region, c->tv, c->pt, c->py, c->instance,
	    c->training_image, sizeof c->training_image, err, sizeof err,
	    &bad) == -1) {
		at = field_node(c, bad, &unset);
		if (unset != NULL)
			cfg_error(c, at, "%s (%s is not set: the default "
			    "applies)", err, unset);
		else
			cfg_error(c, at, "%s", err);
	}
}

static void
check_data_parallel(struct cfg *c)
{
	char list[256];

	if (c->distributed == NULL || strcmp(c->distributed, "DATA_PARALLEL"))
		return;
	if (!c->bad_instance && strstr(c->instance, "p5.48xlarge") != NULL) {
		cfg_error(c, c->n_instance, "ec2_instance_type: SageMaker's "
		    "data-parallel library does not support p5 instances (the "
		    "SDK refuses them); use ml.p4d.24xlarge or ml.p4de.24xlarge");
	} else if (!c->bad_instance && !in_list(c->instance,
	    dataparallel_types, NELEM(dataparallel_types))) {
		join_list(dataparallel_types, NELEM(dataparallel_types), list,
		    sizeof list);
		cfg_error(c, c->n_instance, "ec2_instance_type: DATA_PARALLEL "
		    "(SageMaker's data-parallel library) runs on %s, not %s",
		    list, c->instance);
	}
	if (c->image != NULL)
		return;
	if (c->pt != NULL && !in_list(c->pt, dataparallel_pytorch,
	    NELEM(dataparallel_pytorch)))
		cfg_error(c, c->n_pt ? c->n_pt : c->root, "pytorch_version: "
		    "%s is not supported by SageMaker's data-parallel library "
		    "(1.6 to 2.2.0; the SDK refuses it); use 1.10.2, or set "
		    "image_uri", c->pt);
	if (c->py != NULL && strstr(c->py, "py3") == NULL)
		cfg_error(c, c->n_py ? c->n_py : c->root, "py_version: %s is "
		    "not supported by SageMaker's data-parallel library", c->py);
}

/*
 * The TSV FILE named at node AT, relative to the config's directory, parsed
 * into T.  Its path (as messages name it) in *NAME, to free.
 */
static int
read_tsv(struct cfg *c, const struct ynode *at, const char *file,
    const char *col1, const char *col2, char **name, struct tsv *t)
{
	struct stat st;
	struct buf b;

	memset(t, 0, sizeof *t);
	*name = NULL;
	if (c->dir == NULL)	/* the fuzzer: no files */
		return -1;
	if (file[0] == '/' || strcmp(c->dir, ".") == 0)
		*name = strdup(file);
	else if (asprintf(name, "%s/%s", c->dir, file) == -1)
		*name = NULL;
	if (*name == NULL)
		return -1;
	if (stat(*name, &st) == -1) {
		cfg_error(c, at, "cannot read '%s': %s", *name,
		    strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		cfg_error(c, at, "cannot read '%s': not a regular file", *name);
		return -1;
	}
	if (st.st_size > TSV_MAX_BYTES) {
		cfg_error(c, at, "'%s' is larger than the limit of %d bytes",
		    *name, TSV_MAX_BYTES);
		return -1;
	}
	if (read_file(*name, TSV_MAX_BYTES, &b) == -1) {
		cfg_error(c, at, "cannot read '%s'", *name);
		return -1;
	}
	/* A bad line is reported; the good rows are still checked. */
	tsv_parse(*name, b.data, b.len, col1, col2, t, c->d);
	buf_free(&b);
	return 0;
}

static int
is_channel_name(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") == n;
}

/* A data location: s3://bucket/..., or file://... in local mode. */
static int
check_location(struct cfg *c, const char *file, const struct tsv_row *r)
{
	if (strncmp(r->value, "s3://", 5) == 0 && r->value[5] != '\0' &&
	    r->value[5] != '/' && strlen(r->value) <= 1024)
		return 0;
	if (strncmp(r->value, "file://", 7) == 0 && r->value[7] != '\0') {
		if (is_local(c->instance))
			return 0;
		diag_add(c->d, DIAG_ERROR, file, r->line, r->value_col,
		    "file:// inputs work only with the local instance types "
		    "(local, local_gpu); upload the data to S3");
		return -1;
	}
	diag_add(c->d, DIAG_ERROR, file, r->line, r->value_col, "data "
	    "location must be an S3 URI s3://BUCKET/PREFIX (at most 1024 "
	    "characters)%s", is_local(c->instance) ? " or file://PATH" : "");
	return -1;
}

static void
check_inputs(struct cfg *c)
{
	struct tsv t;
	char *name;

	if (c->inputs_file == NULL || read_tsv(c, c->n_inputs, c->inputs_file,
	    "channel_name", "data_location", &name, &t) == -1)
		goto done;
	c->inputs = cJSON_CreateObject();
	for (size_t i = 0; i < t.n; i++) {
		const struct tsv_row *r = &t.rows[i];

		if (!is_channel_name(r->key))
			diag_add(c->d, DIAG_ERROR, name, r->line, 1, "channel "
			    "name '%.64s' must be 1 to 64 letters, digits and "
			    "._-", r->key);
		else if (cJSON_GetObjectItemCaseSensitive(c->inputs, r->key))
			diag_add(c->d, DIAG_ERROR, name, r->line, 1,
			    "duplicate channel '%s'", r->key);
		else if (check_location(c, name, r) == 0)
			cJSON_AddStringToObject(c->inputs, r->key, r->value);
	}
done:
	if (c->inputs_file != NULL)
		free(name), tsv_free(&t);
}

static void
check_metrics(struct cfg *c)
{
	struct tsv t;
	char *name;
	cJSON *m;

	if (c->metrics_file == NULL || read_tsv(c, c->n_metrics,
	    c->metrics_file, "metric_name", "metric_regex", &name, &t) == -1)
		goto done;
	c->metrics = cJSON_CreateArray();
	for (size_t i = 0; i < t.n; i++) {
		const struct tsv_row *r = &t.rows[i];

		if (i == MAX_METRICS) {
			diag_add(c->d, DIAG_ERROR, name, r->line, 1, "more "
			    "than %d metrics (the API's limit)", MAX_METRICS);
			break;
		}
		if (strlen(r->key) > 255) {
			diag_add(c->d, DIAG_ERROR, name, r->line, 1, "metric "
			    "name longer than 255 characters");
			continue;
		}
		if (strlen(r->value) > 500) {
			diag_add(c->d, DIAG_ERROR, name, r->line, r->value_col,
			    "metric regex longer than 500 characters");
			continue;
		}
		m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "Name", r->key);
		cJSON_AddStringToObject(m, "Regex", r->value);
		cJSON_AddItemToArray(c->metrics, m);
	}
done:
	if (c->metrics_file != NULL)
		free(name), tsv_free(&t);
}

#define AA "additional_args."

/* Spot, checkpoints, VPC and output path: what the API or the SDK refuse. */
static void
check_spot(struct cfg *c)
{
	long max_run = c->n_max_run ? c->max_run : DEFAULT_MAX_RUN;

	if (is_local(c->instance)) {
		if (c->spot)
			cfg_error(c, c->n_spot, AA "use_spot_instances: spot "
			    "training is not supported in local mode");
		if (c->n_ckpt_uri)
			cfg_error(c, c->n_ckpt_uri, AA "checkpoint_s3_uri: "
			    "not supported in local mode");
		if (c->n_ckpt_path)
			cfg_error(c, c->n_ckpt_path, AA "checkpoint_local_path: "
			    "not supported in local mode");
	} else if (c->spot && c->n_max_wait == NULL) {
		cfg_error(c, c->n_spot, AA "use_spot_instances: needs "
		    "max_wait (seconds, at least max_run, %ld)", max_run);
	}
	if (c->n_max_wait != NULL && !c->spot)
		cfg_error(c, c->n_max_wait, AA "max_wait: only allowed with "
		    AA "use_spot_instances: true (the API rejects "
		    "MaxWaitTimeInSeconds without managed spot training)");
	else if (c->n_max_wait != NULL && c->max_wait < max_run)
		cfg_error(c, c->n_max_wait, AA "max_wait: %ld is less than "
		    "max_run (%ld%s); spot jobs need max_wait >= max_run",
		    c->max_wait, max_run, c->n_max_run ? "" : ", the default");
	if ((c->n_subnets == NULL) != (c->n_groups == NULL))
		cfg_error(c, c->n_subnets ? c->n_subnets : c->n_groups,
		    AA "%s: subnets and security_group_ids go together "
		    "(VpcConfig needs both)", c->n_subnets ? "subnets" :
		    "security_group_ids");
	if (c->n_output_path != NULL && !is_local(c->instance) &&
	    c->n_output_path->type == YT_STR &&
	    strncmp(c->n_output_path->text, "file://", 7) == 0)
		cfg_error(c, c->n_output_path, AA "output_path: file:// works "
		    "only with the local instance types (local, local_gpu)");
}

void
check_rules(struct cfg *c)
{
	check_instance(c);
	check_region(c);
	check_base_job_name(c);
	if (!c->bad_instance && strcmp(c->instance, "local_gpu") == 0 &&
	    c->num_machines > 1)
		cfg_error(c, c->n_num, "num_machines: local_gpu runs one "
		    "machine (the SDK refuses distributed training in local "
		    "GPU mode)");
	check_data_parallel(c);
	check_image(c);
	check_inputs(c);
	check_metrics(c);
	check_spot(c);
}
