#!/bin/sh
# tests/aws/wait-once.t - accel-wait --once (one describe: the status
# lines, and for an ended job the summary, no waiting, no logs) and
# --stop-now (StopTrainingJob at once, follow to Stopped, exit 1; a job
# that has ended is reported, not stopped).  The fake is in step mode: a
# job moves one transition per DescribeTrainingJob, so nothing races.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
. "$TOP/tests/aws/wait-lib.sh"
fake_aws_start
wait_setup '{"epoch": 1700000000, "step": true,
 "logs": ["epoch 1/2 loss 0.693", "epoch 2/2 loss 0.347", "saved the model"],
 "jobs": {"fail-*": {"fail": "AlgorithmError: boom"}}}'
ACCEL_WAIT_POLL_MS=10
export ACCEL_WAIT_POLL_MS
# STATUS NAME FILE: TrainingJobStatus in FILE
status_of() {
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["TrainingJobStatus"])' "$1"
}

# --- --once on a running job: its status line, exit 0, nothing written
D=$T/run-a
wait_job run-a 3 "$D"
run "$BIN/accel-wait" --once -o "$D/status.json" "$D/job.json"
check_status 0 "--once, running: exit 0"
check_stdout "2023-11-14 22:13:20 Starting - Starting the training job
" "--once, running: the SDK's first status line"
check_stderr "" "--once, running"
[ -e "$D/status.json" ] && not_ok "--once, running: no STATUS.json" ||
    ok "--once, running: no STATUS.json"
[ -e "$D/logpos.json" ] && not_ok "--once: no positions file" ||
    ok "--once: no positions file"
is "--once: one DescribeTrainingJob" \
    "$(fake_aws_count sagemaker:DescribeTrainingJob)" 1
is "--once: no log call" "$(fake_aws_count 'logs:*')" 0
is "--once, running: the job runs on" "$(job_status run-a)" InProgress

# --- --once on a Completed job: wait-finished.golden less its log lines
D=$T/golden-3hosts
wait_job golden-3hosts 3 "$D"
run "$BIN/accel-wait" "$D/job.json"
check_status 0 "the job completes"
run "$BIN/accel-wait" --once -o "$D/status.json" "$D/job.json"
check_status 0 "--once, Completed: exit 0"
golden "$TOP/tests/aws/wait-finished.golden" | grep -v ' | ' >"$T/want"
check_same "--once, Completed: status lines, summary, model line" \
    "$T/out" "$T/want"
is "--once, Completed: STATUS.json written" "$(status_of "$D/status.json")" \
    Completed

# --- --once on a Failed job: exit 1, the SDK's error
D=$T/fail-a
wait_job fail-a 1 "$D"
run "$BIN/accel-wait" --no-logs "$D/job.json"
check_status 1 "the job fails"
run "$BIN/accel-wait" --once "$D/job.json"
check_status 1 "--once, Failed: exit 1"
grep -q '^accel-wait: Error for Training job fail-a: Failed. Reason: AlgorithmError: boom' "$T/err" &&
    ok "--once, Failed: the SDK's error" ||
    not_ok "--once, Failed: the SDK's error" "$(cat "$T/err")"

# --- --stop-now on a running job: Stopped, exit 1
D=$T/stop-a
wait_job stop-a 1 "$D"
before=$(fake_aws_count sagemaker:StopTrainingJob)
run "$BIN/accel-wait" --stop-now --no-logs -o "$D/status.json" "$D/job.json"
check_status 1 "--stop-now: exit 1"
is "--stop-now: one StopTrainingJob" \
    "$(($(fake_aws_count sagemaker:StopTrainingJob) - before))" 1
is "--stop-now: the job is Stopped" "$(job_status stop-a)" Stopped
grep -q '^20[0-9-]* [0-9:]* Stopped - Training job stopped$' "$T/out" &&
    ok "--stop-now: the Stopped line" ||
    not_ok "--stop-now: the Stopped line" "$(cat "$T/out")"
check_stderr "accel-wait: stopping training job stop-a (StopTrainingJob sent); interrupt to detach
accel-wait: warning: Job ended with status 'Stopped' rather than 'Completed'. This could mean the job timed out or stopped early for some other reason: Consider checking whether it completed as you expect.
" "--stop-now: the messages and the SDK's warning"
is "--stop-now: STATUS.json says Stopped" "$(status_of "$D/status.json")" \
    Stopped
run "$BIN/accel-wait" --once "$D/job.json"
check_status 1 "--once, Stopped: exit 1"

# --- --stop-now on an ended job: no StopTrainingJob, its end reported
# (positions gone: a fresh attach prints every transition, as --once)
D=$T/golden-3hosts
rm -f "$D/logpos.json"
before=$(fake_aws_count sagemaker:StopTrainingJob)
run "$BIN/accel-wait" --stop-now --no-logs "$D/job.json"
check_status 0 "--stop-now, Completed: exit 0"
is "--stop-now, Completed: no StopTrainingJob" \
    "$(($(fake_aws_count sagemaker:StopTrainingJob) - before))" 0
check_same "--stop-now, Completed: what --once prints" "$T/out" "$T/want"
check_stderr "accel-wait: training job golden-3hosts has already ended (Completed); not stopping it
" "--stop-now, Completed"
run "$BIN/accel-wait" --stop-now --no-logs "$T/stop-a/job.json"
check_status 1 "--stop-now, Stopped: exit 1"
run "$BIN/accel-wait" --stop-now --once "$D/job.json"
check_status 2 "--stop-now with --once: usage"

# --- --once when SageMaker does not answer: 75 at once
fake_aws_faults 1 --mix throttle --ops 'sagemaker:*'
run "$BIN/accel-wait" --once "$D/job.json"
check_status 75 "--once, throttled: exit 75"
grep -q 'ThrottlingException.*; try again later$' "$T/err" &&
    ok "--once, throttled: says so" || not_ok "--once, throttled: says so" "$(cat "$T/err")"
fake_aws_faults 0
no_secret "no secret in any output" "$T/out" "$T/err" "$T"/*/status.json
done_testing
