/* images.c - Hugging Face training image URIs from the SDK's table. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "images.h"
#include "util.h"

#define DEFAULT_GPU_CONTAINER "cu110-ubuntu18.04"	/* SDK, no compiler */

struct request {
	const char *region, *transformers, *pytorch, *py, *instance;
	char *err;
	size_t errlen;
	enum images_field *bad;
};

static int
fail(struct request *r, enum images_field field, const char *fmt, ...)
    ACCEL_PRINTF(3, 4);

static int
fail(struct request *r, enum images_field field, const char *fmt, ...)
{
	va_list ap;

	if (r->bad != NULL)
		*r->bad = field;
	if (r->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(r->err, r->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

const char *
images_processor(const char *type)
{
	const char *family, *p;
	size_t n;

	if (strcmp(type, "local") == 0)
		return "cpu";
	if (strcmp(type, "local_gpu") == 0)
		return "gpu";
	/* ^ml[._]([a-z\d\-]+)\.?\w*$ */
	if (strncmp(type, "ml", 2) != 0 || (type[2] != '.' && type[2] != '_'))
		return NULL;
	family = type + 3;
	for (n = 0; islower((unsigned char)family[n]) ||
	    isdigit((unsigned char)family[n]) || family[n] == '-'; n++)
		;
	if (n == 0)
		return NULL;
	p = family + n;
	if (*p == '.')
		p++;
	for (; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return NULL;
	if (strncmp(family, "inf", 3) == 0)
		return "inf";
	if (strncmp(family, "trn", 3) == 0)
		return "trn";
	if (family[0] == 'g' || family[0] == 'p')
		return "gpu";
	return "cpu";
}

/* "a, b, c" of the keys of OBJ that start with PREFIX (prefix removed). */
static void
list_keys(const cJSON *obj, const char *prefix, char *out, size_t len)
{
	const cJSON *it;
	size_t used = 0, plen = strlen(prefix);
	int n;

	out[0] = '\0';
	cJSON_ArrayForEach(it, obj) {
		if (it->string == NULL || strncmp(it->string, prefix, plen) != 0 ||
		    strcmp(it->string, "version_aliases") == 0)
			continue;
		n = snprintf(out + used, len - used, "%s%s",
		    used > 0 ? ", " : "", it->string + plen);
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
	}
}

static size_t
count_dots(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '.';
	return n;
}

/* KEY through HOLDER's "version_aliases" (4.17 -> 4.17.0), else KEY. */
static const char *
unalias(const cJSON *holder, const char *key)
{
	const cJSON *alias;

	alias = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(holder, "version_aliases"), key);
	return cJSON_IsString(alias) ? alias->valuestring : key;
}

/* "a, b, c" of the strings in ARR. */
static void
list_strings(const cJSON *arr, char *out, size_t len)
{
	const cJSON *it;
	size_t used = 0;
	int n;

	out[0] = '\0';
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it))
			continue;
		n = snprintf(out + used, len - used, "%s%s",
		    used > 0 ? ", " : "", it->valuestring);
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
	}
}

static int
in_string_array(const cJSON *arr, const char *s)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it) && strcmp(it->valuestring, s) == 0)
			return 1;
	return 0;
}

/* The ECR domain of REGION (the SDK's partition overrides). */
static const char *
ecr_domain(const char *region)
{
	if (strncmp(region, "cn-", 3) == 0)
		return "amazonaws.com.cn";
	if (strcmp(region, "us-iso-east-1") == 0)
		return "c2s.ic.gov";
	if (strcmp(region, "us-isob-east-1") == 0)
		return "sc2s.sgov.gov";
	if (strncmp(region, "us-isof-", 8) == 0)
		return "csp.hci.ic.gov";
	if (strcmp(region, "eu-isoe-west-1") == 0)
		return "cloud.adc-e.uk";
	return "amazonaws.com";
}

static int
check_processor(struct request *r, const cJSON *training, const char **proc)
{
	*proc = images_processor(r->instance);
	if (*proc == NULL)
		return fail(r, IMAGES_FIELD_INSTANCE, "'%s' is not an instance "
		    "type (ml.<family>.<size>, local or local_gpu)",
		    r->instance);
	if (in_string_array(cJSON_GetObjectItemCaseSensitive(training,
	    "processors"), *proc))
		return 0;
	if (strcmp(*proc, "cpu") == 0)
		return fail(r, IMAGES_FIELD_INSTANCE, "the Hugging Face "
		    "training images are GPU-only and '%s' is a CPU instance "
		    "type: set image_uri to a training image for it, or use a "
		    "GPU instance type (ml.g*, ml.p*, local_gpu)", r->instance);
	return fail(r, IMAGES_FIELD_INSTANCE, "the Hugging Face training "
	    "images are GPU-only and '%s' is an AWS %s (Neuron) instance type: "
	    "set image_uri to a Neuron training image", r->instance,
	    strcmp(*proc, "inf") == 0 ? "Inferentia" : "Trainium");
}

