/*
 * accel-sign - sign a raw HTTP request with AWS Signature Version 4 and
 * print the signed request or one of the signer's intermediate results.
 * The request is read in the AWS test suite's request.txt form (rawreq.h);
 * with --context the suite's context.json supplies credentials, region,
 * service and time, so the output can be compared with the suite's files.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "cli.h"
#include "creds.h"
#include "rawreq.h"
#include "sigv4.h"
#include "util.h"

#define CONTEXT_MAX (64 << 10)		/* a context.json is < 1 KiB */

enum print { PRINT_REQUEST, PRINT_CANONICAL, PRINT_STS, PRINT_SIGNATURE,
	PRINT_AUTHORIZATION };

/* Owned copies of everything the signer needs; secrets wiped at the end. */
struct job {
	char *access_key, *secret_key, *session_token;
	char *region, *service;
	char amz_date[17];
	int s3, no_normalize, sign_body, omit_token;
	long presign;
	enum print print;
};

static const struct cli_help help = {
	.usage = "usage: accel-sign [--service S] [--region R] "
	    "[--time YYYYMMDDTHHMMSSZ] [--s3]\n"
	    "                  [--presign SECONDS] [--context FILE] "
	    "[--print WHAT] [FILE|-]\n",
	.about = "Read one HTTP/1.1 request from FILE (standard input when it "
	    "is '-' or absent),\nsign it with AWS Signature Version 4 and write "
	    "the signed request, or one\nstep of the signing, to standard "
	    "output.  The credentials come from the AWS\nCLI's chain, or from "
	    "--context.\n",
	.options =
	    "  --service S         the signing name of the service "
	    "(s3, sagemaker, ...)\n"
	    "  --region R          the region of the credential scope "
	    "(default $AWS_REGION)\n"
	    "  --time YYYYMMDDTHHMMSSZ\n"
	    "                      the signing time (default: now, UTC)\n"
	    "  --s3                sign under the S3 rules\n"
	    "  --presign SECONDS   sign in the query, a URL valid for SECONDS\n"
	    "  --context FILE      credentials, time and settings from a "
	    "test-suite context\n"
	    "  --print WHAT        what to write: request (the default), "
	    "canonical,\n"
	    "                      string-to-sign, signature or authorization\n",
	.no = "the request or the credentials were unusable",
};

/* What the command line asked for. */
struct args {
	const char *service, *region, *when, *context, *path;
	int s3;
};

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL) {
		accel_err("out of memory");
		exit(EXIT_TEMPFAIL);
	}
	return p;
}

static void
set_str(char **dst, const char *s)
{
	if (*dst != NULL) {
		wipe(*dst, strlen(*dst));
		free(*dst);
	}
	*dst = s != NULL ? xstrdup(s) : NULL;
}

/*
 * The credentials of a run without --context: the AWS CLI's provider chain
 * (creds.h), which also gives the region when no flag names one.
 */
static int
lookup_creds(struct job *j)
{
	struct creds_options opt = { 0 };
	struct creds_provider *p;
	struct sigv4_creds c;
	char err[256];
	int rc = -1;

	p = creds_provider_new(&opt, err, sizeof err);
	if (p == NULL)
		return accel_err("no credentials: %s", err);
	if (creds_get(p, &c, err, sizeof err) == -1) {
		accel_err("no credentials: %s", err);
		goto out;
	}
	set_str(&j->access_key, c.access_key);
	set_str(&j->secret_key, c.secret_key);
	set_str(&j->session_token, c.session_token);
	if (*creds_region(p) != '\0')
		set_str(&j->region, creds_region(p));
	rc = 0;
out:
	creds_provider_free(p);
	return rc;
}

/* "2015-08-30T12:36:00Z" -> "20150830T123600Z" */
static int
iso_to_amz(const char *iso, char out[17])
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t i, n = 0;

	if (strlen(iso) != sizeof(shape) - 1)
		return -1;
	for (i = 0; shape[i] != '\0'; i++) {
		if (shape[i] == 'd' ? iso[i] < '0' || iso[i] > '9' :
		    iso[i] != shape[i])
			return -1;
		if (shape[i] != '-' && shape[i] != ':')
			out[n++] = iso[i];
	}
	out[n] = '\0';
	return 0;
}

