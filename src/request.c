/* request.c - the CreateTrainingJob body (see request.h). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "distrib.h"
#include "hparams.h"
#include "json.h"
#include "request.h"

/* API limits (sagemaker-api.md §4.2). */
#define ENV_MAX 100
#define ENV_VALUE_MAX 512
#define METRICS_MAX 40
#define TAGS_MAX 50

#define CONTAINER_CODE_PATH "/opt/ml/input/data/code/sourcedir.tar.gz"

/* Regions where the SDK turns the profiler off (sagemaker-api.md §4.1). */
static const char *const no_profiler_regions[] = {
	"us-iso-east-1", "us-isob-east-1", "ap-southeast-3", "ap-southeast-4",
	"eu-south-2", "me-central-1", "ap-south-2", "eu-central-2",
	"us-gov-east-1", NULL
};

struct ctx {
	const struct request_in *in;
	const cJSON *args;		/* additional_args, maybe NULL */
	cJSON *body;
};

static int
bad(const struct ctx *c, const char *key, const char *fmt, ...)
	ACCEL_PRINTF(3, 4);

static int
bad(const struct ctx *c, const char *key, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return accel_err("%s: %s: %s", c->in->config_name, key, msg);
}

/* A config key; NULL when absent or null. */
static const cJSON *
conf(const struct ctx *c, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(c->in->config, key);

	return cJSON_IsNull(v) ? NULL : v;
}

static const char *
conf_str(const struct ctx *c, const char *key, const char *dflt)
{
	const cJSON *v = conf(c, key);

	return cJSON_IsString(v) ? v->valuestring : dflt;
}

/* An additional_args keyword; NULL when absent or null. */
static const cJSON *
arg(const struct ctx *c, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(c->args, key);

	return cJSON_IsNull(v) ? NULL : v;
}

static int
is_int(const cJSON *v)
{
	return cJSON_IsNumber(v) && floor(v->valuedouble) == v->valuedouble &&
	    fabs(v->valuedouble) <= 9007199254740992.0;
}

/* additional_args.KEY as an integer >= MIN; 0 absent, 1 set, -1 bad. */
static int
arg_int(const struct ctx *c, const char *key, double min, double *out)
{
	const cJSON *v = arg(c, key);
	char name[96];

	if (v == NULL)
		return 0;
	snprintf(name, sizeof name, "additional_args.%s", key);
	if (!is_int(v) || v->valuedouble < min)
		return bad(c, name, "must be an integer of at least %.0f",
		    min);
	*out = v->valuedouble;
	return 1;
}

static int
arg_bool(const struct ctx *c, const char *key, int *out)
{
	const cJSON *v = arg(c, key);
	char name[96];

	if (v == NULL)
		return 0;
	snprintf(name, sizeof name, "additional_args.%s", key);
	if (!cJSON_IsBool(v))
		return bad(c, name, "must be true or false");
	*out = cJSON_IsTrue(v);
	return 1;
}

static int
arg_str(const struct ctx *c, const char *key, const char **out)
{
	const cJSON *v = arg(c, key);
	char name[96];

	if (v == NULL)
		return 0;
	snprintf(name, sizeof name, "additional_args.%s", key);
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
		return bad(c, name, "must be a non-empty string");
	*out = v->valuestring;
	return 1;
}

/* The object at dotted PATH under ROOT, created as needed. */
static cJSON *
object_at(cJSON *root, const char *path)
{
	char part[128];
	const char *dot;
	cJSON *o = root, *next;

	while (*path != '\0') {
		dot = strchr(path, '.');
		size_t n = dot != NULL ? (size_t)(dot - path) : strlen(path);

		if (n >= sizeof part)
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		next = cJSON_GetObjectItemCaseSensitive(o, part);
		if (next == NULL)
			next = cJSON_AddObjectToObject(o, part);
		if (next == NULL)
			return NULL;
		o = next;
		path += n + (dot != NULL);
	}
	return o;
}

/* Sets OBJPATH.KEY = ITEM (taking it), replacing an older value. */
static int
put(cJSON *root, const char *objpath, const char *key, cJSON *item)
{
	cJSON *o = *objpath ? object_at(root, objpath) : root;

	if (item == NULL || o == NULL) {
		cJSON_Delete(item);
		return accel_err("cannot build the request:");
	}
	cJSON_DeleteItemFromObjectCaseSensitive(o, key);
	cJSON_AddItemToObject(o, key, item);
	return 0;
}

