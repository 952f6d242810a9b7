/*
 * creds-http.c - the credential endpoints of the platform: the container
 * endpoint (botocore ContainerProvider / ContainerMetadataFetcher)
 * and instance metadata (InstanceMetadataFetcher, IMDSv2 with v1
 * fallback).  Every body that held a secret is wiped.  STS: creds-sts.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "creds-int.h"
#include "endpoint.h"
#include "sigv4.h"
#include "util.h"
#include "xml.h"

#define CONTAINER_HOST "169.254.170.2"
#define CONTAINER_TIMEOUT_MS 2000	/* botocore: 2 s, 3 attempts */
#define CONTAINER_ATTEMPTS 3
#define IMDS_BASE "http://169.254.169.254/"
#define IMDS_BASE_IPV6 "http://[fd00:ec2::254]/"
#define IMDS_TOKEN_TTL "21600"
#define IMDS_ROLE_PATH "latest/meta-data/iam/security-credentials/"
#define MAX_URL 4096

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static struct http_client *
client(struct creds_provider *p, long timeout_ms, char *err, size_t errlen)
{
	if (p->http == NULL && (p->http = http_client_new()) == NULL) {
		snprintf(err, errlen, "cannot start the HTTP client");
		return NULL;
	}
	http_client_set_timeouts(p->http, timeout_ms,
	    (timeout_ms + 999) / 1000);
	return p->http;
}

/* One exchange; the response body is wiped by response_done. */
static int
exchange(struct creds_provider *p, long timeout_ms,
    const struct http_request *req, struct http_response *resp, char *err,
    size_t errlen)
{
	struct http_client *c = client(p, timeout_ms, err, errlen);

	memset(resp, 0, sizeof *resp);
	if (c == NULL)
		return -1;
	if (http_send(c, req, resp, err, errlen) != HTTP_OK)
		return -1;
	return 0;
}

static void
response_done(struct http_response *resp)
{
	buf_wipe(&resp->body);
	http_response_free(resp);
}

/* --- container -------------------------------------------------------- */

/* ContainerMetadataFetcher._validate_allowed_url */
static int
container_host_allowed(const char *url)
{
	static const char *const allowed[] = { "169.254.170.2",
	    "169.254.170.23", "fd00:ec2::23", "localhost" };
	unsigned char a[16];
	char host[256];
	const char *h, *end;
	size_t len;

	if (strncasecmp(url, "https://", 8) == 0)
		return 1;
	if (strncasecmp(url, "http://", 7) != 0)
		return 0;
	h = url + 7;
	end = h + strcspn(h, "/?#");		/* the authority */
	for (const char *at = h; at < end; at++)
		if (*at == '@')
			h = at + 1;		/* past user:password@ */
	if (*h == '[') {
		end = strchr(++h, ']');
		if (end == NULL)
			return 0;
	} else {
		end = h + strcspn(h, ":/?#");
	}
	len = (size_t)(end - h);
	if (len == 0 || len >= sizeof host)
		return 0;
	for (size_t i = 0; i < len; i++)
		host[i] = (char)(h[i] >= 'A' && h[i] <= 'Z' ? h[i] + 32 : h[i]);
	host[len] = '\0';
	if (inet_pton(AF_INET, host, a) == 1 && a[0] == 127)
		return 1;
	if (inet_pton(AF_INET6, host, a) == 1 &&
	    memcmp(a, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16) == 0)
		return 1;
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (strcmp(host, allowed[i]) == 0)
			return 1;
	return 0;
}

static int
container_url(char *url, size_t len, char *err, size_t errlen)
{
	const char *rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	/* Tests point the relative URI at a loopback fixture. */
	const char *host = env("ACCEL_TEST_CONTAINER_HOST");

	if (rel != NULL) {
		if (xsnprintf(url, len, "http://%s%s", host ? host :
		    CONTAINER_HOST, rel) == -1)
			goto toolong;
	} else if (xsnprintf(url, len, "%s", full ? full : "") == -1) {
		goto toolong;
	}
	if (!container_host_allowed(url)) {
		snprintf(err, errlen, "Unsupported host in "
		    "AWS_CONTAINER_CREDENTIALS_FULL_URI.  Can only retrieve "
		    "metadata from a loopback address or one of these hosts: "
		    "169.254.170.2, 169.254.170.23, fd00:ec2::23, localhost");
		return -1;
	}
	return 0;
toolong:
	snprintf(err, errlen, "container credentials URI too long");
	return -1;
}

