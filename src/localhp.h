/*
 * localhp.h - hyperparameters as the SageMaker training toolkit sees them:
 * each string value of hyperparameters.json goes through Python's
 * json.loads (a value that is not JSON stays the raw string), and the
 * decoded value is rendered three ways: Python str() for the script's argv
 * (to_cmd_args), compact sorted JSON for SM_* variables, and Python repr
 * inside lists.  container-contract.md §6.1, §6.4, §6.6, §11.3.
 *
 * Decoded values are cJSON trees in which every number is a Raw node whose
 * text is Python's rendering of it: an int keeps its digits, a float is its
 * repr (5e-05, 3.0, Infinity, NaN as json.dumps writes them).
 */
#ifndef ACCEL_LOCALHP_H
#define ACCEL_LOCALHP_H

#include <cjson/cJSON.h>

#include "util.h"

/* hp_decode: json.loads(S) or, when S is not JSON, the string S itself. */
cJSON *hp_decode(const char *s);

/*
 * hp_json: V as json.dumps(v, sort_keys=True, separators=(",", ":")) when
 * TIGHT, else with the default separators ", " and ": " and keys in
 * insertion order (json.dump of a dict, as the SDK writes the config files).
 */
int hp_json(struct buf *out, const cJSON *v, int tight);

/* hp_str: Python str(V) as to_cmd_args renders a value (None gives ""). */
int hp_str(struct buf *out, const cJSON *v);

/* hp_env: the SM_* form of V: strings as they are, None empty, else JSON. */
int hp_env(struct buf *out, const cJSON *v);

/* hp_reserved: is KEY a toolkit-reserved hyperparameter (§6.2)? */
int hp_reserved(const char *key);

/* hp_framework_param: reserved but not in SAGEMAKER_HYPERPARAMETERS. */
int hp_framework_param(const char *key);

#endif
