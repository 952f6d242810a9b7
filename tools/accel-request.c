/*
 * accel-request - the CreateTrainingJob request and sourcedir.tar.gz for a
 * script and its arguments, from accel-validate's config.json.  Pure: no
 * network, no clock, no credentials.  See accel-request(1).
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "hparams.h"
#include "jobname.h"
#include "json.h"
#include "request.h"
#include "sourcedir.h"
#include "util.h"

#define CONFIG_MAX (1 << 20)		/* config.json */
#define REQUEST_MAX (4 << 20)		/* request.json we write */
#define RUN_MAX 1000000000L		/* --run / ACCEL_RUN */
#define MAX_FILES_LIMIT 10000000L	/* the most --max-files may be */

struct opts {
	const char *config;
	const char *out;
	const char *source_dir;
	const char *requirements;
	const char *job_name;
	long run;
	long max_files;
	long max_bytes;
	const char *script;
	int nargs;
	char **args;
};

static const struct cli_help help = {
	.usage = "usage: accel-request [-c CONFIG.json] [-o REQUEST.json] "
	    "[--source-dir DIR]\n"
	    "                     [--requirements FILE] [--job-name NAME] "
	    "[--run N]\n"
	    "                     [--max-files N] [--max-bytes N]\n"
	    "                     SCRIPT [SCRIPT_ARGS...]\n",
	.about = "Write the CreateTrainingJob request that 'accelerate launch' "
	    "would send for\nSCRIPT and its arguments, and the code archive "
	    "sourcedir.tar.gz beside it.\nReads the normalized config "
	    "accel-validate writes, the script and its source\ndirectory.  "
	    "Pure: no network, no clock, no credentials.  Options come "
	    "before\nSCRIPT; everything after it belongs to the script.\n",
	.options =
	    "  -c, --config CONFIG.json\n"
	    "                      the normalized config (default "
	    ".accel/config.json)\n"
	    "  -o, --output REQUEST.json\n"
	    "                      the request (default .accel/request.json; "
	    "'-': stdout)\n"
	    "  --source-dir DIR    the directory archived as the code "
	    "(default: SCRIPT's)\n"
	    "  --requirements FILE put FILE in the archive as "
	    "requirements.txt\n"
	    "  --job-name NAME     use NAME instead of the derived job name\n"
	    "  --run N             a run counter that enters the digest "
	    "(default $ACCEL_RUN\n"
	    "                      or 0): a deliberate new job for unchanged "
	    "inputs\n"
	    "  --max-files N       at most N files and directories in the "
	    "archive\n"
	    "  --max-bytes N       at most N bytes of file content in the "
	    "archive\n",
	.no = "the config, the source tree or the script cannot make a "
	    "valid request",
};

static int
parse_run(const char *s, const char *what, long *out)
{
	if (parse_long(s, 0, RUN_MAX, out) == -1) {
		cli_usage("%s must be a whole number from 0 to %ld, not '%s'",
		    what, RUN_MAX, s);
		return -1;
	}
	return 0;
}