/* "Authorization: TOKEN" from the token file (preferred) or variable. */
static int
container_auth(struct buf *hdr, char *err, size_t errlen)
{
	const char *file = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *token = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	struct buf t;
	int rc = 0;

	buf_init(hdr, CREDS_MAX_TOKEN_FILE + 64);
	buf_init(&t, CREDS_MAX_TOKEN_FILE);
	if (file != NULL) {
		if (read_file(file, CREDS_MAX_TOKEN_FILE, &t) == -1) {
			snprintf(err, errlen, "cannot read "
			    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
			return -1;
		}
		token = t.data;
	}
	if (token == NULL)
		return 0;
	/* As botocore: the value is used as read, and must be one line. */
	if (strpbrk(token, "\r\n") != NULL || strlen(token) !=
	    (file != NULL ? t.len : strlen(token))) {
		snprintf(err, errlen, "Auth token value is not a legal header "
		    "value");
		rc = -1;
	} else if (buf_printf(hdr, "Authorization: %s", token) == -1) {
		snprintf(err, errlen, "container token too long");
		rc = -1;
	}
	buf_wipe(&t);
	return rc;
}

static int
container_once(struct creds_provider *p, const char *url,
    const struct buf *auth, struct creds *out, char *err, size_t errlen)
{
	const char *headers[2] = { "Accept: application/json", auth->data };
	struct http_request req = { .url = url, .headers = headers,
	    .nheaders = auth->data != NULL ? 2 : 1,
	    .max_body = CREDS_MAX_RESPONSE };
	struct http_response resp;
	int rc = -1;

	if (exchange(p, CONTAINER_TIMEOUT_MS, &req, &resp, err, errlen) == -1)
		goto out;
	if (resp.status != 200) {
		snprintf(err, errlen, "Received non 200 response %ld from "
		    "container metadata", resp.status);
		goto out;
	}
	rc = creds_container_parse(resp.body.data, resp.body.len, out, err,
	    errlen);
out:
	response_done(&resp);
	return rc;
}

int
creds_container_parse(const char *body, size_t len, struct creds *out,
    char *err, size_t errlen)
{
	cJSON *doc = cJSON_ParseWithLength(body ? body : "", len);
	int rc = -1;

	if (doc == NULL) {
		snprintf(err, errlen, "Unable to parse JSON returned from "
		    "container metadata services");
		return -1;
	}
	if (cJSON_GetObjectItemCaseSensitive(doc, "Expiration") == NULL)
		snprintf(err, errlen, "missing Expiration in the response");
	else
		rc = creds_from_json(doc, "Token", 1, out, err, errlen);
	json_wipe_delete(doc);
	return rc;
}

int
fetch_container(struct creds_provider *p, struct creds *out, char *err,
    size_t errlen)
{
	char url[MAX_URL], why[256];
	struct buf auth;
	int rc = -1;

	if (container_url(url, sizeof url, err, errlen) == -1 ||
	    container_auth(&auth, err, errlen) == -1)
		return -1;
	for (int attempt = 1; attempt <= CONTAINER_ATTEMPTS; attempt++) {
		if ((rc = container_once(p, url, &auth, out, why,
		    sizeof why)) == 0)
			break;
		if (attempt < CONTAINER_ATTEMPTS)
			sleep(1);
	}
	if (rc == -1)
		snprintf(err, errlen, "container credentials from %s: %s",
		    url, why);
	buf_wipe(&auth);
	return rc;
}

/* --- instance metadata ------------------------------------------------ */

struct imds {
	char base[MAX_URL];
	long timeout_ms;
	long attempts;
	char token[256];		/* "" : IMDSv1 */
};

static int
imds_setup(struct creds_provider *p, struct imds *m, char *err, size_t errlen)
{
	const char *base = creds_setting(p, "AWS_EC2_METADATA_SERVICE_ENDPOINT",
	    "ec2_metadata_service_endpoint");
	const char *mode = creds_setting(p, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
	    "ec2_metadata_service_endpoint_mode");
	const char *t = creds_setting(p, "AWS_METADATA_SERVICE_TIMEOUT",
	    "metadata_service_timeout");
	const char *n = creds_setting(p, "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
	    "metadata_service_num_attempts");
	long v;

	memset(m, 0, sizeof *m);
	if (base == NULL)
		base = mode != NULL && strcasecmp(mode, "IPv6") == 0 ?
		    IMDS_BASE_IPV6 : IMDS_BASE;
	if (xsnprintf(m->base, sizeof m->base, "%s%s", base,
	    base[strlen(base) - 1] == '/' ? "" : "/") == -1) {
		snprintf(err, errlen, "metadata endpoint too long");
		return -1;
	}
	m->timeout_ms = t != NULL && parse_long(t, 1, 3600, &v) == 0 ?
	    v * 1000 : 1000;
	m->attempts = n != NULL && parse_long(n, 1, 10, &v) == 0 ? v : 1;
	return 0;
}

/* One request to PATH below the base; 0 with RESP, or -1. */
static int
imds_request(struct creds_provider *p, const struct imds *m,
    const char *method, const char *path, struct http_response *resp,
    char *err, size_t errlen)
{
	char url[MAX_URL * 2], tok[300];
	const char *headers[1];
	struct http_request req = { .method = method, .url = url,
	    .headers = headers, .max_body = CREDS_MAX_RESPONSE };

	memset(resp, 0, sizeof *resp);
	if (xsnprintf(url, sizeof url, "%s%s", m->base, path) == -1) {
		snprintf(err, errlen, "metadata URL too long");
		return -1;
	}
	if (strcmp(method, "PUT") == 0)
		headers[req.nheaders++] =
		    "x-aws-ec2-metadata-token-ttl-seconds: " IMDS_TOKEN_TTL;
	else if (m->token[0] != '\0' && xsnprintf(tok, sizeof tok,
	    "x-aws-ec2-metadata-token: %s", m->token) == 0)
		headers[req.nheaders++] = tok;
	return exchange(p, m->timeout_ms, &req, resp, err, errlen);
}

/* IMDSFetcher._fetch_metadata_token: 0 (token or v1), -1 refused. */
static int
imds_token(struct creds_provider *p, struct imds *m, char *err, size_t errlen)
{
	const char *v1off = creds_setting(p, "AWS_EC2_METADATA_V1_DISABLED",
	    "ec2_metadata_v1_disabled");
	struct http_response resp;

	for (long i = 0; i < m->attempts; i++) {
		if (imds_request(p, m, "PUT", "latest/api/token", &resp, err,
		    errlen) == -1) {
			response_done(&resp);
			continue;
		}
		if (resp.status == 200 && resp.body.len > 0 &&
		    resp.body.len < sizeof m->token) {
			memcpy(m->token, resp.body.data, resp.body.len);
			m->token[resp.body.len] = '\0';
		} else if (resp.status == 400) {
			snprintf(err, errlen, "instance metadata refused the "
			    "token request (400)");
			response_done(&resp);
			return -1;
		}
		response_done(&resp);
		break;
	}
	if (m->token[0] == '\0' && v1off != NULL &&
	    strcasecmp(v1off, "true") == 0) {
		snprintf(err, errlen, "Unable to retrieve token for use in "
		    "IMDSv2 call and IMDSv1 has been disabled");
		return -1;
	}
	return 0;
}

/* GET PATH with retries; 1 with a 200 non-empty body in RESP, else 0. */
static int
imds_get(struct creds_provider *p, const struct imds *m, const char *path,
    struct http_response *resp, char *err, size_t errlen)
{
	for (long i = 0; i < m->attempts; i++) {
		if (imds_request(p, m, "GET", path, resp, err, errlen) == 0 &&
		    resp->status == 200 && resp->body.len > 0)
			return 1;
		response_done(resp);
	}
	return 0;
}

/* The first line names the role (the body stops at a NUL, as text). */
void
creds_imds_role(const char *body, size_t len, char *role, size_t rolelen)
{
	size_t n = 0;

	while (n < len && body[n] != '\0' && body[n] != '\r' &&
	    body[n] != '\n')
		n++;
	snprintf(role, rolelen, "%.*s", (int)n, body);
}

int
creds_imds_parse(const char *body, size_t len, struct creds *out,
    char *err, size_t errlen)
{
	cJSON *doc = cJSON_ParseWithLength(body, len);
	int rc = 0;

	if (doc != NULL && !(cJSON_HasObjectItem(doc, "Code") &&
	    cJSON_HasObjectItem(doc, "Message")) &&
	    cJSON_HasObjectItem(doc, "Expiration") &&
	    creds_from_json(doc, "Token", 1, out, err, errlen) == 0)
		rc = 1;
	json_wipe_delete(doc);
	return rc;
}

int
fetch_imds(struct creds_provider *p, struct creds *out, char *err,
    size_t errlen)
{
	char path[512], role[256];
	struct http_response resp;
	struct imds m;
	int rc = 0;

	if (imds_setup(p, &m, err, errlen) == -1)
		return -1;
	if (imds_token(p, &m, err, errlen) == -1)
		goto out;
	if (!imds_get(p, &m, IMDS_ROLE_PATH, &resp, err, errlen))
		goto out;
	creds_imds_role(resp.body.data, resp.body.len, role, sizeof role);
	response_done(&resp);
	if (xsnprintf(path, sizeof path, IMDS_ROLE_PATH "%s", role) == -1 ||
	    !imds_get(p, &m, path, &resp, err, errlen))
		goto out;
	rc = creds_imds_parse(resp.body.data, resp.body.len, out, err, errlen);
	response_done(&resp);
out:
	wipe(m.token, sizeof m.token);
	return rc;
}
