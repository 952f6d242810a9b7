/*
 * diag.h - positioned diagnostics, collected so that a tool can report every
 * problem of an input in one run and print them sorted, gcc style:
 *
 *   FILE:LINE:COL: error: message
 *   FILE:LINE:COL: warning: message
 *
 * Lines and columns count from 1; in a YAML or JSON file a column counts
 * characters (as libyaml does), in a TSV file bytes.  At most DIAG_MAX
 * are kept; past that one last "too many errors" line is printed.
 */
#ifndef ACCEL_DIAG_H
#define ACCEL_DIAG_H

#include <stdio.h>

#include "util.h"

#define DIAG_MAX 200		/* diagnostics kept per run */
#define DIAG_MSG_MAX 1024	/* one message, hints included */

enum diag_level { DIAG_ERROR, DIAG_WARNING };

struct diag {
	char *file;		/* a copy */
	int line, col;
	enum diag_level level;
	size_t seq;		/* order of arrival, the sort's tie-break */
	size_t rank;		/* the file's first arrival (diags_sort) */
	char msg[DIAG_MSG_MAX];
};

struct diags {
	struct diag *v;
	size_t n, cap;
	size_t errors, warnings, dropped;
};

void diags_init(struct diags *d);
void diag_add(struct diags *d, enum diag_level level, const char *file,
    int line, int col, const char *fmt, ...) ACCEL_PRINTF(6, 7);
/* Sort by file (in order of first appearance), line, column, arrival. */
void diags_sort(struct diags *d);
void diags_print(const struct diags *d, FILE *fp);
void diags_free(struct diags *d);

#endif
