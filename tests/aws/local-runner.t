#!/bin/sh
# local-runner.t - the fake's "accel-local" runner: a job submitted with
# aws-cli (the peer client) runs the quickstart's real code from the fake's
# S3 with bin/accel-local; its output reaches CloudWatch Logs and its
# model.tar.gz in S3 has the bytes accel-local gives on this host.  A script
# that fails fails the job with the toolkit's failure text.
. "$(dirname "$0")/../cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
fake_aws_start
printf '{"runner": "accel-local", "speed": 20}\n' > "$FAKE_AWS_DIR/sagemaker.json"

P=$T/qs
mkdir -p "$P/.accel"
cp -R "$TOP/examples/quickstart/." "$P/"
rm -rf "$P/.accel"/* "$P/Makefile"
(cd "$P" && "$BIN/accel-validate" -o .accel/config.json accelerate.yaml &&
    "$BIN/accel-request" -c .accel/config.json -o .accel/request.json \
	train.py --epochs 3) 2>"$T/err"
is "the quickstart's request" "$?" 0

# The body with the account's placeholders filled, as accel-submit would.
body() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
req = json.load(open(sys.argv[1]))["CreateTrainingJob"]
text = json.dumps(req).replace("{{bucket}}", "fake-bucket").replace(
    "{{role_arn}}", "arn:aws:iam::123456789012:role/fake")
req = json.loads(text)
if sys.argv[2]:
    req["TrainingJobName"] = sys.argv[2]
print(json.dumps(req))
EOF
}
job=$(sed -n 's/^ *"TrainingJobName": "\(.*\)",*$/\1/p' "$P/.accel/request.json" | head -1)
aws s3 mb s3://fake-bucket >/dev/null 2>&1
run aws s3 cp "$P/.accel/sourcedir.tar.gz" \
    "s3://fake-bucket/$job/source/sourcedir.tar.gz"
check_status 0 "code uploaded with aws s3 cp"
body "$P/.accel/request.json" "" > "$T/body.json"
run aws sagemaker create-training-job --cli-input-json "file://$T/body.json"
check_status 0 "create-training-job"

# wait_job NAME: the final status (the fake runs at 20 job seconds/second),
# then aws-cli (the peer client) must see the same
wait_job() {
	_s=$(fake_aws_wait_job "$1")
	_cli=$(aws sagemaker describe-training-job --training-job-name "$1" \
	    --query TrainingJobStatus --output text 2>&1)
	[ "$_s" = "$_cli" ] && echo "$_s" || echo "$_s, aws-cli: $_cli"
}
is "the job completes" "$(wait_job "$job")" Completed

(cd "$P" && "$BIN/accel-local" .accel/request.json) >"$T/local.out" 2>&1
is "accel-local on this host" "$?" 0
run aws s3 cp "s3://fake-bucket/$job/output/model.tar.gz" "$T/model.tar.gz"
check_status 0 "the model is in S3"
check_same "the model has accel-local's bytes" "$T/model.tar.gz" \
    "$P/.accel/local/$job/output/model.tar.gz"

aws logs filter-log-events --log-group-name /aws/sagemaker/TrainingJobs \
    --log-stream-name-prefix "$job/" --query 'events[].message' \
    --output text > "$T/logs" 2>&1
is "the logs hold the script's epoch lines" \
    "$(tr '\t' '\n' < "$T/logs" | grep -c "^epoch [123]: {'accuracy'")" 3
is "and not accel-local's own status lines" \
    "$(tr '\t' '\n' < "$T/logs" | grep -c ' Completed - \|^Training seconds')" 0

# a script that fails: the job fails with the toolkit's text
printf 'import sys\nsys.stderr.write("ValueError: bad data\\n")\nsys.exit(3)\n' \
    > "$P/train.py"
(cd "$P" && "$BIN/accel-request" -c .accel/config.json \
    -o .accel/request.json train.py) 2>/dev/null
bad=$(sed -n 's/^ *"TrainingJobName": "\(.*\)",*$/\1/p' "$P/.accel/request.json" | head -1)
aws s3 cp "$P/.accel/sourcedir.tar.gz" \
    "s3://fake-bucket/$bad/source/sourcedir.tar.gz" >/dev/null 2>&1
body "$P/.accel/request.json" "" > "$T/body.json"
aws sagemaker create-training-job --cli-input-json "file://$T/body.json" \
    >/dev/null 2>&1
is "a failing script fails the job" "$(wait_job "$bad")" Failed
reason=$(aws sagemaker describe-training-job --training-job-name "$bad" \
    --query FailureReason --output text)
case $reason in
# container-contract.md: FailureReason is the failure file's first 1024
# characters (the toolkit's text, without a platform prefix)
"ExecuteUserScriptError:"*"ExitCode 3"*"ValueError: bad data"*)
	ok "FailureReason is the toolkit's text" ;;
*)	not_ok "FailureReason is the toolkit's text" "got: $reason" ;;
esac

done_testing
