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

#endif
