#!/bin/sh
# validate.sh - accel-validate beside its peer: loading the same config the
# way accelerate does (python3, PyYAML safe_load).  Prints both times and
# the ratio; no assertion (make bench).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
CONFIG=$TOP/tests/validate/good/notebooks-text-classification.yaml
N=${N:-200}

now() { date +%s%N; }
t0=$(now)
i=0
while [ $i -lt "$N" ]; do
	"$TOP/bin/accel-validate" "$CONFIG" >/dev/null
	i=$((i + 1))
done
t1=$(now)
i=0
while [ $i -lt "$N" ]; do
	python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' \
	    "$CONFIG"
	i=$((i + 1))
done
t2=$(now)
ours=$(( (t1 - t0) / N / 1000 ))
peer=$(( (t2 - t1) / N / 1000 ))
echo "bench validate: accel-validate ${ours}us per run," \
    "python3+PyYAML safe_load ${peer}us per run," \
    "ratio $(awk "BEGIN { printf \"%.1f\", $peer / $ours }")x (N=$N)"
