/*
 * localpack.c - model.tar.gz and output.tar.gz as SageMaker uploads them:
 * the contents of a directory at the archive root, symbolic links followed
 * (the SDK's rule).  Deterministic, so that the same model gives the same
 * bytes: entries sorted per directory (as tarfile.add walks), one fixed
 * mtime, owner 0:0 with no names, modes 0755/0644, and a gzip header
 * without a file name or time.  The conventions of sourcedir.tar.gz
 * (accel-request), whose builder works in memory on a filtered source tree
 * and so does not fit artifacts of any size.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "local.h"

#define PACK_MAX_DEPTH 64		/* directory nesting (and link loops) */
#define PACK_MAX_ENTRIES 1000000	/* names in one archive */
/*
 * 1980-01-02 00:00:00 UTC, as sourcedir.tar.gz: GNU tar warns about the
 * "implausibly old" time 0, and ZIP (a wheel built from the files) cannot
 * hold times before 1980.
 */
#define PACK_MTIME 315619200L

struct pack {
	struct archive *a;
	char **seen;			/* names added, when merging hosts */
	size_t nseen;
	int merging;
};

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* When several hosts' directories merge, the first host's name wins. */
static int
already(struct pack *p, const char *name)
{
	char **grown;

	if (!p->merging)
		return 0;
	for (size_t i = 0; i < p->nseen; i++)
		if (strcmp(p->seen[i], name) == 0)
			return 1;
	if (p->nseen == PACK_MAX_ENTRIES ||
	    (grown = realloc(p->seen, (p->nseen + 1) * sizeof *grown)) == NULL)
		return 0;
	p->seen = grown;
	if ((p->seen[p->nseen] = strdup(name)) != NULL)
		p->nseen++;
	return 0;
}

static int
add_header(struct pack *p, const char *name, const struct stat *st)
{
	struct archive_entry *e = archive_entry_new();
	int dir = S_ISDIR(st->st_mode), rc;

	if (e == NULL)
		return accel_err("out of memory");
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, dir ? AE_IFDIR : AE_IFREG);
	archive_entry_set_perm(e, dir || (st->st_mode & 0111) ? 0755 : 0644);
	archive_entry_set_size(e, dir ? 0 : st->st_size);
	archive_entry_set_mtime(e, PACK_MTIME, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	rc = archive_write_header(p->a, e);
	archive_entry_free(e);
	if (rc != ARCHIVE_OK)
		return accel_err("cannot add '%s': %s", name,
		    archive_error_string(p->a));
	return 0;
}

static int
add_file(struct pack *p, const char *path, const char *name,
    const struct stat *st)
{
	char chunk[65536];
	ssize_t n;
	off_t left = st->st_size;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return accel_err("cannot open '%s':", path);
	if (add_header(p, name, st) == -1)
		goto fail;
	/* exactly the size in the header, even if the file changes */
	while (left > 0) {
		n = read(fd, chunk, left < (off_t)sizeof chunk ? (size_t)left :
		    sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			accel_err("'%s' shrank while being packed", path);
			goto fail;
		}
		if (archive_write_data(p->a, chunk, (size_t)n) != n) {
			accel_err("cannot pack '%s': %s", path,
			    archive_error_string(p->a));
			goto fail;
		}
		left -= n;
	}
	close(fd);
	return 0;
fail:
	close(fd);
	return -1;
}

static int add_dir(struct pack *, const char *, const char *, int);

static int
add_path(struct pack *p, const char *path, const char *name, int depth)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return accel_err("cannot pack '%s':", path);
	if (S_ISDIR(st.st_mode)) {
		if (!already(p, name) && add_header(p, name, &st) == -1)
			return -1;
		return add_dir(p, path, name, depth + 1);
	}
	if (!S_ISREG(st.st_mode)) {
		accel_warn("skipping '%s': not a regular file", path);
		return 0;
	}
	return already(p, name) ? 0 : add_file(p, path, name, &st);
}

/* The entries of PATH, sorted; NAME is its name in the archive or "". */
static int
add_dir(struct pack *p, const char *path, const char *name, int depth)
{
	char sub[PATH_MAX], subname[PATH_MAX];
	struct dirent **list = NULL;
	char **names;
	int n, i, rc = 0;

	if (depth > PACK_MAX_DEPTH)
		return accel_err("'%s' is nested too deep (a link loop?)", path);
	n = scandir(path, &list, NULL, NULL);
	if (n < 0)
		return accel_err("cannot read '%s':", path);
	names = calloc((size_t)n + 1, sizeof *names);
	if (names == NULL)
		rc = accel_err("out of memory");
	for (i = 0; names != NULL && i < n; i++)
		names[i] = list[i]->d_name;
	if (names != NULL)
		qsort(names, (size_t)n, sizeof *names, cmp_names);
	for (i = 0; names != NULL && i < n && rc == 0; i++) {
		if (strcmp(names[i], ".") == 0 || strcmp(names[i], "..") == 0)
			continue;
		if (xsnprintf(sub, sizeof sub, "%s/%s", path, names[i]) == -1 ||
		    xsnprintf(subname, sizeof subname, "%s%s%s", name,
		    *name ? "/" : "", names[i]) == -1)
			rc = accel_err("'%s/%s': path too long", path, names[i]);
		else
			rc = add_path(p, sub, subname, depth);
	}
	free(names);
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return rc;
}

static struct archive *
open_archive(int fd)
{
	struct archive *a = archive_write_new();

	if (a == NULL)
		return NULL;
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
	    archive_write_set_filter_option(a, "gzip", "timestamp", NULL) !=
	    ARCHIVE_OK ||
	    archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		accel_err("cannot start an archive: %s",
		    archive_error_string(a));
		archive_write_free(a);
		return NULL;
	}
	return a;
}

/*
 * local_pack: the contents of DIRS merged into the gzip tar DEST, written
 * through a temporary file and rename(2), so DEST is never half written.
 */
int
local_pack(const char *const dirs[], int ndirs, const char *dest)
{
	struct pack p = { 0 };
	char tmp[PATH_MAX];
	int fd, rc = 0;

	if (xsnprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", dest) == -1)
		return accel_err("'%s': path too long", dest);
	if ((fd = mkstemp(tmp)) == -1)
		return accel_err("cannot create '%s':", tmp);
	fchmod(fd, 0644);
	if ((p.a = open_archive(fd)) == NULL)
		rc = -1;
	p.merging = ndirs > 1;
	for (int i = 0; rc == 0 && i < ndirs; i++)
		rc = add_dir(&p, dirs[i], "", 0);
	if (p.a != NULL && archive_write_close(p.a) != ARCHIVE_OK && rc == 0)
		rc = accel_err("cannot write '%s': %s", dest,
		    archive_error_string(p.a));
	if (p.a != NULL)
		archive_write_free(p.a);
	/* no fsync: the job tree is scratch; rename keeps DEST whole */
	if (rc == 0 && close(fd) == -1)
		rc = accel_err("cannot write '%s':", tmp);
	else if (rc == -1)
		close(fd);
	if (rc == 0 && rename(tmp, dest) == -1)
		rc = accel_err("cannot rename '%s':", tmp);
	if (rc == -1)
		unlink(tmp);
	for (size_t i = 0; i < p.nseen; i++)
		free(p.seen[i]);
	free(p.seen);
	return rc;
}
