#!/bin/sh
# wait.sh - following the logs of an ended 3-host job with BENCH_WAIT_LINES
# lines per host (default 10000; 10000 events per GetLogEvents page): a
# fresh accel-wait beside the SDK's own algorithm (session.py
# _flush_log_streams with logs.py multi_stream_iter and log_stream, as
# sagemaker-api.md section 12.3 gives them, run with boto3, since the SDK
# itself is not installed), each the best of three, against the same fake
# AWS.  Prints wall times, the ratio and the calls each made.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
N=${BENCH_WAIT_LINES:-10000}
T=$(mktemp -d "${TMPDIR:-/tmp}/accel-bench.XXXXXX")
FAKE_AWS_DIR=$T/fake
export FAKE_AWS_DIR
trap '"$TOP/tests/aws/fake-aws" stop "$FAKE_AWS_DIR" >/dev/null 2>&1; rm -rf "$T"' EXIT
"$TOP/tests/aws/fake-aws" start >/dev/null
. "$FAKE_AWS_DIR/env"
python3 -c "
import json, sys
json.dump({'step': True, 'epoch': 1700000000,
           'logs': ['line %d of the training, with some text' % i
                    for i in range($N)]}, open(sys.argv[1], 'w'))
" "$FAKE_AWS_DIR/sagemaker.json"
python3 - <<'PY'
import os, boto3
u = os.environ["FAKE_AWS_DIRECT_URL"]
boto3.client("s3", endpoint_url=u).create_bucket(Bucket="accel-bench")
sm = boto3.client("sagemaker", endpoint_url=u)
sm.create_training_job(TrainingJobName="bench", RoleArn="arn:aws:iam::123456789012:role/r",
    AlgorithmSpecification={"TrainingImage": "i:1", "TrainingInputMode": "File"},
    OutputDataConfig={"S3OutputPath": "s3://accel-bench/out"},
    ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 3,
                    "VolumeSizeInGB": 10},
    StoppingCondition={"MaxRuntimeInSeconds": 3600})
for _ in range(9):      # step mode: walk the job to Completed
    sm.describe_training_job(TrainingJobName="bench")
PY
printf '{"name": "bench", "region": "us-east-1"}\n' >"$T/job.json"
cat >"$T/sdk.py" <<'PY'
# The SDK's log reading (sagemaker-api.md 12.3), for one pass over an
# ended job: discovery, multi_stream_iter, positions, print.
import collections, os, sys, boto3
Position = collections.namedtuple("Position", ["timestamp", "skip"])
client = boto3.client("logs")
group, job, count = "/aws/sagemaker/TrainingJobs", "bench", 3

def log_stream(stream_name, start_time=0, skip=0):
    next_token, event_count = None, 1
    while event_count > 0:
        token_arg = {"nextToken": next_token} if next_token is not None else {}
        response = client.get_log_events(logGroupName=group,
            logStreamName=stream_name, startTime=start_time,
            startFromHead=True, **token_arg)
        next_token = response["nextForwardToken"]
        events = response["events"]
        event_count = len(events)
        if event_count > skip:
            events, skip = events[skip:], 0
        else:
            skip, events = skip - event_count, []
        for ev in events:
            yield ev

def multi_stream_iter(streams, positions):
    event_iters = [log_stream(s, positions[s].timestamp, positions[s].skip)
                   for s in streams]
    events = []
    for s in event_iters:
        try:
            events.append(next(s))
        except StopIteration:
            events.append(None)
    while any(events):
        # logs.py argmin: the None entries (ended streams) are skipped
        i = min((j for j in range(len(events)) if events[j] is not None),
                key=lambda j: events[j]["timestamp"])
        yield (i, events[i])
        try:
            events[i] = next(event_iters[i])
        except StopIteration:
            events[i] = None

streams = client.describe_log_streams(logGroupName=group,
    logStreamNamePrefix=job + "/", orderBy="LogStreamName", limit=count)
names = [s["logStreamName"] for s in streams["logStreams"]]
positions = {s: Position(0, 0) for s in names}
out = sys.stdout
for idx, event in multi_stream_iter(names, positions):
    print(event["message"], file=out)
    ts, n = positions[names[idx]]
    positions[names[idx]] = Position(ts, n + 1) if event["timestamp"] == ts \
        else Position(event["timestamp"], 1)
PY

now() { python3 -c 'import time; print(time.monotonic())'; }
best() {	# best COMMAND...: the shortest of three runs, in seconds
	b=
	for i in 1 2 3; do
		rm -f "$T/logpos.json"
		t0=$(now)
		"$@" >"$T/lines"
		t=$(python3 -c "print($(now) - $t0)")
		b=$(python3 -c "print(min(x for x in ($t, ${b:-$t})))")
	done
	echo "$b"
}
ours=$(best "$TOP/bin/accel-wait" "$T/job.json")
ours_lines=$(grep -c ' | line ' "$T/lines")
theirs=$(best python3 "$T/sdk.py")
theirs_lines=$(grep -c '^line ' "$T/lines")
python3 - "$N" "$ours" "$theirs" "$ours_lines" "$theirs_lines" <<'PY'
import sys
n, ours, theirs = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print("logs of 3 hosts x %d lines from the fake: accel-wait %.2f s "
      "(%d lines), the SDK's algorithm in boto3 %.2f s (%d lines), "
      "ratio %.2f" % (n, ours, int(sys.argv[4]), theirs, int(sys.argv[5]),
                      ours / theirs))
PY
