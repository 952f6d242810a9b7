/*
 * fetchplace.c - a new directory takes the place of an old one in one
 * step, so whoever reads the model directory sees the old model or the new
 * one, never half of each, and a failed fetch leaves the old one whole.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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

/*
 * A fetch fills BASE.new.XXXXXX/TEMP_INNER; the marker file beside
 * TEMP_INNER (never in the model) tells a later run the directory is ours.
 */
#define TEMP_INFIX ".new."
#define TEMP_SUFFIX 6			/* mkdtemp's XXXXXX */
#define TEMP_INNER "tree"
#define TEMP_MARKER "accel-fetch-temp"

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

/*
 * NAME is BASE ".new." and what mkdtemp(3) puts for "XXXXXX": six letters
 * or digits.  Compared as bytes, never as a pattern: a path such as '*'
 * or 'model[12]' names itself, not other directories.
 */
static int
temp_name(const char *name, const char *base)
{
	size_t n = strlen(base), i;

	if (strncmp(name, base, n) != 0 || strncmp(name + n, TEMP_INFIX,
	    strlen(TEMP_INFIX)) != 0)
		return 0;
	name += n + strlen(TEMP_INFIX);
	for (i = 0; i < TEMP_SUFFIX; i++)
		if (!isascii((unsigned char)name[i]) ||
		    !isalnum((unsigned char)name[i]))
			return 0;
	return name[i] == '\0';
}

/* DIR/NAME is ours: a directory (not a link) holding our marker file. */
static int
ours(const char *dir, const char *name)
{
	char p[PATH_MAX];
	struct stat st;

	if (xsnprintf(p, sizeof p, "%s/%s", dir, name) == -1 ||
	    lstat(p, &st) == -1 || !S_ISDIR(st.st_mode) ||
	    xsnprintf(p, sizeof p, "%s/%s/%s", dir, name, TEMP_MARKER) == -1 ||
	    lstat(p, &st) == -1)
		return 0;
	return S_ISREG(st.st_mode);
}

/*
 * Remove every entry of DIR (open as D) that PICK(DIR, name, ARG) accepts,
 * then close D; stops at the first failure.
 */
static int
remove_picked(DIR *d, const char *dir,
    int (*pick)(const char *, const char *, const void *), const void *arg)
{
	char p[PATH_MAX];
	struct dirent *e;
	int rc = 0;

	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (!pick(dir, e->d_name, arg))
			continue;
		if (xsnprintf(p, sizeof p, "%s/%s", dir, e->d_name) == -1)
			rc = accel_err("'%s': path too long", dir);
		else
			rc = fetch_rmtree(p);
	}
	closedir(d);
	return rc;
}

/* A stale temp dir of the base name ARG: the name's shape and our marker. */
static int
stale_temp(const char *dir, const char *name, const void *arg)
{
	return temp_name(name, arg) && ours(dir, name);
}

/* Any entry but "." and "..". */
static int
any_entry(const char *dir, const char *name, const void *arg)
{
	(void)dir;
	(void)arg;
	return strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/*
 * Temp dirs of runs that were killed (SIGKILL leaves them behind), found
 * by listing the parent of BASE: only ours are removed, so a user's
 * directory that happens to have the name shape stays.
 */
static int
remove_stale(const char *base)
{
	char dir[PATH_MAX];
	const char *name, *slash = strrchr(base, '/');
	DIR *d;

	if (slash == NULL) {
		memcpy(dir, ".", 2);
		name = base;
	} else if (xsnprintf(dir, sizeof dir, "%.*s", (int)(slash - base),
	    base) == -1)
		return accel_err("'%s': path too long", base);
	else
		name = slash + 1;
	if (slash == base)
		memcpy(dir, "/", 2);
	/* No parent to list: mkdtemp will say why. */
	if (*name == '\0' || (d = opendir(dir)) == NULL)
		return 0;
	return remove_picked(d, dir, stale_temp, name);
}

/* The marker that says "accel-fetch made this directory". */
static int
mark(const char *outer)
{
	static const char text[] = "accel-fetch: a temporary directory, "
	    "removed by the next fetch into the same place\n";
	char p[PATH_MAX];
	int fd;

	if (xsnprintf(p, sizeof p, "%s/%s", outer, TEMP_MARKER) == -1)
		return accel_err("'%s': path too long", outer);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1)
		return accel_err("cannot create '%s':", p);
	if (write(fd, text, sizeof text - 1) != (ssize_t)(sizeof text - 1)) {
		accel_err("cannot write '%s':", p);
		close(fd);
		return -1;
	}
	return close(fd) == -1 ? accel_err("cannot write '%s':", p) : 0;
}

int
fetch_tempdir(const char *path, char *out, size_t outlen)
{
	char base[PATH_MAX], outer[PATH_MAX];

	if (trimmed(path, base, sizeof base) == -1 ||
	    xsnprintf(outer, sizeof outer, "%s%sXXXXXX", base, TEMP_INFIX) ==
	    -1 || xsnprintf(out, outlen, "%s/%s", outer, TEMP_INNER) == -1)
		return accel_err("'%s': path too long", path);
	if (remove_stale(base) == -1)
		return -1;
	if (mkdtemp(outer) == NULL)
		return accel_err("cannot create a directory beside '%s':",
		    path);
	/* mkdtemp's name, the same length as the template. */
	memcpy(out, outer, strlen(outer));
	if (mark(outer) == -1) {
		fetch_rmtree(outer);
		return -1;
	}
	if (mkdir(out, 0700) == -1) {
		accel_err("cannot create '%s':", out);
		fetch_rmtree(outer);
		return -1;
	}
	return 0;
}

/* OUTER: the directory fetch_tempdir made around NEWDIR. */
static int
outer_of(const char *newdir, char *outer, size_t len)
{
	const char *slash = strrchr(newdir, '/');

	if (slash == NULL || xsnprintf(outer, len, "%.*s",
	    (int)(slash - newdir), newdir) == -1)
		return accel_err("'%s': not a temporary directory", newdir);
	return 0;
}

int
fetch_tempdir_remove(const char *newdir)
{
	char outer[PATH_MAX];

	if (outer_of(newdir, outer, sizeof outer) == -1)
		return -1;
	return fetch_rmtree(outer);
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

/* NEWDIR becomes BASE; an old BASE ends up at NEWDIR or is removed. */
static int
put_in_place(const char *newdir, const char *base)
{
	struct stat st;

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
	/* Swap: NEWDIR's name now holds the old model. */
	if (renameat2(AT_FDCWD, newdir, AT_FDCWD, base, RENAME_EXCHANGE) ==
	    0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return accel_err("cannot put '%s' in place of '%s':", newdir,
		    base);
	return swap_by_two_renames(newdir, base);
}

int
fetch_place(const char *newdir, const char *path)
{
	char base[PATH_MAX];

	if (trimmed(path, base, sizeof base) == -1)
		return accel_err("'%s': path too long", path);
	if (put_in_place(newdir, base) == -1)
		return -1;
	/* Left in the temp dir: the marker, and maybe the old model. */
	return fetch_tempdir_remove(newdir);
}

int
fetch_empty(const char *dir)
{
	struct stat st;
	DIR *d;

	/* An archive's "./" entry may have taken our write permission. */
	if (lstat(dir, &st) == -1 || ((st.st_mode & 0700) != 0700 &&
	    chmod(dir, (st.st_mode & 07777) | 0700) == -1) ||
	    (d = opendir(dir)) == NULL)
		return accel_err("cannot empty '%s':", dir);
	return remove_picked(d, dir, any_entry, NULL);
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
