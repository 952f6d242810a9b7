/*
 * locals3.c - accel-local's s3:// channels.  The channel's S3Prefix is
 * downloaded with accel-fetch's engine (fetch_tree) into a cache beside
 * the job root, JOB.s3/CHANNEL, which input/data/CHANNEL links to as it
 * does to a file:// directory (input/ is recreated each run; the cache is
 * not).  JOB.s3/CHANNEL.manifest has a line "ETAG<TAB>SIZE<TAB>PATH" for
 * each object in place, so a rerun fetches only what changed in S3 and
 * removes what is gone.  Credentials are the AWS CLI's (creds.h); without
 * them the error shows the file:// form, as before S3 was supported.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "awssession.h"
#include "extract.h"
#include "fetch.h"
#include "fetchrun.h"
#include "local.h"
#include "util.h"

#define LOCAL_MANIFEST_MAX (FETCH_MAX_OBJECTS * (S3_MAX_KEY + 160))
					/* a line per object at most */

struct cache {
	const char *dir;		/* JOB.s3/CHANNEL */
	struct buf old, new;		/* manifests, NUL-terminated */
};

int
local_s3_dir(const struct local_job *job, const char *channel, char *out,
    size_t len)
{
	return xsnprintf(out, len, "%s.s3/%s", job->base, channel);
}

/* The line for an object, or -1 when its name cannot be one. */
static int
line(char *out, size_t len, const char *rel, long long size,
    const char *etag)
{
	if (strpbrk(rel, "\t\n") != NULL || strpbrk(etag, "\t\n") != NULL)
		return -1;
	return xsnprintf(out, len, "%s\t%lld\t%s\n", etag, size, rel);
}

int
local_manifest_listed(const char *manifest, const char *l)
{
	const char *p = manifest;
	size_t n = strlen(l);

	for (; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1 :
	    NULL)
		if (strncmp(p, l, n) == 0)
			return 1;
	return 0;
}

static int
have(void *ctx, const char *rel, long long size, const char *etag)
{
	struct cache *c = ctx;
	char l[S3_MAX_KEY + 200], path[PATH_MAX];
	struct stat st;

	if (line(l, sizeof l, rel, size, etag) == -1 ||
	    !local_manifest_listed(c->old.data, l) ||
	    xsnprintf(path, sizeof path, "%s/%s", c->dir, rel) == -1 ||
	    lstat(path, &st) == -1)
		return 0;
	return S_ISREG(st.st_mode) && st.st_size == size;
}

static int
got(void *ctx, const char *rel, long long size, const char *etag)
{
	struct cache *c = ctx;
	char l[S3_MAX_KEY + 200];

	if (line(l, sizeof l, rel, size, etag) == -1)
		return 0;	/* not cached: fetched again next time */
	if (buf_puts(&c->new, l) == -1)
		return accel_err("out of memory");
	return 0;
}

/* Is REL a path of M?  ("\tREL\n": no ETag, size or path has a tab.) */
static int
has_path(const char *m, const char *rel)
{
	char pat[S3_MAX_KEY + 8];

	return xsnprintf(pat, sizeof pat, "\t%s\n", rel) == 0 &&
	    m != NULL && strstr(m, pat) != NULL;
}

/*
 * A name fetch_tree writes: normalised, relative, no "..".  The manifest
 * is a file anyone with the cache can edit, and what it names is
 * unlinked, so a line naming "../x" or "/x" must not reach outside.
 */
static int
fetched_name(const char *rel)
{
	char norm[S3_MAX_KEY + 1];
	const char *why;

	return extract_check_name(rel, norm, sizeof norm, &why) == 0 &&
	    norm[0] != '\0' && strcmp(norm, rel) == 0;
}

void
local_manifest_gone(const char *old, const char *new,
    void (*fn)(void *ctx, const char *rel), void *ctx)
{
	char rel[S3_MAX_KEY + 1];
	const char *p, *end, *r;

	for (p = old; p != NULL && *p != '\0'; p = end + 1) {
		if ((end = strchr(p, '\n')) == NULL)
			break;
		if ((r = memchr(p, '\t', (size_t)(end - p))) == NULL ||
		    (r = memchr(r + 1, '\t', (size_t)(end - r - 1))) == NULL ||
		    (size_t)(end - r) > sizeof rel)
			continue;
		memcpy(rel, r + 1, (size_t)(end - r - 1));
		rel[end - r - 1] = '\0';
		if (!has_path(new, rel) && fetched_name(rel))
			fn(ctx, rel);
	}
}

