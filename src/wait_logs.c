/*
 * wait_logs.c - the training's log events of every host, merged by time
 * (sagemaker-api.md section 12.3, the SDK's logs.py multi_stream_iter and
 * session.py _flush_log_streams), with section 13 item 2 fixed: the stream
 * list is kept and looked for only until every host has one.
 *
 * Position of a stream: the forward token that fetches the page being read
 * ("" is the head) and how many events of that page were printed.  That is
 * exact at every event, so an interrupt between two lines, saved and
 * resumed, neither repeats nor loses one.  If a saved token is refused
 * (tokens expire) the stream is read again from its head, skipping the
 * number of lines printed.
 */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "wait.h"

/* The SDK's "no timestamp" value, compared with milliseconds as it is. */
#define NO_TIMESTAMP 9999999999.0

int
wait_logs_init(struct wait_logs *lg, const struct wait_ops *ops, FILE *out,
    const char *job)
{
	memset(lg, 0, sizeof *lg);
	lg->ops = ops;
	lg->out = out;
	lg->expected = 1;
	return xsnprintf(lg->prefix, sizeof lg->prefix, "%s/", job);
}

static void
stream_page_free(struct wait_stream *s)
{
	cJSON_Delete(s->page);
	s->page = NULL;
	s->cur = NULL;
	s->size = 0;
}

void
wait_logs_free(struct wait_logs *lg)
{
	for (size_t i = 0; i < lg->nstreams; i++) {
		stream_page_free(&lg->streams[i]);
		free(lg->streams[i].name);
	}
	free(lg->streams);
	for (size_t i = 0; i < WAIT_TAIL_LINES; i++)
		free(lg->tail[i]);
	memset(lg, 0, sizeof *lg);
}

void
wait_host_name(const char *stream, const char *prefix, char *out,
    size_t outlen)
{
	size_t plen = strlen(prefix), n;
	const char *h = strncmp(stream, prefix, plen) == 0 ? stream + plen :
	    stream;
	const char *dash = strrchr(h, '-');

	n = strlen(h);
	/* the suffix is the container's start, epoch seconds: long */
	if (dash != NULL && dash > h && strlen(dash + 1) >= 8 &&
	    strspn(dash + 1, "0123456789") == strlen(dash + 1))
		n = (size_t)(dash - h);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, h, n);
	out[n] = '\0';
}

/* The stream NAME, added in sorted place (the SDK's orderBy name). */
static struct wait_stream *
stream_add(struct wait_logs *lg, const char *name)
{
	struct wait_stream *grown, *s;
	size_t i;

	for (i = 0; i < lg->nstreams; i++) {
		int c = strcmp(lg->streams[i].name, name);

		if (c == 0)
			return &lg->streams[i];
		if (c > 0)
			break;
	}
	if (lg->nstreams == WAIT_MAX_STREAMS)
		return NULL;
	grown = realloc(lg->streams, (lg->nstreams + 1) * sizeof *grown);
	if (grown == NULL)
		return NULL;
	lg->streams = grown;
	memmove(&grown[i + 1], &grown[i], (lg->nstreams - i) * sizeof *grown);
	s = &grown[i];
	memset(s, 0, sizeof *s);
	if ((s->name = strdup(name)) == NULL) {
		memmove(&grown[i], &grown[i + 1],
		    (lg->nstreams - i) * sizeof *grown);
		return NULL;
	}
	wait_host_name(name, lg->prefix, s->host, sizeof s->host);
	lg->nstreams++;
	return s;
}

static int
no_memory(struct aws_error *e, const char *op)
{
	memset(e, 0, sizeof *e);
	e->service = "CloudWatch Logs";
	e->operation = op;
	snprintf(e->code, sizeof e->code, "OutOfMemory");
	return -1;
}

int
wait_logs_discover(struct wait_logs *lg, struct aws_error *e)
{
	cJSON *streams, *s;
	const cJSON *name;

	if ((long)lg->nstreams >= lg->expected)
		return 0;
	if (lg->ops->list_streams(lg->ops->ctx, lg->prefix, &streams,
	    e) == -1) {
		/* No log group until the first container logs. */
		return strcmp(e->code, "ResourceNotFoundException") == 0 ?
		    0 : -1;
	}
	cJSON_ArrayForEach(s, streams) {
		name = cJSON_GetObjectItemCaseSensitive(s, "logStreamName");
		if (cJSON_IsString(name) &&
		    stream_add(lg, name->valuestring) == NULL) {
			cJSON_Delete(streams);
			return no_memory(e, "DescribeLogStreams");
		}
	}
	cJSON_Delete(streams);
	return 0;
}

