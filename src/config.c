/*
 * config.c - the top-level keys of accelerate's SageMakerConfig: types,
 * enums, defaults, legacy keys; then the cross-key rules (config-rules.c)
 * and the normalized object.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config-int.h"

static const char *const known_keys[] = {
	"additional_args", "base_job_name", "compute_environment", "debug",
	"distributed_type", "dynamo_backend", "dynamo_config",
	"ec2_instance_type", "enable_cpu_affinity", "fp16", "gpu_ids",
	"iam_role_name", "image_uri", "mixed_precision", "num_machines",
	"profile", "py_version", "pytorch_version", "region",
	"sagemaker_inputs_file", "sagemaker_metrics_file",
	"transformers_version", "use_cpu",
};
#define NKNOWN (sizeof known_keys / sizeof known_keys[0])

static const char *const distributed_types[] = {
	"NO", "DATA_PARALLEL", "MODEL_PARALLEL",
};
static const char *const precisions[] = { "no", "fp8", "fp16", "bf16" };

#define DEFAULT_BASE_JOB_NAME "accelerate-sagemaker-1"
#define DEFAULT_REGION "us-east-1"
#define DEFAULT_PYTORCH "1.10.2"	/* SAGEMAKER_PYTORCH_VERSION */
#define DEFAULT_TRANSFORMERS "4.17.0"	/* SAGEMAKER_TRANSFORMERS_VERSION */
#define DEFAULT_PY "py38"		/* SAGEMAKER_PYTHON_VERSION */
#define IMAGE_URI_MAX 255		/* AlgorithmImage */

static void
cfg_vdiag(struct cfg *c, enum diag_level level, const struct ynode *at,
    const char *fmt, va_list ap)
{
	char msg[DIAG_MSG_MAX];

	vsnprintf(msg, sizeof msg, fmt, ap);
	diag_add(c->d, level, c->file, at ? at->line : 1, at ? at->col : 1,
	    "%s", msg);
}

void
cfg_error(struct cfg *c, const struct ynode *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vdiag(c, DIAG_ERROR, at, fmt, ap);
	va_end(ap);
}

void
cfg_warn(struct cfg *c, const struct ynode *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vdiag(c, DIAG_WARNING, at, fmt, ap);
	va_end(ap);
}

static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64], prev, tmp;

	if (lb >= sizeof row / sizeof row[0] || la >= 64)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]));
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[lb];
}

const char *
nearest(const char *s, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bestd = SIZE_MAX, d, len = strlen(s);

	for (size_t i = 0; i < n; i++) {
		d = edit_distance(s, cands[i]);
		if (d < bestd)
			bestd = d, best = cands[i];
	}
	/* Case differences are free; allow a third of the letters wrong. */
	return bestd <= 2 || bestd * 3 <= len ? best : NULL;
}

void
join_list(const char *const *items, size_t n, char *out, size_t len)
{
	size_t used = 0;
	int k;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		k = snprintf(out + used, len - used, "%s%s",
		    i == 0 ? "" : i + 1 == n ? " or " : ", ", items[i]);
		if (k < 0 || (size_t)k >= len - used)
			return;
		used += (size_t)k;
	}
}

/* How to write TEXT as a quoted string in the config's language. */
static void
quote_hint(struct cfg *c, const char *key, const struct ynode *v, char *out,
    size_t len)
{
	if (v->kind != YNODE_SCALAR || v->type == YT_NULL ||
	    (c->json && v->type == YT_BOOL))
		out[0] = '\0';
	else if (c->json)
		xsnprintf(out, len, "; quote it: \"%s\": \"%.60s\"", key,
		    v->text);
	else
		xsnprintf(out, len, "; quote it: %s: '%.60s'", key, v->text);
}

const char *
want_string(struct cfg *c, const char *key, const struct ynode *v)
{
	char what[128], hint[160];

	if (v->kind == YNODE_SCALAR && v->type == YT_STR)
		return v->text;
	ydoc_describe(v, what, sizeof what);
	quote_hint(c, key, v, hint, sizeof hint);
	cfg_error(c, v, "%s: expected a string, got %s%s", key, what, hint);
	return NULL;
}

int
want_bool(struct cfg *c, const char *key, const struct ynode *v)
{
	char what[128];

	if (v->kind == YNODE_SCALAR && v->type == YT_BOOL)
		return v->boolean;
	ydoc_describe(v, what, sizeof what);
	cfg_error(c, v, "%s: expected a boolean (true or false), got %s", key,
	    what);
	return -1;
}

