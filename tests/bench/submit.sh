#!/bin/sh
# submit.sh - validate + request + submit of the quickstart with our tools,
# beside the same work done with the AWS CLI (aws s3 cp of the same
# archive, then aws sagemaker create-training-job --cli-input-json with the
# same body), both against the fake AWS of tests/aws in one run.  Each run
# is a new job (ACCEL_RUN=i for ours, a new name for the CLI's), so both
# sides upload and create every time.  Prints both times and the ratio
# ours/CLI (target at most 0.1); no assertion (make bench).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$TOP/bin
N=${N:-3}
W=$(mktemp -d "${TMPDIR:-/tmp}/accel-bench.XXXXXX")
FAKE_AWS_DIR=$W/fake-aws
export FAKE_AWS_DIR
trap '"$TOP/tests/aws/fake-aws" stop "$FAKE_AWS_DIR" >/dev/null 2>&1 || :; rm -rf "$W"' EXIT
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
i=0
while [ $i -lt "$N" ]; do
	python3 -c 'import json, sys
b = json.load(open(sys.argv[1]))
b["TrainingJobName"] = "cli-bench-" + sys.argv[2]
json.dump(b, open(sys.argv[3], "w"))' "$W/body.json" $i "$W/cli-$i.json"
	i=$((i + 1))
done

# warm moto up (it loads each service's backend on first use), so
# neither side pays for that
aws sagemaker list-training-jobs >/dev/null
aws s3 ls "s3://$BUCKET" >/dev/null

now() { date +%s%N; }
t0=$(now)
i=1
while [ $i -le "$N" ]; do
	(cd "$P" && "$BIN/accel-validate" -o .accel/config.json \
	    accelerate.yaml && ACCEL_RUN=$i "$BIN/accel-request" \
	    -c .accel/config.json -o .accel/request.json train.py --epochs 1 &&
	    "$BIN/accel-submit" .accel/request.json) 2>/dev/null
	i=$((i + 1))
done
t1=$(now)
i=0
while [ $i -lt "$N" ]; do
	aws s3 cp "$W/sourcedir.tar.gz" \
	    "s3://$BUCKET/cli-bench-$i/source/sourcedir.tar.gz" >/dev/null
	aws sagemaker create-training-job --cli-input-json \
	    "file://$W/cli-$i.json" >/dev/null
	i=$((i + 1))
done
t2=$(now)
ours=$(( (t1 - t0) / N / 1000000 ))
peer=$(( (t2 - t1) / N / 1000000 ))
echo "bench submit: validate+request+submit ${ours}ms per job," \
    "aws s3 cp + aws sagemaker create-training-job ${peer}ms per job," \
    "ratio ours/aws-cli $(awk "BEGIN { printf \"%.3f\", $ours / $peer }")" \
    "(target <= 0.1, N=$N)"
