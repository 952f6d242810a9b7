/*
 * localenv.c - the environment and command line the training toolkit gives
 * the user's script (container-contract.md §6.3-§6.6, §6.10, §10.6-§10.7),
 * with every /opt/ml path moved to the host's job root (§11.1.5).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "localhp.h"
#include "local.h"

#define ENV_MAX_VARS 4096	/* variables in the child's environment */

extern char **environ;

/*
 * Where the caller's credentials come from (creds.h's chain).  The script
 * of the process backend gets none of them: only what --credentials gives
 * it, as a container sees only what docker run passes.
 */
static const char *const caller_sources[] = {
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_EXPIRATION", "AWS_PROFILE",
	"AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
	"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
	"AWS_CONTAINER_CREDENTIALS_FULL_URI",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
	"AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE",
};

/* Does the "K=V" string KV set one of the caller's credential sources? */
static int
caller_source(const char *kv)
{
	size_t klen = strcspn(kv, "=");

	for (size_t i = 0; i < sizeof caller_sources /
	    sizeof caller_sources[0]; i++)
		if (strlen(caller_sources[i]) == klen &&
		    strncmp(kv, caller_sources[i], klen) == 0)
			return 1;
	return 0;
}

/* A "K=V" string may hold a key: wiped before it is freed. */
static void
free_kv(char *kv)
{
	if (kv != NULL)
		wipe(kv, strlen(kv));
	free(kv);
}

/* An environment under construction: "K=V" strings, later ones replace. */
struct env {
	char *v[ENV_MAX_VARS + 1];
	size_t n;
	int failed;
};

static void
env_set(struct env *e, const char *key, const char *val)
{
	size_t klen = strlen(key), i;
	struct buf kv;

	buf_init(&kv, LOCAL_ENV_MAX);
	if (e->failed || buf_printf(&kv, "%s=%s", key, val) == -1) {
		e->failed = 1;
		return;
	}
	for (i = 0; i < e->n; i++)
		if (strncmp(e->v[i], key, klen) == 0 && e->v[i][klen] == '=')
			break;
	if (i == e->n && e->n == ENV_MAX_VARS) {
		buf_free(&kv);
		e->failed = 1;
		return;
	}
	if (i < e->n)
		free_kv(e->v[i]);
	else
		e->n++;
	e->v[i] = kv.data;
}

static void
env_default(struct env *e, const char *key, const char *val)
{
	if (getenv(key) == NULL)
		env_set(e, key, val);
}

/* KEY = the tight JSON of V (an SM_* value). */
static void
env_json(struct env *e, const char *key, const cJSON *v)
{
	struct buf b;

	buf_init(&b, LOCAL_ENV_MAX);
	if (buf_puts(&b, "") == -1 || hp_env(&b, v) == -1) {
		e->failed = 1;
		return;
	}
	env_set(e, key, b.data);
	buf_free(&b);
}

static void
env_path(struct env *e, const char *key, const char *base, const char *rel)
{
	char path[PATH_MAX];

	if (xsnprintf(path, sizeof path, "%s%s", base, rel) == -1)
		e->failed = 1;
	else
		env_set(e, key, path);
}

void
local_strv_free(char **v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; v[i] != NULL; i++)
		free_kv(v[i]);
	free(v);
}

/* The decoded hyperparameters, split as the toolkit splits them (§6.2). */
struct hps {
	cJSON *user, *framework, *all;
};

static int
split_hps(const struct local_job *job, struct hps *h)
{
	const cJSON *c;
	cJSON *d;

	h->user = cJSON_CreateObject();
	h->framework = cJSON_CreateObject();
	h->all = cJSON_CreateObject();
	if (h->user == NULL || h->framework == NULL || h->all == NULL)
		return -1;
	cJSON_ArrayForEach(c, job->hps) {
		if ((d = hp_decode(c->valuestring)) == NULL)
			return -1;
		cJSON_AddItemToObject(h->all, c->string, d);
		if (!hp_reserved(c->string))
			cJSON_AddItemToObject(h->user, c->string,
			    cJSON_Duplicate(d, 1));
		else if (hp_framework_param(c->string))
			cJSON_AddItemToObject(h->framework, c->string,
			    cJSON_Duplicate(d, 1));
	}
	return 0;
}

