/* distrib.c - distribution hyperparameters (see distrib.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "distrib.h"
#include "json.h"
#include "util.h"

/* SM_DATAPARALLEL_SUPPORTED_FRAMEWORK_VERSIONS["pytorch"] */
static const char *const smddp_versions[] = {
	"1.6", "1.6.0", "1.7", "1.7.1", "1.8", "1.8.0", "1.8.1", "1.9",
	"1.9.0", "1.9.1", "1.10", "1.10.0", "1.10.2", "1.11", "1.11.0",
	"1.12", "1.12.0", "1.12.1", "1.13.1", "2.0.0", "2.0.1", "2.1.0",
	"2.1.2", "2.2.0", NULL
};

struct dctx {
	const cJSON *config;
	const char *config_name;
	const char *type;		/* instance type */
	cJSON *hp;
};

static int
derr(const struct dctx *d, const char *fmt, ...) ACCEL_PRINTF(2, 3);

static int
derr(const struct dctx *d, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return accel_err("%s: additional_args.distribution: %s",
	    d->config_name, msg);
}

static const char *
conf_str(const cJSON *config, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(config, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* HP[KEY] = json.dumps(V); takes V. */
static int
set(struct dctx *d, const char *key, cJSON *v)
{
	struct buf b;
	int rc = -1;

	buf_init(&b, 2500);
	if (v != NULL && json_dump(&b, v, JSON_COMPACT) == 0) {
		cJSON_DeleteItemFromObjectCaseSensitive(d->hp, key);
		rc = cJSON_AddStringToObject(d->hp, key, b.data) ? 0 : -1;
	}
	buf_free(&b);
	cJSON_Delete(v);
	if (rc == -1)
		return derr(d, "cannot encode '%s'", key);
	return 0;
}

/* merge_dicts(source=SRC, destination=DST): maps merge, SRC wins. */
static int
merge(cJSON *dst, const cJSON *src)
{
	const cJSON *s;
	cJSON *t;

	cJSON_ArrayForEach(s, src) {
		t = cJSON_GetObjectItemCaseSensitive(dst, s->string);
		if (cJSON_IsObject(t) && cJSON_IsObject(s)) {
			if (merge(t, s) == -1)
				return -1;
			continue;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(dst, s->string);
		if ((t = cJSON_Duplicate(s, 1)) == NULL)
			return -1;
		cJSON_AddItemToObject(dst, s->string, t);
	}
	return 0;
}

static const cJSON *
member(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static int
enabled(const cJSON *o)
{
	return cJSON_IsTrue(member(o, "enabled"));
}

static cJSON *
string_or(const cJSON *v, const char *dflt)
{
	return cJSON_IsString(v) ? cJSON_CreateString(v->valuestring) :
	    cJSON_CreateString(dflt);
}

static int
check_smddp(struct dctx *d)
{
	const char *pt = conf_str(d->config, "pytorch_version");
	const char *py = conf_str(d->config, "py_version");
	size_t i;

	if (conf_str(d->config, "image_uri") != NULL)
		return 0;
	for (i = 0; smddp_versions[i] != NULL; i++)
		if (pt != NULL && strcmp(pt, smddp_versions[i]) == 0)
			break;
	if (smddp_versions[i] == NULL)
		return derr(d, "Provided framework_version %s is not "
		    "supported by smdataparallel.", pt ? pt : "None");
	if (py == NULL || strstr(py, "py3") == NULL)
		return derr(d, "Provided py_version %s is not supported by "
		    "smdataparallel.", py ? py : "None");
	return 0;
}

/* _distribution_configuration: mpi, then smdistributed. */
static int
mpi_and_smdistributed(struct dctx *d, const cJSON *dist)
{
	const cJSON *mpi = member(dist, "mpi"), *sm = member(dist,
	    "smdistributed"), *dp = member(sm, "dataparallel"),
	    *mp = member(sm, "modelparallel"), *ppn;

	if (mpi != NULL) {
		if (!cJSON_IsObject(mpi))
			return derr(d, "mpi must be a map");
		ppn = member(mpi, "processes_per_host");
		if (set(d, "sagemaker_mpi_enabled",
		    cJSON_CreateBool(enabled(mpi))) == -1)
			return -1;
		if (ppn != NULL && !cJSON_IsNumber(ppn))
			return derr(d, "mpi.processes_per_host must be a "
			    "number");
		if (ppn != NULL && ppn->valuedouble != 0 && set(d,
		    "sagemaker_mpi_num_of_processes_per_host",
		    cJSON_Duplicate(ppn, 1)) == -1)
			return -1;
		if (set(d, "sagemaker_mpi_custom_mpi_options",
		    string_or(member(mpi, "custom_mpi_options"), "")) == -1)
			return -1;
		if (enabled(mp) && set(d, "mp_parameters", member(mp,
		    "parameters") != NULL ? cJSON_Duplicate(member(mp,
		    "parameters"), 1) : cJSON_CreateObject()) == -1)
			return -1;
	} else if (mp != NULL) {
		return derr(d, "Cannot use Model Parallelism without MPI "
		    "enabled!");
	}
	if (sm == NULL)
		return 0;
	if (!cJSON_IsObject(sm) || (dp != NULL) == (mp != NULL))
		return derr(d, "smdistributed must be a map with exactly one "
		    "of dataparallel and modelparallel");
	if (strstr(d->type, "p5.48xlarge") != NULL &&
	    member(dist, "torch_distributed") == NULL)
		return derr(d, "SMModelParallel and SMDataParallel currently "
		    "do not support p5 instances.");
	if (enabled(dp) && check_smddp(d) == -1)
		return -1;
	if (set(d, "sagemaker_distributed_dataparallel_enabled",
	    cJSON_CreateBool(enabled(dp))) == -1 ||
	    set(d, "sagemaker_instance_type",
	    cJSON_CreateString(d->type)) == -1)
		return -1;
	if (enabled(dp))
		return set(d,
		    "sagemaker_distributed_dataparallel_custom_mpi_options",
		    string_or(member(dp, "custom_mpi_options"), ""));
	return 0;
}

/* PyTorch's launchers: pytorchddp, torch_distributed. */
static int
torch_launchers(struct dctx *d, const cJSON *dist)
{
	static const struct {
		const char *name, *key;
	} rows[] = {
		{ "pytorchddp", "sagemaker_pytorch_ddp_enabled" },
		{ "torch_distributed", "sagemaker_torch_distributed_enabled" },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const cJSON *o = member(dist, rows[i].name);

		if (o == NULL)
			continue;
		if (!cJSON_IsObject(o))
			return derr(d, "%s must be a map", rows[i].name);
		if (set(d, rows[i].key, cJSON_CreateBool(enabled(o))) == -1 ||
		    set(d, "sagemaker_instance_type",
		    cJSON_CreateString(d->type)) == -1)
			return -1;
	}
	return 0;
}

static int
check_keys(struct dctx *d, const cJSON *dist)
{
	static const char *const known[] = {
		"smdistributed", "mpi", "pytorchddp", "torch_distributed",
		NULL
	};
	const cJSON *k;

	cJSON_ArrayForEach(k, dist) {
		size_t i;

		for (i = 0; known[i] != NULL; i++)
			if (strcmp(k->string, known[i]) == 0)
				break;
		if (known[i] == NULL)
			return derr(d, "'%s' is not supported (use "
			    "smdistributed, mpi, pytorchddp or "
			    "torch_distributed)", k->string);
	}
	return 0;
}

int
distrib_hyperparameters(const cJSON *config, const char *config_name,
    cJSON *hp)
{
	const cJSON *args = member(config, "additional_args");
	const cJSON *extra = member(args, "distribution");
	const char *dt = conf_str(config, "distributed_type");
	struct dctx d = { config, config_name, "", hp };
	cJSON *dist;
	int rc = -1;

	if (conf_str(config, "ec2_instance_type") != NULL)
		d.type = conf_str(config, "ec2_instance_type");
	if (cJSON_IsNull(extra))
		extra = NULL;
	if (extra != NULL && !cJSON_IsObject(extra))
		return derr(&d, "must be a map");
	if (dt != NULL && strcmp(dt, "MODEL_PARALLEL") == 0 && extra == NULL)
		return accel_err("%s: distributed_type: MODEL_PARALLEL needs "
		    "additional_args.distribution (smdistributed "
		    "modelparallel with mpi, or torch_distributed); "
		    "accelerate launches it without any", config_name);
	if (dt != NULL && strcmp(dt, "DATA_PARALLEL") == 0)
		dist = cJSON_Parse("{\"smdistributed\": {\"dataparallel\": "
		    "{\"enabled\": true}}}");
	else if (extra != NULL)
		dist = cJSON_CreateObject();
	else
		return 0;
	if (dist == NULL || merge(dist, extra) == -1) {
		cJSON_Delete(dist);
		return accel_err("cannot build the request:");
	}
	const char *image = conf_str(config, "image_uri");
	if (image != NULL && member(dist, "smdistributed") != NULL &&
	    strstr(image, "2.0.1-gpu-py310-cu121") != NULL)
		derr(&d, "SMDistributed is currently incompatible with DLC "
		    "image: %s", image);
	else if (check_keys(&d, dist) == 0 &&
	    mpi_and_smdistributed(&d, dist) == 0 &&
	    torch_launchers(&d, dist) == 0)
		rc = 0;
	cJSON_Delete(dist);
	return rc;
}
