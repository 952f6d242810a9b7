/*
 * wait_status.c - the text the SDK prints about a job, from its
 * DescribeTrainingJob answer: status lines (utils.py
 * secondary_training_status_changed / _message), the seconds summary
 * (session.py _logs_for_job), the failure (_check_job_status) and
 * accelerate's model-data line.  sagemaker-api.md sections 12.4 to 12.10.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "creds.h"
#include "json.h"
#include "wait.h"

#define TROUBLESHOOTING "https://docs.aws.amazon.com/sagemaker/latest/dg/" \
	"sagemaker-python-sdk-troubleshooting.html"

static const cJSON *
member(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static const char *
string_of(const cJSON *o, const char *key)
{
	const cJSON *v = member(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *
transitions(const cJSON *desc)
{
	const cJSON *t = member(desc, "SecondaryStatusTransitions");

	return cJSON_IsArray(t) ? t : NULL;
}

static const char *
last_message(const cJSON *desc)
{
	const cJSON *t = transitions(desc);
	int n = t ? cJSON_GetArraySize(t) : 0;
	const char *m;

	if (n == 0)
		return NULL;
	m = string_of(cJSON_GetArrayItem(t, n - 1), "StatusMessage");
	return m ? m : "";
}

int
wait_status_changed(const cJSON *desc, const struct wait_seen *prev)
{
	const char *m = last_message(desc);

	if (m == NULL)
		return 0;
	return strcmp(m, prev ? prev->message : "") != 0;
}

void
wait_seen_update(struct wait_seen *seen, const cJSON *desc)
{
	const cJSON *t = transitions(desc);
	const char *m = last_message(desc);

	seen->transitions = t ? cJSON_GetArraySize(t) : 0;
	/* A message longer than we keep compares as changed: one more line. */
	snprintf(seen->message, sizeof seen->message, "%s", m ? m : "");
}

/* The last second of year 9999: datetime's range, and within time_t. */
#define LAST_SECOND 253402300799.0

/*
 * A timestamp as botocore hands it to the SDK: JSON 1.1 sends epoch
 * seconds (a number), some servers an ISO 8601 string.  The SDK formats
 * utcfromtimestamp(mktime(t.timetuple())): the fraction is dropped.
 * A number outside datetime's range reads as the epoch, as absent does.
 */
static double
timestamp_of(const cJSON *v)
{
	time_t t;
	double d;

	if (cJSON_IsNumber(v))
		return json_real(v, 0, LAST_SECOND, &d) == 0 ? d : 0;
	if (cJSON_IsString(v) && parse_iso8601(v->valuestring, &t) == 0)
		return (double)t;
	return 0;
}

static void
format_time(double when, char out[32])
{
	time_t t = (time_t)floor(when);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(out, 32, "%s", "1970-01-01 00:00:00");
}

int
wait_status_text(const cJSON *desc, const struct wait_seen *prev,
    struct buf *out)
{
	const cJSON *t = transitions(desc), *x;
	int n = t ? cJSON_GetArraySize(t) : 0, p = prev ? prev->transitions : 0;
	int start, i;
	char when[32];
	const char *status, *message;

	if (n == 0)
		return 0;
	/* transitions[-1:] when the count is unchanged, else
	 * transitions[prev - n:], Python's slice of a negative start. */
	if (n == p)
		start = n - 1;
	else if (p < n)
		start = p;
	else
		start = p - n < n ? p - n : n - 1;
	format_time(timestamp_of(member(desc, "LastModifiedTime")), when);
	for (i = start; i < n; i++) {
		x = cJSON_GetArrayItem(t, i);
		status = string_of(x, "Status");
		message = string_of(x, "StatusMessage");
		if (buf_printf(out, "%s%s %s - %s", i > start ? "\n" : "",
		    when, status ? status : "", message ? message : "") == -1)
			return -1;
	}
	return 0;
}

/* InstanceCount is an API Integer; anything else counts as none. */
static long
count_of(const cJSON *o)
{
	long long n;

	return json_int(member(o, "InstanceCount"), 0, JSON_AWS_INT_MAX, &n)
	    == 0 ? (long)n : 0;
}

long
wait_instance_count(const cJSON *desc)
{
	const cJSON *rc = member(desc, "ResourceConfig"), *groups, *g;
	long n = count_of(rc);

	groups = member(rc, "InstanceGroups");
	if (n == 0 && cJSON_IsArray(groups))
		cJSON_ArrayForEach(g, groups)
			if (__builtin_add_overflow(n, count_of(g), &n))
				return 1;
	return n > 0 ? n : 1;
}

/*
 * A whole number of seconds, an API Integer, or -1 if absent.  A value
 * out of that range is no count of seconds: said once, then treated as
 * absent rather than printed wrapped or dropped in silence.
 */
static long long
seconds_of(const cJSON *desc, const char *key)
{
	const cJSON *v = member(desc, key);
	long long n;
	char num[32];

	if (v == NULL)
		return -1;
	if (json_int(v, 0, JSON_AWS_INT_MAX, &n) == 0)
		return n;
	if (cJSON_IsNumber(v))
		json_format_double(v->valuedouble, num);
	accel_warn("DescribeTrainingJob: %s %s is not a count of seconds "
	    "(a whole number up to %lld); not shown", key,
	    cJSON_IsNumber(v) ? num : "(not a number)", JSON_AWS_INT_MAX);
	return -1;
}