/*
 * additional_args keywords that set one field (sagemaker-api.md §11).
 * OMIT_FALSE: the SDK sends the flag only when true.
 */
static const struct simple {
	const char *keyword;
	enum { T_INT, T_BOOL, T_STR, T_STRLIST } type;
	double min;
	const char *object, *field;
	int omit_false;
} simple_args[] = {
	{ "volume_size", T_INT, 1, "ResourceConfig", "VolumeSizeInGB", 0 },
	{ "volume_kms_key", T_STR, 0, "ResourceConfig", "VolumeKmsKeyId", 0 },
	{ "keep_alive_period_in_seconds", T_INT, 0, "ResourceConfig",
	  "KeepAlivePeriodInSeconds", 0 },
	{ "training_plan", T_STR, 0, "ResourceConfig", "TrainingPlanArn", 0 },
	{ "max_run", T_INT, 1, "StoppingCondition", "MaxRuntimeInSeconds", 0 },
	{ "input_mode", T_STR, 0, "AlgorithmSpecification",
	  "TrainingInputMode", 0 },
	{ "enable_sagemaker_metrics", T_BOOL, 0, "AlgorithmSpecification",
	  "EnableSageMakerMetricsTimeSeries", 0 },
	{ "container_entry_point", T_STRLIST, 0, "AlgorithmSpecification",
	  "ContainerEntrypoint", 0 },
	{ "container_arguments", T_STRLIST, 0, "AlgorithmSpecification",
	  "ContainerArguments", 0 },
	{ "training_repository_access_mode", T_STR, 0,
	  "AlgorithmSpecification.TrainingImageConfig",
	  "TrainingRepositoryAccessMode", 0 },
	{ "training_repository_credentials_provider_arn", T_STR, 0,
	  "AlgorithmSpecification.TrainingImageConfig."
	  "TrainingRepositoryAuthConfig",
	  "TrainingRepositoryCredentialsProviderArn", 0 },
	{ "output_kms_key", T_STR, 0, "OutputDataConfig", "KmsKeyId", 0 },
	{ "max_retry_attempts", T_INT, 1, "RetryStrategy",
	  "MaximumRetryAttempts", 0 },
	{ "enable_infra_check", T_BOOL, 0, "InfraCheckConfig",
	  "EnableInfraCheck", 0 },
	{ "enable_remote_debug", T_BOOL, 0, "RemoteDebugConfig",
	  "EnableRemoteDebug", 0 },
	{ "enable_session_tag_chaining", T_BOOL, 0, "SessionChainingConfig",
	  "EnableSessionTagChaining", 0 },
	{ "use_spot_instances", T_BOOL, 0, "", "EnableManagedSpotTraining", 1 },
	{ "encrypt_inter_container_traffic", T_BOOL, 0, "",
	  "EnableInterContainerTrafficEncryption", 1 },
	{ "enable_network_isolation", T_BOOL, 0, "", "EnableNetworkIsolation",
	  1 },
};

/* Keywords handled by the code below rather than by the table. */
static const char *const special_args[] = {
	"max_wait", "output_path", "code_location", "checkpoint_s3_uri",
	"checkpoint_local_path", "subnets", "security_group_ids", "tags",
	"environment", "hyperparameters", "disable_profiler",
	"disable_output_compression", "metric_definitions", "distribution",
	"container_log_level", "model_uri", "model_channel_name", NULL
};

static int
string_list(const struct ctx *c, const char *name, const cJSON *v,
    cJSON **out)
{
	const cJSON *x;

	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0)
		return bad(c, name, "must be a non-empty list of strings");
	cJSON_ArrayForEach(x, v)
		if (!cJSON_IsString(x))
			return bad(c, name, "must be a list of strings");
	*out = cJSON_Duplicate(v, 1);
	return 0;
}

static int
apply_simple(struct ctx *c, const struct simple *s)
{
	char name[96];
	cJSON *item = NULL;
	const char *str;
	double num;
	int rc, flag;

	snprintf(name, sizeof name, "additional_args.%s", s->keyword);
	switch (s->type) {
	case T_INT:
		if ((rc = arg_int(c, s->keyword, s->min, &num)) <= 0)
			return rc;
		item = cJSON_CreateNumber(num);
		break;
	case T_BOOL:
		if ((rc = arg_bool(c, s->keyword, &flag)) <= 0)
			return rc;
		if (!flag && s->omit_false)
			return 0;
		item = cJSON_CreateBool(flag);
		break;
	case T_STR:
		if ((rc = arg_str(c, s->keyword, &str)) <= 0)
			return rc;
		item = cJSON_CreateString(str);
		break;
	case T_STRLIST:
		if (arg(c, s->keyword) == NULL)
			return 0;
		if (string_list(c, name, arg(c, s->keyword), &item) == -1)
			return -1;
		break;
	}
	return put(c->body, s->object, s->field, item);
}

