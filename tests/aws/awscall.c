/*
 * awscall.c - a test driver for the AWS layer (built as
 * build/tests/aws-awscall, never installed): one operation per run, or a
 * mixed series, against whatever AWS_ENDPOINT_URL points at.  Credentials
 * come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN); --wrong-secret signs with a corrupted secret so a
 * test can show the signature check is real.  Exit statuses are the
 * tools': 0, 1 (refused), 2 (usage), 75 (temporary failure).
 *
 *   aws-awscall [-v] [--wrong-secret] COMMAND ARGS...
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws.h"
#include "iam.h"
#include "json.h"
#include "logs.h"
#include "s3.h"
#include "sagemaker.h"
#include "sts.h"
#include "util.h"

static int wrong_secret;
static int verbose;
static char secret_copy[256];

static int
env_creds(void *ctx, struct sigv4_creds *out, char *err, size_t errlen)
{
	const char *ak = getenv("AWS_ACCESS_KEY_ID");
	const char *sk = getenv("AWS_SECRET_ACCESS_KEY");
	const char *tok = getenv("AWS_SESSION_TOKEN");

	(void)ctx;
	if (ak == NULL || sk == NULL) {
		snprintf(err, errlen, "AWS_ACCESS_KEY_ID and "
		    "AWS_SECRET_ACCESS_KEY are not set");
		return -1;
	}
	out->access_key = ak;
	out->secret_key = sk;
	out->session_token = tok && *tok ? tok : NULL;
	if (wrong_secret) {
		snprintf(secret_copy, sizeof secret_copy, "%sX", sk);
		out->secret_key = secret_copy;
	}
	return 0;
}

static const struct aws_creds_provider creds = { env_creds, NULL };

static const char *
region(void)
{
	const char *r = getenv("AWS_REGION");

	if (r == NULL || *r == '\0')
		r = getenv("AWS_DEFAULT_REGION");
	return r && *r ? r : "us-east-1";
}

static int
client(struct aws_client *c, enum aws_service svc)
{
	char err[256];

	if (aws_client_init(c, svc, region(), NULL, NULL, &creds, err,
	    sizeof err) == -1) {
		accel_err("%s", err);
		return -1;
	}
	c->verbose = verbose;
	return 0;
}

static int
fail(struct aws_client *c, const struct aws_error *e)
{
	aws_error_report(e);
	aws_client_free(c);
	return aws_error_exit_status(e);
}

static int
usage(void)
{
	fprintf(stderr, "usage: aws-awscall [-v] [--wrong-secret] COMMAND "
	    "ARGS...\n");
	return EXIT_USAGE;
}

static int
cmd_sts(int argc, char **argv)
{
	struct sts_credentials sc;
	struct sts_identity id;
	struct aws_client c;
	struct aws_error e;
	struct buf token;
	int rc;

	if (client(&c, AWS_STS) == -1)
		return EXIT_NO;
	if (strcmp(argv[0], "whoami") == 0) {
		if (sts_get_caller_identity(&c, &id, &e) == -1)
			return fail(&c, &e);
		printf("%s %s\n", id.account, id.arn);
	} else if (strcmp(argv[0], "assume-role") == 0 && argc == 3) {
		if (sts_assume_role(&c, argv[1], argv[2], 0, &sc, &e) == -1)
			return fail(&c, &e);
		printf("%s %s\n", sc.access_key, sc.expiration);
		sts_credentials_wipe(&sc);
	} else if (strcmp(argv[0], "web-identity") == 0 && argc == 4) {
		if (read_file(argv[3], 64 * 1024, &token) == -1)
			return EXIT_NO;
		rc = sts_assume_role_with_web_identity(&c, argv[1], argv[2],
		    token.data, 0, &sc, &e);
		buf_wipe(&token);
		if (rc == -1)
			return fail(&c, &e);
		printf("%s %s %s\n", sc.access_key, sc.expiration,
		    sc.assumed_role_arn);
		sts_credentials_wipe(&sc);
	} else
		return usage();
	aws_client_free(&c);
	return 0;
}

static int
cmd_iam(int argc, char **argv)
{
	struct aws_client c;
	struct aws_error e;
	struct iam_role role;

	if (argc != 2)
		return usage();
	if (client(&c, AWS_IAM) == -1)
		return EXIT_NO;
	if (iam_get_role(&c, argv[1], &role, &e) == -1)
		return fail(&c, &e);
	printf("%s\n%s\n", role.arn, role.trust_policy.data ?
	    role.trust_policy.data : "");
	iam_role_free(&role);
	aws_client_free(&c);
	return 0;
}

static int
open_in(const char *path, off_t *size)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1 || fstat(fd, &st) == -1) {
		accel_err("cannot open '%s':", path);
		if (fd != -1)
			close(fd);
		return -1;
	}
	*size = st.st_size;
	return fd;
}

static int
s3_put_cmd(struct aws_client *c, int argc, char **argv, struct aws_error *e)
{
	struct s3_upload_opts o = { 0 };
	char etag[S3_MAX_ETAG];
	off_t size;
	long n;
	int fd, rc;

	if ((fd = open_in(argv[3], &size)) == -1)
		return -2;
	if (strcmp(argv[0], "put") == 0)
		rc = s3_put_object(c, argv[1], argv[2], fd, 0, size, etag, e);
	else {
		if (argc > 4 && parse_long(argv[4], 1, LONG_MAX, &n) == 0)
			o.part_size = (size_t)n;
		if (argc > 5 && parse_long(argv[5], 1, 64, &n) == 0)
			o.threads = (int)n;
		o.threshold = (off_t)o.part_size;
		rc = s3_upload(c, argv[1], argv[2], fd, size, &o, etag, e);
	}
	close(fd);
	if (rc == 0)
		printf("%s\n", etag);
	return rc;
}

/* get BUCKET KEY FILE [FIRST [LAST [IF-MATCH]]] */
static int
s3_get_cmd(struct aws_client *c, int argc, char **argv, struct aws_error *e)
{
	long first = -1, last = -1;
	long long bytes;
	int fd, rc;

	if ((argc > 4 && parse_long(argv[4], 0, LONG_MAX, &first) == -1) ||
	    (argc > 5 && parse_long(argv[5], 0, LONG_MAX, &last) == -1))
		return -2;
	fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1) {
		accel_err("cannot open '%s':", argv[3]);
		return -2;
	}
	rc = s3_get_object(c, argv[1], argv[2], first, last,
	    argc > 6 ? argv[6] : NULL, fd, 0, &bytes, e);
	close(fd);
	if (rc == 0)
		printf("%lld\n", bytes);
	return rc;
}

