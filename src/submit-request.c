/*
 * submit-request.c - REQUEST.json as accel-request(1) writes it: the body,
 * our metadata, and the archive beside it, which must be the one the
 * metadata describes (a request and an archive of two different runs
 * would submit code that the job name does not stand for).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "endpoint.h"
#include "jobname.h"
#include "request.h"
#include "submit.h"
#include "util.h"

#define READ_CHUNK (64 * 1024)

static const char *
str_member(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
is_hex64(const char *s)
{
	return s != NULL && strlen(s) == SHA256_HEX_LEN &&
	    strspn(s, "0123456789abcdef") == SHA256_HEX_LEN;
}

/* "'PATH': KEY is missing or wrong" with the hint to rebuild it. */
static int
bad_key(const char *path, const char *key, int *status)
{
	*status = EXIT_NO;
	return accel_err("'%s': %s is missing or malformed (REQUEST.json is "
	    "written by accel-request)", path, key);
}

/* The archive's path: FILE in the directory of PATH. */
static int
archive_path(const char *path, const char *file, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash == NULL ? 0 : (int)(slash - path + 1);

	if (file[0] == '\0' || strchr(file, '/') != NULL ||
	    strcmp(file, ".") == 0 || strcmp(file, "..") == 0)
		return -1;
	return xsnprintf(out, len, "%.*s%s", dirlen, path, file);
}

static int
load_meta(const char *path, struct submit_request *r, int *status)
{
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(r->doc, "accel");
	const cJSON *ar = cJSON_GetObjectItemCaseSensitive(meta, "archive");
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(meta, "version");
	const cJSON *bytes = cJSON_GetObjectItemCaseSensitive(ar, "bytes");
	const char *file = str_member(ar, "file");

	if (!cJSON_IsObject(meta) || !cJSON_IsNumber(v) || v->valuedouble != 1)
		return bad_key(path, "accel.version (1)", status);
	r->digest = str_member(meta, "digest");
	if (!is_hex64(r->digest))
		return bad_key(path, "accel.digest", status);
	r->job_name = str_member(meta, "job_name");
	if (r->job_name == NULL || !jobname_valid(r->job_name))
		return bad_key(path, "accel.job_name", status);
	r->region = str_member(meta, "region");
	if (r->region == NULL || r->region[0] == '\0' ||
	    strlen(r->region) >= ENDPOINT_MAX_REGION)
		return bad_key(path, "accel.region", status);
	r->role_name = str_member(meta, "role_name");
	r->archive_sha256 = str_member(ar, "sha256");
	if (!is_hex64(r->archive_sha256))
		return bad_key(path, "accel.archive.sha256", status);
	if (!cJSON_IsNumber(bytes) || bytes->valuedouble < 0 ||
	    bytes->valuedouble > 1e15)
		return bad_key(path, "accel.archive.bytes", status);
	r->archive_bytes = (long long)bytes->valuedouble;
	if (file == NULL || archive_path(path, file, r->archive,
	    sizeof r->archive) == -1)
		return bad_key(path, "accel.archive.file", status);
	return 0;
}

int
submit_request_load(const char *path, struct submit_request *r, int *status)
{
	const char *name;
	struct buf text;

	memset(r, 0, sizeof *r);
	r->fd = -1;
	*status = EXIT_NO;
	if (strcmp(path, "-") == 0)
		return accel_err("REQUEST.json must be a file: the archive is "
		    "found beside it");
	if (read_file(path, SUBMIT_REQUEST_MAX, &text) == -1)
		return -1;
	r->doc = cJSON_ParseWithLength(text.data, text.len);
	buf_free(&text);
	if (r->doc == NULL)
		return accel_err("'%s': not JSON (REQUEST.json is written by "
		    "accel-request)", path);
	r->body = cJSON_GetObjectItemCaseSensitive(r->doc, "CreateTrainingJob");
	if (!cJSON_IsObject(r->body)) {
		bad_key(path, "CreateTrainingJob", status);
		goto fail;
	}
	if (load_meta(path, r, status) == -1)
		goto fail;
	name = str_member(r->body, "TrainingJobName");
	if (name == NULL || strcmp(name, r->job_name) != 0) {
		accel_err("'%s': TrainingJobName '%s' is not accel.job_name "
		    "'%s': the job name must be the one the digest gave (run "
		    "accel-request again)", path, name ? name : "",
		    r->job_name);
		goto fail;
	}
	return 0;
fail:
	cJSON_Delete(r->doc);
	r->doc = NULL;
	return -1;
}

