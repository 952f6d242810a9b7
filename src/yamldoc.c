/* yamldoc.c - a positioned YAML/JSON tree from libyaml's events. */
#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "yamldoc.h"

#define YDOC_MAX_ANCHORS 1024	/* distinct anchors in one document */

/* PyYAML 6's implicit resolvers (yaml/resolver.py), as POSIX EREs. */
static const char *const re_text[] = {
	/* bool */
	"^(yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE"
	"|on|On|ON|off|Off|OFF)$",
	/* float */
	"^([-+]?([0-9][0-9_]*)\\.[0-9_]*([eE][-+][0-9]+)?"
	"|\\.[0-9][0-9_]*([eE][-+][0-9]+)?"
	"|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*"
	"|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN))$",
	/* int */
	"^([-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)"
	"|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+)$",
	/* null */
	"^(~|null|Null|NULL|)$",
	/* timestamp */
	"^([0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
	"|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?([Tt]|[ \t]+)[0-9][0-9]?"
	":[0-9][0-9]:[0-9][0-9](\\.[0-9]*)?"
	"([ \t]*(Z|[-+][0-9][0-9]?(:[0-9][0-9])?))?)$",
	/* JSON number (RFC 8259) */
	"^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?$",
};
enum { RE_BOOL, RE_FLOAT, RE_INT, RE_NULL, RE_DATE, RE_JSON_NUM, RE_N };

#define TAG_PREFIX "tag:yaml.org,2002:"

struct anchor {
	char *name;
	struct ynode *node;
};

struct builder {
	struct ydoc *doc;
	const char *file;
	const char *text;
	size_t textlen;
	struct diags *d;
	int json;
	struct ynode *stack[YDOC_MAX_DEPTH];
	int depth;
	struct anchor anchors[YDOC_MAX_ANCHORS];
	size_t nanchors;
	size_t total;		/* nodes so far, aliases expanded */
	int docs;
	int failed;		/* the tree is not usable */
	regex_t re[RE_N];
};

static void
error_at(struct builder *b, yaml_mark_t m, const char *fmt, ...)
    ACCEL_PRINTF(3, 4);

static void
error_at(struct builder *b, yaml_mark_t m, const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_add(b->d, DIAG_ERROR, b->file, (int)m.line + 1, (int)m.column + 1,
	    "%s", msg);
}

static int
matches(struct builder *b, int re, const char *s)
{
	return regexec(&b->re[re], s, 0, NULL, 0) == 0;
}

/* The text without '_' (PyYAML's constructors drop them). */
static void
strip_underscores(const char *s, char *out, size_t len)
{
	size_t j = 0;

	for (; *s != '\0' && j + 1 < len; s++)
		if (*s != '_')
			out[j++] = *s;
	out[j] = '\0';
}

/* a:b:c in base 60, as PyYAML's sexagesimal int and float. */
static double
sexagesimal(const char *s)
{
	double v = 0;
	char *end;

	for (;;) {
		v = v * 60 + strtod(s, &end);
		if (*end != ':')
			return v;
		s = end + 1;
	}
}

/* PyYAML construct_yaml_int. */
static void
set_int(struct ynode *n)
{
	char buf[128], *p = buf;
	int sign = 1, base = 10;
	unsigned long long v;
	char *end;

	strip_underscores(n->text, buf, sizeof buf);
	if (*p == '-' || *p == '+')
		sign = *p++ == '-' ? -1 : 1;
	if (strchr(p, ':') != NULL) {
		double x = sexagesimal(p);

		n->int_big = !(x < 9.2e18);
		n->integer = n->int_big ? 0 : sign * (long long)x;
		return;
	}
	if (p[0] == '0' && p[1] == 'b')
		base = 2, p += 2;
	else if (p[0] == '0' && p[1] == 'x')
		base = 16, p += 2;
	else if (p[0] == '0' && p[1] != '\0')
		base = 8, p += 1;
	errno = 0;
	v = strtoull(p, &end, base);
	if (errno == ERANGE || v > (unsigned long long)INT64_MAX) {
		n->int_big = 1;
		return;
	}
	n->integer = sign * (long long)v;
}

/* PyYAML construct_yaml_float. */
static void
set_float(struct ynode *n)
{
	char buf[128], *p = buf;
	double sign = 1;

	strip_underscores(n->text, buf, sizeof buf);
	if (*p == '-' || *p == '+')
		sign = *p++ == '-' ? -1 : 1;
	if (strcmp(p, ".inf") == 0 || strcmp(p, ".Inf") == 0 ||
	    strcmp(p, ".INF") == 0)
		n->number = sign * INFINITY;
	else if (p[0] == '.' && (p[1] == 'n' || p[1] == 'N'))
		n->number = NAN;
	else if (strchr(p, ':') != NULL)
		n->number = sign * sexagesimal(p);
	else
		n->number = sign * strtod(p, NULL);
}