/* Unknown keywords are an error: accelerate ignores misspelt ones. */
static int
check_known_args(const struct ctx *c)
{
	const cJSON *a;
	size_t i;
	int rc = 0;

	cJSON_ArrayForEach(a, c->args) {
		int known = 0;

		for (i = 0; i < sizeof simple_args / sizeof simple_args[0]; i++)
			known |= strcmp(a->string, simple_args[i].keyword) == 0;
		for (i = 0; special_args[i] != NULL; i++)
			known |= strcmp(a->string, special_args[i]) == 0;
		if (!known) {
			char name[160];

			snprintf(name, sizeof name, "additional_args.%s",
			    a->string);
			rc = bad(c, name, "not a supported estimator keyword "
			    "(see accel-request(1))");
		}
	}
	return rc;
}

static int
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "s3://bucket/..." → the bucket, into OUT. */
static int
s3_bucket(const char *uri, char *out, size_t size)
{
	const char *b = uri + 5, *slash;
	size_t n;

	if (!starts_with(uri, "s3://"))
		return -1;
	slash = strchr(b, '/');
	n = slash != NULL ? (size_t)(slash - b) : strlen(b);
	if (n == 0 || n >= size)
		return -1;
	memcpy(out, b, n);
	out[n] = '\0';
	return 0;
}

/* s3_path_join: parts joined by single '/', empty parts dropped. */
static int
s3_join(char *out, size_t size, const char *base, const char *rest)
{
	size_t n = strlen(base);

	while (n > 5 && base[n - 1] == '/')
		n--;
	return xsnprintf(out, size, "%.*s/%s", (int)n, base, rest);
}

/* OutputDataConfig and ProfilerConfig; *OUTPUT_PATH for the code URI. */
static int
add_output(struct ctx *c, const char **output_path)
{
	const char *region = conf_str(c, "region", "us-east-1");
	const char *type = conf_str(c, "ec2_instance_type", "");
	int flag = 0, off = 0, rc;
	cJSON *prof;

	*output_path = "s3://" REQUEST_PH_BUCKET "/";
	if ((rc = arg_str(c, "output_path", output_path)) == -1)
		return -1;
	if (rc == 1 && !starts_with(*output_path, "s3://"))
		return bad(c, "additional_args.output_path", "must be an "
		    "s3:// URI");
	if (put(c->body, "OutputDataConfig", "S3OutputPath",
	    cJSON_CreateString(*output_path)) == -1)
		return -1;
	if ((rc = arg_bool(c, "disable_output_compression", &flag)) == -1)
		return -1;
	if (flag && put(c->body, "OutputDataConfig", "CompressionType",
	    cJSON_CreateString("NONE")) == -1)
		return -1;
	if (arg_bool(c, "disable_profiler", &off) == -1)
		return -1;
	for (size_t i = 0; no_profiler_regions[i] != NULL; i++)
		off |= strcmp(region, no_profiler_regions[i]) == 0;
	off |= starts_with(type, "ml.trn");
	prof = cJSON_CreateObject();
	if (prof != NULL && !off)
		cJSON_AddStringToObject(prof, "S3OutputPath", *output_path);
	if (prof != NULL)
		cJSON_AddBoolToObject(prof, "DisableProfiler", off);
	return put(c->body, "", "ProfilerConfig", prof);
}

/* Where accel-submit uploads the archive (sagemaker-api.md §7.4). */
static int
code_uri(struct ctx *c, const char *output_path, char *out, size_t size)
{
	const char *loc;
	char bucket[256];
	int rc;

	if ((rc = arg_str(c, "code_location", &loc)) == -1)
		return -1;
	if (rc == 1) {
		if (!starts_with(loc, "s3://") || s3_bucket(loc, bucket,
		    sizeof bucket) == -1)
			return bad(c, "additional_args.code_location",
			    "must be an s3:// URI");
		rc = s3_join(out, size, loc,
		    REQUEST_PH_JOB "/source/sourcedir.tar.gz");
	} else {
		if (s3_bucket(output_path, bucket, sizeof bucket) == -1)
			return bad(c, "additional_args.output_path",
			    "has no bucket");
		rc = xsnprintf(out, size, "s3://%s/%s", bucket,
		    REQUEST_PH_JOB "/source/sourcedir.tar.gz");
	}
	return rc == -1 ? bad(c, "additional_args.code_location",
	    "is too long") : 0;
}