/* YYYYMMDDTHHMMSSZ, checked here so a bad --time is a usage error. */
static int
is_amz_date(const char *s)
{
	static const char shape[] = "ddddddddTddddddZ";
	size_t i;

	if (strlen(s) != sizeof(shape) - 1)
		return 0;
	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
			return 0;
	return 1;
}

static const char *
json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
json_true(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* Wipe the secret strings inside the tree, then free it. */
static void
json_wipe(cJSON *root)
{
	cJSON *c = cJSON_GetObjectItemCaseSensitive(root, "credentials");
	cJSON *v;

	cJSON_ArrayForEach(v, c)
		if (cJSON_IsString(v))
			wipe(v->valuestring, strlen(v->valuestring));
	cJSON_Delete(root);
}

static int
read_context(struct job *j, const char *path)
{
	const cJSON *c;
	const char *ts;
	struct buf text;
	cJSON *root;
	int rc = -1;

	if (read_file(path, CONTEXT_MAX, &text) == -1)
		return -1;
	root = cJSON_ParseWithLength(text.data, text.len);
	buf_wipe(&text);
	if (root == NULL)
		return accel_err("cannot read '%s': not JSON", path);
	c = cJSON_GetObjectItemCaseSensitive(root, "credentials");
	if (json_str(c, "access_key_id") == NULL ||
	    json_str(c, "secret_access_key") == NULL ||
	    json_str(root, "region") == NULL ||
	    json_str(root, "service") == NULL ||
	    (ts = json_str(root, "timestamp")) == NULL ||
	    iso_to_amz(ts, j->amz_date) == -1) {
		accel_err("cannot read '%s': missing or malformed keys", path);
		goto out;
	}
	set_str(&j->access_key, json_str(c, "access_key_id"));
	set_str(&j->secret_key, json_str(c, "secret_access_key"));
	set_str(&j->session_token, json_str(c, "token"));
	set_str(&j->region, json_str(root, "region"));
	set_str(&j->service, json_str(root, "service"));
	j->s3 = strcmp(j->service, "s3") == 0;
	j->no_normalize = !json_true(root, "normalize");
	j->sign_body = json_true(root, "sign_body");
	j->omit_token = json_true(root, "omit_session_token");
	rc = 0;
out:
	json_wipe(root);
	return rc;
}

static void
now_amz(char out[17])
{
	time_t t = time(NULL);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(out, 17, "%Y%m%dT%H%M%SZ",
	    &tm) != 16) {
		accel_err("cannot read the clock");
		exit(EXIT_TEMPFAIL);
	}
}

/* The head as written, ending in a line end even if the file did not. */
static int
put_head(struct buf *o, const struct rawreq *rq, const char *data)
{
	if (buf_append(o, data, rq->head_len) == -1)
		return -1;
	if (rq->head_len > 0 && data[rq->head_len - 1] != '\n')
		return buf_putc(o, '\n');
	return 0;
}

/*
 * Header mode: the request, then the headers the signer added in the
 * order the suite writes them, then Authorization, the empty line and
 * the body.  An omitted (unsigned) token is still sent.
 */
static int
signed_request(struct buf *o, const struct job *j, const struct rawreq *rq,
    const char *data, const struct sigv4_result *res)
{
	const char *token = j->omit_token ? j->session_token :
	    res->security_token;

	if (put_head(o, rq, data) == -1 ||
	    (token != NULL && buf_printf(o, "X-Amz-Security-Token:%s\n",
	    token) == -1) ||
	    (res->amz_date[0] != '\0' && buf_printf(o, "X-Amz-Date:%s\n",
	    res->amz_date) == -1) ||
	    (res->content_sha256[0] != '\0' &&
	    buf_printf(o, "x-amz-content-sha256:%s\n",
	    res->content_sha256) == -1) ||
	    buf_printf(o, "Authorization:%s\n\n", res->authorization.data) == -1)
		return -1;
	return buf_append(o, rq->body, rq->body_len);
}

/*
 * Presign mode: the request line gets the signed query; an omitted token
 * goes in just before X-Amz-Signature, where a signed one would be.
 */
