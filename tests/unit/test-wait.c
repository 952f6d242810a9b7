/*
 * test-wait.c - accel-wait's parts against a scripted world: the status
 * lines, summary, model and failure texts of sagemaker-api.md section 12
 * (expected texts written from the SDK's code as the reference quotes it),
 * the log multiplexer (merge order, pages, an interrupt between two lines
 * and a resume from the saved positions), and the poll loop with a fake
 * clock (the whole transcript, detach, --stop, outage, refusal).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "wait.h"

/* --- the scripted world ------------------------------------------------- */

struct fevent {
	double ts;
	const char *msg;
	int after;		/* visible once this many describes answered */
};

struct fstream {
	const char *name;
	int after;
	struct fevent ev[8];
	int n;
};

struct fake {
	const char *const *docs;	/* describe answers; the last repeats */
	int ndocs, described;
	const char *const *stop_docs;	/* answers once stopped */
	int nstop_docs, stop_described;
	struct fstream *streams;
	int nstreams;
	int page;
	double clock;
	int interrupts;
	int interrupt_at;	/* interrupted() call that raises one, 0 none */
	int interrupt_calls;
	int interrupt_on_describe;	/* raise one at this describe */
	int interrupt_on_get;		/* raise one at this GetLogEvents */
	int fail_describes;	/* transient failures before the answers */
	int refuse;		/* a non-retryable failure */
	char saved[8192];
	int saves, stops, lists, gets;
};

static void
set_error(struct aws_error *e, const char *code, int retryable)
{
	memset(e, 0, sizeof *e);
	e->service = "SageMaker";
	e->operation = "DescribeTrainingJob";
	e->status = retryable ? 400 : 400;
	snprintf(e->code, sizeof e->code, "%s", code);
	snprintf(e->message, sizeof e->message, "scripted");
	e->retryable = retryable;
}

static int
f_describe(void *ctx, cJSON **out, struct aws_error *e)
{
	struct fake *f = ctx;
	const char *text;

	if (f->refuse) {
		set_error(e, "ValidationException", 0);
		return -1;
	}
	if (f->fail_describes > 0) {
		f->fail_describes--;
		set_error(e, "ThrottlingException", 1);
		return -1;
	}
	if (f->stops > 0 && f->nstop_docs > 0) {
		text = f->stop_docs[f->stop_described < f->nstop_docs ?
		    f->stop_described : f->nstop_docs - 1];
		f->stop_described++;
	} else {
		text = f->docs[f->described < f->ndocs ? f->described :
		    f->ndocs - 1];
	}
	f->described++;
	if (f->interrupt_on_describe == f->described)
		f->interrupts++;
	*out = cJSON_Parse(text);
	return *out ? 0 : -1;
}

static int
f_stop(void *ctx, struct aws_error *e)
{
	struct fake *f = ctx;

	(void)e;
	f->stops++;
	return 0;
}

static int
f_list(void *ctx, const char *prefix, cJSON **streams, struct aws_error *e)
{
	struct fake *f = ctx;
	cJSON *a = cJSON_CreateArray(), *o;

	(void)prefix;
	f->lists++;
	if (f->nstreams == 0 || f->described < f->streams[0].after) {
		cJSON_Delete(a);
		set_error(e, "ResourceNotFoundException", 0);
		return -1;
	}
	/* in reverse: the caller sorts */
	for (int i = f->nstreams - 1; i >= 0; i--) {
		if (f->described < f->streams[i].after)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "logStreamName", f->streams[i].name);
		cJSON_AddItemToArray(a, o);
	}
	*streams = a;
	return 0;
}

/* Tokens "n=K": the next page starts at event K; an empty page keeps it. */
static int
f_get(void *ctx, const char *name, char token[LOGS_MAX_TOKEN],
    cJSON **events, int *done, struct aws_error *e)
{
	struct fake *f = ctx;
	struct fstream *s = NULL;
	int k = 0, n = 0;
	cJSON *a, *o;

	(void)e;
	if (++f->gets == f->interrupt_on_get)
		f->interrupts++;
	for (int i = 0; i < f->nstreams; i++)
		if (strcmp(f->streams[i].name, name) == 0)
			s = &f->streams[i];
	if (token[0] != '\0')
		k = atoi(token + 2);
	a = cJSON_CreateArray();
	while (s != NULL && k + n < s->n && n < f->page &&
	    s->ev[k + n].after <= f->described) {
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "timestamp", s->ev[k + n].ts);
		cJSON_AddStringToObject(o, "message", s->ev[k + n].msg);
		cJSON_AddItemToArray(a, o);
		n++;
	}
	*done = n == 0;
	snprintf(token, LOGS_MAX_TOKEN, "n=%d", k + n);
	*events = a;
	return 0;
}

