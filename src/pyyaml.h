/*
 * pyyaml.h - YAML read and written the way PyYAML's safe_load and
 * safe_dump do, so that the files we write are byte for byte those that
 * accelerate writes (yaml.safe_dump: keys sorted, block style, width 80,
 * indent 2, no Unicode in the output) and the files we read mean what they
 * mean to accelerate (YAML 1.1 implicit types: 'NO' is a boolean).
 */
#ifndef ACCEL_PYYAML_H
#define ACCEL_PYYAML_H

#include "util.h"
#include "ytree.h"

#define PYYAML_MAX_DEPTH 32	/* nesting a config file may use */

/* What a plain (unquoted) scalar resolves to under PyYAML's resolver. */
enum yresolve {
	YR_STR, YR_BOOL, YR_FLOAT, YR_INT, YR_MERGE, YR_NULL, YR_TIMESTAMP,
	YR_VALUE
};
enum yresolve pyyaml_resolve(const char *plain);

/*
 * pyyaml_dump: ROOT (a map) appended to OUT as yaml.safe_dump(root) writes
 * it.  Returns 0, or -1 (buffer limit, invalid UTF-8, too deep) with errno.
 */
int pyyaml_dump(struct buf *out, const struct ynode *root);

/*
 * pyyaml_load: the single document in TEXT (LEN bytes, named NAME in
 * messages) as yaml.safe_load builds it.  Anchors, aliases, merge keys,
 * timestamps, binary and non-string keys are refused with a message
 * "NAME:LINE:COL: error: ...".  Returns the tree (NULL for an empty
 * document is reported as an error too), or NULL with a message printed.
 */
struct ynode *pyyaml_load(const char *name, const char *text, size_t len);

#endif
