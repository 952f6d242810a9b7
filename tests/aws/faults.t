#!/bin/sh
# tests/aws/faults.t - the fault proxy: each fault in the shape a client
# sees (botocore, aws-cli and curl are the referees), the same faults for the same
# seed, and aws-cli's own retries carrying a series of calls through 30%.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
fake_aws_start
AWS_RETRY_MODE=standard
AWS_MAX_ATTEMPTS=1
export AWS_RETRY_MODE AWS_MAX_ATTEMPTS
E=$AWS_ENDPOINT_URL
LOG=$FAKE_AWS_DIR/requests.log
PROXY=$TOP/tests/aws/faultproxy.py

# shapes.py: setup at 0%, then one attempt of each call under each error
# fault at 100%; botocore (aws-cli's parser) names the error it sees.
head -c 200000 /dev/urandom >"$T/blob"
cat >"$T/shapes.py" <<'EOF'
import json, sys, urllib.request
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

one = Config(retries={"total_max_attempts": 1})
c = {s: boto3.client(s, config=one)
     for s in ("s3", "sts", "iam", "sagemaker", "logs")}
c["s3"].create_bucket(Bucket="accel-test")
c["s3"].upload_file(sys.argv[1], "accel-test", "blob")
c["iam"].create_role(RoleName="accel-test", AssumeRolePolicyDocument="{}")
c["logs"].create_log_group(logGroupName="/aws/sagemaker/TrainingJobs")
calls = [
    ("JSON 1.1", lambda: c["sagemaker"].list_training_jobs()),
    ("JSON 1.1", lambda: c["logs"].describe_log_streams(
        logGroupName="/aws/sagemaker/TrainingJobs")),
    ("query", lambda: c["sts"].get_caller_identity()),
    ("query", lambda: c["iam"].get_role(RoleName="accel-test")),
    ("S3", lambda: c["s3"].list_objects_v2(Bucket="accel-test")),
    ("S3 HEAD", lambda: c["s3"].head_bucket(Bucket="accel-test")),
]
for mix in ("throttle", "500", "503"):
    urllib.request.urlopen(urllib.request.Request(
        sys.argv[2], data=json.dumps({"rate": 1, "mix": mix}).encode()))
    for proto, call in calls:
        try:
            call()
            got = "no error"
        except ClientError as e:
            got = (f'{e.response["ResponseMetadata"]["HTTPStatusCode"]} '
                   f'{e.response["Error"]["Code"]}')
        print(f"{mix} {proto}: {got}")
EOF
run python3 "$T/shapes.py" "$T/blob" "$E/__faultproxy/config"
check_stdout "throttle JSON 1.1: 400 ThrottlingException
throttle JSON 1.1: 400 ThrottlingException
throttle query: 400 Throttling
throttle query: 400 Throttling
throttle S3: 503 SlowDown
throttle S3 HEAD: 503 503
500 JSON 1.1: 500 InternalFailure
500 JSON 1.1: 500 InternalFailure
500 query: 500 InternalFailure
500 query: 500 InternalFailure
500 S3: 500 InternalError
500 S3 HEAD: 500 500
503 JSON 1.1: 503 ServiceUnavailable
503 JSON 1.1: 503 ServiceUnavailable
503 query: 503 ServiceUnavailable
503 query: 503 ServiceUnavailable
503 S3: 503 ServiceUnavailable
503 S3 HEAD: 503 503
" "each error fault in each protocol's shape, as botocore parses it"

# aws_code NAME CODE ARGS...: one attempt of aws-cli fails with error (CODE)
aws_code() {
	name=$1 code=$2
	shift 2
	run aws --endpoint-url "$E" "$@"
	if [ "$status" -ne 0 ] && grep -qF "($code)" "$T/err"; then
		ok "$name"
	else
		not_ok "$name" "exit $status" "stderr: $(cat "$T/err")"
	fi
}
fake_aws_faults 1 --mix throttle
aws_code "aws-cli reports the JSON 1.1 throttle as ThrottlingException" \
    ThrottlingException sagemaker list-training-jobs

fake_aws_faults 1 --mix throttle
run curl -sS -i -X POST -H 'X-Amz-Target: SageMaker.ListTrainingJobs' \
    -H 'Content-Type: application/x-amz-json-1.1' -d '{}' "$E/"
tr -d '\r' <"$T/out" | grep -i -e '^HTTP/' -e '^x-amzn-ErrorType' \
    -e '^{' >"$T/shape"
check_text "throttle, JSON 1.1: status, x-amzn-ErrorType and __type" \
    "$T/shape" 'HTTP/1.1 400 Bad Request
x-amzn-ErrorType: ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.service/
{"__type": "ThrottlingException", "message": "Rate exceeded"}
'
is "injected errors never reach moto (count --forwarded)" \
    "$(fake_aws_count --forwarded 'sagemaker:*') $(fake_aws_count 'sagemaker:*')" \
    "0 5"

# --- connection faults, seen by curl ------------------------------------------
# curl_exit MIX [CURL-ARGS]: curl's exit status for an unsigned S3 GET (moto
# answers 403 with an XML body) under the fault MIX at 100%
curl_exit() {
	fake_aws_faults 1 --mix "$1"
	shift
	curl -sS -o /dev/null "$@" "$E/accel-test/blob" 2>/dev/null
	echo $?
}
is "reset: curl sees a reset before any answer (56)" "$(curl_exit reset)" 56
is "reset-body: a reset in the middle of the body (56)" \
    "$(curl_exit reset-body)" 56
