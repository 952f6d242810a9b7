#!/bin/sh
# fetch.sh - accel-fetch beside its peer and beside the floor, in one run,
# against two S3 servers: moto (tests/aws/fake-aws, spoken to directly so
# the fault proxy's Python does not weigh on either side) and s3rver
# (tests/bench/s3rver.sh, fast: it streams ranges from disk).
#
# For each server and size (SIZES, MiB; default 256 and 1024), fetch +
# extract of a model.tar.gz by:
#   accel-fetch     the tool
#   aws+tar         `aws s3 cp` then `tar -xzf` (the peer)
#   curl            a raw, single-stream SigV4 `curl` download of the same
#                   object to a file (the network floor; s3rver only)
#   gunzip          `gzip -dc` of the same object to a file (the
#                   decompression floor)
# Reported: wall, CPU (user + system of every process of a side) and peak
# RSS of each; accel-fetch/peer ratios (targets: wall <= 0.7, CPU <= 0.5);
# on s3rver, accel-fetch's wall over max(curl, gunzip) (target <= 1.15);
# accel-fetch's peak RSS at each size (target: flat, <= 64 MiB).
# On moto the wall time follows the number of requests (moto copies the
# whole object for every ranged GET): those lines describe moto, the
# s3rver lines describe the client.
# The artifacts are tarballs of random bytes (model weights barely
# compress) written through gzip level 0 (stored blocks, which is what gzip
# makes of incompressible data anyway, without its 20 s per GiB here).
# Each side runs twice, interleaved; the better run of each is compared.
# SERVERS="moto s3rver" picks the servers.  No assertion (make bench).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$TOP/bin}
SIZES=${SIZES:-256 1024}	# MiB
SERVERS=${SERVERS:-moto s3rver}
T=$(mktemp -d "${TMPDIR:-/tmp}/accel-bench.XXXXXX")
FAKE_AWS_DIR=$T/fake-aws
export FAKE_AWS_DIR
. "$TOP/tests/bench/s3rver.sh"
trap '"$TOP/tests/aws/fake-aws" stop "$FAKE_AWS_DIR" >/dev/null 2>&1 || :;
    s3rver_stop; rm -rf "$T"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
BENCH_LOG=$T/log
export BENCH_LOG

# measure LABEL CMD...: one line "LABEL wall cpu maxrss_kib" to $T/m, by
# GNU time (Debian package time): its own few hundred KiB are the floor of
# the RSS column, where a fork of python3 would have put 13 MiB
measure() {
	label=$1
	shift
	/usr/bin/time -f "$label %e %U %S %M" -o "$T/time" "$@" \
	    >/dev/null 2>>"$BENCH_LOG"
	awk '{ printf "%s %s %.3f %s\n", $1, $2, $3 + $4, $5 }' "$T/time" >>"$T/m"
}

[ -x /usr/bin/time ] || {
	echo "fetch.sh: /usr/bin/time is missing (Debian: apt-get install time)" >&2
	exit 1
}

# make_model FILE MIB: a tar.gz of MIB MiB of random bytes
make_model() {
	python3 - "$1" "$2" <<'PY'
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
}

# use_server NAME: AWS_* for that server; the bucket "bench" exists
use_server() {
	case $1 in
	moto)
		[ -f "$FAKE_AWS_DIR/env" ] ||
		    "$TOP/tests/aws/fake-aws" start --lifetime 3600 >/dev/null
		. "$FAKE_AWS_DIR/env"
		AWS_ENDPOINT_URL=$FAKE_AWS_DIRECT_URL ;;
	s3rver)
		[ -n "${S3RVER_PID:-}" ] || s3rver_start "$T/s3rver"
		AWS_ENDPOINT_URL=$S3RVER_URL
		AWS_ACCESS_KEY_ID=$S3RVER_KEY AWS_SECRET_ACCESS_KEY=$S3RVER_KEY
		AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
		AWS_EC2_METADATA_DISABLED=true
		export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION \
		    AWS_DEFAULT_REGION AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE \
		    AWS_EC2_METADATA_DISABLED ;;
	*) echo "fetch.sh: unknown server '$1'" >&2; exit 2 ;;
	esac
	export AWS_ENDPOINT_URL
	aws s3 mb s3://bench >/dev/null 2>&1 || :
}