/* Returns -1 to go on, or the status main() exits with. */
static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "source-dir", required_argument, NULL, 'S' },
		{ "requirements", required_argument, NULL, 'R' },
		{ "job-name", required_argument, NULL, 'J' },
		{ "run", required_argument, NULL, 'N' },
		{ "max-files", required_argument, NULL, 'F' },
		{ "max-bytes", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *env = getenv("ACCEL_RUN");
	int ch;

	o->config = ".accel/config.json";
	o->out = ".accel/request.json";
	if (env != NULL && *env != '\0' &&
	    parse_run(env, "ACCEL_RUN", &o->run) == -1)
		return EXIT_USAGE;
	/* '+': the first operand is the script; the rest are its own */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:c:o:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c': o->config = optarg; break;
		case 'o': o->out = optarg; break;
		case 'S': o->source_dir = optarg; break;
		case 'R': o->requirements = optarg; break;
		case 'J': o->job_name = optarg; break;
		case 'N':
			if (parse_run(optarg, "--run", &o->run) == -1)
				return EXIT_USAGE;
			break;
		case 'F':
			if (parse_long(optarg, 1, MAX_FILES_LIMIT,
			    &o->max_files) == -1) {
				return cli_usage("--max-files must be a whole "
				    "number from 1 to %ld, not '%s'",
				    MAX_FILES_LIMIT, optarg);
			}
			break;
		case 'B':
			if (parse_long(optarg, 1, (long)ARCHIVE_LIMIT_BYTES,
			    &o->max_bytes) == -1) {
				return cli_usage("--max-bytes must be a whole "
				    "number from 1 to %llu, not '%s'",
				    ARCHIVE_LIMIT_BYTES, optarg);
			}
			break;
		case 'h': return cli_help(&help);
		case 'V': return cli_version();
		default: return cli_getopt_error(ch, argv);
		}
	}
	if (optind >= argc)
		return cli_usage("no training script given");
	if (o->job_name != NULL && !jobname_valid(o->job_name))
		return cli_usage("--job-name '%s' is not a SageMaker job name "
		    "(1-63 letters, digits and inner hyphens)", o->job_name);
	o->script = argv[optind];
	o->nargs = argc - optind - 1;
	o->args = argv + optind + 1;
	return -1;
}

/* PATH's directory part, "." when it has none, into OUT. */
static int
dir_of(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xsnprintf(out, size, ".");
	if (slash == path)
		return xsnprintf(out, size, "/");
	return xsnprintf(out, size, "%.*s", (int)(slash - path), path);
}

/*
 * The script's path inside the source directory (sagemaker_program),
 * from the real path of its directory, so a symlinked script keeps its
 * own name.  Also checks what accelerate checks: a .py file.
 */
static int
program_path(const char *script, const char *source_dir, char *out,
    size_t size)
{
	char dir[PATH_MAX], rdir[PATH_MAX], rsrc[PATH_MAX];
	const char *base = strrchr(script, '/');
	struct stat st;
	size_t n;

	base = base != NULL ? base + 1 : script;
	n = strlen(base);
	if (n < 4 || strcmp(base + n - 3, ".py") != 0)
		return accel_err("Your training script should be a python "
		    "script and not \"%s\"", base);
	if (stat(script, &st) == -1)
		return accel_err("cannot open '%s':", script);
	if (!S_ISREG(st.st_mode))
		return accel_err("'%s' is not a file", script);
	if (dir_of(script, dir, sizeof dir) == -1 ||
	    realpath(dir, rdir) == NULL)
		return accel_err("cannot open '%s':", script);
	if (realpath(source_dir, rsrc) == NULL)
		return accel_err("cannot open '%s':", source_dir);
	n = strlen(rsrc);
	if (strcmp(rsrc, "/") == 0)
		n = 0;
	if (strcmp(rdir, rsrc) == 0)
		return xsnprintf(out, size, "%s", base);
	if (strncmp(rdir, rsrc, n) != 0 || rdir[n] != '/')
		return accel_err("the script '%s' is not inside the source "
		    "directory '%s'", script, source_dir);
	return xsnprintf(out, size, "%s/%s", rdir + n + 1, base);
}

static const char *
base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* Our own outputs, when they fall inside the source directory. */
static int
outputs_inside(const char *source_dir, const char *out_dir,
    const char *out_base, char skip[2][PATH_MAX])
{
	char rsrc[PATH_MAX], rout[PATH_MAX];
	const char *rel;
	size_t n;

	if (realpath(source_dir, rsrc) == NULL ||
	    realpath(out_dir, rout) == NULL)
		return 0;
	n = strlen(rsrc);
	if (strcmp(rout, rsrc) == 0)
		rel = "";
	else if (strncmp(rout, rsrc, n) == 0 && rout[n] == '/')
		rel = rout + n + 1;
	else
		return 0;
	if (xsnprintf(skip[0], PATH_MAX, "%s%s%s", rel, *rel ? "/" : "",
	    out_base) == -1 || xsnprintf(skip[1], PATH_MAX,
	    "%s%ssourcedir.tar.gz", rel, *rel ? "/" : "") == -1)
		return -1;
	return 1;
}

