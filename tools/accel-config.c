/*
 * accel-config - the SageMaker questionnaire of `accelerate config`:
 * asks accelerate's questions (from standard input, one answer a line, or
 * from flags for CI) and writes the configuration file accelerate would
 * write, byte for byte.  See accel-config(1).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "iamrole.h"
#include "cli.h"
#include "json.h"
#include "pyyaml.h"
#include "questionnaire.h"
#include "util.h"

#define CONFIG_MAX (1 << 20)	/* a --from file; accelerate's are ~400 bytes */
#define OUTPUT_MAX (1 << 20)

static const struct cli_help help = {
	.usage = "usage: accel-config [-y] [-o FILE] [--from FILE] "
	    "[ANSWER-FLAGS...]\n",
	.about = "Ask the SageMaker questions of 'accelerate config' and write "
	    "the file accelerate\nwould write (YAML; JSON when FILE ends in "
	    ".json), byte for byte.  Reads\nanswers from standard input "
	    "(prompts on the terminal, or echoed when the\ninput is not one); "
	    "each answer flag answers one question without asking.\n",
	.options =
	    "  -o, --output FILE   write there (default: accelerate's "
	    "default_config.yaml;\n"
	    "                      '-': standard output)\n"
	    "  --from FILE         start from an existing accelerate config\n"
	    "  -y, --yes           ask nothing: unanswered questions take "
	    "their defaults\n"
	    "  --profile NAME | --no-profile\n"
	    "  --region REGION\n"
	    "  --role NAME | --create-role\n"
	    "  --image-uri URI | --no-image-uri\n"
	    "  --inputs-file TSV | --no-inputs-file\n"
	    "  --metrics-file TSV | --no-metrics-file\n"
	    "  --distributed-type NO|DATA_PARALLEL\n"
	    "  --dynamo-backend NAME | --no-dynamo\n"
	    "  --dynamo-mode MODE, --dynamo-fullgraph yes|no,\n"
	    "  --dynamo-dynamic yes|no, --dynamo-regional-compilation yes|no\n"
	    "  --instance-type TYPE\n"
	    "  --debug yes|no\n"
	    "  --num-machines N\n"
	    "  --mixed-precision no|fp16|bf16|fp8\n",
	.no = "end of input, an unreadable --from file, an unwritable "
	    "output,\n      or IAM refusing the role",
};

/* Long options: each answers one question, and may imply the answer to
 * the yes/no or menu question that leads to it. */
static const struct flag {
	const char *name;
	int has_arg;
	enum qid id;		/* the question the value answers */
	enum qid gate;		/* Q_COUNT: none */
	const char *gate_answer;
} flags[] = {
	{ "--profile", 1, Q_PROFILE, Q_AUTH, "0" },
	{ "--no-profile", 0, Q_AUTH, Q_COUNT, "1" },
	{ "--region", 1, Q_REGION, Q_COUNT, NULL },
	{ "--role", 1, Q_ROLE, Q_ROLE_MENU, "0" },
	{ "--create-role", 0, Q_ROLE_MENU, Q_COUNT, "1" },
	{ "--image-uri", 1, Q_IMAGE, Q_IMAGE_YN, "yes" },
	{ "--no-image-uri", 0, Q_IMAGE_YN, Q_COUNT, "no" },
	{ "--inputs-file", 1, Q_INPUTS, Q_INPUTS_YN, "yes" },
	{ "--no-inputs-file", 0, Q_INPUTS_YN, Q_COUNT, "no" },
	{ "--metrics-file", 1, Q_METRICS, Q_METRICS_YN, "yes" },
	{ "--no-metrics-file", 0, Q_METRICS_YN, Q_COUNT, "no" },
	{ "--distributed-type", 1, Q_DISTRIBUTED, Q_COUNT, NULL },
	{ "--dynamo-backend", 1, Q_DYNAMO_BACKEND, Q_DYNAMO_YN, "yes" },
	{ "--no-dynamo", 0, Q_DYNAMO_YN, Q_COUNT, "no" },
	{ "--dynamo-mode", 1, Q_DYNAMO_MODE, Q_DYNAMO_CUSTOM, "yes" },
	{ "--dynamo-fullgraph", 1, Q_DYNAMO_FULLGRAPH, Q_DYNAMO_CUSTOM, "yes" },
	{ "--dynamo-dynamic", 1, Q_DYNAMO_DYNAMIC, Q_DYNAMO_CUSTOM, "yes" },
	{ "--dynamo-regional-compilation", 1, Q_DYNAMO_REGIONAL, Q_DYNAMO_CUSTOM,
	    "yes" },
	{ "--instance-type", 1, Q_INSTANCE, Q_COUNT, NULL },
	{ "--debug", 1, Q_DEBUG, Q_COUNT, NULL },
	{ "--num-machines", 1, Q_MACHINES, Q_COUNT, NULL },
	{ "--mixed-precision", 1, Q_PRECISION, Q_COUNT, NULL },
};
#define NFLAGS (sizeof flags / sizeof flags[0])

