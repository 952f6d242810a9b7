/*
 * localcreds.c - which AWS credentials the training script of accel-local
 * gets (--credentials): none (the default: a rehearsal must not hand the
 * caller's keys to code that only needs its own files), the caller's own
 * (what SDK local mode passes, sagemaker/local/image.py _aws_credentials),
 * or short-lived ones of the job's execution role (STS AssumeRole, what
 * SageMaker gives the container).  The keys travel only in the child's
 * environment, and are wiped here after use.
 */
#include <string.h>

#include "awssession.h"
#include "iam.h"
#include "local.h"
#include "request.h"
#include "sts.h"

/* SageMaker's session name for the execution role of a training job. */
#define ROLE_SESSION_NAME "SageMaker"

int
local_creds_mode(const char *name, enum local_creds_mode *out)
{
	if (strcmp(name, "none") == 0)
		*out = LOCAL_CREDS_NONE;
	else if (strcmp(name, "caller") == 0)
		*out = LOCAL_CREDS_CALLER;
	else if (strcmp(name, "role") == 0)
		*out = LOCAL_CREDS_ROLE;
	else
		return -1;
	return 0;
}

static int
keep(struct local_creds *lc, const char *access, const char *secret,
    const char *token)
{
	if (xsnprintf(lc->access_key, sizeof lc->access_key, "%s",
	    access) == -1 || xsnprintf(lc->secret_key, sizeof lc->secret_key,
	    "%s", secret) == -1 || xsnprintf(lc->session_token,
	    sizeof lc->session_token, "%s", token ? token : "") == -1) {
		local_creds_wipe(lc);
		return accel_err("the credentials are longer than we keep");
	}
	return 0;
}

/* The caller's credentials, found as the AWS CLI finds them. */
static int
from_caller(struct aws_session *s, struct local_creds *lc)
{
	struct sigv4_creds cr;
	char err[512];

	if (creds_get(s->creds, &cr, err, sizeof err) == -1)
		return accel_err("--credentials caller: %s", err);
	return keep(lc, cr.access_key, cr.secret_key, cr.session_token);
}

/* Report E; its class (75 transient, 1 refused) into *STATUS. */
static int
fail(const struct aws_error *e, int *status)
{
	*status = aws_error_exit_status(e);
	return aws_error_report(e);
}

/*
 * The role's ARN: RoleArn, or for the placeholder accel-request leaves
 * when the config names a role, that name looked up as the SDK's
 * expand_role does (IAM GetRole).
 */
static int
role_arn(struct aws_session *s, const struct local_job *job, char *out,
    size_t len, int *status)
{
	const char *arn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	    job->req, "RoleArn"));
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(job->doc, "accel"), "role_name"));
	struct iam_role role;
	struct aws_client c;
	struct aws_error e;
	char err[512];
	int rc;

	if (arn != NULL && strcmp(arn, REQUEST_PH_ROLE) != 0)
		return xsnprintf(out, len, "%s", arn) == -1 ?
		    accel_err("RoleArn is too long") : 0;
	if (name == NULL)
		return accel_err("--credentials role: the request has no "
		    "RoleArn");
	if (aws_session_client(s, AWS_IAM, &c, err, sizeof err) == -1)
		return accel_err("%s", err);
	rc = iam_get_role(&c, name, &role, &e);
	aws_client_free(&c);
	if (rc == -1)
		return fail(&e, status);
	rc = xsnprintf(out, len, "%s", role.arn);
	iam_role_free(&role);
	return rc == -1 || *out == '\0' ? accel_err("IAM GetRole: no usable "
	    "ARN for the role '%s'", name) : 0;
}

/* Short-lived credentials of the job's execution role. */
static int
from_role(struct aws_session *s, const struct local_job *job,
    struct local_creds *lc, int *status)
{
	struct sts_credentials sc;
	struct aws_client c;
	struct aws_error e;
	char arn[STS_MAX_ARN], err[512];
	int rc;

	if (role_arn(s, job, arn, sizeof arn, status) == -1)
		return -1;
	if (aws_session_client(s, AWS_STS, &c, err, sizeof err) == -1)
		return accel_err("%s", err);
	rc = sts_assume_role(&c, arn, ROLE_SESSION_NAME, 0, &sc, &e);
	aws_client_free(&c);
	if (rc == -1)
		return fail(&e, status);
	rc = keep(lc, sc.access_key, sc.secret_key, sc.session_token);
	sts_credentials_wipe(&sc);
	return rc;
}

int
local_creds_get(const struct local_job *job, struct local_creds *lc,
    int *status)
{
	struct aws_session s;
	char err[512];
	int rc;

	*status = EXIT_NO;
	if (lc->mode == LOCAL_CREDS_NONE)
		return 0;
	/* As for s3:// channels: a request without a region asks STS in
	 * us-east-1, its global endpoint's region. */
	if (aws_session_open(&s, *job->region ? job->region : NULL, err,
	    sizeof err) == -1 && aws_session_open(&s, "us-east-1", err,
	    sizeof err) == -1)
		return accel_err("--credentials %s: %s", lc->mode ==
		    LOCAL_CREDS_ROLE ? "role" : "caller", err);
	rc = lc->mode == LOCAL_CREDS_CALLER ? from_caller(&s, lc) :
	    from_role(&s, job, lc, status);
	aws_session_close(&s);
	return rc;
}

void
local_creds_wipe(struct local_creds *lc)
{
	wipe(lc->access_key, sizeof lc->access_key);
	wipe(lc->secret_key, sizeof lc->secret_key);
	wipe(lc->session_token, sizeof lc->session_token);
}
