/*
 * fetchrun.c - one archive from its source into a directory: downloaded
 * (fetchget.c) while it is extracted (extract.c), the bytes checked
 * against the ETag in the same pass (fetchverify.c).  Nothing here places
 * the directory; a failure leaves the caller's temp dir to be removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "extract.h"
#include "fetch.h"
#include "fetchrun.h"
#include "progress.h"
#include "util.h"

static int
seen(void *ctx, const void *p, size_t n)
{
	return ctx == NULL ? 0 : etag_check_update(ctx, p, n);
}

static int
extract_failed(struct fetch_ctx *f, const char *what, enum extract_result r,
    const char *err)
{
	f->status = r == EXTRACT_LOCAL ? EXIT_TEMPFAIL : EXIT_NO;
	if (r == EXTRACT_REFUSED)
		return accel_err("%s: archive refused: %s", what, err);
	return accel_err("%s: cannot extract: %s", what, err);
}

static int
from_file(struct fetch_ctx *f, const char *path, const char *dir,
    const struct extract_limits *lim)
{
	struct extract_input in = { 0 };
	enum extract_result r;
	char err[QUOTE_SIZE(EXTRACT_MAX_NAME) + 256];

	if ((in.fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		f->status = EXIT_NO;
		return accel_err("cannot open '%s':", path);
	}
	r = extract_archive(&in, dir, lim, err, sizeof err);
	close(in.fd);
	if (r != EXTRACT_OK)
		return extract_failed(f, path, r, err);
	return 0;
}

/* After the download: the ETag check's verdict. */
static int
verdict(struct fetch_ctx *f, const char *what, struct etag_check *chk,
    int kms)
{
	enum etag_result r;
	char why[256];

	if (kms) {
		if (f->verbose)
			accel_warn("%s: encrypted with KMS, the ETag is no "
			    "MD5: only the size was checked", what);
		return 0;
	}
	r = etag_check_final(chk, why, sizeof why);
	if (r == ETAG_MISMATCH) {
		f->status = EXIT_NO;
		return accel_err("%s: verification failed: %s", what, why);
	}
	if (r == ETAG_UNCHECKED)
		accel_warn("%s: %s", what, why);
	else if (f->verbose)
		accel_warn("%s: %s", what, why);
	return 0;
}

/* One download and extraction: 0, -1, or FETCH_CHANGED. */
static int
s3_once(struct fetch_ctx *f, const struct fetch_job *job, const char *dir)
{
	struct extract_input in = { 0 };
	struct etag_check *chk = NULL;
	struct fetch_dl *d;
	enum extract_result r;
	char err[QUOTE_SIZE(EXTRACT_MAX_NAME) + 256];
	char what[QUOTE_SIZE(S3_MAX_KEY + 80)];
	int rc = -1, fin = 0;

	fetch_uri_text(job->uri, what, sizeof what);
	if ((d = fetch_dl_start(f, job->uri, job->partial, job->name)) ==
	    NULL)
		return -1;
	if (!job->kms && (chk = etag_check_new(fetch_dl_etag(d),
	    fetch_dl_size(d))) == NULL) {
		fetch_dl_free(d);
		f->status = EXIT_TEMPFAIL;
		return accel_err("out of memory");
	}
	in.fd = fetch_dl_fd(d);
	in.avail = fetch_dl_avail;
	in.avail_ctx = d;
	in.seen = seen;
	in.seen_ctx = chk;
	r = extract_archive(&in, dir, job->limits, err, sizeof err);
	if (f->progress != NULL)
		progress_end(f->progress);
	/* Reports the download's error, unless the object changed. */
	if (r == EXTRACT_OK || r == EXTRACT_INPUT)
		fin = fetch_dl_finish(d);
	if (fin == -1 && fetch_dl_changed(d)) {
		rc = FETCH_CHANGED;
		goto discard;
	}
	if (r == EXTRACT_INPUT || fin == -1)
		goto fail;
	fetch_dl_free(d);
	d = NULL;
	if (r != EXTRACT_OK) {
		extract_failed(f, what, r, err);
		goto discard;
	}
	r = verdict(f, what, chk, job->kms);
	chk = NULL;
	if (r == -1)
		goto discard;
	fetch_dl_discard(job->partial, job->name);
	return 0;
discard:
	/* Bytes that cannot be used: the next run starts over. */
	fetch_dl_discard(job->partial, job->name);
fail:
	fetch_dl_free(d);
	if (chk != NULL)
		etag_check_final(chk, NULL, 0);
	return rc;
}

/* The object replaced while it downloads: once more from the start. */
static int
from_s3(struct fetch_ctx *f, const struct fetch_job *job, const char *dir)
{
	char what[QUOTE_SIZE(S3_MAX_KEY + 80)];
	int round, rc;

	for (round = 0;; round++) {
		if ((rc = s3_once(f, job, dir)) != FETCH_CHANGED)
			return rc;
		fetch_uri_text(job->uri, what, sizeof what);
		if (fetch_changed(f, what, round) == -1 ||
		    fetch_empty(dir) == -1)
			return -1;
	}
}

int
fetch_archive(struct fetch_ctx *f, const struct fetch_job *job,
    const char *dir)
{
	if (job->uri->kind == FETCH_FILE)
		return from_file(f, job->uri->path, dir, job->limits);
	return from_s3(f, job, dir);
}