static double
f_now(void *ctx)
{
	return ((struct fake *)ctx)->clock;
}

static void
f_sleep(void *ctx, double s)
{
	((struct fake *)ctx)->clock += s;
}

static double
f_random(void *ctx)
{
	(void)ctx;
	return 0.5;
}

static int
f_interrupted(void *ctx)
{
	struct fake *f = ctx;

	if (f->interrupt_at > 0 && ++f->interrupt_calls == f->interrupt_at)
		f->interrupts++;
	return f->interrupts;
}

static int
f_save(void *ctx, const char *text, size_t len)
{
	struct fake *f = ctx;

	if (len >= sizeof f->saved)
		return -1;
	memcpy(f->saved, text, len + 1);
	f->saves++;
	return 0;
}

static const struct wait_ops fake_ops = { NULL, f_describe, f_stop, f_list,
	f_get, f_now, f_sleep, f_random, f_interrupted, f_save };

/* --- status lines -------------------------------------------------------- */

static void
status_case(const char *name, const char *doc, int prev_n,
    const char *prev_msg, int changed, const char *want)
{
	cJSON *d = cJSON_Parse(doc);
	struct wait_seen seen = { prev_n, "" };
	struct buf b;

	snprintf(seen.message, sizeof seen.message, "%s", prev_msg);
	buf_init(&b, 1 << 16);
	CHECK_INTEQ(name, wait_status_changed(d, &seen), changed);
	CHECK(name, wait_status_text(d, &seen, &b) == 0);
	CHECK_STREQ(name, b.data ? b.data : "", want);
	buf_free(&b);
	cJSON_Delete(d);
}

#define T3 "{\"LastModifiedTime\": 1617883224.987, " \
	"\"SecondaryStatusTransitions\": [" \
	"{\"Status\": \"Starting\", \"StatusMessage\": \"Preparing the " \
	"instances for training\"}, {\"Status\": \"Downloading\", " \
	"\"StatusMessage\": \"Downloading input data\"}, {\"Status\": " \
	"\"Training\", \"StatusMessage\": \"Downloading the training " \
	"image\"}]}"

static void
test_status(void)
{
	/* first print: every transition, LastModifiedTime for all of them,
	 * the fraction dropped (utcfromtimestamp(mktime(...))) */
	status_case("status: all at first", T3, 0, "", 1,
	    "2021-04-08 12:00:24 Starting - Preparing the instances for "
	    "training\n2021-04-08 12:00:24 Downloading - Downloading input "
	    "data\n2021-04-08 12:00:24 Training - Downloading the training "
	    "image");
	/* two new transitions since the last print: transitions[1 - 3:] */
	status_case("status: the new ones", T3, 1, "Launching requested ML "
	    "instances", 1, "2021-04-08 12:00:24 Downloading - Downloading "
	    "input data\n2021-04-08 12:00:24 Training - Downloading the "
	    "training image");
	/* same count, message changed: the last one only */
	status_case("status: same count", T3, 3, "Downloading input data", 1,
	    "2021-04-08 12:00:24 Training - Downloading the training image");
	/* unchanged last message: not changed (the caller prints nothing) */
	status_case("status: unchanged", T3, 3, "Downloading the training "
	    "image", 0, "2021-04-08 12:00:24 Training - Downloading the "
	    "training image");
	/* no transitions: nothing */
	status_case("status: none", "{\"SecondaryStatusTransitions\": []}",
	    0, "", 0, "");
	/* an ISO 8601 time (other servers) */
	status_case("status: ISO time", "{\"LastModifiedTime\": "
	    "\"2021-04-08T11:56:50.123Z\", \"SecondaryStatusTransitions\": "
	    "[{\"Status\": \"Starting\", \"StatusMessage\": \"Starting the "
	    "training job\"}]}", 0, "", 1,
	    "2021-04-08 11:56:50 Starting - Starting the training job");
}

static void
text_case(const char *name, int (*fn)(const cJSON *, const char *,
    struct buf *), const char *doc, const char *want)
{
	cJSON *d = cJSON_Parse(doc);
	struct buf b;