static void
set_bool(struct ynode *n)
{
	char c = n->text[0];

	n->boolean = c == 'y' || c == 'Y' || c == 't' || c == 'T' ||
	    ((c == 'o' || c == 'O') && (n->text[1] == 'n' || n->text[1] == 'N'));
}

/* Type a plain YAML scalar the way PyYAML's resolver does. */
static void
resolve_plain(struct builder *b, struct ynode *n)
{
	if (matches(b, RE_BOOL, n->text))
		n->type = YT_BOOL, set_bool(n);
	else if (matches(b, RE_FLOAT, n->text))
		n->type = YT_FLOAT, set_float(n);
	else if (matches(b, RE_INT, n->text))
		n->type = YT_INT, set_int(n);
	else if (matches(b, RE_NULL, n->text))
		n->type = YT_NULL;
	else if (matches(b, RE_DATE, n->text))
		n->type = YT_DATE;
	else
		n->type = YT_STR;
}

static void
resolve_json(struct builder *b, struct ynode *n, yaml_mark_t m)
{
	char *end, q[96];

	if (strcmp(n->text, "true") == 0 || strcmp(n->text, "false") == 0) {
		n->type = YT_BOOL;
		n->boolean = n->text[0] == 't';
	} else if (strcmp(n->text, "null") == 0) {
		n->type = YT_NULL;
	} else if (matches(b, RE_JSON_NUM, n->text)) {
		if (strpbrk(n->text, ".eE") != NULL) {
			n->type = YT_FLOAT;
			n->number = strtod(n->text, NULL);
		} else {
			n->type = YT_INT;
			errno = 0;
			n->integer = strtoll(n->text, &end, 10);
			n->int_big = errno == ERANGE;
		}
	} else {
		ydoc_quote(n->text, n->len, q, sizeof q);
		error_at(b, m, "not JSON: %s is not true, false, null, a "
		    "number or a double-quoted string", q);
		n->type = YT_STR;
	}
}

/* An explicit tag: !!str, !!int, !!float, !!bool, !!null; others refused. */
static void
resolve_tagged(struct builder *b, struct ynode *n, const char *tag,
    yaml_mark_t m)
{
	static const struct {
		const char *name;
		int re;
		enum ytype type;
	} tags[] = {
		{ "int", RE_INT, YT_INT }, { "float", RE_FLOAT, YT_FLOAT },
		{ "bool", RE_BOOL, YT_BOOL }, { "null", RE_NULL, YT_NULL },
	};
	char q[96];

	n->plain = 0;
	n->type = YT_STR;
	if (strcmp(tag, "!") == 0 || strcmp(tag, TAG_PREFIX "str") == 0)
		return;
	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
		if (strncmp(tag, TAG_PREFIX, strlen(TAG_PREFIX)) != 0 ||
		    strcmp(tag + strlen(TAG_PREFIX), tags[i].name) != 0)
			continue;
		/* PyYAML's !!float takes an integer too */
		if (!matches(b, tags[i].re, n->text) && !(tags[i].re ==
		    RE_FLOAT && matches(b, RE_INT, n->text))) {
			ydoc_quote(n->text, n->len, q, sizeof q);
			error_at(b, m, "%s is not a valid !!%s", q,
			    tags[i].name);
			return;
		}
		n->type = tags[i].type;
		if (n->type == YT_INT)
			set_int(n);
		else if (n->type == YT_FLOAT)
			set_float(n);
		else if (n->type == YT_BOOL)
			set_bool(n);
		return;
	}
	error_at(b, m, "unsupported tag %s (only !!str, !!int, !!float, "
	    "!!bool and !!null)", tag);
}

static struct ynode *
new_node(struct builder *b, enum ynode_kind kind, yaml_mark_t m)
{
	struct ydoc *doc = b->doc;
	struct ynode *n, **all;
	size_t cap;

	if (doc->nall == doc->capall) {
		cap = doc->capall ? doc->capall * 2 : 64;
		if ((all = realloc(doc->all, cap * sizeof *all)) == NULL)
			return NULL;
		doc->all = all;
		doc->capall = cap;
	}
	if ((n = calloc(1, sizeof *n)) == NULL)
		return NULL;
	n->kind = kind;
	n->line = (int)m.line + 1;
	n->col = (int)m.column + 1;
	n->size = 1;
	doc->all[doc->nall++] = n;
	return n;
}

