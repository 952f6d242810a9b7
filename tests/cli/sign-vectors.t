#!/bin/sh
# sign-vectors.t - bin/accel-sign against the AWS SigV4 test suite
# (tests/vectors/sigv4, vendored with its LICENSE and NOTICE): every applicable case,
# every intermediate file, byte for byte.
#
# Applied:
#   aws-c-auth v4/*       all 38 cases, header and query (presigned) signing:
#                         canonical request, string to sign, signature,
#                         signed request.  The 24 cases the README lists for
#                         both S3 and other services and the 7 "S3 path
#                         semantics" cases run a second time with --s3.
#   s3-extra/*            the ten request.txt cases: canonical request,
#                         string to sign, signature, Authorization value.
#   s3-doc-presigned-get  rebuilt from its README parameters: canonical
#                         request, string to sign, signature, signed query.
#   s3-doc-chunked-upload the seed (header) signature only.
# Not applied:
#   aws-c-auth v4a/*      SigV4a (ECDSA P-256): not used by SageMaker, S3,
#                         Logs, STS or IAM on regional endpoints.
#   chunk and trailer signatures of s3-doc-chunked-upload: aws-chunked
#                         streaming is not implemented (uploads sign the
#                         payload hash or UNSIGNED-PAYLOAD instead).
. "$TOP/tests/cli/lib.sh"

VEC=$TOP/tests/vectors/sigv4
V4=$VEC/aws-c-auth/tests/aws-signing-test-suite/v4
S3X=$VEC/s3-extra
if [ ! -d "$V4" ] || [ ! -d "$S3X" ]; then
	not_ok "SigV4 vectors present" "missing: $VEC"
	done_testing
	exit 1
fi

# same NAME WANTFILE ACCEL-SIGN-ARGS...: accel-sign's stdout equals WANTFILE
same() {
	name=$1 want=$2
	shift 2
	"$BIN/accel-sign" "$@" >"$T/out" 2>"$T/err"
	status=$?
	if [ "$status" -ne 0 ]; then
		not_ok "$name" "exit $status: $(cat "$T/err")"
	else
		check_same "$name" "$T/out" "$want"
	fi
}

# every_file CASEDIR MODE LABEL ARGS...: the four files of one signing mode
every_file() {
	d=$1 mode=$2 label=$3
	shift 3
	same "$label $mode canonical" "$d/$mode-canonical-request.txt" \
	    --context "$d/context.json" --print canonical "$@" "$d/request.txt"
	same "$label $mode string-to-sign" "$d/$mode-string-to-sign.txt" \
	    --context "$d/context.json" --print string-to-sign "$@" "$d/request.txt"
	same "$label $mode signature" "$d/$mode-signature.txt" \
	    --context "$d/context.json" --print signature "$@" "$d/request.txt"
	[ -f "$d/$mode-signed-request.txt" ] &&
	same "$label $mode signed request" "$d/$mode-signed-request.txt" \
	    --context "$d/context.json" --print request "$@" "$d/request.txt"
}

ncase=0
for d in "$V4"/*/; do
	d=${d%/}
	c=${d##*/}
	ncase=$((ncase + 1))
	expires=$(sed -n 's/.*"expiration_in_seconds": *\([0-9]*\).*/\1/p' \
	    "$d/context.json")
	every_file "$d" header "v4/$c"
	every_file "$d" query "v4/$c" --presign "$expires"
done
is "all 38 v4 cases found" "$ncase" 38

# The README's S3-applicable v4 cases, signed under S3 path rules.
for c in get-header-key-duplicate get-header-value-multiline \
    get-header-value-order get-header-value-trim get-unreserved get-utf8 \
    get-vanilla get-vanilla-empty-query-key get-vanilla-query \
    get-vanilla-query-order-encoded get-vanilla-query-order-key-case \
    get-vanilla-query-unreserved get-vanilla-utf8-query \
    get-vanilla-with-session-token post-header-key-case post-header-key-sort \
    post-header-value-case post-sts-header-after post-sts-header-before \
    post-vanilla post-vanilla-empty-query-value post-vanilla-query \
    post-x-www-form-urlencoded post-x-www-form-urlencoded-parameters \
    get-relative-unnormalized get-relative-relative-unnormalized \
    get-slash-unnormalized get-slash-dot-slash-unnormalized \
    get-slash-pointless-dot-unnormalized get-slashes-unnormalized \
    get-space-unnormalized; do
	same "v4/$c --s3 canonical" "$V4/$c/header-canonical-request.txt" \
	    --s3 --context "$V4/$c/context.json" --print canonical \
	    "$V4/$c/request.txt"
	same "v4/$c --s3 signature" "$V4/$c/header-signature.txt" \
	    --s3 --context "$V4/$c/context.json" --print signature \
	    "$V4/$c/request.txt"
done

for d in "$S3X"/*/; do
	d=${d%/}
	[ -f "$d/request.txt" ] || continue
	c=${d##*/}
	every_file "$d" header "s3-extra/$c"
	same "s3-extra/$c authorization" "$d/header-authorization.txt" \
	    --context "$d/context.json" --print authorization "$d/request.txt"
done

# The cases without request.txt, rebuilt from their README parameters.
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
unset AWS_SESSION_TOKEN
S3ARGS="--service s3 --region us-east-1 --time 20130524T000000Z"

d=$S3X/s3-doc-presigned-get
printf 'GET /test.txt HTTP/1.1\nHost:examplebucket.s3.amazonaws.com\n' \
    >"$T/presign.txt"
for p in canonical:canonical-request string-to-sign:string-to-sign \
    signature:signature; do
	# shellcheck disable=SC2086
	same "s3-doc-presigned-get ${p%%:*}" "$d/query-${p#*:}.txt" $S3ARGS \
	    --presign 86400 --print "${p%%:*}" "$T/presign.txt"
done
# The S3 documentation writes X-Amz-Expires before X-Amz-SignedHeaders,
# aws-c-auth (and we) after: compare the parameters, not their order.
sed 's/^[^?]*?//' "$d/query-signed-url.txt" | tr '&' '\n' | sort \
    >"$T/want-query"
# shellcheck disable=SC2086
"$BIN/accel-sign" $S3ARGS --presign 86400 --print authorization \
    "$T/presign.txt" | tr '&' '\n' | sort >"$T/got-query"
check_same "s3-doc-presigned-get signed query" "$T/got-query" "$T/want-query"

d=$S3X/s3-doc-chunked-upload
printf '%s\n' 'PUT /examplebucket/chunkObject.txt HTTP/1.1' \
    'Host:s3.amazonaws.com' 'x-amz-storage-class:REDUCED_REDUNDANCY' \
    'x-amz-content-sha256:STREAMING-AWS4-HMAC-SHA256-PAYLOAD' \
    'Content-Encoding:aws-chunked' 'x-amz-decoded-content-length:66560' \
    'Content-Length:66824' >"$T/chunked.txt"
for p in canonical:canonical-request string-to-sign:string-to-sign \
    signature:signature; do
	# shellcheck disable=SC2086
	same "s3-doc-chunked-upload seed ${p%%:*}" \
	    "$d/header-${p#*:}.txt" $S3ARGS --print "${p%%:*}" "$T/chunked.txt"
done

done_testing
