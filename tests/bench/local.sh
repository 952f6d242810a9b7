#!/bin/sh
# local.sh - accel-local's own cost: a no-op training script run N times
# through accel-local (tree, config files, environment, supervision,
# archives, status.json) beside the same script run N times directly with
# the same interpreter, in one run.  No requirements, so no pip.
# Target: at most 50 ms of overhead per run.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$TOP/bin}
N=${N:-20}
T=$(mktemp -d "${TMPDIR:-/tmp}/accel-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

mkdir -p "$T/src" "$T/data"
echo 'pass' >"$T/src/train.py"
tar -C "$T/src" -czf "$T/sourcedir.tar.gz" train.py
cat >"$T/request.json" <<JSON
{"TrainingJobName": "bench",
 "AlgorithmSpecification": {"TrainingInputMode": "File", "TrainingImage": "img"},
 "ResourceConfig": {"InstanceCount": 1, "InstanceType": "local", "VolumeSizeInGB": 30},
 "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {"S3Uri": "file://$T/data"}}}],
 "HyperParameters": {"epochs": "3", "lr": "5e-05", "sagemaker_program": "\"train.py\"", "sagemaker_region": "\"us-east-1\""}}
JSON
PY=$(command -v python3)
"$BIN/accel-local" "$T/request.json" >/dev/null	# warm the caches

now() { date +%s%N; }
t0=$(now)
i=0
while [ $i -lt "$N" ]; do
	"$BIN/accel-local" "$T/request.json" >/dev/null
	i=$((i + 1))
done
t1=$(now)
i=0
while [ $i -lt "$N" ]; do
	(cd "$T/src" && "$PY" train.py --epochs 3 --lr 5e-05)
	i=$((i + 1))
done
t2=$(now)
awk -v a=$((t1 - t0)) -v d=$((t2 - t1)) -v n="$N" 'BEGIN {
	printf "accel-local: %.1f ms per run, script alone: %.1f ms, " \
	    "overhead %.1f ms (target <= 50 ms, %d runs)\n",
	    a / n / 1e6, d / n / 1e6, (a - d) / n / 1e6, n }'