static void
free_hps(struct hps *h)
{
	cJSON_Delete(h->user);
	cJSON_Delete(h->framework);
	cJSON_Delete(h->all);
}

static int
truthy(const cJSON *v)
{
	if (cJSON_IsRaw(v))
		return strtod(v->valuestring, NULL) != 0;
	if (cJSON_IsString(v))
		return v->valuestring[0] != '\0';
	return cJSON_IsTrue(v) || ((cJSON_IsArray(v) || cJSON_IsObject(v)) &&
	    v->child != NULL);
}

/* distribution_instance_groups: the group when a launcher flag is set. */
static int
distributed(const struct hps *h)
{
	static const char *const flags[] = { "sagemaker_mpi_enabled",
	    "sagemaker_parameter_server_enabled",
	    "sagemaker_distributed_dataparallel_enabled",
	    "sagemaker_pytorch_ddp_enabled",
	    "sagemaker_pytorch_xla_multi_worker_enabled",
	    "sagemaker_multi_worker_mirrored_strategy_enabled",
	    "sagemaker_torch_distributed_enabled" };

	for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
		if (truthy(cJSON_GetObjectItemCaseSensitive(h->all, flags[i])))
			return 1;
	return 0;
}

static int
cmp_keys(const void *a, const void *b)
{
	const cJSON *const *x = a, *const *y = b;

	return strcmp((*x)->string, (*y)->string);
}

static int
add_arg(cJSON *args, const cJSON *c)
{
	struct buf b;
	int ok;

	buf_init(&b, LOCAL_ENV_MAX);
	ok = buf_printf(&b, "%s%s", strlen(c->string) == 1 ? "-" : "--",
	    c->string) == 0 && cJSON_AddItemToArray(args,
	    cJSON_CreateString(b.data));
	buf_free(&b);
	ok = ok && buf_puts(&b, "") == 0 && hp_str(&b, c) == 0 &&
	    cJSON_AddItemToArray(args, cJSON_CreateString(b.data));
	buf_free(&b);
	return ok ? 0 : -1;
}

/* to_cmd_args (§6.6): sorted keys, "--key" or "-k", str() of the value. */
static cJSON *
user_args(const cJSON *user)
{
	cJSON *args = cJSON_CreateArray();
	const cJSON **kids;
	const cJSON *c;
	size_t n = 0, i = 0;

	cJSON_ArrayForEach(c, user)
		n++;
	kids = calloc(n + 1, sizeof *kids);
	if (args == NULL || kids == NULL)
		goto fail;
	cJSON_ArrayForEach(c, user)
		kids[i++] = c;
	qsort(kids, n, sizeof *kids, cmp_keys);
	for (i = 0; i < n; i++)
		if (add_arg(args, kids[i]) == -1)
			goto fail;
	free(kids);
	return args;
fail:
	free(kids);
	cJSON_Delete(args);
	return NULL;
}

static cJSON *
host_list(const struct local_job *job)
{
	cJSON *a = cJSON_CreateArray();
	char name[32];

	for (int i = 1; a != NULL && i <= job->nhosts; i++) {
		snprintf(name, sizeof name, "algo-%d", i);
		cJSON_AddItemToArray(a, cJSON_CreateString(name));
	}
	return a;
}

static char *
module_name(const char *entry)
{
	size_t n = strlen(entry);
	char *m = strdup(entry);

	if (m != NULL && n > 3 && strcmp(entry + n - 3, ".py") == 0)
		m[n - 3] = '\0';
	return m;
}