int
want_int(struct cfg *c, const char *key, const struct ynode *v, long min,
    long max, long *out)
{
	char what[128];
	long digits;

	if (v->kind != YNODE_SCALAR || v->type != YT_INT || v->int_big) {
		ydoc_describe(v, what, sizeof what);
		cfg_error(c, v, "%s: expected an integer, got %s%s", key, what,
		    v->kind == YNODE_SCALAR && v->type == YT_STR &&
		    parse_long(v->text, LONG_MIN, LONG_MAX, &digits) == 0 ?
		    "; remove the quotes" : "");
		return -1;
	}
	if (v->integer < min || v->integer > max) {
		if (max >= INT_MAX)
			cfg_error(c, v, "%s: must be at least %ld, got %lld",
			    key, min, v->integer);
		else
			cfg_error(c, v, "%s: must be between %ld and %ld, got "
			    "%lld", key, min, max, v->integer);
		return -1;
	}
	*out = (long)v->integer;
	return 0;
}

static const struct ynode *
get(struct cfg *c, const char *key)
{
	return ydoc_get(c->root, key, NULL);
}

static int
is_null(const struct ynode *v)
{
	return v != NULL && v->kind == YNODE_SCALAR && v->type == YT_NULL;
}

/*
 * A string key: its value, DEF when absent (or null and NULLABLE).  The
 * normalized object gets the string or null.
 */
static const char *
string_key(struct cfg *c, cJSON *out, const char *key, const char *def,
    int nullable, const struct ynode **node)
{
	const struct ynode *v = get(c, key);
	const char *s = def;

	if (node != NULL)
		*node = v;
	if (v != NULL && !(is_null(v) && nullable))
		s = want_string(c, key, v);
	if (v != NULL && s != NULL && *s == '\0') {
		cfg_error(c, v, "%s: must not be empty", key);
		s = NULL;
	}
	if (s == NULL)
		cJSON_AddNullToObject(out, key);
	else
		cJSON_AddStringToObject(out, key, s);
	return s;
}

static int
bool_key(struct cfg *c, cJSON *out, const char *key)
{
	const struct ynode *v = get(c, key);
	int b = v == NULL ? 0 : want_bool(c, key, v);

	cJSON_AddBoolToObject(out, key, b == 1);
	return b;
}

static void
check_unknown_keys(struct cfg *c)
{
	const struct ynode *k;
	const char *near;
	char q[96];

	for (size_t i = 0; i < c->root->nkids; i += 2) {
		k = c->root->kids[i];
		if (k->bad_key || k->kind != YNODE_SCALAR)
			continue;
		for (size_t j = 0; j < NKNOWN; j++)
			if (strcmp(k->text, known_keys[j]) == 0)
				goto known;
		ydoc_quote(k->text, k->len, q, sizeof q);
		near = nearest(k->text, known_keys, NKNOWN);
		if (near != NULL)
			cfg_error(c, k, "unknown key %s; did you mean '%s'?", q,
			    near);
		else
			cfg_error(c, k, "unknown key %s (the keys are listed "
			    "in accel-validate(1))", q);
known:		;
	}
}

static void
check_compute_environment(struct cfg *c, cJSON *out)
{
	const struct ynode *v = get(c, "compute_environment");
	const char *s;
	char q[96];

	cJSON_AddStringToObject(out, "compute_environment",
	    "AMAZON_SAGEMAKER");
	if (v == NULL) {
		cfg_error(c, c->root, "missing key 'compute_environment': "
		    "accelerate then reads the file as a LOCAL_MACHINE config; "
		    "add compute_environment: AMAZON_SAGEMAKER");
		return;
	}
	if ((s = want_string(c, "compute_environment", v)) == NULL ||
	    strcmp(s, "AMAZON_SAGEMAKER") == 0)
		return;
	if (strcmp(s, "LOCAL_MACHINE") == 0) {
		cfg_error(c, v, "compute_environment: LOCAL_MACHINE is a "
		    "config for training on this machine; accel-validate reads "
		    "Amazon SageMaker configs: set AMAZON_SAGEMAKER");
		return;
	}
	ydoc_quote(v->text, v->len, q, sizeof q);
	cfg_error(c, v, "compute_environment: %s is not AMAZON_SAGEMAKER "
	    "(the one value for a SageMaker config)", q);
}