void
submit_request_free(struct submit_request *r)
{
	if (r->fd != -1)
		close(r->fd);
	cJSON_Delete(r->doc);
	memset(r, 0, sizeof *r);
	r->fd = -1;
}

/* Hex SHA-256 of the whole of FD, read from its start. */
static int
fd_sha256(int fd, char out[SHA256_HEX_LEN + 1])
{
	unsigned char md[SHA256_LEN];
	struct sha256_ctx *ctx = sha256_new();
	char *chunk = malloc(READ_CHUNK);
	off_t off = 0;
	ssize_t n;
	int rc = -1;

	if (ctx == NULL || chunk == NULL)
		goto out;
	while ((n = pread(fd, chunk, READ_CHUNK, off)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 || sha256_update(ctx, chunk, (size_t)n) == -1)
			goto out;
		off += n;
	}
	rc = sha256_final(ctx, md);
	ctx = NULL;			/* sha256_final frees it */
	if (rc == -1)
		goto out;
	hex_encode(md, sizeof md, out);
	rc = 0;
out:
	free(chunk);
	sha256_free(ctx);
	return rc;
}

int
submit_archive_check(struct submit_request *r, int *status)
{
	char hex[SHA256_HEX_LEN + 1];
	struct stat st;
	int fd;

	*status = EXIT_NO;
	fd = open(r->archive, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return accel_err("cannot open '%s':", r->archive);
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return accel_err("'%s' is not a regular file", r->archive);
	}
	if ((long long)st.st_size != r->archive_bytes) {
		close(fd);
		return accel_err("'%s' is not the archive of this request "
		    "(%lld bytes, the request says %lld): run accel-request "
		    "again", r->archive, (long long)st.st_size,
		    r->archive_bytes);
	}
	if (fd_sha256(fd, hex) == -1) {
		close(fd);
		return accel_err("cannot read '%s':", r->archive);
	}
	if (strcmp(hex, r->archive_sha256) != 0) {
		close(fd);
		return accel_err("'%s' is not the archive of this request "
		    "(sha256 %.12s..., the request says %.12s...): run "
		    "accel-request again", r->archive, hex, r->archive_sha256);
	}
	r->fd = fd;
	return 0;
}

/* Does a string of ITEM (values, not keys) contain S? */
static int
contains(const cJSON *item, const char *s)
{
	const cJSON *child;

	if (cJSON_IsString(item))
		return strstr(item->valuestring, s) != NULL;
	cJSON_ArrayForEach(child, item)
		if (contains(child, s))
			return 1;
	return 0;
}

int
submit_needs_role(const struct submit_request *r)
{
	return contains(r->body, REQUEST_PH_ROLE);
}

int
submit_needs_bucket(const struct submit_request *r)
{
	return contains(r->body, REQUEST_PH_BUCKET);
}

/* arn:PARTITION:iam::ACCOUNT:role/NAME, as IAM writes a role's ARN. */
int
submit_role_arn_from(const char *region, const char *account,
    const char *role_name, char *out, size_t outlen)
{
	const char *partition = endpoint_partition(region, NULL);

	return xsnprintf(out, outlen, "arn:%s:iam::%s:role/%s",
	    partition ? partition : "aws", account, role_name);
}

/* The SDK's default bucket (sagemaker-api.md 7.2). */
int
submit_default_bucket(const char *region, const char *account, char out[64])
{
	return xsnprintf(out, 64, "sagemaker-%s-%s", region, account);
}

