/* extract-int.h - extract.c's checks, in extractsafe.c. */
#ifndef ACCEL_EXTRACT_INT_H
#define ACCEL_EXTRACT_INT_H

#include <stddef.h>

/* The names extracted so far, with their types ('f', 'd', 'l', 'h'). */
struct nameset {
	char **names;
	char *types;
	size_t len, cap;		/* cap: a power of two */
};

void nameset_init(struct nameset *s);
void nameset_free(struct nameset *s);
/* nameset_type: the type NAME was added with, or 0. */
char nameset_type(const struct nameset *s, const char *name);
int nameset_add(struct nameset *s, const char *name, char type);

/*
 * link_stays_inside: a symbolic link named NAME (normalised) pointing to
 * TARGET, read as a path from NAME's directory, does not leave the root
 * by its words alone.  link_resolves_inside: the same on disk, following
 * the links already there (the cwd is the root), EXTRACT_MAX_HOPS at most.
 */
int link_stays_inside(const char *name, const char *target);
int link_resolves_inside(const char *name);

#endif
