/* logs.c - DescribeLogStreams (paged) and GetLogEvents (forward tokens). */
#include <stdio.h>
#include <string.h>

#include "logs.h"
#include "util.h"

static int
fail(struct aws_client *c, const char *op, const char *code,
    const char *msg, struct aws_error *e)
{
	memset(e, 0, sizeof *e);
	e->service = endpoint_service_title(c->ep.service);
	e->operation = op;
	snprintf(e->code, sizeof e->code, "%s", code);
	snprintf(e->message, sizeof e->message, "%s", msg);
	return -1;
}

static cJSON *
streams_input(const char *group, const char *prefix, const char *token)
{
	cJSON *in = cJSON_CreateObject();

	if (in == NULL ||
	    cJSON_AddStringToObject(in, "logGroupName", group) == NULL ||
	    (prefix != NULL && cJSON_AddStringToObject(in,
	    "logStreamNamePrefix", prefix) == NULL) ||
	    (token != NULL && cJSON_AddStringToObject(in, "nextToken",
	    token) == NULL)) {
		cJSON_Delete(in);
		return NULL;
	}
	return in;
}

const char *
logs_streams_page(cJSON *page, cJSON *all)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(page, "logStreams");
	const cJSON *next = cJSON_GetObjectItemCaseSensitive(page,
	    "nextToken");

	while (cJSON_IsArray(list) && list->child != NULL)
		cJSON_AddItemToArray(all, cJSON_DetachItemViaPointer(list,
		    list->child));
	return cJSON_IsString(next) && next->valuestring[0] != '\0' ?
	    next->valuestring : NULL;
}

int
logs_describe_log_streams(struct aws_client *c, const char *group,
    const char *prefix, cJSON **streams, struct aws_error *e)
{
	char token[LOGS_MAX_TOKEN] = "";
	cJSON *all = cJSON_CreateArray(), *in, *page;
	const char *next;

	*streams = NULL;
	for (int i = 0; i < LOGS_MAX_PAGES && all != NULL; i++) {
		in = streams_input(group, prefix, token[0] ? token : NULL);
		if (in == NULL)
			break;
		if (aws_json_call(c, "DescribeLogStreams", in, &page, e) ==
		    -1) {
			cJSON_Delete(in);
			cJSON_Delete(all);
			return -1;
		}
		cJSON_Delete(in);
		next = logs_streams_page(page, all);
		if (next == NULL || strcmp(next, token) == 0) {
			cJSON_Delete(page);
			*streams = all;
			return 0;
		}
		if (xsnprintf(token, sizeof token, "%s", next) == -1) {
			cJSON_Delete(page);
			cJSON_Delete(all);
			return fail(c, "DescribeLogStreams", "InvalidResponse",
			    "page token too long", e);
		}
		cJSON_Delete(page);
	}
	cJSON_Delete(all);
	return fail(c, "DescribeLogStreams", "TooManyPages",
	    "more pages of log streams than the limit", e);
}

static cJSON *
events_input(const char *group, const char *stream, const char *token)
{
	cJSON *in = cJSON_CreateObject();

	if (in == NULL ||
	    cJSON_AddStringToObject(in, "logGroupName", group) == NULL ||
	    cJSON_AddStringToObject(in, "logStreamName", stream) == NULL ||
	    cJSON_AddBoolToObject(in, "startFromHead", 1) == NULL ||
	    (token[0] != '\0' && cJSON_AddStringToObject(in, "nextToken",
	    token) == NULL)) {
		cJSON_Delete(in);
		return NULL;
	}
	return in;
}

int
logs_events_page(cJSON *page, char token[LOGS_MAX_TOKEN], cJSON **events,
    int *done, const char **why)
{
	cJSON *list;
	const cJSON *next;

	*events = NULL;
	*done = 0;
	list = cJSON_DetachItemFromObjectCaseSensitive(page, "events");
	next = cJSON_GetObjectItemCaseSensitive(page, "nextForwardToken");
	if (!cJSON_IsArray(list) || !cJSON_IsString(next)) {
		cJSON_Delete(list);
		*why = "the answer has no events or nextForwardToken";
		return -1;
	}
	*done = cJSON_GetArraySize(list) == 0 ||
	    strcmp(next->valuestring, token) == 0;
	if (xsnprintf(token, LOGS_MAX_TOKEN, "%s", next->valuestring) == -1) {
		cJSON_Delete(list);
		*why = "forward token too long";
		return -1;
	}
	*events = list;
	return 0;
}

int
logs_get_log_events(struct aws_client *c, const char *group,
    const char *stream, char token[LOGS_MAX_TOKEN], cJSON **events,
    int *done, struct aws_error *e)
{
	cJSON *in = events_input(group, stream, token), *page;
	const char *why;
	int rc;

	*events = NULL;
	*done = 0;
	if (in == NULL)
		return fail(c, "GetLogEvents", "OutOfMemory", "", e);
	if (aws_json_call(c, "GetLogEvents", in, &page, e) == -1) {
		cJSON_Delete(in);
		return -1;
	}
	cJSON_Delete(in);
	rc = logs_events_page(page, token, events, done, &why);
	if (rc == -1)
		fail(c, "GetLogEvents", "InvalidResponse", why, e);
	cJSON_Delete(page);
	return rc;
}
