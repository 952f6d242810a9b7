#!/bin/sh
# request.sh - accel-request beside its peer: what the SageMaker SDK does
# for the same step in python3 (tarfile "w:gz", dereference=True, as
# sagemaker.utils.create_tar_file, plus json.dumps of each hyperparameter),
# on a generated source tree of 2000 Python files (about 18 MB).  Prints
# both times and the ratio; no assertion (make bench).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
CONF=$TOP/tests/request/worked.json
N=${N:-3}
W=$(mktemp -d "${TMPDIR:-/tmp}/accel-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

mkdir -p "$W/p"
(cd "$W/p" && python3 -c '
import os, random
r = random.Random(1)
words = ["".join(r.choice("abcdefghij") for _ in range(r.randrange(2, 9)))
         for _ in range(2000)]
for i in range(2000):
    d = "pkg%d/sub%d" % (i % 20, i % 7)
    os.makedirs(d, exist_ok=True)
    with open("%s/m%d.py" % (d, i), "w") as f:
        f.write(" ".join(r.choice(words) for _ in range(1500)))
open("train.py", "w").write("print(1)\n")
')
now() { date +%s%N; }
t0=$(now)
i=0
while [ $i -lt "$N" ]; do
	rm -rf "$W/o"
	(cd "$W/p" && "$TOP/bin/accel-request" -c "$CONF" -o "$W/o/request.json" \
	    train.py --epochs 3 --lr 5e-5) 2>/dev/null
	i=$((i + 1))
done
t1=$(now)
i=0
while [ $i -lt "$N" ]; do
	(cd "$W/p" && python3 -c '
import json, os, sys, tarfile
hp = {"epochs": 3, "lr": 5e-05}
enc = {k: json.dumps(v) for k, v in hp.items()}
with tarfile.open(sys.argv[1], "w:gz", dereference=True) as t:
    for n in os.listdir("."):
        t.add(n, arcname=n)
' "$W/sdk.tar.gz")
	i=$((i + 1))
done
t2=$(now)
ours=$(( (t1 - t0) / N / 1000000 ))
peer=$(( (t2 - t1) / N / 1000000 ))
echo "bench request: accel-request ${ours}ms per run," \
    "python3 tarfile w:gz + json.dumps ${peer}ms per run," \
    "ratio $(awk "BEGIN { printf \"%.2f\", $peer / $ours }")x (N=$N)"
