/*
 * accel-validate - check an accelerate SageMaker config and write it
 * normalized.  Every problem is reported in one run, gcc style; see
 * accel-validate(1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "json.h"
#include "util.h"

static const char usage_text[] =
    "usage: accel-validate [-o OUT.json] CONFIG\n"
    "       accel-validate --help | --version\n";

static const char help_text[] =
    "\n"
    "Check an accelerate SageMaker config (YAML, or JSON when CONFIG ends\n"
    "in .json) and write it normalized as JSON to OUT.json (default: standard\n"
    "output; rewritten only when its bytes change).  Every problem is\n"
    "reported as FILE:LINE:COL: error: message.\n"
    "\n"
    "  -o OUT.json   write the normalized config there ('-': standard output)\n"
    "  --help        this text\n"
    "  --version     the version\n"
    "\n"
    "Exit status: 0 valid (warnings allowed), 1 invalid or unreadable,\n"
    "2 usage.  See accel-validate(1).\n";

static int
usage(const char *why)
{
	if (why != NULL)
		fprintf(stderr, "accel-validate: %s\n", why);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

static int
validate(const char *config, const char *out)
{
	struct diags d;
	cJSON *obj = NULL;
	char *text;
	int rc;

	diags_init(&d);
	rc = config_read(config, &d, &obj);
	diags_sort(&d);
	diags_print(&d, stderr);
	diags_free(&d);
	if (rc == -1)
		return EXIT_NO;
	text = json_dump_file_text(obj, CONFIG_OUT_MAX);
	cJSON_Delete(obj);
	if (text == NULL) {
		accel_err("cannot format the normalized config");
		return EXIT_NO;
	}
	rc = write_output(out, text, strlen(text));
	free(text);
	return rc == -1 ? EXIT_NO : EXIT_OK;
}

int
main(int argc, char **argv)
{
	const char *out = "-", *config = NULL;
	char msg[128];
	int i;

	accel_prog = "accel-validate";
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("accel-validate %s\n", ACCEL_VERSION);
			return EXIT_OK;
		} else if (strcmp(argv[i], "-o") == 0) {
			if (++i == argc)
				return usage("-o needs a file name");
			out = argv[i];
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			xsnprintf(msg, sizeof msg, "unknown option '%.60s'",
			    argv[i]);
			return usage(msg);
		} else {
			break;
		}
	}
	if (i == argc)
		return usage("no CONFIG given");
	config = argv[i++];
	if (i != argc)
		return usage("one CONFIG only");
	return validate(config, out);
}
