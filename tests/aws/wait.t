#!/bin/sh
# tests/aws/wait.t - accel-wait against the fake AWS: the transcript of a
# 3-host job equals a golden file written from the SDK's rules (see the
# comments in wait-3hosts.golden), STATUS.json is the final description,
# log streams are listed only until every host has one, a rerun repeats
# nothing, a fresh attach to an ended job groups its transitions as the
# SDK does, and the secret key is never printed.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
. "$TOP/tests/aws/wait-lib.sh"
fake_aws_start
wait_setup '{"epoch": 1700000000, "step": true,
 "logs": ["epoch 1/2 loss 0.693", "epoch 2/2 loss 0.347", "saved the model"]}'
ACCEL_WAIT_POLL_MS=10
export ACCEL_WAIT_POLL_MS
J=$T/golden-3hosts

wait_job golden-3hosts 3 "$J"
run "$BIN/accel-wait" -o "$J/status.json" "$J/job.json"
check_status 0 "Completed"
golden "$TOP/tests/aws/wait-3hosts.golden" >"$T/want"
check_same "the transcript equals the golden file" "$T/out" "$T/want"
check_stderr "" "Completed"
is "STATUS.json is the final description" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["TrainingJobName"], d["TrainingJobStatus"], d["SecondaryStatus"],
      d["TrainingTimeInSeconds"], d["ModelArtifacts"]["S3ModelArtifacts"])
' "$J/status.json")" "golden-3hosts Completed Completed 6 s3://accel-test/out/golden-3hosts/output/model.tar.gz"
# aws-cli reads the same job: the file holds what DescribeTrainingJob says
aws sagemaker describe-training-job --training-job-name golden-3hosts \
    --endpoint-url "$FAKE_AWS_DIRECT_URL" --output json >"$T/cli.json"
is "STATUS.json agrees with aws-cli" "$(python3 -c '
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
keys = ["TrainingJobArn", "TrainingJobStatus", "SecondaryStatus",
        "BillableTimeInSeconds", "ModelArtifacts", "ResourceConfig"]
print(all(a[k] == b[k] for k in keys),
      [t["StatusMessage"] for t in a["SecondaryStatusTransitions"]] ==
      [t["StatusMessage"] for t in b["SecondaryStatusTransitions"]])
' "$J/status.json" "$T/cli.json")" "True True"
# 8 describes; DescribeLogStreams on the 7 ticks until the 3 streams
# appeared (1 + 1 + 1 + 3 + 1), never again (the SDK: every tick)
is "8 DescribeTrainingJob" "$(fake_aws_count sagemaker:DescribeTrainingJob)" 8
is "DescribeLogStreams only until all 3 streams are known" \
    "$(fake_aws_count logs:DescribeLogStreams)" 7
[ -f "$J/logpos.json" ] && ok "positions saved beside job.json" ||
    not_ok "positions saved beside job.json"
no_secret "no secret in the outputs" "$T/out" "$T/err" "$J/status.json" \
    "$J/logpos.json"

# The same command again: the job has ended and every line was shown,
# so only the summary (nothing repeated), and STATUS.json is unchanged.
cp "$J/status.json" "$T/status.before"
run "$BIN/accel-wait" -o "$J/status.json" "$J/job.json"
check_status 0 "rerun"
check_stdout "Training seconds: 18
Billable seconds: 18
You can find your model data at: s3://accel-test/out/golden-3hosts/output/model.tar.gz
" "rerun: nothing repeated"
check_same "rerun: STATUS.json unchanged" "$J/status.json" "$T/status.before"

# A fresh attach (positions gone) to the ended job
rm "$J/logpos.json"
run "$BIN/accel-wait" "$J/job.json"
check_status 0 "fresh attach"
golden "$TOP/tests/aws/wait-finished.golden" >"$T/want"
check_same "fresh attach: transitions grouped at LastModifiedTime" \
    "$T/out" "$T/want"

# JPY_PARENT_PID (a notebook) colours as a TTY does: ColorWrap's
# "\x1b[{c}m{message}\x1b[0m", c = [34, 35, 32, 36, 33][stream index % 5]
rm "$J/logpos.json"
JPY_PARENT_PID=1 run "$BIN/accel-wait" "$J/job.json"
grep ' | ' "$T/out" | head -3 >"$T/colored"
check_text "JPY_PARENT_PID: the SDK's colours per host" "$T/colored" "$(printf '\033[34malgo-1 | epoch 1/2 loss 0.693\033[0m\n\033[35malgo-2 | epoch 1/2 loss 0.693\033[0m\n\033[32malgo-3 | epoch 1/2 loss 0.693\033[0m')
"
grep -q "$(printf '\033')" "$T/err" && not_ok "no colour on stderr" || ok "no colour on stderr"

# --no-logs: the same status lines and summary, dots instead of logs
wait_job golden-nologs 3
run "$BIN/accel-wait" --no-logs "$T/golden-nologs/job.json"
check_status 0 "--no-logs"
sed 's/^/x/' "$T/out" | grep -c '^x.* | ' | {
	read n; is "--no-logs: no log line" "$n" 0; }
grep -q '^2023-11-14 22:13:29 Completed - Training job completed$' "$T/out" &&
    ok "--no-logs: status lines" || not_ok "--no-logs: status lines"

# Usage and bad input
run "$BIN/accel-wait"
check_status 2 "no JOB.json"
printf '{"region": "us-east-1"}\n' >"$T/bad.json"
run "$BIN/accel-wait" "$T/bad.json"
check_status 1 "JOB.json without a name"
check_stderr "accel-wait: $T/bad.json: no 'name'
" "JOB.json without a name"
printf '{"name": "no-such-job", "region": "us-east-1"}\n' >"$T/none.json"
run "$BIN/accel-wait" "$T/none.json"
check_status 1 "an unknown job is refused"
grep -q "ValidationException" "$T/err" && ok "unknown job: the service's error" ||
    not_ok "unknown job: the service's error" "$(cat "$T/err")"
done_testing
