#!/bin/sh
# tests/aws/ops.t - every AWS operation of libaccel (through the driver
# build/tests/aws-awscall) against the fake AWS with SigV4 checking on.
# aws-cli and Python are the referees: what we upload aws-cli downloads
# byte for byte, the multipart ETag is the one S3's rule gives, what aws-cli
# wrote we read, our identity is aws-cli's.  The same requests signed with
# a wrong secret are refused, so the signature check is real.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
fake_aws_start
# Jobs move one transition per DescribeTrainingJob (step mode), never by
# the clock: "aws-cli sees the job stopping" must not race the fake's
# Stopping -> Stopped timer while aws-cli starts up on a loaded machine.
printf '{"step": true, "epoch": 1700000000}\n' >"$FAKE_AWS_DIR/sagemaker.json"
A=$TOP/build/tests/aws-awscall
E=$AWS_ENDPOINT_URL
AWS_MAX_ATTEMPTS=1	# every call is one request; faults.t tests retries
export AWS_MAX_ATTEMPTS

# call_ok NAME EXPECTED-STDOUT ARGS...: the driver succeeds, prints EXPECTED
call_ok() {
	name=$1 want=$2
	shift 2
	run "$A" "$@"
	if [ "$status" -eq 0 ] && [ "$(cat "$T/out")" = "$want" ]; then
		ok "$name"
	else
		not_ok "$name" "exit $status" "stdout: $(cat "$T/out")" \
		    "stderr: $(cat "$T/err")" "want: $want"
	fi
}

# call_fails NAME STATUS STDERR ARGS...: exits STATUS with exactly STDERR
call_fails() {
	name=$1 want_status=$2 want_err=$3
	shift 3
	run "$A" "$@"
	if [ "$status" -eq "$want_status" ] &&
	    [ "$(sed 's/ (request id [^)]*)$//' "$T/err")" = "$want_err" ]; then
		ok "$name"
	else
		not_ok "$name" "exit $status, want $want_status" \
		    "stderr: $(cat "$T/err")" "want: $want_err"
	fi
}

awscli() { aws --endpoint-url "$E" "$@"; }

B=accel-ops
printf 'hello world 0123456789\n' >"$T/small"
head -c 12000000 /dev/urandom >"$T/big"

# STS
call_ok "GetCallerIdentity" \
    "$(awscli sts get-caller-identity --query '[Account, Arn]' \
    --output text | tr '\t' ' ')" whoami
run "$A" assume-role arn:aws:iam::123456789012:role/r s1
is "AssumeRole: temporary key and expiry" \
    "$status $(sed 's/^ASIA[A-Z0-9]* [0-9-]*T[0-9:.]*Z$/key expiry/' \
    "$T/out")" "0 key expiry"
# moto with signature checking on cannot take an unsigned call (it reads
# the Authorization header unconditionally), so AssumeRoleWithWebIdentity
# goes to tests/aws/httpd.py, which refuses a signed one and decodes the
# form with urllib.
python3 "$TOP/tests/aws/httpd.py" >"$T/httpd.port" &
wait_until 60 test -s "$T/httpd.port" || echo "# httpd.py did not start"
read -r hport hpid <"$T/httpd.port"
printf 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl' >"$T/jwt"
AWS_ENDPOINT_URL_STS=http://127.0.0.1:$hport/sts run "$A" web-identity \
    arn:aws:iam::123456789012:role/r 'ci@a=b+c,d.e' "$T/jwt"
is "AssumeRoleWithWebIdentity: unsigned, form-encoded" "$status $(cat "$T/out")" \
    "0 ASIAWEBIDENTITY 2026-11-26T23:45:37Z arn:aws:iam::123456789012:role/r/ci@a=b+c,d.e"
kill "$hpid"

