/*
 * shlex.h - split a command line the way Python's shlex.split does in POSIX
 * mode (no comments): botocore splits credential_process and section names
 * ("[profile "a b"]") with it, and no shell is ever run.
 *
 * Rules: blanks (space, tab, CR, LF) separate words; outside quotes '\'
 * takes the next character literally; '...' is literal; inside "..." a '\'
 * escapes only '"' and '\'; quotes join with adjacent text; "" is an empty
 * word.  An unclosed quote or a trailing '\' is an error, as in Python.
 */
#ifndef ACCEL_SHLEX_H
#define ACCEL_SHLEX_H

#include <stddef.h>

#define SHLEX_MAX_WORDS 256	/* a credential_process argv never needs more */

/*
 * shlex_split: the words of S as a NULL-terminated vector in *ARGV (one
 * allocation; free(*argv) frees all) and their count in *ARGC.  Returns 0,
 * or -1 with a reason in ERR ("No closing quotation", "No escaped
 * character", too many words, memory).
 */
int shlex_split(const char *s, char ***argv, size_t *argc, char *err,
    size_t errlen);

#endif
