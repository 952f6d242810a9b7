#!/bin/sh
# tests/aws/awscli.t - aws-cli, the referee client, against the fake AWS:
# every service the tools use answers the exported credentials, a wrong
# secret is refused (the signature check is real), and the proxy counts
# exactly the requests made.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
fake_aws_start
# Step mode: the job moves only when described, so it never reaches
# Training (and writes its own log stream) however slow aws-cli is.
printf '{"step": true}\n' > "$FAKE_AWS_DIR/sagemaker.json"
AWS_MAX_ATTEMPTS=1      # no retries: every call is exactly one request
AWS_RETRY_MODE=standard
export AWS_MAX_ATTEMPTS AWS_RETRY_MODE
E=$AWS_ENDPOINT_URL
J=$T/job.json
cat >"$J" <<'EOF'
{"TrainingJobName": "demo-job-1",
 "RoleArn": "arn:aws:iam::123456789012:role/accel-test",
 "AlgorithmSpecification": {"TrainingImage":
   "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1-cpu-py310",
   "TrainingInputMode": "File"},
 "OutputDataConfig": {"S3OutputPath": "s3://accel-test/out"},
 "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1,
   "VolumeSizeInGB": 10},
 "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}
EOF

# aws_ok NAME EXPECTED-STDOUT ARGS...: aws-cli succeeds and prints EXPECTED
aws_ok() {
	name=$1 want=$2
	shift 2
	run aws --endpoint-url "$E" "$@"
	if [ "$status" -eq 0 ] && [ "$(cat "$T/out")" = "$want" ]; then
		ok "$name"
	else
		not_ok "$name" "exit $status" "stdout: $(cat "$T/out")" \
		    "stderr: $(cat "$T/err")" "want: $want"
	fi
}

# aws_refused NAME CODE ARGS...: aws-cli fails (255) with error (CODE)
aws_refused() {
	name=$1 code=$2
	shift 2
	run aws --endpoint-url "$E" "$@"
	if [ "$status" -eq 255 ] && grep -qF "($code)" "$T/err"; then
		ok "$name"
	else
		not_ok "$name" "exit $status" "stderr: $(cat "$T/err")"
	fi
}

printf 'hello\n' >"$T/hello"
aws_ok "s3 mb" "make_bucket: accel-test" s3 mb s3://accel-test
for k in a/plain.txt 'a/x+y=z.txt' 'a/ü é~.txt'; do
	aws_ok "s3 cp up '$k'" "" \
	    s3 cp --only-show-errors "$T/hello" "s3://accel-test/$k"
done
run aws --endpoint-url "$E" s3 ls s3://accel-test/a/
is "s3 ls lists the three keys" "$status $(awk '{ $1 = $2 = ""; print }' \
    "$T/out" | tr -s ' ')" "0  6 plain.txt
 6 x+y=z.txt
 6 ü é~.txt"
aws_ok "s3 cp down a key with + and =" "hello" \
    s3 cp 's3://accel-test/a/x+y=z.txt' -
# Over the proxy's 16 MiB buffer: streamed up (one PUT) and down (ranges).
head -c 17000000 /dev/urandom >"$T/big"
aws_ok "s3api put-object of 17 MB: moto's ETag is the file's MD5" \
    "\"$(md5sum <"$T/big" | cut -c1-32)\"" s3api put-object \
    --bucket accel-test --key big --body "$T/big" --query ETag --output text
run aws --endpoint-url "$E" s3 cp --only-show-errors s3://accel-test/big \
    "$T/big.back"
check_same "s3 cp down of 17 MB (3 ranged GETs): the same bytes" \
    "$T/big.back" "$T/big"
aws_ok "sts get-caller-identity" "arn:aws:iam::123456789012:user/tester" \
    sts get-caller-identity --query Arn --output text
aws_ok "iam create-role" "arn:aws:iam::123456789012:role/accel-test" \
    iam create-role --role-name accel-test --query Role.Arn --output text \
    --assume-role-policy-document '{"Version":"2012-10-17","Statement":[]}'
aws_ok "iam get-role" "arn:aws:iam::123456789012:role/accel-test" \
    iam get-role --role-name accel-test --query Role.Arn --output text
