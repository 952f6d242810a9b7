/*
 * extract.c - extract_archive (see extract.h): libarchive reads the file
 * through read_block, each entry is checked (extractsafe.c), then written
 * by archive_write_disk with its own guards on as well (no "..", no
 * absolute names, never through a symlink, never over an existing file).
 * The writer takes names relative to the current directory, so the
 * extraction runs with DIR as the cwd and the old cwd is restored after.
 * Links are checked again on disk once every entry is out, because a link
 * that looks inside by its words may pass through another link.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extract-int.h"
#include "extract.h"
#include "util.h"

struct reader {
	const struct extract_input *in;
	off_t off;
	unsigned char *block;
	int input_failed;
	int seen_failed;
};

struct job {
	struct reader r;
	struct archive *ar, *disk;
	struct extract_limits lim;
	struct nameset names;
	char **links;			/* symlinks to check on disk */
	size_t nlinks, links_cap;
	long long total;
	long entries;
	char *err;
	size_t errlen;
};

static la_ssize_t
read_block(struct archive *a, void *ctx, const void **out)
{
	struct reader *r = ctx;
	size_t want = EXTRACT_BLOCK;
	ssize_t n;

	if (r->in->avail != NULL) {
		if ((n = r->in->avail(r->in->avail_ctx, r->off)) < 0) {
			r->input_failed = 1;
			archive_set_error(a, EIO, "the download failed");
			return -1;
		}
		if (n == 0)
			return 0;
		if ((size_t)n < want)
			want = (size_t)n;
	}
	if ((n = pread(r->in->fd, r->block, want, r->off)) < 0) {
		archive_set_error(a, errno, "read: %s", strerror(errno));
		return -1;
	}
	if (n > 0 && r->in->seen != NULL &&
	    r->in->seen(r->in->seen_ctx, r->block, (size_t)n) == -1) {
		r->seen_failed = 1;
		archive_set_error(a, EIO, "cannot check the bytes");
		return -1;
	}
	r->off += n;
	*out = r->block;
	return n;
}

/* NAME is the archive's: quoted, so it cannot drive the terminal. */
static enum extract_result
refuse(struct job *j, const char *name, const char *why)
{
	char q[QUOTE_SIZE(EXTRACT_MAX_NAME)];

	snprintf(j->err, j->errlen, "'%s': %s", quote_name(name, q, sizeof q),
	    why);
	return EXTRACT_REFUSED;
}

/* A writer's error that is no fault of the archive's. */
static int
this_machine(int err)
{
	return err == ENOSPC || err == EDQUOT || err == EIO || err == ENOMEM ||
	    err == EROFS || err == EMFILE || err == ENFILE;
}

static enum extract_result
archive_failure(struct job *j, struct archive *a, const char *name)
{
	char q[QUOTE_SIZE(EXTRACT_MAX_NAME)], why[1024];

	if (j->r.input_failed) {
		snprintf(j->err, j->errlen, "the download failed");
		return EXTRACT_INPUT;
	}
	if (j->r.seen_failed) {
		snprintf(j->err, j->errlen, "out of memory");
		return EXTRACT_LOCAL;
	}
	/* libarchive's words may hold names of the archive too. */
	quote_name(archive_error_string(a) ? archive_error_string(a) : "?",
	    why, sizeof why);
	if (name != NULL)
		snprintf(j->err, j->errlen, "'%s': %s", quote_name(name, q,
		    sizeof q), why);
	else
		snprintf(j->err, j->errlen, "not a readable archive: %s", why);
	return a == j->disk && this_machine(archive_errno(a)) ?
	    EXTRACT_LOCAL : EXTRACT_REFUSED;
}

static int
remember_link(struct job *j, const char *name)
{
	char **n;

	if (j->nlinks == j->links_cap) {
		j->links_cap = j->links_cap ? j->links_cap * 2 : 16;
		if ((n = realloc(j->links, j->links_cap * sizeof *n)) == NULL)
			return -1;
		j->links = n;
	}
	if ((j->links[j->nlinks] = strdup(name)) == NULL)
		return -1;
	j->nlinks++;
	return 0;
}

