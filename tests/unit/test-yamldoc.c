/*
 * test-yamldoc.c - scalar typing against PyYAML 6.0.3's safe_load (each
 * expected row is what `yaml.safe_load("v: " + text)` printed on this
 * machine), positions, and the limits.
 */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "yamldoc.h"

static void
test_types(void)
{
	static const struct {
		const char *text;
		enum ytype type;
		double value;		/* bool 0/1, int, float */
	} rows[] = {
		{ "NO", YT_BOOL, 0 }, { "no", YT_BOOL, 0 }, { "yes", YT_BOOL, 1 },
		{ "On", YT_BOOL, 1 }, { "off", YT_BOOL, 0 },
		{ "TRUE", YT_BOOL, 1 }, { "1.10", YT_FLOAT, 1.1 },
		{ "0x1F", YT_INT, 31 }, { "010", YT_INT, 8 },
		{ "1_000", YT_INT, 1000 }, { "1:30", YT_INT, 90 },
		{ "1e3", YT_STR, 0 }, { "1.0e+3", YT_FLOAT, 1000 },
		{ ".inf", YT_FLOAT, INFINITY }, { "-.Inf", YT_FLOAT, -INFINITY },
		{ "~", YT_NULL, 0 }, { "", YT_NULL, 0 }, { "null", YT_NULL, 0 },
		{ "2024-01-31", YT_DATE, 0 }, { "2024-1-3 10:00:00", YT_DATE, 0 },
		{ "0b101", YT_INT, 5 }, { "-0", YT_INT, 0 }, { "+12", YT_INT, 12 },
		{ "0o17", YT_STR, 0 }, { "09", YT_STR, 0 }, { "1.", YT_FLOAT, 1 },
		{ "._5", YT_STR, 0 }, { "3.14_15", YT_FLOAT, 3.1415 },
		{ "190:20:30.15", YT_FLOAT, 685230.15 }, { "0_7", YT_INT, 7 },
		{ "x", YT_STR, 0 }, { "yes please", YT_STR, 0 },
		{ "'NO'", YT_STR, 0 }, { "\"1.10\"", YT_STR, 0 },
		{ "!!str 12", YT_STR, 0 }, { "!!int \"12\"", YT_INT, 12 },
		{ "!!float 1", YT_FLOAT, 1 }, { "!!bool yes", YT_BOOL, 1 },
	};
	char text[128], name[160];
	struct diags d;
	struct ydoc doc;
	const struct ynode *v;
	double got;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		diags_init(&d);
		snprintf(text, sizeof text, "v: %s\n", rows[i].text);
		snprintf(name, sizeof name, "type of '%s'", rows[i].text);
		if (ydoc_parse(&doc, "t", text, strlen(text), 0, &d) == -1 ||
		    (v = ydoc_get(doc.root, "v", NULL)) == NULL) {
			CHECK(name, 0);
		} else {
			got = v->type == YT_BOOL ? v->boolean : v->type ==
			    YT_INT ? (double)v->integer : v->type == YT_FLOAT ?
			    v->number : 0;
			CHECK(name, v->type == rows[i].type && (got ==
			    rows[i].value || fabs(got - rows[i].value) < 1e-9 ||
			    (isinf(got) && got == rows[i].value)) &&
			    d.errors == 0);
		}
		ydoc_free(&doc);
		diags_free(&d);
	}
}

static void
test_errors(void)
{
	static const struct {
		const char *name, *text;
		int json, rc;
		const char *want;	/* the first diagnostic */
	} rows[] = {
		{ "duplicate key", "a: 1\nb: 2\na: 3\n", 0, 0,
		    "t:3:1: error: duplicate key 'a' (first on line 1)" },
		{ "syntax error position", "a: 1\n b: 2\n", 0, -1,
		    "t:2:3: error: YAML mapping values are not allowed in this "
		    "context" },
		{ "alias bomb", "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n", 0, -1,
		    "t:5:36: error: more than 100000 nodes with aliases "
		    "expanded (an alias bomb?)" },
		{ "recursive alias", "a: &a [*a]\n", 0, -1,
		    "t:1:8: error: recursive alias *a" },
		{ "json trailing comma", "{\"a\": 1,}", 1, 0,
		    "t:1:8: error: not JSON: a comma before '}'" },
		{ "json single quotes", "{\"a\": 'x'}", 1, 0,
		    "t:1:7: error: not JSON: strings must be double-quoted" },
		{ "json anchors", "{\"a\": &x 1}", 1, -1,
		    "t:1:7: error: not JSON: anchors are YAML only" },
		{ "json comment", "{\"a\": 1} # c", 1, 0,
		    "t:1:10: error: not JSON: comments are YAML only" },
		{ "json leading zero", "{\"a\": 01}", 1, 0,
		    "t:1:7: error: not JSON: '01' is not true, false, null, a "
		    "number or a double-quoted string" },
		{ "nul byte", "a: \"x\\0y\"\n", 0, -1,
		    "t:1:4: error: scalar contains a NUL byte" },
	};
	char got[DIAG_MSG_MAX + 64];
	struct diags d;
	struct ydoc doc;
	int rc;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		diags_init(&d);
		rc = ydoc_parse(&doc, "t", rows[i].text, strlen(rows[i].text),
		    rows[i].json, &d);
		diags_sort(&d);
		got[0] = '\0';
		if (d.n > 0)
			snprintf(got, sizeof got, "%s:%d:%d: %s: %s",
			    d.v[0].file, d.v[0].line, d.v[0].col,
			    d.v[0].level == DIAG_ERROR ? "error" : "warning",
			    d.v[0].msg);
		CHECK_INTEQ(rows[i].name, rc, rows[i].rc);
		CHECK_STREQ(rows[i].name, got, rows[i].want);
		ydoc_free(&doc);
		diags_free(&d);
	}
}

static void
test_json(void)
{
	const char *text = "{\"n\": 2, \"f\": 1.5e2, \"s\": \"\\u00e9\", "
	    "\"b\": false, \"z\": null, \"l\": [1, {\"k\": \"v\"}]}";
	struct diags d;
	struct ydoc doc;
	const struct ynode *v;

	diags_init(&d);
	CHECK("json parses", ydoc_parse(&doc, "t", text, strlen(text), 1,
	    &d) == 0 && d.errors == 0);
	v = ydoc_get(doc.root, "n", NULL);
	CHECK("json int", v && v->type == YT_INT && v->integer == 2);
	v = ydoc_get(doc.root, "f", NULL);
	CHECK("json float", v && v->type == YT_FLOAT && v->number == 150);
	v = ydoc_get(doc.root, "s", NULL);
	CHECK("json \\u escape", v && strcmp(v->text, "\xc3\xa9") == 0);
	v = ydoc_get(doc.root, "b", NULL);
	CHECK("json false", v && v->type == YT_BOOL && !v->boolean);
	v = ydoc_get(doc.root, "l", NULL);
	CHECK("json list position", v && v->kind == YNODE_SEQ &&
	    v->line == 1 && v->col == 65 && v->nkids == 2);
	ydoc_free(&doc);
	diags_free(&d);
}

int
main(void)
{
	test_types();
	test_errors();
	test_json();
	return check_done();
}
