/*
 * fuzz-rawreq.c - rawreq_parse on arbitrary bytes, then the signer on
 * whatever parses (header and presigned modes, S3 and not): neither may
 * crash, leak or read out of bounds, and a parsed request must hold
 * together (body inside the input, every header named).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rawreq.h"
#include "sigv4.h"

static void
sign(const struct rawreq *rq, int s3, long presign)
{
	static const struct sigv4_creds creds = { "AKIDEXAMPLE",
	    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "token/+=" };
	struct sigv4_header hdrs[RAWREQ_MAX_HEADERS];
	struct sigv4_params p = { .region = "us-east-1",
	    .service = s3 ? "s3" : "service", .amz_date = "20150830T123600Z",
	    .s3 = s3, .sign_body = !s3, .presign_expires = presign };
	struct sigv4_request req;
	struct sigv4_result res;
	char err[128];
	size_t i;

	for (i = 0; i < rq->nheaders; i++) {
		hdrs[i].name = rq->headers[i].name;
		hdrs[i].value = rq->headers[i].value;
	}
	req = (struct sigv4_request){ rq->method, rq->path, rq->query, hdrs,
	    rq->nheaders, rq->body, rq->body_len };
	if (sigv4_sign(&p, &creds, &req, NULL, &res, err, sizeof(err)) == 0) {
		if (strlen(res.signature) != 64)
			abort();
		sigv4_result_free(&res);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rawreq rq;
	char err[128];
	size_t i;

	if (rawreq_parse(&rq, (const char *)data, size, err, sizeof(err)) ==
	    -1)
		return 0;
	if (rq.body < (const char *)data ||
	    rq.body + rq.body_len != (const char *)data + size ||
	    rq.head_len > size || rq.path[0] != '/')
		abort();
	for (i = 0; i < rq.nheaders; i++)
		if (rq.headers[i].name[0] == '\0')
			abort();
	sign(&rq, 0, 0);
	sign(&rq, 1, 0);
	sign(&rq, 0, 3600);
	sign(&rq, 1, 60);
	rawreq_free(&rq);
	return 0;
}
