/*
 * s3list.h - ListObjectsV2 of a prefix, all pages (continuation tokens),
 * for accel-fetch's CompressionType NONE models.  aws-protocols.md 3.2.
 */
#ifndef ACCEL_S3LIST_H
#define ACCEL_S3LIST_H

#include "s3.h"
#include "xml.h"

#define S3_LIST_MAX_PAGES 1000		/* 1000 keys a page: a million */

/* Called for each key in order; non-zero stops the listing (returned). */
typedef int (*s3_list_fn)(void *ctx, const char *key, long long size,
    const char *etag);

/* s3_list_objects: 0, a callback's non-zero value, or -1 with E. */
int s3_list_objects(struct aws_client *c, const char *bucket,
    const char *prefix, s3_list_fn fn, void *ctx, struct aws_error *e);

/*
 * s3_list_page: one parsed ListObjectsV2 answer: FN per <Contents> in
 * order, NEXT the continuation token ("" on the last page).  0, FN's
 * non-zero value, or -2 when a Key, Size or needed token is missing.
 */
int s3_list_page(const struct xml_node *root, s3_list_fn fn, void *ctx,
    char *next, size_t nextlen);

#endif
