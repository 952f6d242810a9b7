#!/bin/sh
# s3-upload.sh - a multipart upload of BENCH_S3_MB MiB (default 64) to the
# fake AWS: libaccel's s3_upload (8 MiB parts, 4 threads, through
# build/tests/aws-awscall) beside aws-cli's `s3 cp` (8 MiB parts, its
# default 10 threads) in the same run, each the best of three, and their
# ratio.  Both talk to the same moto through the recording proxy, so the
# figure is dominated by the fake; it shows the client adds little.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
MB=${BENCH_S3_MB:-64}
T=$(mktemp -d "${TMPDIR:-/tmp}/accel-bench.XXXXXX")
FAKE_AWS_DIR=$T/fake
export FAKE_AWS_DIR
trap '"$TOP/tests/aws/fake-aws" stop "$FAKE_AWS_DIR" >/dev/null 2>&1; rm -rf "$T"' EXIT
"$TOP/tests/aws/fake-aws" start >/dev/null
. "$FAKE_AWS_DIR/env"
head -c $((MB << 20)) /dev/urandom >"$T/data"
aws --endpoint-url "$AWS_ENDPOINT_URL" s3 mb s3://accel-bench >/dev/null

now() { python3 -c 'import time; print(time.monotonic())'; }
best() {	# best COMMAND...: the shortest of three runs, in seconds
	b=
	for i in 1 2 3; do
		t0=$(now)
		"$@" >/dev/null
		t=$(python3 -c "print($(now) - $t0)")
		b=$(python3 -c "print(min(x for x in ($t, ${b:-$t})))")
	done
	echo "$b"
}
ours=$(best "$TOP/build/tests/aws-awscall" upload accel-bench ours \
    "$T/data" 8388608 4)
theirs=$(best aws --endpoint-url "$AWS_ENDPOINT_URL" s3 cp --only-show-errors \
    "$T/data" s3://accel-bench/theirs)
python3 - "$MB" "$ours" "$theirs" <<'PY'
import sys
mb, ours, theirs = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print("s3 upload of %d MiB to the fake: libaccel %.2f s (%.0f MiB/s), "
      "aws-cli %.2f s (%.0f MiB/s), ratio %.2fx"
      % (mb, ours, mb / ours, theirs, mb / theirs, theirs / ours))
PY
