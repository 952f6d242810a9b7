/*
 * awssession.h - what one run of a networked tool shares between its AWS
 * clients: one credential provider (creds.c), with the shared config files
 * and profile it read, and the region.  Each client is aimed at the
 * endpoint the AWS CLI would use (awsconfig_endpoints, endpoint.h).
 */
#ifndef ACCEL_AWSSESSION_H
#define ACCEL_AWSSESSION_H

#include <stddef.h>

#include "aws.h"
#include "creds.h"

struct aws_session {
	struct creds_provider *creds;
	struct aws_creds_provider provider;	/* creds_get over creds */
	char region[ENDPOINT_MAX_REGION];
	int verbose;			/* each attempt to stderr */
};

/*
 * aws_session_open: REGION (NULL: the configured one, which must exist)
 * and the profile of the environment.  Nothing is fetched yet.  Returns 0,
 * or -1 with a reason in ERR.
 */
int aws_session_open(struct aws_session *s, const char *region, char *err,
    size_t errlen);
void aws_session_close(struct aws_session *s);

/* aws_session_client: a client of SERVICE in the session's region. */
int aws_session_client(struct aws_session *s, enum aws_service service,
    struct aws_client *c, char *err, size_t errlen);

/* The endpoint URL a client talks to ("https://host/path") into OUT. */
int aws_session_endpoint_url(const struct aws_client *c, char *out,
    size_t outlen);

#endif