/* An enum value that is not allowed: the error with the choices. */
static void
bad_enum(struct cfg *c, const char *key, const struct ynode *v,
    const char *const *allowed, size_t n)
{
	char list[256], q[96];
	const char *near;

	join_list(allowed, n, list, sizeof list);
	ydoc_quote(v->text, v->len, q, sizeof q);
	near = nearest(v->text, allowed, n);
	if (near != NULL)
		cfg_error(c, v, "%s: %s is not one of %s; did you mean '%s'?",
		    key, q, list, near);
	else
		cfg_error(c, v, "%s: %s is not one of %s", key, q, list);
}

/*
 * distributed_type: PyYAML reads an unquoted NO (no, off, false...) as the
 * boolean false, and accelerate then crashes at launch; we read it as
 * "NO" and say how to write it.  Other YAML booleans are errors.
 */
static void
check_distributed_type(struct cfg *c, cJSON *out)
{
	const struct ynode *v = get(c, "distributed_type");
	const char *s = NULL;
	char list[128];

	c->n_distributed = v;
	join_list(distributed_types, 3, list, sizeof list);
	if (v == NULL) {
		cfg_error(c, c->root, "missing required key 'distributed_type' "
		    "(%s)", list);
	} else if (!c->json && v->kind == YNODE_SCALAR && v->type == YT_BOOL &&
	    v->plain && !v->boolean) {
		cfg_warn(c, v, "distributed_type: unquoted %s is the YAML 1.1 "
		    "boolean false (PyYAML and accelerate read it so); read as "
		    "'NO': write distributed_type: 'NO'", v->text);
		s = "NO";
	} else if (!c->json && v->kind == YNODE_SCALAR && v->type == YT_BOOL) {
		cfg_error(c, v, "distributed_type: %s is the YAML boolean "
		    "true, not one of %s", v->text, list);
	} else if ((s = want_string(c, "distributed_type", v)) != NULL) {
		for (size_t i = 0; i < 3; i++)
			if (strcmp(s, distributed_types[i]) == 0)
				goto found;
		bad_enum(c, "distributed_type", v, distributed_types, 3);
		s = NULL;
	}
found:
	if (s != NULL && strcmp(s, "MODEL_PARALLEL") == 0)
		cfg_warn(c, v, "distributed_type: accelerate launches "
		    "MODEL_PARALLEL without any distribution (in development "
		    "upstream); the job runs as with NO");
	c->distributed = s;
	if (s == NULL)
		cJSON_AddNullToObject(out, "distributed_type");
	else
		cJSON_AddStringToObject(out, "distributed_type", s);
}

/* mixed_precision, with the legacy fp16 key as process_config reads it. */
static void
check_mixed_precision(struct cfg *c, cJSON *out)
{
	const struct ynode *v = get(c, "mixed_precision");
	const struct ynode *legacy = get(c, "fp16");
	const char *s = "no";
	char list[64];
	int fp16 = 0;

	if (legacy != NULL && (fp16 = want_bool(c, "fp16", legacy)) != -1)
		cfg_warn(c, legacy, "fp16 is a legacy key: %s", v != NULL ?
		    "mixed_precision is set, so accelerate ignores it" :
		    fp16 ? "read as mixed_precision: fp16" :
		    "read as mixed_precision: 'no'");
	if (v == NULL || is_null(v)) {
		s = v == NULL && fp16 == 1 ? "fp16" : "no";
	} else if (!c->json && v->kind == YNODE_SCALAR && v->type == YT_BOOL) {
		join_list(precisions, 4, list, sizeof list);
		cfg_error(c, v, "mixed_precision: unquoted %s is a YAML "
		    "boolean, not one of %s%s", v->text, list, v->boolean ? "" :
		    "; write mixed_precision: 'no'");
		s = NULL;
	} else if ((s = want_string(c, "mixed_precision", v)) != NULL) {
		/* accelerate's launcher lower-cases it */
		for (size_t i = 0; i < 4; i++)
			if (strcasecmp(s, precisions[i]) == 0) {
				s = precisions[i];
				goto found;
			}
		bad_enum(c, "mixed_precision", v, precisions, 4);
		s = NULL;
	}
found:
	if (s == NULL)
		cJSON_AddNullToObject(out, "mixed_precision");
	else
		cJSON_AddStringToObject(out, "mixed_precision", s);
}

