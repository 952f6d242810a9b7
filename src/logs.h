/*
 * logs.h - CloudWatch Logs reads for following a training job (JSON 1.1):
 * the streams of a group (all pages) and the events of a stream, page by
 * page with forward tokens.
 */
#ifndef ACCEL_LOGS_H
#define ACCEL_LOGS_H

#include "aws.h"

#define LOGS_MAX_PAGES 1000		/* DescribeLogStreams pages followed */
#define LOGS_MAX_TOKEN 1024		/* a forward token we keep */

/*
 * logs_describe_log_streams: every stream of GROUP whose name starts with
 * PREFIX (may be NULL), following nextToken; *STREAMS is a cJSON array of
 * the answers' logStreams entries.
 */
int logs_describe_log_streams(struct aws_client *c, const char *group,
    const char *prefix, cJSON **streams, struct aws_error *e);

/*
 * logs_get_log_events: one page of events of STREAM, from the head when
 * TOKEN is "" and from TOKEN otherwise.  *EVENTS is the answer's events
 * array (detached: cJSON_Delete it); TOKEN is replaced by
 * nextForwardToken.  *DONE is set when the page was empty or the token
 * came back unchanged: the stream has nothing more for now.
 */
int logs_get_log_events(struct aws_client *c, const char *group,
    const char *stream, char token[LOGS_MAX_TOKEN], cJSON **events,
    int *done, struct aws_error *e);

/*
 * The answers' handling, apart from the calls (and fuzzed alone):
 * logs_streams_page moves PAGE's logStreams entries to the array ALL and
 * returns its nextToken (NULL when none: the last page);
 * logs_events_page detaches PAGE's events into *EVENTS, replaces TOKEN by
 * nextForwardToken and sets *DONE as logs_get_log_events says, or returns
 * -1 with WHY for a malformed answer.
 */
const char *logs_streams_page(cJSON *page, cJSON *all);
int logs_events_page(cJSON *page, char token[LOGS_MAX_TOKEN],
    cJSON **events, int *done, const char **why);

#endif