static void
add_path(cJSON *o, const char *key, const char *base, const char *rel)
{
	char path[PATH_MAX];

	if (xsnprintf(path, sizeof path, "%s%s", base, rel) == 0)
		cJSON_AddStringToObject(o, key, path);
}

/* SM_TRAINING_ENV: every property of the toolkit's Environment (§6.4). */
static cJSON *
training_env(const struct local_job *job, int host, const char *base,
    const struct hps *h)
{
	cJSON *t = cJSON_CreateObject(), *dirs = cJSON_CreateObject();
	const cJSON *lvl = cJSON_GetObjectItemCaseSensitive(h->all,
	    "sagemaker_container_log_level");
	char cur[32], rel[PATH_MAX];
	char *mod = module_name(job->entry);

	snprintf(cur, sizeof cur, "algo-%d", host);
	cJSON_AddItemToObject(t, "additional_framework_parameters",
	    cJSON_Duplicate(h->framework, 1));
	for (size_t i = 0; i < job->nch; i++) {
		snprintf(rel, sizeof rel, "/input/data/%s", job->ch[i].name);
		add_path(dirs, job->ch[i].name, base, rel);
	}
	cJSON_AddItemToObject(t, "channel_input_dirs", dirs);
	cJSON_AddStringToObject(t, "current_host", cur);
	cJSON_AddStringToObject(t, "current_instance_group",
	    "homogeneousCluster");
	cJSON_AddItemToObject(t, "current_instance_group_hosts",
	    cJSON_CreateArray());
	cJSON_AddStringToObject(t, "current_instance_type", job->instance_type);
	cJSON_AddItemToObject(t, "distribution_hosts", host_list(job));
	cJSON_AddItemToObject(t, "distribution_instance_groups",
	    distributed(h) ? cJSON_CreateStringArray((const char *[]){
	    "homogeneousCluster" }, 1) : cJSON_CreateArray());
	cJSON_AddNullToObject(t, "framework_module");
	cJSON_AddItemToObject(t, "hosts", host_list(job));
	cJSON_AddItemToObject(t, "hyperparameters",
	    cJSON_Duplicate(h->user, 1));
	add_path(t, "input_config_dir", base, "/input/config");
	cJSON_AddItemToObject(t, "input_data_config", local_input_config(job));
	add_path(t, "input_dir", base, "/input");
	cJSON_AddItemToObject(t, "instance_groups", cJSON_CreateArray());
	cJSON_AddItemToObject(t, "instance_groups_dict", cJSON_CreateObject());
	cJSON_AddFalseToObject(t, "is_hetero");
	cJSON_AddBoolToObject(t, "is_master", host == 1);
	cJSON_AddNullToObject(t, "is_modelparallel_enabled");
	cJSON_AddFalseToObject(t, "is_smddpmprun_installed");
	cJSON_AddFalseToObject(t, "is_smddprun_installed");
	cJSON_AddStringToObject(t, "job_name", job->name);
	cJSON_AddItemToObject(t, "log_level", lvl != NULL ?
	    cJSON_Duplicate(lvl, 1) : cJSON_CreateNumber(20));
	cJSON_AddStringToObject(t, "master_hostname", "algo-1");
	add_path(t, "model_dir", base, "/model");
	add_path(t, "module_dir", base, "/code");
	cJSON_AddStringToObject(t, "module_name", mod != NULL ? mod : "");
	cJSON_AddStringToObject(t, "network_interface_name", job->iface);
	cJSON_AddNumberToObject(t, "num_cpus", (double)job->ncpu);
	cJSON_AddNumberToObject(t, "num_gpus", (double)job->ngpu);
	cJSON_AddNumberToObject(t, "num_neurons", 0);
	add_path(t, "output_data_dir", base, "/output/data");
	add_path(t, "output_dir", base, "/output");
	add_path(t, "output_intermediate_dir", base, "/output/intermediate");
	cJSON_AddItemToObject(t, "resource_config",
	    local_resource_config(job, host));
	cJSON_AddItemToObject(t, "topology", cJSON_CreateArray());
	cJSON_AddStringToObject(t, "user_entry_point", job->entry);
	free(mod);
	return t;
}

