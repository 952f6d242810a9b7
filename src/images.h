/*
 * images.h - the Hugging Face training image URI, resolved the way the
 * SageMaker Python SDK v2 does (sagemaker-api.md section 9) from the SDK's
 * table (templates/huggingface-image-uris.json, compiled in as
 * images_table_json by scripts/embed-table).
 *
 * The algorithm: the processor comes from the instance type (local -> cpu,
 * local_gpu -> gpu, ml.<family>.<size>: family inf* -> inf, trn* -> trn,
 * g* or p* -> gpu, else cpu) and must be one the training table lists (only
 * gpu); the transformers version is a key of versions or version_aliases; the
 * framework "pytorch" + pytorch_version is a key of that version's entry (or
 * of its version_aliases); py_version is one of its py_versions; the region
 * one of its registries.  The tag uses the versions as given (not
 * alias-resolved):
 *
 *   {account}.dkr.ecr.{region}.{domain}/{repository}:
 *       {pytorch}-transformers{transformers}-{processor}-{py}-{container}
 *
 * where domain is amazonaws.com, or amazonaws.com.cn for cn-*, and the
 * isolated partitions' domains; container defaults to cu110-ubuntu18.04 for
 * entries without one.  The SDK's estimator check that both versions have
 * the same number of dot-separated parts (4.17 with 1.10.2 is refused) is
 * applied too.
 */
#ifndef ACCEL_IMAGES_H
#define ACCEL_IMAGES_H

#include <stddef.h>

#define IMAGES_URI_MAX 512	/* longest URI we build; a real one is ~130 */
#define IMAGES_ERR_MAX 1024	/* room for an error naming supported values */

/* Which input a resolution failure is about (for pointing at a config key). */
enum images_field {
	IMAGES_FIELD_NONE,
	IMAGES_FIELD_INSTANCE,
	IMAGES_FIELD_TRANSFORMERS,
	IMAGES_FIELD_PYTORCH,
	IMAGES_FIELD_PY,
	IMAGES_FIELD_REGION
};

/* The table, byte for byte (images-table.c, generated). */
extern const char images_table_json[];
extern const size_t images_table_len;

/*
 * images_processor: "gpu", "cpu", "inf" or "trn" for an instance type
 * (local, local_gpu, ml.<family>.<size>), or NULL when the SDK's regex
 * ^ml[._]([a-z0-9-]+)\.?\w*$ does not match.
 */
const char *images_processor(const char *instance_type);

/*
 * images_resolve: the training image URI into URI (URILEN bytes).
 * Returns 0, or -1 with a one-line message (no program prefix, no trailing
 * newline) in ERR (ERRLEN bytes), e.g.
 *   "unsupported transformers version 4.99.0; supported: 4.10.2, ..."
 * The table is parsed on the first call and kept for the process (it is
 * constant); not thread-safe.
 */
int images_resolve(const char *region, const char *transformers_version,
    const char *pytorch_version, const char *py_version,
    const char *instance_type, char *uri, size_t urilen, char *err,
    size_t errlen);

/* images_resolve, also telling which input failed (BAD may be NULL). */
int images_resolve_field(const char *region, const char *transformers_version,
    const char *pytorch_version, const char *py_version,
    const char *instance_type, char *uri, size_t urilen, char *err,
    size_t errlen, enum images_field *bad);

#endif
