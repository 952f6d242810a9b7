/*
 * questionnaire.c - get_sagemaker_input(), question by question.  Every
 * prompt is accelerate's text; where a --from file gives a default other
 * than accelerate's, the bracketed default in the prompt shows it.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "questionnaire.h"
#include "util.h"

#define YES_NO(def) ((def) ? "[YES/no]" : "[yes/NO]")
#define PROMPT_MAX (ANSWER_MAX + 256)

/* SageMakerConfig's fields (config_args.py), all a file may hold. */
static const char *const fields[] = {
	"compute_environment", "distributed_type", "mixed_precision",
	"use_cpu", "debug", "ec2_instance_type", "iam_role_name",
	"image_uri", "profile", "region", "num_machines", "gpu_ids",
	"base_job_name", "pytorch_version", "transformers_version",
	"py_version", "sagemaker_inputs_file", "sagemaker_metrics_file",
	"additional_args", "dynamo_config", "enable_cpu_affinity",
};

static const char *const auth_choices[] = {
	"AWS Profile", "Credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) ",
};
static const char *const role_choices[] = {
	"Provide IAM Role name", "Create new IAM role using credentials",
};
static const char *const dist_choices[] = {
	"No distributed training", "Data parallelism", "Model parallelism",
};
static const char *const dist_values[] = {
	"NO", "DATA_PARALLEL", "MODEL_PARALLEL",
};
/* DYNAMO_BACKENDS lower-cased; "torchxla_trace_once" where accelerate
 * misspells it "torhchxla_trace_once" (a choice that cannot work). */
static const char *const backend_choices[] = {
	"eager", "aot_eager", "inductor", "aot_ts_nvfuser", "nvprims_nvfuser",
	"cudagraphs", "ofi", "fx2trt", "onnxrt", "tensorrt",
	"aot_torchxla_trace_once", "torchxla_trace_once", "tvm",
};
static const char *const backend_values[] = {
	"EAGER", "AOT_EAGER", "INDUCTOR", "AOT_TS_NVFUSER", "NVPRIMS_NVFUSER",
	"CUDAGRAPHS", "OFI", "FX2TRT", "ONNXRT", "TENSORRT",
	"AOT_TORCHXLA_TRACE_ONCE", "TORCHXLA_TRACE_ONCE", "TVM",
};
#define BACKEND_INDUCTOR 2
static const char *const mode_choices[] = {
	"default", "reduce-overhead", "max-autotune",
};
/* SAGEMAKER_PARALLEL_EC2_INSTANCES, with the ml.p4d.24xlarge that exists
 * in place of accelerate's ml.p4dn.24xlarge, which does not. */
static const char *const parallel_instances[] = {
	"ml.p3.16xlarge", "ml.p3dn.24xlarge", "ml.p4d.24xlarge",
};
static const char *const precision_choices[] = { "no", "fp16", "bf16", "fp8" };

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/* The starting value of KEY as a string, or NULL. */
static const char *
start_str(const struct questionnaire *q, const char *key)
{
	const struct ynode *n = ymap_get(q->config, key);

	return n != NULL && n->kind == Y_STR ? n->str : NULL;
}

/* KEY's starting value as a truth value; unquoted NO and no load as false
 * and mean the string here (accelerate defect 10). */
static const char *
start_enum(const struct questionnaire *q, const char *key, const char *falsy)
{
	const struct ynode *n = ymap_get(q->config, key);

	if (n != NULL && n->kind == Y_BOOL && n->i == 0)
		return falsy;
	return start_str(q, key);
}

static int
start_bool(const struct questionnaire *q, const char *key)
{
	const struct ynode *n = ymap_get(q->config, key);

	return n != NULL && n->kind == Y_BOOL && n->i;
}

static size_t
index_of(const char *const *values, size_t n, const char *v, size_t def)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		if (strcasecmp(values[i], v) == 0)
			return i;
	return def;
}

static int
store(struct questionnaire *q, struct ynode *map, const char *key,
    struct ynode *val)
{
	if (ymap_put(map, key, val) == 0)
		return 0;
	q->asker.status = EXIT_NO;
	return accel_err("out of memory");
}

/* Store TEXT (taken over) at KEY, or remove KEY when TEXT is NULL. */
static int
store_text(struct questionnaire *q, const char *key, char *text)
{
	struct ynode *n;

	if (text == NULL) {
		ymap_del(q->config, key);
		return 0;
	}
	n = ynode_str(text);
	free(text);
	return store(q, q->config, key, n);
}

