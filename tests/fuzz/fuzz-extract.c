/*
 * fuzz-extract.c - archive bytes into extract_archive, target a fresh
 * directory inside a private root.  Whatever the bytes, nothing may appear
 * in the root beside the target (an escape aborts), and the target is
 * removed after each input.  Caps are small so inputs stay cheap.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract.h"
#include "fetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64];
static char target[96];

static void
remove_root(void)
{
	rmdir(root);
}

static void
setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(root, sizeof root, "%s/fuzz-extract.XXXXXX",
	    tmp && strlen(tmp) < 32 ? tmp : "/tmp");
	if (mkdtemp(root) == NULL)
		abort();
	snprintf(target, sizeof target, "%s/t", root);
	atexit(remove_root);
}

/* Only "t" may be in the root. */
static void
check_root(void)
{
	struct dirent *e;
	DIR *d = opendir(root);

	if (d == NULL)
		abort();
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    strcmp(e->d_name, "t")) {
			fprintf(stderr, "escaped: %s/%s\n", root, e->d_name);
			abort();
		}
	closedir(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct extract_limits lim = { 1 << 20, 4 << 20 };
	struct extract_input in = { 0 };
	char err[EXTRACT_MAX_NAME + 256];

	if (root[0] == '\0')
		setup();
	if ((in.fd = memfd_create("archive", MFD_CLOEXEC)) == -1 ||
	    write(in.fd, data, size) != (ssize_t)size ||
	    mkdir(target, 0700) == -1)
		abort();
	(void)extract_archive(&in, target, &lim, err, sizeof err);
	close(in.fd);
	if (fetch_rmtree(target) == -1)
		abort();
	check_root();
	return 0;
}
