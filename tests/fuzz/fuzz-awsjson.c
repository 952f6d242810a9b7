/*
 * fuzz-awsjson.c - the AWS answer readers on arbitrary bytes: the error
 * parser (JSON 1.1, query and S3 XML, plain text), with and without an
 * x-amzn-ErrorType header and request id taken from the first line.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "aws.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *nl;
	char header[256], text[1024];
	struct aws_error e;
	size_t n;

	memset(&e, 0, sizeof e);
	aws_parse_error_body(400, NULL, NULL, p, size, &e);
	aws_error_text(&e, text, sizeof text);
	nl = memchr(p, '\n', size);
	if (nl != NULL && (n = (size_t)(nl - p)) < sizeof header) {
		memcpy(header, p, n);
		header[n] = '\0';
		memset(&e, 0, sizeof e);
		aws_parse_error_body(503, header, header, nl + 1,
		    size - n - 1, &e);
		aws_error_text(&e, text, sizeof text);
	}
	return 0;
}
