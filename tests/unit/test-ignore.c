/*
 * test-ignore.c - the .accelignore matcher.  Expectations follow
 * gitignore(5) and git's wildmatch tests (t/t3070-wildmatch.sh); the
 * whole-tree comparison with git itself is tests/cli/ignore-git.t.
 */
#include <stdlib.h>

#include "check.h"
#include "ignore.h"
#include "util.h"

static void
test_wildmatch(void)
{
	static const struct {
		const char *pattern, *text;
		int want;
	} rows[] = {
		{ "foo", "foo", 1 }, { "foo", "bar", 0 }, { "", "", 1 },
		{ "???", "foo", 1 }, { "??", "foo", 0 }, { "*", "foo", 1 },
		{ "f*", "foo", 1 }, { "*f", "foo", 0 }, { "*foo*", "foo", 1 },
		{ "*ob*a*r*", "foobar", 1 }, { "*ab", "aaaaaaabababab", 1 },
		{ "foo\\*", "foo*", 1 }, { "foo\\*bar", "foobar", 0 },
		{ "f\\\\oo", "f\\oo", 1 }, { "*[al]?", "ball", 1 },
		{ "[ten]", "ten", 0 }, { "**[!te]", "ten", 1 },
		{ "**[!ten]", "ten", 0 }, { "t[a-g]n", "ten", 1 },
		{ "t[!a-g]n", "ten", 0 }, { "t[!a-g]n", "ton", 1 },
		{ "t[^a-g]n", "ton", 1 }, { "a[]]b", "a]b", 1 },
		{ "a[]-]b", "a-b", 1 }, { "a[]a-]b", "aab", 1 },
		{ "]", "]", 1 }, { "[", "[", 0 }, { "a[b", "a[b", 0 },
		{ "*.py[cod]", "x.pyc", 1 }, { "*.py[cod]", "x.pyx", 0 },
		/* '*' and '?' and classes stop at '/' */
		{ "foo*bar", "foo/bar", 0 }, { "foo?bar", "foo/bar", 0 },
		{ "foo[/]bar", "foo/bar", 0 }, { "*/foo", "bar/foo", 1 },
		{ "*/foo", "a/bar/foo", 0 }, { "a/*", "a/b", 1 },
		{ "a/*", "a/b/c", 0 },
		/* '**' */
		{ "**", "a/b/c", 1 }, { "**/foo", "foo", 1 },
		{ "**/foo", "a/b/foo", 1 }, { "**/foo", "a/b/foox", 0 },
		{ "a/**", "a/b/c", 1 }, { "a/**", "a", 0 },
		{ "a/**/b", "a/b", 1 }, { "a/**/b", "a/x/y/b", 1 },
		{ "a/**/b", "a/x/yb", 0 }, { "**/bar*", "deep/foo/bar/baz", 0 },
		{ "**/bar/*", "deep/foo/bar/baz", 1 },
		{ "**/bar/**", "deep/foo/bar/baz/x", 1 },
		{ "**/bar/*", "deep/foo/bar/baz/x", 0 },
		{ "a**b", "a/b", 0 }, { "a**b", "axxb", 1 },
		{ "foo/**/**/bar", "foo/a/bar", 1 }, { "foo/**/**/bar", "foo/bar", 1 },
		{ "**/**/foo", "foo", 1 }, { "**/**/foo", "a/b/foo", 1 },
		{ "**/a/**/b", "x/a/b", 1 }, { "**/a/**/b", "x/a/y", 0 },
		{ "-*-*-*-*-*-*-12-*-*-*-m-*-*-*",
		  "-adobe-courier-bold-o-normal--12-120-75-75-m-70-iso8859-1", 1 },
		{ "-*-*-*-*-*-*-12-*-*-*-m-*-*-*",
		  "-adobe-courier-bold-o-normal--12-120-75-75-X-70-iso8859-1", 0 },
		{ "**/*a*b*g*n*t", "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txtz", 0 },
	};
	char name[160];

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		snprintf(name, sizeof name, "'%s' %s '%s'", rows[i].pattern,
		    rows[i].want ? "matches" : "does not match", rows[i].text);
		CHECK(name, ignore_wildmatch(rows[i].pattern, rows[i].text) ==
		    rows[i].want);
	}
}

