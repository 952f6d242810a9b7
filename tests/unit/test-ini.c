/*
 * test-ini.c - the AWS config file reader.
 *
 *   unit-ini            table tests (TAP)
 *   unit-ini FILE...    each FILE, a line each, as botocore's configloader
 *                       would return it:
 *                       {"raw": raw_config_parse(FILE),
 *                        "map": build_profile_map(raw)} as sorted JSON
 *                       (json.dumps defaults), or "error"; tests/cli/ini-botocore.t compares
 *                       this with botocore itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ini.h"
#include "json.h"
#include "shlex.h"
#include "util.h"

static const char config[] =
    "# comment\n"
    "; comment\n"
    "[default]\n"
    "region = us-east-1\n"
    "Retry_Mode: standard\n"
    "\n"
    "[dev]\n"
    "region = ap-south-1\n"
    "[profile dev]\n"
    "region = eu-west-1 ; not a comment\n"
    "credential_process = get-creds --flag \"quoted arg\"\n"
    "s3 =\n"
    "    addressing_style = path\n"
    "    # a comment inside the block\n"
    "\n"
    "    signature_version = s3v4\n"
    "long = first\n"
    "  second\n"
    "[profile \"a b\"]\n"
    "region = x\r\n"
    "[services local]\r"
    "s3 =\n"
    "  endpoint_url = http://127.0.0.1:1\n"
    "  endpoint_url = http://127.0.0.1:2\n"
    "[sso-session my-sso]\n"
    "sso_start_url = https://example.awsapps.com/start\n"
    "[profile late]\n"
    "region = one\n"
    "[profile  late ]\n"
    "region = two\n";

static void
test_config(void)
{
	const struct ini_section *dev, *sec;
	struct ini ini;
	char err[256] = "";

	CHECK("config parses",
	    ini_parse(&ini, "config", config, strlen(config), err,
	    sizeof err) == 0);
	dev = ini_named(&ini, "profile", "dev");
	CHECK_STREQ("[default] is a profile",
	    ini_get(&ini, ini_named(&ini, "profile", "default"), "region"),
	    "us-east-1");
	CHECK_STREQ("keys are lower-cased, ':' splits",
	    ini_get(&ini, ini_named(&ini, "profile", "default"), "retry_mode"),
	    "standard");
	CHECK_STREQ("[profile dev], not [dev]", ini_get(&ini, dev, "region"),
	    "eu-west-1 ; not a comment");
	CHECK_STREQ("bare [dev] kept as a section",
	    ini_get(&ini, ini_section(&ini, "dev"), "region"), "ap-south-1");
	CHECK_STREQ("credential_process kept verbatim",
	    ini_get(&ini, dev, "credential_process"),
	    "get-creds --flag \"quoted arg\"");
	CHECK_STREQ("nested s3 block",
	    ini_get_sub(&ini, dev, "s3", "addressing_style"), "path");
	CHECK_STREQ("nested after a comment and a blank line",
	    ini_get_sub(&ini, dev, "s3", "signature_version"), "s3v4");
	CHECK_STREQ("continuation line", ini_get(&ini, dev, "long"),
	    "first\nsecond");
	CHECK_STREQ("quoted profile name", ini_get(&ini,
	    ini_named(&ini, "profile", "a b"), "region"), "x");
	sec = ini_named(&ini, "services", "local");
	CHECK_STREQ("services section after a CR line end, last key wins",
	    ini_get_sub(&ini, sec, "s3", "endpoint_url"),
	    "http://127.0.0.1:2");
	CHECK_STREQ("sso-session section", ini_get(&ini,
	    ini_named(&ini, "sso-session", "my-sso"), "sso_start_url"),
	    "https://example.awsapps.com/start");
	CHECK_STREQ("the last of two sections naming a profile wins",
	    ini_get(&ini, ini_named(&ini, "profile", "late"), "region"),
	    "two");
	CHECK("missing profile", ini_named(&ini, "profile", "nope") == NULL);
	CHECK("missing key", ini_get(&ini, dev, "nope") == NULL);
	ini_free(&ini);
}

static const struct {
	const char *name;
	const char *text;
	const char *section, *key, *want;	/* want NULL: must fail */
	const char *errpart;
} rows[] = {
	{ "DEFAULT gives defaults", "[DEFAULT]\nregion = r\n[a]\nx = 1\n",
	    "a", "region", "r", NULL },
	{ "section overrides DEFAULT", "[DEFAULT]\nx = d\n[a]\nx = 1\n",
	    "a", "x", "1", NULL },
	{ "indented key after a header is a key", "[a]\n  x = 1\n  y = 2\n",
	    "a", "y", "2", NULL },
	{ "indented comment does not continue", "[a]\nx = 1\n  # c\n",
	    "a", "x", "1", NULL },
	{ "blank lines inside values are trimmed at the end",
	    "[a]\nx = 1\n\n\n", "a", "x", "1", NULL },
	{ "value with '=' inside", "[a]\nx = a=b\n", "a", "x", "a=b", NULL },
	{ "':' before '='", "[a]\nx: a=b\n", "a", "x", "a=b", NULL },
	{ "section name up to the last ']'", "[a]]x\nk=v\n", "a]", "k", "v",
	    NULL },
	{ "empty value", "[a]\nx =\n", "a", "x", "", NULL },
	{ "no section header", "x = 1\n", NULL, NULL, NULL, ":1:1: error:" },
	{ "repeated section", "[a]\n[a]\n", NULL, NULL, NULL, ":2:2: error:" },
	{ "repeated key", "[a]\nx=1\nX=2\n", NULL, NULL, NULL,
	    ":3:1: error: key 'X' repeated" },
	{ "line without '='", "[a]\nx\n", NULL, NULL, NULL, ":2:1: error:" },
	{ "empty key", "[a]\n= 1\n", NULL, NULL, NULL, "empty key" },
	{ "empty brackets", "[]\n", NULL, NULL, NULL, ":1:1: error:" },
	{ "nested line without '='", "[a]\ns3 =\n  path\n", NULL, NULL, NULL,
	    "without '='" },
};

