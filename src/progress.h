/*
 * progress.h - a download's progress on stderr: on a TTY a bar redrawn in
 * place (bytes, rate, time left) at most PROGRESS_TTY_MS apart; otherwise
 * one line every PROGRESS_LINE_SECONDS, so logs stay short.  Thread-safe:
 * download threads add bytes, the main thread ticks.
 */
#ifndef ACCEL_PROGRESS_H
#define ACCEL_PROGRESS_H

#include <stdio.h>

#define PROGRESS_TTY_MS 200
#define PROGRESS_LINE_SECONDS 10

struct progress;

/* progress_new: TTY selects the bar. */
struct progress *progress_new(FILE *out, int tty);
void progress_free(struct progress *p);

/* progress_start: a new transfer of TOTAL bytes, DONE of them already. */
void progress_start(struct progress *p, long long total, long long done);
void progress_add(struct progress *p, long long n);

/* progress_tick: redraw when it is time; progress_end: final state. */
void progress_tick(struct progress *p);
void progress_end(struct progress *p);

/* progress_format: the bar's text, exposed for tests. */
void progress_format(char *out, size_t len, long long done, long long total,
    double seconds, double rate);

#endif
