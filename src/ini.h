/*
 * ini.h - the AWS shared config and credentials files, read the way botocore
 * reads them (configloader.py over Python's RawConfigParser, strict mode):
 *
 *   - "[name]" starts a section; the name is everything between the first
 *     '[' and the last ']' of the line.  A section named DEFAULT gives
 *     defaults to every other section.  A repeated section or a repeated
 *     key within a section is an error.
 *   - "key = value" or "key: value", split at the first '=' or ':'; keys
 *     are lower-cased, keys and values stripped of blanks.
 *   - '#' and ';' start a comment only as the first non-blank character of a
 *     line; "x = 1 ; note" has the value "1 ; note".
 *   - A line indented deeper than its key's line continues that value.  A
 *     key whose value starts on the next line ("s3 =" then indented
 *     "addressing_style = path") is a nested sub-section of k = v lines.
 *   - Text before the first section, a line that is neither a section nor
 *     a key, and an empty key are errors.
 *
 * Which section is which profile: in the config file "[profile NAME]"
 * (split with shell rules, so [profile "a b"] is NAME "a b") and
 * "[default]"; a bare "[dev]" is not a profile there.  In the credentials
 * file every section is a profile by its bare name.  "[services NAME]" and
 * "[sso-session NAME]" are found the same way as "[profile NAME]".
 */
#ifndef ACCEL_INI_H
#define ACCEL_INI_H

#include <stddef.h>

#define INI_MAX_BYTES (1 << 20)	/* far beyond any real ~/.aws/config */
#define INI_MAX_LINE 16384	/* session tokens run to a few KiB */
#define INI_MAX_SECTIONS 4096
#define INI_MAX_KEYS 1024	/* per section, and per nested sub-section */

struct ini_pair {
	char *key;
	char *value;		/* a nested block keeps its raw text here */
	struct ini_pair *sub;	/* nested k = v pairs, or NULL */
	size_t nsub;
	int line;
};

struct ini_section {
	char *name;
	struct ini_pair *pairs;
	size_t npairs;
	int line;
};

struct ini {
	struct ini_section *sections;	/* in file order, DEFAULT excluded */
	size_t nsections;
	struct ini_section defaults;	/* the DEFAULT section, maybe empty */
};

/*
 * ini_parse: LEN bytes of DATA into INI.  Returns 0, or -1 with
 * "NAME:LINE:COL: error: reason" in ERR and INI empty.
 */
int ini_parse(struct ini *ini, const char *name, const char *data,
    size_t len, char *err, size_t errlen);

/*
 * ini_load: the file at PATH; a path that does not exist or is not a
 * regular file is an empty INI, as for botocore (os.path.isfile).
 * Returns 0, or -1 with the reason in ERR.
 */
int ini_load(struct ini *ini, const char *path, char *err, size_t errlen);

/* ini_free wipes every value (the files hold secret keys). */
void ini_free(struct ini *ini);

/* The section named exactly NAME (DEFAULT excluded), or NULL. */
const struct ini_section *ini_section(const struct ini *ini,
    const char *name);

/*
 * ini_named: the section "[KIND NAME]" (KIND "profile", "services",
 * "sso-session"); for KIND "profile" and NAME "default" also "[default]".
 * Like botocore, the last such section in the file wins.  NULL if none.
 */
const struct ini_section *ini_named(const struct ini *ini, const char *kind,
    const char *name);

/* The value of KEY in SEC, else in DEFAULT; NULL when absent.  SEC may be NULL. */
const char *ini_get(const struct ini *ini, const struct ini_section *sec,
    const char *key);

/* The value of SUBKEY in the nested block KEY of SEC; NULL when absent. */
const char *ini_get_sub(const struct ini *ini, const struct ini_section *sec,
    const char *key, const char *subkey);

#endif