struct options {
	const char *output;	/* NULL: accelerate's default path */
	const char *from;
	int yes;
};

/* Record VALUE, given by FLAG, as the answer to question ID, unless
 * another flag already gave a different one. */
static int
preset(struct questionnaire *q, enum qid id, const char *flag,
    const char *value)
{
	struct preset *p = &q->preset[id];

	if (p->value != NULL && strcmp(p->value, value) != 0) {
		accel_err("%s conflicts with %s", flag, p->flag);
		return -2;
	}
	p->value = value;
	p->flag = flag;
	return 0;
}

static int
take_flag(struct questionnaire *q, const struct flag *f, const char *arg)
{
	if (!f->has_arg)
		return preset(q, f->id, f->name, f->gate_answer);
	if (preset(q, f->id, f->name, arg) != 0)
		return -2;
	if (f->gate != Q_COUNT)
		return preset(q, f->gate, f->name, f->gate_answer);
	return 0;
}

/* Returns -1 to go on, or the status main() exits with. */
static int
parse_args(int argc, char **argv, struct questionnaire *q, struct options *o)
{
	struct option longopts[NFLAGS + 6];
	size_t i;
	int c;

	for (i = NFLAGS; i-- > 0;) {
		longopts[i] = (struct option){ flags[i].name + 2,
		    flags[i].has_arg, NULL, 256 + (int)i };
		/* named in "--yes: no default (give --role)" */
		if (flags[i].has_arg)
			q->preset[flags[i].id].flag = flags[i].name;
	}
	longopts[NFLAGS] = (struct option){ "from", 1, NULL, 'f' };
	longopts[NFLAGS + 1] = (struct option){ "yes", 0, NULL, 'y' };
	longopts[NFLAGS + 2] = (struct option){ "output", 1, NULL, 'o' };
	longopts[NFLAGS + 3] = (struct option){ "help", 0, NULL, 'h' };
	longopts[NFLAGS + 4] = (struct option){ "version", 0, NULL, 'V' };
	longopts[NFLAGS + 5] = (struct option){ NULL, 0, NULL, 0 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:y", longopts, NULL)) != -1) {
		if (c == 'o')
			o->output = optarg;
		else if (c == 'f')
			o->from = optarg;
		else if (c == 'y')
			o->yes = 1;
		else if (c == 'h')
			return cli_help(&help);
		else if (c == 'V')
			return cli_version();
		else if (c < 256 || c >= 256 + (int)NFLAGS)
			return cli_getopt_error(c, argv);
		else if (take_flag(q, &flags[c - 256], optarg) != 0)
			return cli_hint();
	}
	if (optind != argc)
		return cli_usage("unexpected argument '%s'", argv[optind]);
	return -1;
}

/*
 * accelerate's default path: $HF_HOME/accelerate/default_config.yaml, else
 * ${XDG_CACHE_HOME:-~/.cache}/huggingface/accelerate/..., with a leading
 * "~" expanded as os.path.expanduser does; the directory is created.
 */
static int
home_dir(const char **home)
{
	const struct passwd *pw;

	*home = getenv("HOME");
	if (*home == NULL || **home == '\0') {
		pw = getpwuid(getuid());
		*home = pw != NULL ? pw->pw_dir : NULL;
	}
	if (*home == NULL)
		return accel_err("cannot find the home directory for the "
		    "default configuration path; give -o FILE");
	return 0;
}

