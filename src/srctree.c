/* srctree.c - walk the source directory into archive order (srctree.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ignore.h"
#include "srctree.h"

/* Names in one directory, whatever the caps: bounds the listing. */
#define ARCHIVE_MAX_NAMES (1UL << 20)

/* Directories being walked, to catch a symlink back into one of them. */
struct ancestor {
	dev_t dev;
	ino_t ino;
	const struct ancestor *up;
};

struct walk {
	const struct archive_opts *opts;
	struct ignore *ignore;
	char root[PATH_MAX];		/* realpath of the source directory */
	struct src_tree *tree;
	unsigned long max_entries;
	unsigned long long max_bytes;
};

int
archive_is_secret_name(const char *name)
{
	size_t n = strlen(name);

	return strcmp(name, ".env") == 0 || strcmp(name, "credentials") == 0 ||
	    strncmp(name, "id_rsa", 6) == 0 ||
	    (n > 4 && strcmp(name + n - 4, ".pem") == 0) ||
	    (n > 4 && strcmp(name + n - 4, ".key") == 0);
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* Names that never go in: VCS data, bytecode caches, our own state. */
static int
always_skipped(const struct walk *w, const char *rel, const char *name,
    int top)
{
	if (strcmp(name, ".git") == 0 || strcmp(name, "__pycache__") == 0 ||
	    (top && strcmp(name, ".accel") == 0))
		return 1;
	for (const char *const *s = w->opts->skip; s != NULL && *s; s++)
		if (strcmp(rel, *s) == 0)
			return 1;
	return 0;
}

static int
add_entry(struct walk *w, const char *rel, const char *from, int is_dir,
    const struct stat *st)
{
	struct src_tree *t = w->tree;
	struct src_entry *e;

	if (t->n == w->max_entries)
		return accel_err("'%s' has more than %lu files and "
		    "directories (at '%s'); exclude some in .accelignore",
		    w->opts->source_dir, w->max_entries, rel);
	if (!is_dir && (unsigned long long)st->st_size >
	    w->max_bytes - t->bytes)
		return accel_err("the files of '%s' pass the limit of %llu "
		    "bytes at '%s'; exclude data in .accelignore",
		    w->opts->source_dir, w->max_bytes, rel);
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct src_entry *v = realloc(t->v, cap * sizeof *v);

		if (v == NULL)
			return accel_err("cannot list '%s':",
			    w->opts->source_dir);
		t->v = v;
		t->cap = cap;
	}
	e = &t->v[t->n];
	e->path = strdup(rel);
	e->from = strdup(from);
	if (e->path == NULL || e->from == NULL) {
		free(e->path);
		free(e->from);
		return accel_err("cannot list '%s':", w->opts->source_dir);
	}
	e->is_dir = is_dir;
	e->mode = is_dir || (st->st_mode & 0111) ? 0755 : 0644;
	e->size = is_dir ? 0 : (unsigned long long)st->st_size;
	if (!is_dir) {
		t->files++;
		t->bytes += e->size;
	}
	t->n++;
	return 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names in DIR (without . and ..); NULL on error. */
static char **
sorted_names(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL, **nv;
	size_t n = 0, cap = 0;

	if (d == NULL) {
		accel_err("cannot open '%s':", dir);
		return NULL;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 32;
			if (cap > ARCHIVE_MAX_NAMES)
				goto toomany;
			nv = realloc(v, cap * sizeof *v);
			if (nv == NULL)
				goto fail;
			v = nv;
		}
		if ((v[n] = strdup(de->d_name)) == NULL)
			goto fail;
		n++;
	}
	if (errno != 0)
		goto fail;
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof *v, cmp_names);
	*count = n;
	if (v == NULL)
		v = calloc(1, sizeof *v);
	return v;
toomany:
	errno = EFBIG;
fail:
	accel_err("cannot read '%s':", dir);
	closedir(d);
	while (n > 0)
		free(v[--n]);
	free(v);
	return NULL;
}

static int walk_dir(struct walk *, const char *, const char *, int,
    const struct ancestor *);

/* A symlink must stay inside the source directory. */
static int
check_link(struct walk *w, const char *from, const char *rel,
    char real[PATH_MAX])
{
	size_t n = strlen(w->root);

	if (realpath(from, real) == NULL)
		return accel_err("cannot follow the symlink '%s':", rel);
	if (strncmp(real, w->root, n) != 0 || (real[n] != '/' &&
	    real[n] != '\0'))
		return accel_err("the symlink '%s' leads outside the source "
		    "directory (to '%s'); copy the file in or exclude the "
		    "link in .accelignore", rel, real);
	return 0;
}

/* --requirements FILE is requirements.txt, whatever the tree holds. */
static int
add_requirements(struct walk *w)
{
	const char *req = w->opts->requirements;
	struct stat st;

	if (stat(req, &st) == -1)
		return accel_err("cannot open '%s':", req);
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return accel_err("cannot read '%s': not a regular file", req);
	}
	return add_entry(w, "requirements.txt", req, 0, &st);
}

