#!/bin/sh
# tests/aws/wait-faults.t - accel-wait when things go wrong: a Failed job
# (exit 1, the FailureReason in the SDK's words, the last log lines, where
# the logs are), throttling from the fault proxy (the wait goes on and
# prints the same lines as without it), and an outage longer than
# ACCEL_WAIT_OUTAGE (exit 75, then a rerun re-attaches and finishes).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
. "$TOP/tests/aws/wait-lib.sh"
fake_aws_start
wait_setup '{"epoch": 1700000000, "step": true,
 "logs": ["epoch 1/2 loss 0.693", "epoch 2/2 loss 0.347", "saved the model"],
 "jobs": {"fail-*": {"fail": "AlgorithmError: boom", "hosts": 1,
                     "logs": ["line 1", "Traceback: ZeroDivisionError"]}}}'
ACCEL_WAIT_POLL_MS=10
export ACCEL_WAIT_POLL_MS

# --- Failed ---
D=$T/fail-a
wait_job fail-a 1 "$D"
run "$BIN/accel-wait" -o "$D/status.json" "$D/job.json"
check_status 1 "Failed"
check_stderr "accel-wait: Error for Training job fail-a: Failed. Reason: AlgorithmError: boom. Check troubleshooting guide for common errors: https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-python-sdk-troubleshooting.html
accel-wait: the last 2 log lines:
    line 1
    Traceback: ZeroDivisionError
accel-wait: all the logs: log group /aws/sagemaker/TrainingJobs, log streams fail-a/* (https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/\$252Faws\$252Fsagemaker\$252FTrainingJobs\$3FlogStreamNameFilter\$3Dfail-a\$252F)
" "Failed: reason, last lines, where the logs are"
tail -n 2 "$T/out" >"$T/tail"
check_text "Failed: the status lines end the output, no summary" "$T/tail" "
2023-11-14 22:13:26 Failed - Training job failed
"
is "Failed: STATUS.json" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["TrainingJobStatus"], d["FailureReason"])' "$D/status.json")" "Failed AlgorithmError: boom"
# --no-logs still shows the last lines on failure
D=$T/fail-b
wait_job fail-b 1 "$D"
run "$BIN/accel-wait" --no-logs "$D/job.json"
check_status 1 "Failed, --no-logs"
grep -q '^    Traceback: ZeroDivisionError$' "$T/err" &&
    ok "Failed, --no-logs: the last lines" ||
    not_ok "Failed, --no-logs: the last lines" "$(cat "$T/err")"
grep -q 'ZeroDivisionError' "$T/out" && not_ok "--no-logs prints no log" ||
    ok "--no-logs prints no log"

# --- throttling: half the SageMaker and Logs calls answered with
# ThrottlingException; the retries and the loop carry on ---
D=$T/throttled
wait_job throttled 3 "$D"
fake_aws_faults 0.5 --seed 7 --mix throttle --ops 'sagemaker:*,logs:*'
run "$BIN/accel-wait" -o "$D/status.json" "$D/job.json"
fake_aws_faults 0
check_status 0 "throttled: Completed"
# the golden transcript, this job's name, dots aside (a tick whose
# describe was throttled away prints one more dot)
golden "$TOP/tests/aws/wait-3hosts.golden" | sed 's/golden-3hosts/throttled/; s/\.*$//' >"$T/want"
sed 's/\.*$//' "$T/out" >"$T/got"
check_same "throttled: the same lines as without faults" "$T/got" "$T/want"
t=$(fake_aws_count 'sagemaker:DescribeTrainingJob')
f=$(fake_aws_count --forwarded 'sagemaker:DescribeTrainingJob')
[ "$t" -gt "$f" ] && ok "throttled: some describes were throttled ($t sent, $f answered)" ||
    not_ok "throttled: some describes were throttled" "$t $f"
grep -q 'ThrottlingException.*; still waiting$' "$T/err" &&
    ok "throttled: a call failed past its retries and the wait went on" ||
    not_ok "throttled: a call failed past its retries" "$(cat "$T/err")"

# --- an outage: every call throttled for longer than ACCEL_WAIT_OUTAGE ---
D=$T/outage
wait_job outage 3 "$D"
fake_aws_faults 1 --mix throttle --ops 'sagemaker:*'
ACCEL_WAIT_OUTAGE=1 run "$BIN/accel-wait" "$D/job.json"
check_status 75 "outage: exit 75"
grep -q "giving up; run the same command again to re-attach" "$T/err" &&
    ok "outage: says how to re-attach" || not_ok "outage: says how to re-attach" "$(cat "$T/err")"
fake_aws_faults 0
run "$BIN/accel-wait" "$D/job.json"
check_status 0 "outage over: the rerun finishes"
no_secret "no secret in any output" "$T/out" "$T/err" "$T"/*/logpos.json \
    "$T"/*/status.json
done_testing
