/*
 * config-args.c - additional_args (the SageMaker Estimator keywords we
 * support, each with its type and the API's limits) and dynamo_config.
 * accelerate passes additional_args to the Estimator unchecked, which
 * accepts and ignores unknown keywords; here an unknown key is an error.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "config-int.h"
#include "json.h"

enum atype {
	A_BOOL,		/* true or false */
	A_INT,		/* an integer in [min, max] */
	A_STR,		/* a string of at most max bytes */
	A_URI,		/* a string starting with one of the schemes */
	A_ENUM,		/* one of the strings in choices */
	A_IDS,		/* a list of 1..max VPC ids ([-0-9a-zA-Z]{1,32}) */
	A_STRS,		/* a list of strings of at most 256 bytes */
	A_ENV,		/* a mapping of environment variables */
	A_HPARAMS,	/* a mapping of name to scalar */
	A_TAGS,		/* a mapping, or a list of {Key, Value} */
	A_SET_BY	/* refused: set from the config key in choices */
};

struct akey {
	const char *name;
	enum atype type;
	long min, max;
	const char *choices;
};

#define MAX_SECONDS LONG_MAX
static const struct akey akeys[] = {
	{ "base_job_name", A_SET_BY, 0, 0, "base_job_name" },
	{ "checkpoint_local_path", A_STR, 0, 4096, NULL },
	{ "checkpoint_s3_uri", A_URI, 0, 1024, "s3:// https://" },
	{ "code_location", A_URI, 0, 1024, "s3://" },
	{ "container_arguments", A_STRS, 0, 100, NULL },
	{ "container_entry_point", A_STRS, 0, 100, NULL },
	{ "container_log_level", A_INT, 0, 50, NULL },
	{ "debugger_hook_config", A_SET_BY, 0, 0, NULL },
	{ "dependencies", A_STRS, 0, 100, NULL },
	{ "disable_output_compression", A_BOOL, 0, 0, NULL },
	{ "disable_profiler", A_BOOL, 0, 0, NULL },
	{ "distribution", A_SET_BY, 0, 0, "distributed_type" },
	{ "enable_infra_check", A_BOOL, 0, 0, NULL },
	{ "enable_network_isolation", A_BOOL, 0, 0, NULL },
	{ "enable_remote_debug", A_BOOL, 0, 0, NULL },
	{ "enable_sagemaker_metrics", A_BOOL, 0, 0, NULL },
	{ "enable_session_tag_chaining", A_BOOL, 0, 0, NULL },
	{ "encrypt_inter_container_traffic", A_BOOL, 0, 0, NULL },
	{ "entry_point", A_SET_BY, 0, 0, NULL },
	{ "environment", A_ENV, 0, 100, NULL },
	{ "hyperparameters", A_HPARAMS, 0, 100, NULL },
	{ "image_uri", A_SET_BY, 0, 0, "image_uri" },
	{ "input_mode", A_ENUM, 0, 0, "File Pipe FastFile" },
	{ "instance_count", A_SET_BY, 0, 0, "num_machines" },
	{ "instance_type", A_SET_BY, 0, 0, "ec2_instance_type" },
	{ "keep_alive_period_in_seconds", A_INT, 0, 21600, NULL },
	{ "max_retry_attempts", A_INT, 1, 30, NULL },
	{ "max_run", A_INT, 1, MAX_SECONDS, NULL },
	{ "max_wait", A_INT, 1, MAX_SECONDS, NULL },
	{ "metric_definitions", A_SET_BY, 0, 0, "sagemaker_metrics_file" },
	{ "output_kms_key", A_STR, 0, 2048, NULL },
	{ "output_path", A_URI, 0, 1024, "s3:// file://" },
	{ "py_version", A_SET_BY, 0, 0, "py_version" },
	{ "pytorch_version", A_SET_BY, 0, 0, "pytorch_version" },
	{ "role", A_SET_BY, 0, 0, "iam_role_name" },
	{ "security_group_ids", A_IDS, 1, 5, NULL },
	{ "source_dir", A_SET_BY, 0, 0, NULL },
	{ "subnets", A_IDS, 1, 16, NULL },
	{ "tags", A_TAGS, 0, 50, NULL },
	{ "training_repository_access_mode", A_ENUM, 0, 0, "Platform Vpc" },
	{ "training_repository_credentials_provider_arn", A_STR, 1, 2048,
	    NULL },
	{ "transformers_version", A_SET_BY, 0, 0, "transformers_version" },
	{ "use_spot_instances", A_BOOL, 0, 0, NULL },
	{ "volume_kms_key", A_STR, 0, 2048, NULL },
	{ "volume_size", A_INT, 1, INT_MAX, NULL },
};
#define NAKEYS (sizeof akeys / sizeof akeys[0])

