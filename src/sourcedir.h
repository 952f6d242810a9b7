/*
 * sourcedir.h - sourcedir.tar.gz, the code the training container unpacks,
 * built so that the same tree gives the same bytes on any machine (the
 * file is not archive.h: that is libarchive's header):
 *
 *   entries     depth first, names sorted by byte value in each directory
 *   metadata    mtime ARCHIVE_MTIME, uid/gid 0, no user or group names,
 *               mode 0755 for directories and executables, else 0644
 *   format      pax (ustar headers, extended headers only for long or
 *               non-ASCII names), no access or change times
 *   gzip        level 9, header without name or time (mtime 0, OS 3),
 *               written here around zlib's raw deflate
 *
 * Contents: the source directory with symlinks followed (one that leads
 * outside it is an error), without .git and __pycache__ at any depth, .accel
 * at the top, the tool's own outputs and what .accelignore excludes (see
 * ignore.h).  A file that looks like a secret stops the build unless
 * .accelignore names it.
 */
#ifndef ACCEL_SOURCEDIR_H
#define ACCEL_SOURCEDIR_H

#include <stddef.h>

#include "crypto.h"
#include "util.h"

/* Defaults of the caps; archive_opts may lower or raise them. */
#define ARCHIVE_MAX_ENTRIES 100000	/* files and directories */
#define ARCHIVE_MAX_BYTES (1ULL << 30)	/* total size of the files, 1 GiB */
#define ARCHIVE_LIMIT_BYTES (16ULL << 30) /* the most a cap may be */
#define ARCHIVE_MAX_DEPTH 64		/* nested directories */

/*
 * 1980-01-02 00:00:00 UTC: fixed, and late enough that a zip built from
 * these files (a wheel pip builds from the source directory) accepts it in
 * any time zone; ZIP cannot store times before 1980.
 */
#define ARCHIVE_MTIME 315619200L

struct archive_opts {
	const char *source_dir;
	const char *requirements;	/* replaces requirements.txt, or NULL */
	const char *script;		/* relative to source_dir; must be in */
	const char *const *skip;	/* relative paths to leave out, NULL-ended */
	unsigned long max_entries;	/* 0: ARCHIVE_MAX_ENTRIES */
	unsigned long long max_bytes;	/* 0: ARCHIVE_MAX_BYTES */
};

struct archive_result {
	struct buf gz;				/* sourcedir.tar.gz */
	char gz_sha256[SHA256_HEX_LEN + 1];
	char tar_sha256[SHA256_HEX_LEN + 1];	/* the uncompressed tar */
	size_t files;				/* regular files */
	size_t bytes;				/* their total size */
};

/* archive_build: RES gets the archive.  Returns 0, or -1 with a message. */
int archive_build(const struct archive_opts *opts, struct archive_result *res);

void archive_result_free(struct archive_result *res);

/* Does NAME (a base name) look like a secret: .env, *.pem, id_rsa*, ... */
int archive_is_secret_name(const char *name);

#endif
