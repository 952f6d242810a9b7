#!/bin/sh
# tests/aws/retries.t - the retry layer through the fault proxy of the fake
# AWS: at 30% faults (5xx and throttling in each protocol's shape, resets
# before and during the body, truncated bodies, delays) 200 mixed
# operations all succeed; a 4xx validation error is never retried (the
# proxy counts the requests); at 100% faults a call gives up after the
# configured attempts with the temporary-failure status 75.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
fake_aws_start
A=$TOP/build/tests/aws-awscall
E=$AWS_ENDPOINT_URL
unset AWS_MAX_ATTEMPTS AWS_RETRY_MODE

# The objects the mixed operations touch, made without faults.
B=accel-faults G=/aws/sagemaker/TrainingJobs S=faults-job/algo-1-1
printf 'hello world 0123456789\n' >"$T/small"
cat >"$T/job.json" <<'EOF'
{"TrainingJobName": "faults-job",
 "RoleArn": "arn:aws:iam::123456789012:role/accel-faults",
 "AlgorithmSpecification": {"TrainingImage": "img", "TrainingInputMode": "File"},
 "OutputDataConfig": {"S3OutputPath": "s3://accel-faults/out"},
 "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1,
   "VolumeSizeInGB": 10},
 "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}
EOF
python3 - "$E" $B $G $S "$T/job.json" <<'EOF'
import json, sys, time, boto3
e, bucket, group, stream, job = sys.argv[1:]
boto3.client("s3", endpoint_url=e).create_bucket(Bucket=bucket)
boto3.client("s3", endpoint_url=e).put_object(Bucket=bucket, Key="mixed/obj",
                                             Body=b"hello")
boto3.client("iam", endpoint_url=e).create_role(
    RoleName="accel-faults", AssumeRolePolicyDocument="{}")
boto3.client("sagemaker", endpoint_url=e).create_training_job(
    **json.load(open(job)))
logs = boto3.client("logs", endpoint_url=e)
logs.create_log_group(logGroupName=group)
logs.create_log_stream(logGroupName=group, logStreamName=stream)
now = int(time.time() * 1000)
logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
    {"timestamp": now + i, "message": "line %d" % i} for i in range(3)])
EOF
is "fixtures made" "$?" 0

# 30% faults, every kind, a fixed seed.  Ten attempts make a call that
# fails for good rare enough (0.3^10) that all 200 must pass.
fake_aws_faults 0.3 --seed 42
before=$(fake_aws_count)
AWS_MAX_ATTEMPTS=10 run "$A" mixed 200 $B "$T/small" faults-job \
    accel-faults $G $S
is "200 mixed operations succeed at 30% faults" \
    "$status $(cat "$T/err")" "0 mixed: 200 operations succeeded"
faulted=$(awk -F '\t' '$5 != "-" && $5 != "delay"' \
    "$FAKE_AWS_DIR/requests.log" | wc -l)
if [ "$faulted" -ge 40 ]; then ok "faults were injected ($faulted)"; else
	not_ok "faults were injected" "only $faulted"; fi
for kind in 500 503 throttle reset reset-body truncate; do
	n=$(awk -F '\t' -v k=$kind '$5 == k' "$FAKE_AWS_DIR/requests.log" |
	    wc -l)
	if [ "$n" -gt 0 ]; then ok "fault '$kind' seen and survived"; else
		not_ok "fault '$kind' seen and survived" "none injected"; fi
done

# Validation errors at 30% faults: each call ends at its first real 400.
lines=$(wc -l <"$FAKE_AWS_DIR/requests.log")
i=0 fails=0
while [ $i -lt 20 ]; do
	AWS_MAX_ATTEMPTS=10 run "$A" describe-job no-such-job
	[ "$status" -eq 1 ] || fails=$((fails + 1))
	i=$((i + 1))
done
is "20 validation errors exit 1" "$fails" 0
tail -n +$((lines + 1)) "$FAKE_AWS_DIR/requests.log" >"$T/validation.log"
is "each validation error reached the fake once, never retried" \
    "$(awk -F '\t' '($5 == "-" || $5 == "delay") && $6 == 400' \
    "$T/validation.log" | wc -l)" 20
is "...and the proxy saw only retries of faults besides" \
    "$(awk -F '\t' '$4 != "sagemaker:DescribeTrainingJob"' \
    "$T/validation.log" | wc -l)" 0

# A multipart upload whose parts always fail is aborted: no upload is
# left behind (aws-cli lists none), and the first failure is reported.
head -c 11000000 /dev/urandom >"$T/big"
fake_aws_faults 1.0 --seed 3 --mix 500 --ops 's3:UploadPart'
aborts0=$(fake_aws_count s3:AbortMultipartUpload)
AWS_MAX_ATTEMPTS=2 run "$A" upload $B parts-fail "$T/big" 5242880 3
is "a failing multipart upload exits 75" "$status" 75
is "...and is aborted once" \
    "$(($(fake_aws_count s3:AbortMultipartUpload) - aborts0))" 1
fake_aws_faults 0
is "...leaving no upload behind" "$(aws --endpoint-url "$E" s3api \
    list-multipart-uploads --bucket $B --query 'length(Uploads || `[]`)')" 0
case $(cat "$T/err") in
"aws-awscall: S3 UploadPart: InternalError"*) ok "...and says which part failed" ;;
*) not_ok "...and says which part failed" "$(cat "$T/err")" ;;
esac

# 100% faults of the kinds that never reach the service (a truncated
# answer to a HEAD is complete): give up, exit 75.
fake_aws_faults 1.0 --seed 1 --mix '500,503,throttle,reset' --ops '*'
gives_up() {
	name=$1 attempts=$2 op=$3
	shift 3
	n0=$(fake_aws_count "$op")
	AWS_MAX_ATTEMPTS=$attempts run "$A" "$@"
	n1=$(fake_aws_count "$op")
	is "$name: exit 75 after $attempts attempts" "$status $((n1 - n0))" \
	    "75 $attempts"
}
gives_up "STS (query) at 100% faults" 3 'sts:*' whoami
gives_up "SageMaker (JSON 1.1) at 100% faults" 3 'sagemaker:*' \
    describe-job faults-job
gives_up "S3 HEAD at 100% faults" 3 's3:*' head $B mixed/obj
gives_up "S3 GET at 100% faults" 3 's3:*' get $B mixed/obj "$T/x"
gives_up "Logs at 100% faults, AWS_MAX_ATTEMPTS=5" 5 'logs:*' streams $G
gives_up "AWS_MAX_ATTEMPTS=1: no retry" 1 'iam:*' get-role accel-faults
unset AWS_MAX_ATTEMPTS
n0=$(fake_aws_count 'sts:*')
run "$A" whoami
is "default: 3 attempts" "$status $(($(fake_aws_count 'sts:*') - n0))" "75 3"
case $(cat "$T/err") in
"aws-awscall: STS GetCallerIdentity: "*) ok "the last failure is reported" ;;
*) not_ok "the last failure is reported" "$(cat "$T/err")" ;;
esac

done_testing
