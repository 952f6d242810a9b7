/*
 * sagemaker.h - the SageMaker training-job operations (JSON 1.1).  Inputs
 * and answers are cJSON trees; the request body of CreateTrainingJob is
 * written by accel-request and sent as it is.
 */
#ifndef ACCEL_SAGEMAKER_H
#define ACCEL_SAGEMAKER_H

#include "aws.h"

#define SAGEMAKER_MAX_ARN 2048

/* CreateTrainingJob; ARN gets the TrainingJobArn of the answer. */
int sagemaker_create_training_job(struct aws_client *c, const cJSON *request,
    char arn[SAGEMAKER_MAX_ARN], struct aws_error *e);

/* DescribeTrainingJob: the whole answer in *OUT (cJSON_Delete it). */
int sagemaker_describe_training_job(struct aws_client *c, const char *name,
    cJSON **out, struct aws_error *e);

int sagemaker_stop_training_job(struct aws_client *c, const char *name,
    struct aws_error *e);

/*
 * ListTrainingJobs: one page.  FILTERS (may be NULL) holds NameContains,
 * StatusEquals, MaxResults, ...; NEXT_TOKEN (may be NULL) continues.
 */
int sagemaker_list_training_jobs(struct aws_client *c, const cJSON *filters,
    const char *next_token, cJSON **out, struct aws_error *e);

/*
 * sagemaker_job_status: TrainingJobStatus and SecondaryStatus of a
 * DescribeTrainingJob answer (NULL when absent): the fields accel-wait
 * reads, checked to be strings.
 */
const char *sagemaker_job_status(const cJSON *describe,
    const char **secondary);

#endif