static int
default_dir(char *dir, size_t size)
{
	const char *hf = getenv("HF_HOME"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = NULL, *base;
	int rc;

	if (hf != NULL && *hf != '\0')
		base = hf;
	else if (xdg != NULL && *xdg != '\0')
		base = xdg;
	else
		base = "~/.cache";
	if (base[0] == '~' && (base[1] == '/' || base[1] == '\0') &&
	    home_dir(&home) == -1)
		return -1;
	if (home != NULL)
		rc = xsnprintf(dir, size, "%s%s%s/accelerate", home, base + 1,
		    base == hf ? "" : "/huggingface");
	else
		rc = xsnprintf(dir, size, "%s%s/accelerate", base,
		    base == hf ? "" : "/huggingface");
	if (rc == -1)
		return accel_err("the default configuration path is too long");
	return 0;
}

static int
make_dirs(char *dir)
{
	char *p;

	for (p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(dir, 0777) == -1 && errno != EEXIST)
			return accel_err("cannot create '%s':", dir);
		*p = c;
		if (c == '\0')
			return 0;
	}
}

static int
is_json(const char *path)
{
	size_t n = strlen(path);

	return n >= 5 && strcmp(path + n - 5, ".json") == 0;
}

/* A JSON --from file as the tree yaml.safe_load would give for it. */
static struct ynode *
from_cjson(const cJSON *j)
{
	struct ynode *n, *c;
	const cJSON *m;
	long long i;

	if (cJSON_IsObject(j) || cJSON_IsArray(j)) {
		n = ynode_new(cJSON_IsObject(j) ? Y_MAP : Y_SEQ);
		for (m = j->child; n != NULL && m != NULL; m = m->next) {
			c = from_cjson(m);
			if (c == NULL || (n->kind == Y_MAP ?
			    ymap_put(n, m->string, c) : (yseq_append(n, c), 0))
			    == -1) {
				ynode_free(n);
				return NULL;
			}
		}
		return n;
	}
	if (cJSON_IsString(j))
		return ynode_str(j->valuestring);
	if (cJSON_IsBool(j))
		return ynode_bool(cJSON_IsTrue(j));
	if (json_int(j, LLONG_MIN, LLONG_MAX, &i) == 0)
		return ynode_int(i);
	if (cJSON_IsNumber(j) && (n = ynode_new(Y_FLOAT)) != NULL)
		n->d = j->valuedouble;
	else
		n = ynode_new(Y_NULL);
	return n;
}

static struct ynode *
load_from(const char *path)
{
	struct ynode *root = NULL;
	struct buf text;
	cJSON *j;

	if (read_file(path, CONFIG_MAX, &text) == -1)
		return NULL;
	if (is_json(path)) {
		j = cJSON_ParseWithLength(text.data, text.len);
		if (j == NULL)
			accel_err("%s: not valid JSON", path);
		else if ((root = from_cjson(j)) == NULL)
			accel_err("out of memory");
		cJSON_Delete(j);
	} else {
		root = pyyaml_load(path, text.data, text.len);
	}
	buf_free(&text);
	if (root != NULL && root->kind != Y_MAP) {
		accel_err("%s: not a configuration (a mapping of keys)", path);
		ynode_free(root);
		return NULL;
	}
	if (root != NULL && config_start(root, path) == -1) {
		ynode_free(root);
		return NULL;
	}
	return root;
}

static cJSON *
to_cjson(const struct ynode *n)
{
	const struct ynode *c;
	cJSON *j, *m;

	switch (n->kind) {
	case Y_MAP:
	case Y_SEQ:
		j = n->kind == Y_MAP ? cJSON_CreateObject() :
		    cJSON_CreateArray();
		for (c = n->child; j != NULL && c != NULL; c = c->next) {
			m = to_cjson(c);
			if (m == NULL || !(n->kind == Y_MAP ?
			    cJSON_AddItemToObject(j, c->key, m) :
			    cJSON_AddItemToArray(j, m))) {
				cJSON_Delete(m);
				cJSON_Delete(j);
				return NULL;
			}
		}
		return j;
	case Y_STR:
		return cJSON_CreateString(n->str);
	case Y_BOOL:
		return cJSON_CreateBool(n->i != 0);
	case Y_INT:
		return cJSON_CreateNumber((double)n->i);
	case Y_FLOAT:
		return cJSON_CreateNumber(n->d);
	default:
		return cJSON_CreateNull();
	}
}

