#!/bin/sh
# local.sh - accel-local's own cost: a no-op training script run N times
# through accel-local (tree, config files, environment, supervision,
# archives, status.json) beside the same script run N times directly, in
# one run, the two interleaved so that a busy machine weighs on both.  The
# script is a shell no-op so that an interpreter's start-up noise does not
# hide the difference.  No requirements, so no pip.
# Target: at most 50 ms of overhead per run.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$TOP/bin}
N=${N:-20}
T=$(mktemp -d "${TMPDIR:-/tmp}/accel-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

mkdir -p "$T/src" "$T/data"
echo ':' >"$T/src/train.sh"
tar -C "$T/src" -czf "$T/sourcedir.tar.gz" train.sh
cat >"$T/request.json" <<JSON
{"TrainingJobName": "bench",
 "AlgorithmSpecification": {"TrainingInputMode": "File", "TrainingImage": "img"},
 "ResourceConfig": {"InstanceCount": 1, "InstanceType": "local", "VolumeSizeInGB": 30},
 "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {"S3Uri": "file://$T/data"}}}],
 "HyperParameters": {"epochs": "3", "lr": "5e-05", "sagemaker_program": "\"train.sh\"", "sagemaker_region": "\"us-east-1\""}}
JSON
"$BIN/accel-local" "$T/request.json" >/dev/null	# warm the caches

now() { date +%s%N; }
a=0
d=0
i=0
while [ $i -lt "$N" ]; do
	t0=$(now)
	"$BIN/accel-local" "$T/request.json" >/dev/null
	t1=$(now)
	(cd "$T/src" && /bin/sh train.sh --epochs 3 --lr 5e-05)
	t2=$(now)
	a=$((a + t1 - t0))
	d=$((d + t2 - t1))
	i=$((i + 1))
done
awk -v a=$a -v d=$d -v n="$N" 'BEGIN {
	printf "accel-local: %.1f ms per run, script alone: %.1f ms, " \
	    "overhead %.1f ms (target <= 50 ms, %d runs)\n",
	    a / n / 1e6, d / n / 1e6, (a - d) / n / 1e6, n }'
