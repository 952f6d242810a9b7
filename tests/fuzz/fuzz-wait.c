/*
 * fuzz-wait.c - what accel-wait reads from disk and from the service: the
 * input is both a positions file (logpos.json, loaded then written back)
 * and a DescribeTrainingJob answer, from which the status lines, summary,
 * model line and failure text are formatted.  Catches overruns in the
 * Python-slice arithmetic, the host-name trimming and the repr quoting.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wait.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
no_interrupt(void *ctx)
{
	(void)ctx;
	return 0;
}

static void
formats(const cJSON *d, const struct wait_seen *seen)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	(void)wait_status_changed(d, seen);
	(void)wait_status_text(d, seen, &b);
	(void)wait_summary_text(d, wait_instance_count(d), &b);
	(void)wait_model_text(d, "job-1", &b);
	(void)wait_failure_text(d, "job-1", &b);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wait_ops ops = { 0 };
	struct wait_seen seen = { 0, "" };
	struct wait_logs lg;
	cJSON *d;
	char *text;

	accel_prog = "fuzz-wait";
	ops.interrupted = no_interrupt;
	if (wait_logs_init(&lg, &ops, stdout, "job-1") == -1)
		return 0;
	if (wait_state_load(&lg, "job-1", &seen, (const char *)data,
	    size) == 0) {
		text = wait_state_text(&lg, "job-1", &seen);
		free(text);
	}
	wait_logs_free(&lg);
	d = cJSON_ParseWithLength((const char *)data, size);
	if (d != NULL) {
		formats(d, &seen);
		formats(d, NULL);
	}
	cJSON_Delete(d);
	return 0;
}
