#!/bin/sh
# local-s3.t - accel-local's s3:// channels against the fake AWS: objects
# uploaded with aws-cli (the peer client) under s3://bkt/data/train/ appear
# under input/data/train as SageMaker's S3Prefix lays them out (the probe
# copies the channel; diff -r against the uploaded tree is the referee), a
# URI naming one object gives that object alone; a rerun fetches nothing
# (GetObject counted at the fake), a changed object is fetched again and a
# deleted one disappears; a key with ".." is refused; without credentials
# the error shows the file:// form.
. "$(dirname "$0")/../cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
fake_aws_start
JOB=local-s3-2025-01-01-00-00-00-000
W=$T/w
mkdir -p "$W/src" "$W/up/sub" "$W/probe"
cat >"$W/src/train.py" <<'EOF2'
import os, shutil
out = os.environ["PROBE_OUT"]
for ch in ("train", "one"):
    dst = os.path.join(out, ch)
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(os.environ["SM_CHANNEL_" + ch.upper()], dst)
EOF2
tar -C "$W/src" -czf "$W/sourcedir.tar.gz" train.py
channel() {
	printf '{"ChannelName": "%s", "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "%s", "S3DataDistributionType": "FullyReplicated"}}}' "$1" "$2"
}
request() {
	cat <<JSON
{"AlgorithmSpecification": {"TrainingInputMode": "File", "TrainingImage": "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04"},
 "OutputDataConfig": {"S3OutputPath": "s3://{{bucket}}/"},
 "TrainingJobName": "$JOB",
 "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
 "ResourceConfig": {"VolumeSizeInGB": 30, "InstanceCount": 1, "InstanceType": "local"},
 "RoleArn": "{{role_arn}}",
 "InputDataConfig": [$1],
 "HyperParameters": {"sagemaker_program": "\"train.py\"", "sagemaker_region": "\"us-east-1\""},
 "Environment": {"PROBE_OUT": "$W/probe"}
}
JSON
}
request "$(channel train s3://bkt/data/train), $(channel one s3://bkt/data/train/a.csv)" >"$W/request.json"

echo 1,2 >"$W/up/a.csv"
printf 'x%.0s' $(seq 3000) >"$W/up/sub/b.csv"
: >"$W/up/empty.txt"
aws s3 mb s3://bkt >/dev/null
run aws s3 cp --recursive "$W/up" s3://bkt/data/train/
check_status 0 "aws s3 cp uploads the channel"
aws s3 cp "$W/up/a.csv" s3://bkt/data/other/a.csv >/dev/null

gets() { fake_aws_count 's3:GetObject'; }
run "$BIN/accel-local" "$W/request.json"
check_status 0 "a job with s3:// channels"
is "files and bytes of input/data/train" \
    "$(diff -r "$W/up" "$W/probe/train" 2>&1)" ""
is "a URI naming one object: that object alone" \
    "$(cd "$W/probe/one" && find . | sort | tr '\n' ' ')" ". ./a.csv "
cmp -s "$W/up/a.csv" "$W/probe/one/a.csv"
is "its bytes" $? 0
is "a GetObject for each object with bytes" "$(gets)" 3

run "$BIN/accel-local" "$W/request.json"
check_status 0 "rerun"
is "a rerun fetches nothing" "$(gets)" 3
is "rerun: the same files" \
    "$(diff -r "$W/up" "$W/probe/train" 2>&1)" ""

echo 3,4 >"$W/up/a.csv"
rm "$W/up/empty.txt"
aws s3 cp "$W/up/a.csv" s3://bkt/data/train/a.csv >/dev/null
aws s3 rm s3://bkt/data/train/empty.txt >/dev/null
run "$BIN/accel-local" "$W/request.json"
check_status 0 "rerun after changes in S3"
is "the changed object fetched, the deleted one gone" \
    "$(diff -r "$W/up" "$W/probe/train" 2>&1)" ""
is "only the changed objects are fetched" "$(gets)" 5

V=$T/v
mkdir -p "$V"
cp "$W/sourcedir.tar.gz" "$V/"
request "$(channel train s3://bkt/evil)" >"$V/request.json"
aws s3api put-object --bucket bkt --key evil/../../x.csv \
    --body "$W/up/a.csv" >/dev/null
run "$BIN/accel-local" "$V/request.json"
check_status 1 "a key with .. is refused"
check_stderr "accel-local: s3://bkt/evil/../../x.csv: refused: '..' in the path
" "a key with .. is named"
[ ! -e "$T/x.csv" ] && [ ! -e "$V/.accel/x.csv" ]
is "nothing written outside" $? 0

: >"$T/empty"
run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN \
    -u AWS_PROFILE -u AWS_WEB_IDENTITY_TOKEN_FILE \
    -u AWS_CONTAINER_CREDENTIALS_FULL_URI \
    -u AWS_CONTAINER_CREDENTIALS_RELATIVE_URI \
    AWS_CONFIG_FILE="$T/empty" AWS_SHARED_CREDENTIALS_FILE="$T/empty" \
    AWS_EC2_METADATA_DISABLED=true "$BIN/accel-local" "$V/request.json"
check_status 1 "no credentials"
check_stderr "accel-local: channel 'train' is in S3 (s3://bkt/evil) and no AWS credentials were found (Unable to locate credentials): configure them as for the AWS CLI, or give the channel a file:// URI, e.g. \"S3Uri\": \"file:///path/to/train\"
" "without credentials the error shows the file:// form"
done_testing
