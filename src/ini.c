/*
 * ini.c - the AWS shared config and credentials files as botocore reads
 * them; the rules are in ini.h.  The parser follows the line loop of
 * Python's RawConfigParser._read so that odd files (comments inside nested
 * blocks, blank lines inside values, a DEFAULT section) mean the same thing
 * to us as to the AWS CLI.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ini.h"
#include "shlex.h"
#include "util.h"

struct parser {
	struct ini *ini;
	const char *name;	/* for messages */
	struct ini_section *cur;	/* NULL before the first header */
	size_t opt;		/* index in cur of the key being continued */
	int have_opt;
	size_t indent;		/* indentation of the last key or header */
	struct buf value;	/* the value of that key so far */
	int line;
	char *err;
	size_t errlen;
};

/* Python's str.strip() set, restricted to ASCII. */
static int
is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static int
perr(struct parser *p, int col, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%d:%d: error: %s", p->name, p->line,
	    col, msg);
	return -1;
}

/* Trim blanks from both ends of S[0..*LEN); returns the new start. */
static const char *
strip(const char *s, size_t *len)
{
	while (*len > 0 && is_space((unsigned char)*s)) {
		s++;
		(*len)--;
	}
	while (*len > 0 && is_space((unsigned char)s[*len - 1]))
		(*len)--;
	return s;
}

static void
pair_free(struct ini_pair *pr)
{
	for (size_t i = 0; i < pr->nsub; i++)
		pair_free(&pr->sub[i]);
	free(pr->sub);
	free(pr->key);
	if (pr->value != NULL)
		wipe(pr->value, strlen(pr->value));
	free(pr->value);
}

static void
section_free(struct ini_section *sec)
{
	for (size_t i = 0; i < sec->npairs; i++)
		pair_free(&sec->pairs[i]);
	free(sec->pairs);
	free(sec->name);
	memset(sec, 0, sizeof *sec);
}

void
ini_free(struct ini *ini)
{
	for (size_t i = 0; i < ini->nsections; i++)
		section_free(&ini->sections[i]);
	free(ini->sections);
	section_free(&ini->defaults);
	ini->sections = NULL;
	ini->nsections = 0;
}

/* A new pair at the end of *PAIRS, or NULL (limit or memory). */
static struct ini_pair *
pair_add(struct ini_pair **pairs, size_t *n, const char *key, size_t keylen)
{
	struct ini_pair *grown, *pr;

	if (*n >= INI_MAX_KEYS)
		return NULL;
	grown = realloc(*pairs, (*n + 1) * sizeof **pairs);
	if (grown == NULL)
		return NULL;
	*pairs = grown;
	pr = &grown[*n];
	memset(pr, 0, sizeof *pr);
	if ((pr->key = strndup(key, keylen)) == NULL)
		return NULL;
	(*n)++;
	return pr;
}

/* botocore's _parse_nested: "k = v" lines; the last of a repeated key wins. */
static int
parse_nested(struct parser *p, struct ini_pair *pr)
{
	const char *s = pr->value, *end, *line, *eq;
	size_t len, klen;
	struct ini_pair *sub;

	for (; *s != '\0'; s = *end ? end + 1 : end) {
		end = s + strcspn(s, "\n");
		len = (size_t)(end - s);
		line = strip(s, &len);
		if (len == 0)
			continue;
		eq = memchr(line, '=', len);
		if (eq == NULL)
			return perr(p, 1, "nested value of '%s' has a line "
			    "without '='", pr->key);
		klen = (size_t)(eq - line);
		line = strip(line, &klen);
		sub = pair_add(&pr->sub, &pr->nsub, line, klen);
		if (sub == NULL)
			return perr(p, 1, "too many keys in '%s'", pr->key);
		sub->line = pr->line;
		len -= (size_t)(eq + 1 - line);
		eq = strip(eq + 1, &len);
		if ((sub->value = strndup(eq, len)) == NULL)
			return perr(p, 1, "%s", strerror(ENOMEM));
	}
	return 0;
}

/* The pending value is complete: store it, parse a nested block. */
static int
finish_value(struct parser *p)
{
	struct ini_pair *pr;

	if (!p->have_opt)
		return 0;
	p->have_opt = 0;
	pr = &p->cur->pairs[p->opt];
	while (p->value.len > 0 && is_space((unsigned char)
	    p->value.data[p->value.len - 1]))
		p->value.data[--p->value.len] = '\0';
	if (buf_append(&p->value, "", 0) == -1)
		return perr(p, 1, "%s", strerror(errno));
	pr->value = p->value.data;	/* the pair owns it now */
	buf_init(&p->value, INI_MAX_BYTES);
	if (pr->value[0] == '\n')
		return parse_nested(p, pr);
	return 0;
}