static int
presigned_request(struct buf *o, const struct job *j,
    const struct rawreq *rq, const char *data, const struct sigv4_result *res)
{
	const char *q = res->query.data;
	const char *sig = strstr(q, "&X-Amz-Signature=");
	size_t line;
	int rc;

	line = strcspn(data, "\n") + 1;
	if (buf_printf(o, "%s %s?", rq->method, rq->path) == -1)
		return -1;
	if (j->omit_token && j->session_token != NULL && sig != NULL) {
		rc = buf_append(o, q, (size_t)(sig - q)) == -1 ||
		    buf_puts(o, "&X-Amz-Security-Token=") == -1 ||
		    sigv4_uri_encode(o, j->session_token,
		    strlen(j->session_token), 0) == -1 ||
		    buf_puts(o, sig) == -1;
		if (rc)
			return -1;
	} else if (buf_puts(o, q) == -1) {
		return -1;
	}
	if (buf_printf(o, " %s\n", rq->version) == -1 ||
	    (line < rq->head_len &&
	    buf_append(o, data + line, rq->head_len - line) == -1) ||
	    (rq->head_len > 0 && data[rq->head_len - 1] != '\n' &&
	    line < rq->head_len && buf_putc(o, '\n') == -1) ||
	    buf_putc(o, '\n') == -1)
		return -1;
	return buf_append(o, rq->body, rq->body_len);
}

static int
render(struct buf *o, const struct job *j, const struct rawreq *rq,
    const char *data, const struct sigv4_result *res)
{
	switch (j->print) {
	case PRINT_CANONICAL:
		return buf_append(o, res->canonical.data, res->canonical.len);
	case PRINT_STS:
		return buf_append(o, res->string_to_sign.data,
		    res->string_to_sign.len);
	case PRINT_SIGNATURE:
		return buf_puts(o, res->signature);
	case PRINT_AUTHORIZATION:
		if (j->presign > 0)
			return buf_puts(o, res->query.data);
		return buf_puts(o, res->authorization.data);
	case PRINT_REQUEST:
		break;
	}
	if (j->presign > 0)
		return presigned_request(o, j, rq, data, res);
	return signed_request(o, j, rq, data, res);
}

static int
sign_file(const struct job *j, const char *path)
{
	struct sigv4_header hdrs[RAWREQ_MAX_HEADERS];
	struct sigv4_params params;
	struct sigv4_creds creds;
	struct sigv4_request req;
	struct sigv4_result res;
	struct rawreq rq;
	struct buf in, o;
	char err[256];
	size_t i;
	int rc = -1;

	if (read_file(path, RAWREQ_MAX_INPUT, &in) == -1)
		return -1;
	if (rawreq_parse(&rq, in.data, in.len, err, sizeof(err)) == -1) {
		buf_free(&in);
		return accel_err("cannot read '%s': %s", path, err);
	}
	for (i = 0; i < rq.nheaders; i++) {
		hdrs[i].name = rq.headers[i].name;
		hdrs[i].value = rq.headers[i].value;
	}
	req = (struct sigv4_request){ .method = rq.method, .path = rq.path,
	    .query = rq.query, .headers = hdrs, .nheaders = rq.nheaders,
	    .body = rq.body, .body_len = rq.body_len };
	params = (struct sigv4_params){ .region = j->region,
	    .service = j->service, .amz_date = j->amz_date, .s3 = j->s3,
	    .no_normalize = j->no_normalize, .sign_body = j->sign_body,
	    .presign_expires = j->presign };
	creds = (struct sigv4_creds){ .access_key = j->access_key,
	    .secret_key = j->secret_key,
	    .session_token = j->omit_token ? NULL : j->session_token };
	if (sigv4_sign(&params, &creds, &req, NULL, &res, err,
	    sizeof(err)) == -1) {
		accel_err("cannot sign '%s': %s", path, err);
		goto out;
	}
	buf_init(&o, RAWREQ_MAX_INPUT + SIGV4_MAX_TEXT);
	if (render(&o, j, &rq, in.data, &res) == -1)
		accel_err("cannot sign '%s': output too large", path);
	else if (write_output("-", o.data, o.len) >= 0)
		rc = 0;
	buf_wipe(&o);		/* may hold the session token */
	sigv4_result_free(&res);
out:
	rawreq_free(&rq);
	buf_free(&in);
	return rc;
}

