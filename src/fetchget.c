/*
 * fetchget.c - one object into DIR/NAME.part by parallel ranged GETs.
 *
 * Each thread has its own client (aws_client_clone: connection, retry
 * quota) and takes the lowest part not yet done, so the file fills from the
 * front and the extractor, which reads it in order, rarely waits.  A body
 * goes straight from the socket to the file (pwrite at the part's offset,
 * http.c), so memory does not grow with the size or the number of parts in
 * flight (one per thread).  A part whose GET fails transiently after
 * aws.c's own retries goes back to the queue, at most FETCH_PART_ROUNDS
 * times; anything else stops all threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fetch.h"
#include "progress.h"
#include "util.h"

enum part_state { PART_TODO, PART_BUSY, PART_DONE };

volatile sig_atomic_t fetch_interrupted;

struct fetch_dl {
	struct fetch_ctx *f;
	struct fetch_uri uri;
	char what[QUOTE_SIZE(S3_MAX_KEY + 80)];	/* the URI for messages */
	char part_path[PATH_MAX];
	char state_path[PATH_MAX];
	int fd;
	long long size;
	long long part_size;
	long nparts;
	char etag[S3_MAX_ETAG];
	unsigned char *state;		/* enum part_state per part */
	unsigned char *rounds;		/* transient failures per part */
	long ndone;
	long long contig;		/* bytes done from offset 0 */
	long long fetched;
	long long resumed;
	pthread_t tid[FETCH_MAX_THREADS];
	int nthreads;
	pthread_mutex_t lock;		/* guards everything below fd */
	pthread_cond_t cond;
	int failed;
	int stop;
	struct aws_error error;
	int reported;
};

static long long
part_len(const struct fetch_dl *d, long i)
{
	long long off = (long long)i * d->part_size;

	return d->size - off < d->part_size ? d->size - off : d->part_size;
}

/* The state file: "accel-fetch 1", etag, size, part size, done ranges. */
static int
save_state(struct fetch_dl *d)
{
	struct buf b;
	long i, j;
	int rc;

	buf_init(&b, FETCH_MAX_STATE);
	if (buf_printf(&b, "accel-fetch 1\netag %s\nsize %lld\npart %lld\n"
	    "done", d->etag, d->size, d->part_size) == -1)
		return -1;
	for (i = 0; i < d->nparts; i = j) {
		for (j = i; j < d->nparts && d->state[j] == PART_DONE; j++)
			;
		if (j > i && buf_printf(&b, " %ld-%ld", i, j - 1) == -1)
			return -1;
		if (j == i)
			j++;
	}
	if (buf_putc(&b, '\n') == -1)
		return -1;
	rc = write_output(d->state_path, b.data, b.len);
	buf_free(&b);
	return rc == -1 ? -1 : 0;
}

/* Mark the parts of the "done" line; any disagreement: start over. */
static int
load_done(struct fetch_dl *d, char *line)
{
	char *p = line, *end;
	long a, b, i;

	while (*p == ' ') {
		a = strtol(p + 1, &end, 10);
		if (*end != '-')
			return -1;
		b = strtol(end + 1, &end, 10);
		if (a < 0 || b < a || b >= d->nparts)
			return -1;
		for (i = a; i <= b; i++)
			d->state[i] = PART_DONE;
		p = end;
	}
	return *p == '\0' ? 0 : -1;
}

static int
load_state(struct fetch_dl *d)
{
	char want[S3_MAX_ETAG + 128];
	struct buf b;
	char *line;
	size_t n;
	int rc = -1;

	if (access(d->state_path, F_OK) == -1 ||
	    read_file(d->state_path, FETCH_MAX_STATE, &b) == -1)
		return -1;
	if (xsnprintf(want, sizeof want, "accel-fetch 1\netag %s\nsize %lld\n"
	    "part %lld\ndone", d->etag, d->size, d->part_size) == -1) {
		buf_free(&b);
		return -1;
	}
	n = strlen(want);
	if (b.len > n && memcmp(b.data, want, n) == 0 &&
	    b.data[b.len - 1] == '\n') {
		line = b.data + n;
		b.data[b.len - 1] = '\0';
		rc = load_done(d, line);
	}
	buf_free(&b);
	if (rc == -1)
		memset(d->state, PART_TODO, (size_t)d->nparts);
	return rc;
}

