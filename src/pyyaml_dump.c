/*
 * pyyaml_dump.c - yaml.safe_dump, ported from PyYAML's Emitter
 * (yaml/emitter.py) for the events SafeRepresenter produces from plain
 * data: block mappings with sorted keys, indentless block sequences inside
 * mappings, "[]" and "{}" for empty collections, and scalars in the style
 * the emitter chooses (plain, 'single' or "double" quoted, folded at
 * column 80).  The state the emitter carries (column, whitespace,
 * indention, indent) is kept exactly, so line breaks fall where PyYAML puts
 * them.  allow_unicode is off: non-ASCII text is escaped in double quotes.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "pyyaml.h"

#define BEST_INDENT 2
#define BEST_WIDTH 80
/* check_simple_key: a key is written "key:" when its length plus that of
 * its prepared tag ("!!str", computed though never written) is below 128 */
#define SIMPLE_KEY_MAX 128
#define STR_TAG_LEN 5

struct emitter {
	struct buf *out;
	long column;
	int whitespace, indention;
	int indent;		/* -1: PyYAML's None */
	int flow_level;
	int depth;
};

struct text {			/* a scalar as code points, as Python sees it */
	uint32_t *cp;
	size_t len;
};

struct analysis {
	int empty, multiline;
	int allow_flow_plain, allow_block_plain, allow_single_quoted;
};

static int emit_node(struct emitter *, const struct ynode *, int mapping,
    int simple_key);

static int
put(struct emitter *e, const char *s, size_t n)
{
	e->column += (long)n;
	return buf_append(e->out, s, n);
}

static int
put_cps(struct emitter *e, const struct text *t, size_t from, size_t to)
{
	size_t i;

	/* only printable ASCII reaches here: every other code point is
	 * escaped, or makes the scalar double quoted */
	for (i = from; i < to; i++)
		if (buf_putc(e->out, (int)t->cp[i]) == -1)
			return -1;
	e->column += (long)(to - from);
	return 0;
}

static int
write_indicator(struct emitter *e, const char *ind, int need_whitespace,
    int whitespace, int indention)
{
	int rc = 0;

	if (!e->whitespace && need_whitespace)
		rc = put(e, " ", 1);
	if (rc == 0)
		rc = put(e, ind, strlen(ind));
	e->whitespace = whitespace;
	e->indention = e->indention && indention;
	return rc;
}

static int
write_line_break(struct emitter *e)
{
	e->whitespace = 1;
	e->indention = 1;
	e->column = 0;
	return buf_putc(e->out, '\n');
}

static int
write_indent(struct emitter *e)
{
	long indent = e->indent < 0 ? 0 : e->indent;

	if (!e->indention || e->column > indent ||
	    (e->column == indent && !e->whitespace))
		if (write_line_break(e) == -1)
			return -1;
	if (e->column < indent) {
		e->whitespace = 1;
		while (e->column < indent)
			if (put(e, " ", 1) == -1)
				return -1;
	}
	return 0;
}

/* Is C one of the ASCII characters in SET? */
static int
in_set(uint32_t c, const char *set)
{
	return c != 0 && c < 0x80 && strchr(set, (int)c) != NULL;
}

static int
is_break(uint32_t c)
{
	return c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
}

static int
is_blank_or_end(const struct text *t, size_t i)
{
	uint32_t c;

	if (i >= t->len)
		return 1;
	c = t->cp[i];
	return c == 0 || c == ' ' || c == '\t' || c == '\r' || is_break(c);
}

