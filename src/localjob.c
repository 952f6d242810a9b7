/*
 * localjob.c - from a CreateTrainingJob request to the /opt/ml tree of each
 * host: the job name, the channels, the code extracted from
 * sourcedir.tar.gz, and the three config files as SDK local mode writes
 * them (container-contract.md §5, §10.1-§10.4).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "crypto.h"
#include "json.h"
#include "localhp.h"
#include "local.h"

#define CONFIG_FILE_MAX (1024 * 1024)	/* one config file we write */

static const char *
str_at(const cJSON *obj, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, a);

	if (b != NULL)
		v = cJSON_GetObjectItemCaseSensitive(v, b);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
placeholder(const char *s)
{
	return s != NULL && strstr(s, "{{") != NULL;
}

/* The API pattern [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}. */
static int
valid_job_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > LOCAL_JOB_NAME_MAX || s[0] == '-' || s[n - 1] == '-')
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-") == n;
}

/*
 * TrainingJobName when the request has a real one; otherwise "local-" and
 * the first 12 hex digits of the request's SHA-256, so that the same
 * request finds the same job root (and its checkpoints) again.
 */
static int
job_name(struct local_job *job, const char *text, size_t len)
{
	const char *name = str_at(job->req, "TrainingJobName", NULL);
	char hex[SHA256_HEX_LEN + 1];

	if (name != NULL && !placeholder(name)) {
		if (!valid_job_name(name))
			return accel_err("TrainingJobName '%s' does not match "
			    "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", name);
		return xsnprintf(job->name, sizeof job->name, "%s", name);
	}
	if (sha256_hex(text, len, hex) == -1)
		return accel_err("cannot hash the request");
	return xsnprintf(job->name, sizeof job->name, "local-%.12s", hex);
}

static int
set_paths(struct local_job *job, const char *reqpath, const char *outdir)
{
	char tmp[PATH_MAX], cwd[PATH_MAX];

	if (xsnprintf(tmp, sizeof tmp, "%s", reqpath) == -1 ||
	    realpath(dirname(tmp), job->reqdir) == NULL)
		return accel_err("cannot resolve the directory of '%s':",
		    reqpath);
	if (outdir == NULL) {
		/* .accel/request.json (accel-request's) runs in .accel/local */
		const char *slash = strrchr(job->reqdir, '/');
		int in_accel = slash != NULL && strcmp(slash, "/.accel") == 0;

		if (xsnprintf(job->root, sizeof job->root, "%s/%slocal",
		    job->reqdir, in_accel ? "" : ".accel/") == -1)
			goto long_path;
	} else if (outdir[0] == '/') {
		if (xsnprintf(job->root, sizeof job->root, "%s", outdir) == -1)
			goto long_path;
	} else {
		if (getcwd(cwd, sizeof cwd) == NULL)
			return accel_err("cannot get the working directory:");
		if (xsnprintf(job->root, sizeof job->root, "%s/%s", cwd,
		    outdir) == -1)
			goto long_path;
	}
	if (xsnprintf(job->base, sizeof job->base, "%s/%s", job->root,
	    job->name) == -1)
		goto long_path;
	return 0;
long_path:
	return accel_err("the job root path is too long");
}

/*
 * hyperparameters.json: the request's map in its order, with
 * sagemaker_submit_directory pointing at the extracted code (local mode
 * rewrites it the same way, §8.4) and a placeholder job name resolved.
 */
