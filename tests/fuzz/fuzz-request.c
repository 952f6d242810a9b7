/*
 * fuzz-request.c - request.json as accel-local loads it (local_parse, the
 * part of local_load after the read and before the host is probed), then
 * the config files built from it.  A request may come from anywhere a
 * user copied it from, so whatever its bytes, a job that loads must keep
 * what the /opt/ml tree relies on: a valid job name, hosts and channels
 * within their limits, an archive beside the request.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "local.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct local_job *job)
{
	size_t n = strlen(job->name);

	if (n == 0 || n > LOCAL_JOB_NAME_MAX || job->nhosts < 1 ||
	    job->nhosts > LOCAL_MAX_HOSTS || job->nch > LOCAL_MAX_CHANNELS ||
	    job->archive == NULL || strchr(job->archive, '/') != NULL ||
	    job->entry == NULL || job->instance_type == NULL ||
	    job->hps == NULL || job->ckpt[0] == '\0' ||
	    strstr(job->ckpt, "..") != NULL)
		abort();
	for (size_t i = 0; i < job->nch; i++)
		if (job->ch[i].name == NULL || strchr(job->ch[i].name, '/') ||
		    strcmp(job->ch[i].name, "..") == 0)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct local_job job;
	char base[PATH_MAX];
	cJSON *v;

	accel_prog = "fuzz-request";
	if (size > LOCAL_REQUEST_MAX)
		return 0;
	if (local_parse(&job, (const char *)data, size, "/tmp/request.json",
	    NULL, (int)(size & 1)) == 0) {
		check(&job);
		(void)local_host_base(&job, job.nhosts, base, sizeof base);
		v = local_resource_config(&job, job.nhosts);
		cJSON_Delete(v);
		v = local_input_config(&job);
		cJSON_Delete(v);
	}
	local_free(&job);
	return 0;
}