static void
test_rows(void)
{
	struct ini ini;
	char err[256], name[160];
	int rc;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		err[0] = '\0';
		rc = ini_parse(&ini, "f", rows[i].text, strlen(rows[i].text),
		    err, sizeof err);
		if (rows[i].want == NULL) {
			snprintf(name, sizeof name, "%s: refused (%s)",
			    rows[i].name, err);
			CHECK(name, rc == -1 && strstr(err, rows[i].errpart));
			continue;
		}
		CHECK_STREQ(rows[i].name, rc == 0 ? ini_get(&ini,
		    ini_section(&ini, rows[i].section), rows[i].key) : err,
		    rows[i].want);
		ini_free(&ini);
	}
}

static void
test_limits(void)
{
	struct ini ini;
	struct buf b;
	char err[256];

	buf_init(&b, 4 << 20);
	buf_puts(&b, "[a]\nx = ");
	for (int i = 0; i < INI_MAX_LINE; i++)
		buf_putc(&b, 'v');
	CHECK("long line refused", ini_parse(&ini, "f", b.data, b.len, err,
	    sizeof err) == -1 && strstr(err, "longer") != NULL);
	buf_free(&b);
	for (int i = 0; i <= INI_MAX_SECTIONS; i++)
		buf_printf(&b, "[s%d]\n", i);
	CHECK("too many sections refused", ini_parse(&ini, "f", b.data, b.len,
	    err, sizeof err) == -1 && strstr(err, "sections") != NULL);
	buf_free(&b);
	CHECK("NUL byte refused", ini_parse(&ini, "f", "[a]\nx=\0\n", 7, err,
	    sizeof err) == -1);
}