static void
test_files(void)
{
	static const struct {
		const char *file, *path;
		int is_dir;
		enum ignore_verdict want;
	} rows[] = {
		{ "*.log\n", "a.log", 0, IGNORE_EXCLUDE },
		{ "*.log\n", "x/y/a.log", 0, IGNORE_EXCLUDE },
		{ "*.log\n", "a.txt", 0, IGNORE_NONE },
		{ "/a.log\n", "x/a.log", 0, IGNORE_NONE },
		{ "/a.log\n", "a.log", 0, IGNORE_EXCLUDE },
		{ "x/a.log\n", "x/a.log", 0, IGNORE_EXCLUDE },
		{ "x/a.log\n", "y/x/a.log", 0, IGNORE_NONE },
		{ "data/\n", "data", 1, IGNORE_EXCLUDE },
		{ "data/\n", "data", 0, IGNORE_NONE },
		{ "data/\n", "sub/data", 1, IGNORE_EXCLUDE },
		{ "/data/\n", "sub/data", 1, IGNORE_NONE },
		{ "*.pem\n!ca.pem\n", "ca.pem", 0, IGNORE_INCLUDE },
		{ "*.pem\n!ca.pem\n", "b.pem", 0, IGNORE_EXCLUDE },
		{ "!ca.pem\n*.pem\n", "ca.pem", 0, IGNORE_EXCLUDE },
		{ "# *.log\n", "a.log", 0, IGNORE_NONE },
		{ "\\#x\n", "#x", 0, IGNORE_EXCLUDE },
		{ "\\!x\n", "!x", 0, IGNORE_EXCLUDE },
		{ "a.log   \n", "a.log", 0, IGNORE_EXCLUDE },
		{ "a.log\\ \n", "a.log ", 0, IGNORE_EXCLUDE },
		{ "a.log\\ \n", "a.log", 0, IGNORE_NONE },
		{ "a.log\r\n", "a.log", 0, IGNORE_EXCLUDE },
		{ "\n\n   \n", "   ", 0, IGNORE_NONE },
		{ "/\n!\n", "x", 0, IGNORE_NONE },
		{ "**/cache\n", "a/b/cache", 1, IGNORE_EXCLUDE },
		{ "docs/**/*.md\n", "docs/a/b/c.md", 0, IGNORE_EXCLUDE },
		{ "docs/**/*.md\n", "docs/c.md", 0, IGNORE_EXCLUDE },
		{ "last", "last", 0, IGNORE_EXCLUDE },
	};
	char name[160];
	struct ignore *ig;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		snprintf(name, sizeof name, "rules %zu on '%s'", i,
		    rows[i].path);
		ig = ignore_parse(rows[i].file, strlen(rows[i].file), "t");
		CHECK_INTEQ(name, ig != NULL ? (long)ignore_match(ig,
		    rows[i].path, rows[i].is_dir) : -1L, rows[i].want);
		ignore_free(ig);
	}
}

static void
test_limits(void)
{
	size_t n = IGNORE_MAX_PATTERNS + 1;
	char *many = malloc(n * 2 + 1);
	struct ignore *ig;

	for (size_t i = 0; i < n; i++) {
		many[2 * i] = 'x';
		many[2 * i + 1] = '\n';
	}
	many[2 * n] = '\0';
	ig = ignore_parse(many, 2 * n, "many");
	CHECK("too many patterns is an error", ig == NULL);
	ig = ignore_parse(many, 2 * (n - 1), "enough");
	CHECK("the most patterns are accepted", ig != NULL);
	ignore_free(ig);
	free(many);
}

int
main(void)
{
	accel_prog = "test-ignore";
	test_wildmatch();
	test_files();
	test_limits();
	return check_done();
}