static int
stream_fetch(struct wait_logs *lg, struct wait_stream *s,
    struct aws_error *e)
{
	int done, rc;

	memcpy(s->next, s->token, sizeof s->next);
	rc = lg->ops->get_events(lg->ops->ctx, s->name, s->next, &s->page,
	    &done, e);
	if (rc == -1 && s->token[0] != '\0' &&
	    strcmp(e->code, "InvalidParameterException") == 0) {
		/* An expired token: from the head, skipping what we printed. */
		s->token[0] = '\0';
		s->taken = s->lines;
		s->next[0] = '\0';
		rc = lg->ops->get_events(lg->ops->ctx, s->name, s->next,
		    &s->page, &done, e);
	}
	if (rc == -1) {
		s->page = NULL;
		return -1;
	}
	s->last = done;
	/* cJSON arrays are lists: index once, then walk */
	s->size = cJSON_GetArraySize(s->page);
	s->cur = s->taken < s->size ? cJSON_GetArrayItem(s->page,
	    (int)s->taken) : NULL;
	return 0;
}

/*
 * The next unprinted event of S, fetching pages as needed (as log_stream
 * does: until a page comes back empty); NULL when the stream has nothing
 * more for now (S->idle) or a call failed (RC -1).  When the token does
 * not move, the same page comes back next time, so the count printed
 * stays; when it moves, the count carries over what is left to skip
 * (a stream read again from its head after a refused token).
 */
static const cJSON *
stream_peek(struct wait_logs *lg, struct wait_stream *s, int *rc,
    struct aws_error *e)
{
	long size;

	while (!s->idle) {
		if (s->page == NULL) {
			if (stream_fetch(lg, s, e) == -1) {
				*rc = -1;
				return NULL;
			}
			continue;
		}
		size = s->size;
		if (s->taken < size)
			return s->cur;
		if (strcmp(s->next, s->token) == 0) {
			s->idle = 1;
		} else {
			memcpy(s->token, s->next, sizeof s->token);
			s->taken -= size;
			s->idle = size == 0 || s->last;
		}
		stream_page_free(s);
	}
	return NULL;
}

/* Milliseconds up to the end of year 9999; anything else has none. */
#define LAST_MILLISECOND 253402300799999.0

static double
event_time(const cJSON *ev)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(ev, "timestamp");
	double ms;

	return json_real(t, 0, LAST_MILLISECOND, &ms) == 0 ? ms :
	    NO_TIMESTAMP;
}

static void
tail_push(struct wait_logs *lg, const char *line)
{
	size_t slot = lg->ntail % WAIT_TAIL_LINES;

	free(lg->tail[slot]);
	lg->tail[slot] = strdup(line);
	lg->ntail++;
}

/* ColorWrap: c = [34, 35, 32, 36, 33][index % 5] on a TTY. */
static void
print_event(struct wait_logs *lg, size_t index, const cJSON *ev)
{
	static const int colors[] = { 34, 35, 32, 36, 33 };
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(ev, "message");
	const char *msg = cJSON_IsString(m) ? m->valuestring : "";
	const struct wait_stream *s = &lg->streams[index];

	tail_push(lg, msg);
	if (lg->quiet)
		return;
	if (lg->line_open) {
		/* section 13 item 1: not glued to the dots or status line */
		fputc('\n', lg->out);
		lg->line_open = 0;
	}
	if (lg->color)
		fprintf(lg->out, "\x1b[%dm", colors[index % 5]);
	if (lg->expected > 1)
		fprintf(lg->out, "%s | ", s->host);
	fputs(msg, lg->out);
	if (lg->color)
		fputs("\x1b[0m", lg->out);
	fputc('\n', lg->out);
	lg->printed++;
}

