/*
 * fetchprefix.c - a model saved without compression (CompressionType
 * NONE): the objects under a prefix, each downloaded like an archive
 * (parts, resume), checked against its ETag by reading the finished part
 * file once, then renamed into the directory under the rest of its key.
 * Keys are held to the rules of archive entry names (no "..", no absolute
 * path), so a listing cannot write outside the directory either.
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

struct listing {
	char **keys;
	size_t n, cap;
};

static int
collect(void *ctx, const char *key, long long size, const char *etag)
{
	struct listing *l = ctx;
	char **k;

	(void)size;
	(void)etag;
	if (l->n == FETCH_MAX_OBJECTS)
		return 1;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		if ((k = realloc(l->keys, l->cap * sizeof *k)) == NULL)
			return 2;
		l->keys = k;
	}
	if ((l->keys[l->n] = strdup(key)) == NULL)
		return 2;
	l->n++;
	return 0;
}

static void
listing_free(struct listing *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->keys[i]);
	free(l->keys);
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

static int
one_object(struct fetch_ctx *f, const struct fetch_job *job,
    const char *key, size_t i, const char *dest)
{
	struct fetch_uri u = *job->uri;
	struct fetch_dl *d;
	char name[32], part[PATH_MAX], what[S3_MAX_KEY + 16];
	int rc = -1;

	snprintf(u.key, sizeof u.key, "%s", key);
	snprintf(name, sizeof name, "file-%zu", i);
	fetch_uri_text(&u, what, sizeof what);
	if ((d = fetch_dl_start(f, &u, job->partial, name)) == NULL)
		return -1;
	if (f->progress != NULL)
		progress_end(f->progress);
	if (fetch_dl_finish(d) == 0 && check_file(f, d, what, job->kms) == 0) {
		if (xsnprintf(part, sizeof part, "%s/%s.part", job->partial,
		    name) == -1 || fetch_mkdirs(dest) == -1 ||
		    rename(part, dest) == -1)
			accel_err("cannot put '%s' in place:", dest);
		else
			rc = 0;
	}
	fetch_dl_free(d);
	if (rc == 0 || f->status == EXIT_NO)
		fetch_dl_discard(job->partial, name);
	return rc;
}

int
fetch_prefix(struct fetch_ctx *f, const struct fetch_job *job,
    const char *dir)
{
	char prefix[S3_MAX_KEY + 2], rel[EXTRACT_MAX_NAME + 1];
	char dest[PATH_MAX];
	struct listing l = { 0 };
	struct aws_error e;
	const char *why;
	size_t i;
	int rc;

	f->status = EXIT_NO;
	if (job->uri->kind != FETCH_S3)
		return accel_err("file://%s: a prefix of files is fetched "
		    "from S3 only", job->uri->path);
	snprintf(prefix, sizeof prefix, "%s%s", job->uri->key,
	    job->uri->key[strlen(job->uri->key) - 1] == '/' ? "" : "/");
	rc = s3_list_objects(f->s3, job->uri->bucket, prefix, collect, &l, &e);
	if (rc == -1) {
		f->status = aws_error_exit_status(&e);
		listing_free(&l);
		return aws_error_report(&e);
	}
	if (rc != 0 || l.n == 0) {
		listing_free(&l);
		return accel_err("s3://%s/%s: %s", job->uri->bucket, prefix,
		    rc == 1 ? "more objects than accel-fetch takes" : rc ?
		    "out of memory" : "no objects under this prefix");
	}
	for (i = 0, rc = 0; rc == 0 && i < l.n; i++) {
		if (l.keys[i][strlen(l.keys[i]) - 1] == '/')
			continue;	/* a "folder" marker */
		why = NULL;
		if (extract_check_name(l.keys[i] + strlen(prefix), rel,
		    sizeof rel, &why) == -1 || rel[0] == '\0' ||
		    xsnprintf(dest, sizeof dest, "%s/%s", dir, rel) == -1)
			rc = accel_err("s3://%s/%s: refused: %s",
			    job->uri->bucket, l.keys[i], why ? why :
			    "bad name");
		else
			rc = one_object(f, job, l.keys[i], i, dest);
	}
	listing_free(&l);
	return rc;
}