static int
cmd_s3(int argc, char **argv)
{
	char where[ENDPOINT_MAX_REGION];
	struct s3_object obj;
	struct aws_client c;
	struct aws_error e;
	int rc = -2;

	if (argc < 2 || client(&c, AWS_S3) == -1)
		return argc < 2 ? usage() : EXIT_NO;
	if (strcmp(argv[0], "head-bucket") == 0) {
		rc = s3_head_bucket(&c, argv[1], where, &e);
		if (rc == 0)
			printf("%s\n", where);
	} else if (strcmp(argv[0], "create-bucket") == 0)
		rc = s3_create_bucket(&c, argv[1], &e);
	else if (strcmp(argv[0], "head") == 0 && argc == 3) {
		rc = s3_head_object(&c, argv[1], argv[2], &obj, &e);
		if (rc == 0)
			printf("%lld %s\n", obj.size, obj.etag);
	} else if ((strcmp(argv[0], "put") == 0 && argc == 4) ||
	    (strcmp(argv[0], "upload") == 0 && argc >= 4))
		rc = s3_put_cmd(&c, argc, argv, &e);
	else if (strcmp(argv[0], "get") == 0 && argc >= 4)
		rc = s3_get_cmd(&c, argc, argv, &e);
	if (rc == -1)
		return fail(&c, &e);
	aws_client_free(&c);
	return rc == -2 ? EXIT_USAGE : 0;
}

static int
print_json(const cJSON *doc)
{
	char *text = json_dump_file_text(doc, 16 << 20);

	if (text == NULL)
		return -1;
	fputs(text, stdout);
	free(text);
	return 0;
}