for srv in $SERVERS; do
	use_server "$srv"
	for mib in $SIZES; do
		obj=s3://bench/$mib/output/model.tar.gz
		make_model "$T/model.tar.gz" "$mib"
		aws s3 cp "$T/model.tar.gz" "$obj" >/dev/null
		for run in 1 2; do
			rm -rf "$T/ours" "$T/peer" "$T/peer.tar.gz" "$T/floor"
			measure "$srv-accel-fetch-$mib" "$BIN/accel-fetch" \
			    -o "$T/ours" "$obj"
			rm -rf "$T/ours"
			if [ "$srv" = s3rver ]; then
				# the key is s3rver's fixed, public one
				measure "$srv-curl-$mib" curl -sSf -o "$T/floor" \
				    --aws-sigv4 aws:amz:us-east-1:s3 \
				    --user "$S3RVER_KEY:$S3RVER_KEY" \
				    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \
				    "$AWS_ENDPOINT_URL/bench/$mib/output/model.tar.gz"
				rm -f "$T/floor"
			fi
			measure "$srv-gunzip-$mib" sh -c \
			    "gzip -dc '$T/model.tar.gz' >'$T/floor'"
			rm -f "$T/floor"
			[ "$mib" -ge 1024 ] || [ "$srv" = s3rver ] || continue
			mkdir "$T/peer"
			measure "$srv-aws+tar-$mib" sh -c "aws s3 cp '$obj' \
			    '$T/peer.tar.gz' >/dev/null && \
			    tar -C '$T/peer' -xzf '$T/peer.tar.gz'"
			rm -rf "$T/peer" "$T/peer.tar.gz"
		done
		rm -f "$T/model.tar.gz"
		aws s3 rm "$obj" >/dev/null
	done
done

awk -v sizes="$SIZES" -v servers="$SERVERS" '
{ k = $1; if (!(k in w) || $2 < w[k]) w[k] = $2
  if (!(k in c) || $3 < c[k]) c[k] = $3
  if ($4 > r[k]) r[k] = $4; order[++n] = k }
END {
	ns = split(servers, S, " "); nz = split(sizes, Z, " ")
	for (i = 1; i <= n; i++) if (!(order[i] in done)) {
		k = order[i]; done[k] = 1
		printf "%-26s wall %7.2f s  cpu %7.2f s  peak RSS %6.1f MiB\n",
		    k, w[k], c[k], r[k] / 1024
	}
	for (a = 1; a <= ns; a++) for (b = 1; b <= nz; b++) {
		p = S[a] "-"; m = "-" Z[b]; f = p "accel-fetch" m
		if ((p "aws+tar" m) in w)
			printf "%s %s MiB: accel-fetch / aws+tar: wall %.2f " \
			    "(target <= 0.7), CPU %.2f (target <= 0.5)\n", S[a], Z[b],
			    w[f] / w[p "aws+tar" m], c[f] / c[p "aws+tar" m]
		if ((p "curl" m) in w) {
			floor = w[p "curl" m]
			if (w[p "gunzip" m] > floor) floor = w[p "gunzip" m]
			printf "%s %s MiB: accel-fetch / max(curl, gunzip): wall " \
			    "%.2f (target <= 1.15)\n", S[a], Z[b], w[f] / floor
		}
	}
	for (a = 1; a <= ns; a++) {
		line = S[a] " accel-fetch peak RSS:"
		for (b = 1; b <= nz; b++)
			line = line sprintf(" %s MiB %.1f MiB", Z[b],
			    r[S[a] "-accel-fetch-" Z[b]] / 1024)
		print line " (target: flat, <= 64 MiB)"
	}
}' "$T/m"
