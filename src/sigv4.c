/*
 * sigv4.c - AWS Signature Version 4 (aws-protocols.md 2).  A pipeline over
 * one state struct, as aws-c-auth's aws_signing.c: collect the headers and
 * query parameters, build the canonical request, the string to sign, the
 * signing key and the signature, then the Authorization value or the
 * presigned query.  The canonical pieces are in sigv4-canon.c.
 */
#include <string.h>

#include "crypto.h"
#include "sigv4-canon.h"
#include "sigv4.h"

#define ALGORITHM "AWS4-HMAC-SHA256"

struct signer {
	const struct sigv4_params *p;
	const struct sigv4_creds *c;
	const struct sigv4_request *r;
	struct sigv4_result *out;
	struct canon_headers headers;
	struct canon_query query;
	struct buf scope;		/* YYYYMMDD/region/service/aws4_request */
	struct buf signed_names;	/* a;b;c */
	struct buf payload;		/* the payload hash */
	char *err;
	size_t errlen;
};

static int
fail(struct signer *s, const char *msg)
{
	if (s->errlen > 0 && xsnprintf(s->err, s->errlen, "%s", msg) == -1)
		s->err[s->errlen - 1] = '\0';
	return -1;
}

static int
is_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* A scope part ends up between '/' in the credential: none may hold one. */
static int
is_scope_part(const char *s)
{
	size_t i;

	if (s == NULL || *s == '\0' || strlen(s) > 64)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] == '/' || (unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return 0;
	return 1;
}

static int
check_inputs(struct signer *s)
{
	const char *d = s->p->amz_date;

	if (d == NULL || strlen(d) != 16 || !is_digits(d, 8) || d[8] != 'T' ||
	    !is_digits(d + 9, 6) || d[15] != 'Z')
		return fail(s, "the time is not YYYYMMDDTHHMMSSZ");
	if (!is_scope_part(s->p->region))
		return fail(s, "invalid region");
	if (!is_scope_part(s->p->service))
		return fail(s, "invalid service name");
	if (!is_scope_part(s->c->access_key) || s->c->secret_key == NULL)
		return fail(s, "invalid credentials");
	if (s->p->presign_expires < 0 ||
	    s->p->presign_expires > SIGV4_MAX_EXPIRES)
		return fail(s, "presigned URL lifetime out of range");
	if (s->r->method == NULL || *s->r->method == '\0' ||
	    s->r->path == NULL || s->r->query == NULL)
		return fail(s, "incomplete request");
	if (s->r->nheaders > SIGV4_MAX_HEADERS)
		return fail(s, "too many headers");
	return 0;
}

static int
build_scope(struct signer *s)
{
	if (buf_append(&s->scope, s->p->amz_date, 8) == -1 ||
	    buf_printf(&s->scope, "/%s/%s/aws4_request", s->p->region,
	    s->p->service) == -1)
		return fail(s, "credential scope too long");
	return 0;
}

static int
add_header(struct signer *s, const char *name, const char *value)
{
	return canon_headers_add(&s->headers, name, value, s->err, s->errlen);
}

/*
 * The request's own headers, then the ones we add in header mode: an
 * X-Amz-Date, the session token and x-amz-content-sha256, each unless the
 * request already carries it.
 */
static int
collect_headers(struct signer *s)
{
	const struct canon_header *h;
	struct buf date;
	size_t i;
	int same;

	for (i = 0; i < s->r->nheaders; i++)
		if (add_header(s, s->r->headers[i].name,
		    s->r->headers[i].value) == -1)
			return -1;
	if (canon_headers_find(&s->headers, "host") == NULL)
		return fail(s, "the request has no Host header");
	if ((h = canon_headers_find(&s->headers, "x-amz-date")) != NULL) {
		buf_init(&date, 64);
		same = trim_value(&date, h->value) == 0 && date.data != NULL &&
		    strcmp(date.data, s->p->amz_date) == 0;
		buf_free(&date);
		if (!same)
			return fail(s, "the request's X-Amz-Date is not the "
			    "signing time");
	}
	if (s->p->presign_expires > 0)
		return 0;
	if (h == NULL) {
		memcpy(s->out->amz_date, s->p->amz_date, 17);
		if (add_header(s, "X-Amz-Date", s->out->amz_date) == -1)
			return -1;
	}
	if (s->c->session_token != NULL && canon_headers_find(&s->headers,
	    "x-amz-security-token") == NULL) {
		s->out->security_token = s->c->session_token;
		if (add_header(s, "X-Amz-Security-Token",
		    s->c->session_token) == -1)
			return -1;
	}
	return 0;
}