aws_ok "sagemaker create-training-job" \
    "arn:aws:sagemaker:us-east-1:123456789012:training-job/demo-job-1" \
    sagemaker create-training-job --cli-input-json "file://$J" \
    --query TrainingJobArn --output text
aws_ok "sagemaker describe-training-job" "demo-job-1	ml.m5.large" \
    sagemaker describe-training-job --training-job-name demo-job-1 \
    --query '[TrainingJobName, ResourceConfig.InstanceType]' --output text
G=/aws/sagemaker/TrainingJobs
aws_ok "logs create-log-group" "" logs create-log-group --log-group-name $G
aws_ok "logs create-log-stream" "" logs create-log-stream \
    --log-group-name $G --log-stream-name demo-job-1/algo-1-1700000000
# (by prefix: the fake's own job life may add demo-job-1's real streams)
aws_ok "logs describe-log-streams" "demo-job-1/algo-1-1700000000" \
    logs describe-log-streams --log-group-name $G \
    --log-stream-name-prefix demo-job-1/algo-1-1700000000 \
    --query 'logStreams[].logStreamName' --output text

# The same calls with a wrong secret, and with an unknown key.
right=$AWS_SECRET_ACCESS_KEY
AWS_SECRET_ACCESS_KEY=wrong$right
aws_refused "a wrong secret is refused (sts)" SignatureDoesNotMatch \
    sts get-caller-identity
aws_refused "a wrong secret is refused (s3)" SignatureDoesNotMatch \
    s3 ls s3://accel-test/a/
aws_refused "a wrong secret is refused (sagemaker, JSON shape)" \
    InvalidSignatureException \
    sagemaker describe-training-job --training-job-name demo-job-1
aws_refused "a wrong secret is refused (logs, JSON shape)" \
    InvalidSignatureException \
    logs describe-log-streams --log-group-name $G
AWS_SECRET_ACCESS_KEY=$right
key=$AWS_ACCESS_KEY_ID
AWS_ACCESS_KEY_ID=AKIAUNKNOWN00000000
aws_refused "an unknown key is refused (iam)" InvalidClientTokenId \
    iam get-role --role-name accel-test
aws_refused "an unknown key is refused (sagemaker, JSON shape)" \
    UnrecognizedClientException \
    sagemaker describe-training-job --training-job-name demo-job-1
AWS_ACCESS_KEY_ID=$key

# The counter: one line per request the proxy saw, by operation.
run fake_aws_count
check_stdout "1	iam:CreateRole
2	iam:GetRole
1	logs:CreateLogGroup
1	logs:CreateLogStream
2	logs:DescribeLogStreams
1	s3:CreateBucket
4	s3:GetObject
2	s3:HeadObject
2	s3:ListObjectsV2
4	s3:PutObject
1	sagemaker:CreateTrainingJob
3	sagemaker:DescribeTrainingJob
2	sts:GetCallerIdentity
" "count: every request, by operation"
run fake_aws_count 's3:*'
check_stdout "13
" "count GLOB: the S3 requests"
run fake_aws_count sagemaker:CreateTrainingJob
check_stdout "1
" "count OP: one CreateTrainingJob"
run fake_aws_count 'nosuch:*'
check_stdout "0
" "count of an operation never called"
is "the log records method, path, operation, fault and status" \
    "$(grep -F 'x%2By%3Dz' "$FAKE_AWS_DIR/requests.log" | cut -f2-)" \
    "PUT	/accel-test/a/x%2By%3Dz.txt	s3:PutObject	-	200
HEAD	/accel-test/a/x%2By%3Dz.txt	s3:HeadObject	-	200
GET	/accel-test/a/x%2By%3Dz.txt	s3:GetObject	-	200"

# Query authentication: token and signature values stay out of the log.
curl -s -o /dev/null "$E/accel-test/big?X-Amz-Credential=AKID%2F20261126%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=tok%2Bsecret&X-Amz-Signature=0123abcd&x-id=GetObject"
is "the log redacts query credentials, tokens and signatures" \
    "$(tail -n 1 "$FAKE_AWS_DIR/requests.log" | cut -f3-)" \
    "/accel-test/big?X-Amz-Credential=REDACTED&X-Amz-Security-Token=REDACTED&X-Amz-Signature=REDACTED&x-id=GetObject	s3:GetObject	-	403"

done_testing