	buf_init(&b, 1 << 16);
	CHECK(name, fn(d, "job-1", &b) == 0);
	CHECK_STREQ(name, b.data ? b.data : "", want);
	buf_free(&b);
	cJSON_Delete(d);
}

static int
status_text_of(const cJSON *d, const char *job, struct buf *b)
{
	(void)job;
	return wait_status_text(d, NULL, b);
}

static void
summary_case(const char *name, const char *doc, long count, const char *want)
{
	cJSON *d = cJSON_Parse(doc);
	struct buf b;

	buf_init(&b, 1 << 16);
	CHECK(name, wait_summary_text(d, count, &b) == 0);
	CHECK_STREQ(name, b.data ? b.data : "", want);
	buf_free(&b);
	cJSON_Delete(d);
}

static void
test_texts(void)
{
	cJSON *d;

	/* aws/amazon-sagemaker-examples#1237: 143, 43, 69.9% */
	summary_case("summary: spot", "{\"TrainingTimeInSeconds\": 143, "
	    "\"BillableTimeInSeconds\": 43, \"EnableManagedSpotTraining\": "
	    "true}", 1, "Training seconds: 143\nBillable seconds: 43\n"
	    "Managed Spot Training savings: 69.9%\n");
	summary_case("summary: times the instance count",
	    "{\"TrainingTimeInSeconds\": 331, \"BillableTimeInSeconds\": 331}",
	    3, "Training seconds: 993\nBillable seconds: 993\n");
	summary_case("summary: spot with zero seconds (SDK divides by 0)",
	    "{\"TrainingTimeInSeconds\": 0, \"BillableTimeInSeconds\": 0, "
	    "\"EnableManagedSpotTraining\": true}", 1,
	    "Training seconds: 0\nBillable seconds: 0\n");
	summary_case("summary: none", "{}", 1, "");
	/* Issue 12 B7: service numbers past what the API allows. */
	summary_case("summary: 5e18 seconds x 2 is not printed wrapped",
	    "{\"TrainingTimeInSeconds\": 5e18}", 2, "");
	summary_case("summary: 1e30 seconds", "{\"TrainingTimeInSeconds\": "
	    "1e30, \"BillableTimeInSeconds\": 7}", 1, "Billable seconds: 7\n");
	summary_case("summary: billable 1e30, spot",
	    "{\"TrainingTimeInSeconds\": 10, \"BillableTimeInSeconds\": 1e30, "
	    "\"EnableManagedSpotTraining\": true}", 1,
	    "Training seconds: 10\n");
	summary_case("summary: fractional seconds",
	    "{\"TrainingTimeInSeconds\": 1.5}", 1, "");
	summary_case("summary: negative seconds",
	    "{\"TrainingTimeInSeconds\": -3}", 1, "");
	summary_case("summary: largest Integer x largest count",
	    "{\"TrainingTimeInSeconds\": 2147483647}", 2147483647,
	    "Training seconds: 4611686014132420609\n");
	summary_case("summary: product past a long long",
	    "{\"TrainingTimeInSeconds\": 2147483647}", LONG_MAX, "");
	d = cJSON_Parse("{\"ResourceConfig\": {\"InstanceCount\": 1e30}}");
	CHECK_INTEQ("instance count 1e30", wait_instance_count(d), 1);
	cJSON_Delete(d);
	d = cJSON_Parse("{\"ResourceConfig\": {\"InstanceGroups\": ["
	    "{\"InstanceCount\": 2147483647}, {\"InstanceCount\": 5e18}, "
	    "{\"InstanceCount\": 3}]}}");
	CHECK_INTEQ("instance count: a group of 5e18 counts none",
	    wait_instance_count(d), 2147483650L);
	cJSON_Delete(d);
	text_case("status: LastModifiedTime 1e30", status_text_of,
	    "{\"LastModifiedTime\": 1e30, \"SecondaryStatusTransitions\": "
	    "[{\"Status\": \"Starting\", \"StatusMessage\": \"m\"}]}",
	    "1970-01-01 00:00:00 Starting - m");
	text_case("status: LastModifiedTime -1e30", status_text_of,
	    "{\"LastModifiedTime\": -1e30, \"SecondaryStatusTransitions\": "
	    "[{\"Status\": \"Starting\", \"StatusMessage\": \"m\"}]}",
	    "1970-01-01 00:00:00 Starting - m");
	d = cJSON_Parse("{\"ResourceConfig\": {\"InstanceGroups\": ["
	    "{\"InstanceCount\": 2}, {\"InstanceCount\": 3}]}}");
	CHECK_INTEQ("instance count: groups", wait_instance_count(d), 5);
	cJSON_Delete(d);
	d = cJSON_Parse("{\"ResourceConfig\": {\"InstanceCount\": 4}}");
	CHECK_INTEQ("instance count", wait_instance_count(d), 4);
	cJSON_Delete(d);

	text_case("model: artifacts", wait_model_text, "{\"ModelArtifacts\": "
	    "{\"S3ModelArtifacts\": \"s3://b/p/job-1/output/model.tar.gz\"}}",
	    "You can find your model data at: "
	    "s3://b/p/job-1/output/model.tar.gz\n");
	text_case("model: none yet", wait_model_text, "{\"OutputDataConfig\": "
	    "{\"S3OutputPath\": \"s3://b/p\"}}", "You can find your model "
	    "data at: s3://b/p/job-1/output/model.tar.gz\n");
	text_case("model: uncompressed is a dict", wait_model_text,
	    "{\"OutputDataConfig\": {\"S3OutputPath\": \"s3://b/p\", "
	    "\"CompressionType\": \"NONE\"}, \"ModelArtifacts\": "
	    "{\"S3ModelArtifacts\": \"s3://b/p/job-1/output/model\"}}",
	    "You can find your model data at: {'S3DataSource': {'S3Uri': "
	    "'s3://b/p/job-1/output/model/', 'S3DataType': 'S3Prefix', "
	    "'CompressionType': 'None'}}\n");
	text_case("failure", wait_failure_text, "{\"TrainingJobStatus\": "
	    "\"Failed\", \"FailureReason\": \"AlgorithmError: boom\"}",
	    "Error for Training job job-1: Failed. Reason: AlgorithmError: "
	    "boom. Check troubleshooting guide for common errors: "
	    "https://docs.aws.amazon.com/sagemaker/latest/dg/"
	    "sagemaker-python-sdk-troubleshooting.html");
	text_case("failure without a reason", wait_failure_text,
	    "{\"TrainingJobStatus\": \"Failed\"}",
	    "Error for Training job job-1: Failed. Reason: (No reason "
	    "provided). Check troubleshooting guide for common errors: "
	    "https://docs.aws.amazon.com/sagemaker/latest/dg/"
	    "sagemaker-python-sdk-troubleshooting.html");
}