static int
cmd_sagemaker(int argc, char **argv)
{
	char arn[SAGEMAKER_MAX_ARN];
	struct aws_client c;
	struct aws_error e;
	cJSON *doc = NULL;
	struct buf body;
	int rc = -2;

	if (client(&c, AWS_SAGEMAKER) == -1)
		return EXIT_NO;
	if (strcmp(argv[0], "create-job") == 0 && argc == 2) {
		if (read_file(argv[1], 1 << 20, &body) == -1)
			return EXIT_NO;
		doc = cJSON_ParseWithLength(body.data, body.len);
		buf_free(&body);
		rc = sagemaker_create_training_job(&c, doc, arn, &e);
		cJSON_Delete(doc);
		doc = NULL;
		if (rc == 0)
			printf("%s\n", arn);
	} else if (strcmp(argv[0], "describe-job") == 0 && argc == 2)
		rc = sagemaker_describe_training_job(&c, argv[1], &doc, &e);
	else if (strcmp(argv[0], "stop-job") == 0 && argc == 2)
		rc = sagemaker_stop_training_job(&c, argv[1], &e);
	else if (strcmp(argv[0], "list-jobs") == 0)
		rc = sagemaker_list_training_jobs(&c, NULL, NULL, &doc, &e);
	if (rc == -1)
		return fail(&c, &e);
	if (doc != NULL)
		print_json(doc);
	cJSON_Delete(doc);
	aws_client_free(&c);
	return rc == -2 ? EXIT_USAGE : 0;
}

static int
print_events(struct aws_client *c, const char *group, const char *stream,
    struct aws_error *e)
{
	char token[LOGS_MAX_TOKEN] = "";
	cJSON *events, *ev;
	int done = 0;

	while (!done) {
		if (logs_get_log_events(c, group, stream, token, &events,
		    &done, e) == -1)
			return -1;
		cJSON_ArrayForEach(ev, events) {
			const cJSON *m = cJSON_GetObjectItem(ev, "message");

			if (cJSON_IsString(m))
				printf("%s\n", m->valuestring);
		}
		cJSON_Delete(events);
	}
	return 0;
}

static int
cmd_logs(int argc, char **argv)
{
	struct aws_client c;
	struct aws_error e;
	cJSON *streams, *s;
	int rc = -2;

	if (client(&c, AWS_LOGS) == -1)
		return EXIT_NO;
	if (strcmp(argv[0], "streams") == 0 && argc >= 2) {
		rc = logs_describe_log_streams(&c, argv[1], argc > 2 ? argv[2] :
		    NULL, &streams, &e);
		if (rc == 0) {
			cJSON_ArrayForEach(s, streams)
				printf("%s\n", cJSON_GetObjectItem(s,
				    "logStreamName")->valuestring);
			cJSON_Delete(streams);
		}
	} else if (strcmp(argv[0], "events") == 0 && argc == 3)
		rc = print_events(&c, argv[1], argv[2], &e);
	if (rc == -1)
		return fail(&c, &e);
	aws_client_free(&c);
	return rc == -2 ? EXIT_USAGE : 0;
}

/* One of the mixed operations, chosen by I; 0 or an exit status. */
static int
mixed_one(int i, char **argv)
{
	static char *ops[][6] = {
		{ "whoami" },
		{ "head-bucket", NULL },
		{ "head", NULL, "mixed/obj" },
		{ "get", NULL, "mixed/obj", "/dev/null", "0", "3" },
		{ "put", NULL, "mixed/obj", NULL },
		{ "describe-job", NULL },
		{ "list-jobs" },
		{ "get-role", NULL },
		{ "streams", NULL },
		{ "events", NULL, NULL },
	};
	static const int argcs[] = { 1, 2, 3, 6, 4, 2, 1, 2, 2, 3 };
	int k = i % 10;
	char **a = ops[k];

	/* argv: BUCKET FILE JOB ROLE GROUP STREAM */
	switch (k) {
	case 1: case 2: case 3: a[1] = argv[0]; break;
	case 4: a[1] = argv[0]; a[3] = argv[1]; break;
	case 5: a[1] = argv[2]; break;
	case 7: a[1] = argv[3]; break;
	case 8: a[1] = argv[4]; break;
	case 9: a[1] = argv[4]; a[2] = argv[5]; break;
	}
	if (k == 0)
		return cmd_sts(argcs[k], a);
	if (k <= 4)
		return cmd_s3(argcs[k], a);
	if (k <= 6)
		return cmd_sagemaker(argcs[k], a);
	if (k == 7)
		return cmd_iam(argcs[k], a);
	return cmd_logs(argcs[k], a);
}

