/*
 * accel-fetch - bring a training job's model home: download the artifact
 * (parallel ranged GETs, resumable, verified), extract it safely beside
 * the model directory, then put it in place in one rename.
 * See accel-fetch.1.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "creds.h"
#include "fetch.h"
#include "fetchrun.h"
#include "progress.h"
#include "util.h"

#define DEFAULT_DIR "model"

struct opts {
	const char *dir, *source;
	int output, verbose, threads, progress;
	long long part_size;
	struct extract_limits limits;
};

static const struct cli_help help = {
	.usage = "usage: accel-fetch [-v] [-o DIR] [--output] [-j THREADS] "
	    "[--part-size SIZE]\n"
	    "                   [--max-entry SIZE] [--max-total SIZE] "
	    "STATUS.json|URI\n",
	.about = "Fetch the model of a training job (named by the status.json "
	    "accel-wait\nwrites, or an s3:// or file:// URI of model.tar.gz), "
	    "check it against its\nETag, unpack it safely and put it in place "
	    "of DIR in one rename.\n",
	.options =
	    "  -o DIR              the model directory (default: model)\n"
	    "  --output            also fetch output.tar.gz into DIR/output\n"
	    "  -j THREADS          parallel range downloads (default "
	    CLI_STR(FETCH_DEFAULT_THREADS) ")\n"
	    "  --part-size SIZE    bytes per range (at least 1M)\n"
	    "  --max-entry SIZE    refuse an archive entry larger than SIZE "
	    "(default 64G)\n"
	    "  --max-total SIZE    refuse an archive larger than SIZE unpacked "
	    "(default 256G)\n"
	    "  -v                  say what was verified; -vv logs every HTTP "
	    "attempt\n"
	    "  SIZE is bytes, or a number with K, M, G or T (powers of 1024)\n",
	.no = "no such object or file, no model, an archive refused, or bytes\n"
	    "      that do not match the ETag",
};

/* SIZE: bytes, or a number with K, M, G or T (powers of 1024). */
static int
parse_size(const char *s, long long *out)
{
	static const char units[] = "KMGT";
	char num[32];
	const char *u;
	size_t n = strlen(s);
	long v;
	int shift = 0;

	if (n == 0 || n >= sizeof num)
		return -1;
	memcpy(num, s, n + 1);
	if ((u = strchr(units, num[n - 1])) != NULL && num[n - 1] != '\0') {
		shift = 10 * (int)(u - units + 1);
		num[n - 1] = '\0';
	}
	if (parse_long(num, 1, LONG_MAX >> shift, &v) == -1)
		return -1;
	*out = (long long)v << shift;
	return 0;
}

