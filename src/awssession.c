/* awssession.c - the config, credentials and region of one run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "awssession.h"
#include "util.h"

int
aws_session_open(struct aws_session *s, const char *region, char *err,
    size_t errlen)
{
	struct creds_options opt;

	memset(s, 0, sizeof *s);
	if (awsconfig_load(&s->cfg, NULL, err, errlen) == -1)
		return -1;
	if (region == NULL) {
		if (awsconfig_region(&s->cfg, NULL, s->region,
		    sizeof s->region) == -1 || s->region[0] == '\0') {
			snprintf(err, errlen, "no region: set AWS_REGION or "
			    "the profile's region");
			goto fail;
		}
	} else if (xsnprintf(s->region, sizeof s->region, "%s", region) ==
	    -1) {
		snprintf(err, errlen, "region '%.64s...' is too long", region);
		goto fail;
	}
	memset(&opt, 0, sizeof opt);
	opt.region = s->region;
	if ((s->creds = creds_provider_new(&opt, err, errlen)) == NULL)
		goto fail;
	s->provider.get = creds_get;
	s->provider.ctx = s->creds;
	return 0;
fail:
	awsconfig_free(&s->cfg);
	return -1;
}

void
aws_session_close(struct aws_session *s)
{
	creds_provider_free(s->creds);
	awsconfig_free(&s->cfg);
	memset(s, 0, sizeof *s);
}

/* The [services NAME] key of SERVICE: AWS_ENDPOINT_URL_'s suffix, lower. */
static void
services_key(enum aws_service service, char *out, size_t len)
{
	const char *suffix = endpoint_env_suffix(service);
	size_t i;

	for (i = 0; suffix[i] != '\0' && i + 1 < len; i++)
		out[i] = (char)(suffix[i] >= 'A' && suffix[i] <= 'Z' ?
		    suffix[i] - 'A' + 'a' : suffix[i]);
	out[i] = '\0';
}

int
aws_session_client(struct aws_session *s, enum aws_service service,
    struct aws_client *c, char *err, size_t errlen)
{
	const struct awsconfig *cfg = &s->cfg;
	const char *svc = awsconfig_get(cfg, cfg->profile, "services");
	const char *ignore = getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	const struct ini_section *sec = svc == NULL ? NULL :
	    ini_named(&cfg->config, "services", svc);
	char key[64];
	struct endpoint_config ec;

	services_key(service, key, sizeof key);
	if (ignore == NULL || *ignore == '\0')
		ignore = awsconfig_get(cfg, cfg->profile,
		    "ignore_configured_endpoint_urls");
	memset(&ec, 0, sizeof ec);
	ec.service_url = sec == NULL ? NULL : ini_get_sub(&cfg->config, sec,
	    key, "endpoint_url");
	ec.global_url = awsconfig_get(cfg, cfg->profile, "endpoint_url");
	ec.ignore_configured = ignore != NULL && strcasecmp(ignore, "true") == 0;
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