static int
add_stopping(struct ctx *c)
{
	double run = 86400, wait = 0;
	int spot = 0, has_wait;

	if (arg_int(c, "max_run", 1, &run) == -1 ||
	    (has_wait = arg_int(c, "max_wait", 1, &wait)) == -1 ||
	    arg_bool(c, "use_spot_instances", &spot) == -1)
		return -1;
	if (put(c->body, "StoppingCondition", "MaxRuntimeInSeconds",
	    cJSON_CreateNumber(run)) == -1)
		return -1;
	/* the SDK sends max_wait without spot; the API then rejects it */
	if (has_wait && !spot)
		return bad(c, "additional_args.max_wait", "is only valid with "
		    "use_spot_instances: true");
	if (spot && !has_wait)
		return bad(c, "additional_args.use_spot_instances", "needs "
		    "max_wait (seconds of waiting plus training, at least "
		    "max_run)");
	if (spot && wait < run)
		return bad(c, "additional_args.max_wait", "%.0f is less than "
		    "max_run (%.0f)", wait, run);
	if (has_wait)
		return put(c->body, "StoppingCondition",
		    "MaxWaitTimeInSeconds", cJSON_CreateNumber(wait));
	return 0;
}

static int
add_resources(struct ctx *c)
{
	const cJSON *n = conf(c, "num_machines");
	const char *type = conf_str(c, "ec2_instance_type", NULL);

	if (type == NULL)
		return bad(c, "ec2_instance_type", "is missing");
	if (n != NULL && (!is_int(n) || n->valuedouble < 1))
		return bad(c, "num_machines", "must be an integer of at least "
		    "1");
	if (put(c->body, "ResourceConfig", "VolumeSizeInGB",
	    cJSON_CreateNumber(30)) == -1 ||
	    put(c->body, "ResourceConfig", "InstanceCount",
	    cJSON_CreateNumber(n != NULL ? n->valuedouble : 1)) == -1 ||
	    put(c->body, "ResourceConfig", "InstanceType",
	    cJSON_CreateString(type)) == -1)
		return -1;
	return 0;
}

static int
add_algorithm(struct ctx *c)
{
	const char *image = conf_str(c, "training_image", NULL);
	const cJSON *metrics = arg(c, "metric_definitions");
	const char *name = "additional_args.metric_definitions";

	if (image == NULL)
		image = conf_str(c, "image_uri", NULL);
	if (image == NULL)
		return bad(c, "training_image", "is missing (run "
		    "accel-validate)");
	if (put(c->body, "AlgorithmSpecification", "TrainingInputMode",
	    cJSON_CreateString("File")) == -1 ||
	    put(c->body, "AlgorithmSpecification", "TrainingImage",
	    cJSON_CreateString(image)) == -1 ||
	    put(c->body, "AlgorithmSpecification",
	    "EnableSageMakerMetricsTimeSeries", cJSON_CreateTrue()) == -1)
		return -1;
	if (metrics == NULL) {
		metrics = conf(c, "sagemaker_metrics");
		name = "sagemaker_metrics";
	}
	if (metrics == NULL || cJSON_GetArraySize(metrics) == 0)
		return 0;
	if (!cJSON_IsArray(metrics) || cJSON_GetArraySize(metrics) >
	    METRICS_MAX)
		return bad(c, name, "must be a list of at most %d "
		    "{Name, Regex}", METRICS_MAX);
	return put(c->body, "AlgorithmSpecification", "MetricDefinitions",
	    cJSON_Duplicate(metrics, 1));
}

/* Local mode (instance type local or local_gpu), for accel-local. */
static int
is_local(const struct ctx *c)
{
	const char *type = conf_str(c, "ec2_instance_type", "");

	return strcmp(type, "local") == 0 || strcmp(type, "local_gpu") == 0;
}

static cJSON *
s3_channel(const char *name, const char *uri)
{
	cJSON *ch = cJSON_CreateObject(), *src;

	if (ch == NULL)
		return NULL;
	cJSON_AddStringToObject(ch, "ChannelName", name);
	src = object_at(ch, "DataSource.S3DataSource");
	if (src == NULL) {
		cJSON_Delete(ch);
		return NULL;
	}
	cJSON_AddStringToObject(src, "S3DataType", "S3Prefix");
	cJSON_AddStringToObject(src, "S3Uri", uri);
	cJSON_AddStringToObject(src, "S3DataDistributionType",
	    "FullyReplicated");
	return ch;
}

