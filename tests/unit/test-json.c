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

/* Numbers from a service answer: only what fits, whole, finite. */
static void
test_ints(void)
{
	static const struct {
		const char *text;
		long long min, max;
		int rc;
		long long want;
	} rows[] = {
		{ "0", 0, JSON_AWS_INT_MAX, 0, 0 },
		{ "331", 0, JSON_AWS_INT_MAX, 0, 331 },
		{ "2147483647", 0, JSON_AWS_INT_MAX, 0, 2147483647LL },
		{ "2147483648", 0, JSON_AWS_INT_MAX, -1, 0 },
		{ "-1", 0, JSON_AWS_INT_MAX, -1, 0 },
		{ "1.5", 0, JSON_AWS_INT_MAX, -1, 0 },
		{ "5e18", 0, JSON_AWS_INT_MAX, -1, 0 },
		{ "1e30", 0, JSON_AWS_INT_MAX, -1, 0 },
		{ "-1e30", -1000, 1000, -1, 0 },
		{ "1e400", 0, JSON_AWS_INT_MAX, -1, 0 },
		{ "9223372036854775808", 0, 9223372036854775807LL, -1, 0 },
		{ "9223372036854774784", 0, 9223372036854775807LL, 0,
		    9223372036854774784LL },
		{ "-9223372036854775808", -9223372036854775807LL - 1, 0, 0,
		    -9223372036854775807LL - 1 },
		{ "\"5\"", 0, 10, -1, 0 },
		{ "null", 0, 10, -1, 0 },
	};
	char name[96];
	long long got;
	cJSON *v;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		v = cJSON_Parse(rows[i].text);
		got = -42;
		snprintf(name, sizeof name, "json_int %s", rows[i].text);
		CHECK(name, json_int(v, rows[i].min, rows[i].max, &got) ==
		    rows[i].rc);
		CHECK(name, got == (rows[i].rc == 0 ? rows[i].want : -42));
		cJSON_Delete(v);
	}
	CHECK("json_int absent", json_int(NULL, 0, 1, &got) == -1);
}

static void
test_reals(void)
{
	cJSON *v = cJSON_CreateNumber(NAN);
	double d = -1;

	CHECK("json_real NaN", json_real(v, -1e300, 1e300, &d) == -1);
	cJSON_Delete(v);
	v = cJSON_CreateNumber(INFINITY);
	CHECK("json_real inf", json_real(v, -1e300, 1e300, &d) == -1);
	cJSON_Delete(v);
	v = cJSON_CreateNumber(1700000000.25);
	CHECK("json_real fraction", json_real(v, 0, 253402300799.0, &d) == 0 &&
	    d == 1700000000.25);
	cJSON_Delete(v);
	v = cJSON_CreateNumber(1e30);
	CHECK("json_real out of range", json_real(v, 0, 253402300799.0, &d)
	    == -1);
	cJSON_Delete(v);
}

int
main(void)
{
	test_ints();
	test_reals();
	test_floats();
	test_strings();
	test_dump();
	return check_done();
}
