/*
 * yamldoc.h - a YAML or JSON document as a tree whose every node knows its
 * line and column, built from libyaml's events.  Plain scalars are typed the
 * way PyYAML's safe_load types them (YAML 1.1: yes/no/on/off are booleans,
 * 1.10 is a float, 2024-01-01 a date), so that the validator sees what
 * accelerate sees, and can still say how the value was spelt.
 *
 * JSON mode reads the same tree through libyaml and then insists on JSON:
 * flow collections, double-quoted strings, plain scalars only true, false,
 * null and JSON numbers; no anchors, aliases or tags.
 *
 * Limits (each breach is a positioned error): YDOC_MAX_DEPTH nesting,
 * YDOC_MAX_STRING bytes per scalar, YDOC_MAX_KEYS entries per mapping,
 * YDOC_MAX_NODES nodes after alias expansion (alias bombs), one document.
 * Duplicate keys are errors.  Aliases share the anchored node.
 */
#ifndef ACCEL_YAMLDOC_H
#define ACCEL_YAMLDOC_H

#include <stddef.h>

#include "diag.h"

#define YDOC_MAX_DEPTH 32		/* a config needs 4 */
#define YDOC_MAX_STRING 8192		/* longest API value is 2500 */
#define YDOC_MAX_KEYS 1024		/* entries in one mapping */
#define YDOC_MAX_NODES 100000		/* nodes, aliases expanded */

enum ynode_kind { YNODE_SCALAR, YNODE_MAP, YNODE_SEQ };

/* The type PyYAML's safe_load gives a scalar. */
enum ytype { YT_NULL, YT_BOOL, YT_INT, YT_FLOAT, YT_DATE, YT_STR };

struct ynode {
	enum ynode_kind kind;
	int line, col;			/* 1-based, of the node's first byte */
	/* scalars */
	char *text;			/* decoded, NUL-terminated */
	size_t len;
	enum ytype type;
	int plain;			/* written without quotes or tag */
	int bad_key;			/* a duplicate or merge key: skip */
	int boolean;			/* YT_BOOL */
	int int_big;			/* YT_INT outside long long */
	long long integer;		/* YT_INT */
	double number;			/* YT_FLOAT */
	/* mappings (key, value, key, value, ...) and sequences */
	struct ynode **kids;
	size_t nkids;
	size_t cap;
	size_t size;			/* nodes in this subtree, expanded */
};

struct ydoc {
	struct ynode *root;		/* NULL for an empty document */
	struct ynode **all;		/* every node, for freeing */
	size_t nall, capall;
};

/*
 * ydoc_parse: TEXT (LEN bytes, named FILE in diagnostics) into DOC.
 * Returns 0, or -1 when the tree is unusable (a syntax error, a limit).
 * With 0, D may still hold errors about single nodes (a duplicate key, not
 * JSON) and the tree is usable: flagged keys have bad_key set.  DOC is
 * always safe to ydoc_free.
 */
int ydoc_parse(struct ydoc *doc, const char *file, const char *text,
    size_t len, int json, struct diags *d);
void ydoc_free(struct ydoc *doc);

/* The value for KEY in mapping MAP (its key node in *KEYNODE), or NULL. */
const struct ynode *ydoc_get(const struct ynode *map, const char *key,
    const struct ynode **keynode);

/* "the string 'x'", "the integer 2", "a mapping"... for messages. */
void ydoc_describe(const struct ynode *n, char *out, size_t len);

/* S quoted for a message: '...' with control bytes as \xNN, cut at 60. */
void ydoc_quote(const char *s, size_t len, char *out, size_t outlen);

#endif