static void
test_host_names(void)
{
	static const struct { const char *in, *want; } t[] = {
		{ "job-1/algo-1-1617883214", "algo-1" },
		{ "job-1/algo-12-1617883214", "algo-12" },
		{ "job-1/algo-1", "algo-1" },
		{ "job-1/custom", "custom" },
	};
	char out[64];

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		wait_host_name(t[i].in, "job-1/", out, sizeof out);
		CHECK_STREQ("host name", out, t[i].want);
	}
}

/* --- the multiplexer ----------------------------------------------------- */

static struct fstream three[] = {
	{ "job-1/algo-2-1617883214", 0, { { 1002, "b1", 0 }, { 1005, "b2", 0 },
	    { 1005, "b3", 0 }, { 1009, "b4", 1 } }, 4 },
	{ "job-1/algo-1-1617883214", 0, { { 1001, "a1", 0 }, { 1005, "a2", 0 },
	    { 1008, "a3", 0 }, { 1010, "a4", 1 } }, 4 },
	{ "job-1/algo-3-1617883214", 0, { { 1003, "c1", 0 }, { 1004, "c2", 0 },
	    { 1011, "c3", 1 } }, 3 },
};

static char *
flush_text(struct fake *f, const char *state, int *printed, char **saved)
{
	struct wait_ops ops = fake_ops;
	struct wait_logs lg;
	struct aws_error e;
	struct wait_seen seen = { 0, "" };
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	ops.ctx = f;
	wait_logs_init(&lg, &ops, out, "job-1");
	lg.expected = 3;
	if (state != NULL)
		wait_state_load(&lg, "job-1", &seen, state, strlen(state));
	CHECK("discover", wait_logs_discover(&lg, &e) == 0);
	CHECK("flush", wait_logs_flush(&lg, &e) == 0);
	*printed = (int)lg.printed;
	*saved = wait_state_text(&lg, "job-1", &seen);
	wait_logs_free(&lg);
	fclose(out);
	return text;
}

