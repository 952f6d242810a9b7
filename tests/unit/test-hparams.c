/*
 * test-hparams.c - script arguments to hyperparameters.  Every expected
 * string below is what Python 3.11 prints for
 * json.dumps(accelerate._infer_type(x)) (accelerate-sagemaker.md §8.2,
 * sagemaker-api.md §5.1); the property test against the machine's Python
 * is tests/cli/hparams-python.t.
 */
#include <stdlib.h>

#include "check.h"
#include "hparams.h"
#include "json.h"
#include "pynum.h"

static void
test_values(void)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		/* §8.2 examples */
		{ "3", "3" }, { "3.0", "3" }, { "1e3", "1000" }, { "007", "7" },
		{ "1_000", "1000" }, { " 3 ", "3" }, { "+3", "3" },
		{ "5e-5", "5e-05" }, { "50.5", "50.5" }, { "inf", "Infinity" },
		{ "nan", "NaN" },
		/* integers through a double */
		{ "12345678901234567890", "12345678901234567168" },
		{ "9007199254740993", "9007199254740992" },
		{ "-9223372036854775808", "-9223372036854775808" },
		{ "18446744073709551616", "18446744073709551616" },
		{ "1e300",
		  "100000000000000005250476025520442024870446858110815915491585"
		  "411551180245798890819578637137508044786404370444383288387817"
		  "694252323536043057564479218478670698284838720092657580373783"
		  "023379478809005936895323497079994508111903896764088007465274"
		  "278014249457925878882005684283811566947219638686545940054016"
		  "0" },
		{ "1.7976931348623157e308",
		  "179769313486231570814527423731704356798070567525844996598917"
		  "476803157260780028538760589558632766878171540458953514382464"
		  "234321326889464182768467546703537516986049910576551282076245"
		  "490090389328944075868508455133942304583236903222948165808559"
		  "332123348274797826204144723168738177180919299881250404026184"
		  "124858368" },
		/* floats: Python repr */
		{ "0.1", "0.1" }, { "1e16", "10000000000000000" },
		{ "1e-5", "1e-05" }, { "0.0001", "0.0001" }, { "2.5e-7", "2.5e-07" },
		{ "1.5e-300", "1.5e-300" }, { "-0.5", "-0.5" }, { ".5", "0.5" },
		{ "5.", "5" }, { "-0", "0" }, { "-0.0", "0" }, { "1e400", "Infinity" },
		{ "-1e400", "-Infinity" }, { "1e-400", "0" }, { "5e-324", "5e-324" },
		{ "123456789.123456789", "123456789.12345679" },
		/* spellings float() accepts */
		{ "INF", "Infinity" }, { "-Infinity", "-Infinity" },
		{ "+iNfInItY", "Infinity" }, { "NaN", "NaN" }, { "-nan", "NaN" },
		{ "\t\n\v\f\r 2 \r", "2" }, { "1_0e1_0", "100000000000" },
		{ "1_000.000_1", "1000.0001" }, { "1E+2", "100" },
		{ "\xef\xbc\x93", "3" },			/* FULLWIDTH DIGIT THREE */
		{ "\xd9\xa1\xd9\xa2", "12" },			/* ARABIC-INDIC 12 */
		{ "\xe2\x80\x83" "4\xc2\xa0", "4" },		/* EM SPACE, NBSP */
		/* spellings float() rejects stay strings */
		{ "1__0", "\"1__0\"" }, { "_1", "\"_1\"" }, { "1_", "\"1_\"" },
		{ "1e_5", "\"1e_5\"" }, { "1_.5", "\"1_.5\"" }, { "1._5", "\"1._5\"" },
		{ "infinit", "\"infinit\"" }, { "0x10", "\"0x10\"" }, { "", "\"\"" },
		{ " ", "\" \"" }, { ".", "\".\"" }, { "1e", "\"1e\"" },
		{ "e5", "\"e5\"" }, { ".e5", "\".e5\"" }, { "\x1c" "3", "\"\\u001c3\"" },
		{ "nan(1)", "\"nan(1)\"" }, { "1,5", "\"1,5\"" }, { "++1", "\"++1\"" },
		/* booleans: exactly True and False */
		{ "True", "true" }, { "False", "false" }, { "true", "\"true\"" },
		{ "TRUE", "\"TRUE\"" }, { " True", "\" True\"" },
		/* strings: json.dumps with ensure_ascii */
		{ "bert-base-cased", "\"bert-base-cased\"" },
		{ "a\"b\\c/d", "\"a\\\"b\\\\c/d\"" }, { "\xc3\xa9", "\"\\u00e9\"" },
		{ "\xf0\x9f\x98\x80", "\"\\ud83d\\ude00\"" }, { "t\tn\n", "\"t\\tn\\n\"" },
		/* invalid UTF-8: sys.argv's surrogateescape, then json.dumps */
		{ "a\xff" "b", "\"a\\udcffb\"" },
		{ "\xe2\x82", "\"\\udce2\\udc82\"" },
		{ "\xed\xa0\x80", "\"\\udced\\udca0\\udc80\"" },
		{ "\xc0\x80x\xc3\xa9", "\"\\udcc0\\udc80x\\u00e9\"" },
		{ "3\xff", "\"3\\udcff\"" },
	};
	struct buf b;
	char name[96];

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		buf_init(&b, 4096);
		buf_append(&b, "", 0);
		snprintf(name, sizeof name, "value '%s'", rows[i].in);
		if (py_encode_value(&b, rows[i].in) == -1)
			CHECK(name, 0);
		else
			CHECK_STREQ(name, b.data, rows[i].want);
		buf_free(&b);
	}
}