static int
add_channel(cJSON *channels, const char *name, const char *uri)
{
	cJSON *ch = s3_channel(name, uri);

	if (ch == NULL)
		return accel_err("cannot build the request:");
	cJSON_AddItemToArray(channels, ch);
	return 0;
}

/* InputDataConfig: the inputs, model_uri, and the code channel. */
static int
add_inputs(struct ctx *c, int isolated, const char *code)
{
	const cJSON *inputs = conf(c, "sagemaker_inputs"), *in;
	const char *model, *model_name = "model";
	cJSON *channels = cJSON_CreateArray(), *last;
	int rc;

	if (channels == NULL)
		return accel_err("cannot build the request:");
	cJSON_ArrayForEach(in, inputs) {
		/* file:// is for local mode only, as in the SDK */
		if (!cJSON_IsString(in) || !(starts_with(in->valuestring,
		    "s3://") || starts_with(in->valuestring, "https://") ||
		    (is_local(c) && starts_with(in->valuestring,
		    "file://")))) {
			cJSON_Delete(channels);
			return bad(c, "sagemaker_inputs", "channel '%s' needs "
			    "an s3:// URI%s", in->string, is_local(c) ? " or "
			    "a file:// one" : "");
		}
		if (add_channel(channels, in->string, in->valuestring))
			goto fail;
	}
	if ((rc = arg_str(c, "model_uri", &model)) == -1 ||
	    arg_str(c, "model_channel_name", &model_name) == -1)
		goto fail;
	if (rc == 1) {
		if (add_channel(channels, model_name, model) == -1)
			goto fail;
		last = cJSON_GetArrayItem(channels,
		    cJSON_GetArraySize(channels) - 1);
		cJSON_AddStringToObject(last, "ContentType",
		    "application/x-sagemaker-model");
		cJSON_AddStringToObject(last, "InputMode", "File");
	}
	if (isolated && add_channel(channels, "code", code) == -1)
		goto fail;
	if (cJSON_GetArraySize(channels) == 0) {
		cJSON_Delete(channels);
		return 0;
	}
	return put(c->body, "", "InputDataConfig", channels);
fail:
	cJSON_Delete(channels);
	return -1;
}

/* Python's str() of a scalar, for tag values. */
static int
py_str(const cJSON *v, char *out, size_t size)
{
	char num[32];

	if (cJSON_IsString(v))
		return xsnprintf(out, size, "%s", v->valuestring);
	if (cJSON_IsBool(v))
		return xsnprintf(out, size, "%s", cJSON_IsTrue(v) ? "True" :
		    "False");
	if (cJSON_IsNull(v))
		return xsnprintf(out, size, "None");
	if (is_int(v))
		return xsnprintf(out, size, "%.0f", v->valuedouble);
	if (cJSON_IsNumber(v)) {
		json_format_double(v->valuedouble, num);
		return xsnprintf(out, size, "%s", num);
	}
	return -1;
}

static int
add_tag(cJSON *tags, const char *key, const cJSON *value)
{
	char text[512];
	cJSON *t;

	if (py_str(value, text, sizeof text) == -1)
		return -1;
	t = cJSON_CreateObject();
	if (t == NULL || cJSON_AddStringToObject(t, "Key", key) == NULL ||
	    cJSON_AddStringToObject(t, "Value", text) == NULL) {
		cJSON_Delete(t);
		return -1;
	}
	cJSON_AddItemToArray(tags, t);
	return 0;
}

