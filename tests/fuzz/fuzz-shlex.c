/*
 * fuzz-shlex.c - shlex_split on arbitrary text, and a round trip: the
 * words, each quoted as Python's shlex.quote does and joined by spaces,
 * must split back into the same words.  The split writes into a buffer
 * sized from the input, so an off-by-one there is an overrun ASan sees.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shlex.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_LINE 65536	/* longer than any credential_process */

/* shlex.quote: 'word', a ' inside as '"'"', the empty word as ''. */
static int
quote(struct buf *b, const char *w)
{
	if (buf_putc(b, '\'') == -1)
		return -1;
	for (; *w != '\0'; w++)
		if ((*w == '\'' ? buf_puts(b, "'\"'\"'") :
		    buf_putc(b, *w)) == -1)
			return -1;
	return buf_putc(b, '\'');
}

static void
round_trip(char **argv, size_t argc)
{
	char **again, err[128];
	size_t n, i;
	struct buf b;

	buf_init(&b, 8 * FUZZ_MAX_LINE);
	for (i = 0; i < argc; i++)
		if ((i > 0 && buf_putc(&b, ' ') == -1) ||
		    quote(&b, argv[i]) == -1)
			abort();
	if (shlex_split(b.data ? b.data : "", &again, &n, err,
	    sizeof err) == -1 || n != argc)
		abort();
	for (i = 0; i < n; i++)
		if (strcmp(again[i], argv[i]) != 0)
			abort();
	free(again);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line, **argv, err[128];
	size_t argc;

	if (size > FUZZ_MAX_LINE || (line = malloc(size + 1)) == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (shlex_split(line, &argv, &argc, err, sizeof err) == 0) {
		if (argc > SHLEX_MAX_WORDS || argv[argc] != NULL)
			abort();
		round_trip(argv, argc);
		free(argv);
	}
	free(line);
	return 0;
}