static int
decode_utf8(const char *s, struct text *t)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	uint32_t c;
	int extra;

	t->len = 0;
	t->cp = malloc((n + 1) * sizeof *t->cp);
	if (t->cp == NULL)
		return -1;
	while (*p != '\0') {
		if (*p < 0x80) {
			c = *p++;
			extra = 0;
		} else if ((*p & 0xE0) == 0xC0) {
			c = *p++ & 0x1F;
			extra = 1;
		} else if ((*p & 0xF0) == 0xE0) {
			c = *p++ & 0x0F;
			extra = 2;
		} else if ((*p & 0xF8) == 0xF0) {
			c = *p++ & 0x07;
			extra = 3;
		} else {
			goto bad;
		}
		for (; extra > 0; extra--) {
			if ((*p & 0xC0) != 0x80)
				goto bad;
			c = c << 6 | (*p++ & 0x3F);
		}
		if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			goto bad;
		t->cp[t->len++] = c;
	}
	return 0;
bad:
	free(t->cp);
	t->cp = NULL;
	errno = EILSEQ;
	return -1;
}

/* Emitter.analyze_scalar, for allow_unicode=False. */
static void
analyze(const struct text *t, struct analysis *a)
{
	int block_ind = 0, flow_ind = 0, line_breaks = 0, special = 0;
	int lead_space = 0, lead_break = 0, trail_space = 0, trail_break = 0;
	int break_space = 0, space_break = 0;
	int preceded_ws = 1, followed_ws, prev_space = 0, prev_break = 0;
	size_t i;
	uint32_t c;

	memset(a, 0, sizeof *a);
	if (t->len == 0) {
		a->empty = 1;
		a->allow_block_plain = 1;
		a->allow_single_quoted = 1;
		return;
	}
	if (t->len >= 3 && ((t->cp[0] == '-' && t->cp[1] == '-' &&
	    t->cp[2] == '-') || (t->cp[0] == '.' && t->cp[1] == '.' &&
	    t->cp[2] == '.')))
		block_ind = flow_ind = 1;
	followed_ws = is_blank_or_end(t, 1);
	for (i = 0; i < t->len; i++) {
		c = t->cp[i];
		if (i == 0) {
			if (in_set(c, "#,[]{}&*!|>'\"%@`"))
				flow_ind = block_ind = 1;
			if (c == '?' || c == ':') {
				flow_ind = 1;
				if (followed_ws)
					block_ind = 1;
			}
			if (c == '-' && followed_ws)
				flow_ind = block_ind = 1;
		} else {
			if (in_set(c, ",?[]{}"))
				flow_ind = 1;
			if (c == ':') {
				flow_ind = 1;
				if (followed_ws)
					block_ind = 1;
			}
			if (c == '#' && preceded_ws)
				flow_ind = block_ind = 1;
		}
		if (is_break(c))
			line_breaks = 1;
		if (!(c == '\n' || (c >= 0x20 && c <= 0x7E)))
			special = 1;	/* Unicode too: allow_unicode is off */
		if (c == ' ') {
			lead_space |= i == 0;
			trail_space |= i == t->len - 1;
			break_space |= prev_break;
			prev_space = 1;
			prev_break = 0;
		} else if (is_break(c)) {
			lead_break |= i == 0;
			trail_break |= i == t->len - 1;
			space_break |= prev_space;
			prev_space = 0;
			prev_break = 1;
		} else {
			prev_space = prev_break = 0;
		}
		preceded_ws = c == 0 || c == ' ' || c == '\t' || c == '\r' ||
		    is_break(c);
		followed_ws = is_blank_or_end(t, i + 2);
	}
	a->multiline = line_breaks;
	a->allow_flow_plain = a->allow_block_plain = 1;
	a->allow_single_quoted = 1;
	if (lead_space || lead_break || trail_space || trail_break)
		a->allow_flow_plain = a->allow_block_plain = 0;
	if (break_space)
		a->allow_flow_plain = a->allow_block_plain =
		    a->allow_single_quoted = 0;
	if (space_break || special)
		a->allow_flow_plain = a->allow_block_plain =
		    a->allow_single_quoted = 0;
	if (line_breaks)
		a->allow_flow_plain = a->allow_block_plain = 0;
	if (flow_ind)
		a->allow_flow_plain = 0;
	if (block_ind)
		a->allow_block_plain = 0;
}

