/*
 * test-images.c - image URI resolution against URIs the SDK documents
 * (sagemaker-api.md 9.2, its worked example 4.3), and the compiled-in
 * table against templates/huggingface-image-uris.json byte for byte.
 */
#include <stdlib.h>

#include "check.h"
#include "images.h"
#include "util.h"

#define HF "huggingface-pytorch-training:"

static void
test_processor(void)
{
	static const struct {
		const char *type, *want;
	} rows[] = {
		{ "local", "cpu" }, { "local_gpu", "gpu" },
		{ "ml.g5.xlarge", "gpu" }, { "ml.p4d.24xlarge", "gpu" },
		{ "ml.p3.2xlarge", "gpu" }, { "ml.c5.xlarge", "cpu" },
		{ "ml.m5.large", "cpu" }, { "ml.inf2.xlarge", "inf" },
		{ "ml.trn1.32xlarge", "trn" }, { "ml_g5.xlarge", "gpu" },
		{ "ml.g5", "gpu" }, { "ml.p6-b200.48xlarge", "gpu" },
		{ "g5.xlarge", NULL }, { "ml.", NULL }, { "ml.G5.xlarge", NULL },
		{ "ml.g5.x.large", NULL }, { "", NULL }, { "local-gpu", NULL },
	};
	const char *got;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		got = images_processor(rows[i].type);
		if (rows[i].want == NULL)
			CHECK(rows[i].type, got == NULL);
		else
			CHECK_STREQ(rows[i].type, got, rows[i].want);
	}
}

static void
test_resolve(void)
{
	static const struct {
		const char *region, *tv, *pv, *py, *type, *want;
		enum images_field bad;
	} rows[] = {
		/* sagemaker-api.md 9.2 and 4.3 */
		{ "us-east-1", "4.17.0", "1.10.2", "py38", "ml.p3.2xlarge",
		    "763104351884.dkr.ecr.us-east-1.amazonaws.com/" HF
		    "1.10.2-transformers4.17.0-gpu-py38-cu113-ubuntu20.04", 0 },
		{ "us-east-1", "4.17", "1.10", "py38", "ml.g5.xlarge",
		    "763104351884.dkr.ecr.us-east-1.amazonaws.com/" HF
		    "1.10-transformers4.17-gpu-py38-cu113-ubuntu20.04", 0 },
		{ "cn-north-1", "4.26.0", "1.13.1", "py39", "local_gpu",
		    "727897471807.dkr.ecr.cn-north-1.amazonaws.com.cn/" HF
		    "1.13.1-transformers4.26.0-gpu-py39-cu117-ubuntu20.04", 0 },
		{ "us-iso-east-1", "4.17.0", "1.10.2", "py38", "ml.p3.2xlarge",
		    "886529160074.dkr.ecr.us-iso-east-1.c2s.ic.gov/" HF
		    "1.10.2-transformers4.17.0-gpu-py38-cu113-ubuntu20.04", 0 },
		{ "us-isob-east-1", "4.17.0", "1.10.2", "py38", "ml.p3.2xlarge",
		    "094389454867.dkr.ecr.us-isob-east-1.sc2s.sgov.gov/" HF
		    "1.10.2-transformers4.17.0-gpu-py38-cu113-ubuntu20.04", 0 },
		/* no container_version in the entry: the SDK's default */
		{ "eu-west-1", "4.4.2", "1.6.0", "py36", "ml.p3.2xlarge",
		    "763104351884.dkr.ecr.eu-west-1.amazonaws.com/" HF
		    "1.6.0-transformers4.4.2-gpu-py36-cu110-ubuntu18.04", 0 },
		{ "us-west-2", "4.56.2", "2.8.0", "py312", "ml.g6.xlarge",
		    "763104351884.dkr.ecr.us-west-2.amazonaws.com/" HF
		    "2.8.0-transformers4.56.2-gpu-py312-cu129-ubuntu22.04", 0 },
		{ "us-gov-west-1", "4.49.0", "2.5.1", "py311", "ml.p4d.24xlarge",
		    "442386744353.dkr.ecr.us-gov-west-1.amazonaws.com/" HF
		    "2.5.1-transformers4.49.0-gpu-py311-cu124-ubuntu22.04", 0 },
		/* failures, each naming the input at fault */
		{ "us-east-1", "4.17.0", "1.10.2", "py38", "ml.c5.xlarge", NULL,
		    IMAGES_FIELD_INSTANCE },
		{ "us-east-1", "4.17.0", "1.10.2", "py38", "local", NULL,
		    IMAGES_FIELD_INSTANCE },
		{ "us-east-1", "4.17.0", "1.10.2", "py38", "ml.trn1.2xlarge",
		    NULL, IMAGES_FIELD_INSTANCE },
		{ "us-east-1", "4.17.0", "1.10.2", "py38", "p3.2xlarge", NULL,
		    IMAGES_FIELD_INSTANCE },
		{ "us-east-1", "4.99.0", "1.10.2", "py38", "ml.g5.xlarge", NULL,
		    IMAGES_FIELD_TRANSFORMERS },
		{ "us-east-1", "version_aliases", "x", "py38", "ml.g5.xlarge",
		    NULL, IMAGES_FIELD_TRANSFORMERS },
		{ "us-east-1", "4.17.0", "2.5.0", "py38", "ml.g5.xlarge", NULL,
		    IMAGES_FIELD_PYTORCH },
		{ "us-east-1", "4.17", "1.10.2", "py38", "ml.g5.xlarge", NULL,
		    IMAGES_FIELD_PYTORCH },
		{ "us-east-1", "4.17.0", "1.10.2", "py310", "ml.g5.xlarge", NULL,
		    IMAGES_FIELD_PY },
		{ "ap-south-2", "4.26.0", "1.13.1", "py39", "ml.g5.xlarge", NULL,
		    IMAGES_FIELD_REGION },
	};
	char uri[IMAGES_URI_MAX], err[IMAGES_ERR_MAX], name[128];
	enum images_field bad;
	int rc;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		rc = images_resolve_field(rows[i].region, rows[i].tv,
		    rows[i].pv, rows[i].py, rows[i].type, uri, sizeof uri, err,
		    sizeof err, &bad);
		snprintf(name, sizeof name, "%s %s %s %s %s", rows[i].region,
		    rows[i].tv, rows[i].pv, rows[i].py, rows[i].type);
		if (rows[i].want != NULL) {
			CHECK_STREQ(name, rc == 0 ? uri : err, rows[i].want);
		} else {
			CHECK(name, rc == -1 && uri[0] == '\0' && err[0] != '\0');
			CHECK_INTEQ(name, bad, rows[i].bad);
		}
	}
}

