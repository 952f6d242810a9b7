#!/bin/sh
# submit.sh - validate + request + submit of the quickstart with our tools,
# beside the same work done with the AWS CLI (aws s3 cp of the same
# archive, then aws sagemaker create-training-job --cli-input-json with the
# same body), both against the fake AWS of tests/aws in one run.  Each run
# is a new job (ACCEL_RUN=i for ours, a new name for the CLI's), so both
# sides upload and create every time.  Prints both times and the ratio
# ours/CLI (target at most 0.1); no assertion (make bench).
# Two passes: everything at moto, then S3 at s3rver (tests/bench/s3rver.sh,
# AWS_ENDPOINT_URL_S3; it also accepts the fake's key) and the rest at
# moto, so that the upload measures the clients rather than moto.  The
# jobs of the second pass cannot find their code in moto's S3 and fail
# later; they are not waited for.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$TOP/bin
N=${N:-3}
W=$(mktemp -d "${TMPDIR:-/tmp}/accel-bench.XXXXXX")
FAKE_AWS_DIR=$W/fake-aws
export FAKE_AWS_DIR
. "$TOP/tests/bench/s3rver.sh"
trap '"$TOP/tests/aws/fake-aws" stop "$FAKE_AWS_DIR" >/dev/null 2>&1 || :;
    s3rver_stop; rm -rf "$W"' EXIT
"$TOP/tests/aws/fake-aws" start --lifetime 600 >/dev/null
. "$FAKE_AWS_DIR/env"
aws iam create-role --role-name accelerate_sagemaker_execution_role \
    --assume-role-policy-document '{"Version":"2012-10-17","Statement":[]}' \
    >/dev/null
ACCOUNT=$(aws sts get-caller-identity --query Account --output text)
BUCKET=sagemaker-us-east-1-$ACCOUNT
aws s3 mb "s3://$BUCKET" >/dev/null

P=$W/quickstart
mkdir -p "$P/.accel"
cp "$TOP/examples/quickstart/accelerate.yaml" \
    "$TOP/examples/quickstart/train.py" \
    "$TOP/examples/quickstart/requirements.txt" "$P/"
# the CLI's bodies: ours, resolved, under names of its own
(cd "$P" && "$BIN/accel-validate" -o .accel/config.json accelerate.yaml &&
    "$BIN/accel-request" -c .accel/config.json -o .accel/request.json \
    train.py --epochs 1 && "$BIN/accel-submit" --dry-run \
    .accel/request.json >"$W/body.json") 2>/dev/null
cp "$P/.accel/sourcedir.tar.gz" "$W/sourcedir.tar.gz"
# cli_bodies PREFIX: the CLI's request bodies, job names PREFIX-i
cli_bodies() {
	i=0
	while [ $i -lt "$N" ]; do
		python3 -c 'import json, sys
b = json.load(open(sys.argv[1]))
b["TrainingJobName"] = sys.argv[2]
json.dump(b, open(sys.argv[3], "w"))' "$W/body.json" "$1-$i" "$W/$1-$i.json"
		i=$((i + 1))
	done
}

now() { date +%s%N; }

# pass LABEL FIRST-RUN: N submissions each way; one result line
pass() {
	label=$1 first=$2
	cli_bodies "cli-$label"
	# warm the servers up (moto loads each backend on first use)
	aws sagemaker list-training-jobs >/dev/null
	aws s3 ls "s3://$BUCKET" >/dev/null
	t0=$(now)
	i=$first
	while [ $i -lt $((first + N)) ]; do
		(cd "$P" && "$BIN/accel-validate" -o .accel/config.json \
		    accelerate.yaml && ACCEL_RUN=$i "$BIN/accel-request" \
		    -c .accel/config.json -o .accel/request.json train.py \
		    --epochs 1 && "$BIN/accel-submit" .accel/request.json) \
		    2>/dev/null >/dev/null
		i=$((i + 1))
	done
	t1=$(now)
	i=0
	while [ $i -lt "$N" ]; do
		aws s3 cp "$W/sourcedir.tar.gz" \
		    "s3://$BUCKET/cli-$label-$i/source/sourcedir.tar.gz" >/dev/null
		aws sagemaker create-training-job --cli-input-json \
		    "file://$W/cli-$label-$i.json" >/dev/null
		i=$((i + 1))
	done
	t2=$(now)
	ours=$(( (t1 - t0) / N / 1000000 ))
	peer=$(( (t2 - t1) / N / 1000000 ))
	echo "bench submit ($label): validate+request+submit ${ours}ms per job," \
	    "aws s3 cp + aws sagemaker create-training-job ${peer}ms per job," \
	    "ratio ours/aws-cli $(awk "BEGIN { printf \"%.3f\", $ours / $peer }")" \
	    "(target <= 0.1, N=$N)"
}

pass moto 1
S3RVER_EXTRA_KEY_ID=$AWS_ACCESS_KEY_ID S3RVER_EXTRA_SECRET=$AWS_SECRET_ACCESS_KEY \
    s3rver_start "$W/s3rver"
AWS_ENDPOINT_URL_S3=$S3RVER_URL
export AWS_ENDPOINT_URL_S3
aws s3 mb "s3://$BUCKET" >/dev/null
pass s3rver $((N + 1))
# both sides' code went to s3rver, not moto: else the line above is moto's
echo "bench submit (s3rver): code archives at s3rver: $(aws s3 ls \
    --recursive "s3://$BUCKET" | grep -c 'sourcedir.tar.gz$') (want $((2 * N)))"
