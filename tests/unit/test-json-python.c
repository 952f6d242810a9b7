/*
 * test-json-python.c - the machine's Python is the referee for our float
 * repr: 20,000 doubles (random bit patterns, random decimal strings and
 * edge cases, fixed seed) go to python3 as hex floats; json.dumps of each
 * must equal json_format_double byte for byte.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "json.h"

#define SAMPLES 20000

static uint64_t state = 0x9e3779b97f4a7c15ULL;

static uint64_t
next_random(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static double
sample(int i)
{
	static const double edge[] = { 0.0, -0.0, 1.0, 0.1, 5e-05, 1e16,
	    1e15, 9999999999999998.0, 1e-4, 9.999e-5, 5e-324, 2.2250738585072014e-308,
	    1.7976931348623157e308, 123456.789, 0.3, 2.5e-7 };
	char text[64];
	uint64_t bits;
	double x;

	if (i < (int)(sizeof edge / sizeof edge[0]))
		return edge[i];
	if (i % 2 == 0) {
		do {
			bits = next_random();
			memcpy(&x, &bits, sizeof x);
		} while (!isfinite(x));
		return x;
	}
	/* short decimal strings, as users type them: 5e-5, 0.001, 42.5 */
	snprintf(text, sizeof text, "%llue%d",
	    (unsigned long long)(next_random() % 100000),
	    (int)(next_random() % 40) - 20);
	return strtod(text, NULL);
}

int
main(void)
{
	char in[] = "/tmp/accel-jsonpy-in.XXXXXX", cmd[256], line[64], mine[32];
	FILE *f, *py;
	int fd, i, mismatches = 0;

	fd = mkstemp(in);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		CHECK("temporary file", 0);
		return check_done();
	}
	for (i = 0; i < SAMPLES; i++)
		fprintf(f, "%a\n", sample(i));
	fclose(f);
	snprintf(cmd, sizeof cmd, "python3 -c 'import json,sys\n"
	    "for l in sys.stdin: print(json.dumps(float.fromhex(l)))' < %s", in);
	py = popen(cmd, "r");
	CHECK("python3 runs", py != NULL);
	state = 0x9e3779b97f4a7c15ULL;
	for (i = 0; py != NULL && i < SAMPLES; i++) {
		if (fgets(line, sizeof line, py) == NULL)
			break;
		line[strcspn(line, "\n")] = '\0';
		json_format_double(sample(i), mine);
		if (strcmp(mine, line) != 0 && mismatches++ < 5)
			printf("# sample %d: ours %s, python %s\n", i, mine, line);
	}
	CHECK_INTEQ("python answered every sample", i, SAMPLES);
	CHECK_INTEQ("json_format_double equals json.dumps", mismatches, 0);
	if (py != NULL)
		CHECK("python3 exit status", pclose(py) == 0);
	unlink(in);
	return check_done();
}