static void
test_messages(void)
{
	char uri[IMAGES_URI_MAX], err[IMAGES_ERR_MAX];

	images_resolve("us-east-1", "4.17.0", "1.10.2", "py38", "ml.c5.xlarge",
	    uri, sizeof uri, err, sizeof err);
	CHECK_STREQ("cpu message", err, "the Hugging Face training images are "
	    "GPU-only and 'ml.c5.xlarge' is a CPU instance type: set image_uri "
	    "to a training image for it, or use a GPU instance type (ml.g*, "
	    "ml.p*, local_gpu)");
	images_resolve("us-east-1", "4.17.0", "1.10.2", "py310", "ml.g5.xlarge",
	    uri, sizeof uri, err, sizeof err);
	CHECK_STREQ("py message", err, "no Hugging Face training image for "
	    "py_version py310 with transformers_version 4.17.0 and "
	    "pytorch_version 1.10.2; supported: py38");
	images_resolve("us-east-1", "4.17.0", "2.0.0", "py38", "ml.g5.xlarge",
	    uri, sizeof uri, err, sizeof err);
	CHECK_STREQ("pytorch message", err, "no Hugging Face training image "
	    "for pytorch_version 2.0.0 with transformers_version 4.17.0; "
	    "supported: 1.10.2");
	CHECK("tiny uri buffer fails", images_resolve("us-east-1", "4.17.0",
	    "1.10.2", "py38", "ml.g5.xlarge", uri, 20, err, sizeof err) == -1);
}

static void
test_table_copy(void)
{
	const char *top = getenv("TOP");
	char path[4096];
	struct buf b;

	if (top == NULL || xsnprintf(path, sizeof path,
	    "%s/templates/huggingface-image-uris.json", top) == -1 ||
	    read_file(path, 1 << 20, &b) == -1) {
		CHECK("templates/huggingface-image-uris.json readable", 0);
		return;
	}
	CHECK("compiled-in table equals templates/ byte for byte",
	    b.len == images_table_len &&
	    memcmp(b.data, images_table_json, b.len) == 0);
	buf_free(&b);
}

int
main(void)
{
	test_processor();
	test_resolve();
	test_messages();
	test_table_copy();
	return check_done();
}
