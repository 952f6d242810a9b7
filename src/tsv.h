/*
 * tsv.h - accelerate's two-column TSV files (sagemaker_inputs_file,
 * sagemaker_metrics_file): a header line with the two column names, then one
 * row per line, the two columns separated by one tab.  Unlike accelerate,
 * which skips line 1 blindly, crashes on a blank line and keeps stray
 * spaces in the first column, every malformed line is a positioned error.
 * The second column is stripped of surrounding whitespace, as accelerate's
 * str.strip() does; a final newline is optional; CRLF is accepted; a NUL
 * byte in a row is an error (the columns are C strings).
 */
#ifndef ACCEL_TSV_H
#define ACCEL_TSV_H

#include <stddef.h>

#include "diag.h"

#define TSV_MAX_BYTES (256 * 1024)	/* 40 metrics x 755 bytes fit easily */
#define TSV_MAX_ROWS 1000

struct tsv_row {
	char *key, *value;
	int line;
	int value_col;		/* column of the value's first byte */
};

struct tsv {
	struct tsv_row *rows;
	size_t n;
};

/*
 * tsv_parse: TEXT (LEN bytes) of the file named NAME, whose header must be
 * COL1<TAB>COL2.  Rows go to OUT, problems to D.  Returns 0 when the file
 * parsed without errors, else -1 (OUT holds the good rows).
 */
int tsv_parse(const char *name, const char *text, size_t len,
    const char *col1, const char *col2, struct tsv *out, struct diags *d);
void tsv_free(struct tsv *t);

#endif