static int
same_key(const struct ynode *a, const struct ynode *b)
{
	return a->kind == YNODE_SCALAR && b->kind == YNODE_SCALAR &&
	    a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* 0 a good key, 1 a bad one (flagged, skipped later), -1 fatal. */
static int
check_key(struct builder *b, struct ynode *map, struct ynode *key,
    yaml_mark_t m)
{
	char q[96];

	if (map->nkids / 2 >= YDOC_MAX_KEYS) {
		error_at(b, m, "more than %d keys in one mapping",
		    YDOC_MAX_KEYS);
		return -1;
	}
	if (key->kind != YNODE_SCALAR) {
		error_at(b, m, "mapping keys must be scalars");
		return 1;
	}
	if (key->plain && strcmp(key->text, "<<") == 0) {
		error_at(b, m, "merge keys (<<) are not supported; write the "
		    "keys out");
		return 1;
	}
	for (size_t i = 0; i < map->nkids; i += 2)
		if (same_key(map->kids[i], key)) {
			ydoc_quote(key->text, key->len, q, sizeof q);
			error_at(b, m, "duplicate key %s (first on line %d)",
			    q, map->kids[i]->line);
			return 1;
		}
	return 0;
}

/* Attach N to the open collection (or make it the root). */
static int
attach(struct builder *b, struct ynode *n, yaml_mark_t m)
{
	struct ynode *parent, **kids;
	size_t cap;

	if (b->depth == 0) {
		b->doc->root = n;
		return 0;
	}
	parent = b->stack[b->depth - 1];
	if (parent->kind == YNODE_MAP && parent->nkids % 2 == 0) {
		switch (check_key(b, parent, n, m)) {
		case -1:
			return -1;
		case 1:
			n->bad_key = 1;
			break;
		}
	}
	if (parent->nkids == parent->cap) {
		cap = parent->cap ? parent->cap * 2 : 8;
		if ((kids = realloc(parent->kids, cap * sizeof *kids)) == NULL)
			return -1;
		parent->kids = kids;
		parent->cap = cap;
	}
	parent->kids[parent->nkids++] = n;
	return 0;
}

static int
count_nodes(struct builder *b, size_t n, yaml_mark_t m)
{
	b->total += n;
	if (b->total <= YDOC_MAX_NODES)
		return 0;
	error_at(b, m, "more than %d nodes with aliases expanded (an alias "
	    "bomb?)", YDOC_MAX_NODES);
	return -1;
}

static int
add_anchor(struct builder *b, const char *name, struct ynode *n,
    yaml_mark_t m)
{
	if (b->json) {
		error_at(b, m, "not JSON: anchors are YAML only");
		return -1;
	}
	if (b->nanchors == YDOC_MAX_ANCHORS) {
		error_at(b, m, "more than %d anchors", YDOC_MAX_ANCHORS);
		return -1;
	}
	if ((b->anchors[b->nanchors].name = strdup(name)) == NULL)
		return -1;
	b->anchors[b->nanchors++].node = n;
	return 0;
}

static int
on_scalar(struct builder *b, yaml_event_t *ev)
{
	struct ynode *n;
	const char *tag = (const char *)ev->data.scalar.tag;
	yaml_mark_t m = ev->start_mark;

	if (ev->data.scalar.length > YDOC_MAX_STRING) {
		error_at(b, m, "scalar longer than %d bytes", YDOC_MAX_STRING);
		return -1;
	}
	if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length)) {
		error_at(b, m, "scalar contains a NUL byte");
		return -1;
	}
	if ((n = new_node(b, YNODE_SCALAR, m)) == NULL ||
	    (n->text = strdup((const char *)ev->data.scalar.value)) == NULL)
		return -1;
	n->len = ev->data.scalar.length;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	if (b->json && tag != NULL)
		error_at(b, m, "not JSON: tags are YAML only");
	if (b->json && !n->plain &&
	    ev->data.scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE)
		error_at(b, m, "not JSON: strings must be double-quoted");
	if (b->json && n->plain)
		resolve_json(b, n, m);
	else if (tag != NULL && !b->json)
		resolve_tagged(b, n, tag, m);
	else if (n->plain)
		resolve_plain(b, n);
	else
		n->type = YT_STR;
	if (ev->data.scalar.anchor != NULL && add_anchor(b,
	    (const char *)ev->data.scalar.anchor, n, m) == -1)
		return -1;
	return count_nodes(b, 1, m) == -1 ? -1 : attach(b, n, m);
}

