/*
 * replay.c - runs a libFuzzer target without libFuzzer (after cJSON's
 * fuzz_main.c): every file named on the command line, or every file in each
 * named directory, is passed once to LLVMFuzzerTestOneInput.  make check
 * links each target with this main and replays its corpus under the normal
 * compiler (and the sanitizers with SANITIZE=...).  Prints TAP.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_INPUT (4 << 20)	/* larger corpus files are an error */

static int n;

static int
replay_file(const char *path)
{
	struct buf b;

	if (read_file(path, REPLAY_MAX_INPUT, &b) == -1) {
		printf("not ok %d - %s\n", ++n, path);
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)b.data, b.len);
	buf_free(&b);
	return 0;
}

static int
replay_dir(const char *dir)
{
	struct dirent **names;
	char path[4096];
	int count, i, bad = 0, runs = 0;

	count = scandir(dir, &names, NULL, alphasort);
	if (count < 0) {
		printf("not ok %d - cannot read corpus %s\n", ++n, dir);
		return 1;
	}
	for (i = 0; i < count; i++) {
		if (names[i]->d_name[0] != '.' &&
		    xsnprintf(path, sizeof path, "%s/%s", dir,
		    names[i]->d_name) == 0) {
			bad += replay_file(path);
			runs++;
		}
		free(names[i]);
	}
	free(names);
	if (bad == 0)
		printf("ok %d - replayed %d inputs of %s\n", ++n, runs, dir);
	return bad;
}

/* With no arguments: $TOP/tests/fuzz/corpus/NAME for fuzz-replay-NAME. */
static int
replay_default(const char *argv0)
{
	const char *base = strrchr(argv0, '/');
	const char *top = getenv("TOP");
	char dir[4096];

	base = base ? base + 1 : argv0;
	if (strncmp(base, "fuzz-replay-", 12) != 0 || top == NULL ||
	    xsnprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", top,
	    base + 12) == -1) {
		fprintf(stderr, "usage: fuzz-replay-NAME [FILE|DIR...] "
		    "(TOP must be set without arguments)\n");
		return 2;
	}
	return replay_dir(dir);
}

int
main(int argc, char **argv)
{
	struct stat st;
	int bad = 0;

	accel_prog = "fuzz-replay";
	if (argc == 1) {
		bad = replay_default(argv[0]);
		printf("1..%d\n", n);
		return bad ? 1 : 0;
	}
	for (int i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			bad += replay_dir(argv[i]);
		else if (replay_file(argv[i]) == 0)
			printf("ok %d - %s\n", ++n, argv[i]);
		else
			bad++;
	}
	printf("1..%d\n", n);
	return bad ? 1 : 0;
}