is "truncate: fewer bytes than Content-Length, then close (18)" \
    "$(curl_exit truncate)" 18
is "truncate of a HEAD answer: a broken status line (curl fails)" \
    "$(curl_exit truncate -I | sed 's/^[1-9][0-9]*$/fails/')" fails
is "delay: the answer comes (0)" "$(curl_exit delay)" 0
fake_aws_faults 0
curl -s -o "$T/clean" "$E/accel-test/blob"
fake_aws_faults 1 --mix corrupt
curl -s -o "$T/corrupt" "$E/accel-test/blob"
is "corrupt: same length, exactly one byte differs" \
    "$(wc -c <"$T/corrupt") $(cmp -l "$T/clean" "$T/corrupt" | wc -l)" \
    "$(wc -c <"$T/clean") 1"
is "the log names each fault" "$(tail -n 7 "$LOG" | cut -f 2,4,5 | tr '\t' ' ')" \
    "GET s3:GetObject reset
GET s3:GetObject reset-body
GET s3:GetObject truncate
HEAD s3:HeadObject truncate-head
GET s3:GetObject delay
GET s3:GetObject -
GET s3:GetObject corrupt"

# --- determinism -----------------------------------------------------------
# faults_of SEED: the faults of 30 requests after restarting the numbering
faults_of() {
	fake_aws_faults 0.5 --seed "$1" --mix ''
	before=$(wc -l <"$LOG")
	i=0
	while [ $i -lt 30 ]; do
		curl -s -o /dev/null --max-time 20 "$E/accel-test/k$i"
		i=$((i + 1))
	done
	tail -n +"$((before + 1))" "$LOG" | cut -f5 | sed 's/-head$//'
}
faults_of 42 >"$T/run1"
faults_of 42 >"$T/run2"
faults_of 43 >"$T/run3"
python3 "$PROXY" --plan 30 --rate 0.5 --seed 42 | cut -f2 >"$T/plan"
check_same "the same seed gives the same faults" "$T/run2" "$T/run1"
check_same "they are the ones --plan predicts" "$T/run1" "$T/plan"
if cmp -s "$T/run1" "$T/run3"; then not_ok "another seed, other faults"
else ok "another seed, other faults"; fi
is "about half of them are faults, of several kinds" \
    "$(grep -vc -x -- - "$T/run1") $(sort -u "$T/run1" | grep -vc -x -- -)" \
    "$(grep -vc -x -- - "$T/plan") $(sort -u "$T/plan" | grep -vc -x -- -)"
case $(grep -vc -x -- - "$T/run1") in 1[0-9]|20) ok "10 to 20 faults of 30" ;;
*) not_ok "10 to 20 faults of 30" "$(cat "$T/run1")" ;; esac

# --- --ops: faults for some operations only ------------------------------------
fake_aws_faults 1 --mix 500 --ops 's3:GetObject,s3:HeadObject'
run aws --endpoint-url "$E" sts get-caller-identity --query Account \
    --output text
is "--ops: other operations pass" "$status $(cat "$T/out")" "0 123456789012"
aws_code "--ops: the named ones fail" InternalError s3api get-object \
    --bucket accel-test --key blob "$T/blob.out"

# --- 30% faults, aws-cli's retries -------------------------------------------
AWS_MAX_ATTEMPTS=10
fake_aws_faults 0.3 --seed 6 --mix '' --ops ''
before=$(wc -l <"$LOG")
fails=
series() {
	aws --endpoint-url "$E" s3 cp --only-show-errors s3://accel-test/blob \
	    "$T/blob.back" && cmp -s "$T/blob" "$T/blob.back" || fails="$fails get"
	aws --endpoint-url "$E" s3 cp --only-show-errors "$T/blob" \
	    s3://accel-test/blob2 || fails="$fails put"
	aws --endpoint-url "$E" sts get-caller-identity >/dev/null ||
	    fails="$fails sts"
	aws --endpoint-url "$E" iam get-role --role-name accel-test \
	    >/dev/null || fails="$fails iam"
	aws --endpoint-url "$E" sagemaker list-training-jobs >/dev/null ||
	    fails="$fails sagemaker"
	aws --endpoint-url "$E" logs describe-log-streams \
	    --log-group-name /aws/sagemaker/TrainingJobs >/dev/null ||
	    fails="$fails logs"
}
series 2>"$T/series.err"
is "at 30% faults every call of the series succeeds" "$fails" ""
tail -n +"$((before + 1))" "$LOG" | awk -F'\t' '$5 != "-" { print $5 }' |
    sort -u | tr '\n' ' ' >"$T/kinds"
n=$(tail -n +"$((before + 1))" "$LOG" | awk -F'\t' '$5 != "-"' | wc -l)
if [ "$n" -ge 3 ]; then ok "the series met $n faults ($(cat "$T/kinds"))"
else not_ok "the series met faults" "$(tail -n +"$((before + 1))" "$LOG")"; fi

fake_aws_faults 0
run "$FAKE_AWS" faults 1.5
check_status 1 "faults: a rate above 1"
check_stderr "fake-aws: the proxy refused the settings: {\"error\": \"rate 1.5 is not within 0..1\"}
" "is refused with the reason"

done_testing
