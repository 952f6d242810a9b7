/* iam.c - IAM GetRole; the trust policy arrives URL-encoded. */
#include <stdio.h>
#include <string.h>

#include "iam.h"
#include "sigv4.h"
#include "util.h"

int
iam_get_role(struct aws_client *c, const char *name, struct iam_role *out,
    struct aws_error *e)
{
	const struct aws_param p[] = { { "RoleName", name } };
	const char *arn, *id, *policy;
	struct xml_node *doc;
	int rc = 0;

	memset(out, 0, sizeof *out);
	buf_init(&out->trust_policy, IAM_MAX_POLICY);
	if (aws_query_call(c, "GetRole", p, 1, 0, &doc, e) == -1)
		return -1;
	arn = xml_text(doc, "GetRoleResult/Role/Arn");
	id = xml_text(doc, "GetRoleResult/Role/RoleId");
	policy = xml_text(doc, "GetRoleResult/Role/AssumeRolePolicyDocument");
	if (arn == NULL || xsnprintf(out->arn, sizeof out->arn, "%s", arn) ==
	    -1) {
		snprintf(e->code, sizeof e->code, "InvalidResponse");
		snprintf(e->message, sizeof e->message, "the answer has no "
		    "role ARN");
		rc = -1;
	}
	if (id != NULL)
		snprintf(out->role_id, sizeof out->role_id, "%s", id);
	if (rc == 0 && policy != NULL &&
	    (sigv4_uri_decode(&out->trust_policy, policy, strlen(policy)) ==
	    -1 || buf_append(&out->trust_policy, "", 0) == -1)) {
		snprintf(e->code, sizeof e->code, "InvalidResponse");
		snprintf(e->message, sizeof e->message, "trust policy too "
		    "large");
		rc = -1;
	}
	xml_free(doc);
	if (rc == -1)
		buf_free(&out->trust_policy);
	return rc;
}

void
iam_role_free(struct iam_role *role)
{
	buf_free(&role->trust_policy);
}
