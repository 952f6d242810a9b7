/*
 * pynum.h - Python's number rules for script arguments, so that a value
 * becomes the hyperparameter accelerate would send: float(str) as CPython
 * 3.11 parses it, accelerate's _infer_type (an integral finite float becomes
 * int(x), through the double), and json.dumps of the result.
 */
#ifndef ACCEL_PYNUM_H
#define ACCEL_PYNUM_H

#include "util.h"

/*
 * py_float: S (UTF-8) read as Python's float(S): surrounding whitespace,
 * a sign, '_' between digits, exponents, ".5" and "5.", "inf", "infinity"
 * and "nan" in any case, non-ASCII decimal digits and spaces.
 * Returns 0 with *OUT set, or -1 where float() raises ValueError.
 */
int py_float(const char *s, double *out);

/* The decimal text of int(X) for an integral finite X (exact, any size). */
int py_put_int_of_double(struct buf *out, double x);

/*
 * py_encode_value: json.dumps(v) where v is accelerate's value for the
 * script argument S: int or float when float(S) succeeds, True/False for
 * exactly "True"/"False", else the string itself.
 */
int py_encode_value(struct buf *out, const char *s);

#endif
