#!/bin/sh
# tests/aws/wait-signal.t - interrupting accel-wait: SIGINT (and SIGTERM)
# detach, the job keeps running, and the same command re-attaches without
# repeating or losing a line (new events written while detached are the
# only lines of the rerun); --stop (or ACCEL_STOP_ON_INTERRUPT=1) stops the
# job, follows it to Stopped and exits 1.  The fake is in step mode, so the
# job only moves when accel-wait describes it: nothing races the test.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
. "$TOP/tests/aws/wait-lib.sh"
fake_aws_start
wait_setup '{"epoch": 1700000000, "step": true,
 "jobs": {"clock-*": {"step": false, "stopping": 3}}}'
ACCEL_WAIT_POLL_MS=200
export ACCEL_WAIT_POLL_MS

# start_wait DIR ARGS...: accel-wait in the background, until its first
# log line is out (at most 60 s); $pid
start_wait() {
	_d=$1
	shift
	"$BIN/accel-wait" "$@" "$_d/job.json" >"$_d/out" 2>"$_d/err" </dev/null &
	pid=$!
	_i=0
	while ! grep -q ' | ' "$_d/out" && [ $_i -lt 1200 ] &&
	    kill -0 $pid 2>/dev/null; do
		sleep 0.05
		_i=$((_i + 1))
	done
}

# put_events JOB: two more lines in each stream of JOB, written while no
# one is attached (stamped now: CloudWatch refuses events older than 14
# days, and now is after the job's epoch)
put_events() {
	python3 - "$1" <<'PY'
import os, sys, time, boto3
logs = boto3.client("logs", endpoint_url=os.environ["FAKE_AWS_DIRECT_URL"])
g = "/aws/sagemaker/TrainingJobs"
names = sorted(s["logStreamName"] for s in logs.describe_log_streams(
    logGroupName=g, logStreamNamePrefix=sys.argv[1] + "/")["logStreams"])
now = int(time.time() * 1000)
for n, name in enumerate(names, 1):
    r = logs.put_log_events(logGroupName=g, logStreamName=name, logEvents=[
        {"timestamp": now + n, "message": f"late {n} a"},
        {"timestamp": now + 1000 + n, "message": f"late {n} b"}])
    assert "rejectedLogEventsInfo" not in r, r
PY
}

# --- SIGINT detaches; a rerun re-attaches ---
D=$T/sig-a
wait_job sig-a 3 "$D"
start_wait "$D"
kill -INT $pid
wait $pid
is "SIGINT: exit 75" "$?" 75
is "SIGINT: the job keeps running" "$(job_status sig-a)" InProgress
is "SIGINT: no StopTrainingJob" "$(fake_aws_count sagemaker:StopTrainingJob)" 0
check_text "SIGINT: says how to re-attach" "$D/err" "accel-wait: detached from training job sig-a, which keeps running; to re-attach, run the same command again
"
put_events sig-a
ACCEL_REATTACH="make train" run "$BIN/accel-wait" "$D/job.json"
check_status 0 "re-attach: Completed"
cat "$D/out" "$T/out" | grep ' | ' >"$T/lines"
# every line of the fake's (4 per host) and the 2 late ones per host,
# each exactly once, in this order: all of the first run's before the rerun's
python3 - "$T/lines" >"$T/want" <<'PY'
lines = []
for i, t in enumerate(["[algo-{h}] training sig-a", "[algo-{h}] epoch 1/2 loss 0.693",
                       "[algo-{h}] epoch 2/2 loss 0.347",
                       "[algo-{h}] saved the model to /opt/ml/model"]):
    for h in (1, 2, 3):
        lines.append(f"algo-{h} | " + t.format(h=h))
for x in "ab":
    for h in (1, 2, 3):
        lines.append(f"algo-{h} | late {h} {x}")
print("\n".join(lines))
PY
check_same "detach + re-attach: every line once, none lost" "$T/lines" "$T/want"
grep -c ' | ' "$T/out" | { read n; is "the rerun printed only the late lines" "$n" 6; }

# SIGTERM detaches too, and ACCEL_REATTACH names the command
D=$T/sig-t
wait_job sig-t 3 "$D"
ACCEL_REATTACH="make train"
export ACCEL_REATTACH
start_wait "$D"
unset ACCEL_REATTACH
kill -TERM $pid
wait $pid
is "SIGTERM: exit 75" "$?" 75
check_text "SIGTERM: names the command" "$D/err" "accel-wait: detached from training job sig-t, which keeps running; to re-attach, run 'make train' again
"

# --- --stop: StopTrainingJob, then Stopped, exit 1 ---
D=$T/sig-b
wait_job sig-b 3 "$D"
start_wait "$D" --stop -o "$D/status.json"
kill -INT $pid
wait $pid
is "--stop: exit 1" "$?" 1
is "--stop: the job is Stopped" "$(job_status sig-b)" Stopped
is "--stop: one StopTrainingJob" "$(fake_aws_count sagemaker:StopTrainingJob)" 1
grep -q '^20[0-9-]* [0-9:]* Stopped - Training job stopped$' "$D/out" &&
    ok "--stop: the Stopped line" || not_ok "--stop: the Stopped line" "$(cat "$D/out")"
check_text "--stop: the messages and the SDK's warning" "$D/err" "accel-wait: stopping training job sig-b (StopTrainingJob sent); interrupt again to detach
accel-wait: warning: Job ended with status 'Stopped' rather than 'Completed'. This could mean the job timed out or stopped early for some other reason: Consider checking whether it completed as you expect.
"
is "--stop: STATUS.json says Stopped" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["TrainingJobStatus"])' "$D/status.json")" Stopped

# ACCEL_STOP_ON_INTERRUPT=1 is --stop
D=$T/sig-c
wait_job sig-c 3 "$D"
ACCEL_STOP_ON_INTERRUPT=1
export ACCEL_STOP_ON_INTERRUPT
start_wait "$D"
unset ACCEL_STOP_ON_INTERRUPT
kill -TERM $pid
wait $pid
is "ACCEL_STOP_ON_INTERRUPT=1: exit 1" "$?" 1
is "ACCEL_STOP_ON_INTERRUPT=1: Stopped" "$(job_status sig-c)" Stopped
# In clock mode, with 3 job seconds of Stopping: accel-wait keeps its
# rhythm while it waits for Stopped (one describe per 0.2 s tick, not a
# busy loop after the signal)
D=$T/clock-a
wait_job clock-a 3 "$D"
before=$(fake_aws_count sagemaker:DescribeTrainingJob)
start_wait "$D" --stop
kill -INT $pid
wait $pid
is "clock mode --stop: exit 1" "$?" 1
n=$(($(fake_aws_count sagemaker:DescribeTrainingJob) - before))
[ "$n" -lt 100 ] && ok "clock mode --stop: $n describes in about 10 s" ||
    not_ok "clock mode --stop: describes paced" "$n describes"
no_secret "no secret in any output" "$T"/sig-*/out "$T"/sig-*/err "$T"/sig-*/logpos.json
done_testing