static int
rewrite_hps(struct local_job *job)
{
	const cJSON *in = cJSON_GetObjectItemCaseSensitive(job->req,
	    "HyperParameters"), *h;
	char code[PATH_MAX + 16];
	struct buf val;
	int rc = 0;

	if ((job->hps = cJSON_CreateObject()) == NULL)
		return accel_err("out of memory");
	if (in != NULL && !cJSON_IsObject(in))
		return accel_err("HyperParameters is not an object");
	if (xsnprintf(code, sizeof code, "%s/code",
	    job->docker ? "/opt/ml" : job->base) == -1)
		return accel_err("the job root path is too long");
	cJSON_ArrayForEach(h, in) {
		const char *v = cJSON_IsString(h) ? h->valuestring : NULL;

		if (v == NULL)
			return accel_err("hyperparameter '%s' is not a string",
			    h->string);
		buf_init(&val, PATH_MAX * 2);
		if (strcmp(h->string, "sagemaker_submit_directory") == 0)
			rc = json_put_string(&val, code, strlen(code));
		else if (strcmp(h->string, "sagemaker_job_name") == 0 &&
		    placeholder(v))
			rc = json_put_string(&val, job->name, strlen(job->name));
		else
			rc = buf_puts(&val, v);
		if (rc == -1 || cJSON_AddStringToObject(job->hps, h->string,
		    val.data) == NULL) {
			buf_free(&val);
			return accel_err("out of memory");
		}
		buf_free(&val);
	}
	return 0;
}

static int
set_entry(struct local_job *job)
{
	static char entry[PATH_MAX];
	const char *v = str_at(job->req, "Environment", "SAGEMAKER_PROGRAM");
	cJSON *d;

	if (v != NULL) {
		job->entry = v;
		return 0;
	}
	if ((v = str_at(job->hps, "sagemaker_program", NULL)) == NULL)
		return accel_err("the request names no entry point "
		    "(hyperparameter sagemaker_program)");
	d = hp_decode(v);
	if (!cJSON_IsString(d) || xsnprintf(entry, sizeof entry, "%s",
	    d->valuestring) == -1) {
		cJSON_Delete(d);
		return accel_err("sagemaker_program is not a file name");
	}
	cJSON_Delete(d);
	if (entry[0] == '/' || strstr(entry, "..") != NULL)
		return accel_err("sagemaker_program '%s' leaves the code "
		    "directory", entry);
	job->entry = entry;
	return 0;
}

static int
set_region(struct local_job *job)
{
	static char region[64];
	const char *v = str_at(job->hps, "sagemaker_region", NULL);
	cJSON *d;

	job->region = "";
	if (v == NULL)
		return 0;
	d = hp_decode(v);
	if (cJSON_IsString(d) && !placeholder(d->valuestring) &&
	    xsnprintf(region, sizeof region, "%s", d->valuestring) == 0)
		job->region = region;
	cJSON_Delete(d);
	return 0;
}

/*
 * The path a file:// URI names, relative ones from the request's dir; for
 * an s3:// URI the cache it is fetched into (locals3.c).
 */
static int
channel_source(struct local_job *job, struct local_channel *c,
    const char *uri)
{
	char path[PATH_MAX];
	struct stat st;

	if (strncmp(uri, "s3://", 5) == 0) {	/* fetched by local_prepare */
		c->s3uri = uri;
		if (local_s3_dir(job, c->name, c->src, sizeof c->src) == -1)
			return accel_err("the job root path is too long");
		return 0;
	}
	if (strncmp(uri, "file://", 7) != 0)
		return accel_err("channel '%s': '%s' is neither file:// nor "
		    "s3://", c->name, uri);
	uri += 7;
	if (xsnprintf(path, sizeof path, "%s%s%s", uri[0] == '/' ? "" :
	    job->reqdir, uri[0] == '/' ? "" : "/", uri) == -1)
		return accel_err("channel '%s': path too long", c->name);
	if (stat(path, &st) == -1)
		return accel_err("channel '%s': cannot use '%s':", c->name,
		    path);
	if (!S_ISDIR(st.st_mode))	/* a file stands for its directory */
		dirname(path);
	if (realpath(path, c->src) == NULL)
		return accel_err("channel '%s': cannot resolve '%s':",
		    c->name, path);
	return 0;
}

static int
valid_channel_name(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") == n &&
	    s[0] != '.' && s[0] != '-';
}

