/* util.c - messages, bounded buffers, file input and atomic output. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

const char *accel_prog = "accel";

void
accel_verr(const char *fmt, va_list ap)
{
	int saved = errno;
	size_t n = strlen(fmt);

	fprintf(stderr, "%s: ", accel_prog);
	vfprintf(stderr, fmt, ap);
	if (n > 0 && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
	errno = saved;
}

int
accel_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	accel_verr(fmt, ap);
	va_end(ap);
	return -1;
}

void
accel_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	accel_verr(fmt, ap);
	va_end(ap);
}

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

static int
buf_grow(struct buf *b, size_t need)
{
	size_t cap;
	char *p;

	if (need > b->max || need == SIZE_MAX) {
		buf_free(b);
		errno = EFBIG;
		return -1;
	}
	if (need + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need + 1)
		cap = cap > SIZE_MAX / 2 ? need + 1 : cap * 2;
	p = realloc(b->data, cap);
	if (p == NULL) {
		buf_free(b);
		errno = ENOMEM;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (n > SIZE_MAX - b->len - 1 || buf_grow(b, b->len + n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int
buf_putc(struct buf *b, int c)
{
	char ch = (char)c;

	return buf_append(b, &ch, 1);
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_grow(b, b->len + (size_t)n) == -1)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
wipe(void *p, size_t n)
{
	if (p != NULL)
		explicit_bzero(p, n);
}

void
buf_wipe(struct buf *b)
{
	wipe(b->data, b->cap);
	buf_free(b);
}

static int
read_fd(int fd, const char *path, size_t max, struct buf *out)
{
	char chunk[65536];
	ssize_t n;

	buf_init(out, max);
	if (buf_append(out, "", 0) == -1)
		return accel_err("cannot read '%s':", path);
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			buf_free(out);
			return accel_err("cannot read '%s':", path);
		}
		if (buf_append(out, chunk, (size_t)n) == -1) {
			if (errno == EFBIG)
				return accel_err("'%s' is larger than the "
				    "limit of %zu bytes", path, max);
			return accel_err("cannot read '%s':", path);
		}
	}
}

int
read_file(const char *path, size_t max, struct buf *out)
{
	struct stat st;
	int fd, rc;

	if (strcmp(path, "-") == 0)
		return read_fd(STDIN_FILENO, "<stdin>", max, out);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return accel_err("cannot open '%s':", path);
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return accel_err("cannot read '%s':", path);
	}
	rc = read_fd(fd, path, max, out);
	close(fd);
	return rc;
}

static int
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Does the regular file at PATH hold exactly DATA? */
static int
same_bytes(const char *path, const struct stat *st, const void *data,
    size_t len)
{
	struct buf old;
	int same;
	int fd;

	if ((size_t)st->st_size != len)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return 0;
	buf_init(&old, len);
	same = read_fd(fd, path, len, &old) == 0 && old.len == len &&
	    (len == 0 || memcmp(old.data, data, len) == 0);
	buf_free(&old);
	close(fd);
	return same;
}

static int
write_in_place(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);

	if (fd == -1)
		return accel_err("cannot open '%s':", path);
	if (write_all(fd, data, len) == -1) {
		accel_err("cannot write '%s':", path);
		close(fd);
		return -1;
	}
	if (close(fd) == -1)
		return accel_err("cannot write '%s':", path);
	return 1;
}

static int
write_replace(const char *path, const void *data, size_t len)
{
	char tmp[PATH_MAX];
	mode_t mask;
	int fd;

	if (xsnprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", path) == -1) {
		errno = ENAMETOOLONG;
		return accel_err("cannot write '%s':", path);
	}
	fd = mkstemp(tmp);
	if (fd == -1)
		return accel_err("cannot create a temporary file beside '%s':",
		    path);
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) == -1 || write_all(fd, data, len) == -1 ||
	    fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	return 1;
fail:
	accel_err("cannot write '%s':", path);
	if (fd != -1)
		close(fd);
	unlink(tmp);
	return -1;
}

int
write_output(const char *path, const void *data, size_t len)
{
	struct stat st;

	if (path == NULL || strcmp(path, "-") == 0) {
		if (write_all(STDOUT_FILENO, data, len) == -1)
			return accel_err("cannot write standard output:");
		return 1;
	}
	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			return write_in_place(path, data, len);
		if (same_bytes(path, &st, data, len))
			return 0;
	} else if (errno != ENOENT) {
		return accel_err("cannot stat '%s':", path);
	}
	return write_replace(path, data, len);
}

int
parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (*s == '\0' || (*s != '-' && (*s < '0' || *s > '9'))) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

int
xsnprintf(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(dst, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size)
		return -1;
	return 0;
}

/* Bytes of the UTF-8 sequence at S (its code point in *CP), 0 if none. */
static size_t
utf8_seq(const unsigned char *s, unsigned long *cp)
{
	size_t n, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* No overlong forms, no surrogates, nothing past U+10FFFF. */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	*cp = s[0] & (0xff >> (n + 1));
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	return n;
}

/* A character a terminal shows as itself, without moving or reordering. */
static int
shown(unsigned long cp)
{
	if (cp < 0x20 || cp == 0x7f || cp == '\\')
		return 0;
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	return !(cp == 0x61c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069));
}

/* Bytes S[0..N) escaped into P: \\, \n and the like, else \ooo. */
static size_t
escape(const unsigned char *s, size_t n, char *p)
{
	static const char named[] = "\\\\\aa\bb\tt\nn\vv\ff\rr";
	const char *c;
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		p[m++] = '\\';
		if (s[i] != '\0' && (c = strchr(named, s[i])) != NULL &&
		    (c - named) % 2 == 0)
			p[m++] = c[1];
		else {
			p[m++] = (char)('0' + (s[i] >> 6));
			p[m++] = (char)('0' + ((s[i] >> 3) & 7));
			p[m++] = (char)('0' + (s[i] & 7));
		}
	}
	return m;
}

const char *
quote_name(const char *name, char *out, size_t len)
{
	const unsigned char *s = (const unsigned char *)name;
	char piece[16];
	unsigned long cp;
	size_t n = 0, cut = 0, k, m;

	if (len < 4) {
		if (len > 0)
			out[0] = '\0';
		return out;
	}
	for (; *s != '\0'; s += k) {
		if ((k = utf8_seq(s, &cp)) > 0 && shown(cp)) {
			memcpy(piece, s, k);
			m = k;
		} else
			m = escape(s, k = k > 0 ? k : 1, piece);
		if (n + m + 1 > len) {
			/* Back to the last piece boundary "..." fits after. */
			memcpy(out + cut, "...", 3);
			n = cut + 3;
			break;
		}
		memcpy(out + n, piece, m);
		n += m;
		if (n + 4 <= len)
			cut = n;
	}
	out[n] = '\0';
	return out;
}