/* 0, or -1 after saying what is wrong. */
static int
parse_print(const char *s, enum print *p)
{
	static const struct { const char *name; enum print p; } names[] = {
		{ "request", PRINT_REQUEST }, { "canonical", PRINT_CANONICAL },
		{ "string-to-sign", PRINT_STS },
		{ "signature", PRINT_SIGNATURE },
		{ "authorization", PRINT_AUTHORIZATION },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0) {
			*p = names[i].p;
			return 0;
		}
	cli_usage("unknown --print value '%s'", s);
	return -1;
}

/* Returns -1 to go on, or the status main() exits with. */
static int
parse_args(int argc, char **argv, struct job *j, struct args *a)
{
	static const struct option opts[] = {
		{ "service", required_argument, NULL, 'S' },
		{ "region", required_argument, NULL, 'r' },
		{ "time", required_argument, NULL, 't' },
		{ "s3", no_argument, NULL, '3' },
		{ "presign", required_argument, NULL, 'p' },
		{ "context", required_argument, NULL, 'c' },
		{ "print", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	a->path = "-";
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'S': a->service = optarg; break;
		case 'r': a->region = optarg; break;
		case 't': a->when = optarg; break;
		case '3': a->s3 = 1; break;
		case 'c': a->context = optarg; break;
		case 'P':
			if (parse_print(optarg, &j->print) == -1)
				return EXIT_USAGE;
			break;
		case 'p':
			if (parse_long(optarg, 1, SIGV4_MAX_EXPIRES,
			    &j->presign) == -1)
				return cli_usage("--presign wants 1..%d seconds",
				    SIGV4_MAX_EXPIRES);
			break;
		case 'h': return cli_help(&help);
		case 'V': return cli_version();
		default: return cli_getopt_error(c, argv);
		}
	}
	if (argc - optind > 1)
		return cli_usage("one FILE at a time");
	if (optind < argc)
		a->path = argv[optind];
	return -1;
}

static void
job_free(struct job *j)
{
	set_str(&j->access_key, NULL);
	set_str(&j->secret_key, NULL);
	set_str(&j->session_token, NULL);
	set_str(&j->region, NULL);
	set_str(&j->service, NULL);
}

int
main(int argc, char **argv)
{
	const char *region;
	struct args a = { 0 };
	struct job j;
	int rc;

	accel_prog = "accel-sign";
	memset(&j, 0, sizeof(j));
	if ((rc = parse_args(argc, argv, &j, &a)) != -1)
		return rc;
	if (a.context != NULL ? read_context(&j, a.context) : lookup_creds(&j))
		return EXIT_NO;
	if (a.service != NULL) {
		set_str(&j.service, a.service);
		j.s3 = strcmp(a.service, "s3") == 0;
	}
	region = a.region;
	if (region == NULL && j.region == NULL &&
	    (region = getenv("AWS_REGION")) == NULL)
		region = getenv("AWS_DEFAULT_REGION");
	if (region != NULL)
		set_str(&j.region, region);
	j.s3 |= a.s3;
	if (a.context == NULL)
		j.sign_body = j.s3;	/* S3 wants x-amz-content-sha256 */
	if (j.service == NULL || j.region == NULL) {
		rc = cli_usage("no %s: give --%s or --context",
		    j.service == NULL ? "service" : "region",
		    j.service == NULL ? "service" : "region");
		job_free(&j);
		return rc;
	}
	if (a.when != NULL) {
		if (!is_amz_date(a.when) || xsnprintf(j.amz_date,
		    sizeof(j.amz_date), "%s", a.when) == -1) {
			job_free(&j);
			return cli_usage("--time wants YYYYMMDDTHHMMSSZ");
		}
	} else if (j.amz_date[0] == '\0') {
		now_amz(j.amz_date);	/* the only clock read */
	}
	rc = sign_file(&j, a.path) == 0 ? EXIT_OK : EXIT_NO;
	job_free(&j);
	return rc;
}