/* Set KEY from the training environment's property PROP. */
static void
env_prop(struct env *e, const char *key, const cJSON *t, const char *prop)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, prop);

	if (v == NULL)
		e->failed = 1;
	else
		env_json(e, key, v);
}

/* The SM_* variables in the toolkit's emission order (§6.4). */
static void
sm_vars(struct env *e, const cJSON *t, const struct hps *h,
    const cJSON *args)
{
	static const char *const props[][2] = {
		{ "SM_HOSTS", "hosts" },
		{ "SM_NETWORK_INTERFACE_NAME", "network_interface_name" },
		{ "SM_HPS", "hyperparameters" },
		{ "SM_USER_ENTRY_POINT", "user_entry_point" },
		{ "SM_FRAMEWORK_PARAMS", "additional_framework_parameters" },
		{ "SM_RESOURCE_CONFIG", "resource_config" },
		{ "SM_INPUT_DATA_CONFIG", "input_data_config" },
		{ "SM_OUTPUT_DATA_DIR", "output_data_dir" },
	}, *const props2[][2] = {
		{ "SM_CURRENT_HOST", "current_host" },
		{ "SM_CURRENT_INSTANCE_TYPE", "current_instance_type" },
		{ "SM_CURRENT_INSTANCE_GROUP", "current_instance_group" },
		{ "SM_CURRENT_INSTANCE_GROUP_HOSTS",
		    "current_instance_group_hosts" },
		{ "SM_INSTANCE_GROUPS", "instance_groups" },
		{ "SM_INSTANCE_GROUPS_DICT", "instance_groups_dict" },
		{ "SM_DISTRIBUTION_INSTANCE_GROUPS",
		    "distribution_instance_groups" },
		{ "SM_IS_HETERO", "is_hetero" },
		{ "SM_MODULE_NAME", "module_name" },
		{ "SM_LOG_LEVEL", "log_level" },
		{ "SM_FRAMEWORK_MODULE", "framework_module" },
		{ "SM_INPUT_DIR", "input_dir" },
		{ "SM_INPUT_CONFIG_DIR", "input_config_dir" },
		{ "SM_OUTPUT_DIR", "output_dir" },
		{ "SM_NUM_CPUS", "num_cpus" },
		{ "SM_NUM_GPUS", "num_gpus" },
		{ "SM_NUM_NEURONS", "num_neurons" },
		{ "SM_MODEL_DIR", "model_dir" },
		{ "SM_MODULE_DIR", "module_dir" },
	};
	const cJSON *dirs = cJSON_GetObjectItemCaseSensitive(t,
	    "channel_input_dirs"), *c;
	cJSON *names = cJSON_CreateArray();
	char key[512];
	struct buf b;
	size_t i;

	for (i = 0; i < sizeof props / sizeof *props; i++)
		env_prop(e, props[i][0], t, props[i][1]);
	/* SM_CHANNELS: the names sorted (the input config keeps order) */
	cJSON_ArrayForEach(c, dirs) {
		cJSON *s = cJSON_CreateString(c->string), *at = names->child;
		int pos = 0;

		while (at != NULL && strcmp(at->valuestring, c->string) < 0) {
			at = at->next;
			pos++;
		}
		if (at == NULL)
			cJSON_AddItemToArray(names, s);
		else
			cJSON_InsertItemInArray(names, pos, s);
	}
	env_json(e, "SM_CHANNELS", names);
	cJSON_Delete(names);
	for (i = 0; i < sizeof props2 / sizeof *props2; i++)
		env_prop(e, props2[i][0], t, props2[i][1]);
	buf_init(&b, LOCAL_ENV_MAX);
	if (buf_puts(&b, "") == -1 || hp_json(&b, t, 1) == -1)
		e->failed = 1;
	else
		env_set(e, "SM_TRAINING_ENV", b.data);
	buf_free(&b);
	env_json(e, "SM_USER_ARGS", args);
	env_prop(e, "SM_OUTPUT_INTERMEDIATE_DIR", t, "output_intermediate_dir");
	cJSON_ArrayForEach(c, dirs) {
		if (xsnprintf(key, sizeof key, "SM_CHANNEL_%s", c->string) == -1)
			e->failed = 1;
		for (char *p = key; *p != '\0'; p++)
			*p = (char)toupper((unsigned char)*p);
		env_json(e, key, c);
	}
	cJSON_ArrayForEach(c, h->user) {
		if (xsnprintf(key, sizeof key, "SM_HP_%s", c->string) == -1)
			e->failed = 1;
		for (char *p = key; *p != '\0'; p++)
			*p = (char)toupper((unsigned char)*p);
		env_json(e, key, c);
	}
}