/* tags: a map (str(k), str(v)) or a list of {Key, Value}. */
static int
add_tags(struct ctx *c)
{
	const cJSON *v = arg(c, "tags"), *t, *k, *val;
	cJSON *tags;

	if (v == NULL)
		return 0;
	if ((tags = cJSON_CreateArray()) == NULL)
		return accel_err("cannot build the request:");
	cJSON_ArrayForEach(t, v) {
		if (cJSON_IsArray(v)) {
			k = cJSON_GetObjectItemCaseSensitive(t, "Key");
			val = cJSON_GetObjectItemCaseSensitive(t, "Value");
			if (!cJSON_IsString(k) || val == NULL ||
			    cJSON_GetArraySize(t) != 2)
				goto bad_tags;
			if (add_tag(tags, k->valuestring, val) == -1)
				goto bad_tags;
		} else if (!cJSON_IsObject(v) ||
		    add_tag(tags, t->string, t) == -1) {
			goto bad_tags;
		}
	}
	if (!cJSON_IsArray(v) && !cJSON_IsObject(v))
		goto bad_tags;
	if (cJSON_GetArraySize(tags) > TAGS_MAX) {
		cJSON_Delete(tags);
		return bad(c, "additional_args.tags", "more than %d tags",
		    TAGS_MAX);
	}
	if (cJSON_GetArraySize(tags) == 0) {
		cJSON_Delete(tags);
		return 0;
	}
	return put(c->body, "", "Tags", tags);
bad_tags:
	cJSON_Delete(tags);
	return bad(c, "additional_args.tags", "must be a map of names to "
	    "values or a list of {Key, Value}");
}

static int
add_vpc(struct ctx *c)
{
	const cJSON *sn = arg(c, "subnets"), *sg = arg(c, "security_group_ids");
	cJSON *a = NULL, *b = NULL;

	if (sn == NULL && sg == NULL)
		return 0;
	if (sn == NULL || sg == NULL)
		return bad(c, sn == NULL ? "additional_args.security_group_ids"
		    : "additional_args.subnets", "needs %s as well",
		    sn == NULL ? "subnets" : "security_group_ids");
	if (string_list(c, "additional_args.subnets", sn, &a) == -1)
		return -1;
	if (string_list(c, "additional_args.security_group_ids", sg,
	    &b) == -1) {
		cJSON_Delete(a);
		return -1;
	}
	if (put(c->body, "VpcConfig", "Subnets", a) == -1) {
		cJSON_Delete(b);
		return -1;
	}
	return put(c->body, "VpcConfig", "SecurityGroupIds", b);
}

static int
add_checkpoint(struct ctx *c)
{
	const char *uri = NULL, *local = NULL;
	int has_uri, has_local;

	if ((has_uri = arg_str(c, "checkpoint_s3_uri", &uri)) == -1 ||
	    (has_local = arg_str(c, "checkpoint_local_path", &local)) == -1)
		return -1;
	/* the SDK drops a local path without a URI silently */
	if (has_local && !has_uri)
		return bad(c, "additional_args.checkpoint_local_path",
		    "needs checkpoint_s3_uri");
	if (!has_uri)
		return 0;
	if (!starts_with(uri, "s3://") && !starts_with(uri, "https://"))
		return bad(c, "additional_args.checkpoint_s3_uri", "must be "
		    "an s3:// URI");
	if (put(c->body, "CheckpointConfig", "S3Uri",
	    cJSON_CreateString(uri)) == -1)
		return -1;
	if (has_local)
		return put(c->body, "CheckpointConfig", "LocalPath",
		    cJSON_CreateString(local));
	return 0;
}

/* "True"/"False", as Python's str(bool) in accelerate's environment. */
static const char *
py_bool(const cJSON *v)
{
	return cJSON_IsTrue(v) ? "True" : "False";
}

