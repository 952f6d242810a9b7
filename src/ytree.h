/*
 * ytree.h - a YAML document as PyYAML's safe_load builds it: maps with
 * string keys, sequences, strings, ints, floats, booleans and null.  It is
 * what accel-config edits and what yaml_dump() writes back the way PyYAML's
 * safe_dump does.
 */
#ifndef ACCEL_YTREE_H
#define ACCEL_YTREE_H

#include <stddef.h>

enum ykind { Y_NULL, Y_BOOL, Y_INT, Y_FLOAT, Y_STR, Y_MAP, Y_SEQ };

struct ynode {
	enum ykind kind;
	char *key;		/* the key, when the node is a map entry */
	char *str;		/* Y_STR: UTF-8 text */
	long long i;		/* Y_INT; Y_BOOL: 0 or 1 */
	double d;		/* Y_FLOAT */
	struct ynode *child;	/* Y_MAP, Y_SEQ: first member */
	struct ynode *next;	/* next member of the parent */
};

/* Constructors; NULL when out of memory. */
struct ynode *ynode_new(enum ykind kind);
struct ynode *ynode_str(const char *s);
struct ynode *ynode_int(long long i);
struct ynode *ynode_bool(int b);
void ynode_free(struct ynode *n);

/* MAP[KEY], or NULL. */
struct ynode *ymap_get(const struct ynode *map, const char *key);

/*
 * ymap_put: MAP[KEY] = VAL (VAL is taken over, also on failure; an existing
 * entry is replaced, as a Python dict assignment does).  0 or -1.
 */
int ymap_put(struct ynode *map, const char *key, struct ynode *val);

/* Remove MAP[KEY] if present. */
void ymap_del(struct ynode *map, const char *key);

/* Append VAL to the sequence SEQ. */
void yseq_append(struct ynode *seq, struct ynode *val);

/* Members of a map or sequence. */
size_t ynode_count(const struct ynode *n);

#endif
