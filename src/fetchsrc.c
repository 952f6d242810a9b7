/*
 * fetchsrc.c - where the model is: an s3:// or file:// URI, or the
 * ModelArtifacts of a status.json (DescribeTrainingJob's answer as
 * accel-wait saves it, or accel-local's, whose URI is file://).
 * sagemaker-api.md 12.10: with OutputDataConfig.CompressionType NONE the
 * model is the files under S3ModelArtifacts as a prefix.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fetch.h"
#include "util.h"

/* URI may come from the service (status.json): quoted. */
static int
bad_uri(const char *uri, const char *why)
{
	char q[QUOTE_SIZE(256)];

	return accel_err("bad URI '%s': %s", quote_name(uri, q, sizeof q),
	    why);
}

int
fetch_uri_parse(const char *s, struct fetch_uri *u)
{
	const char *slash, *uri = s;
	size_t n;

	memset(u, 0, sizeof *u);
	if (strncmp(s, "file://", 7) == 0) {
		u->kind = FETCH_FILE;
		if (s[7] != '/' || xsnprintf(u->path, sizeof u->path, "%s",
		    s + 7) == -1)
			return bad_uri(uri, "file:// takes an absolute path");
		return 0;
	}
	if (strncmp(s, "s3://", 5) != 0)
		return bad_uri(uri, "not s3:// or file://");
	u->kind = FETCH_S3;
	s += 5;
	if ((slash = strchr(s, '/')) == NULL || slash[1] == '\0')
		return bad_uri(uri, "no key after the bucket");
	n = (size_t)(slash - s);
	if (n >= sizeof u->bucket || strlen(slash + 1) > S3_MAX_KEY)
		return bad_uri(uri, "name too long");
	memcpy(u->bucket, s, n);
	u->bucket[n] = '\0';
	if (!s3_bucket_name_ok(u->bucket))
		return bad_uri(uri, "bucket names are 3 to 63 characters of "
		    "a-z, 0-9, '.' and '-'");
	memcpy(u->key, slash + 1, strlen(slash + 1) + 1);
	return 0;
}

void
fetch_uri_text(const struct fetch_uri *u, char *out, size_t len)
{
	char raw[sizeof u->path > sizeof u->key ? sizeof u->path + 8 :
	    sizeof u->key + sizeof u->bucket + 8];

	if (u->kind == FETCH_FILE)
		snprintf(raw, sizeof raw, "file://%s", u->path);
	else
		snprintf(raw, sizeof raw, "s3://%s/%s", u->bucket, u->key);
	quote_name(raw, out, len);
}

static const char *
json_string(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	v = cJSON_GetObjectItemCaseSensitive(v, b);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
from_status(const char *path, struct fetch_source *src)
{
	const char *uri, *comp, *status;
	char q[QUOTE_SIZE(64)];
	struct buf text;
	cJSON *doc, *st;
	int rc = -1;

	if (read_file(path, FETCH_MAX_STATUS, &text) == -1)
		return -1;
	doc = cJSON_ParseWithLength(text.data, text.len);
	buf_free(&text);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return accel_err("%s: not a JSON object", path);
	}
	st = cJSON_GetObjectItemCaseSensitive(doc, "TrainingJobStatus");
	status = cJSON_IsString(st) ? st->valuestring : "";
	uri = json_string(doc, "ModelArtifacts", "S3ModelArtifacts");
	comp = json_string(doc, "OutputDataConfig", "CompressionType");
	if (uri == NULL) {
		accel_err("%s: no ModelArtifacts.S3ModelArtifacts (job "
		    "status '%s')", path, quote_name(status, q, sizeof q));
		goto out;
	}
	if (comp != NULL && strcmp(comp, "NONE") != 0 &&
	    strcmp(comp, "GZIP") != 0) {
		accel_err("%s: unknown OutputDataConfig.CompressionType '%s'",
		    path, quote_name(comp, q, sizeof q));
		goto out;
	}
	if (fetch_uri_parse(uri, &src->model) == -1)
		goto out;
	src->prefix = comp != NULL && strcmp(comp, "NONE") == 0;
	src->kms = json_string(doc, "OutputDataConfig", "KmsKeyId") != NULL;
	rc = 0;
out:
	cJSON_Delete(doc);
	return rc;
}

int
fetch_source_read(const char *arg, struct fetch_source *src)
{
	memset(src, 0, sizeof *src);
	if (strncmp(arg, "s3://", 5) == 0 || strncmp(arg, "file://", 7) == 0) {
		if (fetch_uri_parse(arg, &src->model) == -1)
			return -1;
		/* A URI ending in '/' names a prefix of files. */
		src->prefix = src->model.kind == FETCH_S3 &&
		    src->model.key[strlen(src->model.key) - 1] == '/';
		return 0;
	}
	return from_status(arg, src);
}

/* Replace the last path segment (model.tar.gz) by output.tar.gz. */
static int
sibling(char *s, size_t size, const char *what)
{
	char *slash = strrchr(s, '/');
	size_t at = slash ? (size_t)(slash - s) + 1 : 0;

	if (at + strlen(what) + 1 > size)
		return -1;
	memcpy(s + at, what, strlen(what) + 1);
	return 0;
}

int
fetch_output_uri(const struct fetch_uri *model, struct fetch_uri *out)
{
	*out = *model;
	if (out->kind == FETCH_FILE)
		return sibling(out->path, sizeof out->path, "output.tar.gz");
	return sibling(out->key, sizeof out->key, "output.tar.gz");
}