static struct ini_section *
section_find(struct ini *ini, const char *name, size_t len)
{
	for (size_t i = 0; i < ini->nsections; i++)
		if (strncmp(ini->sections[i].name, name, len) == 0 &&
		    ini->sections[i].name[len] == '\0')
			return &ini->sections[i];
	return NULL;
}

static int
start_section(struct parser *p, const char *name, size_t len)
{
	struct ini_section *grown;

	if (len == 7 && memcmp(name, "DEFAULT", 7) == 0) {
		p->cur = &p->ini->defaults;
		return 0;
	}
	if (section_find(p->ini, name, len) != NULL)
		return perr(p, 2, "section '%.*s' repeated", (int)len, name);
	if (p->ini->nsections >= INI_MAX_SECTIONS)
		return perr(p, 1, "more than %d sections", INI_MAX_SECTIONS);
	grown = realloc(p->ini->sections,
	    (p->ini->nsections + 1) * sizeof *grown);
	if (grown == NULL)
		return perr(p, 1, "%s", strerror(ENOMEM));
	p->ini->sections = grown;
	p->cur = &grown[p->ini->nsections];
	memset(p->cur, 0, sizeof *p->cur);
	if ((p->cur->name = strndup(name, len)) == NULL)
		return perr(p, 1, "%s", strerror(ENOMEM));
	p->cur->line = p->line;
	p->ini->nsections++;
	return 0;
}

static int
start_key(struct parser *p, const char *s, size_t len)
{
	size_t klen = 0, vlen;
	struct ini_pair *pr;
	const char *v;
	char *k;

	/* The line is not NUL-terminated: DATA is the file as read. */
	while (klen < len && s[klen] != '=' && s[klen] != ':')
		klen++;
	if (klen >= len)
		return perr(p, 1, "expected '[section]' or 'key = value'");
	v = s + klen + 1;
	vlen = len - klen - 1;
	s = strip(s, &klen);
	if (klen == 0)
		return perr(p, 1, "empty key");
	for (size_t i = 0; i < p->cur->npairs; i++)
		if (strncasecmp(p->cur->pairs[i].key, s, klen) == 0 &&
		    p->cur->pairs[i].key[klen] == '\0')
			return perr(p, 1, "key '%.*s' repeated", (int)klen, s);
	pr = pair_add(&p->cur->pairs, &p->cur->npairs, s, klen);
	if (pr == NULL)
		return perr(p, 1, "too many keys or no memory");
	for (k = pr->key; *k != '\0'; k++)
		if (*k >= 'A' && *k <= 'Z')
			*k = (char)(*k - 'A' + 'a');
	pr->line = p->line;
	v = strip(v, &vlen);
	p->opt = p->cur->npairs - 1;
	p->have_opt = 1;
	if (buf_append(&p->value, v, vlen) == -1)
		return perr(p, 1, "%s", strerror(errno));
	return 0;
}

/* A line that is not blank, a comment or a continuation. */
static int
parse_entry(struct parser *p, const char *s, size_t len)
{
	const char *close;

	if (finish_value(p) == -1)
		return -1;
	if (s[0] == '[' && len >= 3 &&
	    (close = memrchr(s + 2, ']', len - 2)) != NULL)
		return start_section(p, s + 1, (size_t)(close - s - 1));
	if (p->cur == NULL)
		return perr(p, 1, "text before the first [section]");
	return start_key(p, s, len);
}

static int
parse_line(struct parser *p, const char *raw, size_t rawlen)
{
	size_t len = rawlen, indent;
	const char *s = strip(raw, &len);

	if (rawlen > INI_MAX_LINE)
		return perr(p, 1, "line longer than %d bytes", INI_MAX_LINE);
	if (memchr(raw, '\0', rawlen) != NULL)
		return perr(p, 1, "NUL byte");
	if (len > 0 && (s[0] == '#' || s[0] == ';'))
		return 0;	/* a comment continues nothing */
	if (len == 0) {
		/* Python keeps blank lines inside a value. */
		if (p->have_opt && buf_putc(&p->value, '\n') == -1)
			return perr(p, 1, "%s", strerror(errno));
		return 0;
	}
	indent = (size_t)(s - raw);
	if (p->have_opt && indent > p->indent) {
		if (buf_putc(&p->value, '\n') == -1 ||
		    buf_append(&p->value, s, len) == -1)
			return perr(p, 1, "%s", strerror(errno));
		return 0;
	}
	p->indent = indent;
	return parse_entry(p, s, len);
}

