/*
 * localend.c - the end of a job as SageMaker reports it: the waiter's
 * status lines (sagemaker-api.md §12.4), the toolkit's failure text
 * (container-contract.md §6.12) and a status.json shaped like
 * DescribeTrainingJob.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "local.h"

#define FAILURE_MAX (1024 * 1024)	/* output/failure we read back */
#define FAILURE_REASON_CHARS 1024	/* DescribeTrainingJob.FailureReason */
#define STATUS_MAX (4 * 1024 * 1024)	/* status.json */

double
local_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)(ts.tv_nsec / 1000000) / 1000.0;
}

/* "YYYY-mm-dd HH:MM:SS Status - Message", the time in UTC. */
void
local_status_line(const char *status, const char *message)
{
	time_t t = time(NULL);
	struct tm tm;
	char when[32];

	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	printf("%s %s - %s\n", when, status, message);
	fflush(stdout);
}

static int
join_argv(struct buf *b, char *const argv[])
{
	for (size_t i = 0; argv[i] != NULL; i++)
		if (buf_printf(b, "%s%s", i > 0 ? " " : "", argv[i]) == -1)
			return -1;
	return 0;
}

/*
 * output/failure with the toolkit's text, unless the script wrote one (the
 * user's file wins, as in trainer.train).  CLASS is ExecuteUserScriptError
 * or InstallRequirementsError.
 */
int
local_write_failure(const char *base, const char *class, int status,
    const char *message, char *const argv[])
{
	char path[PATH_MAX];
	struct buf b;
	int rc;

	if (xsnprintf(path, sizeof path, "%s/output/failure", base) == -1)
		return accel_err("'%s': path too long", base);
	if (access(path, F_OK) == 0)
		return 0;
	buf_init(&b, FAILURE_MAX);
	rc = buf_printf(&b, "%s:\nExitCode %d\nErrorMessage \"%s\"\n", class,
	    status, message != NULL ? message : "");
	if (rc == 0 && status == 137)
		rc = buf_puts(&b, "ExtraInfo \"OutOfMemory: Process killed by "
		    "SIGKILL (signal 9)\"\n");
	if (rc == 0)
		rc = buf_puts(&b, "Command \"") == 0 && join_argv(&b, argv) ==
		    0 && buf_puts(&b, "\"") == 0 ? 0 : -1;
	if (rc == -1) {
		buf_free(&b);
		return accel_err("cannot format the failure text");
	}
	rc = write_fresh(path, b.data, b.len);
	buf_free(&b);
	return rc;
}

/* The first 1024 characters (not bytes) of output/failure. */
char *
local_failure_reason(const char *base)
{
	char path[PATH_MAX];
	struct buf b;
	size_t i, chars = 0;

	if (xsnprintf(path, sizeof path, "%s/output/failure", base) == -1 ||
	    access(path, F_OK) == -1 || read_file(path, FAILURE_MAX, &b) == -1)
		return NULL;
	for (i = 0; i < b.len; i++) {
		if (((unsigned char)b.data[i] & 0xc0) == 0x80)
			continue;	/* a continuation byte */
		if (chars++ == FAILURE_REASON_CHARS)
			break;
	}
	b.data[i] = '\0';
	return b.data;
}

static void
add_copy(cJSON *to, const cJSON *from, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, key);

	if (v != NULL)
		cJSON_AddItemToObject(to, key, cJSON_Duplicate(v, 1));
}

static cJSON *
transition(const char *status, double start, double end, const char *msg)
{
	cJSON *t = cJSON_CreateObject();

	cJSON_AddStringToObject(t, "Status", status);
	cJSON_AddNumberToObject(t, "StartTime", start);
	if (end > 0)
		cJSON_AddNumberToObject(t, "EndTime", end);
	cJSON_AddStringToObject(t, "StatusMessage", msg);
	return t;
}