static struct preset *
P(struct questionnaire *q, enum qid id)
{
	return &q->preset[id];
}

static int
ask_auth(struct questionnaire *q)
{
	static const struct menu m = { auth_choices, NULL, 2 };
	const char *profile = start_str(q, "profile");
	char prompt[PROMPT_MAX];
	char *name = NULL;
	size_t choice;
	/* a starting file without a profile was made with keys */
	size_t def = q->config->child != NULL && profile == NULL;

	if (ask_menu(&q->asker, P(q, Q_AUTH), "How do you want to authorize?",
	    &m, def, &choice) == -1)
		return -1;
	if (choice == 0) {
		if (profile == NULL)
			profile = "default";
		if (xsnprintf(prompt, sizeof prompt,
		    "Enter your AWS Profile name: [%s] ", profile) == -1 ||
		    ask_text(&q->asker, P(q, Q_PROFILE), prompt, profile,
		    &name) == -1)
			return -1;
		return store_text(q, "profile", name);
	}
	/* accelerate then asks for both keys and keeps them only in its
	 * environment; we ask nothing: the key is never typed, echoed or
	 * stored, and accel-submit reads the AWS credential chain. */
	fputs("Note you will need to provide AWS_ACCESS_KEY_ID and "
	    "AWS_SECRET_ACCESS_KEY when you launch you training script with,"
	    "`accelerate launch --aws_access_key_id XXX "
	    "--aws_secret_access_key YYY`\n", q->asker.out);
	fputs("accel.mk reads them from the environment or any other source "
	    "of the AWS credential chain when it submits; they are not asked "
	    "for here and never stored.\n", q->asker.out);
	return store_text(q, "profile", NULL);
}

static int
ask_region(struct questionnaire *q)
{
	const char *def = start_str(q, "region");
	char prompt[PROMPT_MAX];
	char *region;

	if (def == NULL)
		def = "us-east-1";
	if (xsnprintf(prompt, sizeof prompt, "Enter your AWS Region: [%s]",
	    def) == -1 ||
	    ask_text(&q->asker, P(q, Q_REGION), prompt, def, &region) == -1)
		return -1;
	return store_text(q, "region", region);
}

static int
ask_role(struct questionnaire *q)
{
	static const struct menu m = { role_choices, NULL, 2 };
	const char *def = start_str(q, "iam_role_name");
	char prompt[PROMPT_MAX];
	char *role;
	size_t choice;

	if (ask_menu(&q->asker, P(q, Q_ROLE_MENU), "Do you already have an IAM "
	    "Role for executing Amazon SageMaker Training Jobs?", &m, 0,
	    &choice) == -1)
		return -1;
	if (choice == 1) {
		fprintf(q->asker.out, "Accelerate will create an iam role "
		    "\"%s\" using the provided credentials\n", ROLE_TO_CREATE);
		if (q->create_role(q, ROLE_TO_CREATE) == -1)
			return -1;
		return store(q, q->config, "iam_role_name",
		    ynode_str(ROLE_TO_CREATE));
	}
	/* accelerate accepts an empty name here; an empty role cannot
	 * launch, so without a default an empty answer is asked again */
	if (xsnprintf(prompt, sizeof prompt, def ? "Enter your IAM role name: "
	    "[%s] " : "Enter your IAM role name: %s", def ? def : "") == -1 ||
	    ask_text(&q->asker, P(q, Q_ROLE), prompt, def, &role) == -1)
		return -1;
	return store_text(q, "iam_role_name", role);
}

/* A yes/no question that guards a path or URI (4, 5, 6).  The answer is
 * kept as typed: accelerate lower-cases it (defect 12). */
static int
ask_optional(struct questionnaire *q, enum qid yn, const char *question,
    const char *what, const char *key)
{
	const char *def = start_str(q, key);
	char prompt[PROMPT_MAX];
	char *text = NULL;
	int yes;

	if (xsnprintf(prompt, sizeof prompt, "%s %s: ", question,
	    YES_NO(def != NULL)) == -1 ||
	    ask_yesno(&q->asker, P(q, yn), prompt, def != NULL, &yes) == -1)
		return -1;
	if (yes && (xsnprintf(prompt, sizeof prompt, def ? "%s: [%s] " :
	    "%s: %s", what, def ? def : "") == -1 ||
	    /* the text question follows its yes/no one in enum qid */
	    ask_text(&q->asker, P(q, (enum qid)(yn + 1)), prompt, def,
	    &text) == -1))
		return -1;
	return store_text(q, key, text);
}