static void
remove_one(void *ctx, const char *rel)
{
	char path[PATH_MAX];

	if (xsnprintf(path, sizeof path, "%s/%s", (const char *)ctx, rel) ==
	    0)
		unlink(path);
}

static int
read_manifest(const char *path, struct buf *b)
{
	buf_init(b, LOCAL_MANIFEST_MAX + 1);
	if (access(path, F_OK) == 0 && read_file(path, LOCAL_MANIFEST_MAX,
	    b) == -1)
		return -1;
	if (buf_putc(b, '\0') == -1)
		return accel_err("out of memory");
	b->len--;
	return 0;
}

static int
fetch_channel(struct fetch_ctx *f, const struct local_channel *ch)
{
	char manifest[PATH_MAX], partial[PATH_MAX];
	struct cache c = { .dir = ch->src };
	struct fetch_tree t = { have, got, &c };
	struct fetch_uri u;
	struct fetch_job fj = { .uri = &u, .partial = partial,
	    .name = ch->name };
	int rc = -1;

	if (fetch_uri_parse(ch->s3uri, &u) == -1)
		return -1;
	if (xsnprintf(manifest, sizeof manifest, "%s.manifest", ch->src) ==
	    -1 || xsnprintf(partial, sizeof partial, "%s.partial", ch->src) ==
	    -1)
		return accel_err("the job root path is too long");
	buf_init(&c.new, LOCAL_MANIFEST_MAX);
	if (mkdirs(ch->src) == -1 || mkdirs(partial) == -1 ||
	    read_manifest(manifest, &c.old) == -1)
		goto out;
	rc = fetch_tree(f, &fj, &t, ch->src);
	if (rc == 0)
		local_manifest_gone(c.old.data, c.new.data, remove_one,
		    (void *)c.dir);
	/* What is in place either way, so a failed run is resumed. */
	if (write_output(manifest, c.new.data ? c.new.data : "",
	    c.new.len) == -1)
		rc = -1;
	rmdir(partial);		/* when empty: nothing left to resume */
out:
	buf_free(&c.old);
	buf_free(&c.new);
	return rc;
}

static int
no_credentials(const struct local_channel *ch, const char *why)
{
	return accel_err("channel '%s' is in S3 (%s) and no AWS credentials "
	    "were found (%s): configure them as for the AWS CLI, or give the "
	    "channel a file:// URI, e.g. \"S3Uri\": \"file:///path/to/%s\"",
	    ch->name, ch->s3uri, why, ch->name);
}

/* The session: the request's region, else the configured one, else
 * us-east-1 (S3 redirects nothing we follow, so it must be right). */
static int
open_session(const struct local_job *job, struct aws_session *s,
    const struct local_channel *first)
{
	struct sigv4_creds cr;
	char err[512];

	if (aws_session_open(s, *job->region ? job->region : NULL, err,
	    sizeof err) == -1 && aws_session_open(s, "us-east-1", err,
	    sizeof err) == -1)
		return no_credentials(first, err);
	if (creds_get(s->creds, &cr, err, sizeof err) == -1) {
		aws_session_close(s);
		return no_credentials(first, err);
	}
	return 0;
}

int
local_fetch_channels(const struct local_job *job)
{
	struct fetch_ctx f = { .threads = FETCH_DEFAULT_THREADS,
	    .status = EXIT_NO };
	const struct local_channel *first = NULL;
	struct aws_session s;
	struct aws_client c;
	char err[512];
	size_t i;
	int rc = -1;

	for (i = 0; i < job->nch && first == NULL; i++)
		if (job->ch[i].s3uri != NULL)
			first = &job->ch[i];
	if (first == NULL)
		return 0;
	if (open_session(job, &s, first) == -1)
		return -1;
	if (aws_session_client(&s, AWS_S3, &c, err, sizeof err) == -1) {
		aws_session_close(&s);
		return accel_err("%s", err);
	}
	f.s3 = &c;
	for (i = 0, rc = 0; rc == 0 && i < job->nch; i++)
		if (job->ch[i].s3uri != NULL)
			rc = fetch_channel(&f, &job->ch[i]);
	aws_client_free(&c);
	aws_session_close(&s);
	return rc;
}
