/*
 * wait.h - follow a training job the way the SageMaker Python SDK's
 * logs_for_job does (../shared/reference/sagemaker-api.md section 12), with
 * the flaws of section 13 fixed: status lines, the training's log events of
 * every host merged by time, dots while there is nothing to show, the
 * seconds summary and accelerate's model-data line.
 *
 * The parts, each in its own file:
 *   wait_status.c  status lines, summary lines, the failure message
 *   wait_logs.c    the log-stream multiplexer and its saved positions
 *   wait_loop.c    the poll loop: describe, tick, detach, stop, outage
 *
 * Everything that touches the world goes through struct wait_ops (AWS
 * calls, clock, sleep, randomness, signals, the positions file), so the
 * unit tests drive the loop with a scripted transport and a fake clock.
 */
#ifndef ACCEL_WAIT_H
#define ACCEL_WAIT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "aws.h"
#include "logs.h"
#include "util.h"

#define WAIT_LOG_GROUP "/aws/sagemaker/TrainingJobs"
#define WAIT_MAX_STREAMS 4096		/* log streams followed: hosts */
#define WAIT_TAIL_LINES 20		/* last log lines shown on failure */
#define WAIT_MAX_MESSAGE 512		/* a StatusMessage we remember */
#define WAIT_MAX_STATE (8 << 20)	/* the positions file */
#define WAIT_POLL_MS 10000		/* the SDK's poll: logs, dots */
#define WAIT_DESCRIBE_TICKS 3		/* describe every 30 s, as the SDK */
#define WAIT_JITTER 0.2			/* each sleep is poll * [1, 1.2) */
#define WAIT_OUTAGE 900			/* seconds without an answer: exit 75 */
#define WAIT_ACCESS_DENIED_GRACE 300	/* the SDK's AccessDenied tolerance */

/*
 * The world.  Calls return 0, or -1 with E filled (E->retryable for
 * transient failures).  list_streams returns every stream of the log group
 * whose name starts with PREFIX, all pages (an array of logStreams
 * entries); get_events is logs_get_log_events.  now is monotonic seconds;
 * sleep may return early (a signal); interrupted counts SIGINT/SIGTERM
 * received so far.  save (may be NULL) stores the positions text.
 */
struct wait_ops {
	void *ctx;
	int (*describe)(void *ctx, cJSON **out, struct aws_error *e);
	int (*stop)(void *ctx, struct aws_error *e);
	int (*list_streams)(void *ctx, const char *prefix, cJSON **streams,
	    struct aws_error *e);
	int (*get_events)(void *ctx, const char *stream,
	    char token[LOGS_MAX_TOKEN], cJSON **events, int *done,
	    struct aws_error *e);
	double (*now)(void *ctx);
	void (*sleep)(void *ctx, double seconds);
	double (*random)(void *ctx);		/* [0, 1) */
	int (*interrupted)(void *ctx);
	int (*save)(void *ctx, const char *text, size_t len);
};

/* --- status lines (wait_status.c) --------------------------------------- */

/* What the last printed description showed: the SDK keeps the whole
 * description, but only these two facts of it are ever read. */
struct wait_seen {
	int transitions;			/* SecondaryStatusTransitions */
	char message[WAIT_MAX_MESSAGE];		/* the last one's message */
};

/* secondary_training_status_changed (utils.py) */
int wait_status_changed(const cJSON *desc, const struct wait_seen *prev);

/*
 * secondary_training_status_message (utils.py): the new transitions, one
 * "YYYY-mm-dd HH:MM:SS Status - Message" line each, joined by "\n", no
 * final newline; the time is the job's LastModifiedTime in UTC.
 */
int wait_status_text(const cJSON *desc, const struct wait_seen *prev,
    struct buf *out);
void wait_seen_update(struct wait_seen *seen, const cJSON *desc);

/*
 * SageMaker Debugger and Profiler rules: _rule_statuses_changed, and the
 * "{RuleConfigurationName}: {RuleEvaluationStatus}" lines the SDK prints
 * for every rule when any changed.
 */
int wait_rules_changed(const cJSON *current, const cJSON *last);
int wait_rules_text(const cJSON *statuses, struct buf *out);

/* ResourceConfig.InstanceCount or the sum over InstanceGroups; >= 1. */
long wait_instance_count(const cJSON *desc);