/* dynamo_config, or the legacy dynamo_backend rewritten into it. */
static void
check_dynamo(struct cfg *c, cJSON *out)
{
	const struct ynode *v = get(c, "dynamo_config");
	const struct ynode *legacy = get(c, "dynamo_backend");
	cJSON *dyn = NULL;
	const char *s;
	char canon[32] = "", q[96];

	if (v != NULL && !is_null(v))
		dyn = check_dynamo_config(c, v);
	if (legacy != NULL && (s = want_string(c, "dynamo_backend", legacy))) {
		cfg_warn(c, legacy, "dynamo_backend is a legacy key: read as "
		    "dynamo_config%s", v != NULL ? ", replacing the "
		    "dynamo_config given (as accelerate does)" : "");
		if (!is_dynamo_backend(s, canon, sizeof canon)) {
			ydoc_quote(legacy->text, legacy->len, q, sizeof q);
			cfg_error(c, legacy, "dynamo_backend: %s is not a "
			    "dynamo backend (see accel-validate(1))", q);
		}
		cJSON_Delete(dyn);
		dyn = cJSON_CreateObject();
		if (canon[0] != '\0' && strcmp(canon, "NO") != 0)
			cJSON_AddStringToObject(dyn, "dynamo_backend", canon);
	}
	if (dyn == NULL)
		dyn = cJSON_CreateObject();
	cJSON_AddItemToObject(out, "dynamo_config", dyn);
}

static void
check_num_machines(struct cfg *c, cJSON *out)
{
	const struct ynode *v = get(c, "num_machines");

	c->num_machines = 1;
	c->n_num = v;
	if (v != NULL && want_int(c, "num_machines", v, 1, INT_MAX,
	    &c->num_machines) == -1)
		c->num_machines = 1;
	cJSON_AddNumberToObject(out, "num_machines", (double)c->num_machines);
}

/* gpu_ids: a string ("all", "0,1"); an unquoted 0 is taken as "0". */
static void
check_gpu_ids(struct cfg *c, cJSON *out)
{
	const struct ynode *v = get(c, "gpu_ids");

	if (v != NULL && v->kind == YNODE_SCALAR && v->type == YT_INT &&
	    !v->int_big) {
		char num[32];

		xsnprintf(num, sizeof num, "%lld", v->integer);
		cJSON_AddStringToObject(out, "gpu_ids", num);
		return;
	}
	string_key(c, out, "gpu_ids", "all", 0, NULL);
}

/* IAM: a role name [\w+=,.@-]{1,64}, or an ARN matching RoleArn. */
static void
check_role(struct cfg *c, cJSON *out)
{
	const struct ynode *v;
	const char *s = string_key(c, out, "iam_role_name", NULL, 0, &v);
	size_t len, i;

	if (v == NULL) {
		cfg_error(c, c->root, "missing required key 'iam_role_name' "
		    "(a role name, or arn:aws:iam::ACCOUNT:role/NAME)");
		return;
	}
	if (s == NULL)
		return;
	len = strlen(s);
	if (strncmp(s, "arn:", 4) == 0) {
		const char *p = s + 4;

		if (strncmp(p, "aws", 3) != 0)
			goto bad_arn;
		for (p += 3; islower((unsigned char)*p) || *p == '-'; p++)
			;
		if (strncmp(p, ":iam::", 6) != 0)
			goto bad_arn;
		for (p += 6, i = 0; i < 12; i++, p++)
			if (!isdigit((unsigned char)*p))
				goto bad_arn;
		if (strncmp(p, ":role/", 6) != 0 && strncmp(p, ":role", 5) != 0)
			goto bad_arn;
		p += p[5] == '/' ? 6 : 5;
		if (*p == '\0' || len < 20 || len > 2048)
			goto bad_arn;
		for (; *p != '\0'; p++)
			if (!isalnum((unsigned char)*p) &&
			    strchr("_+=,.@-/", *p) == NULL)
				goto bad_arn;
		return;
bad_arn:
		cfg_error(c, v, "iam_role_name: not a role ARN "
		    "(arn:aws:iam::123456789012:role/NAME, the API's RoleArn "
		    "pattern)");
		return;
	}
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) &&
		    strchr("_+=,.@-", s[i]) == NULL)
			break;
	if (i < len || len > 64)
		cfg_error(c, v, "iam_role_name: not an IAM role name (1 to 64 "
		    "of letters, digits and _+=,.@-) nor a role ARN");
}

