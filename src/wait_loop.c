/*
 * wait_loop.c - the poll loop of the SDK's _logs_for_job
 * (sagemaker-api.md section 12.2), in ticks of W->poll_ms:
 *
 *   describe at once (the SDK sleeps 5 s first), print the transitions
 *   so far; then each tick: print the new log events (or a dot while no
 *   stream exists), sleep poll * [1, 1.2), and every WAIT_DESCRIBE_TICKS
 *   ticks (every tick while Starting or stopping) describe again and print
 *   the new transitions; once the job has ended, one more tick drains the
 *   late events.  Then the summary or the failure.
 *
 * --once describes once and prints what that answer shows; --stop-now
 * sends StopTrainingJob after the first describe, then follows.
 *
 * Counting ticks instead of reading the clock keeps the output of a given
 * sequence of answers the same whatever the timing.  The clock only
 * decides when an outage has lasted too long.
 */
#include <stdlib.h>
#include <string.h>

#include "sagemaker.h"
#include "wait.h"

#define ACCESS_DENIED_WARNING "Received AccessDeniedException. This could " \
	"mean the IAM role does not have the resource permissions, in which " \
	"case please add resource access and retry. For cases where the role " \
	"has tag based resource policy, continuing to wait for tag " \
	"propagation.."
#define STOPPED_WARNING "Job ended with status 'Stopped' rather than " \
	"'Completed'. This could mean the job timed out or stopped early for " \
	"some other reason: Consider checking whether it completed as you " \
	"expect."

enum state { TAILING, JOB_COMPLETE, COMPLETE };

/* A step's result: go on, try again next tick, or end with L->exit. */
enum { STEP_OK = 0, STEP_RETRY = 1, STEP_END = -1 };

struct loop {
	struct wait *w;
	const struct wait_ops *ops;
	struct wait_logs lg;
	struct wait_seen seen;
	enum state state;
	double started, last_ok;
	int warned;		/* a transient failure was reported */
	int stopping;		/* StopTrainingJob sent */
	int exit;
	int save_failed;
	cJSON *rules[2];	/* the Debug and Profiler statuses last shown */
};

static const char *const rule_keys[2] = { "DebugRuleEvaluationStatuses",
	"ProfilerRuleEvaluationStatuses" };