static int
walk_one(struct walk *w, const char *dir, const char *prefix,
    const char *name, int depth, const struct ancestor *up)
{
	char from[PATH_MAX], rel[PATH_MAX], real[PATH_MAX];
	enum ignore_verdict v;
	struct stat lst, st;
	int top = depth == 0;

	if (xsnprintf(from, sizeof from, "%s/%s", dir, name) == -1 ||
	    xsnprintf(rel, sizeof rel, "%s%s", prefix, name) == -1) {
		errno = ENAMETOOLONG;
		return accel_err("cannot add '%s%s':", prefix, name);
	}
	if (always_skipped(w, rel, name, top))
		return 0;
	if (top && w->opts->requirements != NULL &&
	    strcmp(name, "requirements.txt") == 0)
		return add_requirements(w);
	if (lstat(from, &lst) == -1 || stat(from, &st) == -1)
		return accel_err("cannot add '%s':", rel);
	v = ignore_match(w->ignore, rel, S_ISDIR(st.st_mode));
	if (v == IGNORE_EXCLUDE)
		return 0;
	if (S_ISLNK(lst.st_mode)) {
		if (check_link(w, from, rel, real) == -1)
			return -1;
		if (v != IGNORE_INCLUDE && archive_is_secret_name(
		    base_name(real)) && !archive_is_secret_name(name))
			return accel_err("'%s' links to '%s', which looks "
			    "like a secret; exclude it in .accelignore, or "
			    "add '!%s' to upload it", rel, base_name(real),
			    rel);
	}
	if (S_ISDIR(st.st_mode)) {
		for (const struct ancestor *a = up; a != NULL; a = a->up)
			if (a->dev == st.st_dev && a->ino == st.st_ino)
				return accel_err("the symlink '%s' loops back "
				    "to a directory that contains it", rel);
		if (add_entry(w, rel, from, 1, &st) == -1)
			return -1;
		struct ancestor me = { st.st_dev, st.st_ino, up };
		return walk_dir(w, from, rel, depth + 1, &me);
	}
	if (!S_ISREG(st.st_mode)) {
		accel_warn("skipping '%s': not a regular file or directory",
		    rel);
		return 0;
	}
	if (v != IGNORE_INCLUDE && archive_is_secret_name(name))
		return accel_err("'%s' looks like a secret and would be "
		    "uploaded; exclude it in .accelignore, or add '!%s' to "
		    "upload it", rel, rel);
	return add_entry(w, rel, from, 0, &st);
}

/* Adds what DIR holds, named PREFIX/..., in sorted order. */
static int
walk_dir(struct walk *w, const char *dir, const char *rel, int depth,
    const struct ancestor *up)
{
	char prefix[PATH_MAX];
	char **names;
	size_t n, i;
	int rc = 0, have_req = 0;

	if (depth > ARCHIVE_MAX_DEPTH)
		return accel_err("'%s' is nested deeper than %d directories",
		    rel, ARCHIVE_MAX_DEPTH);
	if (xsnprintf(prefix, sizeof prefix, "%s%s", rel,
	    *rel != '\0' ? "/" : "") == -1) {
		errno = ENAMETOOLONG;
		return accel_err("cannot add '%s':", rel);
	}
	names = sorted_names(dir, &n);
	if (names == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		/* a --requirements file goes in even without one here */
		if (depth == 0 && w->opts->requirements != NULL && !have_req &&
		    strcmp(names[i], "requirements.txt") >= 0) {
			have_req = 1;
			if (strcmp(names[i], "requirements.txt") != 0)
				rc = walk_one(w, dir, prefix,
				    "requirements.txt", depth, up);
		}
		if (rc == 0)
			rc = walk_one(w, dir, prefix, names[i], depth, up);
	}
	if (rc == 0 && depth == 0 && w->opts->requirements != NULL &&
	    !have_req)
		rc = walk_one(w, dir, prefix, "requirements.txt", depth, up);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int
load_ignore(struct walk *w)
{
	char path[PATH_MAX];
	struct buf b;
	struct stat st;

	if (xsnprintf(path, sizeof path, "%s/.accelignore",
	    w->opts->source_dir) == -1)
		return accel_err("cannot open '%s/.accelignore': name too "
		    "long", w->opts->source_dir);
	if (stat(path, &st) == -1)
		return errno == ENOENT ? 0 :
		    accel_err("cannot open '%s':", path);
	if (read_file(path, IGNORE_MAX_BYTES, &b) == -1)
		return -1;
	w->ignore = ignore_parse(b.data, b.len, path);
	buf_free(&b);
	return w->ignore == NULL ? -1 : 0;
}

static int
has_script(const struct src_tree *t, const char *script)
{
	for (size_t i = 0; i < t->n; i++)
		if (!t->v[i].is_dir && strcmp(t->v[i].path, script) == 0)
			return 1;
	return 0;
}

int
src_tree_collect(const struct archive_opts *opts, struct src_tree *t)
{
	struct walk w = { opts, NULL, "", t, ARCHIVE_MAX_ENTRIES,
	    ARCHIVE_MAX_BYTES };
	struct stat st;

	memset(t, 0, sizeof *t);
	if (opts->max_entries > 0)
		w.max_entries = opts->max_entries;
	if (opts->max_bytes > 0)
		w.max_bytes = opts->max_bytes;
	if (realpath(opts->source_dir, w.root) == NULL)
		return accel_err("cannot open '%s':", opts->source_dir);
	if (stat(w.root, &st) == -1 || !S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return accel_err("cannot open '%s':", opts->source_dir);
	}
	struct ancestor root = { st.st_dev, st.st_ino, NULL };
	if (load_ignore(&w) == -1 ||
	    walk_dir(&w, opts->source_dir, "", 0, &root) == -1)
		goto fail;
	if (opts->script != NULL && !has_script(t, opts->script)) {
		accel_err("the script '%s' is not in the archive of '%s' "
		    "(excluded by .accelignore?)", opts->script,
		    opts->source_dir);
		goto fail;
	}
	ignore_free(w.ignore);
	return 0;
fail:
	ignore_free(w.ignore);
	src_tree_free(t);
	return -1;
}

void
src_tree_free(struct src_tree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].path);
		free(t->v[i].from);
	}
	free(t->v);
	memset(t, 0, sizeof *t);
}
