/*
 * cli.h - the face every tool shows at its door (issue 16): --help,
 * --version and usage errors, the same in every tool.
 *
 *   accel-x --help       what it reads and writes, options, exit statuses;
 *                        stdout, status 0
 *   accel-x --version    "accel-x VERSION"; stdout, status 0
 *   a usage error        "accel-x: what is wrong" then
 *                        "accel-x: try 'accel-x --help'"; stderr, status 2
 *
 * The text common to all tools (the exit statuses, the version line, the
 * hint) lives here only; each tool supplies its own synopsis, description,
 * option list and what its status 1 means.
 */
#ifndef ACCEL_CLI_H
#define ACCEL_CLI_H

#include "util.h"

/* A number macro's digits, for a default named in the help text. */
#define CLI_STR_(x) #x
#define CLI_STR(x) CLI_STR_(x)

struct cli_help {
	const char *usage;	/* "usage: accel-x ..." lines, '\n'-ended */
	const char *about;	/* what it reads and writes */
	const char *options;	/* its options, one per line; not --help */
	const char *no;		/* what exit status 1 means for this tool */
};

/* Print the help to stdout; EXIT_OK, or EXIT_NO if stdout failed. */
int cli_help(const struct cli_help *h);
/* Print "accel-x VERSION" to stdout; EXIT_OK, or EXIT_NO. */
int cli_version(void);
/* Say what is wrong, then the hint, on stderr; returns EXIT_USAGE. */
int cli_usage(const char *fmt, ...) ACCEL_PRINTF(1, 2);
/* The hint alone, after a message already given; returns EXIT_USAGE. */
int cli_hint(void);
/*
 * getopt(3) returned C ('?' or ':'; the option string starts with ':'
 * and opterr is 0, so that the message names accel_prog, not argv[0]):
 * say which option was wrong.  Returns EXIT_USAGE.
 */
int cli_getopt_error(int c, char **argv);

#endif