static void
test_multiplexer(void)
{
	struct fake f = { 0 };
	char *text, *state, *again;
	int n;

	f.streams = three;
	f.nstreams = 3;
	f.page = 2;
	/* Merged by timestamp, the lowest stream index first on ties (the
	 * SDK's argmin); streams sorted by name; host names in front. */
	text = flush_text(&f, NULL, &n, &state);
	CHECK_STREQ("merge", text, "algo-1 | a1\nalgo-2 | b1\nalgo-3 | c1\n"
	    "algo-3 | c2\nalgo-1 | a2\nalgo-2 | b2\nalgo-2 | b3\nalgo-1 | a3\n");
	CHECK_INTEQ("merge: count", n, 8);
	free(text);
	/* the next flush, after more events arrive: only the new ones */
	f.described = 1;
	text = flush_text(&f, state, &n, &again);
	CHECK_STREQ("resume", text, "algo-2 | b4\nalgo-1 | a4\nalgo-3 | c3\n");
	free(text);
	free(state);
	/* nothing new: nothing */
	text = flush_text(&f, again, &n, &state);
	CHECK_STREQ("idle", text, "");
	free(text);
	free(state);
	free(again);

	/* An interrupt after 5 lines, in the middle of a page; the saved
	 * positions resume with line 6: none lost, none twice. */
	memset(&f, 0, sizeof f);
	f.streams = three;
	f.nstreams = 3;
	f.page = 2;
	f.described = 1;
	f.interrupt_at = 6;
	text = flush_text(&f, NULL, &n, &state);
	CHECK_STREQ("interrupted", text, "algo-1 | a1\nalgo-2 | b1\n"
	    "algo-3 | c1\nalgo-3 | c2\nalgo-1 | a2\n");
	free(text);
	f.interrupt_at = 0;
	f.interrupts = 0;
	text = flush_text(&f, state, &n, &again);
	CHECK_STREQ("interrupted: the rest", text, "algo-2 | b2\nalgo-2 | b3\n"
	    "algo-1 | a3\nalgo-2 | b4\nalgo-1 | a4\nalgo-3 | c3\n");
	free(text);
	free(state);
	free(again);

	/* A token refused (expired): from the head, skipping what we printed */
	text = flush_text(&f, "{\"job\": \"job-1\", \"streams\": "
	    "{\"job-1/algo-1-1617883214\": {\"token\": \"\", \"skip\": 0, "
	    "\"lines\": 3}, \"job-1/algo-2-1617883214\": {\"token\": \"\", "
	    "\"skip\": 0, \"lines\": 4}, \"job-1/algo-3-1617883214\": {\"token\": "
	    "\"\", \"skip\": 0, \"lines\": 1}}}", &n, &state);
	CHECK_STREQ("from the head, skipping", text, "algo-3 | c2\n"
	    "algo-1 | a4\nalgo-3 | c3\n");
	free(text);
	free(state);
}

/* ColorWrap on a TTY: "\x1b[{c}m{message}\x1b[0m", c = [34, 35, 32, 36,
 * 33][stream index % 5]; one host: no name in front. */
static void
test_colors(void)
{
	static struct fstream two[] = {
		{ "job-1/algo-1-1617883214", 0, { { 1, "x", 0 } }, 1 },
		{ "job-1/algo-2-1617883214", 0, { { 2, "y", 0 } }, 1 },
	};
	struct fake f = { 0 };
	struct wait_ops ops = fake_ops;
	struct wait_logs lg;
	struct aws_error e;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	f.streams = two;
	f.page = 5;
	ops.ctx = &f;
	for (int hosts = 1; hosts <= 2; hosts++) {
		f.nstreams = hosts;
		out = open_memstream(&text, &len);
		wait_logs_init(&lg, &ops, out, "job-1");
		lg.expected = hosts;
		lg.color = 1;
		wait_logs_discover(&lg, &e);
		wait_logs_flush(&lg, &e);
		wait_logs_free(&lg);
		fclose(out);
		CHECK_STREQ(hosts == 1 ? "colours, one host" :
		    "colours, two hosts", text, hosts == 1 ?
		    "\x1b[34mx\x1b[0m\n" :
		    "\x1b[34malgo-1 | x\x1b[0m\n\x1b[35malgo-2 | y\x1b[0m\n");
		free(text);
		text = NULL;
	}
}