static const char *const dynamo_backends[] = {
	"NO", "EAGER", "AOT_EAGER", "INDUCTOR", "AOT_TS_NVFUSER",
	"NVPRIMS_NVFUSER", "CUDAGRAPHS", "OFI", "FX2TRT", "ONNXRT", "TENSORRT",
	"AOT_TORCHXLA_TRACE_ONCE", "TORCHXLA_TRACE_ONCE", "TVM", "HPU_BACKEND",
	"NEURON",
};
static const char *const dynamo_modes[] = {
	"default", "reduce-overhead", "max-autotune",
	"max-autotune-no-cudagraphs",
};

/* One word of a space-separated list. */
static int
in_words(const char *words, const char *s)
{
	size_t n = strlen(s);

	for (const char *p = words; *p != '\0';) {
		size_t w = strcspn(p, " ");

		if (w == n && strncmp(p, s, n) == 0)
			return 1;
		p += w;
		p += *p == ' ';
	}
	return 0;
}

static int
starts_with_word(const char *words, const char *s)
{
	for (const char *p = words; *p != '\0';) {
		size_t w = strcspn(p, " ");

		if (strncmp(s, p, w) == 0 && s[w] != '\0')
			return 1;
		p += w;
		p += *p == ' ';
	}
	return 0;
}

static cJSON *
check_string(struct cfg *c, const char *key, const struct akey *k,
    const struct ynode *v)
{
	const char *s = want_string(c, key, v);
	size_t len;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	if (k->max > 0 && ((long)len < k->min || (long)len > k->max)) {
		cfg_error(c, v, "%s: must be %ld to %ld characters long", key,
		    k->min, k->max);
		return NULL;
	}
	if (k->type == A_URI && !starts_with_word(k->choices, s)) {
		cfg_error(c, v, "%s: must be a URI starting with %s", key,
		    k->choices);
		return NULL;
	}
	if (k->type == A_ENUM && !in_words(k->choices, s)) {
		cfg_error(c, v, "%s: must be one of %s", key, k->choices);
		return NULL;
	}
	return cJSON_CreateString(s);
}

static int
is_id(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 32)
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '-')
			return 0;
	return 1;
}

static cJSON *
check_list(struct cfg *c, const char *key, const struct akey *k,
    const struct ynode *v)
{
	cJSON *arr;
	const char *s;
	char what[128];

	if (v->kind != YNODE_SEQ) {
		ydoc_describe(v, what, sizeof what);
		cfg_error(c, v, "%s: expected a list of strings, got %s", key,
		    what);
		return NULL;
	}
	if ((long)v->nkids < k->min || (long)v->nkids > k->max) {
		cfg_error(c, v, "%s: must have %ld to %ld entries", key, k->min,
		    k->max);
		return NULL;
	}
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < v->nkids; i++) {
		if ((s = want_string(c, key, v->kids[i])) == NULL)
			continue;
		if (k->type == A_IDS && !is_id(s))
			cfg_error(c, v->kids[i], "%s: not a VPC id (1 to 32 "
			    "letters, digits and -)", key);
		else if (strlen(s) > 256)
			cfg_error(c, v->kids[i], "%s: longer than 256 "
			    "characters", key);
		cJSON_AddItemToArray(arr, cJSON_CreateString(s));
	}
	return arr;
}

static int
is_env_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