/* The ACCELERATE_* job environment (accelerate-sagemaker.md §9.1). */
static int
add_environment(struct ctx *c)
{
	const cJSON *dyn = conf(c, "dynamo_config"), *extra, *e;
	const char *mp = conf_str(c, "mixed_precision", "no");
	cJSON *env = cJSON_CreateObject();
	const cJSON *backend = cJSON_GetObjectItemCaseSensitive(dyn,
	    "dynamo_backend");
	const cJSON *mode = cJSON_GetObjectItemCaseSensitive(dyn,
	    "dynamo_mode");

	if (env == NULL)
		return accel_err("cannot build the request:");
	cJSON_AddStringToObject(env, "ACCELERATE_USE_SAGEMAKER", "true");
	cJSON_AddStringToObject(env, "ACCELERATE_MIXED_PRECISION", mp);
	/* accelerate ignores dynamo_config from the file; we use it */
	cJSON_AddStringToObject(env, "ACCELERATE_DYNAMO_BACKEND",
	    cJSON_IsString(backend) ? backend->valuestring : "NO");
	cJSON_AddStringToObject(env, "ACCELERATE_DYNAMO_MODE",
	    cJSON_IsString(mode) ? mode->valuestring : "default");
	cJSON_AddStringToObject(env, "ACCELERATE_DYNAMO_USE_FULLGRAPH",
	    py_bool(cJSON_GetObjectItemCaseSensitive(dyn,
	    "dynamo_use_fullgraph")));
	cJSON_AddStringToObject(env, "ACCELERATE_DYNAMO_USE_DYNAMIC",
	    py_bool(cJSON_GetObjectItemCaseSensitive(dyn,
	    "dynamo_use_dynamic")));
	cJSON_AddStringToObject(env,
	    "ACCELERATE_DYNAMO_USE_REGIONAL_COMPILATION",
	    py_bool(cJSON_GetObjectItemCaseSensitive(dyn,
	    "dynamo_use_regional_compilation")));
	cJSON_AddStringToObject(env, "ACCELERATE_SAGEMAKER_DISTRIBUTED_TYPE",
	    conf_str(c, "distributed_type", "NO"));
	/* accelerate reads debug but never forwards it */
	if (cJSON_IsTrue(conf(c, "debug")))
		cJSON_AddStringToObject(env, "ACCELERATE_DEBUG_MODE", "true");
	extra = arg(c, "environment");
	if (extra != NULL && !cJSON_IsObject(extra))
		goto bad_env;
	cJSON_ArrayForEach(e, extra) {
		if (!cJSON_IsString(e) || strlen(e->valuestring) >
		    ENV_VALUE_MAX)
			goto bad_env;
		cJSON_DeleteItemFromObjectCaseSensitive(env, e->string);
		cJSON_AddStringToObject(env, e->string, e->valuestring);
	}
	if (cJSON_GetArraySize(env) > ENV_MAX) {
		cJSON_Delete(env);
		return bad(c, "additional_args.environment", "more than %d "
		    "variables in all", ENV_MAX);
	}
	return put(c->body, "", "Environment", env);
bad_env:
	cJSON_Delete(env);
	return bad(c, "additional_args.environment", "must map names to "
	    "strings of at most %d characters", ENV_VALUE_MAX);
}

/* json.dumps(VALUE) as a hyperparameter string. */
static int
put_hparam(cJSON *hp, const char *key, const cJSON *value)
{
	struct buf b;
	int rc;

	buf_init(&b, HPARAM_VALUE_MAX);
	rc = json_dump(&b, value, JSON_COMPACT);
	if (rc == 0) {
		cJSON_DeleteItemFromObjectCaseSensitive(hp, key);
		rc = cJSON_AddStringToObject(hp, key, b.data) ? 0 : -1;
	}
	buf_free(&b);
	return rc;
}

static int
put_hparam_str(cJSON *hp, const char *key, const char *s)
{
	cJSON *v = cJSON_CreateString(s);
	int rc = v != NULL ? put_hparam(hp, key, v) : -1;

	cJSON_Delete(v);
	return rc;
}

/* HyperParameters: script arguments, additional_args, distribution, reserved. */
static int
add_hyperparameters(struct ctx *c, int isolated, const char *code)
{
	const cJSON *extra = arg(c, "hyperparameters"), *h;
	cJSON *hp = cJSON_Duplicate(c->in->hyperparameters, 1), *lvl;
	double level = 20;

	if (hp == NULL)
		return accel_err("cannot build the request:");
	if (extra != NULL && !cJSON_IsObject(extra)) {
		cJSON_Delete(hp);
		return bad(c, "additional_args.hyperparameters", "must be a "
		    "map");
	}
	cJSON_ArrayForEach(h, extra)
		if (put_hparam(hp, h->string, h) == -1)
			goto toolong;
	if (distrib_hyperparameters(c->in->config, c->in->config_name,
	    hp) == -1 || arg_int(c, "container_log_level", 0, &level) == -1)
		goto fail;
	/* Framework._script_mode_hyperparam_update: these win */
	lvl = cJSON_CreateNumber(level);
	if (lvl == NULL || put_hparam(hp, "sagemaker_container_log_level",
	    lvl) == -1) {
		cJSON_Delete(lvl);
		goto toolong;
	}
	cJSON_Delete(lvl);
	if (put_hparam_str(hp, "sagemaker_submit_directory",
	    isolated ? CONTAINER_CODE_PATH : code) == -1 ||
	    put_hparam_str(hp, "sagemaker_program", c->in->program) == -1 ||
	    put_hparam_str(hp, "sagemaker_job_name", REQUEST_PH_JOB) == -1 ||
	    put_hparam_str(hp, "sagemaker_region",
	    conf_str(c, "region", "us-east-1")) == -1)
		goto toolong;
	if (cJSON_GetArraySize(hp) > HPARAMS_MAX) {
		cJSON_Delete(hp);
		return bad(c, "hyperparameters", "more than %d in all, with "
		    "the script arguments and the sagemaker_* ones",
		    HPARAMS_MAX);
	}
	return put(c->body, "", "HyperParameters", hp);
toolong:
	cJSON_Delete(hp);
	return bad(c, "additional_args.hyperparameters", "a value is longer "
	    "than %d characters once JSON-encoded", HPARAM_VALUE_MAX);
fail:
	cJSON_Delete(hp);
	return -1;
}