/* --- the loop ------------------------------------------------------------ */

#define JOB(lmt, status, secondary, transitions, extra) \
	"{\"TrainingJobName\": \"job-1\", \"TrainingJobStatus\": \"" status \
	"\", \"SecondaryStatus\": \"" secondary "\", \"LastModifiedTime\": " \
	lmt ", \"ResourceConfig\": {\"InstanceCount\": 3}, " \
	"\"SecondaryStatusTransitions\": [" transitions "]" extra "}"
#define TR(s, m) "{\"Status\": \"" s "\", \"StatusMessage\": \"" m "\"}"
#define TR_START TR("Starting", "Preparing the instances for training")
#define TR_DOWN TR("Downloading", "Downloading input data")
#define TR_TRAIN TR("Training", "Training image download completed. " \
	"Training in progress.")

static const char *const life[] = {
	JOB("1617883010.5", "InProgress", "Starting",
	    TR("Starting", "Starting the training job"), ""),
	JOB("1617883033", "InProgress", "Starting",
	    TR("Starting", "Launching requested ML instances"), ""),
	JOB("1617883224", "InProgress", "Training", TR_START "," TR_DOWN ","
	    TR("Training", "Downloading the training image"), ""),
	JOB("1617883419", "InProgress", "Training", TR_START "," TR_DOWN ","
	    TR_TRAIN, ""),
	JOB("1617883540", "Completed", "Completed", TR_START "," TR_DOWN ","
	    TR_TRAIN "," TR("Uploading", "Uploading generated training model")
	    "," TR("Completed", "Training job completed"),
	    ", \"TrainingTimeInSeconds\": 331, \"BillableTimeInSeconds\": 331, "
	    "\"ModelArtifacts\": {\"S3ModelArtifacts\": "
	    "\"s3://b/job-1/output/model.tar.gz\"}"),
};

static struct fstream late[] = {
	{ "job-1/algo-1-1617883214", 4, { { 1001, "a1", 4 }, { 1005, "a2", 4 } }, 2 },
	{ "job-1/algo-2-1617883214", 4, { { 1002, "b1", 4 } }, 1 },
	{ "job-1/algo-3-1617883214", 4, { { 1003, "c1", 4 } }, 1 },
};

static int
run_loop(struct fake *f, int stop, const char *state, char **text)
{
	struct wait_ops ops = fake_ops;
	struct wait w = { 0 };
	size_t len = 0;
	FILE *out = open_memstream(text, &len);
	int rc;

	ops.ctx = f;
	w.ops = &ops;
	w.out = out;
	w.job = "job-1";
	w.region = "us-east-1";
	w.logs = 1;
	w.stop_on_interrupt = stop;
	w.poll_ms = WAIT_POLL_MS;
	w.outage = 100;
	w.state_text = state;
	w.state_len = state ? strlen(state) : 0;
	rc = wait_run(&w);
	wait_free(&w);
	fclose(out);
	return rc;
}

/*
 * The transcript the SDK's rules give for this life (section 12.2):
 * the first describe's transition, no newline; a dot per tick without a
 * stream; "\n" before each changed block; the new transitions of a
 * describe together, all at its LastModifiedTime; the first log line on a
 * line of its own (section 13 item 1); "\n" after the block of the
 * terminal status; the summary times 3 hosts; accelerate's model line.
 */
static const char want_life[] =
    "2021-04-08 11:56:50 Starting - Starting the training job.\n"
    "2021-04-08 11:57:13 Starting - Launching requested ML instances.\n"
    "2021-04-08 12:00:24 Downloading - Downloading input data\n"
    "2021-04-08 12:00:24 Training - Downloading the training image...\n"
    "2021-04-08 12:03:39 Training - Training image download completed. "
    "Training in progress.\n"
    "algo-1 | a1\nalgo-2 | b1\nalgo-3 | c1\nalgo-1 | a2\n"
    "\n"
    "2021-04-08 12:05:40 Uploading - Uploading generated training model\n"
    "2021-04-08 12:05:40 Completed - Training job completed\n"
    "Training seconds: 993\nBillable seconds: 993\n"
    "You can find your model data at: s3://b/job-1/output/model.tar.gz\n";

