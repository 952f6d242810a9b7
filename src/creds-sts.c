/*
 * creds-sts.c - credentials from STS through aws.c's query protocol (with
 * its retries): AssumeRole signed with the source profile's keys, and
 * AssumeRoleWithWebIdentity, unsigned, with the token file read afresh
 * each time.  Parameters as botocore's AssumeRole*CredentialFetcher send.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "aws.h"
#include "creds-int.h"
#include "endpoint.h"
#include "util.h"
#include "xml.h"

/* The signing credentials of AssumeRole: the source's current keys. */
static int
parent_get(void *ctx, struct sigv4_creds *out, char *err, size_t errlen)
{
	const struct creds *c = ctx;

	(void)err;
	(void)errlen;
	out->access_key = c->access_key;
	out->secret_key = c->secret_key;
	out->session_token = c->session_token;
	return 0;
}

/* An STS client at the endpoint the profile and environment configure. */
static int
sts_client(struct creds_provider *p, const struct creds *signer,
    struct aws_client *c, char *err, size_t errlen)
{
	struct endpoint_config ec;
	struct aws_creds_provider prov = { parent_get, (void *)signer };

	awsconfig_endpoints(&p->cfg, AWS_STS, &ec);
	/* Without a region botocore's STS client uses the global endpoint. */
	return aws_client_init(c, AWS_STS, p->region[0] ? p->region :
	    "us-east-1", NULL, &ec, signer != NULL ? &prov : NULL, err,
	    errlen);
}

static int
copy_text(const struct xml_node *c, const char *name, char **dst, char *err,
    size_t errlen)
{
	const char *v = xml_text(c, name);

	if (v == NULL) {
		snprintf(err, errlen, "no %s in the STS answer", name);
		return -1;
	}
	return (*dst = creds_strdup(v, err, errlen)) != NULL ? 0 : -1;
}

/* ACTION with PARAMS; the credentials of its Result into OUT. */
static int
sts_assume(struct creds_provider *p, const char *action,
    const struct aws_param *params, size_t n, const struct creds *signer,
    struct creds *out, char *err, size_t errlen)
{
	char path[96];
	const struct xml_node *c;
	struct xml_node *doc = NULL;
	struct aws_client client;
	struct aws_error e;
	const char *exp;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (sts_client(p, signer, &client, err, errlen) == -1)
		return -1;
	if (aws_query_call(&client, action, params, n, signer == NULL, &doc,
	    &e) == -1) {
		aws_error_text(&e, err, errlen);
		goto out;
	}
	snprintf(path, sizeof path, "%sResult/Credentials", action);
	c = xml_find(doc, path);
	exp = c != NULL ? xml_text(c, "Expiration") : NULL;
	if (exp == NULL || parse_iso8601(exp, &out->expires) == -1) {
		snprintf(err, errlen, "STS %s: no credentials with an "
		    "Expiration in the answer", action);
		goto out;
	}
	if (copy_text(c, "AccessKeyId", &out->access_key, err, errlen) == 0 &&
	    copy_text(c, "SecretAccessKey", &out->secret_key, err,
	    errlen) == 0 &&
	    copy_text(c, "SessionToken", &out->session_token, err,
	    errlen) == 0)
		rc = 0;
	else
		creds_clear(out);
out:
	xml_free(doc);			/* wipes the texts */
	aws_client_free(&client);
	return rc;
}

/* The session name: configured, or botocore's botocore-session-<epoch>. */
static const char *
session_name(const struct source *s, char buf[40])
{
	if (s->session_name != NULL)
		return s->session_name;
	snprintf(buf, 40, "botocore-session-%lld", (long long)time(NULL));
	return buf;
}

static const char *
duration_text(long duration, char buf[24])
{
	if (duration <= 0)
		return NULL;
	snprintf(buf, 24, "%ld", duration);
	return buf;
}

int
fetch_web_identity(struct creds_provider *p, const struct source *s,
    struct creds *out, char *err, size_t errlen)
{
	char name[40], d[24];
	struct buf token;
	int rc;

	/* Read again on every refresh: the platform rotates the file. */
	if (read_file(s->token_file, CREDS_MAX_TOKEN_FILE, &token) == -1) {
		snprintf(err, errlen, "cannot read the web identity token "
		    "file");
		return -1;
	}
	{
		const struct aws_param params[] = {
			{ "DurationSeconds", duration_text(s->duration, d) },
			{ "RoleArn", s->role_arn },
			{ "RoleSessionName", session_name(s, name) },
			{ "WebIdentityToken", token.data },
		};

		rc = sts_assume(p, "AssumeRoleWithWebIdentity", params, 4,
		    NULL, out, err, errlen);
	}
	buf_wipe(&token);
	return rc;
}

int
fetch_assume_role(struct creds_provider *p, const struct source *s,
    const struct creds *parent, struct creds *out, char *err, size_t errlen)
{
	char name[40], d[24];
	const struct aws_param params[] = {
		{ "DurationSeconds", duration_text(s->duration, d) },
		{ "ExternalId", s->external_id },
		{ "RoleArn", s->role_arn },
		{ "RoleSessionName", session_name(s, name) },
	};

	return sts_assume(p, "AssumeRole", params, 4, parent, out, err,
	    errlen);
}