/* parse-error STATUS FILE: "code<TAB>message" of an error answer. */
static int
cmd_parse_error(int argc, char **argv)
{
	struct aws_error e = { 0 };
	struct buf body;
	long status;

	if (argc != 3 || parse_long(argv[1], 100, 599, &status) == -1)
		return usage();
	if (read_file(argv[2], 1 << 20, &body) == -1)
		return EXIT_NO;
	aws_parse_error_body(status, NULL, NULL, body.data, body.len, &e);
	printf("%s\t%s\n", e.code, e.message);
	buf_free(&body);
	return 0;
}

/* classify STATUS CODE...: "CODE CLASS" (never, transient, timeout, throttle). */
static int
cmd_classify(int argc, char **argv)
{
	static const char *const names[] = { "never", "transient", "timeout",
	    "throttle" };
	long status;

	if (argc < 2 || parse_long(argv[1], 100, 599, &status) == -1)
		return usage();
	for (int i = 2; i < argc; i++)
		printf("%s %s\n", argv[i],
		    names[retry_classify(HTTP_OK, status, argv[i])]);
	return 0;
}

/* endpoint SERVICE REGION...: "URL SIGNING-REGION" for each region. */
static int
cmd_endpoint(int argc, char **argv)
{
	static const char *const names[] = { "s3", "sagemaker", "logs", "sts",
	    "iam" };
	struct endpoint ep;
	char err[256];
	int svc = -1;

	for (int i = 0; i < 5; i++)
		if (argc > 1 && strcmp(argv[1], names[i]) == 0)
			svc = i;
	if (svc == -1)
		return usage();
	for (int i = 2; i < argc; i++) {
		if (endpoint_resolve((enum aws_service)svc, argv[i], NULL, NULL,
		    &ep, err, sizeof err) == -1)
			return accel_err("%s", err), EXIT_NO;
		printf("%s://%s%s %s %s\n", ep.scheme, ep.host, ep.path,
		    ep.region, ep.signing_name);
	}
	return 0;
}

/* mixed N BUCKET FILE JOB ROLE GROUP STREAM: N operations, all must pass. */
static int
cmd_mixed(int argc, char **argv)
{
	long n;
	int rc;

	if (argc != 8 || parse_long(argv[1], 1, 100000, &n) == -1)
		return usage();
	for (long i = 0; i < n; i++) {
		fflush(stdout);
		if ((rc = mixed_one((int)i, argv + 2)) != 0) {
			accel_err("mixed operation %ld failed", i);
			return rc;
		}
	}
	fprintf(stderr, "mixed: %ld operations succeeded\n", n);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *cmd;

	accel_prog = "aws-awscall";
	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		if (strcmp(argv[0], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[0], "--wrong-secret") == 0)
			wrong_secret = 1;
		else
			return usage();
	}
	if (argc < 1)
		return usage();
	cmd = argv[0];
	if (strcmp(cmd, "whoami") == 0 || strcmp(cmd, "assume-role") == 0 ||
	    strcmp(cmd, "web-identity") == 0)
		return cmd_sts(argc, argv);
	if (strcmp(cmd, "get-role") == 0)
		return cmd_iam(argc, argv);
	if (strcmp(cmd, "head-bucket") == 0 ||
	    strcmp(cmd, "create-bucket") == 0 || strcmp(cmd, "head") == 0 ||
	    strcmp(cmd, "put") == 0 || strcmp(cmd, "upload") == 0 ||
	    strcmp(cmd, "get") == 0)
		return cmd_s3(argc, argv);
	if (strncmp(cmd, "create-job", 10) == 0 ||
	    strcmp(cmd, "describe-job") == 0 || strcmp(cmd, "stop-job") == 0 ||
	    strcmp(cmd, "list-jobs") == 0)
		return cmd_sagemaker(argc, argv);
	if (strcmp(cmd, "streams") == 0 || strcmp(cmd, "events") == 0)
		return cmd_logs(argc, argv);
	if (strcmp(cmd, "mixed") == 0)
		return cmd_mixed(argc, argv);
	if (strcmp(cmd, "classify") == 0)
		return cmd_classify(argc, argv);
	if (strcmp(cmd, "parse-error") == 0)
		return cmd_parse_error(argc, argv);
	if (strcmp(cmd, "endpoint") == 0)
		return cmd_endpoint(argc, argv);
	return usage();
}
