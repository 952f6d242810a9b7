/* tsv.c - accelerate's two-column TSV files, every bad line reported. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"
#include "yamldoc.h"

struct line {
	const char *p;
	size_t len;
	int no;
};

static int
add_row(struct tsv *t, const struct line *l, size_t tab, size_t vstart,
    size_t vend)
{
	struct tsv_row *rows, *r;

	if ((rows = realloc(t->rows, (t->n + 1) * sizeof *rows)) == NULL)
		return -1;
	t->rows = rows;
	r = &rows[t->n];
	r->key = strndup(l->p, tab);
	r->value = strndup(l->p + vstart, vend - vstart);
	r->line = l->no;
	r->value_col = (int)vstart + 1;
	if (r->key == NULL || r->value == NULL) {
		free(r->key);
		free(r->value);
		return -1;
	}
	t->n++;
	return 0;
}

static int
parse_row(const char *name, const struct line *l, struct tsv *t,
    struct diags *d)
{
	const char *tab = memchr(l->p, '\t', l->len), *nul;
	size_t k, vs, ve;
	char q[96];

	if (l->len == 0) {
		diag_add(d, DIAG_ERROR, name, l->no, 1, "blank line");
		return -1;
	}
	/* The rows are C strings: a NUL would cut a column short unseen. */
	if ((nul = memchr(l->p, '\0', l->len)) != NULL) {
		diag_add(d, DIAG_ERROR, name, l->no, (int)(nul - l->p) + 1,
		    "a NUL byte");
		return -1;
	}
	if (tab == NULL) {
		diag_add(d, DIAG_ERROR, name, l->no, (int)l->len + 1,
		    "expected two columns separated by a tab, found one");
		return -1;
	}
	k = (size_t)(tab - l->p);
	if (memchr(tab + 1, '\t', l->len - k - 1) != NULL) {
		diag_add(d, DIAG_ERROR, name, l->no, (int)(strchr(tab + 1,
		    '\t') - l->p) + 1, "expected two columns, found more "
		    "(a second tab)");
		return -1;
	}
	if (k == 0 || isspace((unsigned char)l->p[0]) ||
	    isspace((unsigned char)l->p[k - 1])) {
		ydoc_quote(l->p, k, q, sizeof q);
		diag_add(d, DIAG_ERROR, name, l->no, 1, k == 0 ?
		    "empty first column" : "first column %s has surrounding "
		    "spaces", q);
		return -1;
	}
	for (vs = k + 1; vs < l->len && isspace((unsigned char)l->p[vs]); vs++)
		;
	for (ve = l->len; ve > vs && isspace((unsigned char)l->p[ve - 1]); ve--)
		;
	if (ve == vs) {
		diag_add(d, DIAG_ERROR, name, l->no, (int)k + 2,
		    "empty second column");
		return -1;
	}
	if (add_row(t, l, k, vs, ve) == -1) {
		diag_add(d, DIAG_ERROR, name, l->no, 1, "out of memory");
		return -1;
	}
	return 0;
}

static int
check_header(const char *name, const struct line *l, const char *col1,
    const char *col2, struct diags *d)
{
	size_t n1 = strlen(col1), n2 = strlen(col2);

	if (l->len == n1 + 1 + n2 && memcmp(l->p, col1, n1) == 0 &&
	    l->p[n1] == '\t' && memcmp(l->p + n1 + 1, col2, n2) == 0)
		return 0;
	diag_add(d, DIAG_ERROR, name, 1, 1, "line 1 must be the header "
	    "'%s<TAB>%s' (accelerate skips line 1)", col1, col2);
	return -1;
}

int
tsv_parse(const char *name, const char *text, size_t len, const char *col1,
    const char *col2, struct tsv *out, struct diags *d)
{
	struct line l = { text, 0, 0 };
	const char *end = text + len, *nl;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (len == 0) {
		diag_add(d, DIAG_ERROR, name, 1, 1, "empty file; expected the "
		    "header '%s<TAB>%s'", col1, col2);
		return -1;
	}
	while (l.p < end) {
		nl = memchr(l.p, '\n', (size_t)(end - l.p));
		l.len = (size_t)((nl ? nl : end) - l.p);
		l.no++;
		if (l.len > 0 && l.p[l.len - 1] == '\r')
			l.len--;
		if (l.no == 1)
			rc |= check_header(name, &l, col1, col2, d);
		else if (out->n == TSV_MAX_ROWS) {
			diag_add(d, DIAG_ERROR, name, l.no, 1, "more than %d "
			    "rows", TSV_MAX_ROWS);
			return -1;
		} else
			rc |= parse_row(name, &l, out, d);
		if (nl == NULL)
			break;
		l.p = nl + 1;
	}
	return rc;
}

void
tsv_free(struct tsv *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->rows[i].key);
		free(t->rows[i].value);
	}
	free(t->rows);
	memset(t, 0, sizeof *t);
}
