/*
 * fetchverify.c - the ETag check of a downloaded object, fed the bytes in
 * order (the extractor's read pass), so the file is read once.  See fetch.h.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "fetch.h"
#include "util.h"

#define MIB (1LL << 20)

/* One way the object may have been cut: a part size, with its MD5s. */
struct guess {
	long long part;
	long long in_part;		/* bytes of the current part so far */
	struct md5_ctx *md5;		/* the current part */
	struct md5_ctx *outer;		/* MD5 of the part MD5s */
};

struct etag_check {
	char hex[2 * MD5_LEN + 1];	/* the ETag's digest, lower case */
	long parts;			/* the "-N"; 0: a single PUT */
	long long size;
	int nguess;
	struct guess g[ETAG_MAX_GUESSES];
	char why[160];			/* set when nothing can be checked */
};

/* Part sizes in the order uploaders are likely to use them. */
static const long long sizes_mib[] = {
	8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096,	/* aws-cli, doubled */
	5, 10, 15, 25, 50, 100, 200, 500, 1000,		/* others' choices */
};

/* Parse "hex" or "hex-N", quoted or not. */
static int
parse_etag(struct etag_check *c, const char *etag)
{
	size_t n = strlen(etag), i;
	long parts = 0;
	const char *dash;

	if (n >= 2 && etag[0] == '"' && etag[n - 1] == '"') {
		etag++;
		n -= 2;
	}
	if (n < 2 * MD5_LEN)
		return -1;
	for (i = 0; i < 2 * MD5_LEN; i++) {
		if (!isxdigit((unsigned char)etag[i]))
			return -1;
		c->hex[i] = (char)tolower((unsigned char)etag[i]);
	}
	c->hex[i] = '\0';
	dash = etag + 2 * MD5_LEN;
	if (n > 2 * MD5_LEN) {
		if (*dash != '-')
			return -1;
		for (i = 2 * MD5_LEN + 1; i < n; i++) {
			if (!isdigit((unsigned char)etag[i]) || parts > 100000)
				return -1;
			parts = parts * 10 + (etag[i] - '0');
		}
		if (parts < 1)
			return -1;
	}
	c->parts = parts;
	return 0;
}

static int
add_guess(struct etag_check *c, long long part)
{
	struct guess *g = &c->g[c->nguess];

	g->part = part;
	g->md5 = md5_new();
	g->outer = md5_new();
	c->nguess++;
	return g->md5 && g->outer ? 0 : -1;
}

struct etag_check *
etag_check_new(const char *etag, long long size)
{
	struct etag_check *c = calloc(1, sizeof *c);
	long long p;
	size_t i;

	if (c == NULL)
		return NULL;
	c->size = size;
	if (parse_etag(c, etag) == -1) {
		snprintf(c->why, sizeof c->why, "the ETag %s is not an MD5 "
		    "(SSE-KMS or SSE-C): only the size was checked", etag);
		return c;
	}
	if (c->parts == 0)
		return add_guess(c, LLONG_MAX) == 0 ? c : NULL;
	for (i = 0; i < sizeof sizes_mib / sizeof sizes_mib[0] &&
	    c->nguess < ETAG_MAX_GUESSES; i++) {
		p = sizes_mib[i] * MIB;
		if ((c->parts - 1) * p < size && size <= c->parts * p &&
		    add_guess(c, p) == -1)
			goto fail;
	}
	if (c->nguess == 0)
		snprintf(c->why, sizeof c->why, "the ETag %s names %ld parts "
		    "of a size no common uploader uses: only the size was "
		    "checked", etag, c->parts);
	return c;
fail:
	c->why[0] = '\0';
	etag_check_final(c, NULL, 0);
	return NULL;
}

/* Close the current part of G into its outer MD5. */
static int
end_part(struct guess *g)
{
	unsigned char md[MD5_LEN];
	int rc = md5_final(g->md5, md);

	g->md5 = md5_new();
	g->in_part = 0;
	if (rc == -1 || g->md5 == NULL)
		return -1;
	return md5_update(g->outer, md, sizeof md);
}

static int
feed(struct guess *g, const unsigned char *p, size_t n)
{
	size_t take;

	while (n > 0) {
		take = (long long)n < g->part - g->in_part ? n :
		    (size_t)(g->part - g->in_part);
		if (md5_update(g->md5, p, take) == -1)
			return -1;
		g->in_part += (long long)take;
		p += take;
		n -= take;
		if (g->in_part == g->part && end_part(g) == -1)
			return -1;
	}
	return 0;
}

int
etag_check_update(struct etag_check *c, const void *p, size_t n)
{
	int i;

	for (i = 0; i < c->nguess; i++)
		if (feed(&c->g[i], p, n) == -1)
			return -1;
	return 0;
}

static int
guess_matches(struct etag_check *c, struct guess *g)
{
	unsigned char md[MD5_LEN];
	char hex[2 * MD5_LEN + 1];

	if (c->parts == 0) {
		if (md5_final(g->md5, md) == -1)
			return 0;
		g->md5 = NULL;
	} else {
		if (g->in_part > 0 && end_part(g) == -1)
			return 0;
		if (md5_final(g->outer, md) == -1)
			return 0;
		g->outer = NULL;
	}
	hex_encode(md, sizeof md, hex);
	return strcmp(hex, c->hex) == 0;
}

enum etag_result
etag_check_final(struct etag_check *c, char *why, size_t whylen)
{
	enum etag_result r = ETAG_MISMATCH;
	int i, matched = -1;

	for (i = 0; i < c->nguess; i++)
		if (matched == -1 && guess_matches(c, &c->g[i]))
			matched = i;
	if (c->nguess == 0) {
		r = ETAG_UNCHECKED;
		if (why != NULL)
			snprintf(why, whylen, "%s", c->why);
	} else if (matched >= 0) {
		r = ETAG_MATCH;
		if (why != NULL && c->parts > 0)
			snprintf(why, whylen, "size and ETag (%ld parts of "
			    "%lld MiB) verified", c->parts,
			    c->g[matched].part / MIB);
		else if (why != NULL)
			snprintf(why, whylen, "size and ETag (MD5) verified");
	} else if (why != NULL && c->parts > 0)
		snprintf(why, whylen, "the bytes do not match the ETag "
		    "%s-%ld (with any common part size)", c->hex, c->parts);
	else if (why != NULL)
		snprintf(why, whylen, "the bytes do not match the ETag %s",
		    c->hex);
	for (i = 0; i < c->nguess; i++) {
		md5_free(c->g[i].md5);
		md5_free(c->g[i].outer);
	}
	free(c);
	return r;
}
