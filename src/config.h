/*
 * config.h - accelerate's SageMaker configuration (YAML or JSON), checked
 * and normalized.  Every problem goes to a diags list with its position;
 * a config without errors becomes the normalized object that every later
 * step reads (the contract is in tools/accel-validate.1, NORMALIZED
 * CONFIG): all 21 SageMakerConfig keys with defaults applied, the legacy
 * fp16 and dynamo_backend keys rewritten as accelerate's process_config
 * does, typed additional_args, and the derived training_image,
 * sagemaker_inputs and sagemaker_metrics.
 */
#ifndef ACCEL_CONFIG_H
#define ACCEL_CONFIG_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "diag.h"

#define CONFIG_MAX_BYTES (1024 * 1024)	/* a config is a few hundred bytes */
#define CONFIG_OUT_MAX (1024 * 1024)	/* the normalized text */

/*
 * config_check: TEXT (LEN bytes), named NAME in messages, read as JSON when
 * JSON is set, else YAML.  DIR is the directory TSV paths are relative to;
 * NULL skips opening them (the fuzzer).  Returns 0 with the normalized
 * object in *OUT (cJSON_Delete it), or -1 with the errors in D.  Warnings
 * may be in D either way.
 */
int config_check(const char *name, const char *text, size_t len, int json,
    const char *dir, struct diags *d, cJSON **out);

/* config_check on the file PATH (JSON when it ends in .json). */
int config_read(const char *path, struct diags *d, cJSON **out);

#endif
