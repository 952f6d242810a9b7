/*
 * localdocker.c - the docker run command of SDK local mode for one host
 * (container-contract.md §8, §11.2): the job root mounted at /opt/ml, each
 * channel mounted on its input/data directory, the platform's variables
 * passed by name (their values stay out of argv), GPUs for local_gpu, and
 * the image's "train" program.
 */
#include <stdlib.h>
#include <string.h>

#include "local.h"

#define DOCKER_MAX_ARGS (32 + 2 * LOCAL_MAX_CHANNELS + 2 * 128)

static int
add(char **v, size_t *n, const char *fmt, const char *a, const char *b)
{
	struct buf s;

	if (*n >= DOCKER_MAX_ARGS)
		return -1;
	buf_init(&s, 2 * PATH_MAX + 64);
	if (buf_printf(&s, fmt, a, b) == -1)
		return -1;
	v[(*n)++] = s.data;
	return 0;
}

/*
 * The image and what it runs (§3): "train", or ContainerEntrypoint (its
 * first word as --entrypoint) and ContainerArguments after the image.
 */
static int
command(char **v, size_t *n, const struct local_job *job)
{
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(job->req,
	    "AlgorithmSpecification");
	const cJSON *ep = cJSON_GetObjectItemCaseSensitive(spec,
	    "ContainerEntrypoint");
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(spec,
	    "ContainerArguments"), *c;
	int rc = 0;

	if (cJSON_IsArray(ep) && cJSON_IsString(ep->child))
		rc |= add(v, n, "--entrypoint=%s%s", ep->child->valuestring, "");
	rc |= add(v, n, "%s%s", job->image, "");
	if (cJSON_IsArray(ep) && cJSON_IsString(ep->child))
		for (c = ep->child->next; c != NULL; c = c->next)
			rc |= cJSON_IsString(c) ? add(v, n, "%s%s",
			    c->valuestring, "") : -1;
	if (cJSON_IsArray(args))
		cJSON_ArrayForEach(c, args)
			rc |= cJSON_IsString(c) ? add(v, n, "%s%s",
			    c->valuestring, "") : -1;
	else if (!cJSON_IsArray(ep))
		rc |= add(v, n, "%s%s", "train", "");
	return rc;
}

char **
local_docker_argv(const struct local_job *job)
{
	char **v = calloc(DOCKER_MAX_ARGS + 1, sizeof *v);
	char docker[PATH_MAX];
	const cJSON *c;
	size_t n = 0;
	int rc = 0;

	if (v == NULL)
		return NULL;
	if (local_which("docker", docker, sizeof docker) == -1)
		memcpy(docker, "docker", 7);
	rc |= add(v, &n, "%s%s", docker, "");
	rc |= add(v, &n, "%s%s", "run", "");
	rc |= add(v, &n, "%s%s", "--rm", "");
	rc |= add(v, &n, "--name=%s-%s", job->name, "algo-1");
	rc |= add(v, &n, "--hostname=%s%s", "algo-1", "");
	rc |= add(v, &n, "--volume=%s:%s", job->base, "/opt/ml");
	for (size_t i = 0; i < job->nch; i++)
		rc |= add(v, &n, "--volume=%s:/opt/ml/input/data/%s",
		    job->ch[i].src, job->ch[i].name);
	if (job->region[0] != '\0')
		rc |= add(v, &n, "--env=%s%s", "AWS_REGION", "");
	rc |= add(v, &n, "--env=%s%s", "TRAINING_JOB_NAME", "");
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(job->req,
	    "Environment"))
		if (cJSON_IsString(c))
			rc |= add(v, &n, "--env=%s%s", c->string, "");
	if (job->creds != NULL && job->creds->mode != LOCAL_CREDS_NONE) {
		/* by name: the values stay in the docker CLI's environment */
		rc |= add(v, &n, "--env=%s%s", "AWS_ACCESS_KEY_ID", "");
		rc |= add(v, &n, "--env=%s%s", "AWS_SECRET_ACCESS_KEY", "");
		if (job->creds->session_token[0] != '\0')
			rc |= add(v, &n, "--env=%s%s", "AWS_SESSION_TOKEN",
			    "");
	}
	if (strcmp(job->instance_type, "local_gpu") == 0)
		rc |= add(v, &n, "%s%s", "--gpus=all", "");
	rc |= command(v, &n, job);
	if (rc != 0) {
		local_strv_free(v);
		accel_err("cannot build the docker command");
		return NULL;
	}
	return v;
}