/*
 * The payload hash: the request's x-amz-content-sha256 value (a hex hash,
 * UNSIGNED-PAYLOAD, STREAMING-...), else UNSIGNED-PAYLOAD for an S3
 * presigned URL, else the body's SHA-256, which sign_body also sends.
 */
static int
payload_hash(struct signer *s)
{
	const struct canon_header *h;
	char hex[SHA256_HEX_LEN + 1];

	h = canon_headers_find(&s->headers, "x-amz-content-sha256");
	if (h != NULL) {
		if (trim_value(&s->payload, h->value) == -1)
			return fail(s, "x-amz-content-sha256 too long");
		return 0;
	}
	if (s->p->presign_expires > 0 && s->p->s3)
		return buf_puts(&s->payload, SIGV4_UNSIGNED_PAYLOAD) == -1 ?
		    fail(s, "out of memory") : 0;
	if (sha256_hex(s->r->body, s->r->body_len, hex) == -1)
		return fail(s, "cannot hash the body");
	if (buf_puts(&s->payload, hex) == -1)
		return fail(s, "out of memory");
	if (s->p->sign_body && s->p->presign_expires == 0) {
		memcpy(s->out->content_sha256, hex, sizeof(hex));
		return add_header(s, "x-amz-content-sha256",
		    s->out->content_sha256);
	}
	return 0;
}

/*
 * Presigning puts the authentication in the query; the signed header list
 * is needed first, so the headers are canonicalised before the query.
 */
static int
presign_params(struct signer *s)
{
	char expires[24];
	struct buf cred;
	int rc;

	if (xsnprintf(expires, sizeof(expires), "%ld",
	    s->p->presign_expires) == -1)
		return fail(s, "bad lifetime");
	buf_init(&cred, SIGV4_MAX_TEXT);
	if (buf_printf(&cred, "%s/%s", s->c->access_key, s->scope.data) == -1)
		return fail(s, "credential too long");
	rc = canon_query_add(&s->query, "X-Amz-Algorithm", ALGORITHM, s->err,
	    s->errlen);
	if (rc == 0)
		rc = canon_query_add(&s->query, "X-Amz-Credential", cred.data,
		    s->err, s->errlen);
	if (rc == 0)
		rc = canon_query_add(&s->query, "X-Amz-Date", s->p->amz_date,
		    s->err, s->errlen);
	if (rc == 0)
		rc = canon_query_add(&s->query, "X-Amz-Expires", expires,
		    s->err, s->errlen);
	if (rc == 0)
		rc = canon_query_add(&s->query, "X-Amz-SignedHeaders",
		    s->signed_names.data, s->err, s->errlen);
	if (rc == 0 && s->c->session_token != NULL)
		rc = canon_query_add(&s->query, "X-Amz-Security-Token",
		    s->c->session_token, s->err, s->errlen);
	buf_free(&cred);
	return rc;
}