/* A decoded reserved hyperparameter as a string ("" when absent). */
static void
env_hp(struct env *e, const char *key, const struct hps *h, const char *hp)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(h->all, hp);

	if (v == NULL)
		env_set(e, key, "");
	else
		env_json(e, key, v);
}

/* What the platform sets: the job name, region and the request's map. */
static void
platform_vars(struct env *e, const struct local_job *job)
{
	const cJSON *c;

	if (job->region[0] != '\0')
		env_set(e, "AWS_REGION", job->region);
	env_set(e, "TRAINING_JOB_NAME", job->name);
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(job->req,
	    "Environment"))
		if (cJSON_IsString(c))
			env_set(e, c->string, c->valuestring);
}

/*
 * The credentials --credentials chose.  The process backend's script also
 * gets no credential files and no instance metadata, so that an SDK in it
 * finds only these (with none: nothing, as in a container given none).
 * The docker CLI keeps its own environment (its ECR credential helper may
 * need it) and passes the container only the names it is given.
 */
static void
creds_vars(struct env *e, const struct local_job *job)
{
	const struct local_creds *c = job->creds;

	if (!job->docker) {
		env_set(e, "AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
		env_set(e, "AWS_CONFIG_FILE", "/dev/null");
		env_set(e, "AWS_EC2_METADATA_DISABLED", "true");
	}
	if (c == NULL || c->mode == LOCAL_CREDS_NONE)
		return;
	env_set(e, "AWS_ACCESS_KEY_ID", c->access_key);
	env_set(e, "AWS_SECRET_ACCESS_KEY", c->secret_key);
	if (c->session_token[0] != '\0')
		env_set(e, "AWS_SESSION_TOKEN", c->session_token);
}

static void
host_vars(struct env *e, const struct local_job *job, int host,
    const char *base, int port)
{
	const char *old = getenv("PYTHONPATH");
	char cur[32], num[16];

	snprintf(cur, sizeof cur, "algo-%d", host);
	snprintf(num, sizeof num, "%d", port);
	env_set(e, "CURRENT_HOST", cur);
	env_set(e, "SAGEMAKER_BASE_DIR", base);
	env_set(e, "SM_STUDIO_LOCAL_MODE", "true");
	env_default(e, "PYTHONUNBUFFERED", "1");
	env_set(e, "MASTER_ADDR", "127.0.0.1");
	env_set(e, "MASTER_PORT", num);
	env_set(e, "NCCL_SOCKET_IFNAME", job->iface);
	env_default(e, "NCCL_IB_DISABLE", "1");
	env_default(e, "NCCL_DEBUG", "WARN");
	if (old != NULL && old[0] != '\0') {
		struct buf b;

		buf_init(&b, LOCAL_ENV_MAX);
		if (buf_printf(&b, "%s/code:%s", base, old) == -1)
			e->failed = 1;
		else
			env_set(e, "PYTHONPATH", b.data);
		buf_free(&b);
	} else {
		env_path(e, "PYTHONPATH", base, "/code");
	}
}

static char **
env_finish(struct env *e)
{
	char **v;

	if (!e->failed && (v = calloc(e->n + 1, sizeof *v)) != NULL) {
		memcpy(v, e->v, e->n * sizeof *v);
		return v;
	}
	for (size_t i = 0; i < e->n; i++)
		free_kv(e->v[i]);
	accel_err("cannot build the environment of the job");
	return NULL;
}

/* Ours, less the caller's credential sources for the process backend. */
static void
copy_environ(struct env *e, const struct local_job *job)
{
	for (char **p = environ; *p != NULL && !e->failed; p++) {
		if (strchr(*p, '=') == NULL || (!job->docker &&
		    caller_source(*p)))
			continue;
		if (e->n < ENV_MAX_VARS && (e->v[e->n] = strdup(*p)) != NULL)
			e->n++;
		else
			e->failed = 1;
	}
}

char **
local_tool_environ(const struct local_job *job)
{
	struct env *e = calloc(1, sizeof *e);
	char **v;

	if (e == NULL) {
		accel_err("cannot build the environment of the job");
		return NULL;
	}
	copy_environ(e, job);
	creds_vars(e, job);
	v = env_finish(e);
	free(e);
	return v;
}

/*
 * The environment of HOST: ours, then the platform's variables, then the
 * toolkit's.  For the docker backend ours and the platform's: docker run
 * passes the platform's on by name (-e KEY), and the toolkit in the image
 * sets the rest.
 */
char **
local_environ(const struct local_job *job, int host, int port,
    const char *python)
{
	struct env *e = calloc(1, sizeof *e);
	char base[PATH_MAX];
	struct hps h = { 0 };
	cJSON *t = NULL, *args = NULL;
	char **v;

	(void)python;
	if (e == NULL)
		return NULL;
	copy_environ(e, job);
	/* before the request's Environment, which SageMaker sets last */
	creds_vars(e, job);
	platform_vars(e, job);
	if (job->docker)
		goto done;
	if (local_host_base(job, host, base, sizeof base) == -1 ||
	    split_hps(job, &h) == -1 ||
	    (t = training_env(job, host, base, &h)) == NULL ||
	    (args = user_args(h.user)) == NULL) {
		e->failed = 1;
		goto done;
	}
	sm_vars(e, t, &h, args);
	env_hp(e, "SAGEMAKER_JOB_NAME", &h, "sagemaker_job_name");
	env_hp(e, "SAGEMAKER_REGION", &h, "sagemaker_region");
	host_vars(e, job, host, base, port);
done:
	cJSON_Delete(t);
	cJSON_Delete(args);
	free_hps(&h);
	v = env_finish(e);
	free(e);
	return v;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/*
 * The command of §6.10 as an argument vector: .sh under /bin/sh, a package
 * (setup.py in code/) as python -m, .py under Python, anything else run
 * itself; then the user arguments.  Never a shell string.
 */
char **
local_command(const struct local_job *job, int host, const char *python)
{
	char base[PATH_MAX], path[PATH_MAX];
	struct hps h = { 0 };
	cJSON *args = NULL;
	const cJSON *c;
	char **v = NULL;
	size_t n = 0, nargs;

	if (local_host_base(job, host, base, sizeof base) == -1 ||
	    split_hps(job, &h) == -1 || (args = user_args(h.user)) == NULL)
		goto out;
	nargs = (size_t)cJSON_GetArraySize(args);
	if ((v = calloc(nargs + 4, sizeof *v)) == NULL)
		goto out;
	if (xsnprintf(path, sizeof path, "%s/code/setup.py", base) == -1)
		goto fail;
	if (ends_with(job->entry, ".sh")) {
		v[n++] = strdup("/bin/sh");
		v[n++] = strdup(job->entry);
	} else if (access(path, F_OK) == 0) {
		v[n++] = strdup(python);
		v[n++] = strdup("-m");
		v[n++] = module_name(job->entry);
	} else if (ends_with(job->entry, ".py")) {
		v[n++] = strdup(python);
		v[n++] = strdup(job->entry);
	} else {
		/* the toolkit makes a command entry point executable */
		if (xsnprintf(path, sizeof path, "%s/code/%s", base,
		    job->entry) == -1 || chmod(path, 0777) == -1) {
			accel_err("cannot make '%s' executable:", path);
			goto fail;
		}
		v[n++] = strdup(path);
	}
	cJSON_ArrayForEach(c, args)
		v[n++] = strdup(c->valuestring);
	for (size_t i = 0; i < n; i++)
		if (v[i] == NULL)
			goto fail;
	goto out;
fail:
	local_strv_free(v);
	v = NULL;
out:
	cJSON_Delete(args);
	free_hps(&h);
	if (v == NULL)
		accel_err("cannot build the command of the job");
	return v;
}

/* Is NAME an executable in PATH?  Its path goes to OUT. */
int
local_which(const char *name, char *out, size_t size)
{
	const char *path = getenv("PATH"), *p;
	size_t n;

	if (strchr(name, '/') != NULL)
		return access(name, X_OK) == 0 &&
		    xsnprintf(out, size, "%s", name) == 0 ? 0 : -1;
	for (p = path != NULL ? path : "/usr/bin:/bin"; *p != '\0'; p += n) {
		n = strcspn(p, ":");
		if (n > 0 && xsnprintf(out, size, "%.*s/%s", (int)n, p,
		    name) == 0 && access(out, X_OK) == 0)
			return 0;
		if (p[n] == ':')
			n++;
	}
	return -1;
}

/*
 * SM_NUM_GPUS as the toolkit counts it: lines of nvidia-smi --list-gpus
 * that start with "GPU "; 0 when there is no nvidia-smi or it fails.
 */
int
local_count_gpus(void)
{
	char smi[PATH_MAX], chunk[4096];
	char *argv[] = { smi, "--list-gpus", NULL };
	posix_spawn_file_actions_t fa;
	int fd[2], st, count = 0;
	struct buf out;
	pid_t pid;
	ssize_t r;

	if (local_which("nvidia-smi", smi, sizeof smi) == -1 ||
	    pipe2(fd, O_CLOEXEC) == -1)
		return 0;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
	    O_WRONLY, 0);
	if (posix_spawn(&pid, smi, &fa, NULL, argv, environ) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	close(fd[1]);
	buf_init(&out, 65536);	/* one line per GPU */
	buf_puts(&out, "\n");
	while (pid > 0 && (r = read(fd[0], chunk, sizeof chunk)) > 0)
		if (buf_append(&out, chunk, (size_t)r) == -1)
			break;
	close(fd[0]);
	for (const char *p = out.data; p != NULL && (p = strstr(p, "\nGPU ")) != NULL;
	    p++)
		count++;
	buf_free(&out);
	if (pid > 0 && (waitpid(pid, &st, 0) == -1 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0))
		count = 0;
	return count;
}

/* The interface of the default route, else "lo" (§11.1.3). */
void
local_default_iface(char out[32])
{
	char line[512], name[32];
	FILE *f = fopen("/proc/net/route", "re");

	memcpy(out, "lo", 3);
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		size_t n = strcspn(line, "\t ");

		if (n == 0 || n >= sizeof name)
			continue;
		memcpy(name, line, n);
		name[n] = '\0';
		if (strncmp(line + n + 1, "00000000", 8) == 0 &&
		    strcmp(name, "Iface") != 0) {
			memcpy(out, name, n + 1);
			break;
		}
	}
	fclose(f);
}
