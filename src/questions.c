/* questions.c - one question, answered by a flag, a default or a line. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "questions.h"
#include "util.h"

enum { GOT_LINE, GOT_EOF, GOT_BAD };

/* The prompt without its trailing blanks, for messages. */
static void
prompt_name(const char *prompt, char *out, size_t size)
{
	size_t n = strlen(prompt);

	while (n > 0 && prompt[n - 1] == ' ')
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(out, prompt, n);
	out[n] = '\0';
}

static int
end_of_input(struct asker *a, const char *prompt)
{
	char name[512];

	prompt_name(prompt, name, sizeof name);
	a->status = EXIT_NO;
	if (ferror(a->in))
		return accel_err("cannot read the answer to '%s':", name);
	return accel_err("no answer to '%s' (end of input)", name);
}

static int
valid_utf8(const char *s)
{
	static const unsigned long least[] = { 0, 0x80, 0x800, 0x10000 };
	const unsigned char *p = (const unsigned char *)s;
	int extra, k;
	unsigned long c;

	while (*p != '\0') {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xE0) == 0xC0) {
			c = *p & 0x1F;
			extra = 1;
		} else if ((*p & 0xF0) == 0xE0) {
			c = *p & 0x0F;
			extra = 2;
		} else if ((*p & 0xF8) == 0xF0) {
			c = *p & 0x07;
			extra = 3;
		} else {
			return 0;
		}
		for (p++, k = 0; k < extra; k++, p++) {
			if ((*p & 0xC0) != 0x80)
				return 0;
			c = c << 6 | (*p & 0x3F);
		}
		if (c < least[extra] || c > 0x10FFFF ||
		    (c >= 0xD800 && c <= 0xDFFF))
			return 0;
	}
	return 1;
}

/*
 * One answer line into LINE, without the line end (\n or \r\n) and without
 * surrounding blanks.  GOT_BAD for a line that is too long, holds a NUL or
 * is not UTF-8.
 */
static int
read_answer(struct asker *a, char line[ANSWER_MAX + 1])
{
	size_t n = 0, start = 0;
	int c, bad = 0, any = 0;

	fflush(a->out);
	while ((c = getc(a->in)) != EOF && c != '\n') {
		any = 1;
		if (c == '\0' || n == ANSWER_MAX)
			bad = 1;
		else
			line[n++] = (char)c;
	}
	if (c == EOF && !any)
		return GOT_EOF;
	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' ' ||
	    line[n - 1] == '\t'))
		n--;
	line[n] = '\0';
	while (line[start] == ' ' || line[start] == '\t')
		start++;
	memmove(line, line + start, n - start + 1);
	if (a->echo)
		fprintf(a->out, "%s\n", line);
	if (bad || !valid_utf8(line)) {
		fprintf(a->out, "Please enter UTF-8 text of at most %d bytes.\n",
		    ANSWER_MAX);
		return GOT_BAD;
	}
	return GOT_LINE;
}

/* A flag's value that does not convert: a usage error naming the flag. */
static int
bad_preset(struct asker *a, const struct preset *p, const char *why)
{
	a->status = EXIT_USAGE;
	return accel_err("%s: '%s' %s", p->flag, p->value, why);
}

/* Is the question answered without asking?  1: use *TEXT (NULL: the
 * default), 0: ask, -1: no default to assume. */
static int
answered(struct asker *a, struct preset *p, const char *prompt, int has_def,
    const char **text)
{
	char name[512];

	*text = NULL;
	if (p != NULL && p->value != NULL) {
		p->used = 1;
		*text = p->value;
		return 1;
	}
	if (!a->assume_defaults)
		return 0;
	if (has_def)
		return 1;
	prompt_name(prompt, name, sizeof name);
	a->status = EXIT_USAGE;
	accel_err("--yes: '%s' has no default%s%s%s", name,
	    p != NULL ? " (give " : "", p != NULL ? p->flag : "",
	    p != NULL ? ")" : "");
	return -1;
}

