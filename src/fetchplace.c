/*
 * fetchplace.c - a new directory takes the place of an old one in one
 * step, so whoever reads the model directory sees the old model or the new
 * one, never half of each, and a failed fetch leaves the old one whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fetch.h"
#include "util.h"

#define RMTREE_FDS 32			/* nftw's open directories */
#define RMTREE_PASSES 64		/* levels of closed directories */

/* PATH without trailing slashes, so "model/" gets "model.new.X" beside it. */
static int
trimmed(const char *path, char *out, size_t len)
{
	size_t n;

	if (xsnprintf(out, len, "%s", path) == -1)
		return -1;
	for (n = strlen(out); n > 1 && out[n - 1] == '/'; n--)
		out[n - 1] = '\0';
	return 0;
}

/* Temp dirs of runs that were killed (SIGKILL leaves them behind). */
static int
remove_stale(const char *pattern)
{
	glob_t g;
	size_t i;
	int rc = 0;

	if (glob(pattern, GLOB_NOSORT, NULL, &g) != 0)
		return 0;
	for (i = 0; i < g.gl_pathc && rc == 0; i++)
		rc = fetch_rmtree(g.gl_pathv[i]);
	globfree(&g);
	return rc;
}

int
fetch_tempdir(const char *path, char *out, size_t outlen)
{
	char base[PATH_MAX];

	if (trimmed(path, base, sizeof base) == -1 ||
	    xsnprintf(out, outlen, "%s.new.??????", base) == -1)
		return accel_err("'%s': path too long", path);
	if (remove_stale(out) == -1)
		return -1;
	memcpy(out + strlen(out) - 6, "XXXXXX", 6);
	if (mkdtemp(out) == NULL)
		return accel_err("cannot create a directory beside '%s':",
		    path);
	return 0;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) == -1 && errno != ENOENT ? -1 : 0;
	return unlink(path) == -1 && errno != ENOENT ? -1 : 0;
}

static int fixed;

/* Let us into and write in every directory (an archive's 0555 or 000). */
static int
fix_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if ((flag == FTW_D || flag == FTW_DNR) &&
	    (st->st_mode & 0700) != 0700 &&
	    chmod(path, (st->st_mode & 07777) | 0700) == 0)
		fixed++;
	return 0;
}

int
fetch_rmtree(const char *path)
{
	struct stat st;
	int pass;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : accel_err("cannot remove '%s':",
		    path);
	if (!S_ISDIR(st.st_mode))
		return unlink(path) == -1 ? accel_err("cannot remove '%s':",
		    path) : 0;
	/* Each pass opens one more level of closed directories. */
	for (pass = 0, fixed = 1; fixed > 0 && pass < RMTREE_PASSES; pass++) {
		fixed = 0;
		nftw(path, fix_one, RMTREE_FDS, FTW_PHYS);
	}
	if (nftw(path, rm_one, RMTREE_FDS, FTW_DEPTH | FTW_PHYS) != 0)
		return accel_err("cannot remove '%s':", path);
	return 0;
}

/* Without RENAME_EXCHANGE: old aside, new in, old removed. */
static int
swap_by_two_renames(const char *newdir, const char *base)
{
	char old[PATH_MAX];

	if (xsnprintf(old, sizeof old, "%s.old.XXXXXX", base) == -1)
		return accel_err("'%s': path too long", base);
	if (mkdtemp(old) == NULL || rename(base, old) == -1)
		return accel_err("cannot move '%s' aside:", base);
	if (rename(newdir, base) == -1) {
		accel_err("cannot rename '%s' to '%s':", newdir, base);
		if (rename(old, base) == -1)
			accel_err("cannot put '%s' back as '%s':", old, base);
		return -1;
	}
	return fetch_rmtree(old);
}

int
fetch_place(const char *newdir, const char *path)
{
	char base[PATH_MAX];
	struct stat st;

	if (trimmed(path, base, sizeof base) == -1)
		return accel_err("'%s': path too long", path);
	if (lstat(base, &st) == -1) {
		if (errno != ENOENT)
			return accel_err("cannot use '%s':", base);
		if (rename(newdir, base) == -1)
			return accel_err("cannot rename '%s' to '%s':", newdir,
			    base);
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return accel_err("'%s' exists and is not a directory", base);
	/* Swap: NEWDIR's name now holds the old model, removed below. */
	if (renameat2(AT_FDCWD, newdir, AT_FDCWD, base, RENAME_EXCHANGE) ==
	    0)
		return fetch_rmtree(newdir);
	if (errno != EINVAL && errno != ENOSYS)
		return accel_err("cannot put '%s' in place of '%s':", newdir,
		    base);
	return swap_by_two_renames(newdir, base);
}

int
fetch_mkdirs(const char *path)
{
	char p[PATH_MAX];
	char *s;

	if (xsnprintf(p, sizeof p, "%s", path) == -1)
		return accel_err("'%s': path too long", path);
	for (s = strchr(p + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST)
			return accel_err("cannot create '%s':", p);
		*s = '/';
	}
	return 0;
}
