/*
 * fetchprefix.c - a model saved without compression (CompressionType
 * NONE): the objects under a prefix, each downloaded like an archive
 * (parts, resume), checked against its ETag by reading the finished part
 * file once, then renamed into the directory under the rest of its key.
 * Keys are held to the rules of archive entry names (no "..", no absolute
 * path), so a listing cannot write outside the directory either.
 * fetch_tree does the same for accel-local's S3Prefix channels, with
 * SageMaker's layout and a hook that skips objects already in place.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extract.h"
#include "fetch.h"
#include "fetchrun.h"
#include "progress.h"
#include "s3list.h"
#include "util.h"

struct object {
	char *key;
	long long size;
	char etag[S3_MAX_ETAG];
};

struct listing {
	struct object *o;
	size_t n, cap;
};

static int
collect(void *ctx, const char *key, long long size, const char *etag)
{
	struct listing *l = ctx;
	struct object *o;

	if (l->n == FETCH_MAX_OBJECTS)
		return 1;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		if ((o = realloc(l->o, l->cap * sizeof *o)) == NULL)
			return 2;
		l->o = o;
	}
	o = &l->o[l->n];
	if ((o->key = strdup(key)) == NULL)
		return 2;
	o->size = size;
	snprintf(o->etag, sizeof o->etag, "%s", etag ? etag : "");
	l->n++;
	return 0;
}

static void
listing_free(struct listing *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->o[i].key);
	free(l->o);
}

/* Read the finished part file once through the ETag check. */
static int
check_file(struct fetch_ctx *f, struct fetch_dl *d, const char *what,
    int kms)
{
	static unsigned char block[EXTRACT_BLOCK];
	struct etag_check *c;
	enum etag_result r;
	char why[256];
	ssize_t n;
	off_t off = 0;

	if (kms)
		return 0;
	if ((c = etag_check_new(fetch_dl_etag(d), fetch_dl_size(d))) == NULL)
		return accel_err("out of memory");
	while ((n = pread(fetch_dl_fd(d), block, sizeof block, off)) > 0) {
		etag_check_update(c, block, (size_t)n);
		off += n;
	}
	r = etag_check_final(c, why, sizeof why);
	if (n < 0)
		return accel_err("%s: cannot read the download:", what);
	if (r == ETAG_MISMATCH) {
		f->status = EXIT_NO;
		return accel_err("%s: verification failed: %s", what, why);
	}
	if (r == ETAG_UNCHECKED || f->verbose)
		accel_warn("%s: %s", what, why);
	return 0;
}

/* One object to DEST: 0, -1, or FETCH_CHANGED. */
static int
one_try(struct fetch_ctx *f, const struct fetch_job *job,
    const struct fetch_uri *u, const char *name, const char *what,
    const char *dest)
{
	struct fetch_dl *d;
	char part[PATH_MAX], q[QUOTE_SIZE(PATH_MAX)];
	int rc = -1;

	if ((d = fetch_dl_start(f, u, job->partial, name)) == NULL)
		return -1;
	if (f->progress != NULL)
		progress_end(f->progress);
	if (fetch_dl_finish(d) == -1) {
		if (fetch_dl_changed(d))
			rc = FETCH_CHANGED;
	} else if (check_file(f, d, what, job->kms) == 0) {
		if (xsnprintf(part, sizeof part, "%s/%s.part", job->partial,
		    name) == -1 || fetch_mkdirs(dest) == -1 ||
		    rename(part, dest) == -1)
			accel_err("cannot put '%s' in place:",
			    quote_name(dest, q, sizeof q));
		else
			rc = 0;
	}
	fetch_dl_free(d);
	if (rc != -1 || f->status == EXIT_NO)
		fetch_dl_discard(job->partial, name);
	return rc;
}

static int
one_object(struct fetch_ctx *f, const struct fetch_job *job,
    const char *key, size_t i, const char *dest)
{
	struct fetch_uri u = *job->uri;
	char name[32], what[QUOTE_SIZE(S3_MAX_KEY + 80)];
	int round, rc;

	snprintf(u.key, sizeof u.key, "%s", key);
	snprintf(name, sizeof name, "file-%zu", i);
	fetch_uri_text(&u, what, sizeof what);
	for (round = 0;; round++) {
		rc = one_try(f, job, &u, name, what, dest);
		if (rc != FETCH_CHANGED)
			return rc;
		if (fetch_changed(f, what, round) == -1)
			return -1;
	}
}