static int
write_plain(struct emitter *e, const struct text *t, int split)
{
	int spaces = 0, breaks = 0;
	size_t start = 0, end;
	uint32_t c;

	if (t->len == 0)
		return 0;
	if (!e->whitespace && put(e, " ", 1) == -1)
		return -1;
	e->whitespace = e->indention = 0;
	for (end = 0; end <= t->len; end++) {
		c = end < t->len ? t->cp[end] : UINT32_MAX;
		if (spaces) {
			if (c != ' ') {
				if (start + 1 == end &&
				    e->column > BEST_WIDTH && split) {
					if (write_indent(e) == -1)
						return -1;
					e->whitespace = e->indention = 0;
				} else if (put_cps(e, t, start, end) == -1) {
					return -1;
				}
				start = end;
			}
		} else if (breaks) {
			if (!is_break(c)) {
				/* unreachable: multiline scalars are quoted */
				return -1;
			}
		} else if (c == UINT32_MAX || c == ' ' || is_break(c)) {
			if (put_cps(e, t, start, end) == -1)
				return -1;
			start = end;
		}
		if (c != UINT32_MAX) {
			spaces = c == ' ';
			breaks = is_break(c);
		}
	}
	return 0;
}

static int
write_single_quoted(struct emitter *e, const struct text *t, int split)
{
	int spaces = 0, breaks = 0;
	size_t start = 0, end, k;
	uint32_t c;

	if (write_indicator(e, "'", 1, 0, 0) == -1)
		return -1;
	for (end = 0; end <= t->len; end++) {
		c = end < t->len ? t->cp[end] : UINT32_MAX;
		if (spaces) {
			if (c != ' ') {
				if (start + 1 == end &&
				    e->column > BEST_WIDTH && split &&
				    start != 0 && end != t->len) {
					if (write_indent(e) == -1)
						return -1;
				} else if (put_cps(e, t, start, end) == -1) {
					return -1;
				}
				start = end;
			}
		} else if (breaks) {
			if (c == UINT32_MAX || !is_break(c)) {
				/* only '\n': other breaks are not ASCII */
				if (t->cp[start] == '\n' &&
				    write_line_break(e) == -1)
					return -1;
				for (k = start; k < end; k++)
					if (write_line_break(e) == -1)
						return -1;
				if (write_indent(e) == -1)
					return -1;
				start = end;
			}
		} else if (c == UINT32_MAX || c == ' ' || is_break(c) ||
		    c == '\'') {
			if (start < end && put_cps(e, t, start, end) == -1)
				return -1;
			start = end;
		}
		if (c == '\'') {
			if (put(e, "''", 2) == -1)
				return -1;
			start = end + 1;
		}
		if (c != UINT32_MAX) {
			spaces = c == ' ';
			breaks = is_break(c);
		}
	}
	return write_indicator(e, "'", 0, 0, 0);
}

static int
escape(struct emitter *e, uint32_t c)
{
	static const char from[] = "\0\a\b\t\n\v\f\r\033\"\\";
	static const char to[] = "0abtnvfre\"\\";
	char data[16];
	const char *p;

	p = c < 0x80 ? memchr(from, (int)c, sizeof from - 1) : NULL;
	if (p != NULL)
		xsnprintf(data, sizeof data, "\\%c", to[p - from]);
	else if (c == 0x85)
		xsnprintf(data, sizeof data, "\\N");
	else if (c == 0xA0)
		xsnprintf(data, sizeof data, "\\_");
	else if (c == 0x2028)
		xsnprintf(data, sizeof data, "\\L");
	else if (c == 0x2029)
		xsnprintf(data, sizeof data, "\\P");
	else if (c <= 0xFF)
		xsnprintf(data, sizeof data, "\\x%02X", (unsigned)c);
	else if (c <= 0xFFFF)
		xsnprintf(data, sizeof data, "\\u%04X", (unsigned)c);
	else
		xsnprintf(data, sizeof data, "\\U%08X", (unsigned)c);
	return put(e, data, strlen(data));
}