static void
advance_contig(struct fetch_dl *d)
{
	long i = (long)(d->contig / d->part_size);

	while (i < d->nparts && d->state[i] == PART_DONE) {
		d->contig += part_len(d, i);
		i++;
	}
}

/* Open DIR/NAME.part, resuming when the state file agrees. */
static int
open_part(struct fetch_dl *d)
{
	struct stat st;
	long i;

	if (load_state(d) == 0 && (d->fd = open(d->part_path,
	    O_RDWR | O_CLOEXEC)) != -1 && fstat(d->fd, &st) == 0 &&
	    st.st_size == d->size) {
		for (i = 0; i < d->nparts; i++)
			if (d->state[i] == PART_DONE) {
				d->ndone++;
				d->resumed += part_len(d, i);
			}
		advance_contig(d);
		return 0;
	}
	if (d->fd != -1)
		close(d->fd);
	memset(d->state, PART_TODO, (size_t)d->nparts);
	d->fd = open(d->part_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644);
	if (d->fd == -1)
		return accel_err("cannot create '%s':", d->part_path);
	if (ftruncate(d->fd, d->size) == -1)
		return accel_err("cannot size '%s':", d->part_path);
	return save_state(d);
}

static long
next_part(struct fetch_dl *d)
{
	long i;

	for (i = 0; i < d->nparts; i++)
		if (d->state[i] == PART_TODO) {
			d->state[i] = PART_BUSY;
			return i;
		}
	return -1;
}

static void
fail_locked(struct fetch_dl *d, const struct aws_error *e)
{
	if (!d->failed) {
		d->failed = 1;
		d->error = *e;
	}
	pthread_cond_broadcast(&d->cond);
}

