/* progress.c - see progress.h. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "progress.h"
#include "util.h"

struct progress {
	FILE *out;
	int tty;
	pthread_mutex_t lock;
	long long total, done, base;	/* base: done before this run */
	double start, last;
	int drawn;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct progress *
progress_new(FILE *out, int tty)
{
	struct progress *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	p->out = out;
	p->tty = tty;
	pthread_mutex_init(&p->lock, NULL);
	return p;
}

void
progress_free(struct progress *p)
{
	if (p == NULL)
		return;
	pthread_mutex_destroy(&p->lock);
	free(p);
}

void
progress_start(struct progress *p, long long total, long long done)
{
	pthread_mutex_lock(&p->lock);
	p->total = total;
	p->done = p->base = done;
	p->start = p->last = now();
	p->drawn = 0;
	pthread_mutex_unlock(&p->lock);
}

void
progress_add(struct progress *p, long long n)
{
	pthread_mutex_lock(&p->lock);
	p->done += n;
	pthread_mutex_unlock(&p->lock);
}

static void
mib(char *out, size_t len, long long n)
{
	if (n >= (1LL << 30))
		snprintf(out, len, "%.2f GiB", (double)n / (1 << 30));
	else
		snprintf(out, len, "%.1f MiB", (double)n / (1 << 20));
}

void
progress_format(char *out, size_t len, long long done, long long total,
    double seconds, double rate)
{
	char d[32], t[32], r[32], eta[32] = "--:--";
	long left;
	int pct = total > 0 ? (int)(done * 100 / total) : 100;
	int bars = pct / 5;

	mib(d, sizeof d, done);
	mib(t, sizeof t, total);
	mib(r, sizeof r, (long long)rate);
	if (rate > 0) {
		left = (long)((double)(total - done) / rate + 0.5);
		snprintf(eta, sizeof eta, "%ld:%02ld", left / 60, left % 60);
	}
	snprintf(out, len, "[%.*s%*s] %3d%% %s / %s  %s/s  ETA %s  (%.0f s)",
	    bars, "####################", 20 - bars, "", pct, d, t, r, eta,
	    seconds);
}

static void
draw(struct progress *p, double t, int final)
{
	char line[160];
	double secs = t - p->start;
	double rate = secs > 0 ? (double)(p->done - p->base) / secs : 0;

	progress_format(line, sizeof line, p->done, p->total, secs, rate);
	if (p->tty)
		fprintf(p->out, "\r%s\033[K%s", line, final ? "\n" : "");
	else
		fprintf(p->out, "%s: %s\n", accel_prog, line);
	fflush(p->out);
	p->last = t;
	p->drawn = 1;
}

void
progress_tick(struct progress *p)
{
	double t = now();

	pthread_mutex_lock(&p->lock);
	if (p->tty ? (t - p->last) * 1000 >= PROGRESS_TTY_MS :
	    t - p->last >= PROGRESS_LINE_SECONDS)
		draw(p, t, 0);
	pthread_mutex_unlock(&p->lock);
}

void
progress_end(struct progress *p)
{
	pthread_mutex_lock(&p->lock);
	if (p->tty || p->drawn)
		draw(p, now(), 1);
	pthread_mutex_unlock(&p->lock);
}