static const char *
field(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
ended(const cJSON *desc)
{
	const char *s = sagemaker_job_status(desc, NULL);

	return s != NULL && (strcmp(s, "Completed") == 0 ||
	    strcmp(s, "Failed") == 0 || strcmp(s, "Stopped") == 0);
}

static void
save(struct loop *L)
{
	char *text;

	fflush(L->w->out);	/* lines out before positions move on */
	if (L->ops->save == NULL || L->w->once)
		return;
	text = wait_state_text(&L->lg, L->w->job, &L->seen);
	if ((text == NULL || L->ops->save(L->ops->ctx, text,
	    strlen(text)) == -1) && !L->save_failed) {
		accel_warn("warning: cannot save the log positions; a "
		    "re-attach may show lines again");
		L->save_failed = 1;
	}
	free(text);
}

/*
 * A failed call: fatal, or transient until the outage limit.  The SDK
 * tolerates AccessDeniedException for its first 300 s (tag propagation).
 */
static int
failed(struct loop *L, const struct aws_error *e)
{
	double now = L->ops->now(L->ops->ctx);
	char text[1024];
	int denied = strcmp(e->code, "AccessDeniedException") == 0 &&
	    now - L->started <= WAIT_ACCESS_DENIED_GRACE;

	aws_error_text(e, text, sizeof text);
	if (!e->retryable && !denied) {
		accel_err("%s", text);
		L->exit = EXIT_NO;
		return STEP_END;
	}
	if (L->w->once) {
		accel_err("%s; try again later", text);
		L->exit = EXIT_TEMPFAIL;
		return STEP_END;
	}
	if (now - L->last_ok >= L->w->outage) {
		accel_err("%s; no answer for %.0f s, giving up; run the same "
		    "command again to re-attach", text, now - L->last_ok);
		L->exit = EXIT_TEMPFAIL;
		return STEP_END;
	}
	if (!L->warned)
		accel_warn("%s; still waiting", denied ?
		    ACCESS_DENIED_WARNING : text);
	L->warned = 1;
	return STEP_RETRY;
}

static void
answered(struct loop *L)
{
	L->last_ok = L->ops->now(L->ops->ctx);
	L->warned = 0;
}

static int
describe(struct loop *L)
{
	struct aws_error e;
	cJSON *d;

	if (L->ops->describe(L->ops->ctx, &d, &e) == -1)
		return failed(L, &e);
	answered(L);
	cJSON_Delete(L->w->desc);
	L->w->desc = d;
	return STEP_OK;
}

/* The new transitions, as the SDK prints them: no final newline. */
static int
print_status(struct loop *L, int first)
{
	struct buf text;

	if (!wait_status_changed(L->w->desc, &L->seen))
		return 0;
	buf_init(&text, 1 << 20);
	if (wait_status_text(L->w->desc, &L->seen, &text) == -1)
		return accel_err("cannot format the status lines:");
	if (!first)
		fputc('\n', L->w->out);
	fputs(text.data ? text.data : "", L->w->out);
	L->lg.line_open = text.len > 0;
	buf_free(&text);
	wait_seen_update(&L->seen, L->w->desc);
	save(L);
	return 0;
}

/* Rule statuses, when any changed (12.2 step 5.6); on a line of their
 * own, where the SDK glues the first to an open status line. */
static int
print_rules(struct loop *L, int i)
{
	const cJSON *now = cJSON_GetObjectItemCaseSensitive(L->w->desc,
	    rule_keys[i]);
	struct buf text;

	if (!cJSON_IsArray(now) || cJSON_GetArraySize(now) == 0 ||
	    !wait_rules_changed(now, L->rules[i]))
		return 0;
	buf_init(&text, 1 << 20);
	if (wait_rules_text(now, &text) == -1)
		return accel_err("cannot format the rule statuses:");
	if (L->lg.line_open)
		fputc('\n', L->w->out);
	fputs(text.data ? text.data : "", L->w->out);
	L->lg.line_open = 0;
	buf_free(&text);
	cJSON_Delete(L->rules[i]);
	L->rules[i] = cJSON_Duplicate(now, 1);
	return 0;
}

static int
after_describe(struct loop *L)
{
	if (print_status(L, 0) == -1)
		return -1;
	if (ended(L->w->desc)) {
		fputc('\n', L->w->out);
		L->lg.line_open = 0;
		L->state = JOB_COMPLETE;
	}
	if (print_rules(L, 0) == -1 || print_rules(L, 1) == -1)
		return -1;
	fflush(L->w->out);
	return 0;
}

static void
dot(struct loop *L)
{
	fputc('.', L->w->out);
	fflush(L->w->out);
	L->lg.line_open = 1;
}

/* _flush_log_streams: new events, or a dot while there is no stream. */
static int
flush_logs(struct loop *L)
{
	struct aws_error e;
	int rc = STEP_OK;

	if (!L->w->logs) {
		dot(L);
		return STEP_OK;
	}
	if ((long)L->lg.nstreams < L->lg.expected) {
		if (wait_logs_discover(&L->lg, &e) == -1)
			rc = failed(L, &e);
		else
			answered(L);
	}
	if (rc == STEP_END)
		return rc;
	if (L->lg.nstreams == 0) {
		dot(L);
		return rc;
	}
	if (wait_logs_flush(&L->lg, &e) == -1)
		rc = failed(L, &e);
	else
		answered(L);
	if (L->lg.printed > 0)
		save(L);
	return rc;
}

static int
detach(struct loop *L)
{
	const char *how = L->w->reattach;

	if (L->lg.line_open)
		fputc('\n', L->w->out);
	L->lg.line_open = 0;
	save(L);
	accel_err("detached from training job %s, which keeps running; to "
	    "re-attach, run %s%s%s again", L->w->job, how ? "'" : "",
	    how ? how : "the same command", how ? "'" : "");
	L->exit = EXIT_TEMPFAIL;
	return STEP_END;
}

/* SIGINT/SIGTERM: detach, or with --stop stop the job and follow it to
 * its end (a second interrupt detaches). */
static int
interrupt(struct loop *L)
{
	struct aws_error e;
	int n = L->ops->interrupted(L->ops->ctx);

	if (n <= L->lg.handled)
		return STEP_OK;
	L->lg.handled = n;
	if (!L->w->stop_on_interrupt || L->stopping || L->state != TAILING)
		return detach(L);
	if (L->lg.line_open)
		fputc('\n', L->w->out);
	L->lg.line_open = 0;
	fflush(L->w->out);
	if (L->ops->stop(L->ops->ctx, &e) == -1 &&
	    strcmp(e.code, "ValidationException") != 0) {
		aws_error_report(&e);
		return detach(L);
	}
	accel_err("stopping training job %s (StopTrainingJob sent); "
	    "interrupt again to detach", L->w->job);
	L->stopping = 1;
	return STEP_OK;
}

/* Describe every tick while the job starts or stops, else every third. */
static int
describe_every(const struct loop *L)
{
	const char *secondary = field(L->w->desc, "SecondaryStatus");

	if (L->stopping || secondary == NULL ||
	    strcmp(secondary, "Starting") == 0 ||
	    strcmp(secondary, "Pending") == 0)
		return 1;
	return WAIT_DESCRIBE_TICKS;
}

static void
tick(struct loop *L)
{
	double s = (double)L->w->poll_ms / 1000.0;

	L->ops->sleep(L->ops->ctx, s * (1.0 + WAIT_JITTER *
	    L->ops->random(L->ops->ctx)));
}

static int
first_describe(struct loop *L)
{
	int rc;

	while ((rc = describe(L)) == STEP_RETRY) {
		tick(L);
		if (L->ops->interrupted(L->ops->ctx) > L->lg.handled) {
			L->lg.handled = L->ops->interrupted(L->ops->ctx);
			return detach(L);
		}
	}
	return rc;
}

static int
follow(struct loop *L)
{
	int ticks = 0, rc;

	for (;;) {
		if ((rc = flush_logs(L)) == STEP_END ||
		    (rc = interrupt(L)) == STEP_END)
			return rc;
		if (L->state == COMPLETE)
			return STEP_OK;
		tick(L);
		if ((rc = interrupt(L)) == STEP_END)
			return rc;
		if (L->state == JOB_COMPLETE) {
			L->state = COMPLETE;
			continue;
		}
		if (++ticks < describe_every(L))
			continue;
		ticks = 0;
		if ((rc = describe(L)) == STEP_END)
			return rc;
		if (rc == STEP_OK && after_describe(L) == -1) {
			L->exit = EXIT_NO;
			return STEP_END;
		}
	}
}

static void
show_tail(struct loop *L)
{
	struct wait_logs *lg = &L->lg;
	struct aws_error e;
	size_t n = lg->ntail < WAIT_TAIL_LINES ? lg->ntail : WAIT_TAIL_LINES;

	if (!L->w->logs) {	/* read them now, printing nothing */
		lg->quiet = 1;
		if (wait_logs_discover(lg, &e) == 0)
			(void)wait_logs_flush(lg, &e);
		n = lg->ntail < WAIT_TAIL_LINES ? lg->ntail : WAIT_TAIL_LINES;
	}
	if (n > 0)	/* the ':' as an argument: no strerror appended */
		accel_err("the last %zu log lines%s", n, ":");
	for (size_t i = lg->ntail - n; i < lg->ntail; i++)
		fprintf(stderr, "    %s\n", lg->tail[i % WAIT_TAIL_LINES]);
	accel_err("all the logs: log group %s, log streams %s* "
	    "(https://%s.console.aws.amazon.com/cloudwatch/home?region=%s"
	    "#logsV2:log-groups/log-group/$252Faws$252Fsagemaker$252F"
	    "TrainingJobs$3FlogStreamNameFilter$3D%s$252F)", WAIT_LOG_GROUP,
	    lg->prefix, L->w->region, L->w->region, L->w->job);
}

static int
print_text(struct loop *L, int (*fn)(const cJSON *, const char *,
    struct buf *), long count)
{
	struct buf text;
	int rc;

	buf_init(&text, 1 << 16);
	rc = fn != NULL ? fn(L->w->desc, L->w->job, &text) :
	    wait_summary_text(L->w->desc, count, &text);
	if (rc == 0)
		fputs(text.data ? text.data : "", L->w->out);
	buf_free(&text);
	return rc;
}

/* _check_job_status, then the summary (section 12.6) and the model. */
static int
finish(struct loop *L)
{
	const char *status = sagemaker_job_status(L->w->desc, NULL);
	struct buf text;

	if (status == NULL)
		status = "";
	L->w->terminal = 1;
	if (L->lg.line_open)
		fputc('\n', L->w->out);
	L->lg.line_open = 0;
	save(L);
	if (strcmp(status, "Completed") != 0 &&
	    strcmp(status, "Stopped") != 0) {
		buf_init(&text, 1 << 16);
		if (wait_failure_text(L->w->desc, L->w->job, &text) == 0)
			accel_err("%s", text.data);
		buf_free(&text);
		show_tail(L);
		return EXIT_NO;
	}
	if (strcmp(status, "Stopped") == 0) {
		fflush(L->w->out);
		accel_warn("warning: %s", STOPPED_WARNING);
	}
	if (print_text(L, NULL, L->lg.expected) == -1 ||
	    print_text(L, wait_model_text, 0) == -1) {
		fflush(L->w->out);
		accel_err("cannot format the summary:");
		return EXIT_NO;
	}
	fflush(L->w->out);
	return strcmp(status, "Completed") == 0 ? EXIT_OK : EXIT_NO;
}

static void
end_line(struct loop *L)
{
	if (L->lg.line_open)
		fputc('\n', L->w->out);
	L->lg.line_open = 0;
	fflush(L->w->out);
}

/*
 * --stop-now: StopTrainingJob before following.  A job that ends between
 * the describe and the stop is refused with ValidationException; the
 * describes that follow show its end.
 */
static int
send_stop(struct loop *L)
{
	struct aws_error e;

	end_line(L);
	if (L->ops->stop(L->ops->ctx, &e) == -1 &&
	    strcmp(e.code, "ValidationException") != 0) {
		aws_error_report(&e);
		L->exit = e.retryable ? EXIT_TEMPFAIL : EXIT_NO;
		return STEP_END;
	}
	accel_err("stopping training job %s (StopTrainingJob sent); "
	    "interrupt to detach", L->w->job);
	L->stopping = 1;
	return STEP_OK;
}

/* --once, or --stop-now on a job that has ended: no waiting. */
static int
at_once(struct loop *L)
{
	const char *status = sagemaker_job_status(L->w->desc, NULL);
	char q[QUOTE_SIZE(64)];

	end_line(L);
	if (L->state != COMPLETE)
		return EXIT_OK;
	if (L->w->stop_now)
		accel_err("training job %s has already ended (%s); not "
		    "stopping it", L->w->job, quote_name(status ? status : "?",
		    q, sizeof q));
	return finish(L);
}

int
wait_run(struct wait *w)
{
	struct loop L;
	int rc;

	memset(&L, 0, sizeof L);
	L.w = w;
	L.ops = w->ops;
	if (wait_logs_init(&L.lg, w->ops, w->out, w->job) == -1)
		return accel_err("job name too long: %s", w->job), EXIT_NO;
	L.lg.color = w->color;
	if (!w->once && w->state_text != NULL && wait_state_load(&L.lg,
	    w->job, &L.seen, w->state_text, w->state_len) == -1)
		accel_warn("warning: ignoring the saved log positions");
	L.started = L.last_ok = w->ops->now(w->ops->ctx);
	if (first_describe(&L) == STEP_END) {
		wait_logs_free(&L.lg);
		return L.exit;
	}
	L.lg.expected = wait_instance_count(w->desc);
	L.state = ended(w->desc) ? COMPLETE : TAILING;
	if (print_status(&L, 1) == -1) {
		wait_logs_free(&L.lg);
		return EXIT_NO;
	}
	fflush(w->out);
	if (w->once || (w->stop_now && L.state == COMPLETE))
		rc = at_once(&L);
	else if (w->stop_now && send_stop(&L) == STEP_END)
		rc = L.exit;
	else
		rc = follow(&L) == STEP_END ? L.exit : finish(&L);
	wait_logs_free(&L.lg);
	cJSON_Delete(L.rules[0]);
	cJSON_Delete(L.rules[1]);
	return rc;
}

void
wait_free(struct wait *w)
{
	cJSON_Delete(w->desc);
	w->desc = NULL;
}
