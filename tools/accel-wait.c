/*
 * accel-wait - follow a SageMaker training job to its end, printing what
 * the SageMaker Python SDK prints (status lines, the logs of every host,
 * the seconds summary) and accelerate's model-data line.  See accel-wait.1.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "awssession.h"
#include "cli.h"
#include "json.h"
#include "logs.h"
#include "sagemaker.h"
#include "wait.h"

#define MAX_JOB_FILE (64 * 1024)	/* JOB.json */
#define MAX_PATH 4096

struct opts {
	const char *output, *jobfile;
	int no_logs, stop, once, stop_now;
};

struct job {
	char name[64 * 4];
	char region[ENDPOINT_MAX_REGION];
	char endpoint[1024];
};

struct world {
	struct aws_client sm, logs;
	const char *job;
	char state_path[MAX_PATH];
	unsigned long long rng;
	int slept;		/* interrupts seen by w_sleep */
};

static volatile sig_atomic_t interrupts;

static void
on_signal(int sig)
{
	(void)sig;
	if (interrupts < 1000)
		interrupts++;
}

static const struct cli_help help = {
	.usage = "usage: accel-wait [-o STATUS.json] [--no-logs] "
	    "[--stop | --stop-now | --once]\n"
	    "                  JOB.json\n",
	.about = "Follow the training job named in JOB.json (as accel-submit "
	    "writes it) to its\nend, printing its status changes and its "
	    "CloudWatch log lines as\n'accelerate launch' does, and write "
	    "the final DescribeTrainingJob answer\nto STATUS.json.  On SIGINT "
	    "or SIGTERM it detaches (exit 75), leaving the\njob running.\n",
	.options =
	    "  -o STATUS.json      write the final DescribeTrainingJob answer "
	    "there\n"
	    "  --no-logs           do not read the logs while waiting\n"
	    "  --stop              stop the job on SIGINT or SIGTERM instead "
	    "of detaching\n"
	    "                      (also ACCEL_STOP_ON_INTERRUPT=1)\n"
	    "  --stop-now          stop the job at once, then follow it to "
	    "its end\n"
	    "  --once              describe the job once, print its state "
	    "and exit\n",
	.no = "the job Failed or was Stopped, a call was refused, or JOB.json\n"
	    "      is unusable",
};

/* Returns -1 to go on, or the status main() exits with. */
static int
parse_args(int argc, char *argv[], struct opts *o)
{
	static const struct option longs[] = {
		{ "no-logs", no_argument, NULL, 'n' },
		{ "stop", no_argument, NULL, 's' },
		{ "stop-now", no_argument, NULL, 'S' },
		{ "once", no_argument, NULL, '1' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("ACCEL_STOP_ON_INTERRUPT");
	int c;

	o->stop = env != NULL && strcmp(env, "1") == 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", longs, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'n': o->no_logs = 1; break;
		case 's': o->stop = 1; break;
		case 'S': o->stop_now = 1; break;
		case '1': o->once = 1; break;
		case 'h': return cli_help(&help);
		case 'V': return cli_version();
		default: return cli_getopt_error(c, argv);
		}
	}
	if (o->once && o->stop_now)
		return cli_usage("--once and --stop-now exclude each other");
	if (optind == argc)
		return cli_usage("no JOB.json given");
	if (optind != argc - 1)
		return cli_usage("one JOB.json at a time");
	o->jobfile = argv[optind];
	return -1;
}

static int
copy_member(const cJSON *doc, const char *key, char *dst, size_t len,
    const char *path, int required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);

	dst[0] = '\0';
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			return accel_err("%s: no '%s'", path, key);
		return 0;
	}
	if (!cJSON_IsString(v) || xsnprintf(dst, len, "%s",
	    v->valuestring) == -1 || (required && *dst == '\0'))
		return accel_err("%s: '%s' is not a string of at most %zu "
		    "bytes", path, key, len - 1);
	return 0;
}

