/* awssession.c - the credentials, config and region of one run. */
#include <stdio.h>
#include <string.h>

#include "awsconfig.h"
#include "awssession.h"
#include "util.h"

int
aws_session_open(struct aws_session *s, const char *region, char *err,
    size_t errlen)
{
	struct creds_options opt;

	memset(s, 0, sizeof *s);
	memset(&opt, 0, sizeof opt);
	opt.region = region;
	if ((s->creds = creds_provider_new(&opt, err, errlen)) == NULL)
		return -1;
	if (xsnprintf(s->region, sizeof s->region, "%s",
	    creds_region(s->creds)) == -1 || s->region[0] == '\0') {
		snprintf(err, errlen, s->region[0] == '\0' ? "no region: set "
		    "AWS_REGION or the profile's region" : "the region is too "
		    "long");
		creds_provider_free(s->creds);
		s->creds = NULL;
		return -1;
	}
	s->provider.get = creds_get;
	s->provider.ctx = s->creds;
	return 0;
}

void
aws_session_close(struct aws_session *s)
{
	creds_provider_free(s->creds);
	memset(s, 0, sizeof *s);
}

int
aws_session_client(struct aws_session *s, enum aws_service service,
    struct aws_client *c, char *err, size_t errlen)
{
	struct endpoint_config ec;

	memset(&ec, 0, sizeof ec);
	awsconfig_endpoints(creds_config(s->creds), service, &ec);
	if (aws_client_init(c, service, s->region, NULL, &ec, &s->provider, err,
	    errlen) == -1)
		return -1;
	c->verbose = s->verbose;
	return 0;
}

int
aws_session_endpoint_url(const struct aws_client *c, char *out,
    size_t outlen)
{
	return xsnprintf(out, outlen, "%s://%s%s", c->ep.scheme, c->ep.host,
	    c->ep.path);
}