static const char *const final_status[][2] = {
	[LOCAL_COMPLETED] = { "Completed", "Training job completed" },
	[LOCAL_FAILED] = { "Failed", "Training job failed" },
	[LOCAL_STOPPED] = { "Stopped", "Training job stopped" },
};

const char *
local_outcome_name(enum local_outcome o)
{
	return final_status[o][0];
}

const char *
local_outcome_message(enum local_outcome o)
{
	return final_status[o][1];
}

/*
 * status.json: the DescribeTrainingJob fields a fetcher or a person reads,
 * times in epoch seconds as the API's JSON has them, the model as a
 * file:// URI.
 */
int
local_write_status(const struct local_job *job, const struct local_times *t,
    enum local_outcome o, const char *reason)
{
	cJSON *s = cJSON_CreateObject(), *tr = cJSON_CreateArray(), *m;
	char uri[PATH_MAX + 64], path[PATH_MAX];
	char *text = NULL;
	int rc = -1;

	if (s == NULL || tr == NULL)
		goto out;
	cJSON_AddStringToObject(s, "TrainingJobName", job->name);
	cJSON_AddStringToObject(s, "TrainingJobStatus", local_outcome_name(o));
	cJSON_AddStringToObject(s, "SecondaryStatus", local_outcome_name(o));
	if (o == LOCAL_FAILED)
		cJSON_AddStringToObject(s, "FailureReason",
		    reason != NULL ? reason : "");
	if (xsnprintf(uri, sizeof uri, "file://%s/output/model.tar.gz",
	    job->base) == -1)
		goto out;
	m = cJSON_AddObjectToObject(s, "ModelArtifacts");
	cJSON_AddStringToObject(m, "S3ModelArtifacts", uri);
	if (xsnprintf(uri, sizeof uri, "file://%s/", job->root) == -1)
		goto out;
	m = cJSON_AddObjectToObject(s, "OutputDataConfig");
	cJSON_AddStringToObject(m, "S3OutputPath", uri);
	add_copy(s, job->req, "AlgorithmSpecification");
	add_copy(s, job->req, "ResourceConfig");
	add_copy(s, job->req, "StoppingCondition");
	add_copy(s, job->req, "InputDataConfig");
	add_copy(s, job->req, "CheckpointConfig");
	cJSON_AddItemToObject(s, "HyperParameters", cJSON_Duplicate(job->hps,
	    1));
	cJSON_AddNumberToObject(s, "CreationTime", t->created);
	cJSON_AddNumberToObject(s, "TrainingStartTime", t->train_start);
	cJSON_AddNumberToObject(s, "TrainingEndTime", t->train_end);
	cJSON_AddNumberToObject(s, "LastModifiedTime", t->ended);
	cJSON_AddNumberToObject(s, "TrainingTimeInSeconds",
	    (double)(long)(t->train_end - t->train_start + 0.5));
	cJSON_AddItemToArray(tr, transition("Starting", t->created,
	    t->train_start, "Preparing the instances for training"));
	cJSON_AddItemToArray(tr, transition("Training", t->train_start,
	    t->train_end, "Training image download completed. Training in "
	    "progress."));
	cJSON_AddItemToArray(tr, transition("Uploading", t->train_end,
	    t->ended, "Uploading generated training model"));
	cJSON_AddItemToArray(tr, transition(local_outcome_name(o), t->ended, 0,
	    local_outcome_message(o)));
	cJSON_AddItemToObject(s, "SecondaryStatusTransitions", tr);
	tr = NULL;
	if ((text = json_dump_file_text(s, STATUS_MAX)) == NULL ||
	    xsnprintf(path, sizeof path, "%s/status.json", job->root) == -1) {
		accel_err("cannot format status.json");
		goto out;
	}
	rc = write_output(path, text, strlen(text)) == -1 ? -1 : 0;
out:
	free(text);
	cJSON_Delete(tr);
	cJSON_Delete(s);
	return rc;
}
