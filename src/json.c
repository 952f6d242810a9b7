/* json.c - Python-compatible JSON output from cJSON trees. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/*
 * Shortest digits that read back as X: try 1..17 significant digits, as
 * Python's repr does (David Gay's mode 0 yields the same digit string).
 */
static void
shortest_digits(double x, char *digits, int *exp10)
{
	char tmp[40];
	int prec;
	char *e, *d;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, x);
		if (strtod(tmp, NULL) == x)
			break;
	}
	/* tmp is "D.DDDDe[+-]XX" (x > 0 here) */
	e = strchr(tmp, 'e');
	*exp10 = atoi(e + 1);
	*e = '\0';
	for (d = tmp; *d != '\0'; d++)
		if (*d != '.')
			*digits++ = *d;
	*digits = '\0';
}

void
json_format_double(double x, char out[32])
{
	char digits[24];
	int exp10, ndig, i;
	char *p = out;

	if (isnan(x)) {
		strcpy(out, "NaN");
		return;
	}
	if (isinf(x)) {
		strcpy(out, x < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (signbit(x))
		*p++ = '-';
	if (x == 0) {
		strcpy(p, "0.0");
		return;
	}
	shortest_digits(fabs(x), digits, &exp10);
	ndig = (int)strlen(digits);
	while (ndig > 1 && digits[ndig - 1] == '0')
		digits[--ndig] = '\0';
	if (exp10 < -4 || exp10 >= 16) {
		/* repr: d[.ddd]e+XX, exponent at least two digits */
		*p++ = digits[0];
		if (ndig > 1) {
			*p++ = '.';
			memcpy(p, digits + 1, (size_t)ndig - 1);
			p += ndig - 1;
		}
		/* |exp10| <= 324: at most "e-324" */
		snprintf(p, 8, "e%c%02d", exp10 < 0 ? '-' : '+',
		    abs(exp10) % 1000);
		return;
	}
	if (exp10 < 0) {
		*p++ = '0';
		*p++ = '.';
		for (i = -1; i > exp10; i--)
			*p++ = '0';
		memcpy(p, digits, (size_t)ndig);
		p += ndig;
	} else {
		for (i = 0; i <= exp10; i++)
			*p++ = i < ndig ? digits[i] : '0';
		*p++ = '.';
		if (ndig > exp10 + 1) {
			memcpy(p, digits + exp10 + 1, (size_t)(ndig - exp10 - 1));
			p += ndig - exp10 - 1;
		} else {
			*p++ = '0';
		}
	}
	*p = '\0';
}

/* Decode one UTF-8 sequence; invalid bytes come back as U+FFFD, length 1. */
static unsigned long
utf8_next(const unsigned char *s, size_t len, size_t *used)
{
	unsigned long cp;
	size_t n, i;

	if (s[0] < 0x80) {
		*used = 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		*used = 1;
		return 0xfffd;
	}
	if (n > len)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		goto bad;
	*used = n;
	return cp;
bad:
	*used = 1;
	return 0xfffd;
}

int
json_put_string(struct buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long cp;
	size_t i = 0, used;
	int rc = buf_putc(out, '"');

	while (rc == 0 && i < len) {
		cp = utf8_next(u + i, len - i, &used);
		i += used;
		switch (cp) {
		case '"': rc = buf_puts(out, "\\\""); break;
		case '\\': rc = buf_puts(out, "\\\\"); break;
		case '\n': rc = buf_puts(out, "\\n"); break;
		case '\r': rc = buf_puts(out, "\\r"); break;
		case '\t': rc = buf_puts(out, "\\t"); break;
		case '\b': rc = buf_puts(out, "\\b"); break;
		case '\f': rc = buf_puts(out, "\\f"); break;
		default:
			if (cp >= 0x20 && cp < 0x7f)
				rc = buf_putc(out, (int)cp);
			else if (cp < 0x10000)
				rc = buf_printf(out, "\\u%04lx", cp);
			else
				rc = buf_printf(out, "\\u%04lx\\u%04lx",
				    0xd800 + ((cp - 0x10000) >> 10),
				    0xdc00 + ((cp - 0x10000) & 0x3ff));
		}
	}
	return rc == 0 ? buf_putc(out, '"') : -1;
}

static int
put_number(struct buf *out, double x)
{
	char num[32];

	if (x == floor(x) && fabs(x) <= 9007199254740992.0)
		return buf_printf(out, "%.0f", x == 0 ? 0.0 : x);
	json_format_double(x, num);
	return buf_puts(out, num);
}

static int
cmp_keys(const void *a, const void *b)
{
	const cJSON *const *x = a, *const *y = b;

	return strcmp((*x)->string, (*y)->string);
}

static int dump(struct buf *, const cJSON *, int, int);

static int
newline(struct buf *out, int indent, int depth)
{
	if (indent < 0)
		return 0;
	if (buf_putc(out, '\n') == -1)
		return -1;
	for (int i = 0; i < indent * depth; i++)
		if (buf_putc(out, ' ') == -1)
			return -1;
	return 0;
}

static int
dump_children(struct buf *out, const cJSON *item, int indent, int depth)
{
	const cJSON *c;
	const cJSON **kids;
	size_t n = 0, i;
	int obj = cJSON_IsObject(item);
	int rc = 0;

	for (c = item->child; c != NULL; c = c->next)
		n++;
	if (n == 0)
		return buf_puts(out, obj ? "{}" : "[]");
	kids = calloc(n, sizeof *kids);
	if (kids == NULL)
		return -1;
	for (i = 0, c = item->child; c != NULL; c = c->next)
		kids[i++] = c;
	if (obj)
		qsort(kids, n, sizeof *kids, cmp_keys);
	rc = buf_putc(out, obj ? '{' : '[');
	for (i = 0; rc == 0 && i < n; i++) {
		if (i > 0)
			rc = buf_puts(out, indent < 0 ? ", " : ",");
		if (rc == 0)
			rc = newline(out, indent, depth + 1);
		if (rc == 0 && obj)
			rc = json_put_string(out, kids[i]->string,
			    strlen(kids[i]->string)) ||
			    buf_puts(out, ": ");
		if (rc == 0)
			rc = dump(out, kids[i], indent, depth + 1);
	}
	if (rc == 0)
		rc = newline(out, indent, depth);
	if (rc == 0)
		rc = buf_putc(out, obj ? '}' : ']');
	free(kids);
	return rc == 0 ? 0 : -1;
}

static int
dump(struct buf *out, const cJSON *item, int indent, int depth)
{
	if (depth > JSON_MAX_DEPTH) {
		errno = ELOOP;
		return -1;
	}
	if (cJSON_IsNull(item))
		return buf_puts(out, "null");
	if (cJSON_IsTrue(item))
		return buf_puts(out, "true");
	if (cJSON_IsFalse(item))
		return buf_puts(out, "false");
	if (cJSON_IsNumber(item))
		return put_number(out, item->valuedouble);
	if (cJSON_IsString(item))
		return json_put_string(out, item->valuestring,
		    strlen(item->valuestring));
	if (cJSON_IsRaw(item))
		return buf_puts(out, item->valuestring);
	if (cJSON_IsArray(item) || cJSON_IsObject(item))
		return dump_children(out, item, indent, depth);
	errno = EINVAL;
	return -1;
}

int
json_dump(struct buf *out, const cJSON *item, int indent)
{
	return dump(out, item, indent, 0);
}

char *
json_dump_file_text(const cJSON *item, size_t max)
{
	struct buf b;

	buf_init(&b, max);
	if (json_dump(&b, item, JSON_PRETTY) == -1 || buf_putc(&b, '\n') == -1) {
		buf_free(&b);
		return NULL;
	}
	return b.data;
}

int
json_real(const cJSON *v, double min, double max, double *out)
{
	double d;

	if (!cJSON_IsNumber(v))
		return -1;
	d = v->valuedouble;
	/* NaN fails both comparisons. */
	if (!isfinite(d) || !(d >= min && d <= max))
		return -1;
	*out = d;
	return 0;
}

int
json_int(const cJSON *v, long long min, long long max, long long *out)
{
	double d;
	long long n;

	/* +-2^63 are exact doubles; inside them the cast is defined. */
	if (json_real(v, -9223372036854775808.0, 9223372036854775807.0, &d)
	    == -1 || d == 9223372036854775808.0 || floor(d) != d)
		return -1;
	n = (long long)d;
	if (n < min || n > max)
		return -1;
	*out = n;
	return 0;
}
