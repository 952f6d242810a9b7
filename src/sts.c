/* sts.c - STS GetCallerIdentity, AssumeRole, AssumeRoleWithWebIdentity. */
#include <stdio.h>
#include <string.h>

#include "sts.h"
#include "util.h"

/* Wipe every text of the tree before freeing it: it held credentials. */
static void
xml_wipe(struct xml_node *n)
{
	for (struct xml_node *p = n; p != NULL; p = p->next) {
		wipe(p->text, strlen(p->text));
		xml_wipe(p->child);
	}
}

static void
xml_wipe_free(struct xml_node *doc)
{
	xml_wipe(doc);
	xml_free(doc);
}

/* Copy the text at PATH into DST; -1 when absent or too long. */
static int
take(const struct xml_node *doc, const char *path, char *dst, size_t len)
{
	const char *s = xml_text(doc, path);

	if (s == NULL || strlen(s) >= len)
		return -1;
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

static int
missing(struct aws_error *e, const char *what)
{
	snprintf(e->code, sizeof e->code, "InvalidResponse");
	snprintf(e->message, sizeof e->message, "the answer has no %s", what);
	e->retryable = 0;
	return -1;
}

int
sts_get_caller_identity(struct aws_client *c, struct sts_identity *out,
    struct aws_error *e)
{
	struct xml_node *doc;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (aws_query_call(c, "GetCallerIdentity", NULL, 0, 0, &doc, e) == -1)
		return -1;
	if (take(doc, "GetCallerIdentityResult/Account", out->account,
	    sizeof out->account) == -1 ||
	    take(doc, "GetCallerIdentityResult/Arn", out->arn,
	    sizeof out->arn) == -1)
		rc = missing(e, "Account or Arn");
	take(doc, "GetCallerIdentityResult/UserId", out->user_id,
	    sizeof out->user_id);
	xml_free(doc);
	return rc;
}

static int
take_credentials(const struct xml_node *doc, const char *result,
    struct sts_credentials *out, struct aws_error *e)
{
	const struct xml_node *r = xml_find(doc, result);

	if (r == NULL ||
	    take(r, "Credentials/AccessKeyId", out->access_key,
	    sizeof out->access_key) == -1 ||
	    take(r, "Credentials/SecretAccessKey", out->secret_key,
	    sizeof out->secret_key) == -1 ||
	    take(r, "Credentials/SessionToken", out->session_token,
	    sizeof out->session_token) == -1 ||
	    take(r, "Credentials/Expiration", out->expiration,
	    sizeof out->expiration) == -1) {
		sts_credentials_wipe(out);
		return missing(e, "complete Credentials");
	}
	take(r, "AssumedRoleUser/Arn", out->assumed_role_arn,
	    sizeof out->assumed_role_arn);
	return 0;
}

static int
assume(struct aws_client *c, const char *op, const struct aws_param *p,
    size_t n, int unsigned_call, struct sts_credentials *out,
    struct aws_error *e)
{
	char result[64];
	struct xml_node *doc;
	int rc;

	memset(out, 0, sizeof *out);
	if (aws_query_call(c, op, p, n, unsigned_call, &doc, e) == -1)
		return -1;
	snprintf(result, sizeof result, "%sResult", op);
	rc = take_credentials(doc, result, out, e);
	xml_wipe_free(doc);
	return rc;
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
sts_assume_role(struct aws_client *c, const char *role_arn,
    const char *session_name, long duration, struct sts_credentials *out,
    struct aws_error *e)
{
	char d[24];
	const struct aws_param p[] = {
		{ "DurationSeconds", duration_text(duration, d) },
		{ "RoleArn", role_arn },
		{ "RoleSessionName", session_name },
	};

	return assume(c, "AssumeRole", p, 3, 0, out, e);
}

int
sts_assume_role_with_web_identity(struct aws_client *c,
    const char *role_arn, const char *session_name, const char *token,
    long duration, struct sts_credentials *out, struct aws_error *e)
{
	char d[24];
	const struct aws_param p[] = {
		{ "DurationSeconds", duration_text(duration, d) },
		{ "RoleArn", role_arn },
		{ "RoleSessionName", session_name },
		{ "WebIdentityToken", token },
	};

	return assume(c, "AssumeRoleWithWebIdentity", p, 4, 1, out, e);
}

void
sts_credentials_wipe(struct sts_credentials *creds)
{
	wipe(creds, sizeof *creds);
}