int
wait_logs_flush(struct wait_logs *lg, struct aws_error *e)
{
	const cJSON *ev, *best_ev;
	struct wait_stream *s;
	double t, best_t;
	size_t i, best;
	int rc = 0;

	lg->printed = 0;
	for (i = 0; i < lg->nstreams; i++)
		lg->streams[i].idle = 0;
	for (;;) {
		if (lg->ops->interrupted(lg->ops->ctx) > lg->handled)
			break;
		best = lg->nstreams;
		best_ev = NULL;
		best_t = 0;
		for (i = 0; i < lg->nstreams && rc == 0; i++) {
			ev = stream_peek(lg, &lg->streams[i], &rc, e);
			if (ev == NULL)
				continue;
			t = event_time(ev);
			if (best_ev == NULL || t < best_t) {
				best = i;
				best_ev = ev;
				best_t = t;
			}
		}
		if (rc == -1 || best_ev == NULL)
			break;
		print_event(lg, best, best_ev);
		s = &lg->streams[best];
		s->cur = s->cur->next;
		s->taken++;
		s->lines++;
		s->timestamp = best_t;
	}
	return rc;
}

/* --- the positions file ------------------------------------------------- */

static cJSON *
stream_state(const struct wait_stream *s)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL ||
	    cJSON_AddStringToObject(o, "token", s->token) == NULL ||
	    cJSON_AddNumberToObject(o, "skip", (double)s->taken) == NULL ||
	    cJSON_AddNumberToObject(o, "timestamp", s->timestamp) == NULL ||
	    cJSON_AddNumberToObject(o, "lines", (double)s->lines) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

char *
wait_state_text(const struct wait_logs *lg, const char *job,
    const struct wait_seen *seen)
{
	cJSON *root = cJSON_CreateObject(), *streams, *st, *s;
	char *text = NULL;

	if (root == NULL || cJSON_AddStringToObject(root, "job", job) == NULL ||
	    (st = cJSON_AddObjectToObject(root, "status")) == NULL ||
	    cJSON_AddNumberToObject(st, "transitions",
	    seen->transitions) == NULL ||
	    cJSON_AddStringToObject(st, "message", seen->message) == NULL ||
	    (streams = cJSON_AddObjectToObject(root, "streams")) == NULL)
		goto out;
	for (size_t i = 0; i < lg->nstreams; i++) {
		if ((s = stream_state(&lg->streams[i])) == NULL)
			goto out;
		cJSON_AddItemToObject(streams, lg->streams[i].name, s);
	}
	text = json_dump_file_text(root, WAIT_MAX_STATE);
out:
	cJSON_Delete(root);
	return text;
}

static long
long_of(const cJSON *o, const char *key)
{
	long long n;

	return json_int(cJSON_GetObjectItemCaseSensitive(o, key), 0,
	    999999999999999LL, &n) == 0 ? (long)n : 0;
}

static int
load_stream(struct wait_logs *lg, const cJSON *item)
{
	const cJSON *tok = cJSON_GetObjectItemCaseSensitive(item, "token");
	const cJSON *ts = cJSON_GetObjectItemCaseSensitive(item, "timestamp");
	struct wait_stream *s;

	if (item->string == NULL || !cJSON_IsString(tok) ||
	    strncmp(item->string, lg->prefix, strlen(lg->prefix)) != 0)
		return 0;
	if ((s = stream_add(lg, item->string)) == NULL)
		return -1;
	if (xsnprintf(s->token, sizeof s->token, "%s", tok->valuestring) ==
	    -1)
		s->token[0] = '\0';
	s->taken = long_of(item, "skip");
	s->lines = long_of(item, "lines");
	if (json_real(ts, 0, LAST_MILLISECOND, &s->timestamp) == -1)
		s->timestamp = 0;
	if (s->token[0] == '\0' && s->taken < s->lines)
		s->taken = s->lines;
	return 0;
}

/*
 * Positions saved by an earlier run for the same job.  A file for another
 * job, or one we cannot read, is ignored: the worst is lines shown twice.
 */
int
wait_state_load(struct wait_logs *lg, const char *job,
    struct wait_seen *seen, const char *text, size_t len)
{
	cJSON *root = cJSON_ParseWithLength(text, len), *item;
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "job");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(root, "status");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(st, "message");
	int rc = 0;

	if (!cJSON_IsString(name) || strcmp(name->valuestring, job) != 0) {
		cJSON_Delete(root);
		return 0;
	}
	seen->transitions = (int)long_of(st, "transitions");
	snprintf(seen->message, sizeof seen->message, "%s",
	    cJSON_IsString(msg) ? msg->valuestring : "");
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(root,
	    "streams"))
		if ((rc = load_stream(lg, item)) == -1)
			break;
	cJSON_Delete(root);
	return rc;
}