/* "Training seconds: N\n" ... as _logs_for_job prints them. */
int wait_summary_text(const cJSON *desc, long instance_count,
    struct buf *out);

/* accelerate's "You can find your model data at: URI\n". */
int wait_model_text(const cJSON *desc, const char *job, struct buf *out);

/* UnexpectedStatusException's message (no newline). */
int wait_failure_text(const cJSON *desc, const char *job, struct buf *out);

/* --- the log-stream multiplexer (wait_logs.c) --------------------------- */

struct wait_stream {
	char *name;			/* JOB/algo-1-1617883214 */
	char host[64];			/* algo-1 */
	char token[LOGS_MAX_TOKEN];	/* fetches the current page; "" head */
	long taken;			/* events of that page already printed */
	double timestamp;		/* of the last printed event */
	long lines;			/* events printed in all */
	/* during a flush */
	cJSON *page;			/* the current page's events */
	cJSON *cur;			/* its event number taken */
	long size;			/* its length */
	char next[LOGS_MAX_TOKEN];	/* the page's nextForwardToken */
	int last;			/* the page said: nothing more now */
	int idle;			/* nothing more in this flush */
};

struct wait_logs {
	const struct wait_ops *ops;
	FILE *out;
	char prefix[128];		/* "JOB/" */
	long expected;			/* instance count */
	int color;			/* ColorWrap's escapes */
	int quiet;			/* fill the tail only, print nothing */
	int line_open;			/* stdout's last line has no newline */
	int handled;			/* interrupts already acted on */
	struct wait_stream *streams;
	size_t nstreams;
	char *tail[WAIT_TAIL_LINES];	/* ring of the last lines printed */
	size_t ntail;
	long printed;			/* lines printed by this flush */
};

int wait_logs_init(struct wait_logs *lg, const struct wait_ops *ops,
    FILE *out, const char *job);
void wait_logs_free(struct wait_logs *lg);

/* Look for streams while fewer than lg->expected are known (paged). */
int wait_logs_discover(struct wait_logs *lg, struct aws_error *e);

/*
 * Print every event now available, merged by timestamp.  Stops early,
 * with positions exact, when ops->interrupted turns true or a call fails
 * (-1 with E).  lg->printed counts the lines printed.
 */
int wait_logs_flush(struct wait_logs *lg, struct aws_error *e);

/* "algo-1-1617883214" after the job's prefix, less the "-EPOCH" suffix. */
void wait_host_name(const char *stream, const char *prefix, char *out,
    size_t outlen);

/* The positions and SEEN as JSON text (for ops->save), and back. */
char *wait_state_text(const struct wait_logs *lg, const char *job,
    const struct wait_seen *seen);
int wait_state_load(struct wait_logs *lg, const char *job,
    struct wait_seen *seen, const char *text, size_t len);

/* --- the loop (wait_loop.c) --------------------------------------------- */

struct wait {
	const struct wait_ops *ops;
	FILE *out;
	const char *job;
	const char *region;		/* for the console links */
	int logs;			/* stream the logs (not --no-logs) */
	int color;
	int stop_on_interrupt;		/* --stop */
	int once;			/* --once: one describe, no waiting */
	int stop_now;			/* --stop-now: StopTrainingJob first */
	long poll_ms;			/* WAIT_POLL_MS */
	double outage;			/* WAIT_OUTAGE */
	const char *state_text;		/* saved positions, or NULL */
	size_t state_len;
	const char *reattach;		/* how to re-attach, for the message */
	/* results */
	cJSON *desc;			/* the last DescribeTrainingJob */
	int terminal;			/* desc is Completed/Failed/Stopped */
};

/*
 * wait_run: follow W->job until it ends or the user detaches.  Returns
 * EXIT_OK (Completed), EXIT_NO (Failed, Stopped, a refused call),
 * EXIT_TEMPFAIL (detached, or no answer for W->outage seconds).
 * With W->once: describe once, print the status lines (and, when the job
 * has ended, what its end prints) and return at once: EXIT_OK also for a
 * job still running, EXIT_TEMPFAIL when the describe failed transiently.
 * With W->stop_now: send StopTrainingJob right after the first describe
 * (unless the job has ended), then follow as --stop does.
 */
int wait_run(struct wait *w);
void wait_free(struct wait *w);

#endif