/* After one GET of part I: record it, requeue it, or stop everyone. */
static void
part_result(struct fetch_dl *d, long i, int rc, long long got,
    struct aws_error *e)
{
	pthread_mutex_lock(&d->lock);
	if (rc == 0 && got == part_len(d, i)) {
		d->state[i] = PART_DONE;
		d->ndone++;
		d->fetched += got;
		advance_contig(d);
		if (save_state(d) == -1) {
			memset(e, 0, sizeof *e);
			e->service = "S3";
			e->operation = "GetObject";
			snprintf(e->code, sizeof e->code, "LocalError");
			snprintf(e->message, sizeof e->message, "cannot save "
			    "the download state");
			fail_locked(d, e);
		}
		if (d->f->progress != NULL)
			progress_add(d->f->progress, got);
	} else if ((rc == 0 || e->retryable) &&
	    ++d->rounds[i] < FETCH_PART_ROUNDS) {
		d->state[i] = PART_TODO;
	} else {
		if (rc == 0) {
			memset(e, 0, sizeof *e);
			e->service = "S3";
			e->operation = "GetObject";
			e->retryable = 1;
			snprintf(e->code, sizeof e->code, "IncompleteBody");
			snprintf(e->message, sizeof e->message, "%lld of %lld "
			    "bytes", got, part_len(d, i));
		}
		fail_locked(d, e);
	}
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

static void *
worker(void *arg)
{
	struct fetch_dl *d = arg;
	struct aws_client c;
	struct aws_error e;
	long long first, got;
	long i;
	int rc;

	if (aws_client_clone(&c, d->f->s3) == -1) {
		memset(&e, 0, sizeof e);
		e.service = "S3";
		e.operation = "GetObject";
		snprintf(e.code, sizeof e.code, "OutOfMemory");
		pthread_mutex_lock(&d->lock);
		fail_locked(d, &e);
		pthread_mutex_unlock(&d->lock);
		return NULL;
	}
	for (;;) {
		pthread_mutex_lock(&d->lock);
		i = d->failed || d->stop || fetch_interrupted ? -1 :
		    next_part(d);
		pthread_mutex_unlock(&d->lock);
		if (i == -1)
			break;
		first = (long long)i * d->part_size;
		/* If-Match: every range from the version HeadObject saw. */
		rc = s3_get_object(&c, d->uri.bucket, d->uri.key, first,
		    first + part_len(d, i) - 1, d->etag[0] ? d->etag : NULL,
		    d->fd, (off_t)first, &got, &e);
		part_result(d, i, rc, got, &e);
	}
	aws_client_free(&c);
	return NULL;
}

static long long
choose_part_size(const struct fetch_ctx *f, long long size)
{
	long long p = f->part_size;

	if (p <= 0) {
		/*
		 * About FETCH_RANGES ranges: each request costs a round
		 * trip (and on moto a copy of the whole object).  From the
		 * size alone, so a rerun with other -j still resumes.
		 */
		p = (size / FETCH_RANGES + FETCH_PART - 1) / FETCH_PART *
		    FETCH_PART;
		p = p < FETCH_PART ? FETCH_PART : p > FETCH_PART_AUTO_MAX ?
		    FETCH_PART_AUTO_MAX : p;
	}
	while (size / p >= FETCH_MAX_PARTS)
		p *= 2;
	return p;
}

static int
head(struct fetch_dl *d)
{
	struct s3_object o;
	struct aws_error e;

	if (s3_head_object(d->f->s3, d->uri.bucket, d->uri.key, &o, &e) ==
	    -1) {
		d->f->status = aws_error_exit_status(&e);
		if (e.status == 404)	/* HEAD: no body, no code */
			return accel_err("%s: not found", d->what);
		return aws_error_report(&e);
	}
	if (o.size < 0) {
		d->f->status = EXIT_TEMPFAIL;
		return accel_err("%s: HeadObject gave no Content-Length",
		    d->what);
	}
	d->size = o.size;
	memcpy(d->etag, o.etag, sizeof d->etag);
	return 0;
}

static int
setup(struct fetch_dl *d, const char *dir, const char *name)
{
	char abs[PATH_MAX];
	int i;

	if (head(d) == -1)
		return -1;
	d->f->status = EXIT_NO;
	/*
	 * Absolute paths: the extractor changes the working directory while
	 * the threads save their state.
	 */
	if ((mkdir(dir, 0755) == -1 && errno != EEXIST) ||
	    realpath(dir, abs) == NULL)
		return accel_err("cannot create '%s':", dir);
	if (xsnprintf(d->part_path, sizeof d->part_path, "%s/%s.part", abs,
	    name) == -1 || xsnprintf(d->state_path, sizeof d->state_path,
	    "%s/%s.state", abs, name) == -1)
		return accel_err("%s/%s: path too long", dir, name);
	if (strpbrk(d->etag, "\n\r") != NULL)
		return accel_err("%s: bad ETag", d->what);
	d->part_size = choose_part_size(d->f, d->size);
	d->nparts = (long)((d->size + d->part_size - 1) / d->part_size);
	d->state = calloc((size_t)d->nparts + 1, 1);
	d->rounds = calloc((size_t)d->nparts + 1, 1);
	if (d->state == NULL || d->rounds == NULL)
		return accel_err("out of memory:");
	if (open_part(d) == -1)
		return -1;
	if (d->f->progress != NULL)
		progress_start(d->f->progress, d->size, d->resumed);
	d->nthreads = d->f->threads;
	if (d->nthreads > d->nparts - d->ndone)
		d->nthreads = (int)(d->nparts - d->ndone);
	for (i = 0; i < d->nthreads; i++)
		if (pthread_create(&d->tid[i], NULL, worker, d) != 0) {
			d->nthreads = i;
			return accel_err("cannot start a thread:");
		}
	return 0;
}

struct fetch_dl *
fetch_dl_start(struct fetch_ctx *f, const struct fetch_uri *u,
    const char *dir, const char *name)
{
	struct fetch_dl *d;

	if ((d = calloc(1, sizeof *d)) == NULL) {
		f->status = EXIT_NO;
		accel_err("out of memory:");
		return NULL;
	}
	d->f = f;
	d->uri = *u;
	fetch_uri_text(u, d->what, sizeof d->what);
	d->fd = -1;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	if (setup(d, dir, name) == -1) {
		fetch_dl_free(d);
		return NULL;
	}
	return d;
}

int
fetch_dl_fd(const struct fetch_dl *d)
{
	return d->fd;
}

long long
fetch_dl_size(const struct fetch_dl *d)
{
	return d->size;
}

const char *
fetch_dl_etag(const struct fetch_dl *d)
{
	return d->etag;
}

ssize_t
fetch_dl_avail(void *arg, off_t off)
{
	struct fetch_dl *d = arg;
	struct timespec until;
	ssize_t n;

	pthread_mutex_lock(&d->lock);
	while (!d->failed && !fetch_interrupted && d->contig <= off &&
	    off < d->size) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += PROGRESS_TTY_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&d->cond, &d->lock, &until);
		if (d->f->progress != NULL)
			progress_tick(d->f->progress);
	}
	if (d->contig > off)
		n = d->contig - off > SSIZE_MAX ? SSIZE_MAX :
		    (ssize_t)(d->contig - off);
	else
		n = d->failed || (fetch_interrupted && off < d->size) ? -1 : 0;
	pthread_mutex_unlock(&d->lock);
	return n;
}

