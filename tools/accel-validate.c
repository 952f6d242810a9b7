/*
 * accel-validate - check an accelerate SageMaker config and write it
 * normalized.  Every problem is reported in one run, gcc style; see
 * accel-validate(1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "diag.h"
#include "json.h"
#include "util.h"

static const struct cli_help help = {
	.usage = "usage: accel-validate [-o OUT.json] CONFIG\n",
	.about = "Check an accelerate SageMaker config (YAML, or JSON when CONFIG "
	    "ends\nin .json) and write it normalized as JSON to OUT.json "
	    "(default: standard\noutput; rewritten only when its bytes change)."
	    "  Every problem is\nreported as FILE:LINE:COL: error: message.\n",
	.options = "  -o OUT.json         write the normalized config there\n"
	    "                      ('-': standard output, the default)\n",
	.no = "the config is invalid or unreadable (warnings alone are 0)",
};

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
	int i;

	accel_prog = "accel-validate";
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			return cli_help(&help);
		} else if (strcmp(argv[i], "--version") == 0) {
			return cli_version();
		} else if (strcmp(argv[i], "-o") == 0) {
			if (++i == argc)
				return cli_usage("option '-o' needs a value");
			out = argv[i];
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			return cli_usage("unknown option '%.60s'", argv[i]);
		} else {
			break;
		}
	}
	if (i == argc)
		return cli_usage("no CONFIG given");
	config = argv[i++];
	if (i != argc)
		return cli_usage("one CONFIG only");
	return validate(config, out);
}
