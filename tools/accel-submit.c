/*
 * accel-submit - start the training job of REQUEST.json, exactly once:
 * resolve the account's placeholders, upload the code archive, create the
 * job, or attach to the job the same inputs started before.  JOB.json says
 * which.  See accel-submit(1).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "request.h"
#include "submit.h"
#include "util.h"

#define BODY_MAX (4 << 20)		/* the body --dry-run prints */

struct opts {
	const char *out;
	const char *request;
	int dry_run;
	int verbose;
	const char *account;
	const char *role_arn;
	const char *bucket;
};

static const struct cli_help help = {
	.usage = "usage: accel-submit [-v] [-o JOB.json] REQUEST.json\n"
	    "       accel-submit --dry-run [--account ID] [--role-arn ARN] "
	    "[--bucket NAME]\n"
	    "                    REQUEST.json\n",
	.about = "Send the request accel-request wrote: resolve what needs the "
	    "account, upload\nthe code archive beside REQUEST.json and create "
	    "the training job, or attach\nto the job the same inputs started "
	    "before.  Writes JOB.json, which accel-wait\nand accel-fetch "
	    "read.\n",
	.options =
	    "  -o, --output JOB.json\n"
	    "                      the job's record (default: job.json beside "
	    "REQUEST.json)\n"
	    "  --dry-run           print the body that would be sent; send "
	    "and write nothing\n"
	    "  --account ID        with --dry-run: the 12-digit account\n"
	    "  --role-arn ARN      with --dry-run: the role ARN\n"
	    "  --bucket NAME       with --dry-run: the bucket for the code\n"
	    "  -v, --verbose       each HTTP attempt on standard error\n",
	.no = "refused: a stale or malformed request, a collision, a missing "
	    "role,\n      or an AWS error that a rerun would not cure",
};

/* Returns -1 when the flags agree, else EXIT_USAGE. */
static int
check_flags(const struct opts *o)
{
	size_t n;

	if (!o->dry_run && (o->account || o->role_arn || o->bucket))
		return cli_usage("--account, --role-arn and --bucket go with "
		    "--dry-run: a submission finds them in AWS");
	if (o->account != NULL && ((n = strlen(o->account)) != 12 ||
	    strspn(o->account, "0123456789") != n))
		return cli_usage("--account must be 12 digits, not '%s'",
		    o->account);
	if (o->role_arn != NULL && (strncmp(o->role_arn, "arn:", 4) != 0 ||
	    strstr(o->role_arn, ":role/") == NULL ||
	    strlen(o->role_arn) > SUBMIT_ROLE_ARN_MAX))
		return cli_usage("--role-arn must be a role ARN (arn:aws:iam::"
		    "ACCOUNT:role/NAME), not '%s'", o->role_arn);
	if (o->bucket != NULL && !s3_bucket_name_ok(o->bucket))
		return cli_usage("--bucket '%s' is no S3 bucket name (3 to 63 "
		    "of a-z, 0-9, '.' and '-')", o->bucket);
	return -1;
}

/* Returns -1 to go on, or the status main() exits with. */
static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "account", required_argument, NULL, 'A' },
		{ "role-arn", required_argument, NULL, 'R' },
		{ "bucket", required_argument, NULL, 'B' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	memset(o, 0, sizeof *o);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":o:vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o': o->out = optarg; break;
		case 'n': o->dry_run = 1; break;
		case 'A': o->account = optarg; break;
		case 'R': o->role_arn = optarg; break;
		case 'B': o->bucket = optarg; break;
		case 'v': o->verbose = 1; break;
		case 'h': return cli_help(&help);
		case 'V': return cli_version();
		default: return cli_getopt_error(ch, argv);
		}
	}
	if (optind == argc)
		return cli_usage("no REQUEST.json given");
	if (optind != argc - 1)
		return cli_usage("one REQUEST.json at a time");
	o->request = argv[optind];
	return check_flags(o);
}

static int
open_session(struct aws_session *s, const struct submit_request *r,
    int verbose, int *status)
{
	char err[512];

	if (aws_session_open(s, r->region, err, sizeof err) == -1) {
		*status = EXIT_NO;
		return accel_err("%s", err);
	}
	s->verbose = verbose;
	return 0;
}

/* What the flags give: an account makes the bucket and the role's ARN. */
static void
values_from_flags(const struct opts *o, const struct submit_request *r,
    struct submit_values *v)
{
	memset(v, 0, sizeof *v);
	if (o->account != NULL)
		snprintf(v->account, sizeof v->account, "%s", o->account);
	if (o->bucket != NULL)
		snprintf(v->bucket, sizeof v->bucket, "%s", o->bucket);
	else if (v->account[0] != '\0' && submit_needs_bucket(r) &&
	    submit_default_bucket(r->region, v->account, v->bucket) == 0)
		v->default_bucket = 1;
	if (o->role_arn != NULL)
		snprintf(v->role_arn, sizeof v->role_arn, "%s", o->role_arn);
	else if (v->account[0] != '\0' && r->role_name != NULL &&
	    submit_needs_role(r) && submit_role_arn_from(r->region,
	    v->account, r->role_name, v->role_arn, sizeof v->role_arn) == -1)
		v->role_arn[0] = '\0';
}