/* A pair as botocore returns it: a string, or a dict for a nested block. */
static cJSON *
pair_json(const struct ini_pair *pr)
{
	cJSON *o;

	if (pr->value[0] != '\n')
		return cJSON_CreateString(pr->value);
	o = cJSON_CreateObject();
	for (size_t i = 0; i < pr->nsub; i++) {
		cJSON_DeleteItemFromObjectCaseSensitive(o, pr->sub[i].key);
		cJSON_AddItemToObject(o, pr->sub[i].key,
		    cJSON_CreateString(pr->sub[i].value));
	}
	return o;
}

/* cp.options(section): DEFAULT's keys, then the section's own. */
static cJSON *
section_json(const struct ini *ini, const struct ini_section *sec)
{
	cJSON *o = cJSON_CreateObject();
	const struct ini_section *from[2] = { &ini->defaults, sec };

	for (int f = 0; f < 2; f++)
		for (size_t i = 0; i < from[f]->npairs; i++) {
			cJSON_DeleteItemFromObjectCaseSensitive(o,
			    from[f]->pairs[i].key);
			cJSON_AddItemToObject(o, from[f]->pairs[i].key,
			    pair_json(&from[f]->pairs[i]));
		}
	return o;
}

/* build_profile_map, through ini_named so that its choice is tested. */
static cJSON *
map_json(const struct ini *ini)
{
	static const char *const kinds[] = { "profile", "sso-session",
	    "services" };
	static const char *const keys[] = { "profiles", "sso_sessions",
	    "services" };
	cJSON *map = cJSON_CreateObject(), *sub[3];
	const char *name;
	char err[64], **argv;
	size_t argc;
	int k;

	for (k = 0; k < 3; k++)
		sub[k] = cJSON_AddObjectToObject(map, keys[k]);
	for (size_t i = 0; i < ini->nsections; i++) {
		name = ini->sections[i].name;
		for (k = 0; k < 3; k++)
			if (strncmp(name, kinds[k], strlen(kinds[k])) == 0)
				break;
		if (k == 3 && strcmp(name, "default") == 0) {
			cJSON_DeleteItemFromObject(sub[0], "default");
			cJSON_AddItemToObject(sub[0], "default", section_json(
			    ini, ini_named(ini, "profile", "default")));
		} else if (k == 3 && strcmp(name, "sso_sessions") != 0) {
			/* botocore's own "sso_sessions" key replaces it */
			cJSON_AddItemToObject(map, name,
			    section_json(ini, &ini->sections[i]));
		} else if (k < 3 && shlex_split(name, &argv, &argc, err,
		    sizeof err) == 0) {
			if (argc == 2) {
				cJSON_DeleteItemFromObjectCaseSensitive(sub[k],
				    argv[1]);
				cJSON_AddItemToObject(sub[k], argv[1],
				    section_json(ini, ini_named(ini, kinds[k],
				    argv[1])));
			}
			free(argv);
		}
	}
	return map;
}

static int
dump(const char *path)
{
	struct ini ini;
	struct buf out;
	cJSON *doc, *raw;
	char err[512];

	if (ini_load(&ini, path, err, sizeof err) == -1) {
		printf("error\n");
		return 0;
	}
	doc = cJSON_CreateObject();
	raw = cJSON_AddObjectToObject(doc, "raw");
	for (size_t i = 0; i < ini.nsections; i++)
		cJSON_AddItemToObject(raw, ini.sections[i].name,
		    section_json(&ini, &ini.sections[i]));
	cJSON_AddItemToObject(doc, "map", map_json(&ini));
	buf_init(&out, 16 << 20);
	if (json_dump(&out, doc, JSON_COMPACT) == -1)
		return 1;
	printf("%s\n", out.data);
	buf_free(&out);
	cJSON_Delete(doc);
	ini_free(&ini);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2) {
		for (int i = 1; i < argc; i++)
			if (dump(argv[i]) != 0)
				return 1;
		return 0;
	}
	test_config();
	test_rows();
	test_limits();
	return check_done();
}