# IAM
awscli iam create-role --role-name accel-ops --assume-role-policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}' >/dev/null
call_ok "GetRole, trust policy URL-decoded" \
    "arn:aws:iam::123456789012:role/accel-ops
{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"}]}" \
    get-role accel-ops
call_fails "GetRole of a missing role" 1 \
    "aws-awscall: IAM GetRole: NoSuchEntity: Role nope not found" \
    get-role nope

# S3
call_fails "HeadBucket of a missing bucket" 1 \
    "aws-awscall: S3 HeadBucket: NotFound" head-bucket $B
call_ok "CreateBucket" "" create-bucket $B
call_ok "CreateBucket again (already ours)" "" create-bucket $B
call_ok "HeadBucket" "us-east-1" head-bucket $B
call_ok "PutObject" "\"$(md5sum <"$T/small" | cut -c1-32)\"" \
    put $B 'dir one/a+b=é.txt' "$T/small"
awscli s3 cp --only-show-errors "s3://$B/dir one/a+b=é.txt" "$T/small.aws"
check_same "aws-cli downloads what PutObject sent" "$T/small.aws" "$T/small"
call_ok "HeadObject" "23 \"$(md5sum <"$T/small" | cut -c1-32)\"" \
    head $B 'dir one/a+b=é.txt'
call_fails "HeadObject of a missing key" 1 \
    "aws-awscall: S3 HeadObject: NotFound" head $B nokey
want_etag=$(python3 -c '
import hashlib, sys
d = open(sys.argv[1], "rb").read(); p = 5 << 20
m = b"".join(hashlib.md5(d[i:i + p]).digest() for i in range(0, len(d), p))
print("\"%s-%d\"" % (hashlib.md5(m).hexdigest(), (len(d) + p - 1) // p))' \
    "$T/big")
call_ok "multipart upload, 3 parts on 3 threads: S3's ETag" "$want_etag" \
    upload $B big.bin "$T/big" 5242880 3
awscli s3 cp --only-show-errors "s3://$B/big.bin" "$T/big.aws"
check_same "aws-cli downloads what the multipart upload sent" \
    "$T/big.aws" "$T/big"
awscli s3 cp --only-show-errors "$T/big" "s3://$B/by-cli.bin"
call_ok "GetObject of what aws-cli uploaded" 12000000 \
    get $B by-cli.bin "$T/big.get"
check_same "GetObject bytes" "$T/big.get" "$T/big"
call_ok "ranged GetObject" 10 get $B by-cli.bin "$T/range" 5000000 5000009
head -c 5000010 "$T/big" | tail -c 10 >"$T/range.want"
check_same "ranged GetObject bytes" "$T/range" "$T/range.want"
call_fails "GetObject of a missing key" 1 \
    "aws-awscall: S3 GetObject: NoSuchKey: The specified key does not exist." \
    get $B nokey "$T/none"

# SageMaker
cat >"$T/job.json" <<'EOF'
{"TrainingJobName": "ops-job-1",
 "RoleArn": "arn:aws:iam::123456789012:role/accel-ops",
 "AlgorithmSpecification": {"TrainingImage":
   "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1-cpu-py310",
   "TrainingInputMode": "File"},
 "OutputDataConfig": {"S3OutputPath": "s3://accel-ops/out"},
 "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1,
   "VolumeSizeInGB": 10},
 "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}
EOF
call_ok "CreateTrainingJob" \
    "arn:aws:sagemaker:us-east-1:123456789012:training-job/ops-job-1" \
    create-job "$T/job.json"
is "aws-cli describes the job we created" "$(awscli sagemaker \
    describe-training-job --training-job-name ops-job-1 --query \
    '[TrainingJobName, RoleArn, ResourceConfig.InstanceType]' \
    --output text)" "ops-job-1	arn:aws:iam::123456789012:role/accel-ops	ml.m5.large"
run "$A" describe-job ops-job-1
is "DescribeTrainingJob" "$status $(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(d["TrainingJobName"], d["TrainingJobStatus"])' "$T/out")" \
    "0 ops-job-1 InProgress"
call_fails "DescribeTrainingJob of a missing job" 1 \
    "aws-awscall: SageMaker DescribeTrainingJob: ValidationException: Could not find training job 'arn:aws:sagemaker:us-east-1:123456789012:training-job/nope'." \
    describe-job nope
run "$A" list-jobs
is "ListTrainingJobs" "$status $(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print([j["TrainingJobName"] for j in d["TrainingJobSummaries"]])' \
    "$T/out")" "0 ['ops-job-1']"
call_ok "StopTrainingJob" "" stop-job ops-job-1
is "aws-cli sees the job stopping" "$(awscli sagemaker \
    describe-training-job --training-job-name ops-job-1 --query \
    TrainingJobStatus --output text)" Stopping
call_fails "CreateTrainingJob of an existing job" 1 \
    "aws-awscall: SageMaker CreateTrainingJob: ResourceInUse: Training job names must be unique within an AWS account and region, and a training job with this name already exists (arn:aws:sagemaker:us-east-1:123456789012:training-job/ops-job-1)" \
    create-job "$T/job.json"

# CloudWatch Logs
G=/aws/sagemaker/TrainingJobs
python3 - "$E" $G <<'EOF'
import sys, boto3
logs = boto3.client("logs", endpoint_url=sys.argv[1])
logs.create_log_group(logGroupName=sys.argv[2])
for name in ["ops-job-1/algo-1-%03d" % i for i in range(60)] + ["other/x"]:
    logs.create_log_stream(logGroupName=sys.argv[2], logStreamName=name)
EOF
call_ok "DescribeLogStreams follows nextToken (60 streams, pages of 50)" \
    "$(awscli logs describe-log-streams --log-group-name $G \
    --log-stream-name-prefix ops-job-1/ --query 'logStreams[].logStreamName' \
    --output text | tr '\t' '\n')" streams $G ops-job-1/
is "...in two pages each (aws-cli's and ours)" \
    "$(fake_aws_count logs:DescribeLogStreams)" 4
now=$(($(date +%s) * 1000))
python3 - "$now" >"$T/events.json" <<'EOF'
import json, sys
now = int(sys.argv[1])
print(json.dumps([{"timestamp": now + i, "message": "line %d" % i}
                  for i in range(25000)]))
EOF
awscli logs put-log-events --log-group-name $G \
    --log-stream-name ops-job-1/algo-1-000 \
    --log-events "file://$T/events.json" >/dev/null
run "$A" events $G ops-job-1/algo-1-000
is "GetLogEvents follows forward tokens to the end" \
    "$status $(wc -l <"$T/out") $(head -1 "$T/out") / $(tail -1 "$T/out")" \
    "0 25000 line 0 / line 24999"
call_fails "DescribeLogStreams of a missing group" 1 \
    "aws-awscall: CloudWatch Logs DescribeLogStreams: ResourceNotFoundException: The specified log group does not exist." \
    streams nogroup

# The same requests with a wrong secret: refused by every service.
refused() {
	name=$1
	shift
	run "$A" --wrong-secret "$@"
	if [ "$status" -eq 1 ] && grep -Eq \
	    'SignatureDoesNotMatch|InvalidSignatureException' "$T/err"; then
		ok "$name"
	else
		not_ok "$name" "exit $status" "stderr: $(cat "$T/err")"
	fi
}
refused "wrong secret refused: STS" whoami
refused "wrong secret refused: STS AssumeRole" assume-role \
    arn:aws:iam::123456789012:role/r s1
refused "wrong secret refused: IAM" get-role accel-ops
refused "wrong secret refused: S3 PutObject" put $B x "$T/small"
refused "wrong secret refused: S3 GetObject" get $B by-cli.bin "$T/x"
refused "wrong secret refused: S3 multipart" upload $B y "$T/big" \
    5242880 2
refused "wrong secret refused: SageMaker" describe-job ops-job-1
refused "wrong secret refused: SageMaker StopTrainingJob" stop-job ops-job-1
refused "wrong secret refused: Logs" streams $G
run "$A" --wrong-secret head $B by-cli.bin
is "wrong secret refused: S3 HEAD (403, no body)" "$status $(cat "$T/err" |
    sed 's/ (request id [^)]*)$//')" "1 aws-awscall: S3 HeadObject: Forbidden"

# Verbose runs print every attempt, never a secret.
AWS_SESSION_TOKEN=accel-test-session-token-1234567890 \
    run "$A" -v --wrong-secret put $B x "$T/small"
cat "$T/out" "$T/err" >"$T/verbose"
AWS_SESSION_TOKEN=accel-test-session-token-1234567890 \
    AWS_MAX_ATTEMPTS=2 run "$A" -v stop-job ops-job-1
cat "$T/out" "$T/err" >>"$T/verbose"
run "$A" -v whoami
cat "$T/out" "$T/err" >>"$T/verbose"
is "verbose output has the attempts" "$(grep -c 'attempt' "$T/verbose")" 3
is "...but not the secret key or the session token" "$(grep -cF -e \
    "$AWS_SECRET_ACCESS_KEY" -e accel-test-session-token "$T/verbose")" 0

done_testing