/* Returns -1 to go on, or the status main() exits with. */
static int
parse_args(int argc, char *argv[], struct opts *o)
{
	static const struct option longs[] = {
		{ "output", no_argument, NULL, 'O' },
		{ "max-entry", required_argument, NULL, 'E' },
		{ "max-total", required_argument, NULL, 'T' },
		{ "part-size", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	long n;
	int c;

	o->dir = DEFAULT_DIR;
	o->threads = FETCH_DEFAULT_THREADS;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:j:vh", longs, NULL)) != -1) {
		switch (c) {
		case 'o': o->dir = optarg; break;
		case 'O': o->output = 1; break;
		case 'v': o->verbose++; break;
		case 'j':
			if (parse_long(optarg, 1, FETCH_MAX_THREADS, &n) == -1)
				return cli_usage("-j wants 1 to %d threads, not "
				    "'%s'", FETCH_MAX_THREADS, optarg);
			o->threads = (int)n;
			break;
		case 'E':
		case 'T':
		case 'P':
			if (parse_size(optarg, c == 'E' ? &o->limits.max_entry :
			    c == 'T' ? &o->limits.max_total : &o->part_size) ==
			    -1)
				return cli_usage("bad size '%s' (bytes, or with "
				    "K, M, G, T)", optarg);
			break;
		case 'h': return cli_help(&help);
		case 'V': return cli_version();
		default: return cli_getopt_error(c, argv);
		}
	}
	if (optind == argc)
		return cli_usage("no STATUS.json or URI given");
	if (optind != argc - 1)
		return cli_usage("one STATUS.json or URI at a time");
	if (o->dir[0] == '\0')
		return cli_usage("-o wants a directory name");
	if (o->part_size != 0 && o->part_size < (1 << 20))
		return cli_usage("--part-size must be at least 1M");
	o->source = argv[optind];
	return -1;
}

static const char *
region(const struct creds_provider *p)
{
	const char *r = creds_region(p);

	return r != NULL && *r != '\0' ? r : "us-east-1";
}

/* The S3 client, with the AWS CLI's credentials and endpoint settings. */
static int
s3_client(struct aws_client *c, struct creds_provider **prov, int verbose)
{
	struct creds_options co = { 0 };
	struct aws_creds_provider cp;
	char err[512];

	if ((*prov = creds_provider_new(&co, err, sizeof err)) == NULL)
		return accel_err("%s", err);
	cp.get = creds_get;
	cp.ctx = *prov;
	if (aws_client_init(c, AWS_S3, region(*prov), NULL, NULL, &cp, err,
	    sizeof err) == -1) {
		creds_provider_free(*prov);
		*prov = NULL;
		return accel_err("%s", err);
	}
	c->verbose = verbose > 1;
	return 0;
}

/* DIR.partial: where .part files wait between runs. */
static int
partial_dir(const char *dir, char *out, size_t len)
{
	char base[PATH_MAX];
	size_t n;

	if (xsnprintf(base, sizeof base, "%s", dir) == -1)
		return -1;
	for (n = strlen(base); n > 1 && base[n - 1] == '/'; n--)
		base[n - 1] = '\0';
	return xsnprintf(out, len, "%s.partial", base);
}

static int
fetch_all(struct fetch_ctx *f, const struct opts *o,
    const struct fetch_source *src, const char *tmp, const char *partial)
{
	struct fetch_job job = { .uri = &src->model, .partial = partial,
	    .name = "model", .kms = src->kms, .limits = &o->limits };
	struct fetch_uri out;
	char sub[PATH_MAX];

	if (src->prefix) {
		if (fetch_prefix(f, &job, tmp) == -1)
			return -1;
	} else if (fetch_archive(f, &job, tmp) == -1)
		return -1;
	if (!o->output)
		return 0;
	if (fetch_output_uri(&src->model, &out) == -1 ||
	    xsnprintf(sub, sizeof sub, "%s/output", tmp) == -1) {
		f->status = EXIT_NO;
		return accel_err("output.tar.gz: name too long");
	}
	if (mkdir(sub, 0755) == -1) {
		f->status = EXIT_NO;
		return accel_err("cannot create '%s' (the model has an "
		    "'output' entry?):", sub);
	}
	job.uri = &out;
	job.name = "output";
	return fetch_archive(f, &job, sub);
}

static void
report(const struct fetch_ctx *f, const struct opts *o)
{
	if (o->verbose)
		fprintf(stderr, "%s: %s: %lld bytes fetched, %lld resumed\n",
		    accel_prog, o->dir, f->fetched, f->resumed);
}

static int
run(struct opts *o)
{
	struct fetch_ctx f = { .threads = o->threads, .part_size =
	    o->part_size, .verbose = o->verbose, .status = EXIT_NO };
	struct creds_provider *prov = NULL;
	struct fetch_source src;
	struct aws_client c;
	char tmp[PATH_MAX], partial[PATH_MAX];
	int rc = -1;

	if (fetch_source_read(o->source, &src) == -1)
		return EXIT_NO;
	if (partial_dir(o->dir, partial, sizeof partial) == -1) {
		accel_err("'%s': path too long", o->dir);
		return EXIT_USAGE;
	}
	if (src.model.kind == FETCH_S3) {
		if (s3_client(&c, &prov, o->verbose) == -1)
			return EXIT_NO;
		f.s3 = &c;
		f.progress = progress_new(stderr, isatty(STDERR_FILENO));
	}
	if (fetch_tempdir(o->dir, tmp, sizeof tmp) == -1)
		goto out;
	if (fetch_all(&f, o, &src, tmp, partial) == 0 &&
	    fetch_place(tmp, o->dir) == 0)
		rc = 0;
	else
		fetch_tempdir_remove(tmp);
	rmdir(partial);		/* when empty: nothing left to resume */
	report(&f, o);
out:
	progress_free(f.progress);
	if (f.s3 != NULL) {
		aws_client_free(&c);
		creds_provider_free(prov);
	}
	return rc == 0 ? EXIT_OK : f.status;
}

/* The first signal stops cleanly (the part file stays); a second kills. */
static void
on_signal(int sig)
{
	fetch_interrupted = 1;
	signal(sig, SIG_DFL);
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int
main(int argc, char *argv[])
{
	struct opts o = { 0 };
	int status;

	accel_prog = "accel-fetch";
	catch_signals();
	if ((status = parse_args(argc, argv, &o)) != -1)
		return status;
	return run(&o);
}