/* The hyperparameters of ARGS as compact sorted JSON, or "ERROR". */
static char *
convert(int n, char *const args[])
{
	cJSON *obj = hparams_from_args(n, args);
	struct buf b;

	if (obj == NULL)
		return strdup("ERROR");
	buf_init(&b, 1 << 16);
	json_dump(&b, obj, JSON_COMPACT);
	cJSON_Delete(obj);
	return b.data;
}

#define ARGS(...) (sizeof (char *[]){ __VA_ARGS__ } / sizeof (char *)), \
	(char *[]){ __VA_ARGS__ }

static void
check_args(const char *name, int n, char *const args[], const char *want)
{
	char *got = convert(n, args);

	CHECK_STREQ(name, got, want);
	free(got);
}

static void
test_args(void)
{
	check_args("worked example",
	    ARGS("--model_name_or_path", "bert-base-cased", "--epochs", "3",
	    "--lr", "5e-5", "--do_train", "True"),
	    "{\"do_train\": \"true\", \"epochs\": \"3\", \"lr\": \"5e-05\", "
	    "\"model_name_or_path\": \"\\\"bert-base-cased\\\"\"}");
	check_args("accelerate fixture",
	    ARGS("--model_name_or_path", "bert", "--do_train", "False",
	    "--epochs", "3", "--learning_rate", "5e-5", "--max_steps", "50.5"),
	    "{\"do_train\": \"false\", \"epochs\": \"3\", \"learning_rate\": "
	    "\"5e-05\", \"max_steps\": \"50.5\", \"model_name_or_path\": "
	    "\"\\\"bert\\\"\"}");
	check_args("dest names", ARGS("--learning-rate", "1", "-e", "2",
	    "---x-y-", "3"),
	    "{\"e\": \"2\", \"learning_rate\": \"1\", \"x_y_\": \"3\"}");
	check_args("--key=value", ARGS("--lr=0.1", "--name=a=b", "--empty="),
	    "{\"empty\": \"\\\"\\\"\", \"lr\": \"0.1\", \"name\": "
	    "\"\\\"a=b\\\"\"}");
	check_args("negative numbers are values",
	    ARGS("--lr", "-0.1", "--n", "-3", "--m", "-inf", "--o", "-"),
	    "{\"lr\": \"-0.1\", \"m\": \"-Infinity\", \"n\": \"-3\", "
	    "\"o\": \"\\\"-\\\"\"}");
	check_args("value starting with - via =", ARGS("--flag=-x"),
	    "{\"flag\": \"\\\"-x\\\"\"}");
	check_args("no arguments", 0, NULL, "{}");
	check_args("store_true flag at end", ARGS("--do_train"), "ERROR");
	check_args("store_true flag before option",
	    ARGS("--do_train", "--do_test", "False", "--do_predict"), "ERROR");
	check_args("value starting with -", ARGS("--name", "-foo"), "ERROR");
	check_args("positional", ARGS("data.csv"), "ERROR");
	check_args("extra value", ARGS("--layers", "1", "2"), "ERROR");
	check_args("same option twice", ARGS("--a", "1", "--a", "2"), "ERROR");
	check_args("same dest twice", ARGS("--a-b", "1", "--a_b", "2"), "ERROR");
	check_args("no name", ARGS("--", "1"), "ERROR");
	check_args("no name with =", ARGS("--=1"), "ERROR");
}

static void
test_limits(void)
{
	char key[HPARAM_KEY_MAX + 4], *big = malloc(3000);
	char *got;

	memset(key, 'k', sizeof key - 1);
	key[0] = key[1] = '-';
	key[sizeof key - 1] = '\0';
	got = convert(ARGS(key, "1"));
	CHECK_STREQ("key of 257 characters", got, "ERROR");
	free(got);
	key[HPARAM_KEY_MAX + 2] = '\0';
	got = convert(ARGS(key, "1"));
	CHECK("key of 256 characters", strcmp(got, "ERROR") != 0);
	free(got);
	memset(big, 'v', 2998);
	big[2498] = '\0';		/* 2498 + 2 quotes = 2500 */
	got = convert(ARGS("--v", big));
	CHECK("value of 2500 characters", strcmp(got, "ERROR") != 0);
	free(got);
	big[2498] = 'v';
	big[2499] = '\0';
	got = convert(ARGS("--v", big));
	CHECK_STREQ("value of 2501 characters", got, "ERROR");
	free(got);
	free(big);
}

/*
 * --encode: each NUL-terminated value on standard input, encoded, one per
 * line; tests/cli/hparams-python.t compares them with Python's.
 */
static int
encode_stdin(void)
{
	struct buf in, out;
	size_t i = 0;

	if (read_file("-", 64 << 20, &in) == -1)
		return 1;
	buf_init(&out, 256 << 20);
	while (i < in.len) {
		if (py_encode_value(&out, in.data + i) == -1 ||
		    buf_putc(&out, '\n') == -1)
			return 1;
		i += strlen(in.data + i) + 1;
	}
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&in);
	buf_free(&out);
	return 0;
}

int
main(int argc, char **argv)
{
	accel_prog = "test-hparams";
	if (argc == 2 && strcmp(argv[1], "--encode") == 0)
		return encode_stdin();
	test_values();
	test_args();
	test_limits();
	return check_done();
}
