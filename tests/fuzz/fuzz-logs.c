/*
 * fuzz-logs.c - CloudWatch Logs answers, through what accel-wait does with
 * them.  The input is a series of JSON answers separated by NUL bytes:
 * DescribeLogStreams pages first (until one has no nextToken), then
 * GetLogEvents pages, handed out in turn by a fake transport to the
 * stream discovery and the merge of every host's events.  An answer that
 * is not JSON stands for a refused token (InvalidParameterException), so
 * the read-again-from-the-head path runs too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wait.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ROUNDS 4	/* flushes, as ticks of accel-wait's loop would */

struct feed {
	const char *p, *end;
	int done;		/* every answer handed out */
};

/* The next answer: 0 with *PAGE (NULL if not JSON), -1 when none left. */
static int
next_page(struct feed *f, cJSON **page)
{
	const char *nul;

	*page = NULL;
	if (f->done)
		return -1;
	nul = memchr(f->p, '\0', (size_t)(f->end - f->p));
	if (nul == NULL)
		nul = f->end;
	*page = cJSON_ParseWithLength(f->p, (size_t)(nul - f->p));
	if (nul == f->end)
		f->done = 1;
	else
		f->p = nul + 1;
	return 0;
}

static void
refuse(struct aws_error *e, const char *code)
{
	memset(e, 0, sizeof *e);
	snprintf(e->code, sizeof e->code, "%s", code);
}

static int
list_streams(void *ctx, const char *prefix, cJSON **streams,
    struct aws_error *e)
{
	struct feed *f = ctx;
	cJSON *all = cJSON_CreateArray(), *page;
	const char *next = "";

	(void)prefix;
	*streams = NULL;
	if (all == NULL)
		abort();
	for (int i = 0; i < LOGS_MAX_PAGES && next != NULL; i++) {
		if (next_page(f, &page) == -1)
			break;
		if (page == NULL) {
			cJSON_Delete(all);
			refuse(e, "ResourceNotFoundException");
			return -1;
		}
		next = logs_streams_page(page, all);
		if (next != NULL && strlen(next) >= LOGS_MAX_TOKEN)
			next = NULL;
		cJSON_Delete(page);
	}
	*streams = all;
	return 0;
}

static int
get_events(void *ctx, const char *stream, char token[LOGS_MAX_TOKEN],
    cJSON **events, int *done, struct aws_error *e)
{
	struct feed *f = ctx;
	const char *why;
	cJSON *page;
	int rc;

	(void)stream;
	*events = NULL;
	*done = 0;
	if (next_page(f, &page) == -1) {
		/* nothing new: an empty page, the same token */
		if ((*events = cJSON_CreateArray()) == NULL)
			abort();
		*done = 1;
		return 0;
	}
	if (page == NULL) {
		refuse(e, "InvalidParameterException");
		return -1;
	}
	rc = logs_events_page(page, token, events, done, &why);
	cJSON_Delete(page);
	if (rc == -1) {
		refuse(e, "InvalidResponse");
		return -1;
	}
	if (strlen(token) >= LOGS_MAX_TOKEN)
		abort();
	return 0;
}

static int
no_interrupt(void *ctx)
{
	(void)ctx;
	return 0;
}

/* What a flush leaves must be a position that can be saved and resumed. */
static void
check(const struct wait_logs *lg)
{
	if (lg->nstreams > WAIT_MAX_STREAMS)
		abort();
	for (size_t i = 0; i < lg->nstreams; i++) {
		const struct wait_stream *s = &lg->streams[i];

		if (s->taken < 0 || s->lines < 0 ||
		    memchr(s->host, '\0', sizeof s->host) == NULL ||
		    memchr(s->token, '\0', sizeof s->token) == NULL)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *out;
	struct feed f = { (const char *)data, (const char *)data + size, 0 };
	struct wait_ops ops = { 0 };
	struct wait_seen seen = { 0, "" };
	struct aws_error e;
	struct wait_logs lg;
	char *text;

	accel_prog = "fuzz-logs";
	if (out == NULL && (out = fopen("/dev/null", "w")) == NULL)
		abort();
	ops.ctx = &f;
	ops.list_streams = list_streams;
	ops.get_events = get_events;
	ops.interrupted = no_interrupt;
	if (wait_logs_init(&lg, &ops, out, "job-1") == -1)
		abort();
	lg.expected = 2;
	lg.color = 1;
	for (int i = 0; i < FUZZ_ROUNDS; i++) {
		if (wait_logs_discover(&lg, &e) == 0)
			(void)wait_logs_flush(&lg, &e);
		check(&lg);
	}
	text = wait_state_text(&lg, "job-1", &seen);
	free(text);
	wait_logs_free(&lg);
	return 0;
}
