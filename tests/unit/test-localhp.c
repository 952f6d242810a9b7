/*
 * test-localhp.c - hyperparameter decoding and rendering against Python.
 * Each row's expectations were produced by Python 3.11 from the toolkit's
 * formulas: str(json.loads(v)) with maps as k=v pairs (to_cmd_args) and
 * json.dumps(json.loads(v), sort_keys=True, separators=(",", ":")) for SM_*
 * variables (a value that is not JSON stays the raw string).
 */
#include <stdlib.h>

#include "check.h"
#include "localhp.h"

static const struct {
	const char *in, *arg, *env;
} rows[] = {
	{ "3", "3", "3" },
	{ "0.01", "0.01", "0.01" },
	{ "5e-05", "5e-05", "5e-05" },
	{ "\"fp16\"", "fp16", "fp16" },
	{ "true", "True", "true" },
	{ "false", "False", "false" },
	{ "null", "", "" },
	{ "fp16", "fp16", "fp16" },
	{ "True", "True", "True" },
	{ "[1, 2]", "[1, 2]", "[1,2]" },
	{ "[\"x\", \"y's\"]", "['x', \"y's\"]", "[\"x\",\"y's\"]" },
	{ "{\"k\": true, \"j\": \"s\"}", "j=s,k=True", "{\"j\":\"s\",\"k\":true}" },
	{ "{\"b\": {\"z\": 1, \"a\": [1.5, null]}, \"a\": 2}", "a=2,b={'z': 1, 'a': [1.5, None]}", "{\"a\":2,\"b\":{\"a\":[1.5,null],\"z\":1}}" },
	{ "3.0", "3.0", "3.0" },
	{ "1e16", "1e+16", "1e+16" },
	{ "-0", "0", "0" },
	{ "007", "007", "007" },
	{ "1.", "1.", "1." },
	{ "NaN", "nan", "NaN" },
	{ "Infinity", "inf", "Infinity" },
	{ "\"caf\\u00e9\"", "caf\xc3\xa9", "caf\xc3\xa9" },
	{ "\"\"", "", "" },
	{ "  4 ", "4", "4" },
	{ "[1, \"a\\\"b\"]", "[1, 'a\"b']", "[1,\"a\\\"b\"]" },
	{ "12345678901234567890", "12345678901234567890", "12345678901234567890" },
	{ "{\"a\": \"it's\"}", "a=it's", "{\"a\":\"it's\"}" },
	{ "\"tab\\tx\"", "tab\tx", "tab\tx" },
	{ "[true, null, 2.50]", "[True, None, 2.5]", "[true,null,2.5]" },
	{ "-1E-7", "-1e-07", "-1e-07" },
	{ "1e400", "inf", "Infinity" },
};

static void
test_rows(void)
{
	char name[160];
	struct buf arg, env;
	cJSON *v;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		v = hp_decode(rows[i].in);
		buf_init(&arg, 4096);
		buf_init(&env, 4096);
		buf_puts(&arg, "");
		buf_puts(&env, "");
		hp_str(&arg, v);
		hp_env(&env, v);
		snprintf(name, sizeof name, "str(%s)", rows[i].in);
		CHECK_STREQ(name, arg.data, rows[i].arg);
		snprintf(name, sizeof name, "SM_HP form of %s", rows[i].in);
		CHECK_STREQ(name, env.data, rows[i].env);
		buf_free(&arg);
		buf_free(&env);
		cJSON_Delete(v);
	}
}

static void
test_reserved(void)
{
	CHECK("sagemaker_program reserved", hp_reserved("sagemaker_program"));
	CHECK("sagemaker_x reserved", hp_reserved("sagemaker_x"));
	CHECK("_tuning_objective_metric reserved",
	    hp_reserved("_tuning_objective_metric"));
	CHECK("mp_parameters not reserved", !hp_reserved("mp_parameters"));
	CHECK("epochs not reserved", !hp_reserved("epochs"));
	CHECK("sagemaker_instance_type is a framework parameter",
	    hp_framework_param("sagemaker_instance_type"));
	CHECK("sagemaker_region is not a framework parameter",
	    !hp_framework_param("sagemaker_region"));
}

static void
test_config_form(void)
{
	struct buf b;
	cJSON *v = cJSON_Parse("{\"b\":\"x\\u00e9\",\"a\":[1,true]}");

	buf_init(&b, 4096);
	hp_json(&b, v, 0);
	CHECK_STREQ("json.dump form keeps order, spaced separators", b.data,
	    "{\"b\": \"x\\u00e9\", \"a\": [1, true]}");
	buf_free(&b);
	cJSON_Delete(v);
}

int
main(void)
{
	test_rows();
	test_reserved();
	test_config_form();
	return check_done();
}