static void
check_image_uri(struct cfg *c, cJSON *out)
{
	const struct ynode *v;
	const char *s = string_key(c, out, "image_uri", NULL, 1, &v);

	c->image = s;
	if (s == NULL)
		return;
	for (const char *p = s; *p != '\0'; p++)
		if (isspace((unsigned char)*p)) {
			cfg_error(c, v, "image_uri: contains whitespace");
			c->image = NULL;
			return;
		}
	if (strlen(s) > IMAGE_URI_MAX) {
		cfg_error(c, v, "image_uri: longer than %d characters (the "
		    "API's limit)", IMAGE_URI_MAX);
		c->image = NULL;
	}
}

static void
check_keys(struct cfg *c, cJSON *out)
{
	const struct ynode *v;

	check_unknown_keys(c);
	check_compute_environment(c, out);
	check_distributed_type(c, out);
	check_mixed_precision(c, out);
	bool_key(c, out, "use_cpu");
	bool_key(c, out, "debug");
	bool_key(c, out, "enable_cpu_affinity");
	c->instance = string_key(c, out, "ec2_instance_type", NULL, 0,
	    &c->n_instance);
	check_role(c, out);
	check_image_uri(c, out);
	string_key(c, out, "profile", NULL, 1, NULL);
	c->region = string_key(c, out, "region", DEFAULT_REGION, 0,
	    &c->n_region);
	check_num_machines(c, out);
	check_gpu_ids(c, out);
	string_key(c, out, "base_job_name", DEFAULT_BASE_JOB_NAME, 0, NULL);
	c->pt = string_key(c, out, "pytorch_version", DEFAULT_PYTORCH, 0,
	    &c->n_pt);
	c->tv = string_key(c, out, "transformers_version",
	    DEFAULT_TRANSFORMERS, 0, &c->n_tv);
	c->py = string_key(c, out, "py_version", DEFAULT_PY, 0, &c->n_py);
	c->inputs_file = string_key(c, out, "sagemaker_inputs_file", NULL, 1,
	    &c->n_inputs);
	c->metrics_file = string_key(c, out, "sagemaker_metrics_file", NULL,
	    1, &c->n_metrics);
	v = get(c, "additional_args");
	cJSON_AddItemToObject(out, "additional_args", v == NULL || is_null(v) ?
	    cJSON_CreateObject() : check_additional_args(c, v));
	check_dynamo(c, out);
}

int
config_check(const char *name, const char *text, size_t len, int json,
    const char *dir, struct diags *d, cJSON **out)
{
	struct cfg c;
	struct ydoc doc;
	size_t errors = d->errors;
	cJSON *obj;
	char what[64];

	*out = NULL;
	memset(&c, 0, sizeof c);
	c.file = name;
	c.dir = dir;
	c.d = d;
	c.json = json;
	if (ydoc_parse(&doc, name, text, len, json, d) == -1) {
		ydoc_free(&doc);
		return -1;
	}
	c.root = doc.root;
	if (c.root == NULL || c.root->kind != YNODE_MAP) {
		if (c.root != NULL)
			ydoc_describe(c.root, what, sizeof what);
		cfg_error(&c, c.root, "expected a mapping of accelerate's "
		    "config keys, got %s", c.root ? what : "an empty file");
		ydoc_free(&doc);
		return -1;
	}
	if ((obj = cJSON_CreateObject()) == NULL) {
		ydoc_free(&doc);
		return -1;
	}
	check_keys(&c, obj);
	check_rules(&c);
	if (c.training_image[0] != '\0')
		cJSON_AddStringToObject(obj, "training_image", c.training_image);
	else
		cJSON_AddNullToObject(obj, "training_image");
	cJSON_AddItemToObject(obj, "sagemaker_inputs", c.inputs ? c.inputs :
	    cJSON_CreateObject());
	cJSON_AddItemToObject(obj, "sagemaker_metrics", c.metrics ?
	    c.metrics : cJSON_CreateArray());
	ydoc_free(&doc);
	if (d->errors > errors) {
		cJSON_Delete(obj);
		return -1;
	}
	*out = obj;
	return 0;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int
config_read(const char *path, struct diags *d, cJSON **out)
{
	struct buf b;
	char *dir, *slash;
	int rc;

	*out = NULL;
	if (read_file(path, CONFIG_MAX_BYTES, &b) == -1)
		return -1;
	if ((dir = strdup(path)) == NULL) {
		buf_free(&b);
		return accel_err("out of memory");
	}
	slash = strrchr(dir, '/');
	if (slash == NULL)
		xsnprintf(dir, strlen(dir) + 1, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	rc = config_check(path, b.data, b.len, ends_with(path, ".json"), dir,
	    d, out);
	free(dir);
	buf_free(&b);
	return rc;
}
