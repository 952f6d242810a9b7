/*
 * pyyaml_resolve.c - PyYAML's implicit resolvers (yaml/resolver.py): the
 * YAML 1.1 patterns that make a plain scalar a bool, float, int, null,
 * timestamp, merge key or value key.  The patterns are the resolver's,
 * rewritten from Python's re.X syntax to POSIX ERE and tried in the order
 * they were registered.  Python's "$" also matches before a final newline;
 * pyyaml_resolve tries the text without it to match.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "pyyaml.h"

static const struct {
	enum yresolve tag;
	const char *re;
} resolvers[] = {
	{ YR_BOOL, "^(yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE"
	    "|on|On|ON|off|Off|OFF)$" },
	{ YR_FLOAT, "^([-+]?([0-9][0-9_]*)\\.[0-9_]*([eE][-+][0-9]+)?"
	    "|\\.[0-9][0-9_]*([eE][-+][0-9]+)?"
	    "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*"
	    "|[-+]?\\.(inf|Inf|INF)"
	    "|\\.(nan|NaN|NAN))$" },
	{ YR_INT, "^([-+]?0b[0-1_]+"
	    "|[-+]?0[0-7_]+"
	    "|[-+]?(0|[1-9][0-9_]*)"
	    "|[-+]?0x[0-9a-fA-F_]+"
	    "|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+)$" },
	{ YR_MERGE, "^<<$" },
	{ YR_NULL, "^(~|null|Null|NULL|)$" },
	{ YR_TIMESTAMP, "^([0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
	    "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
	    "([Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](\\.[0-9]*)?"
	    "([ \t]*(Z|[-+][0-9][0-9]?(:[0-9][0-9])?))?)$" },
	{ YR_VALUE, "^=$" },
};
#define NRESOLVERS (sizeof resolvers / sizeof resolvers[0])

static regex_t compiled[NRESOLVERS];
static int ready;

static int
compile_all(void)
{
	size_t i;

	for (i = 0; i < NRESOLVERS; i++) {
		if (regcomp(&compiled[i], resolvers[i].re,
		    REG_EXTENDED | REG_NOSUB) != 0) {
			while (i-- > 0)
				regfree(&compiled[i]);
			return -1;
		}
	}
	ready = 1;
	return 0;
}

static enum yresolve
match(const char *s)
{
	size_t i;

	for (i = 0; i < NRESOLVERS; i++)
		if (regexec(&compiled[i], s, 0, NULL, 0) == 0)
			return resolvers[i].tag;
	return YR_STR;
}

enum yresolve
pyyaml_resolve(const char *plain)
{
	size_t n = strlen(plain);
	enum yresolve r;
	char *tmp;

	if (!ready && compile_all() == -1)
		return YR_STR;
	r = match(plain);
	if (r == YR_STR && n > 0 && plain[n - 1] == '\n' &&
	    (tmp = strndup(plain, n - 1)) != NULL) {
		r = match(tmp);
		free(tmp);
	}
	return r;
}