/* Tags gets {Key: accel:digest, Value: DIGEST}, replacing one of that key. */
static int
tag_digest(cJSON *body, const char *digest)
{
	cJSON *tags = cJSON_GetObjectItemCaseSensitive(body, "Tags");
	cJSON *tag, *next;

	if (tags == NULL)
		tags = cJSON_AddArrayToObject(body, "Tags");
	if (!cJSON_IsArray(tags))
		return -1;
	for (tag = tags->child; tag != NULL; tag = next) {
		next = tag->next;
		if (str_member(tag, "Key") != NULL &&
		    strcmp(str_member(tag, "Key"), SUBMIT_DIGEST_TAG) == 0)
			cJSON_Delete(cJSON_DetachItemViaPointer(tags, tag));
	}
	tag = cJSON_CreateObject();
	if (tag == NULL || cJSON_AddStringToObject(tag, "Key",
	    SUBMIT_DIGEST_TAG) == NULL || cJSON_AddStringToObject(tag, "Value",
	    digest) == NULL) {
		cJSON_Delete(tag);
		return -1;
	}
	cJSON_AddItemToArray(tags, tag);
	return 0;
}

int
submit_resolve(struct submit_request *r, const struct submit_values *v,
    int *status)
{
	*status = EXIT_NO;
	if (submit_needs_role(r)) {
		if (v->role_arn[0] == '\0')
			return accel_err("no role ARN for %s", REQUEST_PH_ROLE);
		if (request_substitute(r->body, REQUEST_PH_ROLE,
		    v->role_arn) == -1)
			return accel_err("cannot resolve %s", REQUEST_PH_ROLE);
	}
	if (submit_needs_bucket(r)) {
		if (v->bucket[0] == '\0')
			return accel_err("no bucket for %s", REQUEST_PH_BUCKET);
		if (request_substitute(r->body, REQUEST_PH_BUCKET,
		    v->bucket) == -1)
			return accel_err("cannot resolve %s",
			    REQUEST_PH_BUCKET);
	}
	if (contains(r->body, REQUEST_PH_JOB))
		return accel_err("%s is left in the request: run accel-request "
		    "again", REQUEST_PH_JOB);
	if (tag_digest(r->body, r->digest) == -1)
		return accel_err("cannot add the %s tag", SUBMIT_DIGEST_TAG);
	return 0;
}

/* "s3://BUCKET/KEY" into CODE; -1 when it is not one. */
static int
parse_s3_uri(const char *uri, struct submit_code *code)
{
	const char *b, *slash;

	if (uri == NULL || strncmp(uri, "s3://", 5) != 0)
		return -1;
	b = uri + 5;
	slash = strchr(b, '/');
	if (slash == NULL || slash == b || slash[1] == '\0' ||
	    slash - b >= (long)sizeof code->bucket ||
	    xsnprintf(code->key, sizeof code->key, "%s", slash + 1) == -1)
		return -1;
	memcpy(code->bucket, b, (size_t)(slash - b));
	code->bucket[slash - b] = '\0';
	return s3_bucket_name_ok(code->bucket) ? 0 : -1;
}

/* The S3 URI of the network-isolation code channel, or NULL. */
static const char *
code_channel(const cJSON *body)
{
	const cJSON *ch;

	cJSON_ArrayForEach(ch, cJSON_GetObjectItemCaseSensitive(body,
	    "InputDataConfig")) {
		const char *name = str_member(ch, "ChannelName");
		const cJSON *src = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(ch, "DataSource"),
		    "S3DataSource");

		if (name != NULL && strcmp(name, "code") == 0)
			return str_member(src, "S3Uri");
	}
	return NULL;
}

/*
 * Where the code goes: the hyperparameter sagemaker_submit_directory (a
 * JSON-encoded string, as the SDK sends it), or with network isolation the
 * code channel, whose hyperparameter is then a path in the container.
 */
int
submit_code_location(const struct submit_request *r, struct submit_code *code,
    int *status)
{
	const cJSON *hp = cJSON_GetObjectItemCaseSensitive(r->body,
	    "HyperParameters");
	const char *enc = str_member(hp, "sagemaker_submit_directory");
	cJSON *dir = enc ? cJSON_Parse(enc) : NULL;
	const char *uri = cJSON_IsString(dir) ? dir->valuestring : NULL;
	int rc;

	*status = EXIT_NO;
	if (uri == NULL || strncmp(uri, "s3://", 5) != 0)
		uri = code_channel(r->body);
	rc = parse_s3_uri(uri, code);
	if (rc == -1)
		accel_err("the request names no s3:// URI for the code "
		    "(sagemaker_submit_directory or a code channel): '%s'",
		    uri ? uri : "");
	cJSON_Delete(dir);
	return rc;
}
