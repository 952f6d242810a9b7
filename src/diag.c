/* diag.c - positioned diagnostics, collected and printed sorted. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

void
diags_init(struct diags *d)
{
	memset(d, 0, sizeof *d);
}

static int
diags_grow(struct diags *d)
{
	struct diag *v;
	size_t cap;

	if (d->n < d->cap)
		return 0;
	cap = d->cap ? d->cap * 2 : 16;
	if (cap > DIAG_MAX)
		cap = DIAG_MAX;
	if (d->n >= cap || (v = realloc(d->v, cap * sizeof *v)) == NULL)
		return -1;
	d->v = v;
	d->cap = cap;
	return 0;
}

void
diag_add(struct diags *d, enum diag_level level, const char *file, int line,
    int col, const char *fmt, ...)
{
	struct diag *g;
	va_list ap;

	if (level == DIAG_ERROR)
		d->errors++;
	else
		d->warnings++;
	if (diags_grow(d) == -1) {
		d->dropped++;
		return;
	}
	g = &d->v[d->n];
	if ((g->file = strdup(file)) == NULL) {
		d->dropped++;
		return;
	}
	g->line = line;
	g->col = col;
	g->level = level;
	g->seq = d->n++;
	va_start(ap, fmt);
	vsnprintf(g->msg, sizeof g->msg, fmt, ap);
	va_end(ap);
}

/* Rank of a file: the arrival number of its first diagnostic. */
static size_t
file_rank(const struct diags *d, const char *file)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->v[i].file, file) == 0)
			return i;
	return 0;
}

static int
cmp_diag(const void *pa, const void *pb)
{
	const struct diag *a = pa, *b = pb;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void
diags_sort(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		d->v[i].rank = file_rank(d, d->v[i].file);
	if (d->n > 1)
		qsort(d->v, d->n, sizeof *d->v, cmp_diag);
}

void
diags_print(const struct diags *d, FILE *fp)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(fp, "%s:%d:%d: %s: %s\n", d->v[i].file, d->v[i].line,
		    d->v[i].col, d->v[i].level == DIAG_ERROR ? "error" :
		    "warning", d->v[i].msg);
	if (d->dropped > 0)
		fprintf(fp, "%s: %zu more diagnostics not shown\n", accel_prog,
		    d->dropped);
}

void
diags_free(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].file);
	free(d->v);
	memset(d, 0, sizeof *d);
}