/* Is a directory of NAME a symlink of the archive? */
static int
through_link(const struct job *j, const char *name)
{
	char prefix[EXTRACT_MAX_NAME + 1];
	const char *s;

	for (s = strchr(name, '/'); s != NULL; s = strchr(s + 1, '/')) {
		memcpy(prefix, name, (size_t)(s - name));
		prefix[s - name] = '\0';
		if (nameset_type(&j->names, prefix) == 'l')
			return 1;
	}
	return 0;
}

/* The checks that need only the header; TYPE gets the entry's kind. */
static enum extract_result
check_entry(struct job *j, struct archive_entry *e, const char *name,
    char *type)
{
	char target[EXTRACT_MAX_NAME + 1];
	const char *hl = archive_entry_hardlink(e), *why;
	const char *sl = archive_entry_symlink(e);
	mode_t ft = archive_entry_filetype(e);
	char seen = nameset_type(&j->names, name);
	long long size = archive_entry_size_is_set(e) ?
	    archive_entry_size(e) : 0;

	if (hl != NULL) {
		if (extract_check_name(hl, target, sizeof target, &why) == -1)
			return refuse(j, name, "hard link to a path outside "
			    "the target");
		if (nameset_type(&j->names, target) != 'f')
			return refuse(j, name, "hard link to something other "
			    "than a regular file of the archive");
		*type = 'h';
		archive_entry_set_hardlink(e, target);
	} else if (ft == AE_IFREG)
		*type = 'f';
	else if (ft == AE_IFDIR)
		*type = 'd';
	else if (ft == AE_IFLNK) {
		if (sl == NULL || !link_stays_inside(name, sl))
			return refuse(j, name, "symbolic link pointing "
			    "outside the target");
		*type = 'l';
	} else
		return refuse(j, name, ft == AE_IFCHR || ft == AE_IFBLK ?
		    "device file" : ft == AE_IFIFO ? "FIFO" : ft ==
		    AE_IFSOCK ? "socket" : "unknown file type");
	if (seen != 0 && !(seen == 'd' && *type == 'd'))
		return refuse(j, name, "duplicate name");
	if (through_link(j, name))
		return refuse(j, name, "path through a symbolic link");
	if (size > j->lim.max_entry)
		return refuse(j, name, "entry over the size cap");
	if (size > j->lim.max_total - j->total)
		return refuse(j, name, "archive over the total size cap");
	if (++j->entries > EXTRACT_MAX_ENTRIES)
		return refuse(j, name, "too many entries");
	return EXTRACT_OK;
}

static enum extract_result
copy_data(struct job *j, const char *name)
{
	const void *p;
	size_t n;
	la_int64_t off;
	long long written = 0;
	int r;

	while ((r = archive_read_data_block(j->ar, &p, &n, &off)) ==
	    ARCHIVE_OK) {
		written += (long long)n;
		if (written > j->lim.max_entry)
			return refuse(j, name, "entry over the size cap");
		if ((long long)n > j->lim.max_total - j->total)
			return refuse(j, name, "archive over the total size "
			    "cap");
		j->total += (long long)n;
		if (archive_write_data_block(j->disk, p, n, off) < ARCHIVE_OK)
			return archive_failure(j, j->disk, name);
	}
	return r == ARCHIVE_EOF ? EXTRACT_OK : archive_failure(j, j->ar, name);
}

static enum extract_result
one_entry(struct job *j, struct archive_entry *e)
{
	char name[EXTRACT_MAX_NAME + 1];
	const char *raw = archive_entry_pathname(e), *why;
	enum extract_result rc;
	char type = 0;

	if (raw == NULL)
		return refuse(j, "?", "entry without a name");
	if (extract_check_name(raw, name, sizeof name, &why) == -1)
		return refuse(j, raw, why);
	if (name[0] == '\0') {		/* "." or "./": the root itself */
		if (archive_entry_filetype(e) != AE_IFDIR)
			return refuse(j, raw, "the root is not a directory");
		return EXTRACT_OK;
	}
	if ((rc = check_entry(j, e, name, &type)) != EXTRACT_OK)
		return rc;
	if (nameset_add(&j->names, name, type) == -1 ||
	    (type == 'l' && remember_link(j, name) == -1)) {
		snprintf(j->err, j->errlen, "out of memory");
		return EXTRACT_LOCAL;
	}
	archive_entry_set_pathname(e, name);
	if (archive_write_header(j->disk, e) < ARCHIVE_OK)
		return archive_failure(j, j->disk, name);
	if (type == 'f' && (rc = copy_data(j, name)) != EXTRACT_OK)
		return rc;
	if (archive_write_finish_entry(j->disk) < ARCHIVE_OK)
		return archive_failure(j, j->disk, name);
	return EXTRACT_OK;
}