int
ini_parse(struct ini *ini, const char *name, const char *data, size_t len,
    char *err, size_t errlen)
{
	struct parser p;
	const char *end = data + len, *eol;
	int rc = 0;

	memset(ini, 0, sizeof *ini);
	memset(&p, 0, sizeof p);
	p.ini = ini;
	p.name = name;
	p.err = err;
	p.errlen = errlen;
	buf_init(&p.value, INI_MAX_BYTES);
	if (len > INI_MAX_BYTES) {
		rc = perr(&p, 1, "file larger than %d bytes", INI_MAX_BYTES);
		goto out;
	}
	/* Lines end at "\n", "\r\n" or "\r", as Python reads text files. */
	while (data < end && rc == 0) {
		p.line++;
		for (eol = data; eol < end && *eol != '\n' && *eol != '\r';)
			eol++;
		rc = parse_line(&p, data, (size_t)(eol - data));
		if (eol < end && *eol == '\r' && eol + 1 < end &&
		    eol[1] == '\n')
			eol++;
		data = eol + 1;
	}
	if (rc == 0)
		rc = finish_value(&p);
out:
	buf_wipe(&p.value);
	if (rc == -1)
		ini_free(ini);
	return rc;
}

int
ini_load(struct ini *ini, const char *path, char *err, size_t errlen)
{
	struct stat st;
	struct buf b;
	int rc;

	memset(ini, 0, sizeof *ini);
	/*
	 * botocore tests os.path.isfile(): a path that is missing or is not
	 * a regular file (a directory, /dev/null) is no file at all.
	 */
	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
		return 0;
	if (read_file(path, INI_MAX_BYTES, &b) == -1) {
		snprintf(err, errlen, "cannot read '%s'", path);
		return -1;
	}
	rc = ini_parse(ini, path, b.data, b.len, err, errlen);
	buf_wipe(&b);
	return rc;
}

const struct ini_section *
ini_section(const struct ini *ini, const char *name)
{
	return section_find((struct ini *)ini, name, strlen(name));
}

/* Is NAME "KIND WANT" under shell splitting (botocore _parse_section)? */
static int
names_kind(const char *name, const char *kind, const char *want)
{
	char err[64], **argv;
	size_t argc;
	int match;

	if (strncmp(name, kind, strlen(kind)) != 0 ||
	    shlex_split(name, &argv, &argc, err, sizeof err) == -1)
		return 0;
	match = argc == 2 && strcmp(argv[1], want) == 0;
	free(argv);
	return match;
}

const struct ini_section *
ini_named(const struct ini *ini, const char *kind, const char *name)
{
	const struct ini_section *found = NULL;
	int profile = strcmp(kind, "profile") == 0;
	const char *sec;

	for (size_t i = 0; i < ini->nsections; i++) {
		sec = ini->sections[i].name;
		/* botocore tests the "profile" prefix before "default". */
		if (names_kind(sec, kind, name) ||
		    (profile && strcmp(name, "default") == 0 &&
		    strcmp(sec, "default") == 0))
			found = &ini->sections[i];
	}
	return found;
}

static const struct ini_pair *
pair_find(const struct ini_section *sec, const char *key)
{
	if (sec == NULL)
		return NULL;
	for (size_t i = 0; i < sec->npairs; i++)
		if (strcmp(sec->pairs[i].key, key) == 0)
			return &sec->pairs[i];
	return NULL;
}

const char *
ini_get(const struct ini *ini, const struct ini_section *sec, const char *key)
{
	const struct ini_pair *pr = pair_find(sec, key);

	if (pr == NULL && sec != NULL)
		pr = pair_find(&ini->defaults, key);
	return pr != NULL ? pr->value : NULL;
}

const char *
ini_get_sub(const struct ini *ini, const struct ini_section *sec,
    const char *key, const char *subkey)
{
	const struct ini_pair *pr = pair_find(sec, key);

	if (pr == NULL && sec != NULL)
		pr = pair_find(&ini->defaults, key);
	if (pr == NULL)
		return NULL;
	for (size_t i = pr->nsub; i > 0; i--)
		if (strcmp(pr->sub[i - 1].key, subkey) == 0)
			return pr->sub[i - 1].value;
	return NULL;
}