/* JOB.json as accel-submit writes it: name, region, endpoint, ... */
static int
read_job(const char *path, struct job *j)
{
	struct buf text;
	cJSON *doc;
	int rc;

	if (read_file(path, MAX_JOB_FILE, &text) == -1)
		return -1;
	doc = cJSON_ParseWithLength(text.data ? text.data : "", text.len);
	buf_free(&text);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return accel_err("%s: not a JSON object", path);
	}
	rc = copy_member(doc, "name", j->name, sizeof j->name, path, 1);
	if (rc == 0)
		rc = copy_member(doc, "region", j->region, sizeof j->region,
		    path, 0);
	if (rc == 0)
		rc = copy_member(doc, "endpoint", j->endpoint,
		    sizeof j->endpoint, path, 0);
	cJSON_Delete(doc);
	return rc;
}

/* The positions file: logpos.json in the directory of JOB.json. */
static int
state_path(const char *jobfile, char *out, size_t len)
{
	const char *slash = strrchr(jobfile, '/');
	int dir = slash ? (int)(slash - jobfile) : 0;

	if (slash == NULL)
		return xsnprintf(out, len, "logpos.json");
	return xsnprintf(out, len, "%.*s/logpos.json", dir, jobfile);
}

/* --- the world, as struct wait_ops sees it ------------------------------ */

static int
w_describe(void *ctx, cJSON **out, struct aws_error *e)
{
	struct world *w = ctx;

	return sagemaker_describe_training_job(&w->sm, w->job, out, e);
}

static int
w_stop(void *ctx, struct aws_error *e)
{
	struct world *w = ctx;

	return sagemaker_stop_training_job(&w->sm, w->job, e);
}

static int
w_list_streams(void *ctx, const char *prefix, cJSON **streams,
    struct aws_error *e)
{
	struct world *w = ctx;

	return logs_describe_log_streams(&w->logs, WAIT_LOG_GROUP, prefix,
	    streams, e);
}

static int
w_get_events(void *ctx, const char *stream, char token[LOGS_MAX_TOKEN],
    cJSON **events, int *done, struct aws_error *e)
{
	struct world *w = ctx;

	return logs_get_log_events(&w->logs, WAIT_LOG_GROUP, stream, token,
	    events, done, e);
}

