/*
 * fuzz-tsv.c - the inputs and metrics TSV files on arbitrary bytes.  Any
 * row kept must be what the config checks assume: two non-empty columns,
 * no tab or newline in either, the value stripped, lines in order, and
 * the result (0 or -1) must agree with the errors reported.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_row(const struct tsv_row *r, int prev_line)
{
	size_t k = strlen(r->key), v = strlen(r->value);

	if (k == 0 || v == 0 || r->line <= prev_line ||
	    r->value_col < (int)k + 2 ||
	    strpbrk(r->key, "\t\n") != NULL ||
	    strpbrk(r->value, "\t\n") != NULL ||
	    isspace((unsigned char)r->key[0]) ||
	    isspace((unsigned char)r->key[k - 1]) ||
	    isspace((unsigned char)r->value[0]) ||
	    isspace((unsigned char)r->value[v - 1]))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *out;
	struct diags d;
	struct tsv t;
	int rc, prev = 1;

	if (out == NULL && (out = fopen("/dev/null", "w")) == NULL)
		abort();
	if (size > TSV_MAX_BYTES)
		return 0;
	diags_init(&d);
	if (size > 0 && data[0] == 'c')
		rc = tsv_parse("inputs.tsv", (const char *)data, size,
		    "channel_name", "data_location", &t, &d);
	else
		rc = tsv_parse("metrics.tsv", (const char *)data, size,
		    "metric_name", "metric_regex", &t, &d);
	if ((rc == 0) != (d.errors == 0) || t.n > TSV_MAX_ROWS)
		abort();
	for (size_t i = 0; i < t.n; i++) {
		check_row(&t.rows[i], prev);
		prev = t.rows[i].line;
	}
	diags_sort(&d);
	diags_print(&d, out);
	tsv_free(&t);
	diags_free(&d);
	return 0;
}
