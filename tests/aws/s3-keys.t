#!/bin/sh
# tests/aws/s3-keys.t - S3 keys that a URL library would "normalise": '.'
# and '..' segments, '//', trailing slashes, a literal "%2F".  S3 keeps
# such keys as they are, so the path we sign must be the path we send
# (libcurl removes dot segments unless told not to).  The fake AWS checks
# every signature with botocore's S3SigV4Auth over the request target as
# sent; aws-cli lists what was stored; every object comes back byte for
# byte, and accel-fetch fetches a model under such a key.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
fake_aws_start
A=$TOP/build/tests/aws-awscall
cd "$T" || exit 1

run "$A" create-bucket keys
check_status 0 "create bucket"

keys='models/./v1/w.bin
code/../c
./lead
../up
a/.
a/..
a//b
dir/
x/%2F/y
m/./v1/../v2//model.tar.gz'
# The keys sorted as S3 lists them (byte order), one per line.
want=$(printf '%s\n' "$keys" | LC_ALL=C sort)

i=0
while IFS= read -r k; do
	i=$((i + 1))
	printf 'object %d: %s\n' "$i" "$k" >"obj$i"
	run "$A" put keys "$k" "obj$i"
	check_status 0 "put '$k'"
	check_stderr "" "put '$k'"
	run "$A" get keys "$k" "got$i"
	check_status 0 "get '$k'"
	check_same "'$k': same bytes" "got$i" "obj$i"
done <<EOF
$keys
EOF

# aws-cli (the peer) sees exactly these keys, none merged or renamed.
aws s3api list-objects-v2 --bucket keys --query 'Contents[].Key' \
    --output text >"$T/list" 2>"$T/list.err"
is "aws-cli lists the keys as sent" \
    "$(tr '\t' '\n' <"$T/list" | LC_ALL=C sort)" "$want"

# accel-fetch: HeadObject and the ranged GETs at a dotted key.
mkdir m && echo weights >m/w.txt && tar -C m -czf m.tar.gz .
run "$A" put keys 'm/./v1/../v2//model.tar.gz' m.tar.gz
check_status 0 "model put under a dotted key"
run "$BIN/accel-fetch" -o model 's3://keys/m/./v1/../v2//model.tar.gz'
check_status 0 "accel-fetch at a dotted key"
check_stderr "" "accel-fetch at a dotted key"
is "the model's bytes" "$(cat model/w.txt 2>/dev/null)" weights

# A key with a terminal escape reaches the message quoted (quote_name).
run "$BIN/accel-fetch" -o model2 "s3://keys/$(printf 'x\033]0;PWNED\a')"
check_status 1 "key with an escape: not found"
check_stderr "accel-fetch: s3://keys/x\\033]0;PWNED\\a: not found
" "key with an escape: quoted"
done_testing