static int
on_alias(struct builder *b, yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	yaml_mark_t m = ev->start_mark;
	struct ynode *target = NULL;

	if (b->json) {
		error_at(b, m, "not JSON: aliases are YAML only");
		return -1;
	}
	for (size_t i = b->nanchors; i-- > 0 && target == NULL;)
		if (strcmp(b->anchors[i].name, name) == 0)
			target = b->anchors[i].node;
	if (target == NULL) {
		error_at(b, m, "undefined alias *%s", name);
		return -1;
	}
	for (int i = 0; i < b->depth; i++)
		if (b->stack[i] == target) {
			error_at(b, m, "recursive alias *%s", name);
			return -1;
		}
	return count_nodes(b, target->size, m) == -1 ? -1 :
	    attach(b, target, m);
}

static int
on_start(struct builder *b, yaml_event_t *ev, enum ynode_kind kind)
{
	yaml_mark_t m = ev->start_mark;
	const char *tag, *anchor, *want;
	int flow;
	struct ynode *n;

	if (kind == YNODE_MAP) {
		tag = (const char *)ev->data.mapping_start.tag;
		anchor = (const char *)ev->data.mapping_start.anchor;
		flow = ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
		want = TAG_PREFIX "map";
	} else {
		tag = (const char *)ev->data.sequence_start.tag;
		anchor = (const char *)ev->data.sequence_start.anchor;
		flow = ev->data.sequence_start.style ==
		    YAML_FLOW_SEQUENCE_STYLE;
		want = TAG_PREFIX "seq";
	}
	if (b->depth == YDOC_MAX_DEPTH) {
		error_at(b, m, "nested deeper than %d levels", YDOC_MAX_DEPTH);
		return -1;
	}
	if (b->json && !flow) {
		error_at(b, m, "not JSON: expected '%c'",
		    kind == YNODE_MAP ? '{' : '[');
		return -1;
	}
	if (tag != NULL && strcmp(tag, want) != 0 && strcmp(tag, "!") != 0)
		error_at(b, m, "unsupported tag %s", tag);
	if ((n = new_node(b, kind, m)) == NULL ||
	    (anchor != NULL && add_anchor(b, anchor, n, m) == -1) ||
	    count_nodes(b, 1, m) == -1 || attach(b, n, m) == -1)
		return -1;
	b->stack[b->depth++] = n;
	return 0;
}

static void
on_end(struct builder *b)
{
	struct ynode *n = b->stack[--b->depth];

	n->size = 1;
	for (size_t i = 0; i < n->nkids; i++)
		n->size += n->kids[i]->size;
}

/* Line and column of byte OFFSET, for reader errors that have no mark. */
static yaml_mark_t
mark_of_offset(struct builder *b, size_t offset)
{
	yaml_mark_t m = { 0, 0, 0 };

	for (size_t i = 0; i < offset && i < b->textlen; i++) {
		if (b->text[i] == '\n')
			m.line++, m.column = 0;
		else
			m.column++;
	}
	return m;
}

static void
syntax_error(struct builder *b, yaml_parser_t *p)
{
	yaml_mark_t m = p->problem_mark;

	if (p->error == YAML_READER_ERROR)
		m = mark_of_offset(b, p->problem_offset);
	else if (p->error == YAML_MEMORY_ERROR)
		m = (yaml_mark_t){ 0, 0, 0 };
	error_at(b, m, "%s%s%s%s", b->json ? "JSON " : "YAML ",
	    p->problem ? p->problem : "syntax error",
	    p->context ? " " : "", p->context ? p->context : "");
}

static int
on_event(struct builder *b, yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->docs > 1) {
			error_at(b, ev->start_mark, "expected one document, "
			    "found a second");
			return -1;
		}
		return 0;
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev);
	case YAML_ALIAS_EVENT:
		return on_alias(b, ev);
	case YAML_MAPPING_START_EVENT:
		return on_start(b, ev, YNODE_MAP);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(b, ev, YNODE_SEQ);
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		on_end(b);
		return 0;
	default:
		return 0;
	}
}

/*
 * What libyaml accepts in flow style but JSON does not, and leaves no trace
 * of in the events: a comma before '}' or ']', and '#' comments.
 */
