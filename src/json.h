/*
 * json.h - JSON output the way Python's json.dumps writes it, so that our
 * files compare byte for byte with what the SDK and aws-cli produce:
 * ensure_ascii (\uXXXX for non-ASCII, surrogate pairs above the BMP), the
 * shortest round-trip repr of floats (5e-05, 1e+16, Infinity, NaN), keys
 * sorted by code point, and either the compact form ({"a": 1, "b": [2]})
 * or indent=2.
 *
 * Trees are cJSON trees.  A number whose value is integral and within
 * +-2^53 is written as an integer, any other number as a Python float.
 */
#ifndef ACCEL_JSON_H
#define ACCEL_JSON_H

#include <cjson/cJSON.h>

#include "util.h"

#define JSON_COMPACT (-1)	/* json.dumps(x) */
#define JSON_PRETTY 2		/* json.dumps(x, indent=2) */

/* Python repr(float(x)) as json.dumps writes it; OUT holds >= 32 bytes. */
void json_format_double(double x, char out[32]);

/* A JSON string literal of the UTF-8 string S (LEN bytes), ensure_ascii. */
int json_put_string(struct buf *out, const char *s, size_t len);

/*
 * json_dump: ITEM appended to OUT, keys sorted, in the compact form or with
 * INDENT spaces per level.  A trailing newline is not added.
 * Returns 0, or -1 (buffer limit, or nesting deeper than JSON_MAX_DEPTH).
 */
#define JSON_MAX_DEPTH 64
int json_dump(struct buf *out, const cJSON *item, int indent);

/* json_dump to a fresh string with a final newline; NULL on failure. */
char *json_dump_file_text(const cJSON *item, size_t max);

/*
 * Numbers read from a file or a service answer.  cJSON hands every number
 * over as a double, and casting a double that does not fit is undefined
 * behaviour, so every such read goes through these two.
 *
 * json_int: V as a whole number within [MIN, MAX] into *OUT.
 * json_real: V as a finite number within [MIN, MAX] into *OUT.
 * Each returns 0, or -1 (OUT untouched) when V is absent, not a number,
 * NaN, infinite, out of the range, or (json_int) has a fraction.
 */
int json_int(const cJSON *v, long long min, long long max, long long *out);
int json_real(const cJSON *v, double min, double max, double *out);

/* The range of an AWS API "Integer" shape (a signed 32-bit value). */
#define JSON_AWS_INT_MAX 2147483647LL

#endif