static void
join(struct fetch_dl *d)
{
	int i;

	for (i = 0; i < d->nthreads; i++)
		pthread_join(d->tid[i], NULL);
	d->nthreads = 0;
}

/* The object is no longer the one HeadObject described. */
int
fetch_dl_changed(const struct fetch_dl *d)
{
	return d->failed && d->error.status == 412;
}

int
fetch_dl_finish(struct fetch_dl *d)
{
	join(d);
	d->f->fetched += d->fetched;
	d->f->resumed += d->resumed;
	d->fetched = d->resumed = 0;
	if (fetch_dl_changed(d)) {
		/* Not an error yet: the caller starts over (fetch_changed). */
		d->f->status = EXIT_TEMPFAIL;
		d->reported = 1;
		return -1;
	}
	if (d->failed) {
		d->f->status = aws_error_exit_status(&d->error);
		if (!d->reported)
			aws_error_report(&d->error);
		d->reported = 1;
		return -1;
	}
	if (d->ndone != d->nparts) {
		d->f->status = EXIT_TEMPFAIL;
		if (!d->reported)
			accel_err("%s: interrupted; the same command resumes "
			    "the download", d->what);
		d->reported = 1;
		return -1;
	}
	return 0;
}

void
fetch_dl_free(struct fetch_dl *d)
{
	if (d == NULL)
		return;
	pthread_mutex_lock(&d->lock);
	d->stop = 1;
	pthread_mutex_unlock(&d->lock);
	join(d);
	if (d->fd != -1)
		close(d->fd);
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->cond);
	free(d->state);
	free(d->rounds);
	free(d);
}

int
fetch_changed(struct fetch_ctx *f, const char *what, int round)
{
	if (round == 0) {
		accel_warn("%s: the object changed during the download; "
		    "starting over", what);
		return 0;
	}
	f->status = EXIT_TEMPFAIL;
	return accel_err("%s: the object changed again during the download; "
	    "giving up", what);
}

void
fetch_dl_discard(const char *dir, const char *name)
{
	char p[PATH_MAX];

	if (xsnprintf(p, sizeof p, "%s/%s.part", dir, name) == 0)
		unlink(p);
	if (xsnprintf(p, sizeof p, "%s/%s.state", dir, name) == 0)
		unlink(p);
}