static cJSON *
read_config(const char *path)
{
	struct buf b;
	cJSON *c;

	if (read_file(path, CONFIG_MAX, &b) == -1)
		return NULL;
	c = cJSON_ParseWithLength(b.data, b.len);
	buf_free(&b);
	if (!cJSON_IsObject(c)) {
		cJSON_Delete(c);
		accel_err("%s: not a JSON object (write it with "
		    "accel-validate)", path);
		return NULL;
	}
	return c;
}

static cJSON *
archive_meta(const struct archive_result *ar)
{
	cJSON *a = cJSON_CreateObject();

	if (a == NULL)
		return NULL;
	cJSON_AddStringToObject(a, "file", "sourcedir.tar.gz");
	cJSON_AddNumberToObject(a, "bytes", (double)ar->gz.len);
	cJSON_AddStringToObject(a, "sha256", ar->gz_sha256);
	cJSON_AddStringToObject(a, "tar_sha256", ar->tar_sha256);
	cJSON_AddNumberToObject(a, "files", (double)ar->files);
	cJSON_AddNumberToObject(a, "content_bytes", (double)ar->bytes);
	return a;
}

/* {"CreateTrainingJob": BODY, "accel": {...}}; takes BODY. */
static cJSON *
document(cJSON *body, const cJSON *config, const struct archive_result *ar,
    const char *digest, const char *name, long run)
{
	cJSON *doc = cJSON_CreateObject(), *meta, *role, *region;

	if (doc == NULL || (meta = cJSON_AddObjectToObject(doc,
	    "accel")) == NULL) {
		cJSON_Delete(doc);
		cJSON_Delete(body);
		return NULL;
	}
	cJSON_AddItemToObject(doc, "CreateTrainingJob", body);
	cJSON_AddItemToObject(meta, "archive", archive_meta(ar));
	cJSON_AddStringToObject(meta, "digest", digest);
	cJSON_AddStringToObject(meta, "job_name", name);
	region = cJSON_GetObjectItemCaseSensitive(config, "region");
	cJSON_AddStringToObject(meta, "region", cJSON_IsString(region) ?
	    region->valuestring : "us-east-1");
	role = cJSON_GetObjectItemCaseSensitive(config, "iam_role_name");
	if (cJSON_IsString(role) && strchr(role->valuestring, '/') == NULL)
		cJSON_AddStringToObject(meta, "role_name", role->valuestring);
	cJSON_AddNumberToObject(meta, "run", (double)run);
	cJSON_AddNumberToObject(meta, "version", 1);
	return doc;
}

/* The body's digest, then the name put in place of {{job_name}}. */
static int
name_job(cJSON *body, const struct opts *o, const cJSON *config,
    const struct archive_result *ar, char digest[SHA256_HEX_LEN + 1],
    char name[JOBNAME_MAX + 1])
{
	const cJSON *base = cJSON_GetObjectItemCaseSensitive(config,
	    "base_job_name");
	struct buf text;
	int rc;

	buf_init(&text, REQUEST_MAX);
	if (json_dump(&text, body, JSON_COMPACT) == -1)
		return accel_err("the request is larger than %d bytes",
		    REQUEST_MAX);
	rc = jobname_digest(text.data, text.len, ar->tar_sha256, o->run,
	    digest);
	buf_free(&text);
	if (rc == -1)
		return accel_err("cannot hash the request");
	if (o->job_name != NULL)
		rc = xsnprintf(name, JOBNAME_MAX + 1, "%s", o->job_name);
	else
		rc = jobname_make(cJSON_IsString(base) ? base->valuestring :
		    "accelerate-sagemaker-1", digest, name);
	if (rc == -1 || !jobname_valid(name))
		return accel_err("%s: base_job_name: '%s' does not make a "
		    "valid job name (letters, digits and inner hyphens)",
		    o->config, cJSON_IsString(base) ? base->valuestring : "");
	return request_substitute(body, REQUEST_PH_JOB, name) == -1 ?
	    accel_err("cannot build the request:") : 0;
}