/* A scalar hyperparameter value, typed as YAML typed it. */
static cJSON *
scalar_value(struct cfg *c, const char *key, const struct ynode *v)
{
	char what[128];

	if (v->kind == YNODE_SCALAR) {
		switch (v->type) {
		case YT_STR:
			return cJSON_CreateString(v->text);
		case YT_BOOL:
			return cJSON_CreateBool(v->boolean);
		case YT_INT:
			if (!v->int_big && v->integer <= (1LL << 53) &&
			    v->integer >= -(1LL << 53))
				return cJSON_CreateNumber((double)v->integer);
			break;
		case YT_FLOAT:
			return cJSON_CreateNumber(v->number);
		default:
			break;
		}
	}
	ydoc_describe(v, what, sizeof what);
	cfg_error(c, v, "%s: expected a string, number or boolean, got %s",
	    key, what);
	return NULL;
}

static cJSON *
check_map(struct cfg *c, const char *key, const struct akey *k,
    const struct ynode *v)
{
	cJSON *obj, *val;
	const struct ynode *name, *value;
	char what[128];
	const char *s;

	if (v->kind != YNODE_MAP) {
		ydoc_describe(v, what, sizeof what);
		cfg_error(c, v, "%s: expected a mapping, got %s", key, what);
		return NULL;
	}
	if ((long)v->nkids / 2 > k->max) {
		cfg_error(c, v, "%s: more than %ld entries", key, k->max);
		return NULL;
	}
	obj = cJSON_CreateObject();
	for (size_t i = 0; i + 1 < v->nkids; i += 2) {
		name = v->kids[i];
		value = v->kids[i + 1];
		if (name->bad_key)
			continue;
		if (name->type != YT_STR || name->len > (k->type == A_ENV ?
		    512 : 256) || (k->type == A_ENV && !is_env_name(name->text))) {
			cfg_error(c, name, k->type == A_ENV ? "%s: not an "
			    "environment variable name ([A-Za-z_][A-Za-z0-9_]*, "
			    "at most 512)" : "%s: names must be strings of at "
			    "most 256 characters", key);
			continue;
		}
		if (k->type == A_ENV) {
			if ((s = want_string(c, key, value)) == NULL)
				continue;
			if (strlen(s) > 512)
				cfg_error(c, value, "%s: value longer than 512 "
				    "characters", key);
			val = cJSON_CreateString(s);
		} else if ((val = scalar_value(c, key, value)) == NULL) {
			continue;
		}
		cJSON_AddItemToObject(obj, name->text, val);
	}
	return obj;
}

static cJSON *
make_tag(struct cfg *c, const char *path, const struct ynode *at,
    const char *key, const char *value)
{
	cJSON *tag;

	if (*key == '\0' || strlen(key) > 128 || strlen(value) > 256)
		cfg_error(c, at, "%s: a Key is 1 to 128 characters, a Value "
		    "at most 256", path);
	tag = cJSON_CreateObject();
	cJSON_AddStringToObject(tag, "Key", key);
	cJSON_AddStringToObject(tag, "Value", value);
	return tag;
}

/* tags: {k: v} as the SDK converts it, or [{Key, Value}]: a list. */
static cJSON *
check_tags(struct cfg *c, const char *path, const struct akey *k,
    const struct ynode *v)
{
	const struct ynode *key, *value;
	const char *ks, *vs;
	cJSON *arr;
	char what[128];

	if ((v->kind == YNODE_MAP ? v->nkids / 2 : v->nkids) > (size_t)k->max) {
		cfg_error(c, v, "%s: more than %ld tags", path, k->max);
		return NULL;
	}
	arr = cJSON_CreateArray();
	if (v->kind == YNODE_MAP) {
		for (size_t i = 0; i + 1 < v->nkids; i += 2)
			if (!v->kids[i]->bad_key &&
			    (ks = want_string(c, path, v->kids[i])) &&
			    (vs = want_string(c, path, v->kids[i + 1])))
				cJSON_AddItemToArray(arr, make_tag(c, path,
				    v->kids[i], ks, vs));
		return arr;
	}
	if (v->kind != YNODE_SEQ) {
		ydoc_describe(v, what, sizeof what);
		cfg_error(c, v, "%s: expected a mapping or a list of {Key, "
		    "Value}, got %s", path, what);
		cJSON_Delete(arr);
		return NULL;
	}
	for (size_t i = 0; i < v->nkids; i++) {
		key = ydoc_get(v->kids[i], "Key", NULL);
		value = ydoc_get(v->kids[i], "Value", NULL);
		if (v->kids[i]->kind != YNODE_MAP || v->kids[i]->nkids != 4 ||
		    key == NULL || value == NULL) {
			cfg_error(c, v->kids[i], "%s: each entry must be "
			    "{Key: ..., Value: ...}", path);
			continue;
		}
		if ((ks = want_string(c, path, key)) &&
		    (vs = want_string(c, path, value)))
			cJSON_AddItemToArray(arr, make_tag(c, path, v->kids[i], ks,
			    vs));
	}
	return arr;
}

