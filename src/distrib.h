/*
 * distrib.h - the hyperparameters the SDK derives from `distribution`
 * (sagemaker-api.md §5.3, §10.4): DATA_PARALLEL gives smdistributed data
 * parallel as accelerate does, and additional_args.distribution may ask
 * for torch_distributed, pytorchddp, mpi or smdistributed model parallel
 * (with mpi), so MODEL_PARALLEL can work; it is deep-merged over
 * accelerate's value, as merge_dicts does.
 */
#ifndef ACCEL_DISTRIB_H
#define ACCEL_DISTRIB_H

#include <cjson/cJSON.h>

/* Adds the keys to HP (name → JSON-encoded value); -1 with a message. */
int distrib_hyperparameters(const cJSON *config, const char *config_name,
    cJSON *hp);

#endif