static int
load_channels(struct local_job *job)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(job->req,
	    "InputDataConfig"), *c;
	const char *mode, *uri;
	struct local_channel *ch;

	cJSON_ArrayForEach(c, list) {
		if (job->nch == LOCAL_MAX_CHANNELS)
			return accel_err("more than %d channels",
			    LOCAL_MAX_CHANNELS);
		ch = &job->ch[job->nch++];
		ch->name = str_at(c, "ChannelName", NULL);
		if (ch->name == NULL || !valid_channel_name(ch->name))
			return accel_err("a channel has no valid ChannelName");
		mode = str_at(c, "InputMode", NULL);
		if (mode != NULL && strcmp(mode, "Pipe") == 0)
			return accel_err("channel '%s': Pipe mode is not "
			    "supported by accel-local", ch->name);
		ch->content_type = str_at(c, "ContentType", NULL);
		uri = str_at(cJSON_GetObjectItemCaseSensitive(c, "DataSource"),
		    "S3DataSource", "S3Uri");
		if (uri == NULL)
			uri = str_at(cJSON_GetObjectItemCaseSensitive(c,
			    "DataSource"), "FileDataSource", "FileUri");
		if (uri == NULL)
			return accel_err("channel '%s' has no S3Uri", ch->name);
		if (channel_source(job, ch, uri) == -1)
			return -1;
	}
	return 0;
}

static int
load_resources(struct local_job *job)
{
	const cJSON *rc = cJSON_GetObjectItemCaseSensitive(job->req,
	    "ResourceConfig");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(rc, "InstanceCount");

	job->instance_type = str_at(rc, "InstanceType", NULL);
	if (job->instance_type == NULL)
		job->instance_type = "local";
	job->nhosts = 1;
	if (n != NULL) {
		if (!cJSON_IsNumber(n) || n->valuedouble < 1 ||
		    n->valuedouble > LOCAL_MAX_HOSTS ||
		    n->valuedouble != (int)n->valuedouble)
			return accel_err("ResourceConfig.InstanceCount must be "
			    "an integer from 1 to %d", LOCAL_MAX_HOSTS);
		job->nhosts = (int)n->valuedouble;
	}
	job->image = str_at(job->req, "AlgorithmSpecification",
	    "TrainingImage");
	return 0;
}

/* CheckpointConfig.LocalPath (default /opt/ml/checkpoints) in the tree. */
static int
load_checkpoint(struct local_job *job)
{
	const char *p = str_at(job->req, "CheckpointConfig", "LocalPath");
	size_t n;

	if (p == NULL)
		p = "/opt/ml/checkpoints";
	if (strncmp(p, "/opt/ml/", 8) != 0 || strstr(p, "..") != NULL)
		return accel_err("CheckpointConfig.LocalPath '%s' is not "
		    "under /opt/ml/", p);
	if (xsnprintf(job->ckpt, sizeof job->ckpt, "%s", p + 8) == -1)
		return accel_err("CheckpointConfig.LocalPath is too long");
	n = strlen(job->ckpt);
	while (n > 0 && job->ckpt[n - 1] == '/')
		job->ckpt[--n] = '\0';
	if (n == 0 || strncmp(job->ckpt, "input", 5) == 0 ||
	    strncmp(job->ckpt, "code", 4) == 0 ||
	    strncmp(job->ckpt, "model", 5) == 0 ||
	    strncmp(job->ckpt, "output", 6) == 0)
		return accel_err("CheckpointConfig.LocalPath '%s' overlaps "
		    "a directory SageMaker resets", p);
	return 0;
}

/*
 * request.json as accel-request writes it: {"CreateTrainingJob": body,
 * "accel": {"archive": {"file", "sha256", ...}, ...}}; a bare body (what
 * the SDK sends, or aws --cli-input-json reads) is accepted too.
 */
static int
unwrap(struct local_job *job, const char *reqpath)
{
	const cJSON *arch = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(job->doc, "accel"), "archive");

	job->req = cJSON_GetObjectItemCaseSensitive(job->doc,
	    "CreateTrainingJob");
	if (job->req == NULL)
		job->req = job->doc;
	if (!cJSON_IsObject(job->req))
		return accel_err("'%s': CreateTrainingJob is not an object",
		    reqpath);
	job->archive = str_at(arch, "file", NULL);
	if (job->archive == NULL)
		job->archive = "sourcedir.tar.gz";
	else if (strchr(job->archive, '/') != NULL ||
	    strcmp(job->archive, "..") == 0 || job->archive[0] == '\0')
		return accel_err("'%s': accel.archive.file must name a file "
		    "beside it", reqpath);
	job->archive_sha256 = str_at(arch, "sha256", NULL);
	return 0;
}