/* METHOD \n URI \n QUERY \n HEADERS \n SIGNED \n PAYLOAD (aws-protocols 2.1) */
static int
canonical_request(struct signer *s)
{
	struct buf block, *cr = &s->out->canonical;

	buf_init(&block, SIGV4_MAX_TEXT);
	if (buf_append(&block, "", 0) == -1 ||
	    canon_headers_write(&block, &s->signed_names, &s->headers) == -1)
		goto toolong;
	if (canon_query_parse(&s->query, s->r->query, s->err, s->errlen) == -1)
		goto out;
	if (s->p->presign_expires > 0 && presign_params(s) == -1)
		goto out;
	if (buf_printf(cr, "%s\n", s->r->method) == -1 ||
	    canon_uri(cr, s->r->path, s->p->s3, s->p->no_normalize) == -1 ||
	    buf_putc(cr, '\n') == -1 ||
	    canon_query_write(cr, &s->query) == -1 ||
	    buf_printf(cr, "\n%s\n%s\n%s", block.data, s->signed_names.data,
	    s->payload.data) == -1)
		goto toolong;
	buf_free(&block);
	return 0;
toolong:
	fail(s, "canonical request too long");
out:
	buf_free(&block);
	return -1;
}

static int
string_to_sign(struct signer *s)
{
	char hex[SHA256_HEX_LEN + 1];

	if (sha256_hex(s->out->canonical.data, s->out->canonical.len,
	    hex) == -1)
		return fail(s, "cannot hash the canonical request");
	if (buf_printf(&s->out->string_to_sign, ALGORITHM "\n%s\n%s\n%s",
	    s->p->amz_date, s->scope.data, hex) == -1)
		return fail(s, "string to sign too long");
	return 0;
}

/* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request") */
static int
derive_key(const struct sigv4_params *p, const char *secret,
    unsigned char key[SHA256_LEN])
{
	unsigned char k[SHA256_LEN];
	struct buf seed;
	int rc = -1;

	buf_init(&seed, 4096);
	if (buf_puts(&seed, "AWS4") == -1 || buf_puts(&seed, secret) == -1)
		goto out;
	if (hmac_sha256(seed.data, seed.len, p->amz_date, 8, k) == -1 ||
	    hmac_sha256(k, sizeof(k), p->region, strlen(p->region), k) == -1 ||
	    hmac_sha256(k, sizeof(k), p->service, strlen(p->service),
	    k) == -1 ||
	    hmac_sha256(k, sizeof(k), "aws4_request", 12, key) == -1)
		goto out;
	rc = 0;
out:
	wipe(k, sizeof(k));
	buf_wipe(&seed);
	return rc;
}

static int
signing_key(struct signer *s, struct sigv4_key_cache *cache,
    unsigned char key[SHA256_LEN])
{
	char id[sizeof(cache->scope)];

	if (xsnprintf(id, sizeof(id), "%s/%.8s/%s/%s", s->c->access_key,
	    s->p->amz_date, s->p->region, s->p->service) == -1)
		return fail(s, "credential scope too long");
	if (cache != NULL && cache->valid && strcmp(cache->scope, id) == 0) {
		memcpy(key, cache->key, SHA256_LEN);
		return 0;
	}
	if (derive_key(s->p, s->c->secret_key, key) == -1)
		return fail(s, "cannot derive the signing key");
	if (cache != NULL) {
		memcpy(cache->scope, id, sizeof(id));
		memcpy(cache->key, key, SHA256_LEN);
		cache->valid = 1;
	}
	return 0;
}

static int
sign(struct signer *s, struct sigv4_key_cache *cache)
{
	unsigned char key[SHA256_LEN], md[SHA256_LEN];
	int rc = -1;

	if (signing_key(s, cache, key) == -1)
		goto out;
	if (hmac_sha256(key, sizeof(key), s->out->string_to_sign.data,
	    s->out->string_to_sign.len, md) == -1) {
		fail(s, "cannot sign");
		goto out;
	}
	hex_encode(md, sizeof(md), s->out->signature);
	rc = 0;
out:
	wipe(key, sizeof(key));
	return rc;
}

static int
authorization(struct signer *s)
{
	if (buf_printf(&s->out->authorization, ALGORITHM " Credential=%s/%s, "
	    "SignedHeaders=%s, Signature=%s", s->c->access_key, s->scope.data,
	    s->signed_names.data, s->out->signature) == -1)
		return fail(s, "Authorization too long");
	return 0;
}

