#!/bin/sh
# submit-kill.t - a crash between CreateTrainingJob and JOB.json leaves
# one job.  The fault proxy holds CreateTrainingJob for seconds before it
# forwards it (a "delay" fault); accel-submit is killed with SIGKILL while
# its request sits there, the proxy then delivers it, and moto creates the
# job that no client heard about.  The rerun must attach to it: exactly
# one job of that name (ListTrainingJobs), one CreateTrainingJob and one
# upload at the server.  Then two submits at once (two CI runners): one
# job again.  No hooks in the product: only the proxy and the signal.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
fake_aws_start --delay-ms 8000
ROLE=accelerate_sagemaker_execution_role
direct() { aws --endpoint-url "$FAKE_AWS_DIRECT_URL" "$@"; }
direct iam create-role --role-name "$ROLE" \
    --assume-role-policy-document '{"Version":"2012-10-17","Statement":[]}' \
    >/dev/null
get() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): d = d[k]
print(d)' "$1" "$2"; }
count() { fake_aws_count "$1"; }
# jobs NAME: how many training jobs of that name the service lists
jobs() {
	direct sagemaker list-training-jobs --name-contains "$1" \
	    --query 'TrainingJobSummaries[].TrainingJobName' --output text |
	    tr '\t' '\n' | grep -cx "$1"
}

project() {
	mkdir -p "$1/.accel"
	cp "$TOP/examples/quickstart/accelerate.yaml" \
	    "$TOP/examples/quickstart/train.py" \
	    "$TOP/examples/quickstart/requirements.txt" "$1/"
	(cd "$1" && "$BIN/accel-validate" -o .accel/config.json \
	    accelerate.yaml && "$BIN/accel-request" -c .accel/config.json \
	    -o .accel/request.json "$2" train.py --epochs 1) >/dev/null 2>&1
}

project "$T/k" --run=0
R=$T/k/.accel/request.json
JOB=$(get "$R" accel.job_name)
fake_aws_faults 1 --mix delay --ops sagemaker:CreateTrainingJob
"$BIN/accel-submit" "$R" >"$T/k.out" 2>"$T/k.err" &
pid=$!
# the line accel-submit prints just before it sends CreateTrainingJob; the
# requests before it have been answered, so the one the proxy then holds
# (4 to 12 s) is CreateTrainingJob: kill the client while it is held
wait_until 60 grep -q "Creating training-job" "$T/k.err"
wait_until 60 fake_aws_holding
is "CreateTrainingJob is held at the proxy" \
    "$(fake_aws_count sagemaker:CreateTrainingJob)" 0
kill -KILL $pid
wait $pid
status=$?
is "accel-submit was killed" "$status" 137
# the proxy forwards the held request: the job appears with no client
i=0
until [ "$(jobs "$JOB")" = 1 ] || [ $i -ge 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
is "the job was created after the client died" "$(jobs "$JOB")" 1
[ ! -e "$T/k/.accel/job.json" ] && ok "the killed run wrote no JOB.json" ||
    not_ok "the killed run wrote no JOB.json"
fake_aws_faults 0
run "$BIN/accel-submit" "$R"
check_status 0 "the rerun"
is "the rerun attached" "$(get "$T/k/.accel/job.json" attached)" True
is "exactly one job of that name (ListTrainingJobs)" "$(jobs "$JOB")" 1
is "one CreateTrainingJob and one upload at the server" \
    "$(count sagemaker:CreateTrainingJob) $(count s3:PutObject)" "1 1"

# two runners at once, same inputs: one job, both JOB.json name it
project "$T/two" --run=1
R2=$T/two/.accel/request.json
J2=$(get "$R2" accel.job_name)
"$BIN/accel-submit" -o "$T/a.json" "$R2" >/dev/null 2>"$T/a.err" &
a=$!
"$BIN/accel-submit" -o "$T/b.json" "$R2" >/dev/null 2>"$T/b.err" &
b=$!
wait $a
sa=$?
wait $b
sb=$?
is "both runners succeed" "$sa $sb" "0 0"
is "one job for two runners" "$(jobs "$J2")" 1
is "both JOB.json name the same ARN" "$(get "$T/a.json" arn)" \
    "$(get "$T/b.json" arn)"
is "one of them attached" \
    "$(get "$T/a.json" attached) $(get "$T/b.json" attached)" \
    "$( [ "$(get "$T/a.json" attached)" = True ] && echo "True False" ||
    echo "False True")"
done_testing
