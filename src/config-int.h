/*
 * config-int.h - what the parts of the config checker share (config.c: the
 * top-level keys; config-args.c: additional_args and dynamo_config;
 * config-rules.c: the cross-key rules, regions, instance types, TSVs).
 */
#ifndef ACCEL_CONFIG_INT_H
#define ACCEL_CONFIG_INT_H

#include <cjson/cJSON.h>

#include "diag.h"
#include "images.h"
#include "yamldoc.h"

/* What the checks learn about the config, for the cross-key rules. */
struct cfg {
	const char *file;		/* name in messages */
	const char *dir;		/* TSV base directory, or NULL */
	struct diags *d;
	int json;			/* hints in JSON spelling */
	const struct ynode *root;
	/* the values (NULL when absent or wrong), and their nodes */
	const char *distributed, *instance, *region, *image;
	const char *tv, *pt, *py, *inputs_file, *metrics_file;
	const struct ynode *n_instance, *n_region, *n_tv, *n_pt, *n_py;
	const struct ynode *n_distributed, *n_num, *n_inputs, *n_metrics;
	long num_machines;
	int bad_instance;		/* ec2_instance_type is unusable */
	int bad_versions;		/* a version or region is unusable */
	/* additional_args that the rules need */
	const struct ynode *n_spot, *n_max_wait, *n_max_run;
	const struct ynode *n_subnets, *n_groups, *n_ckpt_uri, *n_ckpt_path;
	const struct ynode *n_output_path;
	int spot;
	long max_wait, max_run;
	/* outputs of the rules */
	char training_image[IMAGES_URI_MAX];
	cJSON *inputs, *metrics;
};

void cfg_error(struct cfg *c, const struct ynode *at, const char *fmt, ...)
    ACCEL_PRINTF(3, 4);
void cfg_warn(struct cfg *c, const struct ynode *at, const char *fmt, ...)
    ACCEL_PRINTF(3, 4);

/* The candidate nearest to S by edit distance, if near enough; else NULL. */
const char *nearest(const char *s, const char *const *cands, size_t n);
/* "a, b or c" */
void join_list(const char *const *items, size_t n, char *out, size_t len);

/* Typed reads: NULL/-1 and an error when the node has the wrong type. */
const char *want_string(struct cfg *c, const char *key,
    const struct ynode *v);
int want_bool(struct cfg *c, const char *key, const struct ynode *v);
int want_int(struct cfg *c, const char *key, const struct ynode *v, long min,
    long max, long *out);

cJSON *check_additional_args(struct cfg *c, const struct ynode *v);
cJSON *check_dynamo_config(struct cfg *c, const struct ynode *v);
int is_dynamo_backend(const char *s, char *canon, size_t len);

/* botocore's TrainingInstanceType enum (instance-types.c, generated). */
extern const char *const training_instance_types[];
extern const size_t ntraining_instance_types;

void check_region(struct cfg *c);
void check_instance(struct cfg *c);
void check_rules(struct cfg *c);

#endif
