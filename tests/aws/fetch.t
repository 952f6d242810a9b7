#!/bin/sh
# tests/aws/fetch.t - accel-fetch against the fake AWS through its fault
# proxy: a 256 MiB artifact through 30% faults (resets and truncations in
# the middle of bodies included) arrives with the right bytes; a download
# killed with SIGKILL resumes (fewer GETs and bytes than the whole); bytes
# that do not match the ETag (the proxy's corrupt fault) are refused and the
# previous model stays; status.json (DescribeTrainingJob's shape), --output,
# a CompressionType NONE prefix.  aws-cli uploads every artifact (its
# multipart ETags are the referee's), the files are compared with cmp.
# The 256 MiB case takes about 25 s on 2 busy cores (upload 10 s, fetch
# through faults 12 s).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
fake_aws_start --delay-ms 400
AWS_MAX_ATTEMPTS=10	# HeadObject through 30% faults, as faults.t
export AWS_MAX_ATTEMPTS
direct() { AWS_ENDPOINT_URL=$FAKE_AWS_DIRECT_URL aws "$@" >/dev/null; }
# random N FILE: N MiB from a seeded stream, fast and the same every run
random() {
	openssl enc -aes-128-ctr -pass pass:"$2" -nosalt -pbkdf2 \
	    </dev/zero 2>/dev/null | head -c $(($1 << 20)) >"$2"
}
cd "$T" || exit 1
direct s3 mb s3://models

# 1. 256 MiB through 30% faults.  A plain tar: gzip -1 of random bytes
# costs 20 s here, and libarchive finds the format by content.
mkdir big && (cd big && random 256 weights.bin) && tar -C big -cf big.tar .
direct s3 cp big.tar s3://models/big/output/model.tar.gz
fake_aws_faults 0.3 --seed 6
run "$BIN/accel-fetch" -v -o model-big s3://models/big/output/model.tar.gz
check_status 0 "256 MiB through 30% faults"
if cmp -s big/weights.bin model-big/weights.bin; then ok "256 MiB: same bytes"
else not_ok "256 MiB: same bytes" "$(tail -3 "$T/err")"; fi
grep -q 'size and ETag (33 parts of 8 MiB) verified' "$T/err"
is "multipart ETag verified" $? 0
n=$(awk -F'\t' '$4 == "s3:GetObject" && $5 != "-"' \
    "$FAKE_AWS_DIR/requests.log" | wc -l)
[ "$n" -gt 5 ]
is "faults were injected into GETs ($n)" $? 0
n=$(awk -F'\t' '$4 == "s3:GetObject" && ($5 == "reset-body" ||
    $5 == "truncate")' "$FAKE_AWS_DIR/requests.log" | wc -l)
[ "$n" -gt 0 ]
is "bodies were cut in the middle ($n)" $? 0
rm -rf model-big big big.tar
fake_aws_faults 0

# 2. SIGKILL in the middle, then a rerun resumes.
mkdir mid && (cd mid && random 64 w.bin) && tar -C mid -cf mid.tar .
direct s3 cp mid.tar s3://models/mid/output/model.tar.gz
fake_aws_faults 1 --mix delay --ops 's3:GetObject'
"$BIN/accel-fetch" -j 2 -o model-mid s3://models/mid/output/model.tar.gz \
    2>/dev/null &
pid=$!
i=0
# Bounded by 2 minutes: on a loaded machine the first range can be slow.
until grep -q '^done 0-' model-mid.partial/model.state 2>/dev/null ||
    [ $i -ge 2400 ]; do sleep 0.05; i=$((i + 1)); done
grep -q '^done ' model-mid.partial/model.state 2>/dev/null
is "a range was done before the kill" $? 0
kill -KILL $pid
wait $pid
is "killed (SIGKILL)" $? 137
is "no model yet" "$(ls -d model-mid 2>/dev/null)" ""
fake_aws_faults 0
# The killed client's delayed GETs are logged by the proxy when it answers
# them, after the kill: wait until every one is answered (bounded).
wait_until 60 fake_aws_idle || echo "# the proxy still owes answers"
before=$(fake_aws_count s3:GetObject)
run "$BIN/accel-fetch" -v -o model-mid s3://models/mid/output/model.tar.gz
check_status 0 "rerun after SIGKILL"
gets=$(($(fake_aws_count s3:GetObject) - before))
[ "$gets" -lt 9 ]
is "rerun sent fewer GETs than 9 parts ($gets)" $? 0
resumed=$(sed -n 's/.*bytes fetched, \([0-9]*\) resumed$/\1/p' "$T/err")
fetched=$(sed -n 's/.* \([0-9]*\) bytes fetched,.*/\1/p' "$T/err")
[ "${resumed:-0}" -gt 0 ] && [ "${fetched:-0}" -lt $(stat -c %s mid.tar) ]
is "resumed $resumed bytes, fetched $fetched" $? 0
if cmp -s mid/w.bin model-mid/w.bin; then ok "resumed: same bytes"
else not_ok "resumed: same bytes"; fi
is "partial files removed" "$(ls -d model-mid.* 2>/dev/null)" ""