/* A whole number as the cross-key rules compare it; LONG_MAX past it. */
static long
seconds_of(const cJSON *val)
{
	long long n;

	return json_int(val, LONG_MIN, LONG_MAX, &n) == 0 ? (long)n :
	    LONG_MAX;
}

/* Remember what the cross-key rules need. */
static void
note(struct cfg *c, const char *name, const struct ynode *v, cJSON *val)
{
	if (strcmp(name, "use_spot_instances") == 0)
		c->n_spot = v, c->spot = cJSON_IsTrue(val);
	else if (strcmp(name, "max_wait") == 0)
		c->n_max_wait = v, c->max_wait = seconds_of(val);
	else if (strcmp(name, "max_run") == 0)
		c->n_max_run = v, c->max_run = seconds_of(val);
	else if (strcmp(name, "subnets") == 0)
		c->n_subnets = v;
	else if (strcmp(name, "security_group_ids") == 0)
		c->n_groups = v;
	else if (strcmp(name, "checkpoint_s3_uri") == 0)
		c->n_ckpt_uri = v;
	else if (strcmp(name, "checkpoint_local_path") == 0)
		c->n_ckpt_path = v;
	else if (strcmp(name, "output_path") == 0)
		c->n_output_path = v;
}

static cJSON *
check_arg(struct cfg *c, const struct akey *k, const struct ynode *key,
    const struct ynode *v)
{
	char path[96];
	long n;
	int b;

	xsnprintf(path, sizeof path, "additional_args.%s", k->name);
	switch (k->type) {
	case A_BOOL:
		return (b = want_bool(c, path, v)) == -1 ? NULL :
		    cJSON_CreateBool(b);
	case A_INT:
		return want_int(c, path, v, k->min, k->max, &n) == -1 ?
		    NULL : cJSON_CreateNumber((double)n);
	case A_STR:
	case A_URI:
	case A_ENUM:
		return check_string(c, path, k, v);
	case A_IDS:
	case A_STRS:
		return check_list(c, path, k, v);
	case A_ENV:
	case A_HPARAMS:
		return check_map(c, path, k, v);
	case A_TAGS:
		return check_tags(c, path, k, v);
	case A_SET_BY:
		if (k->choices != NULL)
			cfg_error(c, key, "additional_args: '%s' is set from "
			    "the config key %s; set it there", k->name,
			    k->choices);
		else
			cfg_error(c, key, "additional_args: '%s' is set by "
			    "accel-request and cannot be overridden", k->name);
		return NULL;
	}
	return NULL;
}

static const struct akey *
find_akey(const char *name)
{
	for (size_t i = 0; i < NAKEYS; i++)
		if (strcmp(akeys[i].name, name) == 0)
			return &akeys[i];
	return NULL;
}

static void
unknown_arg(struct cfg *c, const struct ynode *key)
{
	const char *names[NAKEYS], *near;
	size_t n = 0;
	char q[96];

	for (size_t i = 0; i < NAKEYS; i++)
		if (akeys[i].type != A_SET_BY)
			names[n++] = akeys[i].name;
	ydoc_quote(key->text, key->len, q, sizeof q);
	near = nearest(key->text, names, n);
	if (near != NULL)
		cfg_error(c, key, "additional_args: unknown keyword %s; did you "
		    "mean '%s'?", q, near);
	else
		cfg_error(c, key, "additional_args: unknown keyword %s (the "
		    "supported ones are listed in accel-validate(1))", q);
}