static int
write_double_quoted(struct emitter *e, const struct text *t, int split)
{
	size_t start = 0, end;
	uint32_t c;

	if (write_indicator(e, "\"", 1, 0, 0) == -1)
		return -1;
	for (end = 0; end <= t->len; end++) {
		c = end < t->len ? t->cp[end] : UINT32_MAX;
		if (c == UINT32_MAX || c == '"' || c == '\\' ||
		    !(c >= 0x20 && c <= 0x7E)) {
			if (start < end && put_cps(e, t, start, end) == -1)
				return -1;
			start = end;
			if (c != UINT32_MAX) {
				if (escape(e, c) == -1)
					return -1;
				start = end + 1;
			}
		}
		if (end > 0 && end + 1 < t->len && (c == ' ' || start >= end) &&
		    e->column + (long)(end - start) > BEST_WIDTH && split) {
			if (start < end && put_cps(e, t, start, end) == -1)
				return -1;
			if (start < end)
				start = end;
			if (put(e, "\\", 1) == -1 || write_indent(e) == -1)
				return -1;
			e->whitespace = e->indention = 0;
			if (t->cp[start] == ' ' && put(e, "\\", 1) == -1)
				return -1;
		}
	}
	return write_indicator(e, "\"", 0, 0, 0);
}

/* The text SafeRepresenter gives a scalar node, and whether its tag is
 * implied by that text when written plain (implicit[0]). */