/* --dry-run: the body as it would be sent, on standard output. */
static int
dry_run(const struct opts *o, struct submit_request *r)
{
	struct submit_values v;
	struct aws_session s;
	struct submit_code code;
	int status = EXIT_NO, rc = 0;
	char *text;

	values_from_flags(o, r, &v);
	if ((submit_needs_bucket(r) && v.bucket[0] == '\0') ||
	    (submit_needs_role(r) && v.role_arn[0] == '\0')) {
		/* read-only calls: GetCallerIdentity, GetRole */
		if (open_session(&s, r, o->verbose, &status) == -1)
			return status;
		rc = submit_find_values(&s, r, &v, &status);
		aws_session_close(&s);
		if (rc == -1) {
			accel_err("--dry-run: give --account (and --bucket or "
			    "--role-arn) to resolve the request without AWS");
			return status;
		}
	}
	if (submit_resolve(r, &v, &status) == -1 ||
	    submit_code_location(r, &code, &status) == -1)
		return status;
	text = json_dump_file_text(r->body, BODY_MAX);
	if (text == NULL)
		return accel_err("cannot print the body:"), EXIT_NO;
	rc = write_output("-", text, strlen(text));
	free(text);
	if (rc == -1)
		return EXIT_NO;
	fprintf(stderr, "%s: dry run: would upload %s (%lld bytes) to "
	    "s3://%s/%s and create training job %s; nothing was sent\n",
	    accel_prog, r->archive, r->archive_bytes, code.bucket, code.key,
	    r->job_name);
	return EXIT_OK;
}

/* OUT, or job.json beside REQUEST.json. */
static int
job_path(const struct opts *o, char *out, size_t len)
{
	const char *slash = strrchr(o->request, '/');

	if (o->out != NULL)
		return xsnprintf(out, len, "%s", o->out);
	return xsnprintf(out, len, "%.*sjob.json", slash == NULL ? 0 :
	    (int)(slash - o->request + 1), o->request);
}

static int
write_job(const struct opts *o, const struct submit_request *r,
    const struct submit_job *job, const struct aws_client *sm)
{
	char path[PATH_MAX], endpoint[ENDPOINT_MAX_HOST + ENDPOINT_MAX_PATH +
	    16];
	char *text;
	int rc;

	if (job_path(o, path, sizeof path) == -1)
		return accel_err("the JOB.json path is too long");
	if (aws_session_endpoint_url(sm, endpoint, sizeof endpoint) == -1)
		return accel_err("the endpoint URL is too long");
	if ((text = submit_job_text(r, job, endpoint)) == NULL)
		return -1;
	rc = write_output(path, text, strlen(text));
	free(text);
	if (rc == -1)
		return -1;
	fprintf(stderr, "%s: %s: %s\n", accel_prog, path, job->arn);
	return 0;
}

/* Everything but the first look at the job: values, bucket, code, job. */
static int
create(struct aws_session *s, struct aws_client *sm, struct submit_request *r,
    struct submit_job *job, int *status)
{
	struct submit_values v;
	struct submit_code code;
	int uploaded;

	memset(&v, 0, sizeof v);
	if (submit_find_values(s, r, &v, status) == -1 ||
	    submit_resolve(r, &v, status) == -1 ||
	    submit_code_location(r, &code, status) == -1 ||
	    submit_ensure_bucket(s, &v, status) == -1 ||
	    submit_upload(s, r, &v, &code, &uploaded, status) == -1)
		return -1;
	return submit_create_job(sm, r, job, status);
}

static int
submit(const struct opts *o, struct submit_request *r)
{
	struct aws_session s;
	struct aws_client sm;
	struct submit_job job;
	int status = EXIT_NO, rc;
	char err[512];

	if (open_session(&s, r, o->verbose, &status) == -1)
		return status;
	if (aws_session_client(&s, AWS_SAGEMAKER, &sm, err, sizeof err) ==
	    -1) {
		aws_session_close(&s);
		return accel_err("%s", err), EXIT_NO;
	}
	/* a rerun, a second runner, or a rerun after a crash: attach */
	rc = submit_find_job(&sm, r, &job, &status);
	if (rc == 0)
		rc = create(&s, &sm, r, &job, &status);
	if (rc != -1 && write_job(o, r, &job, &sm) == -1) {
		status = EXIT_NO;
		rc = -1;
	}
	aws_client_free(&sm);
	aws_session_close(&s);
	return rc == -1 ? status : EXIT_OK;
}

int
main(int argc, char **argv)
{
	struct submit_request r;
	struct opts o;
	int status;

	accel_prog = "accel-submit";
	if ((status = parse_args(argc, argv, &o)) != -1)
		return status;
	if (submit_request_load(o.request, &r, &status) == -1)
		return status;
	if (submit_archive_check(&r, &status) == -1) {
		submit_request_free(&r);
		return status;
	}
	status = o.dry_run ? dry_run(&o, &r) : submit(&o, &r);
	submit_request_free(&r);
	return status;
}