static int
ask_paths(struct questionnaire *q)
{
	if (ask_optional(q, Q_IMAGE_YN, "Do you want to use custom Docker "
	    "image?", "Enter your Docker image", "image_uri") == -1)
		return -1;
	if (ask_optional(q, Q_INPUTS_YN, "Do you want to provide SageMaker "
	    "input channels with data locations?", "Enter the path to the "
	    "SageMaker inputs TSV file with columns (channel_name, "
	    "data_location)", "sagemaker_inputs_file") == -1)
		return -1;
	return ask_optional(q, Q_METRICS_YN, "Do you want to enable SageMaker "
	    "metrics?", "Enter the path to the SageMaker metrics TSV file with "
	    "columns (metric_name, metric_regex)", "sagemaker_metrics_file");
}

/* The distributed mode; MODEL_PARALLEL is offered only when the starting
 * file has it (accelerate never offers it). */
static int
ask_distributed(struct questionnaire *q, size_t *dist)
{
	const char *cur = start_enum(q, "distributed_type", "NO");
	size_t def = index_of(dist_values, 3, cur, 0);
	struct menu m = { dist_choices, dist_values, def == 2 ? 3 : 2 };

	if (ask_menu(&q->asker, P(q, Q_DISTRIBUTED),
	    "What is the distributed mode?", &m, def, dist) == -1)
		return -1;
	return store(q, q->config, "distributed_type",
	    ynode_str(dist_values[*dist]));
}

static int
ask_dynamo_custom(struct questionnaire *q, const struct ynode *old,
    struct ynode *dyn)
{
	static const struct menu modes = { mode_choices, NULL, 3 };
	static const struct {
		enum qid id;
		const char *key, *prompt;
	} flags[] = {
		{ Q_DYNAMO_FULLGRAPH, "dynamo_use_fullgraph", "Do you want the "
		    "fullgraph mode or it is ok to break model into several "
		    "subgraphs?" },
		{ Q_DYNAMO_DYNAMIC, "dynamo_use_dynamic", "Do you want to enable "
		    "dynamic shape tracing?" },
		{ Q_DYNAMO_REGIONAL, "dynamo_use_regional_compilation",
		    "Do you want to enable regional compilation?" },
	};
	const struct ynode *v = ymap_get(old, "dynamo_mode");
	char prompt[PROMPT_MAX];
	size_t mode, i;
	int yes, def;

	/* accelerate passes "default" as the default index (defect 8) */
	if (ask_menu(&q->asker, P(q, Q_DYNAMO_MODE), "Which mode do you want "
	    "to use?", &modes, index_of(mode_choices, 3,
	    v && v->kind == Y_STR ? v->str : NULL, 0), &mode) == -1 ||
	    store(q, dyn, "dynamo_mode", ynode_str(mode_choices[mode])) == -1)
		return -1;
	for (i = 0; i < NELEM(flags); i++) {
		v = ymap_get(old, flags[i].key);
		def = v != NULL && v->kind == Y_BOOL && v->i;
		if (xsnprintf(prompt, sizeof prompt, "%s %s: ", flags[i].prompt,
		    YES_NO(def)) == -1 ||
		    ask_yesno(&q->asker, P(q, flags[i].id), prompt, def,
		    &yes) == -1 ||
		    store(q, dyn, flags[i].key, ynode_bool(yes)) == -1)
			return -1;
	}
	return 0;
}

static int
ask_dynamo(struct questionnaire *q, int *use)
{
	static const struct menu backends = { backend_choices, backend_values,
	    NELEM(backend_choices) };
	const struct ynode *old = ymap_get(q->config, "dynamo_config");
	const struct ynode *b = ymap_get(old, "dynamo_backend");
	const char *cur = b != NULL && b->kind == Y_STR ? b->str : NULL;
	struct ynode *dyn = ynode_new(Y_MAP);
	char prompt[PROMPT_MAX];
	size_t backend;
	int custom, rc = -1;

	if (dyn == NULL) {
		q->asker.status = EXIT_NO;
		return accel_err("out of memory");
	}
	*use = cur != NULL && strcasecmp(cur, "NO") != 0;
	custom = ymap_get(old, "dynamo_mode") != NULL;
	if (xsnprintf(prompt, sizeof prompt, "Do you wish to optimize your "
	    "script with torch dynamo?%s:", YES_NO(*use)) == -1 ||
	    ask_yesno(&q->asker, P(q, Q_DYNAMO_YN), prompt, *use, use) == -1)
		goto out;
	if (*use) {
		if (ask_menu(&q->asker, P(q, Q_DYNAMO_BACKEND), "Which dynamo "
		    "backend would you like to use?", &backends,
		    index_of(backend_values, NELEM(backend_values), cur,
		    BACKEND_INDUCTOR), &backend) == -1 ||
		    store(q, dyn, "dynamo_backend",
		    ynode_str(backend_values[backend])) == -1)
			goto out;
		if (xsnprintf(prompt, sizeof prompt, "Do you want to customize "
		    "the defaults sent to torch.compile? %s: ",
		    YES_NO(custom)) == -1 ||
		    ask_yesno(&q->asker, P(q, Q_DYNAMO_CUSTOM), prompt, custom,
		    &custom) == -1 ||
		    (custom && ask_dynamo_custom(q, old, dyn) == -1))
			goto out;
	}
	rc = store(q, q->config, "dynamo_config", dyn);
	dyn = NULL;
out:
	ynode_free(dyn);
	return rc;
}