int
menu_pick(const struct menu *m, const char *answer, size_t *out)
{
	long idx;
	size_t i;

	if (answer[0] >= '0' && answer[0] <= '9') {
		if (parse_long(answer, 0, (long)m->n - 1, &idx) == -1)
			return -1;
		*out = (size_t)idx;
		return 0;
	}
	for (i = 0; i < m->n; i++) {
		if (strcasecmp(answer, m->choices[i]) == 0 ||
		    (m->values != NULL && strcasecmp(answer, m->values[i]) == 0)) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

static void
print_menu(struct asker *a, const char *prompt, const struct menu *m,
    size_t def)
{
	size_t i;

	/* BulletMenu.run: a line break, the prompt, then the choices */
	fprintf(a->out, "\n%s\n", prompt);
	for (i = 0; i < m->n; i++)
		fprintf(a->out, " %s [%zu] %s\n", i == def ? ">" : " ", i,
		    m->choices[i]);
}

int
ask_menu(struct asker *a, struct preset *p, const char *prompt,
    const struct menu *m, size_t def, size_t *out)
{
	char line[ANSWER_MAX + 1];
	const char *text;
	int rc;

	rc = answered(a, p, prompt, 1, &text);
	if (rc == -1)
		return -1;
	if (rc == 1) {
		*out = def;
		if (text != NULL && menu_pick(m, text, out) == -1)
			return bad_preset(a, p, "is not one of the choices");
		return 0;
	}
	if (a->tty) {
		rc = tty_menu(a->in, a->out, prompt, m, def, out);
		if (rc == 0)
			return 0;
		if (rc == -1)
			return end_of_input(a, prompt);
		a->status = EXIT_NO;
		return accel_err("interrupted at '%s'", prompt);
	}
	print_menu(a, prompt, m, def);
	for (;;) {
		fprintf(a->out, "Enter the number or the text of a choice "
		    "[%zu]: ", def);
		rc = read_answer(a, line);
		if (rc == GOT_EOF)
			return end_of_input(a, prompt);
		if (rc == GOT_BAD)
			continue;
		*out = def;
		if (line[0] == '\0' || menu_pick(m, line, out) == 0)
			break;
		fprintf(a->out, "Please enter a number from 0 to %zu, or the "
		    "text of a choice.\n", m->n - 1);
	}
	/* what BulletMenu leaves on the screen after a choice */
	fprintf(a->out, " * %s\n", m->choices[*out]);
	return 0;
}

static int
take_text(struct asker *a, const char *text, char **out)
{
	*out = strdup(text);
	if (*out == NULL) {
		a->status = EXIT_NO;
		return accel_err("out of memory");
	}
	return 0;
}

int
ask_text(struct asker *a, struct preset *p, const char *prompt,
    const char *def, char **out)
{
	char line[ANSWER_MAX + 1];
	const char *text;
	int rc;

	rc = answered(a, p, prompt, def != NULL, &text);
	if (rc == -1)
		return -1;
	if (rc == 1) {
		if (text == NULL)
			return take_text(a, def, out);
		if (text[0] == '\0')
			return bad_preset(a, p, "is empty");
		if (!valid_utf8(text))
			return bad_preset(a, p, "is not UTF-8");
		return take_text(a, text, out);
	}
	for (;;) {
		fputs(prompt, a->out);
		rc = read_answer(a, line);
		if (rc == GOT_EOF)
			return end_of_input(a, prompt);
		if (rc == GOT_LINE && line[0] != '\0')
			return take_text(a, line, out);
		if (rc == GOT_LINE && def != NULL)
			return take_text(a, def, out);
		if (rc == GOT_LINE)
			fputs("Please enter a value.\n", a->out);
	}
}

int
yesno_parse(const char *answer, int *out)
{
	if (strcasecmp(answer, "yes") == 0)
		*out = 1;
	else if (strcasecmp(answer, "no") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

int
ask_yesno(struct asker *a, struct preset *p, const char *prompt, int def,
    int *out)
{
	char line[ANSWER_MAX + 1];
	const char *text;
	int rc;

	rc = answered(a, p, prompt, 1, &text);
	if (rc == -1)
		return -1;
	if (rc == 1) {
		*out = def;
		if (text != NULL && yesno_parse(text, out) == -1)
			return bad_preset(a, p, "is neither yes nor no");
		return 0;
	}
	for (;;) {
		fputs(prompt, a->out);
		rc = read_answer(a, line);
		if (rc == GOT_EOF)
			return end_of_input(a, prompt);
		if (rc == GOT_BAD)
			continue;
		*out = def;
		if (line[0] == '\0' || yesno_parse(line, out) == 0)
			return 0;
		fputs("Please enter yes or no.\n", a->out);
	}
}

/*
 * Python's int(): optional sign, decimal digits with single underscores
 * between them (surrounding blanks are already gone), then MIN..MAX.
 */
int
python_int_parse(const char *answer, long min, long max, long *out)
{
	char digits[32];
	const char *s = answer;
	size_t n = 0;

	if (*s == '+' || *s == '-')
		digits[n++] = *s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	for (; *s != '\0'; s++) {
		if (*s == '_' && isdigit((unsigned char)s[1]) &&
		    isdigit((unsigned char)s[-1]))
			continue;
		if (!isdigit((unsigned char)*s) || n + 1 >= sizeof digits)
			return -1;
		digits[n++] = *s;
	}
	digits[n] = '\0';
	if (digits[0] == '+')
		memmove(digits, digits + 1, n);
	return parse_long(digits, min, max, out);
}

int
ask_int(struct asker *a, struct preset *p, const char *prompt, long def,
    long min, long max, long *out)
{
	char line[ANSWER_MAX + 1];
	const char *text;
	int rc;

	rc = answered(a, p, prompt, 1, &text);
	if (rc == -1)
		return -1;
	if (rc == 1) {
		*out = def;
		if (text != NULL &&
		    python_int_parse(text, min, max, out) == -1)
			return bad_preset(a, p, "is not a whole number in range");
		return 0;
	}
	for (;;) {
		fputs(prompt, a->out);
		rc = read_answer(a, line);
		if (rc == GOT_EOF)
			return end_of_input(a, prompt);
		if (rc == GOT_BAD)
			continue;
		*out = def;
		if (line[0] == '\0' ||
		    python_int_parse(line, min, max, out) == 0)
			return 0;
		fprintf(a->out, "Please enter a whole number from %ld to %ld.\n",
		    min, max);
	}
}
