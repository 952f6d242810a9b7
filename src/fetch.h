/*
 * fetch.h - accel-fetch's engine: where the model is (fetchsrc.c), ranged
 * parallel downloads with resume (fetchget.c), ETag checks (fetchverify.c),
 * placing a directory atomically (fetchplace.c).  Extraction is extract.h,
 * the progress bar progress.h.
 *
 * A download goes to DIR.partial/NAME.part (written with pwrite by parts)
 * with NAME.state beside it: the ETag, the size, the part size and the
 * parts done, rewritten (temp + rename) after each part.  A rerun with the
 * same ETag and size takes the parts done as they are; anything else
 * starts over.  The extractor reads the .part file while it grows,
 * waiting for each byte range to be complete (fetch_dl_avail).
 */
#ifndef ACCEL_FETCH_H
#define ACCEL_FETCH_H

#include <limits.h>
#include <signal.h>
#include <sys/types.h>

#include "aws.h"
#include "s3.h"

#define FETCH_MAX_STATUS (4 << 20)	/* bytes of status.json */
#define FETCH_MAX_STATE (1 << 20)	/* bytes of a .state file */
#define FETCH_DEFAULT_THREADS 8
#define FETCH_MAX_THREADS S3_MAX_THREADS
#define FETCH_PART ((long long)8 << 20)	/* least bytes per ranged GET */
#define FETCH_PART_AUTO_MAX ((long long)64 << 20)	/* unless asked */
#define FETCH_RANGES 32			/* ranges of an object, within those */
#define FETCH_MAX_PARTS 100000		/* the part size grows past this */
#define FETCH_PART_ROUNDS 10		/* transient failures of one part
					   (each already retried by aws.c) */
#define FETCH_MAX_OBJECTS 10000		/* files under a NONE prefix */

enum fetch_kind { FETCH_FILE, FETCH_S3 };

/* A location: s3://BUCKET/KEY or file://PATH (PATH as is, not decoded). */
struct fetch_uri {
	enum fetch_kind kind;
	char bucket[64];
	char key[S3_MAX_KEY + 1];
	char path[PATH_MAX];
};

struct fetch_source {
	struct fetch_uri model;
	int prefix;		/* CompressionType NONE: files under a prefix */
	int kms;		/* KmsKeyId set: the ETag is no MD5 */
};

/* fetch_uri_parse: 0, or -1 with a message naming S. */
int fetch_uri_parse(const char *s, struct fetch_uri *u);

/*
 * fetch_source_read: ARG is an s3:// or file:// URI, else a status.json
 * (DescribeTrainingJob's answer, or accel-local's).  0 or -1 (message).
 */
int fetch_source_read(const char *arg, struct fetch_source *src);

/* fetch_output_uri: .../output/model.tar.gz -> .../output/output.tar.gz */
int fetch_output_uri(const struct fetch_uri *model, struct fetch_uri *out);

/* fetch_uri_text: the URI again, for messages. */
void fetch_uri_text(const struct fetch_uri *u, char *out, size_t len);

/* What one run shares between its downloads. */
struct fetch_ctx {
	struct aws_client *s3;		/* NULL when only files are read */
	int threads;
	long long part_size;		/* 0: by the size, 8 to 64 MiB */
	int verbose;
	struct progress *progress;	/* may be NULL */
	int status;			/* exit status of the last failure */
	long long fetched;		/* bytes received over the network */
	long long resumed;		/* bytes found done in .part files */
};

struct fetch_dl;

/*
 * Set by the tool's SIGINT/SIGTERM handler: the threads take no new part,
 * waits end, and fetch_dl_finish reports an interruption (EXIT_TEMPFAIL),
 * leaving the part file for the next run.
 */
extern volatile sig_atomic_t fetch_interrupted;

/*
 * fetch_dl_start: HeadObject, then the part file DIR/NAME.part (resumed
 * when its state matches) and the threads that fill it.  NULL on failure
 * with a message and F->status set.
 */