static int
ask_instance(struct questionnaire *q, size_t dist)
{
	const char *cur = start_str(q, "ec2_instance_type");
	const char *choices[NELEM(parallel_instances) + 1];
	char prompt[PROMPT_MAX];
	struct menu m = { choices, NULL, NELEM(parallel_instances) };
	size_t pick, i;
	char *type;

	if (dist == 0) {
		if (cur == NULL)
			cur = "ml.p3.2xlarge";
		if (xsnprintf(prompt, sizeof prompt, "Which EC2 instance type "
		    "you want to use for your training?? [%s]:", cur) == -1 ||
		    ask_text(&q->asker, P(q, Q_INSTANCE), prompt, cur,
		    &type) == -1)
			return -1;
		/* instance types are lower case; accelerate lower-cases */
		for (i = 0; type[i] != '\0'; i++)
			if (type[i] >= 'A' && type[i] <= 'Z')
				type[i] = (char)(type[i] - 'A' + 'a');
		return store_text(q, "ec2_instance_type", type);
	}
	for (i = 0; i < NELEM(parallel_instances); i++)
		choices[i] = parallel_instances[i];
	/* a starting type that is not offered is kept as a last choice */
	if (cur != NULL && index_of(choices, m.n, cur, m.n) == m.n)
		choices[m.n++] = cur;
	if (ask_menu(&q->asker, P(q, Q_INSTANCE), "Which EC2 instance type you "
	    "want to use for your training?", &m, index_of(choices, m.n, cur,
	    0), &pick) == -1)
		return -1;
	return store(q, q->config, "ec2_instance_type",
	    ynode_str(choices[pick]));
}

static int
ask_parallel(struct questionnaire *q, size_t dist)
{
	const struct ynode *n = ymap_get(q->config, "num_machines");
	long machines = n != NULL && n->kind == Y_INT && n->i >= 1 &&
	    n->i <= INT_MAX ? (long)n->i : 1;
	int def = start_bool(q, "debug"), debug = 0;
	char prompt[PROMPT_MAX];

	if (dist != 0 && (xsnprintf(prompt, sizeof prompt, "Should distributed "
	    "operations be checked while running for errors? This can avoid "
	    "timeout issues but will be slower. %s: ", YES_NO(def)) == -1 ||
	    ask_yesno(&q->asker, P(q, Q_DEBUG), prompt, def, &debug) == -1))
		return -1;
	if (store(q, q->config, "debug", ynode_bool(debug)) == -1)
		return -1;
	if (dist == 0)
		machines = 1;
	else if (xsnprintf(prompt, sizeof prompt, "How many machines do you "
	    "want use? [%ld]: ", machines) == -1 ||
	    ask_int(&q->asker, P(q, Q_MACHINES), prompt, machines, 1, INT_MAX,
	    &machines) == -1)
		return -1;
	return store(q, q->config, "num_machines", ynode_int(machines));
}

static int
ask_precision(struct questionnaire *q, int dynamo)
{
	static const struct menu m = { precision_choices, NULL, 4 };
	const char *cur = start_enum(q, "mixed_precision", "no");
	size_t pick;

	if (ask_menu(&q->asker, P(q, Q_PRECISION), "Do you wish to use FP16 or "
	    "BF16 (mixed precision)?", &m, index_of(precision_choices, 4, cur,
	    0), &pick) == -1 ||
	    store(q, q->config, "mixed_precision",
	    ynode_str(precision_choices[pick])) == -1)
		return -1;
	if (dynamo && pick == 0)
		fputs("Torch dynamo used without mixed precision requires TF32 "
		    "to be efficient. Accelerate will enable it by default when "
		    "launching your scripts.\n", q->asker.out);
	return 0;
}

