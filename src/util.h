/*
 * util.h - the small shared core of libaccel: messages, bounded buffers,
 * bounded file reads, atomic write-if-changed output, bounded numbers.
 *
 * Messages have one shape, "PROG: text", where PROG is accel_prog (each main
 * sets it).  A format that ends in ':' gets ": strerror(errno)" appended, as
 * sbase's eprintf does.  accel_err() returns -1 so that library code can say
 * "return accel_err(...)"; only main() exits.
 */
#ifndef ACCEL_UTIL_H
#define ACCEL_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* Exit statuses shared by every tool (DESIGN.md). */
enum {
	EXIT_OK = 0,		/* done */
	EXIT_NO = 1,		/* a negative answer: invalid input, job failed */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_TEMPFAIL = 75	/* transient: rerunning the same command is safe */
};

extern const char *accel_prog;

#if defined(__GNUC__)
#define ACCEL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ACCEL_PRINTF(a, b)
#endif

int accel_err(const char *fmt, ...) ACCEL_PRINTF(1, 2);
void accel_warn(const char *fmt, ...) ACCEL_PRINTF(1, 2);
void accel_verr(const char *fmt, va_list ap);

/*
 * A growable byte buffer with a ceiling.  data is always NUL-terminated.
 * An append that would pass max fails with errno EFBIG and frees the buffer,
 * so a failed buffer never holds half a value.
 */
struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

void buf_init(struct buf *b, size_t max);
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, int c);
int buf_printf(struct buf *b, const char *fmt, ...) ACCEL_PRINTF(2, 3);
void buf_free(struct buf *b);
void buf_wipe(struct buf *b);	/* zero the bytes, then free: secrets */

/* Zero memory the compiler may not optimise away. */
void wipe(void *p, size_t n);

/*
 * read_file: the whole of PATH ("-" is standard input) into OUT, at most MAX
 * bytes.  Returns 0, or -1 with a message already printed naming PATH.
 */
int read_file(const char *path, size_t max, struct buf *out);

/*
 * write_output: PATH gets exactly DATA.  NULL or "-" is standard output.
 * An existing path that is not a regular file (a pipe, /dev/null) is written
 * in place.  A regular file is left alone when its bytes already equal DATA
 * (so its mtime stays), else replaced through a temporary file in the same
 * directory and rename(2).  Returns 1 when written, 0 when unchanged, -1 on
 * error with a message printed.
 */
int write_output(const char *path, const void *data, size_t len);

/*
 * parse_long: S must be a complete decimal integer in [MIN, MAX].
 * Returns 0 or -1 (errno EINVAL or ERANGE).
 */
int parse_long(const char *s, long min, long max, long *out);

/*
 * quote_name: NAME (from an archive, an S3 key, the service: anything we
 * did not write) as it may reach a terminal in one of our messages, into
 * OUT of LEN bytes; returns OUT.  Kept: printable ASCII and valid UTF-8
 * (names in other scripts stay readable, as git and ls show them).
 * Escaped, as git quotes paths: \\ and the C escapes \a \b \t \n \v \f
 * \r, every other byte as \ooo: other control bytes and DEL, bytes that
 * are not UTF-8, C1 controls (U+0080-U+009F: CSI and OSC to a terminal)
 * and the characters that reorder or break lines (U+061C, U+200E,
 * U+200F, U+2028-U+202E, U+2066-U+2069).  A name that does not fit ends
 * in "..." (LEN 4 or more; QUOTE_SIZE(n) always fits n bytes).
 */
#define QUOTE_SIZE(n) ((n) * 4 + 1)
const char *quote_name(const char *name, char *out, size_t len);

/* snprintf that reports truncation as failure: 0 ok, -1 truncated/error. */
int xsnprintf(char *dst, size_t size, const char *fmt, ...) ACCEL_PRINTF(3, 4);

#endif
