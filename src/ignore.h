/*
 * ignore.h - .accelignore: which files of the source directory stay out of
 * sourcedir.tar.gz.  The syntax is a subset of gitignore(5):
 *
 *   # comment          a line starting with '#' ("\#" for a literal '#')
 *   *  ?  [a-z] [!x]   '*' and '?' do not match '/'; brackets are classes
 *   **                 a whole path component of two stars crosses
 *                      directories: at the start, at the end or between
 *                      two slashes (as in gitignore)
 *   /x                 a '/' at the start or in the middle anchors the
 *                      pattern to the source directory; otherwise it
 *                      matches the name at any depth
 *   x/                 a trailing '/' matches directories only
 *   !x                 re-includes what an earlier line excluded ("\!" for
 *                      a literal '!'); a file inside an excluded directory
 *                      cannot be re-included, as in git
 *
 * The last matching line decides.  Trailing spaces are dropped unless
 * escaped with '\'.  Not supported: nested .accelignore files, "[[:alpha:]]"
 * classes.
 */
#ifndef ACCEL_IGNORE_H
#define ACCEL_IGNORE_H

#include <stddef.h>

#define IGNORE_MAX_BYTES (256 << 10)	/* size of an .accelignore */
#define IGNORE_MAX_PATTERNS 10000	/* lines that hold a pattern */
#define IGNORE_MAX_PATTERN 4096		/* bytes in one pattern */

enum ignore_verdict {
	IGNORE_NONE,		/* no line matches */
	IGNORE_EXCLUDE,		/* the last match excludes it */
	IGNORE_INCLUDE		/* the last match is a '!' line */
};

struct ignore;

/*
 * ignore_parse: the patterns of TEXT (LEN bytes, read from FILE, which
 * messages name).  Returns NULL with a message printed when a limit is
 * passed or memory runs out.
 */
struct ignore *ignore_parse(const char *text, size_t len, const char *file);

/* The verdict for PATH ("a/b.txt", relative to the source directory). */
enum ignore_verdict ignore_match(const struct ignore *ig, const char *path,
    int is_dir);

void ignore_free(struct ignore *ig);

/* wildmatch: does PATTERN match all of TEXT, with the rules above? */
int ignore_wildmatch(const char *pattern, const char *text);

#endif