/* The framework entry of the table for R's versions, or NULL with err. */
static const cJSON *
find_framework(struct request *r, const cJSON *training)
{
	const cJSON *versions, *version, *fw;
	char list[IMAGES_ERR_MAX / 2], key[64];

	if (count_dots(r->transformers) != count_dots(r->pytorch)) {
		fail(r, IMAGES_FIELD_PYTORCH, "transformers_version %s and "
		    "pytorch_version %s must be both full (x.y.z) or both "
		    "shortened (x.y) versions", r->transformers, r->pytorch);
		return NULL;
	}
	versions = cJSON_GetObjectItemCaseSensitive(training, "versions");
	version = cJSON_GetObjectItemCaseSensitive(versions,
	    unalias(training, r->transformers));
	if (!cJSON_IsObject(version)) {
		list_keys(versions, "", list, sizeof list);
		fail(r, IMAGES_FIELD_TRANSFORMERS, "no Hugging Face training "
		    "image for transformers_version %s; supported: %s",
		    r->transformers, list);
		return NULL;
	}
	fw = NULL;
	if (xsnprintf(key, sizeof key, "pytorch%s", r->pytorch) == 0 &&
	    strcmp(key, "version_aliases") != 0)
		fw = cJSON_GetObjectItemCaseSensitive(version,
		    unalias(version, key));
	if (!cJSON_IsObject(fw)) {
		list_keys(version, "pytorch", list, sizeof list);
		fail(r, IMAGES_FIELD_PYTORCH, "no Hugging Face training image "
		    "for pytorch_version %s with transformers_version %s; "
		    "supported: %s", r->pytorch, r->transformers, list);
		return NULL;
	}
	return fw;
}

static int
resolve(struct request *r, const cJSON *training, char *uri, size_t urilen)
{
	const cJSON *fw, *py_versions, *account, *repo, *container;
	const char *proc, *cv;
	char list[IMAGES_ERR_MAX / 2];

	if (check_processor(r, training, &proc) == -1 ||
	    (fw = find_framework(r, training)) == NULL)
		return -1;
	py_versions = cJSON_GetObjectItemCaseSensitive(fw, "py_versions");
	if (!in_string_array(py_versions, r->py)) {
		list_strings(py_versions, list, sizeof list);
		return fail(r, IMAGES_FIELD_PY, "no Hugging Face training "
		    "image for py_version %s with transformers_version %s and "
		    "pytorch_version %s; supported: %s", r->py,
		    r->transformers, r->pytorch, list);
	}
	account = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(fw, "registries"), r->region);
	if (!cJSON_IsString(account))
		return fail(r, IMAGES_FIELD_REGION, "no Hugging Face training "
		    "image for transformers_version %s in region %s",
		    r->transformers, r->region);
	repo = cJSON_GetObjectItemCaseSensitive(fw, "repository");
	container = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(fw, "container_version"), proc);
	cv = cJSON_IsString(container) ? container->valuestring :
	    DEFAULT_GPU_CONTAINER;
	if (!cJSON_IsString(repo) || xsnprintf(uri, urilen,
	    "%s.dkr.ecr.%s.%s/%s:%s-transformers%s-%s-%s-%s",
	    account->valuestring, r->region, ecr_domain(r->region),
	    repo->valuestring, r->pytorch, r->transformers, proc, r->py,
	    cv) == -1)
		return fail(r, IMAGES_FIELD_NONE, "image table entry too long "
		    "or malformed");
	return 0;
}

int
images_resolve_field(const char *region, const char *transformers_version,
    const char *pytorch_version, const char *py_version,
    const char *instance_type, char *uri, size_t urilen, char *err,
    size_t errlen, enum images_field *bad)
{
	struct request r = { region, transformers_version, pytorch_version,
	    py_version, instance_type, err, errlen, bad };
	/* Parsed once per process: the table is constant and 111 KB. */
	static cJSON *table;

	if (bad != NULL)
		*bad = IMAGES_FIELD_NONE;
	if (urilen > 0)
		uri[0] = '\0';
	if (table == NULL)
		table = cJSON_ParseWithLength(images_table_json,
		    images_table_len);
	if (table == NULL)
		return fail(&r, IMAGES_FIELD_NONE, "cannot parse the image "
		    "table");
	if (resolve(&r, cJSON_GetObjectItemCaseSensitive(table, "training"),
	    uri, urilen) == 0)
		return 0;
	if (urilen > 0)
		uri[0] = '\0';
	return -1;
}

int
images_resolve(const char *region, const char *transformers_version,
    const char *pytorch_version, const char *py_version,
    const char *instance_type, char *uri, size_t urilen, char *err,
    size_t errlen)
{
	return images_resolve_field(region, transformers_version,
	    pytorch_version, py_version, instance_type, uri, urilen, err,
	    errlen, NULL);
}
