#!/bin/sh
# tests/aws/wait-submit.t - accel-wait reads the JOB.json that accel-submit
# writes (the contract between the two): the quickstart submitted to the
# fake AWS, then followed to Completed, with the model line pointing where
# the fake put model.tar.gz (aws-cli finds it there).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
fake_aws_start
printf '{"step": true, "epoch": 1700000000}\n' >"$FAKE_AWS_DIR/sagemaker.json"
direct() { aws --endpoint-url "$FAKE_AWS_DIRECT_URL" "$@"; }
direct iam create-role --role-name accelerate_sagemaker_execution_role \
    --assume-role-policy-document '{"Version":"2012-10-17","Statement":[]}' \
    >/dev/null
d=$T/q
mkdir -p "$d/.accel"
cp "$TOP/examples/quickstart/accelerate.yaml" \
    "$TOP/examples/quickstart/train.py" \
    "$TOP/examples/quickstart/requirements.txt" "$d/"
(cd "$d" && "$BIN/accel-validate" -o .accel/config.json accelerate.yaml &&
    "$BIN/accel-request" -c .accel/config.json -o .accel/request.json \
    train.py --epochs 1) >"$T/setup.log" 2>&1
run "$BIN/accel-submit" -o "$d/.accel/job.json" "$d/.accel/request.json"
check_status 0 "accel-submit wrote JOB.json"
ACCEL_WAIT_POLL_MS=10 run "$BIN/accel-wait" -o "$d/.accel/status.json" \
    "$d/.accel/job.json"
check_status 0 "accel-wait followed the submitted job to Completed"
job=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["name"])' "$d/.accel/job.json")
grep -q "^20[0-9-]* [0-9:]* Completed - Training job completed$" "$T/out" &&
    ok "the Completed line" || not_ok "the Completed line" "$(cat "$T/out")"
uri=$(sed -n 's/^You can find your model data at: //p' "$T/out")
case $uri in
s3://*/"$job"/output/model.tar.gz) ok "the model line names the job's model.tar.gz" ;;
*) not_ok "the model line names the job's model.tar.gz" "$uri" ;;
esac
[ -n "$uri" ] && direct s3 ls "$uri" >/dev/null 2>&1 && ok "aws-cli finds the model there" ||
    not_ok "aws-cli finds the model there" "$uri"
[ -f "$d/.accel/logpos.json" ] && ok "logpos.json beside job.json" ||
    not_ok "logpos.json beside job.json"
done_testing
