#!/bin/sh
# mk.sh - a no-op `make train` (everything current: validate and request
# run, find nothing changed, and no AWS request is made) beside the least
# the Python stack would do for the same question, `aws sagemaker
# describe-training-job` of the same job, in one run against the fake AWS.
# Prints both times per run and the ratio ours/peer (target at most 0.1);
# no assertion (make bench).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-5}
W=$(mktemp -d "${TMPDIR:-/tmp}/accel-bench.XXXXXX")
FAKE_AWS_DIR=$W/fake-aws
export FAKE_AWS_DIR
trap '"$TOP/tests/aws/fake-aws" stop "$FAKE_AWS_DIR" >/dev/null 2>&1; rm -rf "$W"' EXIT
"$TOP/tests/aws/fake-aws" start >/dev/null
. "$FAKE_AWS_DIR/env"
printf '{"runner": "accel-local", "speed": 50}\n' > "$FAKE_AWS_DIR/sagemaker.json"
aws iam create-role --role-name accelerate_sagemaker_execution_role \
    --assume-role-policy-document '{"Version":"2012-10-17","Statement":[]}' \
    >/dev/null
unset MAKEFLAGS MAKEOVERRIDES MFLAGS MAKELEVEL
mkdir -p "$W/q"
cp -R "$TOP/examples/quickstart/." "$W/q/"
rm -rf "$W/q/.accel"
printf 'include %s/accel.mk\n' "$TOP" > "$W/q/Makefile"
ACCEL_WAIT_POLL_MS=50 make -s -C "$W/q" train >/dev/null 2>&1
job=$(sed -n 's/^ *"name": "\(.*\)",*$/\1/p' "$W/q/.accel/job.json")
before=$(wc -l < "$FAKE_AWS_DIR/requests.log")

now() { date +%s%N; }
t0=$(now)
i=0
while [ $i -lt "$N" ]; do
	make -s -C "$W/q" train >/dev/null 2>&1
	i=$((i + 1))
done
t1=$(now)
after=$(wc -l < "$FAKE_AWS_DIR/requests.log")
i=0
while [ $i -lt "$N" ]; do
	aws sagemaker describe-training-job --training-job-name "$job" >/dev/null
	i=$((i + 1))
done
t2=$(now)
ours=$(( (t1 - t0) / N / 1000000 ))
peer=$(( (t2 - t1) / N / 1000000 ))
echo "bench mk: no-op make train ${ours}ms per run ($((after - before))" \
    "AWS requests in $N runs), aws sagemaker describe-training-job" \
    "${peer}ms per run, ratio $(awk "BEGIN { printf \"%.3f\", $ours / $peer }")" \
    "(target at most 0.1; N=$N)"