cJSON *
check_additional_args(struct cfg *c, const struct ynode *v)
{
	const struct akey *k;
	cJSON *obj = cJSON_CreateObject(), *val;
	char what[128];

	if (v->kind != YNODE_MAP) {
		ydoc_describe(v, what, sizeof what);
		cfg_error(c, v, "additional_args: expected a mapping of "
		    "Estimator keywords, got %s", what);
		return obj;
	}
	for (size_t i = 0; i + 1 < v->nkids; i += 2) {
		if (v->kids[i]->bad_key)
			continue;
		if (v->kids[i]->type != YT_STR ||
		    (k = find_akey(v->kids[i]->text)) == NULL) {
			unknown_arg(c, v->kids[i]);
			continue;
		}
		if ((val = check_arg(c, k, v->kids[i], v->kids[i + 1])) == NULL)
			continue;
		note(c, k->name, v->kids[i + 1], val);
		cJSON_AddItemToObject(obj, k->name, val);
	}
	return obj;
}

int
is_dynamo_backend(const char *s, char *canon, size_t len)
{
	for (size_t i = 0; i < sizeof dynamo_backends / sizeof *dynamo_backends;
	    i++)
		if (strcasecmp(s, dynamo_backends[i]) == 0)
			return xsnprintf(canon, len, "%s", dynamo_backends[i])
			    == 0;
	return 0;
}

static void
check_dynamo_key(struct cfg *c, cJSON *obj, const struct ynode *key,
    const struct ynode *v)
{
	static const char *const keys[] = {
		"dynamo_backend", "dynamo_mode", "dynamo_use_dynamic",
		"dynamo_use_fullgraph", "dynamo_use_regional_compilation",
	};
	const char *s, *near;
	char canon[32], q[96], path[96];
	int b;

	if (strcmp(key->text, "dynamo_backend") == 0) {
		if ((s = want_string(c, "dynamo_config.dynamo_backend", v)) == NULL)
			return;
		ydoc_quote(v->text, v->len, q, sizeof q);
		if (is_dynamo_backend(s, canon, sizeof canon))
			cJSON_AddStringToObject(obj, key->text, canon);
		else
			cfg_error(c, v, "dynamo_config.dynamo_backend: %s is "
			    "not a dynamo backend (see accel-validate(1))", q);
	} else if (strcmp(key->text, "dynamo_mode") == 0) {
		if ((s = want_string(c, "dynamo_config.dynamo_mode", v)) == NULL)
			return;
		for (size_t i = 0; i < 4; i++)
			if (strcmp(s, dynamo_modes[i]) == 0) {
				cJSON_AddStringToObject(obj, key->text, s);
				return;
			}
		cfg_error(c, v, "dynamo_config.dynamo_mode: must be default, "
		    "reduce-overhead, max-autotune or "
		    "max-autotune-no-cudagraphs");
	} else if (strcmp(key->text, keys[2]) == 0 ||
	    strcmp(key->text, keys[3]) == 0 ||
	    strcmp(key->text, keys[4]) == 0) {
		xsnprintf(path, sizeof path, "dynamo_config.%s", key->text);
		if ((b = want_bool(c, path, v)) != -1)
			cJSON_AddBoolToObject(obj, key->text, b);
	} else if (ydoc_quote(key->text, key->len, q, sizeof q),
	    (near = nearest(key->text, keys, 5)) != NULL) {
		cfg_error(c, key, "dynamo_config: unknown key %s; did you mean "
		    "'%s'?", q, near);
	} else {
		cfg_error(c, key, "dynamo_config: unknown key %s", q);
	}
}

cJSON *
check_dynamo_config(struct cfg *c, const struct ynode *v)
{
	cJSON *obj = cJSON_CreateObject();
	char what[128];

	if (v->kind != YNODE_MAP) {
		ydoc_describe(v, what, sizeof what);
		cfg_error(c, v, "dynamo_config: expected a mapping, got %s",
		    what);
		return obj;
	}
	for (size_t i = 0; i + 1 < v->nkids; i += 2)
		if (!v->kids[i]->bad_key)
			check_dynamo_key(c, obj, v->kids[i], v->kids[i + 1]);
	return obj;
}