/*
 * The query to send: the request's own query as it was, then the X-Amz-*
 * parameters in the order AWS documents them, the signature last.
 */
static int
presigned_query(struct signer *s)
{
	struct buf *q = &s->out->query;
	struct buf v;
	int rc = -1;

	buf_init(&v, SIGV4_MAX_TEXT);
	if (buf_puts(q, s->r->query) == -1 ||
	    (*s->r->query != '\0' && buf_putc(q, '&') == -1) ||
	    buf_printf(q, "X-Amz-Algorithm=" ALGORITHM "&X-Amz-Credential=") ==
	    -1 || buf_printf(&v, "%s/%s", s->c->access_key, s->scope.data) ==
	    -1 || sigv4_uri_encode(q, v.data, v.len, 0) == -1 ||
	    buf_printf(q, "&X-Amz-Date=%s&X-Amz-SignedHeaders=",
	    s->p->amz_date) == -1 ||
	    sigv4_uri_encode(q, s->signed_names.data, s->signed_names.len,
	    0) == -1 ||
	    buf_printf(q, "&X-Amz-Expires=%ld", s->p->presign_expires) == -1)
		goto out;
	if (s->c->session_token != NULL &&
	    (buf_puts(q, "&X-Amz-Security-Token=") == -1 ||
	    sigv4_uri_encode(q, s->c->session_token,
	    strlen(s->c->session_token), 0) == -1))
		goto out;
	if (buf_printf(q, "&X-Amz-Signature=%s", s->out->signature) == -1)
		goto out;
	rc = 0;
out:
	buf_free(&v);
	return rc == 0 ? 0 : fail(s, "presigned query too long");
}

static void
result_init(struct sigv4_result *out)
{
	memset(out, 0, sizeof(*out));
	buf_init(&out->canonical, SIGV4_MAX_TEXT);
	buf_init(&out->string_to_sign, SIGV4_MAX_TEXT);
	buf_init(&out->authorization, SIGV4_MAX_TEXT);
	buf_init(&out->query, SIGV4_MAX_TEXT);
}

static void
signer_free(struct signer *s)
{
	canon_headers_free(&s->headers);
	canon_query_free(&s->query);
	buf_free(&s->scope);
	buf_free(&s->signed_names);
	buf_free(&s->payload);
}

int
sigv4_sign(const struct sigv4_params *params,
    const struct sigv4_creds *creds, const struct sigv4_request *req,
    struct sigv4_key_cache *cache, struct sigv4_result *out,
    char *err, size_t errlen)
{
	struct signer s;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	s.p = params;
	s.c = creds;
	s.r = req;
	s.out = out;
	s.err = err;
	s.errlen = errlen;
	buf_init(&s.scope, 256);
	buf_init(&s.signed_names, SIGV4_MAX_TEXT);
	buf_init(&s.payload, 4096);
	result_init(out);
	if (buf_append(&s.signed_names, "", 0) == -1 ||
	    buf_append(&s.payload, "", 0) == -1) {
		fail(&s, "out of memory");
		goto out;
	}
	if (check_inputs(&s) == -1 || build_scope(&s) == -1 ||
	    collect_headers(&s) == -1 || payload_hash(&s) == -1 ||
	    canonical_request(&s) == -1 || string_to_sign(&s) == -1 ||
	    sign(&s, cache) == -1)
		goto out;
	if (params->presign_expires > 0 ? presigned_query(&s) :
	    authorization(&s))
		goto out;
	rc = 0;
out:
	signer_free(&s);
	if (rc == -1)
		sigv4_result_free(out);
	return rc;
}

void
sigv4_result_free(struct sigv4_result *out)
{
	/* The presigned query may hold the session token. */
	buf_wipe(&out->canonical);
	buf_wipe(&out->string_to_sign);
	buf_wipe(&out->authorization);
	buf_wipe(&out->query);
	wipe(out->signature, sizeof(out->signature));
	out->security_token = NULL;
}

void
sigv4_cache_wipe(struct sigv4_key_cache *cache)
{
	wipe(cache, sizeof(*cache));
}