/* The fields the questions do not set: SageMakerConfig's defaults, or
 * what the starting file has. */
static int
fill_defaults(struct questionnaire *q)
{
	static const char *const strs[][2] = {
		{ "gpu_ids", "all" },
		{ "base_job_name", "accelerate-sagemaker-1" },
		{ "pytorch_version", "1.10.2" },
		{ "transformers_version", "4.17.0" },
		{ "py_version", "py38" },
	};
	size_t i;

	for (i = 0; i < NELEM(strs); i++)
		if (ymap_get(q->config, strs[i][0]) == NULL &&
		    store(q, q->config, strs[i][0], ynode_str(strs[i][1])) == -1)
			return -1;
	if (ymap_get(q->config, "enable_cpu_affinity") == NULL &&
	    store(q, q->config, "enable_cpu_affinity", ynode_bool(0)) == -1)
		return -1;
	if (store(q, q->config, "compute_environment",
	    ynode_str("AMAZON_SAGEMAKER")) == -1)
		return -1;
	return store(q, q->config, "use_cpu", ynode_bool(0));
}

/* A flag for a question that was never asked would be silently lost. */
static int
check_presets(struct questionnaire *q)
{
	size_t i;

	for (i = 0; i < Q_COUNT; i++) {
		if (q->preset[i].value != NULL && !q->preset[i].used) {
			q->asker.status = EXIT_USAGE;
			return accel_err("%s: not asked with the other answers "
			    "given", q->preset[i].flag);
		}
	}
	return 0;
}

int
questionnaire_run(struct questionnaire *q)
{
	size_t dist;
	int dynamo;

	if (ask_auth(q) == -1 || ask_region(q) == -1 || ask_role(q) == -1 ||
	    ask_paths(q) == -1 || ask_distributed(q, &dist) == -1 ||
	    ask_dynamo(q, &dynamo) == -1 || ask_instance(q, dist) == -1 ||
	    ask_parallel(q, dist) == -1 || ask_precision(q, dynamo) == -1 ||
	    fill_defaults(q) == -1)
		return -1;
	return check_presets(q);
}

static int
is_field(const char *key)
{
	size_t i;

	for (i = 0; i < NELEM(fields); i++)
		if (strcmp(fields[i], key) == 0)
			return 1;
	return 0;
}

int
config_start(struct ynode *config, const char *name)
{
	struct ynode *n, *next, *dyn;

	/* process_config: fp16: true means mixed_precision fp16 */
	n = ymap_get(config, "fp16");
	if (n != NULL && ymap_get(config, "mixed_precision") == NULL &&
	    n->kind == Y_BOOL && n->i &&
	    ymap_put(config, "mixed_precision", ynode_str("fp16")) == -1)
		return accel_err("out of memory");
	/* ... and dynamo_backend: X means dynamo_config: {dynamo_backend: X} */
	n = ymap_get(config, "dynamo_backend");
	if (n != NULL && n->kind == Y_STR && strcasecmp(n->str, "NO") != 0) {
		dyn = ynode_new(Y_MAP);
		if (dyn == NULL || ymap_put(dyn, "dynamo_backend",
		    ynode_str(n->str)) == -1 ||
		    ymap_put(config, "dynamo_config", dyn) == -1)
			return accel_err("out of memory");
	}
	ymap_del(config, "fp16");
	ymap_del(config, "dynamo_backend");
	for (n = config->child; n != NULL; n = next) {
		next = n->next;
		/* a default is shown in its prompt and must fit an answer */
		if (n->kind == Y_STR && strlen(n->str) > ANSWER_MAX)
			return accel_err("%s: '%s' is longer than %d bytes",
			    name, n->key, ANSWER_MAX);
		if (!is_field(n->key)) {
			accel_warn("%s: ignoring '%s', not a field of a "
			    "SageMaker configuration", name, n->key);
			ymap_del(config, n->key);
		}
	}
	return 0;
}

/*
 * SageMakerConfig.to_dict() drops null and empty top-level values.  It
 * also turns empty maps inside additional_args into null, which changes
 * their meaning (an empty environment: {} becomes environment: null and
 * then replaces the job's environment); those are kept as {}.
 */
void
config_finish(struct ynode *config)
{
	struct ynode *c, *next;

	for (c = config->child; c != NULL; c = next) {
		next = c->next;
		if (c->kind == Y_NULL || (c->kind == Y_MAP && c->child == NULL))
			ymap_del(config, c->key);
	}
}