static void
test_loop(void)
{
	struct fake f = { 0 };
	char *text, *state;
	int rc;

	f.docs = life;
	f.ndocs = 5;
	f.streams = late;
	f.nstreams = 3;
	f.page = 10;
	rc = run_loop(&f, 0, NULL, &text);
	CHECK_INTEQ("life: exit", rc, EXIT_OK);
	CHECK_STREQ("life: transcript", text, want_life);
	CHECK_INTEQ("life: describes", f.described, 5);
	/* ticks of 10 s * 1.1: 1 per describe while Starting (2), then 3
	 * per describe (6), then one to drain the late events */
	CHECK("life: clock", f.clock > 9 * 11.0 - 1 && f.clock < 9 * 11.0 + 1);
	CHECK_INTEQ("life: streams listed until all 3 were found", f.lists, 6);
	free(text);

	/* Detach in the middle of the log lines (an interrupt while the
	 * fourth page is read: two lines out), then re-attach with the saved
	 * positions after the job ended: every line once. */
	memset(&f, 0, sizeof f);
	f.docs = life;
	f.ndocs = 5;
	f.streams = late;
	f.nstreams = 3;
	f.page = 1;
	f.interrupt_on_get = 4;
	rc = run_loop(&f, 0, NULL, &text);
	CHECK_INTEQ("detach: exit 75", rc, EXIT_TEMPFAIL);
	CHECK_INTEQ("detach: no stop sent", f.stops, 0);
	CHECK_INTEQ("detach: the job was described 4 times", f.described, 4);
	state = strdup(f.saved);
	f.interrupt_on_get = 0;
	f.interrupts = 0;
	{
		char *more;
		struct buf all;

		rc = run_loop(&f, 0, state, &more);
		CHECK_INTEQ("re-attach: exit", rc, EXIT_OK);
		buf_init(&all, 1 << 16);
		buf_puts(&all, text);
		buf_puts(&all, more);
		CHECK_STREQ("detach + re-attach: every line once", all.data,
		    "2021-04-08 11:56:50 Starting - Starting the training job.\n"
		    "2021-04-08 11:57:13 Starting - Launching requested ML "
		    "instances.\n"
		    "2021-04-08 12:00:24 Downloading - Downloading input data\n"
		    "2021-04-08 12:00:24 Training - Downloading the training "
		    "image...\n"
		    "2021-04-08 12:03:39 Training - Training image download "
		    "completed. Training in progress.\n"
		    "algo-1 | a1\nalgo-2 | b1\n"
		    "2021-04-08 12:05:40 Uploading - Uploading generated "
		    "training model\n"
		    "2021-04-08 12:05:40 Completed - Training job completed\n"
		    "algo-3 | c1\nalgo-1 | a2\n"
		    "Training seconds: 993\nBillable seconds: 993\n"
		    "You can find your model data at: "
		    "s3://b/job-1/output/model.tar.gz\n");
		buf_free(&all);
		free(more);
	}
	free(state);
	free(text);
}

static const char *const stopping[] = {
	JOB("1617883600", "Stopping", "Stopping", TR_START "," TR_DOWN ","
	    TR_TRAIN "," TR("Stopping", "Stopping the training job"), ""),
	JOB("1617883602", "Stopped", "Stopped", TR_START "," TR_DOWN ","
	    TR_TRAIN "," TR("Stopped", "Training job stopped"),
	    ", \"TrainingTimeInSeconds\": 20, \"BillableTimeInSeconds\": 20"),
};

static const char *const failed[] = {
	JOB("1617883010", "InProgress", "Starting",
	    TR("Starting", "Starting the training job"), ""),
	JOB("1617883419", "InProgress", "Training", TR_START "," TR_DOWN ","
	    TR_TRAIN, ""),
	JOB("1617883500", "Failed", "Failed", TR_START "," TR_DOWN ","
	    TR_TRAIN "," TR("Failed", "Training job failed"),
	    ", \"FailureReason\": \"AlgorithmError: boom\""),
};

#define RULE(s) ", \"ProfilerRuleEvaluationStatuses\": [{" \
	"\"RuleConfigurationName\": \"ProfilerReport-1617883008\", " \
	"\"RuleEvaluationStatus\": \"" s "\"}]"

