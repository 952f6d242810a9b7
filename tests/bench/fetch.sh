#!/bin/sh
# fetch.sh - accel-fetch beside its peer, in one run against the same fake
# S3 (moto, tests/aws/fake-aws, spoken to directly so the fault proxy's
# Python does not weigh on either side): fetch + extract of a 1 GiB
# model.tar.gz by `accel-fetch` against `aws s3 cp` then `tar -xzf`.
# Reported: wall ratio (target <= 0.7), client CPU ratio (user + system of
# every process of each side; target <= 0.5), and accel-fetch's peak RSS for
# 256 MiB and 1 GiB artifacts (target <= 64 MiB, not growing with the size).
# The artifacts are tarballs of random bytes (model weights barely
# compress) written through gzip level 0 (stored blocks, which is what
# gzip makes of incompressible data anyway, without its 20 s per GiB here).
# Each side runs twice, interleaved; the better run of each is compared.
# moto copies the whole object for every ranged GET, so on this server the
# wall time follows the number of requests: accel-fetch's default ranges
# (a 32nd of the object, 32 MiB here) against aws-cli's 8 MiB weigh on
# that; the 8M line gives the comparison at the same number of requests.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$TOP/bin}
SIZES=${SIZES:-256 1024}	# MiB
T=$(mktemp -d "${TMPDIR:-/tmp}/accel-bench.XXXXXX")
FAKE_AWS_DIR=$T/fake-aws
export FAKE_AWS_DIR
trap '"$TOP/tests/aws/fake-aws" stop "$FAKE_AWS_DIR" >/dev/null 2>&1 || :;
    rm -rf "$T"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
"$TOP/tests/aws/fake-aws" start --lifetime 3600 >/dev/null
. "$FAKE_AWS_DIR/env"
AWS_ENDPOINT_URL=$FAKE_AWS_DIRECT_URL
export AWS_ENDPOINT_URL
aws s3 mb s3://bench >/dev/null
BENCH_LOG=$T/log
export BENCH_LOG

# measure LABEL CMD...: one line "LABEL wall cpu maxrss_kib" to $T/m
measure() {
	label=$1
	shift
	python3 - "$label" "$@" >>"$T/m" <<'PY'
import os, resource, subprocess, sys, time
t0 = time.monotonic()
subprocess.run(sys.argv[2:], check=True, stdout=subprocess.DEVNULL,
               stderr=open(os.environ["BENCH_LOG"], "a"))
wall = time.monotonic() - t0
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(sys.argv[1], f"{wall:.3f}", f"{r.ru_utime + r.ru_stime:.3f}",
      r.ru_maxrss)
PY
}

for mib in $SIZES; do
	python3 - "$T/model-$mib.tar.gz" "$mib" <<'PY'
import io, random, sys, tarfile
path, mib = sys.argv[1], int(sys.argv[2])
rng = random.Random(mib)
class Stream(io.RawIOBase):
    left = mib << 20
    def readable(self): return True
    def readinto(self, b):
        n = min(len(b), self.left, 1 << 20)
        b[:n] = rng.randbytes(n)
        self.left -= n
        return n
with tarfile.open(path, "w:gz", compresslevel=0) as t:
    i = tarfile.TarInfo("model.safetensors")
    i.size = mib << 20
    t.addfile(i, io.BufferedReader(Stream(), 1 << 20))
PY
	aws s3 cp "$T/model-$mib.tar.gz" "s3://bench/$mib/output/model.tar.gz" \
	    >/dev/null
	rm "$T/model-$mib.tar.gz"
	for run in 1 2; do
		rm -rf "$T/ours" "$T/peer" "$T/peer.tar.gz"
		measure "accel-fetch-$mib" "$BIN/accel-fetch" -o "$T/ours" \
		    "s3://bench/$mib/output/model.tar.gz"
		rm -rf "$T/ours"
		[ "$mib" -ge 1024 ] || continue
		# The same 8 MiB ranges as aws-cli: as many requests each.
		[ "$run" = 1 ] && measure "accel-fetch-$mib-8M" \
		    "$BIN/accel-fetch" --part-size 8M -o "$T/ours" \
		    "s3://bench/$mib/output/model.tar.gz"
		rm -rf "$T/ours"
		mkdir "$T/peer"
		measure "aws+tar-$mib" sh -c "aws s3 cp \
		    s3://bench/$mib/output/model.tar.gz '$T/peer.tar.gz' \
		    >/dev/null && tar -C '$T/peer' -xzf '$T/peer.tar.gz'"
		rm -rf "$T/peer" "$T/peer.tar.gz"
	done
done
awk '
{ k = $1; if (!(k in w) || $2 < w[k]) { w[k] = $2 } ; if (!(k in c) || $3 < c[k]) c[k] = $3
  if ($4 > r[k]) r[k] = $4; all[k] = 1 }
END {
	for (k in all) printf "%-18s wall %7.2f s  cpu %7.2f s  peak RSS %6.1f MiB\n",
	    k, w[k], c[k], r[k] / 1024
	if (("accel-fetch-1024" in w) && ("aws+tar-1024" in w)) {
		printf "1 GiB: wall ratio %.2f (target <= 0.7), CPU ratio %.2f " \
		    "(target <= 0.5)\n", w["accel-fetch-1024"] / w["aws+tar-1024"],
		    c["accel-fetch-1024"] / c["aws+tar-1024"]
	}
	if (("accel-fetch-1024-8M" in w) && ("aws+tar-1024" in w)) {
		printf "1 GiB, 8 MiB ranges as aws-cli: wall ratio %.2f, CPU " \
		    "ratio %.2f\n", w["accel-fetch-1024-8M"] / w["aws+tar-1024"],
		    c["accel-fetch-1024-8M"] / c["aws+tar-1024"]
	}
	printf "accel-fetch peak RSS: 256 MiB %.1f MiB, 1 GiB %.1f MiB " \
	    "(target <= 64 MiB)\n", r["accel-fetch-256"] / 1024,
	    r["accel-fetch-1024"] / 1024
}' "$T/m" | sort
