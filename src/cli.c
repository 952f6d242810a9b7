/* cli.c - --help, --version and usage errors, one shape for every tool. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* DESIGN.md's statuses; a tool says only what its 1 means. */
static const char exit_text[] =
    "\n"
    "Exit status:\n"
    "  0   success\n"
    "  1   %s\n"
    "  2   usage error\n"
    "  75  temporary failure (network, throttling, interrupted):\n"
    "      rerunning the same command is safe\n"
    "\n"
    "See %s(1).\n";

/* A write error on stdout (a closed pipe, a full disk) is no success. */
static int
flush_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		accel_err("cannot write to standard output:");
		return EXIT_NO;
	}
	return EXIT_OK;
}

int
cli_help(const struct cli_help *h)
{
	printf("%s       %s --help | --version\n\n%s\nOptions:\n%s",
	    h->usage, accel_prog, h->about, h->options);
	printf("  --help              print this help and exit\n"
	    "  --version           print the version and exit\n");
	printf(exit_text, h->no, accel_prog);
	return flush_stdout();
}

int
cli_version(void)
{
	printf("%s %s\n", accel_prog, ACCEL_VERSION);
	return flush_stdout();
}

int
cli_hint(void)
{
	fprintf(stderr, "%s: try '%s --help'\n", accel_prog, accel_prog);
	return EXIT_USAGE;
}

int
cli_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", accel_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return cli_hint();
}

int
cli_getopt_error(int c, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	int n = (int)strcspn(arg, "=");

	/*
	 * glibc sets optopt to 0 for an unknown long option, and to the
	 * option's value for a long one that lacks or should not have a
	 * value; a long option is named as given, up to any "=value".
	 */
	if (c == '?' && optopt == 0)
		return cli_usage("unknown option '%.*s'", n, arg);
	if (strncmp(arg, "--", 2) == 0)
		return cli_usage(c == ':' ? "option '%.*s' needs a value" :
		    "option '%.*s' takes no value", n, arg);
	if (c == ':')
		return cli_usage("option '-%c' needs a value", optopt);
	return cli_usage("unknown option '-%c'", optopt);
}