int
local_parse(struct local_job *job, const char *text, size_t len,
    const char *reqpath, const char *outdir, int docker)
{
	memset(job, 0, sizeof *job);
	job->docker = docker;
	job->doc = cJSON_ParseWithLength(text, len);
	if (!cJSON_IsObject(job->doc))
		return accel_err("'%s' is not a JSON object", reqpath);
	if (unwrap(job, reqpath) == -1 || job_name(job, text, len) == -1 ||
	    set_paths(job, reqpath, outdir) == -1 || rewrite_hps(job) == -1 ||
	    set_entry(job) == -1 || set_region(job) == -1 ||
	    load_resources(job) == -1 || load_checkpoint(job) == -1 ||
	    load_channels(job) == -1)
		return -1;
	return 0;
}

int
local_load(struct local_job *job, const char *reqpath, const char *outdir,
    int docker)
{
	struct buf text;
	int rc;

	memset(job, 0, sizeof *job);
	if (read_file(reqpath, LOCAL_REQUEST_MAX, &text) == -1)
		return -1;
	rc = local_parse(job, text.data, text.len, reqpath, outdir, docker);
	buf_free(&text);
	if (rc == -1)
		return -1;
	local_default_iface(job->iface);
	job->ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	job->ngpu = local_count_gpus();
	if (strcmp(job->instance_type, "local_gpu") == 0 && job->ngpu == 0)
		return accel_err("InstanceType local_gpu needs a GPU, and "
		    "nvidia-smi lists none");
	return 0;
}

void
local_free(struct local_job *job)
{
	cJSON_Delete(job->doc);
	cJSON_Delete(job->hps);
	job->doc = job->req = job->hps = NULL;
}

/* The job root of HOST (1-based). */
int
local_host_base(const struct local_job *job, int host, char *out,
    size_t size)
{
	if (host == 1)
		return xsnprintf(out, size, "%s", job->base);
	return xsnprintf(out, size, "%s.algo-%d", job->base, host);
}

static int
join(char *out, const char *base, const char *rel)
{
	if (xsnprintf(out, PATH_MAX, "%s/%s", base, rel) == -1) {
		errno = ENAMETOOLONG;
		return accel_err("cannot use '%s/%s':", base, rel);
	}
	return 0;
}

/* Member names must stay inside code/: no absolute paths, no "..". */
static int
safe_member(const char *name)
{
	const char *p = name;

	if (name[0] == '/')
		return 0;
	while (*p != '\0') {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		p += n;
		p += *p == '/';
	}
	return 1;
}

static int
extract_code(const char *tarball, const char *dest)
{
	struct archive *in = archive_read_new(), *out = archive_write_disk_new();
	struct archive_entry *e;
	char path[PATH_MAX];
	const char *hl;
	int r, rc = -1;

	archive_read_support_filter_all(in);
	archive_read_support_format_all(in);
	archive_write_disk_set_options(out, ARCHIVE_EXTRACT_TIME |
	    ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
	    ARCHIVE_EXTRACT_SECURE_SYMLINKS);	/* names checked below */
	if (archive_read_open_filename(in, tarball, 65536) != ARCHIVE_OK) {
		accel_err("cannot open '%s': %s", tarball,
		    archive_error_string(in));
		goto out;
	}
	while ((r = archive_read_next_header(in, &e)) == ARCHIVE_OK) {
		hl = archive_entry_hardlink(e);
		if (!safe_member(archive_entry_pathname(e)) ||
		    (hl != NULL && !safe_member(hl))) {
			accel_err("'%s': refusing member '%s' outside the "
			    "code directory", tarball,
			    archive_entry_pathname(e));
			goto out;
		}
		if (join(path, dest, archive_entry_pathname(e)) == -1)
			goto out;
		archive_entry_set_pathname(e, path);
		if (hl != NULL) {
			if (join(path, dest, hl) == -1)
				goto out;
			archive_entry_set_hardlink(e, path);
		}
		if (archive_read_extract2(in, e, out) != ARCHIVE_OK) {
			accel_err("cannot extract '%s' from '%s': %s",
			    archive_entry_pathname(e), tarball,
			    archive_error_string(out));
			goto out;
		}
	}
	if (r != ARCHIVE_EOF)
		accel_err("cannot read '%s': %s", tarball,
		    archive_error_string(in));
	else
		rc = 0;
out:
	archive_read_free(in);
	archive_write_free(out);
	return rc;
}

