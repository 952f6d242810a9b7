/*
 * test-json.c - Python json.dumps compatibility of the writer.  The
 * expected strings were produced by Python 3.11's json.dumps; a property
 * test against the machine's Python is test-json-python.c.
 */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "json.h"

static void
test_floats(void)
{
	static const struct {
		double x;
		const char *want;
	} rows[] = {
		{ 5e-05, "5e-05" },
		{ 1e16, "1e+16" },
		{ 1e15, "1000000000000000.0" },
		{ 0.1, "0.1" },
		{ 50.5, "50.5" },
		{ 0.0001, "0.0001" },
		{ 0.00001234, "1.234e-05" },
		{ 1.5e300, "1.5e+300" },
		{ -2.5, "-2.5" },
		{ 0.0, "0.0" },
		{ -0.0, "-0.0" },
		{ 3.0, "3.0" },
		{ 1.0 / 3.0, "0.3333333333333333" },
		{ 123456789012345678.0, "1.2345678901234568e+17" },
		{ 5e-324, "5e-324" },
		{ 1.7976931348623157e308, "1.7976931348623157e+308" },
	};
	char out[32], name[64];

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		json_format_double(rows[i].x, out);
		snprintf(name, sizeof name, "float repr %s", rows[i].want);
		CHECK_STREQ(name, out, rows[i].want);
	}
	json_format_double(INFINITY, out);
	CHECK_STREQ("Infinity", out, "Infinity");
	json_format_double(-INFINITY, out);
	CHECK_STREQ("-Infinity", out, "-Infinity");
	json_format_double(NAN, out);
	CHECK_STREQ("NaN", out, "NaN");
}

static void
test_strings(void)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "plain", "\"plain\"" },
		{ "q\"b\\", "\"q\\\"b\\\\\"" },
		{ "tab\tnl\n", "\"tab\\tnl\\n\"" },
		{ "\x01", "\"\\u0001\"" },
		{ "\x7f", "\"\\u007f\"" },
		{ "caf\xc3\xa9", "\"caf\\u00e9\"" },
		{ "\xe2\x80\x99", "\"\\u2019\"" },
		{ "\xf0\x9f\x98\x80", "\"\\ud83d\\ude00\"" },
	};
	struct buf b;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		buf_init(&b, 1024);
		json_put_string(&b, rows[i].in, strlen(rows[i].in));
		CHECK_STREQ(rows[i].want, b.data, rows[i].want);
		buf_free(&b);
	}
}

static void
test_dump(void)
{
	const char *in = "{\"b\":[1,2.5,\"x\"],\"a\":{\"z\":null,\"y\":true},"
	    "\"c\":{},\"d\":[]}";
	cJSON *j = cJSON_Parse(in);
	struct buf b;
	char *text;

	buf_init(&b, 4096);
	json_dump(&b, j, JSON_COMPACT);
	CHECK_STREQ("compact, sorted", b.data,
	    "{\"a\": {\"y\": true, \"z\": null}, \"b\": [1, 2.5, \"x\"], "
	    "\"c\": {}, \"d\": []}");
	buf_free(&b);
	text = json_dump_file_text(j, 4096);
	CHECK_STREQ("indent=2, sorted", text,
	    "{\n  \"a\": {\n    \"y\": true,\n    \"z\": null\n  },\n"
	    "  \"b\": [\n    1,\n    2.5,\n    \"x\"\n  ],\n  \"c\": {},\n"
	    "  \"d\": []\n}\n");
	free(text);
	cJSON_Delete(j);
}

int
main(void)
{
	test_floats();
	test_strings();
	test_dump();
	return check_done();
}
