/* shlex.c - Python shlex.split (POSIX mode, no comments) for argv vectors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shlex.h"

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * One pass writes the words, each NUL-terminated, into TEXT (never longer
 * than S plus one NUL per word) and records where each starts.
 */
static int
split_words(const char *s, char *text, size_t *starts, size_t *n,
    char *err, size_t errlen)
{
	size_t out = 0;
	int in_word = 0;
	char quote = 0;

	*n = 0;
	for (; *s != '\0'; s++) {
		if (quote == 0 && is_blank(*s)) {
			if (in_word)
				text[out++] = '\0';
			in_word = 0;
			continue;
		}
		if (!in_word) {
			if (*n == SHLEX_MAX_WORDS) {
				snprintf(err, errlen, "more than %d words",
				    SHLEX_MAX_WORDS);
				return -1;
			}
			starts[(*n)++] = out;
			in_word = 1;
		}
		if (quote == 0 && (*s == '\'' || *s == '"')) {
			quote = *s;
		} else if (quote == *s) {
			quote = 0;
		} else if (*s == '\\' && quote != '\'') {
			if (s[1] == '\0') {
				snprintf(err, errlen, "No escaped character");
				return -1;
			}
			/* In "...", only \" and \\ are escapes. */
			if (quote == '"' && s[1] != '"' && s[1] != '\\')
				text[out++] = *s;
			text[out++] = *++s;
		} else {
			text[out++] = *s;
		}
	}
	if (quote != 0) {
		snprintf(err, errlen, "No closing quotation");
		return -1;
	}
	if (in_word)
		text[out++] = '\0';
	return 0;
}

int
shlex_split(const char *s, char ***argv, size_t *argc, char *err,
    size_t errlen)
{
	size_t starts[SHLEX_MAX_WORDS];
	size_t len = strlen(s), n, i;
	char **vec, *text;

	/* Vector, then the text: at most len + 1 bytes of words and NULs. */
	vec = malloc((SHLEX_MAX_WORDS + 1) * sizeof *vec + len + 1);
	if (vec == NULL) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -1;
	}
	text = (char *)(vec + SHLEX_MAX_WORDS + 1);
	if (split_words(s, text, starts, &n, err, errlen) == -1) {
		free(vec);
		return -1;
	}
	for (i = 0; i < n; i++)
		vec[i] = text + starts[i];
	vec[n] = NULL;
	*argv = vec;
	*argc = n;
	return 0;
}
