/*
 * extract.h - unpack an archive (tar, with gzip or any filter libarchive
 * knows) into an empty directory, refusing what could write outside it or
 * fill the disk: absolute names, "..", symbolic links that resolve outside
 * the directory, hard links to anything but a regular file already
 * extracted, devices, FIFOs and sockets, duplicate names, entries over a
 * size cap and archives over a total cap.  Each refusal names the entry.
 *
 * The archive is read in EXTRACT_BLOCK pieces from a file that may still be
 * growing (AVAIL says how much is there), and every byte of the file goes
 * once through SEEN in order (the ETag check), the tail after the archive's
 * end included, so the file is read once.
 */
#ifndef ACCEL_EXTRACT_H
#define ACCEL_EXTRACT_H

#include <sys/types.h>

#define EXTRACT_BLOCK (1 << 20)		/* bytes read at a time */
#define EXTRACT_MAX_ENTRY ((long long)64 << 30)	/* default entry cap */
#define EXTRACT_MAX_TOTAL ((long long)256 << 30)	/* default total cap */
#define EXTRACT_MAX_ENTRIES 1000000L	/* entries in one archive */
#define EXTRACT_MAX_NAME 4096		/* bytes of an entry's name */
#define EXTRACT_MAX_HOPS 40		/* symlinks followed (as Linux) */

struct extract_input {
	int fd;				/* read with pread from offset 0 */
	/* Bytes complete from OFF (0 at the end, -1 failed); NULL: all. */
	ssize_t (*avail)(void *ctx, off_t off);
	void *avail_ctx;
	/* Each byte in order; -1 stops with an error.  May be NULL. */
	int (*seen)(void *ctx, const void *p, size_t n);
	void *seen_ctx;
};

struct extract_limits {
	long long max_entry;		/* 0: EXTRACT_MAX_ENTRY */
	long long max_total;		/* 0: EXTRACT_MAX_TOTAL */
};

enum extract_result {
	EXTRACT_OK = 0,
	EXTRACT_REFUSED = -1,		/* the archive: ERR names the entry */
	EXTRACT_INPUT = -2,		/* AVAIL failed (the download) */
	EXTRACT_LOCAL = -3		/* this machine: disk, memory */
};

/*
 * extract_archive: IN into DIR, which should be new and empty.  On failure
 * DIR holds a part of the archive (the caller removes it) and ERR a
 * sentence ("'ENTRY': reason" for a refusal).
 */
enum extract_result extract_archive(const struct extract_input *in,
    const char *dir, const struct extract_limits *lim, char *err,
    size_t errlen);

/*
 * extract_check_name: normalise an entry name into OUT ("./a//b/" ->
 * "a/b"; "." and "./" -> ""): 0, or -1 with the reason in WHY.
 */
int extract_check_name(const char *name, char *out, size_t outlen,
    const char **why);

#endif
