#!/bin/sh
# tests/aws/fetch-replace.t - the object is replaced while accel-fetch
# downloads it.  Every ranged GET carries If-Match with HeadObject's ETag,
# so moto answers 412 instead of bytes of the new version; accel-fetch
# starts over once (a new HeadObject) and gets the new version whole, and
# when the object changes again it gives up with status 75.  The objects
# are multipart uploads with 6 MiB parts, an ETag accel-fetch cannot
# verify (only the size is checked): without If-Match the result would be
# a splice of both versions.  The fault proxy holds every GET until the
# test releases it (a "hold" fault), so the object is replaced while the
# second range waits at the proxy, whatever the machine's load.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
fake_aws_start
A=$TOP/build/tests/aws-awscall
# direct CMD...: aws-awscall straight to moto (no delay, not counted)
direct() { AWS_ENDPOINT_URL=$FAKE_AWS_DIRECT_URL "$A" "$@" >/dev/null; }
# random N FILE SEED: N MiB from a seeded stream
random() {
	openssl enc -aes-128-ctr -pass pass:"$3" -nosalt -pbkdf2 \
	    </dev/zero 2>/dev/null | head -c $(($1 << 20)) >"$2"
}
# poll WHAT CMD...: until CMD succeeds, at most 120 s
poll() {
	what=$1
	shift
	wait_until 120 "$@" || not_ok "$what (within 120 s)"
}
cd "$T" || exit 1
for v in v1 v2 v3; do
	mkdir "$v" && (cd "$v" && random 40 w.bin "$v") && tar -C "$v" -cf "$v.tar" .
done
direct create-bucket models
put() { direct upload models m/model.tar.gz "$1.tar" 6291456 4; }
put v1
U=s3://models/m/model.tar.gz
fetch() {	# fetch: accel-fetch in the background, one range at a time
	"$BIN/accel-fetch" -j 1 --part-size 8M -o model "$U" \
	    >"$T/out" 2>"$T/err" </dev/null &
	pid=$!
}
first_range() { grep -q '^done 0-' model.partial/model.state 2>/dev/null; }
said() { grep -q "$1" "$T/err"; }

# second_range_held: the first range is done with the version it was
# fetching, and the second one waits at the proxy
second_range_held() {
	poll "$1: the first range held" fake_aws_holding
	fake_aws_release 1
	poll "$1: the first range done" first_range
	poll "$1: the second range held" fake_aws_holding
}

# 1. Replaced once: a fresh start, the new version whole.
mkdir model && echo old >model/old.txt
fake_aws_faults 1 --mix hold --ops 's3:GetObject'
fetch
second_range_held "round 1"
put v2
fake_aws_faults 0
wait $pid
status=$?
check_status 0 "replaced once"
said 'changed during the download; starting over'
is "replaced once: says it starts over" $? 0
if cmp -s v2/w.bin model/w.bin; then ok "replaced once: the new version"
else not_ok "replaced once: the new version" "$(cat "$T/err")"; fi
n=$(awk -F'\t' '$4 == "s3:GetObject" && $6 == "412"' \
    "$FAKE_AWS_DIR/requests.log" | wc -l)
is "moto answered 412 to If-Match" "$n" 1
is "nothing left beside" "$(ls -d model.* 2>/dev/null)" ""

# 2. Replaced again during the second download: exit 75, old model kept.
fake_aws_faults 1 --mix hold --ops 's3:GetObject'
fetch
second_range_held "round 2"
put v1
fake_aws_release 1
poll "round 2: starts over" said 'starting over'
second_range_held "round 2, the second download"
put v3
fake_aws_faults 0
wait $pid
status=$?
check_status 75 "replaced twice"
said "^accel-fetch: $U: the object changed again during the download; giving up\$"
is "replaced twice: gives up (message)" $? 0
cmp -s v2/w.bin model/w.bin
is "replaced twice: the previous model kept" $? 0
is "replaced twice: no temp dir left" "$(ls -d model.new.* 2>/dev/null)" ""
done_testing
