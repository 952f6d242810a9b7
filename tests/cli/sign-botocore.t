#!/bin/sh
# sign-botocore.t - 1,000 random requests (methods, unicode and reserved
# characters and '//' and dot segments in paths, duplicate, empty and
# valueless query keys, repeated mixed-case headers with inner and folded
# whitespace, S3 and other services, with and without a session token)
# signed by bin/accel-sign and by botocore's SigV4Auth / S3SigV4Auth:
# the Authorization values must be identical.  What is fed to both, and
# where botocore differs, is described in sign_botocore.py.
. "$TOP/tests/cli/lib.sh"

run python3 "$TOP/tests/cli/sign_botocore.py" "$BIN/accel-sign" 1000
check_status 0 "accel-sign and botocore agree on 1000 requests"
summary=$(tail -1 "$T/out")
case $summary in
"compared 1000, differ 0,"*) ok "all 1000 compared: $summary" ;;
*) not_ok "all 1000 compared" "$(head -20 "$T/out")" "$(cat "$T/err")" ;;
esac
# Each kind of case must actually occur, or the test proves less than it says.
for kind in s3 token unsigned dup_query dup_header folded unicode_path; do
	n=$(printf '%s\n' "$summary" | tr ',' '\n' |
	    sed -n "s/^ *$kind \([0-9]*\)\$/\1/p")
	if [ "${n:-0}" -ge 50 ]; then ok "$kind cases: $n"; else
		not_ok "$kind cases: ${n:-none}" "$summary"; fi
done
done_testing