static double
w_now(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * One nanosleep: a signal ends it early, and the loop looks at why.  A
 * signal that came since the last sleep (perhaps just before this one)
 * skips it once; the loop has acted on it by the next.
 */
static void
w_sleep(void *ctx, double seconds)
{
	struct world *w = ctx;
	struct timespec ts;
	int n = (int)interrupts;

	if (seconds <= 0 || n > w->slept) {
		w->slept = n;
		return;
	}
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

/* xorshift64*: jitter only, nothing secret depends on it. */
static double
w_random(void *ctx)
{
	struct world *w = ctx;

	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return (double)((w->rng * 2685821657736338717ULL) >> 11) /
	    9007199254740992.0;
}

static int
w_interrupted(void *ctx)
{
	(void)ctx;
	return (int)interrupts;
}

static int
w_save(void *ctx, const char *text, size_t len)
{
	struct world *w = ctx;

	return write_output(w->state_path, text, len) == -1 ? -1 : 0;
}

/* --- setup -------------------------------------------------------------- */

/* S for a message: a file's string may hold terminal escapes. */
static const char *
printable(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "(a string with control characters)";
	return s;
}

/*
 * The endpoint JOB.json records is for information only: a restored or
 * poisoned file must not aim signed requests, session token and all, at a
 * host of its choosing.  SageMaker is asked where this environment says,
 * as accel-submit resolves it; a difference is said in one line.
 */
static void
note_endpoint(const char *path, const struct job *j,
    const struct aws_client *sm)
{
	char url[ENDPOINT_MAX_HOST + ENDPOINT_MAX_PATH + 16];

	if (j->endpoint[0] == '\0' ||
	    aws_session_endpoint_url(sm, url, sizeof url) == -1 ||
	    strcmp(url, j->endpoint) == 0)
		return;
	accel_warn("%s records the endpoint '%s'; asking '%s', the SageMaker "
	    "endpoint of this environment", path, printable(j->endpoint), url);
}

/*
 * The clients of one session: credentials and endpoints as the AWS CLI
 * finds them (awssession.c), in the job's region.
 */
static int
setup(struct world *w, const char *jobfile, const struct job *j,
    struct aws_session *s)
{
	char err[512];

	if (aws_session_open(s, j->region[0] ? j->region : NULL, err,
	    sizeof err) == -1)
		return accel_err("%s", err);
	if (aws_session_client(s, AWS_SAGEMAKER, &w->sm, err, sizeof err) ==
	    -1) {
		aws_session_close(s);
		return accel_err("%s", err);
	}
	note_endpoint(jobfile, j, &w->sm);
	if (aws_session_client(s, AWS_LOGS, &w->logs, err, sizeof err) ==
	    -1) {
		aws_client_free(&w->sm);
		aws_session_close(s);
		return accel_err("%s", err);
	}
	return 0;
}

static int
env_number(const char *name, long min, long max, long def, long *out)
{
	const char *v = getenv(name);

	*out = def;
	if (v == NULL || *v == '\0')
		return 0;
	if (parse_long(v, min, max, out) == -1)
		return accel_err("%s must be a whole number from %ld to %ld, "
		    "not '%s'", name, min, max, v);
	return 0;
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: sleeps end early */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* The saved positions, if any (a missing file is a first attach). */
static int
read_state(const char *path, struct buf *text)
{
	struct stat st;

	buf_init(text, WAIT_MAX_STATE);
	if (stat(path, &st) == -1 && errno == ENOENT)
		return 0;
	return read_file(path, WAIT_MAX_STATE, text);
}

static int
write_status(const char *path, const cJSON *desc)
{
	char *text = json_dump_file_text(desc, AWS_MAX_JSON_RESPONSE);
	int rc;

	if (text == NULL)
		return accel_err("cannot write '%s': out of memory", path);
	rc = write_output(path, text, strlen(text));
	free(text);
	return rc == -1 ? -1 : 0;
}

static int
run(const struct opts *o, const struct job *j)
{
	struct world world = { 0 };
	struct wait_ops ops = { &world, w_describe, w_stop, w_list_streams,
	    w_get_events, w_now, w_sleep, w_random, w_interrupted, w_save };
	struct wait w = { 0 };
	struct aws_session session;
	struct buf state;
	long poll, outage;
	int rc;

	if (env_number("ACCEL_WAIT_POLL_MS", 1, 3600000, WAIT_POLL_MS,
	    &poll) == -1 || env_number("ACCEL_WAIT_OUTAGE", 1, 86400 * 30,
	    WAIT_OUTAGE, &outage) == -1)
		return EXIT_USAGE;
	if (state_path(o->jobfile, world.state_path,
	    sizeof world.state_path) == -1)
		return accel_err("%s: path too long", o->jobfile), EXIT_USAGE;
	if (read_state(world.state_path, &state) == -1)
		return EXIT_NO;
	if (setup(&world, o->jobfile, j, &session) == -1) {
		buf_free(&state);
		return EXIT_NO;
	}
	world.job = j->name;
	world.rng = (unsigned long long)time(NULL) ^
	    ((unsigned long long)getpid() << 32) ^ 0x9e3779b97f4a7c15ULL;
	w.ops = &ops;
	w.out = stdout;
	w.job = j->name;
	w.region = session.region;
	w.logs = !o->no_logs && !o->once;
	w.color = isatty(STDOUT_FILENO) || getenv("JPY_PARENT_PID") != NULL;
	w.stop_on_interrupt = o->stop;
	w.once = o->once;
	w.stop_now = o->stop_now;
	w.poll_ms = poll;
	w.outage = (double)outage;
	w.state_text = state.data;
	w.state_len = state.len;
	w.reattach = getenv("ACCEL_REATTACH");
	catch_signals();
	rc = wait_run(&w);
	if (w.terminal && o->output != NULL && write_status(o->output,
	    w.desc) == -1 && rc == EXIT_OK)
		rc = EXIT_NO;
	wait_free(&w);
	buf_free(&state);
	aws_client_free(&world.sm);
	aws_client_free(&world.logs);
	aws_session_close(&session);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct opts o = { 0 };
	struct job j;
	int status;

	accel_prog = "accel-wait";
	if ((status = parse_args(argc, argv, &o)) != -1)
		return status;
	if (read_job(o.jobfile, &j) == -1)
		return EXIT_NO;
	return run(&o, &j);
}
