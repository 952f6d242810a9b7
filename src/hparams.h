/*
 * hparams.h - script arguments to SageMaker hyperparameters, the way
 * accelerate converts them (accelerate-sagemaker.md §8), with its defects
 * fixed: "--key=value" is accepted, a negative number is a value, and a
 * flag without a value, a repeated option or a positional argument is an
 * error that names it instead of a Python traceback.
 */
#ifndef ACCEL_HPARAMS_H
#define ACCEL_HPARAMS_H

#include <cjson/cJSON.h>

/* API limits on HyperParameters (sagemaker-api.md §4.2). */
#define HPARAM_KEY_MAX 256
#define HPARAM_VALUE_MAX 2500
#define HPARAMS_MAX 100

/*
 * hparams_from_args: the N script arguments ARGS as a new object mapping
 * each argparse dest name to its value encoded by py_encode_value, in
 * order of first appearance.  Returns NULL with a message printed.
 */
cJSON *hparams_from_args(int n, char *const args[]);

/* The argparse dest of option token OPT ("--learning-rate" → "learning_rate"). */
char *hparams_dest(const char *opt, size_t len);

#endif
