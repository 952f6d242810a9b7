/*
 * srctree.h - the list of what goes into sourcedir.tar.gz: a walk of the
 * source directory in archive order, with the exclusions, secret check,
 * symlink rules and caps of sourcedir.h applied.  No bytes are read here
 * except .accelignore.
 */
#ifndef ACCEL_SRCTREE_H
#define ACCEL_SRCTREE_H

#include <stddef.h>

#include "sourcedir.h"

struct src_entry {
	char *path;		/* name in the archive */
	char *from;		/* file to read (source path) */
	int is_dir;
	unsigned mode;		/* 0755 or 0644 */
	unsigned long long size;
};

struct src_tree {
	struct src_entry *v;
	size_t n, cap;
	size_t files;
	unsigned long long bytes;
};

int src_tree_collect(const struct archive_opts *opts, struct src_tree *t);
void src_tree_free(struct src_tree *t);

#endif
