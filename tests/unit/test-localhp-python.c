/*
 * test-localhp-python.c - the machine's Python is the referee for the
 * toolkit's renderings of hyperparameters: 3,000 values (random JSON as
 * the SDK encodes it, nested lists and maps, odd numbers, strings with
 * quotes, escapes and non-ASCII, and text that is not JSON; fixed seed) go
 * to python3, which applies json.loads and the toolkit's formulas:
 * str() for argv (maps as k=v pairs, None as "") and
 * json.dumps(sort_keys=True, separators=(",", ":")) for SM_* variables.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "json.h"
#include "localhp.h"

#define SAMPLES 3000
#define VALUE_MAX 2500		/* the API's limit on a value */

static uint64_t state = 0x2545f4914f6cdd1dULL;

static unsigned
rnd(unsigned n)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (unsigned)(state % n);
}

static void gen_value(struct buf *, int);

static void
gen_string(struct buf *b)
{
	static const char *const pieces[] = { "a", "fp16", "it's", "say \\\"hi\\\"",
	    "\\\\", "\\t", "\\n", "\\u00e9", "\\u4e2d", "caf\xc3\xa9",
	    "\xf0\x9f\x98\x80", "\\/", " ", "-", "=", ",", "{", "]", "True",
	    "\\u0001", "\x7f" };

	buf_putc(b, '"');
	for (unsigned i = rnd(4); i > 0; i--)
		buf_puts(b, pieces[rnd(sizeof pieces / sizeof *pieces)]);
	buf_putc(b, '"');
}

static void
gen_number(struct buf *b)
{
	static const char *const odd[] = { "0", "-0", "-0.0", "3.0", "1e16",
	    "1E-7", "5e-05", "2.50", "1e400", "-1e400", "12345678901234567890",
	    "0.1", "100", "1.5e+300", "4.9e-324" };

	if (rnd(2) == 0)
		buf_puts(b, odd[rnd(sizeof odd / sizeof *odd)]);
	else
		buf_printf(b, "%s%u%s%u", rnd(3) == 0 ? "-" : "", rnd(100000),
		    rnd(2) ? "." : "e-", rnd(30) + 1);
}

static void
gen_container(struct buf *b, int depth, int map)
{
	unsigned n = rnd(4);

	buf_putc(b, map ? '{' : '[');
	for (unsigned i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(b, ", ");
		if (map)	/* distinct keys: json.loads keeps the last */
			buf_printf(b, "\"k%u%c\": ", i, "zab_"[rnd(4)]);
		gen_value(b, depth + 1);
	}
	buf_putc(b, map ? '}' : ']');
}

static void
gen_value(struct buf *b, int depth)
{
	switch (rnd(depth > 2 ? 5 : 7)) {
	case 0: gen_string(b); break;
	case 1: gen_number(b); break;
	case 2: buf_puts(b, "true"); break;
	case 3: buf_puts(b, rnd(2) ? "false" : "null"); break;
	case 4: gen_number(b); break;
	case 5: gen_container(b, depth, 0); break;
	default: gen_container(b, depth, 1); break;
	}
}

/* Hyperparameter text: mostly JSON, sometimes not (it stays raw). */
static void
gen_sample(struct buf *b)
{
	static const char *const raw[] = { "fp16", "True", "NaN", "Infinity",
	    "-Infinity", "1.", "007", "[1,", "{'a': 1}", "", " 4 ", "nan",
	    "tru", "\"unterminated", "1 2" };

	if (rnd(6) == 0)
		buf_puts(b, raw[rnd(sizeof raw / sizeof *raw)]);
	else
		gen_value(b, 0);
}

static const char referee[] =
	"import json, sys\n"
	"def dec(s):\n"
	"    try:\n"
	"        return json.loads(s)\n"
	"    except ValueError:\n"
	"        return s\n"
	"def arg(v):\n"
	"    if v is None:\n"
	"        return ''\n"
	"    if isinstance(v, dict):\n"
	"        return ','.join('%s=%s' % (k, v[k]) for k in sorted(v))\n"
	"    return str(v)\n"
	"def env(v):\n"
	"    if isinstance(v, str):\n"
	"        return v\n"
	"    if v is None:\n"
	"        return ''\n"
	"    return json.dumps(v, sort_keys=True, separators=(',', ':'))\n"
	"for line in open(sys.argv[1], encoding='utf-8'):\n"
	"    v = dec(line[:-1])\n"
	"    print(json.dumps([arg(v), env(v)]))\n";

/* Ours, in the referee's output form: json.dumps([arg, env]). */
static void
ours(const char *text, struct buf *out)
{
	struct buf arg, env;
	cJSON *v = hp_decode(text);

	buf_init(&arg, 1 << 20);
	buf_init(&env, 1 << 20);
	buf_puts(&arg, "");
	buf_puts(&env, "");
	hp_str(&arg, v);
	hp_env(&env, v);
	buf_puts(out, "[");
	json_put_string(out, arg.data, arg.len);
	buf_puts(out, ", ");
	json_put_string(out, env.data, env.len);
	buf_puts(out, "]");
	buf_free(&arg);
	buf_free(&env);
	cJSON_Delete(v);
}

int
main(void)
{
	char in[] = "/tmp/accel-hppy-in.XXXXXX", script[] =
	    "/tmp/accel-hppy-py.XXXXXX", cmd[128], line[1 << 16];
	struct buf b, mine;
	uint64_t seed = state;
	FILE *f, *py;
	int fd, i, mismatches = 0;

	fd = mkstemp(in);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		CHECK("temporary file", 0);
		return check_done();
	}
	for (i = 0; i < SAMPLES; i++) {
		buf_init(&b, VALUE_MAX * 8);
		gen_sample(&b);
		fprintf(f, "%s\n", b.data != NULL ? b.data : "");
		buf_free(&b);
	}
	fclose(f);
	fd = mkstemp(script);
	if (fd == -1 || write(fd, referee, sizeof referee - 1) < 0) {
		CHECK("temporary script", 0);
		return check_done();
	}
	close(fd);
	snprintf(cmd, sizeof cmd, "python3 %s %s", script, in);
	py = popen(cmd, "r");
	CHECK("python3 runs", py != NULL);
	state = seed;
	for (i = 0; py != NULL && i < SAMPLES; i++) {
		if (fgets(line, sizeof line, py) == NULL)
			break;
		line[strcspn(line, "\n")] = '\0';
		buf_init(&b, VALUE_MAX * 8);
		gen_sample(&b);
		buf_init(&mine, 1 << 20);
		ours(b.data != NULL ? b.data : "", &mine);
		if (strcmp(mine.data, line) != 0 && mismatches++ < 8)
			printf("# %s\n#   ours   %s\n#   python %s\n", b.data,
			    mine.data, line);
		buf_free(&b);
		buf_free(&mine);
	}
	CHECK_INTEQ("python answered every sample", i, SAMPLES);
	CHECK_INTEQ("argv and SM_* renderings equal Python's", mismatches, 0);
	if (py != NULL)
		CHECK("python3 exit status", pclose(py) == 0);
	unlink(in);
	unlink(script);
	return check_done();
}