static int
write_json(const char *dir, const char *file, const cJSON *v)
{
	char path[PATH_MAX];
	struct buf b;
	int rc;

	if (join(path, dir, file) == -1)
		return -1;
	buf_init(&b, CONFIG_FILE_MAX);
	if (hp_json(&b, v, 0) == -1) {
		buf_free(&b);
		return accel_err("cannot format '%s':", path);
	}
	rc = write_fresh(path, b.data, b.len);
	buf_free(&b);
	return rc;
}

/* resourceconfig.json in SDK v2 local form B, with hosts algo-1..N. */
cJSON *
local_resource_config(const struct local_job *job, int host)
{
	cJSON *rc = cJSON_CreateObject(), *hosts = cJSON_CreateArray();
	char name[32];
	int ok;

	snprintf(name, sizeof name, "algo-%d", host);
	ok = rc != NULL && hosts != NULL &&
	    cJSON_AddStringToObject(rc, "current_host", name) != NULL;
	if (ok)
		cJSON_AddItemToObject(rc, "hosts", hosts);
	else
		cJSON_Delete(hosts);
	for (int i = 1; ok && i <= job->nhosts; i++) {
		snprintf(name, sizeof name, "algo-%d", i);
		ok = cJSON_AddItemToArray(hosts, cJSON_CreateString(name));
	}
	ok = ok && cJSON_AddStringToObject(rc, "network_interface_name",
	    job->iface) != NULL && cJSON_AddStringToObject(rc,
	    "current_instance_type", job->instance_type) != NULL;
	if (!ok) {
		cJSON_Delete(rc);
		return NULL;
	}
	return rc;
}

/* inputdataconfig.json in the local form {"ch": {"TrainingInputMode": ..}} */
cJSON *
local_input_config(const struct local_job *job)
{
	cJSON *all = cJSON_CreateObject(), *c;
	const char *mode = str_at(job->req, "AlgorithmSpecification",
	    "TrainingInputMode");

	if (mode == NULL || strcmp(mode, "FastFile") == 0)
		mode = "File";
	for (size_t i = 0; all != NULL && i < job->nch; i++) {
		c = cJSON_AddObjectToObject(all, job->ch[i].name);
		if (c == NULL || cJSON_AddStringToObject(c, "TrainingInputMode",
		    mode) == NULL || (job->ch[i].content_type != NULL &&
		    cJSON_AddStringToObject(c, "ContentType",
		    job->ch[i].content_type) == NULL)) {
			cJSON_Delete(all);
			return NULL;
		}
	}
	return all;
}

static int
write_configs(const struct local_job *job, int host, const char *base)
{
	char dir[PATH_MAX];
	cJSON *rc = local_resource_config(job, host);
	cJSON *in = local_input_config(job);
	int r = -1;

	if (rc == NULL || in == NULL) {
		accel_err("out of memory");
		goto out;
	}
	if (join(dir, base, "input/config") == -1 || mkdirs(dir) == -1 ||
	    write_json(dir, "hyperparameters.json", job->hps) == -1 ||
	    write_json(dir, "resourceconfig.json", rc) == -1 ||
	    write_json(dir, "inputdataconfig.json", in) == -1)
		goto out;
	r = 0;
out:
	cJSON_Delete(rc);
	cJSON_Delete(in);
	return r;
}

/*
 * input/data/CH: a symbolic link to the channel's directory (the SDK
 * bind-mounts it); for the docker backend an empty mount point.
 */
static int
link_channels(const struct local_job *job, const char *base)
{
	char path[PATH_MAX], rel[PATH_MAX];

	for (size_t i = 0; i < job->nch; i++) {
		if (xsnprintf(rel, sizeof rel, "input/data/%s",
		    job->ch[i].name) == -1 || join(path, base, rel) == -1)
			return -1;
		if (job->docker) {
			if (mkdirs(path) == -1)
				return -1;
		} else if (symlink(job->ch[i].src, path) == -1) {
			return accel_err("cannot link '%s':", path);
		}
	}
	return 0;
}