static enum extract_result
all_entries(struct job *j)
{
	struct archive_entry *e;
	enum extract_result rc;
	int r;
	size_t i;

	while ((r = archive_read_next_header(j->ar, &e)) == ARCHIVE_OK ||
	    r == ARCHIVE_WARN)
		if ((rc = one_entry(j, e)) != EXTRACT_OK)
			return rc;
	if (r != ARCHIVE_EOF)
		return archive_failure(j, j->ar, NULL);
	if (archive_write_close(j->disk) < ARCHIVE_OK)
		return archive_failure(j, j->disk, NULL);
	for (i = 0; i < j->nlinks; i++)
		if (!link_resolves_inside(j->links[i]))
			return refuse(j, j->links[i], "symbolic link "
			    "resolving outside the target");
	return EXTRACT_OK;
}

/* The bytes after the archive's end still go through SEEN. */
static enum extract_result
drain(struct job *j)
{
	const void *p;
	la_ssize_t n;

	while ((n = read_block(j->ar, &j->r, &p)) > 0)
		;
	return n == 0 ? EXTRACT_OK : archive_failure(j, j->ar, NULL);
}

static int
open_archives(struct job *j)
{
	int flags = ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
	    ARCHIVE_EXTRACT_SECURE_NODOTDOT |
	    ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS |
	    ARCHIVE_EXTRACT_NO_OVERWRITE;

	if ((j->ar = archive_read_new()) == NULL ||
	    (j->disk = archive_write_disk_new()) == NULL ||
	    (j->r.block = malloc(EXTRACT_BLOCK)) == NULL)
		return -1;
	/* Built-in filters only: _all would run external programs. */
	archive_read_support_filter_gzip(j->ar);
	archive_read_support_filter_bzip2(j->ar);
	archive_read_support_filter_xz(j->ar);
	archive_read_support_filter_zstd(j->ar);
	archive_read_support_format_tar(j->ar);
	archive_read_support_format_gnutar(j->ar);
	archive_write_disk_set_options(j->disk, flags);
	return 0;
}

enum extract_result
extract_archive(const struct extract_input *in, const char *dir,
    const struct extract_limits *lim, char *err, size_t errlen)
{
	struct job j = { .err = err, .errlen = errlen };
	enum extract_result rc = EXTRACT_LOCAL;
	int cwd = -1;
	size_t i;

	j.r.in = in;
	j.lim.max_entry = lim && lim->max_entry ? lim->max_entry :
	    EXTRACT_MAX_ENTRY;
	j.lim.max_total = lim && lim->max_total ? lim->max_total :
	    EXTRACT_MAX_TOTAL;
	nameset_init(&j.names);
	snprintf(err, errlen, "out of memory");
	if (open_archives(&j) == -1)
		goto out;
	if ((cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    chdir(dir) == -1) {
		snprintf(err, errlen, "cannot enter '%s': %s", dir,
		    strerror(errno));
		goto out;
	}
	if (archive_read_open(j.ar, &j.r, NULL, read_block, NULL) !=
	    ARCHIVE_OK)
		rc = archive_failure(&j, j.ar, NULL);
	else if ((rc = all_entries(&j)) == EXTRACT_OK)
		rc = drain(&j);
out:
	/* Still in DIR: closing applies the directories' modes and times. */
	archive_write_free(j.disk);
	if (cwd != -1) {
		if (fchdir(cwd) == -1 && rc == EXTRACT_OK) {
			snprintf(err, errlen, "cannot return to the working "
			    "directory: %s", strerror(errno));
			rc = EXTRACT_LOCAL;
		}
		close(cwd);
	}
	archive_read_free(j.ar);
	free(j.r.block);
	nameset_free(&j.names);
	for (i = 0; i < j.nlinks; i++)
		free(j.links[i]);
	free(j.links);
	return rc;
}