static int
write_results(const struct opts *o, const char *archive_path,
    const struct archive_result *ar, const cJSON *doc, const char *name,
    const cJSON *config)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(config,
	    "ec2_instance_type");
	const cJSON *count = cJSON_GetObjectItemCaseSensitive(config,
	    "num_machines");
	char *text;
	int rc;

	/* the archive first: a request.json always has its archive */
	if (write_output(archive_path, ar->gz.data, ar->gz.len) == -1)
		return -1;
	fprintf(stderr, "%s: %s: %zu files, %zu bytes (%zu compressed), "
	    "sha256 %s\n", accel_prog, archive_path, ar->files,
	    (size_t)ar->bytes, ar->gz.len, ar->gz_sha256);
	text = json_dump_file_text(doc, REQUEST_MAX);
	if (text == NULL)
		return accel_err("the request is larger than %d bytes",
		    REQUEST_MAX);
	rc = write_output(o->out, text, strlen(text));
	free(text);
	if (rc == -1)
		return -1;
	fprintf(stderr, "%s: %s: job %s, %.0f x %s%s\n", accel_prog,
	    strcmp(o->out, "-") == 0 ? "<stdout>" : o->out, name,
	    cJSON_IsNumber(count) ? count->valuedouble : 1,
	    cJSON_IsString(type) ? type->valuestring : "?",
	    rc == 0 ? " (unchanged)" : "");
	return 0;
}

static int
run(const struct opts *o)
{
	char src[PATH_MAX], outdir[PATH_MAX], arch[PATH_MAX];
	char program[PATH_MAX], skipbuf[2][PATH_MAX];
	char digest[SHA256_HEX_LEN + 1], name[JOBNAME_MAX + 1];
	const char *skip[3] = { NULL, NULL, NULL };
	struct archive_result ar;
	struct request_in in;
	cJSON *config = NULL, *hp = NULL, *body = NULL, *doc = NULL;
	int rc = EXIT_NO, inside;

	if ((hp = hparams_from_args(o->nargs, o->args)) == NULL)
		return cli_hint();	/* the script arguments are argv too */
	if (o->source_dir != NULL ? xsnprintf(src, sizeof src, "%s",
	    o->source_dir) == -1 : dir_of(o->script, src, sizeof src) == -1) {
		accel_err("cannot open '%s': name too long", o->script);
		goto out;
	}
	if (strcmp(o->out, "-") == 0)
		xsnprintf(outdir, sizeof outdir, ".");
	else if (dir_of(o->out, outdir, sizeof outdir) == -1)
		goto out;
	if (mkdir(outdir, 0777) == -1 && errno != EEXIST) {
		accel_err("cannot create '%s':", outdir);
		goto out;
	}
	if (xsnprintf(arch, sizeof arch, "%s/sourcedir.tar.gz", outdir) == -1 ||
	    program_path(o->script, src, program, sizeof program) == -1 ||
	    (config = read_config(o->config)) == NULL ||
	    (inside = outputs_inside(src, outdir, base_of(o->out),
	    skipbuf)) == -1)
		goto out;
	if (inside) {
		skip[0] = skipbuf[0];
		skip[1] = skipbuf[1];
	}
	struct archive_opts ao = { src, o->requirements, program, skip,
	    (unsigned long)o->max_files, (unsigned long long)o->max_bytes };
	if (archive_build(&ao, &ar) == -1)
		goto out;
	in = (struct request_in){ config, o->config, hp, program };
	if ((body = request_body(&in)) == NULL ||
	    name_job(body, o, config, &ar, digest, name) == -1)
		goto out_archive;
	doc = document(body, config, &ar, digest, name, o->run);
	body = NULL;
	if (doc == NULL)
		accel_err("cannot build the request:");
	else if (write_results(o, arch, &ar, doc, name, config) == 0)
		rc = EXIT_OK;
out_archive:
	archive_result_free(&ar);
out:
	cJSON_Delete(body);
	cJSON_Delete(doc);
	cJSON_Delete(config);
	cJSON_Delete(hp);
	return rc;
}

int
main(int argc, char **argv)
{
	struct opts o = { 0 };
	int rc;

	accel_prog = "accel-request";
	if ((rc = parse_args(argc, argv, &o)) != -1)
		return rc;
	return run(&o);
}