/*
 * A fresh container for HOST: code, input, model and output are recreated
 * each run as on SageMaker; the checkpoint directory is kept, so that a
 * rerun of the same job resumes (the spot-interruption path).
 */
static int
prepare_host(const struct local_job *job, int host, const char *tarball)
{
	static const char *const fresh[] = { "code", "input", "model",
	    "output" };
	static const char *const dirs[] = { "code", "input/data", "model",
	    "output/data" };
	char base[PATH_MAX], path[PATH_MAX];
	size_t i;

	if (local_host_base(job, host, base, sizeof base) == -1)
		return accel_err("the job root path is too long");
	for (i = 0; i < 4; i++)
		if (join(path, base, fresh[i]) == -1 || rmtree(path) == -1)
			return -1;
	for (i = 0; i < 4; i++)
		if (join(path, base, dirs[i]) == -1 || mkdirs(path) == -1)
			return -1;
	if (join(path, base, job->ckpt) == -1 || mkdirs(path) == -1)
		return -1;
	if (join(path, base, "code") == -1 || extract_code(tarball, path) == -1)
		return -1;
	return write_configs(job, host, base) == -1 ? -1 :
	    link_channels(job, base);
}

/* The archive must be the one request.json was made with. */
static int
check_archive(const struct local_job *job, const char *tarball)
{
	unsigned char md[SHA256_LEN];
	char hex[SHA256_HEX_LEN + 1], chunk[65536];
	struct sha256_ctx *ctx = sha256_new();
	int fd = open(tarball, O_RDONLY | O_CLOEXEC);
	ssize_t n = 0;

	if (ctx == NULL || fd == -1) {
		sha256_free(ctx);
		if (fd != -1)
			close(fd);
		return accel_err("cannot read '%s':", tarball);
	}
	while ((n = read(fd, chunk, sizeof chunk)) > 0 ||
	    (n < 0 && errno == EINTR))
		if (n > 0 && sha256_update(ctx, chunk, (size_t)n) == -1)
			break;
	close(fd);
	if (n != 0 || sha256_final(ctx, md) == -1) {
		if (n != 0)
			sha256_free(ctx);
		return accel_err("cannot hash '%s'", tarball);
	}
	hex_encode(md, sizeof md, hex);
	if (strcmp(hex, job->archive_sha256) != 0)
		return accel_err("'%s' is not the archive the request was made "
		    "with (its sha256 differs): run accel-request again",
		    tarball);
	return 0;
}

/*
 * One run of a job at a time: a second accel-local on the same job root
 * would reset the tree under the first.  The lock lasts until exit.
 */
static int
lock_job(const struct local_job *job)
{
	char path[PATH_MAX];
	int fd;

	if (mkdirs(job->root) == -1)
		return -1;
	if (xsnprintf(path, sizeof path, "%s/.%s.lock", job->root,
	    job->name) == -1)
		return accel_err("the job root path is too long");
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) == -1)
		return accel_err("cannot open '%s':", path);
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		close(fd);
		if (errno == EWOULDBLOCK)
			return accel_err("job %s is already running in '%s'",
			    job->name, job->root);
		return accel_err("cannot lock '%s':", path);
	}
	return 0;	/* fd stays open: the lock is held until exit */
}

int
local_prepare(struct local_job *job)
{
	char tarball[PATH_MAX];

	if (lock_job(job) == -1 || local_fetch_channels(job) == -1)
		return -1;

	if (join(tarball, job->reqdir, job->archive) == -1)
		return -1;
	if (access(tarball, R_OK) == -1)
		return accel_err("cannot read '%s' (accel-request writes it "
		    "beside the request):", tarball);
	if (job->archive_sha256 != NULL && check_archive(job, tarball) == -1)
		return -1;
	for (int h = 1; h <= job->nhosts; h++)
		if (prepare_host(job, h, tarball) == -1)
			return -1;
	return 0;
}