/* List PREFIX of JOB's bucket into L: 0, or -1 with a message. */
static int
list(struct fetch_ctx *f, const struct fetch_job *job, const char *prefix,
    struct listing *l)
{
	char q[QUOTE_SIZE(S3_MAX_KEY)];
	struct aws_error e;
	int rc;

	rc = s3_list_objects(f->s3, job->uri->bucket, prefix, collect, l, &e);
	if (rc == -1) {
		f->status = aws_error_exit_status(&e);
		return aws_error_report(&e);
	}
	quote_name(prefix, q, sizeof q);
	if (rc == 1)
		return accel_err("s3://%s/%s: more than %d objects",
		    job->uri->bucket, q, FETCH_MAX_OBJECTS);
	if (rc != 0 || l->n == 0)
		return accel_err("s3://%s/%s: %s", job->uri->bucket, q,
		    rc ? "out of memory" : "no objects under this prefix");
	return 0;
}

/*
 * Objects FROM..TO of L into DIR, each at the key's rest after SKIP bytes
 * (a leading '/' dropped when TRIM), or at BASE when not NULL.
 */
struct span {
	size_t from, to, skip;
	int trim;
	const char *base;
};

static int
fetch_listed(struct fetch_ctx *f, const struct fetch_job *job,
    const struct listing *l, const struct span *s,
    const struct fetch_tree *t, const char *dir)
{
	char rel[EXTRACT_MAX_NAME + 1], dest[PATH_MAX];
	char q[QUOTE_SIZE(S3_MAX_KEY)];
	const struct object *o;
	const char *name, *why;
	size_t i;
	int rc = 0;

	for (i = s->from; rc == 0 && i < s->to; i++) {
		o = &l->o[i];
		if (o->key[strlen(o->key) - 1] == '/')
			continue;	/* a "folder" marker */
		name = s->base ? s->base : o->key + s->skip;
		while (s->trim && *name == '/')
			name++;
		why = NULL;
		if (extract_check_name(name, rel, sizeof rel, &why) == -1 ||
		    rel[0] == '\0' ||
		    xsnprintf(dest, sizeof dest, "%s/%s", dir, rel) == -1) {
			rc = accel_err("s3://%s/%s: refused: %s",
			    job->uri->bucket, quote_name(o->key, q, sizeof q),
			    why ? why : "bad name");
			break;
		}
		if (t == NULL || t->have == NULL ||
		    t->have(t->ctx, rel, o->size, o->etag) != 1)
			rc = one_object(f, job, o->key, i, dest);
		if (rc == 0 && t != NULL && t->got != NULL &&
		    t->got(t->ctx, rel, o->size, o->etag) == -1)
			rc = -1;
	}
	return rc;
}

int
fetch_prefix(struct fetch_ctx *f, const struct fetch_job *job,
    const char *dir)
{
	char prefix[S3_MAX_KEY + 2];
	struct listing l = { 0 };
	struct span s = { 0 };
	int rc;

	f->status = EXIT_NO;
	if (job->uri->kind != FETCH_S3)
		return accel_err("file://%s: a prefix of files is fetched "
		    "from S3 only", job->uri->path);
	snprintf(prefix, sizeof prefix, "%s%s", job->uri->key,
	    job->uri->key[strlen(job->uri->key) - 1] == '/' ? "" : "/");
	if ((rc = list(f, job, prefix, &l)) == 0) {
		s.to = l.n;
		s.skip = strlen(prefix);
		rc = fetch_listed(f, job, &l, &s, NULL, dir);
	}
	listing_free(&l);
	return rc;
}

int
fetch_tree(struct fetch_ctx *f, const struct fetch_job *job,
    const struct fetch_tree *t, const char *dir)
{
	const char *prefix = job->uri->key, *slash;
	struct listing l = { 0 };
	struct span s = { 0 };
	int rc;

	f->status = EXIT_NO;
	if (job->uri->kind != FETCH_S3)
		return accel_err("file://%s: a tree is fetched from S3 only",
		    job->uri->path);
	if ((rc = list(f, job, prefix, &l)) == 0) {
		s.to = l.n;
		s.skip = strlen(prefix);
		s.trim = 1;
		/* The SDK tries the URI as one object first; S3 lists it first. */
		if (*prefix != '\0' && strcmp(l.o[0].key, prefix) == 0 &&
		    prefix[strlen(prefix) - 1] != '/') {
			s.to = 1;
			slash = strrchr(prefix, '/');
			s.base = slash ? slash + 1 : prefix;
		}
		rc = fetch_listed(f, job, &l, &s, t, dir);
	}
	listing_free(&l);
	return rc;
}