static void
json_lint(struct builder *b)
{
	yaml_mark_t m = { 0, 0, 0 }, comma = { 0, 0, 0 };
	int in_string = 0, after_comma = 0;

	for (size_t i = 0; i < b->textlen; i++) {
		char ch = b->text[i];

		if (in_string) {
			if (ch == '\\')
				i++, m.column++;
			else if (ch == '"')
				in_string = 0;
		} else if (ch == '"') {
			in_string = 1;
			after_comma = 0;
		} else if (ch == ',') {
			comma = m;
			after_comma = 1;
		} else if ((ch == '}' || ch == ']') && after_comma) {
			error_at(b, comma, "not JSON: a comma before '%c'", ch);
			after_comma = 0;
		} else if (ch == '#') {
			error_at(b, m, "not JSON: comments are YAML only");
			return;
		} else if (ch != ' ' && ch != '\t' && ch != '\n' &&
		    ch != '\r') {
			after_comma = 0;
		}
		if (ch == '\n')
			m.line++, m.column = 0;
		else
			m.column++;
	}
}

static int
run_parser(struct builder *b)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int done = 0, rc = 0;

	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, (const unsigned char *)b->text,
	    b->textlen);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			syntax_error(b, &parser);
			rc = -1;
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = on_event(b, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return rc;
}

int
ydoc_parse(struct ydoc *doc, const char *file, const char *text, size_t len,
    int json, struct diags *d)
{
	struct builder *b;
	size_t errors = d->errors;
	int rc, nre = 0;

	memset(doc, 0, sizeof *doc);
	if ((b = calloc(1, sizeof *b)) == NULL)
		return -1;
	b->doc = doc;
	b->file = file;
	b->text = text;
	b->textlen = len;
	b->d = d;
	b->json = json;
	for (rc = 0; nre < RE_N && rc == 0; nre++)
		rc = regcomp(&b->re[nre], re_text[nre], REG_EXTENDED |
		    REG_NOSUB);
	if (rc == 0 && json)
		json_lint(b);
	if (rc == 0)
		rc = run_parser(b);
	else
		nre--;
	while (nre-- > 0)
		regfree(&b->re[nre]);
	for (size_t i = 0; i < b->nanchors; i++)
		free(b->anchors[i].name);
	free(b);
	if (rc == -1 && d->errors == errors)
		diag_add(d, DIAG_ERROR, file, 1, 1, "out of memory");
	return rc;
}

void
ydoc_free(struct ydoc *doc)
{
	for (size_t i = 0; i < doc->nall; i++) {
		free(doc->all[i]->text);
		free(doc->all[i]->kids);
		free(doc->all[i]);
	}
	free(doc->all);
	memset(doc, 0, sizeof *doc);
}

const struct ynode *
ydoc_get(const struct ynode *map, const char *key,
    const struct ynode **keynode)
{
	if (map == NULL || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->nkids; i += 2)
		if (map->kids[i]->kind == YNODE_SCALAR &&
		    !map->kids[i]->bad_key &&
		    strcmp(map->kids[i]->text, key) == 0) {
			if (keynode != NULL)
				*keynode = map->kids[i];
			return map->kids[i + 1];
		}
	return NULL;
}

void
ydoc_quote(const char *s, size_t len, char *out, size_t outlen)
{
	size_t j = 0;

	if (outlen < 8)
		return;
	out[j++] = '\'';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (j + 8 >= outlen || i == 60) {
			memcpy(out + j, "...", 3);
			j += 3;
			break;
		}
		if (c < 0x20 || c == 0x7f)
			j += (size_t)snprintf(out + j, outlen - j, "\\x%02x", c);
		else
			out[j++] = (char)c;
	}
	out[j++] = '\'';
	out[j] = '\0';
}

void
ydoc_describe(const struct ynode *n, char *out, size_t len)
{
	char q[96];

	if (n->kind == YNODE_MAP) {
		xsnprintf(out, len, "a mapping");
		return;
	}
	if (n->kind == YNODE_SEQ) {
		xsnprintf(out, len, "a list");
		return;
	}
	ydoc_quote(n->text, n->len, q, sizeof q);
	switch (n->type) {
	case YT_NULL:
		xsnprintf(out, len, "null");
		break;
	case YT_BOOL:
		xsnprintf(out, len, "the boolean %s", n->text);
		break;
	case YT_INT:
		xsnprintf(out, len, "the integer %s", n->text);
		break;
	case YT_FLOAT:
		xsnprintf(out, len, "the number %s", n->text);
		break;
	case YT_DATE:
		xsnprintf(out, len, "the date %s", n->text);
		break;
	default:
		xsnprintf(out, len, "the string %s", q);
		break;
	}
}