static const char *const ruled[] = {
	JOB("1617883010", "InProgress", "Starting",
	    TR("Starting", "Starting the training job"), ""),
	JOB("1617883033", "InProgress", "Starting",
	    TR("Starting", "Launching requested ML instances"),
	    RULE("InProgress")),
	JOB("1617883540", "Completed", "Completed",
	    TR("Starting", "Launching requested ML instances") ","
	    TR("Completed", "Training job completed"), RULE("IssuesFound")),
};

static void
test_rules(void)
{
	struct fake f = { 0 };
	cJSON *a = cJSON_Parse("[{\"RuleConfigurationName\": \"r\", "
	    "\"RuleEvaluationStatus\": \"InProgress\"}]");
	cJSON *b = cJSON_Parse("[{\"RuleConfigurationName\": \"r\", "
	    "\"RuleEvaluationStatus\": \"NoIssuesFound\"}]");
	char *text;

	CHECK("rules: no earlier list: changed", wait_rules_changed(a, NULL));
	CHECK("rules: same: unchanged", !wait_rules_changed(a, a));
	CHECK("rules: a status moved: changed", wait_rules_changed(b, a));
	cJSON_Delete(a);
	cJSON_Delete(b);
	/* the SDK glues the first rule line to the open status line (the
	 * accelerate guide's sample); we start it on a line of its own */
	f.docs = ruled;
	f.ndocs = 3;
	CHECK_INTEQ("rules: exit", run_loop(&f, 0, NULL, &text), EXIT_OK);
	CHECK_STREQ("rules: printed when they change", text,
	    "2021-04-08 11:56:50 Starting - Starting the training job.\n"
	    "2021-04-08 11:57:13 Starting - Launching requested ML instances\n"
	    "ProfilerReport-1617883008: InProgress\n"
	    ".\n"
	    "2021-04-08 12:05:40 Completed - Training job completed\n"
	    "ProfilerReport-1617883008: IssuesFound\n"
	    "..\n"
	    "You can find your model data at: job-1/output/model.tar.gz\n");
	free(text);
}

static void
test_endings(void)
{
	struct fake f = { 0 };
	char *text;
	int rc;

	/* --stop: StopTrainingJob, follow to Stopped, exit 1 */
	f.docs = life;
	f.ndocs = 5;
	f.stop_docs = stopping;
	f.nstop_docs = 2;
	f.streams = late;
	f.nstreams = 3;
	f.page = 10;
	f.interrupt_on_describe = 4;
	rc = run_loop(&f, 1, NULL, &text);
	CHECK_INTEQ("stop: exit 1", rc, EXIT_NO);
	CHECK_INTEQ("stop: one StopTrainingJob", f.stops, 1);
	CHECK("stop: Stopped shown", strstr(text, "2021-04-08 12:06:42 "
	    "Stopped - Training job stopped\nTraining seconds: 60\n") != NULL);
	free(text);

	/* Failed: exit 1, no summary */
	memset(&f, 0, sizeof f);
	f.docs = failed;
	f.ndocs = 3;
	rc = run_loop(&f, 0, NULL, &text);
	CHECK_INTEQ("failed: exit 1", rc, EXIT_NO);
	CHECK("failed: no summary", strstr(text, "Training seconds") == NULL);
	free(text);

	/* throttled describes: the wait goes on */
	memset(&f, 0, sizeof f);
	f.docs = life;
	f.ndocs = 5;
	f.fail_describes = 4;
	rc = run_loop(&f, 0, NULL, &text);
	CHECK_INTEQ("throttled: still completes", rc, EXIT_OK);
	free(text);

	/* an outage longer than the limit: 75 */
	memset(&f, 0, sizeof f);
	f.docs = life;
	f.ndocs = 5;
	f.fail_describes = 1000;
	rc = run_loop(&f, 0, NULL, &text);
	CHECK_INTEQ("outage: exit 75", rc, EXIT_TEMPFAIL);
	CHECK("outage: after the limit", f.clock >= 100 && f.clock < 115);
	free(text);

	/* a refusal: 1 */
	memset(&f, 0, sizeof f);
	f.docs = life;
	f.ndocs = 5;
	f.refuse = 1;
	rc = run_loop(&f, 0, NULL, &text);
	CHECK_INTEQ("refused: exit 1", rc, EXIT_NO);
	free(text);
}

int
main(void)
{
	test_status();
	test_texts();
	test_host_names();
	test_multiplexer();
	test_colors();
	test_loop();
	test_endings();
	test_rules();
	return check_done();
}
