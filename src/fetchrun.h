/* fetchrun.h - fetch one archive (or a prefix of files) into a directory. */
#ifndef ACCEL_FETCHRUN_H
#define ACCEL_FETCHRUN_H

#include "extract.h"
#include "fetch.h"

struct fetch_job {
	const struct fetch_uri *uri;
	const char *partial;		/* directory of .part/.state files */
	const char *name;		/* their base name */
	int kms;			/* the ETag is no MD5 */
	const struct extract_limits *limits;
};

/*
 * fetch_archive: JOB's archive extracted into DIR (existing, empty), its
 * bytes verified.  0, or -1 with a message and F->status set; the part
 * file stays for a rerun only when the failure was transient.
 */
int fetch_archive(struct fetch_ctx *f, const struct fetch_job *job,
    const char *dir);

/*
 * fetch_prefix: every object under JOB's key (a prefix, with '/'), each
 * written to DIR/REST (REST: the key after the prefix, checked as an
 * archive entry's name would be) and verified.
 */
int fetch_prefix(struct fetch_ctx *f, const struct fetch_job *job,
    const char *dir);

/*
 * fetch_tree: a channel of S3DataType S3Prefix as SageMaker lays it out
 * (and the SDK's local mode): every object whose key starts with JOB's key,
 * at the rest of its key (a leading '/' dropped) under DIR; when one key
 * is the URI's exactly, that object alone, at its base name.  T may be
 * NULL.  T->have says 1 when the object is already at DIR/REL with this
 * size and ETag (it is then not fetched); T->got is told of every object
 * in place, fetched or not, and may fail (-1, with a message).
 */
struct fetch_tree {
	int (*have)(void *ctx, const char *rel, long long size,
	    const char *etag);
	int (*got)(void *ctx, const char *rel, long long size,
	    const char *etag);
	void *ctx;
};

int fetch_tree(struct fetch_ctx *f, const struct fetch_job *job,
    const struct fetch_tree *t, const char *dir);

#endif