# 2b. SIGINT stops cleanly: exit 75, the part file kept, no temp dir.
fake_aws_faults 1 --mix delay --ops 's3:GetObject'
"$BIN/accel-fetch" -j 2 -o model-int s3://models/mid/output/model.tar.gz \
    2>"$T/int.err" &
pid=$!
i=0
until grep -q '^done 0-' model-int.partial/model.state 2>/dev/null ||
    [ $i -ge 400 ]; do sleep 0.05; i=$((i + 1)); done
kill -INT $pid
wait $pid
is "SIGINT: exit 75" $? 75
check_text "SIGINT: message" "$T/int.err" "accel-fetch: s3://models/mid/output/model.tar.gz: interrupted; the same command resumes the download
"
is "SIGINT: part file kept, nothing else" \
    "$(ls -d model-int* | tr '\n' ' ')" "model-int.partial "
fake_aws_faults 0
run "$BIN/accel-fetch" -v -o model-int s3://models/mid/output/model.tar.gz
check_status 0 "fetch after the interrupted one"
grep -q 'bytes fetched, [1-9][0-9]* resumed$' "$T/err"
is "resumed after SIGINT" $? 0
cmp -s mid/w.bin model-int/w.bin
is "after SIGINT: same bytes" $? 0
rm -rf model-int

# 3. Bytes that do not match the ETag: refused, the old model kept.
mkdir v2 && (cd v2 && random 20 w.bin) && tar -C v2 -cf v2.tar .
direct s3 cp v2.tar s3://models/v2/output/model.tar.gz
small() {	# single PUT: an MD5 ETag
	mkdir "$1" && (cd "$1" && random 1 w.bin) && tar -C "$1" -cf "$1.tar" .
	direct s3 cp "$1.tar" "s3://models/$1/output/model.tar.gz"
}
small v3
fake_aws_faults 1 --mix corrupt --ops 's3:GetObject'
for v in v2 v3; do
	run "$BIN/accel-fetch" -j 1 -o model-mid \
	    "s3://models/$v/output/model.tar.gz"
	check_status 1 "$v: corrupted bytes"
	grep -q "^accel-fetch: s3://models/$v/output/model.tar.gz: verification failed: the bytes do not match the ETag" "$T/err"
	is "$v: verification failed (message)" $? 0
	if cmp -s mid/w.bin model-mid/w.bin; then ok "$v: old model kept"
	else not_ok "$v: old model kept"; fi
	is "$v: nothing beside" "$(ls -d model-mid.* 2>/dev/null)" ""
done
fake_aws_faults 0
run "$BIN/accel-fetch" -o model-mid s3://models/v3/output/model.tar.gz
check_status 0 "v3 without faults"
cmp -s v3/w.bin model-mid/w.bin
is "v3 in place" $? 0

# 4. status.json as DescribeTrainingJob gives it, with --output.
mkdir outd && echo metrics >outd/metrics.txt && tar -C outd -czf outd.tar.gz .
direct s3 cp outd.tar.gz s3://models/v3/output/output.tar.gz
cat >status.json <<'JSON'
{"TrainingJobName": "v3", "TrainingJobStatus": "Completed",
 "ModelArtifacts": {"S3ModelArtifacts": "s3://models/v3/output/model.tar.gz"},
 "OutputDataConfig": {"S3OutputPath": "s3://models/"}}
JSON
run "$BIN/accel-fetch" --output -o model-st status.json
check_status 0 "status.json --output"
check_stderr "" "status.json --output"
cmp -s v3/w.bin model-st/w.bin
is "status.json: model" $? 0
is "status.json: output/" "$(cat model-st/output/metrics.txt)" metrics

# 5. CompressionType NONE: the files under the prefix.
direct s3 cp v3/w.bin s3://models/raw/output/model/w.bin
direct s3 cp outd/metrics.txt s3://models/raw/output/model/sub/m.txt
cat >status-none.json <<'JSON'
{"TrainingJobName": "raw", "TrainingJobStatus": "Completed",
 "ModelArtifacts": {"S3ModelArtifacts": "s3://models/raw/output/model"},
 "OutputDataConfig": {"S3OutputPath": "s3://models/", "CompressionType": "NONE"}}
JSON
run "$BIN/accel-fetch" -o model-raw status-none.json
check_status 0 "CompressionType NONE"
is "NONE: files" "$(cd model-raw && find . -type f | sort | tr '\n' ' ')" \
    "./sub/m.txt ./w.bin "
cmp -s v3/w.bin model-raw/w.bin
is "NONE: same bytes" $? 0

# 6. Not there; no model yet.
run "$BIN/accel-fetch" -o model-x s3://models/nope/output/model.tar.gz
check_status 1 "missing object"
check_stderr "accel-fetch: s3://models/nope/output/model.tar.gz: not found
" "missing object"
echo '{"TrainingJobStatus": "InProgress"}' >inprogress.json
run "$BIN/accel-fetch" -o model-x inprogress.json
check_status 1 "job without a model"
check_stderr "accel-fetch: inprogress.json: no ModelArtifacts.S3ModelArtifacts (job status 'InProgress')
" "job without a model"
done_testing