/* to_yaml_file (yaml.safe_dump) or, for a .json path, to_json_file
 * (json.dumps(indent=2, sort_keys=True) and a newline). */
static int
render(const char *path, const struct ynode *config, struct buf *out)
{
	cJSON *j;
	char *text;

	buf_init(out, OUTPUT_MAX);
	if (path == NULL || !is_json(path))
		return pyyaml_dump(out, config) == -1 ?
		    accel_err("cannot write the configuration:") : 0;
	j = to_cjson(config);
	text = j != NULL ? json_dump_file_text(j, OUTPUT_MAX) : NULL;
	cJSON_Delete(j);
	if (text == NULL || buf_puts(out, text) == -1) {
		free(text);
		return accel_err("cannot write the configuration:");
	}
	free(text);
	return 0;
}

/* "Create new IAM role using credentials": the credentials of the profile
 * just answered (or the AWS CLI's chain), in the region just answered. */
static int
create_role(struct questionnaire *q, const char *role)
{
	const struct ynode *profile = ymap_get(q->config, "profile");
	const struct ynode *region = ymap_get(q->config, "region");

	if (iamrole_create(role, profile != NULL ? profile->str : NULL,
	    region != NULL ? region->str : NULL, q->asker.out,
	    &q->asker.status) == -1)
		return -1;
	return 0;
}

static int
output_path(struct options *o, char *path, size_t size)
{
	char dir[PATH_MAX];

	if (o->output != NULL)
		return xsnprintf(path, size, "%s", o->output) == -1 ?
		    accel_err("'%s': path too long", o->output) : 0;
	if (default_dir(dir, sizeof dir) == -1 || make_dirs(dir) == -1)
		return -1;
	return xsnprintf(path, size, "%s/default_config.yaml", dir) == -1 ?
	    accel_err("the default configuration path is too long") : 0;
}

int
main(int argc, char **argv)
{
	struct questionnaire q;
	struct options o;
	char path[PATH_MAX];
	struct buf out;
	const char *term;
	int status = EXIT_NO;

	accel_prog = "accel-config";
	memset(&q, 0, sizeof q);
	memset(&o, 0, sizeof o);
	if ((status = parse_args(argc, argv, &q, &o)) != -1)
		return status;
	status = EXIT_NO;
	q.create_role = create_role;
	q.asker.in = stdin;
	q.asker.echo = !isatty(STDIN_FILENO);
	q.asker.assume_defaults = o.yes;
	q.config = o.from ? load_from(o.from) : ynode_new(Y_MAP);
	if (q.config == NULL)
		return EXIT_NO;
	if (output_path(&o, path, sizeof path) == -1)
		goto out;
	/* the prompts go where the file does not */
	q.asker.out = strcmp(path, "-") == 0 ? stderr : stdout;
	term = getenv("TERM");
	q.asker.tty = !q.asker.echo && isatty(fileno(q.asker.out)) &&
	    term != NULL && strcmp(term, "dumb") != 0;
	if (questionnaire_run(&q) == -1) {
		if (q.asker.status != EXIT_OK)
			status = q.asker.status;
		if (status == EXIT_USAGE)	/* a flag's answer was refused */
			cli_hint();
		goto out;
	}
	config_finish(q.config);
	if (render(path, q.config, &out) == -1)
		goto out;
	fflush(q.asker.out);
	if (write_output(path, out.data, out.len) != -1) {
		status = EXIT_OK;
		if (strcmp(path, "-") != 0)
			fprintf(q.asker.out, "accelerate configuration saved "
			    "at %s\n", path);
	}
	buf_free(&out);
out:
	ynode_free(q.config);
	return status;
}