struct fetch_dl *fetch_dl_start(struct fetch_ctx *f, const struct fetch_uri *u,
    const char *dir, const char *name);

int fetch_dl_fd(const struct fetch_dl *d);
long long fetch_dl_size(const struct fetch_dl *d);
const char *fetch_dl_etag(const struct fetch_dl *d);

/*
 * fetch_dl_avail: how many bytes from OFF are complete, waiting until
 * there is at least one (0 at the end, -1 when the download failed).
 * D is a struct fetch_dl; the shape is extract.h's avail hook.
 */
ssize_t fetch_dl_avail(void *d, off_t off);

/*
 * fetch_dl_finish: wait for every part; 0, or -1 with the download's
 * error reported (once) and F->status set.  Adds to F's counters.
 */
int fetch_dl_finish(struct fetch_dl *d);

/*
 * Every ranged GET carries If-Match with HeadObject's ETag, so a download
 * never mixes two versions of an object: when the object is replaced
 * meanwhile, S3 answers 412 and fetch_dl_finish fails (status
 * EXIT_TEMPFAIL, nothing reported) with fetch_dl_changed true.  The caller
 * then discards what it has and starts over once (a new HeadObject, the
 * new ETag): fetch_changed says so for ROUND 0 and returns 0; for ROUND 1
 * it reports giving up and returns -1.
 */
int fetch_dl_changed(const struct fetch_dl *d);
int fetch_changed(struct fetch_ctx *f, const char *what, int round);
#define FETCH_CHANGED (-2)		/* a result: the object changed */

/* fetch_dl_free: stop and join the threads, close; files stay. */
void fetch_dl_free(struct fetch_dl *d);

/* fetch_dl_discard: remove the .part and .state files. */
void fetch_dl_discard(const char *dir, const char *name);

/*
 * The ETag check (aws-protocols.md 3.6): "MD5" of a single PUT, or the MD5
 * of the part MD5s with "-N" for a multipart upload, whose part size is
 * not in the object: the sizes uploaders use (aws-cli's 8 MiB and its
 * doublings, 5, 10, 16, 50, 100 MiB ...) that give N parts for the size
 * are all computed in the one pass, at most ETAG_MAX_GUESSES of them.
 */
#define ETAG_MAX_GUESSES 4

enum etag_result { ETAG_MISMATCH = -1, ETAG_UNCHECKED = 0, ETAG_MATCH = 1 };

struct etag_check;

/* etag_check_new: NULL only when out of memory. */
struct etag_check *etag_check_new(const char *etag, long long size);
int etag_check_update(struct etag_check *c, const void *p, size_t n);

/*
 * etag_check_final: frees C; WHY gets a sentence saying what was checked
 * (or why nothing could be).
 */
enum etag_result etag_check_final(struct etag_check *c, char *why,
    size_t whylen);

/*
 * Placing (fetchplace.c).  fetch_tempdir: a new empty directory to fill
 * into OUT, PATH.new.XXXXXX/tree beside PATH, after removing those a
 * killed run left: only directories of exactly that name shape (the
 * parent is listed, PATH is never a pattern) that hold the marker file
 * PATH.new.XXXXXX/accel-fetch-temp (so two runs on one PATH at once are
 * not supported).  fetch_place: NEW becomes PATH in one rename
 * (renameat2 RENAME_EXCHANGE when PATH exists), and what was PATH is
 * removed with the rest of the temp dir.  fetch_tempdir_remove: remove
 * the temp dir around NEW (after a failure).  fetch_rmtree: remove a tree
 * without following symlinks.
 */
int fetch_tempdir(const char *path, char *out, size_t outlen);
int fetch_place(const char *newdir, const char *path);
int fetch_tempdir_remove(const char *newdir);
int fetch_rmtree(const char *path);

/* fetch_empty: remove everything in DIR, which stays. */
int fetch_empty(const char *dir);

/* fetch_mkdirs: mkdir -p for the parents of PATH (under a temp dir). */
int fetch_mkdirs(const char *path);

#endif