/* "Training seconds: N", N times the instance count, if it fits. */
static int
put_seconds(struct buf *out, const char *what, long long n, long count)
{
	long long total;

	if (__builtin_mul_overflow(n, (long long)count, &total)) {
		accel_warn("%s seconds: %lld x %ld instances is past the "
		    "range of a count; not shown", what, n, count);
		return 0;
	}
	return buf_printf(out, "%s seconds: %lld\n", what, total);
}

int
wait_summary_text(const cJSON *desc, long instance_count, struct buf *out)
{
	long long training = seconds_of(desc, "TrainingTimeInSeconds");
	long long billable = seconds_of(desc, "BillableTimeInSeconds");

	if (training >= 0 && put_seconds(out, "Training", training,
	    instance_count) == -1)
		return -1;
	if (billable < 0)
		return 0;
	if (put_seconds(out, "Billable", billable, instance_count) == -1)
		return -1;
	/* The SDK divides by zero here (section 13 item 8); we print no
	 * savings when nothing was trained. */
	if (cJSON_IsTrue(member(desc, "EnableManagedSpotTraining")) &&
	    training > 0 && buf_printf(out,
	    "Managed Spot Training savings: %.1f%%\n",
	    (1.0 - (double)billable / (double)training) * 100.0) == -1)
		return -1;
	return 0;
}

/* A Python str's repr: single quotes unless it holds one and no double. */
static int
put_repr(struct buf *out, const char *s)
{
	char q = strchr(s, '\'') != NULL && strchr(s, '"') == NULL ? '"' :
	    '\'';

	if (buf_putc(out, q) == -1)
		return -1;
	for (; *s != '\0'; s++) {
		if ((*s == q || *s == '\\') && buf_putc(out, '\\') == -1)
			return -1;
		if (buf_putc(out, *s) == -1)
			return -1;
	}
	return buf_putc(out, q);
}

/*
 * estimator.model_data: ModelArtifacts.S3ModelArtifacts, or without one the
 * SDK's guess {output_path}/{job}/output/model.tar.gz.  With
 * CompressionType NONE it is a dict whose S3Uri is the model prefix plus
 * "/", and accelerate prints the dict's repr.
 */
int
wait_model_text(const cJSON *desc, const char *job, struct buf *out)
{
	const cJSON *odc = member(desc, "OutputDataConfig");
	const char *uri = string_of(member(desc, "ModelArtifacts"),
	    "S3ModelArtifacts");
	const char *path = string_of(odc, "S3OutputPath");
	const char *comp = string_of(odc, "CompressionType");
	int none = comp != NULL && strcmp(comp, "NONE") == 0;
	struct buf u;
	int rc;

	buf_init(&u, 8192);
	if (uri != NULL)
		rc = buf_puts(&u, uri);
	else
		rc = buf_printf(&u, "%s%s%s/output/%s", path ? path : "",
		    path && *path && path[strlen(path) - 1] != '/' ? "/" : "",
		    job, none ? "model" : "model.tar.gz");
	if (rc == 0 && none)
		rc = buf_putc(&u, '/');
	if (rc == 0)
		rc = buf_puts(out, "You can find your model data at: ");
	if (rc == 0 && none)
		rc = buf_puts(out, "{'S3DataSource': {'S3Uri': ") == -1 ||
		    put_repr(out, u.data ? u.data : "") == -1 || buf_puts(out,
		    ", 'S3DataType': 'S3Prefix', 'CompressionType': 'None'}}")
		    == -1 ? -1 : 0;
	else if (rc == 0)
		rc = buf_puts(out, u.data ? u.data : "");
	if (rc == 0)
		rc = buf_putc(out, '\n');
	buf_free(&u);
	return rc;
}

int
wait_failure_text(const cJSON *desc, const char *job, struct buf *out)
{
	const char *status = string_of(desc, "TrainingJobStatus");
	const char *reason = string_of(desc, "FailureReason");

	/* The SDK's text with the service's words as sent, as log lines. */
	return buf_printf(out, "Error for Training job %s: %s. Reason: %s. "
	    "Check troubleshooting guide for common errors: %s", job,
	    status ? status : "", reason ? reason : "(No reason provided)",
	    TROUBLESHOOTING);
}

/* _rule_statuses_changed (session.py): no earlier list, or a rule of the
 * same name at the same place whose status differs. */
int
wait_rules_changed(const cJSON *current, const cJSON *last)
{
	const cJSON *c, *l;
	const char *cn, *ln, *cs, *ls;

	if (!cJSON_IsArray(last) || cJSON_GetArraySize(last) == 0)
		return 1;
	for (c = current->child, l = last->child; c && l;
	    c = c->next, l = l->next) {
		cn = string_of(c, "RuleConfigurationName");
		ln = string_of(l, "RuleConfigurationName");
		cs = string_of(c, "RuleEvaluationStatus");
		ls = string_of(l, "RuleEvaluationStatus");
		if (cn && ln && strcmp(cn, ln) == 0 &&
		    strcmp(cs ? cs : "", ls ? ls : "") != 0)
			return 1;
	}
	return 0;
}

int
wait_rules_text(const cJSON *statuses, struct buf *out)
{
	const cJSON *r;
	const char *name, *status;

	cJSON_ArrayForEach(r, statuses) {
		name = string_of(r, "RuleConfigurationName");
		status = string_of(r, "RuleEvaluationStatus");
		if (buf_printf(out, "%s: %s\n", name ? name : "",
		    status ? status : "") == -1)
			return -1;
	}
	return 0;
}