static int
add_role(struct ctx *c)
{
	const char *role = conf_str(c, "iam_role_name", NULL);

	if (role == NULL)
		return bad(c, "iam_role_name", "is missing");
	/* Session.expand_role: a value with '/' is an ARN already */
	return put(c->body, "", "RoleArn", cJSON_CreateString(
	    strchr(role, '/') != NULL ? role : REQUEST_PH_ROLE));
}

static int
check_local_mode(struct ctx *c)
{
	if (!is_local(c))
		return 0;
	if (cJSON_IsTrue(arg(c, "use_spot_instances")))
		return bad(c, "additional_args.use_spot_instances", "Spot "
		    "training is not supported in local mode.");
	if (arg(c, "checkpoint_s3_uri") != NULL)
		return bad(c, "additional_args.checkpoint_s3_uri", "Setting "
		    "checkpoint_s3_uri is not supported in local mode.");
	return 0;
}

cJSON *
request_body(const struct request_in *in)
{
	struct ctx c = { in, NULL, cJSON_CreateObject() };
	const char *output_path;
	char code[1024];
	int isolated = 0;
	size_t i;

	c.args = cJSON_GetObjectItemCaseSensitive(in->config,
	    "additional_args");
	if (c.body == NULL) {
		accel_err("cannot build the request:");
		return NULL;
	}
	if (c.args != NULL && !cJSON_IsNull(c.args) &&
	    !cJSON_IsObject(c.args)) {
		bad(&c, "additional_args", "must be a map");
		goto fail;
	}
	if (check_known_args(&c) == -1 || check_local_mode(&c) == -1 ||
	    add_algorithm(&c) == -1 || add_output(&c, &output_path) == -1 ||
	    put(c.body, "", "TrainingJobName",
	    cJSON_CreateString(REQUEST_PH_JOB)) == -1 ||
	    add_stopping(&c) == -1 || add_resources(&c) == -1 ||
	    add_role(&c) == -1)
		goto fail;
	for (i = 0; i < sizeof simple_args / sizeof simple_args[0]; i++)
		if (apply_simple(&c, &simple_args[i]) == -1)
			goto fail;
	if (arg_bool(&c, "enable_network_isolation", &isolated) == -1 ||
	    code_uri(&c, output_path, code, sizeof code) == -1 ||
	    add_inputs(&c, isolated, code) == -1 ||
	    add_hyperparameters(&c, isolated, code) == -1 ||
	    add_environment(&c) == -1 || add_tags(&c) == -1 ||
	    add_vpc(&c) == -1 || add_checkpoint(&c) == -1)
		goto fail;
	return c.body;
fail:
	cJSON_Delete(c.body);
	return NULL;
}

/* FROM replaced by TO in S; NULL when S does not contain FROM. */
static char *
replace_all(const char *s, const char *from, const char *to)
{
	size_t nf = strlen(from), nt = strlen(to), count = 0;
	const char *p;
	char *out, *o;

	for (p = strstr(s, from); p != NULL; p = strstr(p + nf, from))
		count++;
	if (count == 0)
		return NULL;
	out = malloc(strlen(s) + count * nt + 1);
	if (out == NULL)
		return NULL;
	for (o = out; (p = strstr(s, from)) != NULL; s = p + nf) {
		memcpy(o, s, (size_t)(p - s));
		o += p - s;
		memcpy(o, to, nt);
		o += nt;
	}
	memcpy(o, s, strlen(s) + 1);
	return out;
}

int
request_substitute(cJSON *item, const char *from, const char *to)
{
	cJSON *child;
	char *s;

	if (cJSON_IsString(item) && strstr(item->valuestring, from)) {
		s = replace_all(item->valuestring, from, to);
		if (s == NULL)
			return -1;
		free(item->valuestring);	/* cJSON's default allocator */
		item->valuestring = s;
	}
	cJSON_ArrayForEach(child, item)
		if (request_substitute(child, from, to) == -1)
			return -1;
	return 0;
}