static int
scalar_text(const struct ynode *n, char *num, size_t size, const char **s,
    int *implicit)
{
	char *p;

	*implicit = 1;
	switch (n->kind) {
	case Y_NULL:
		*s = "null";
		return 0;
	case Y_BOOL:
		*s = n->i ? "true" : "false";
		return 0;
	case Y_INT:
		*s = num;
		return xsnprintf(num, size, "%lld", n->i);
	case Y_FLOAT:
		*s = num;
		if (isnan(n->d))
			return xsnprintf(num, size, ".nan");
		if (isinf(n->d))
			return xsnprintf(num, size, n->d > 0 ? ".inf" : "-.inf");
		/* represent_float: repr(x).lower(), "1e+16" -> "1.0e+16" */
		json_format_double(n->d, num);
		if (strchr(num, '.') == NULL && (p = strchr(num, 'e')) != NULL) {
			memmove(p + 2, p, strlen(p) + 1);
			memcpy(p, ".0", 2);
		}
		return 0;
	case Y_STR:
		*s = n->str;
		*implicit = pyyaml_resolve(n->str) == YR_STR;
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}

/* Emitter.expect_scalar: choose_scalar_style, then process_scalar. */
static int
emit_scalar(struct emitter *e, const char *s, int implicit, int simple_key)
{
	struct analysis a;
	struct text t;
	int saved = e->indent, rc;

	if (decode_utf8(s, &t) == -1)
		return -1;
	analyze(&t, &a);
	e->indent = e->indent < 0 ? BEST_INDENT : e->indent + BEST_INDENT;
	if (implicit && !(simple_key && (a.empty || a.multiline)) &&
	    ((e->flow_level && a.allow_flow_plain) ||
	    (!e->flow_level && a.allow_block_plain)))
		rc = write_plain(e, &t, !simple_key);
	else if (a.allow_single_quoted && !(simple_key && a.multiline))
		rc = write_single_quoted(e, &t, !simple_key);
	else
		rc = write_double_quoted(e, &t, !simple_key);
	e->indent = saved;
	free(t.cp);
	return rc;
}

static int
key_is_simple(const char *key)
{
	struct text t;
	struct analysis a;
	int simple;

	if (decode_utf8(key, &t) == -1)
		return 0;
	analyze(&t, &a);
	simple = t.len + STR_TAG_LEN < SIMPLE_KEY_MAX && !a.empty && !a.multiline;
	free(t.cp);
	return simple;
}

static int
cmp_keys(const void *a, const void *b)
{
	const struct ynode *x = *(const struct ynode *const *)a;
	const struct ynode *y = *(const struct ynode *const *)b;

	return strcmp(x->key, y->key);	/* UTF-8 order is code point order */
}

static int
emit_key(struct emitter *e, const char *key)
{
	int implicit = pyyaml_resolve(key) == YR_STR;

	if (write_indent(e) == -1)
		return -1;
	if (key_is_simple(key))
		return emit_scalar(e, key, implicit, 1) == -1 ||
		    write_indicator(e, ":", 0, 0, 0) == -1 ? -1 : 0;
	if (write_indicator(e, "?", 1, 0, 1) == -1 ||
	    emit_scalar(e, key, implicit, 0) == -1 ||
	    write_indent(e) == -1)
		return -1;
	return write_indicator(e, ":", 1, 0, 1);
}

static int
emit_block_mapping(struct emitter *e, const struct ynode *n)
{
	size_t count = ynode_count(n), i = 0;
	const struct ynode **items, *c;
	int saved = e->indent, rc = 0;

	items = malloc(count * sizeof *items);
	if (items == NULL)
		return -1;
	for (c = n->child; c != NULL; c = c->next)
		items[i++] = c;
	qsort(items, count, sizeof *items, cmp_keys);
	e->indent = e->indent < 0 ? 0 : e->indent + BEST_INDENT;
	for (i = 0; i < count && rc == 0; i++)
		rc = emit_key(e, items[i]->key) == -1 ||
		    emit_node(e, items[i], 1, 0) == -1 ? -1 : 0;
	e->indent = saved;
	free(items);
	return rc;
}

static int
emit_block_sequence(struct emitter *e, const struct ynode *n, int mapping)
{
	const struct ynode *c;
	int saved = e->indent;

	if (e->indent < 0)
		e->indent = 0;
	else if (!(mapping && !e->indention))
		e->indent += BEST_INDENT;
	for (c = n->child; c != NULL; c = c->next)
		if (write_indent(e) == -1 ||
		    write_indicator(e, "-", 1, 0, 1) == -1 ||
		    emit_node(e, c, 0, 0) == -1)
			return -1;
	e->indent = saved;
	return 0;
}

static int
emit_empty(struct emitter *e, const char *open, const char *close)
{
	if (write_indicator(e, open, 1, 1, 0) == -1)
		return -1;
	return write_indicator(e, close, 0, 0, 0);
}

static int
emit_node(struct emitter *e, const struct ynode *n, int mapping,
    int simple_key)
{
	char num[40];
	const char *s;
	int implicit, rc;

	if (++e->depth > PYYAML_MAX_DEPTH) {
		errno = ELOOP;
		return -1;
	}
	if (n->kind == Y_MAP)
		rc = n->child == NULL ? emit_empty(e, "{", "}") :
		    emit_block_mapping(e, n);
	else if (n->kind == Y_SEQ)
		rc = n->child == NULL ? emit_empty(e, "[", "]") :
		    emit_block_sequence(e, n, mapping);
	else
		rc = scalar_text(n, num, sizeof num, &s, &implicit) == -1 ? -1 :
		    emit_scalar(e, s, implicit, simple_key);
	e->depth--;
	return rc;
}

int
pyyaml_dump(struct buf *out, const struct ynode *root)
{
	struct emitter e = { out, 0, 1, 1, -1, 0, 0 };

	if (emit_node(&e, root, 0, 0) == -1)
		return -1;
	/* expect_document_end: write_indent with the indent back at None */
	e.indent = -1;
	return write_indent(&e);
}
