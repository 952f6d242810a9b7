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

#endif
