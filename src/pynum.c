/* pynum.c - Python's float(str), int(float) and json.dumps for arguments. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "pynum.h"

/* float() reads any length; this only bounds the scratch copy. */
#define PY_FLOAT_MAX_INPUT (1 << 20)

/*
 * First code point of each run of ten Unicode decimal digits (category Nd)
 * above ASCII, from Python 3.11's unicodedata: float("١٢") is 12.0.
 */
static const unsigned long nd_runs[] = {
	0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6,
	0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090,
	0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0,
	0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50,
	0xabf0, 0xff10, 0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136,
	0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730,
	0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0,
	0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140,
	0x1e2f0, 0x1e950, 0x1fbf0,
};

/* Non-ASCII code points for which Python's str.isspace() is true. */
static int
is_unicode_space(unsigned long cp)
{
	return cp == 0x85 || cp == 0xa0 || cp == 0x1680 ||
	    (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

static int
unicode_digit(unsigned long cp)
{
	for (size_t i = 0; i < sizeof nd_runs / sizeof nd_runs[0]; i++)
		if (cp >= nd_runs[i] && cp < nd_runs[i] + 10)
			return (int)(cp - nd_runs[i]);
	return -1;
}

/* One strict UTF-8 sequence; -1 for a malformed one. */
static long
utf8_decode(const unsigned char *s, size_t *used)
{
	unsigned long cp;
	size_t n, i;

	if (s[0] < 0x80) {
		*used = 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07;
	else
		return -1;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*used = n;
	return (long)cp;
}

/*
 * CPython first maps the string to ASCII: non-ASCII spaces become ' ',
 * non-ASCII decimal digits their ASCII digit, and anything else ends the
 * number (it cannot parse).  Returns 0, or -1 when float() must fail.
 */
static int
to_ascii(const char *s, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t used;
	long cp;
	int d;

	buf_init(out, PY_FLOAT_MAX_INPUT);
	if (buf_append(out, "", 0) == -1)
		return -1;
	while (*u != '\0') {
		cp = utf8_decode(u, &used);
		if (cp < 0)
			goto fail;
		u += used;
		if (cp < 127)
			d = (int)cp;
		else if (is_unicode_space((unsigned long)cp))
			d = ' ';
		else if ((d = unicode_digit((unsigned long)cp)) >= 0)
			d += '0';
		else
			goto fail;
		if (buf_putc(out, d) == -1)
			return -1;
	}
	return 0;
fail:
	buf_free(out);
	return -1;
}

static int
is_py_space(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * Digits with single underscores between them, copied to OUT without the
 * underscores.  Returns how many characters of S it took (0: no digit).
 */
static size_t
take_digits(const char *s, char **out)
{
	size_t i = 0;

	if (!is_digit(s[0]))
		return 0;
	for (;;) {
		*(*out)++ = s[i++];
		if (s[i] == '_' && is_digit(s[i + 1]))
			i++;
		else if (!is_digit(s[i]))
			return i;
	}
}

/* The decimal grammar of float(); CLEAN gets it without underscores. */
static int
parse_decimal(const char *s, char *clean)
{
	char *c = clean;
	size_t n, whole, frac = 0;

	if (*s == '+' || *s == '-')
		*c++ = *s++;
	whole = n = take_digits(s, &c);
	s += n;
	if (*s == '.') {
		*c++ = *s++;
		frac = n = take_digits(s, &c);
		s += n;
	}
	if (whole == 0 && frac == 0)
		return -1;
	if (*s == 'e' || *s == 'E') {
		*c++ = *s++;
		if (*s == '+' || *s == '-')
			*c++ = *s++;
		n = take_digits(s, &c);
		if (n == 0)
			return -1;
		s += n;
	}
	*c = '\0';
	return *s == '\0' ? 0 : -1;
}

static int
parse_special(const char *s, double *out)
{
	double sign = 1.0;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1.0 : 1.0;
	if (strcasecmp(s, "inf") == 0 || strcasecmp(s, "infinity") == 0) {
		*out = sign * INFINITY;
		return 0;
	}
	if (strcasecmp(s, "nan") == 0) {
		*out = NAN;
		return 0;
	}
	return -1;
}

int
py_float(const char *s, double *out)
{
	struct buf a;
	char *start, *end, *clean;
	int rc = -1;

	if (to_ascii(s, &a) == -1)
		return -1;
	start = a.data;
	end = a.data + a.len;
	while (start < end && is_py_space((unsigned char)*start))
		start++;
	while (end > start && is_py_space((unsigned char)end[-1]))
		end--;
	*end = '\0';
	if (parse_special(start, out) == 0) {
		rc = 0;
	} else if ((clean = malloc(a.len + 1)) != NULL) {
		if (parse_decimal(start, clean) == 0) {
			/* glibc strtod rounds correctly, as Python does;
			 * overflow gives inf as float("1e400") does. */
			*out = strtod(clean, NULL);
			rc = 0;
		}
		free(clean);
	}
	buf_free(&a);
	return rc;
}

/* json_put_string of N valid UTF-8 bytes at S, minus the quotes. */
static int
put_unquoted(struct buf *out, const char *s, size_t n)
{
	struct buf tmp;
	int rc;

	if (n == 0)
		return 0;
	buf_init(&tmp, out->max + 2);
	rc = json_put_string(&tmp, s, n);
	if (rc == 0)
		rc = buf_append(out, tmp.data + 1, tmp.len - 2);
	buf_free(&tmp);
	return rc;
}

/* Base 10^9 limbs, least significant first: 2^1024 needs 35. */
#define BIG_LIMBS 40
#define BIG_BASE 1000000000u

int
py_put_int_of_double(struct buf *out, double x)
{
	uint32_t limb[BIG_LIMBS];
	uint64_t m, carry;
	size_t n = 0;
	int e, i;

	if (signbit(x) && x != 0 && buf_putc(out, '-') == -1)
		return -1;
	x = fabs(x);
	if (x < 9223372036854775808.0)
		return buf_printf(out, "%llu", (unsigned long long)x);
	/* x = m * 2^e exactly, m < 2^53, e > 0 */
	m = (uint64_t)ldexp(frexp(x, &e), 53);
	e -= 53;
	while (m > 0) {
		limb[n++] = (uint32_t)(m % BIG_BASE);
		m /= BIG_BASE;
	}
	for (; e > 0; e--) {
		carry = 0;
		for (size_t k = 0; k < n; k++) {
			carry += (uint64_t)limb[k] * 2;
			limb[k] = (uint32_t)(carry % BIG_BASE);
			carry /= BIG_BASE;
		}
		if (carry > 0)
			limb[n++] = (uint32_t)carry;
	}
	if (buf_printf(out, "%u", limb[n - 1]) == -1)
		return -1;
	for (i = (int)n - 2; i >= 0; i--)
		if (buf_printf(out, "%09u", limb[i]) == -1)
			return -1;
	return 0;
}

/*
 * json.dumps of the str Python makes of argument bytes S: sys.argv decodes
 * with surrogateescape, so each byte of an invalid UTF-8 sequence becomes
 * U+DC80 + byte and is written "\udcXX" (json_put_string would write
 * U+FFFD); everything else as json_put_string writes it.
 */
static int
put_py_string(struct buf *out, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t used, run = 0;
	int rc = buf_putc(out, '"');

	while (rc == 0 && u[run] != '\0') {
		if (utf8_decode(u + run, &used) >= 0) {
			run += used;
			continue;
		}
		/* the valid run so far, without json_put_string's quotes */
		rc = put_unquoted(out, (const char *)u, run);
		if (rc == 0)
			rc = buf_printf(out, "\\udc%02x", u[run]);
		u += run + 1;
		run = 0;
	}
	if (rc == 0)
		rc = put_unquoted(out, (const char *)u, run);
	return rc == 0 ? buf_putc(out, '"') : -1;
}

int
py_encode_value(struct buf *out, const char *s)
{
	char num[32];
	double x;

	if (py_float(s, &x) == 0) {
		/* _infer_type: x // 1 == x, false for inf and nan */
		if (isfinite(x) && floor(x) == x)
			return py_put_int_of_double(out, x);
		json_format_double(x, num);
		return buf_puts(out, num);
	}
	if (strcmp(s, "True") == 0)
		return buf_puts(out, "true");
	if (strcmp(s, "False") == 0)
		return buf_puts(out, "false");
	return put_py_string(out, s);
}
