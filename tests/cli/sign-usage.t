#!/bin/sh
# sign-usage.t - accel-sign's command line, errors and exit statuses, and
# that the secret key never reaches its output or its messages.
. "$TOP/tests/cli/lib.sh"

AWS_ACCESS_KEY_ID=AKIDEXAMPLE
AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
unset AWS_SESSION_TOKEN AWS_REGION AWS_DEFAULT_REGION
S="--service service --region us-east-1 --time 20150830T123600Z"
printf 'GET / HTTP/1.1\nHost:example.amazonaws.com\n' >"$T/req"

# get-vanilla's signature (aws-protocols.md 2.10), read from standard input.
# shellcheck disable=SC2086
"$BIN/accel-sign" $S --print signature - <"$T/req" >"$T/out" 2>"$T/err"
is "stdin: get-vanilla signature" "$(cat "$T/out")" \
    5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31

# shellcheck disable=SC2086
run "$BIN/accel-sign" $S "$T/req"
check_status 0 "default prints the request"
check_stdout "GET / HTTP/1.1
Host:example.amazonaws.com
X-Amz-Date:20150830T123600Z
Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31

" "signed request"

AWS_SESSION_TOKEN=tok/en+1
export AWS_SESSION_TOKEN
# shellcheck disable=SC2086
run "$BIN/accel-sign" $S --print authorization "$T/req"
case $(cat "$T/out") in
*"SignedHeaders=host;x-amz-date;x-amz-security-token, "*) ok "token signed" ;;
*) not_ok "token signed" "$(cat "$T/out")" ;;
esac
# shellcheck disable=SC2086
run "$BIN/accel-sign" $S --presign 60 --print authorization "$T/req"
case $(cat "$T/out") in
*"&X-Amz-Security-Token=tok%2Fen%2B1&X-Amz-Signature="*)
	ok "presign: token in the query" ;;
*) not_ok "presign: token in the query" "$(cat "$T/out")" ;;
esac
unset AWS_SESSION_TOKEN

# shellcheck disable=SC2086
run "$BIN/accel-sign" $S --print canonical "$T/req" "$T/req"
check_status 2 "two files"
# shellcheck disable=SC2086
run "$BIN/accel-sign" $S --print everything "$T/req"
check_status 2 "unknown --print"
check_stderr "accel-sign: unknown --print value 'everything'
accel-sign: try 'accel-sign --help'
" "unknown --print message"
run "$BIN/accel-sign" --service s --region r --time 2015-08-30 "$T/req"
check_status 2 "bad --time"
# shellcheck disable=SC2086
run "$BIN/accel-sign" $S --presign 604801 "$T/req"
check_status 2 "--presign past a week"
run "$BIN/accel-sign" --region us-east-1 "$T/req"
check_status 2 "no service"
check_stderr "accel-sign: no service: give --service or --context
accel-sign: try 'accel-sign --help'
" "no service message"

AWS_REGION=eu-west-3
export AWS_REGION
run "$BIN/accel-sign" --service s --time 20150830T123600Z --print authorization "$T/req"
case $(cat "$T/out") in
*/20150830/eu-west-3/s/aws4_request*) ok "region from AWS_REGION" ;;
*) not_ok "region from AWS_REGION" "$(cat "$T/out")" ;;
esac
unset AWS_REGION

# shellcheck disable=SC2086
run env -u AWS_SECRET_ACCESS_KEY "$BIN/accel-sign" $S "$T/req"
check_status 1 "no credentials"
check_stderr "accel-sign: no credentials: Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY
" "no credentials message (botocore's wording)"

# Without keys in the environment the AWS CLI's chain answers: a profile of
# the shared files gives the key and the region.
printf '[p1]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s3cr3t\n' \
	>"$T/credentials"
printf '[profile p1]\nregion = eu-west-1\n' >"$T/config"
# shellcheck disable=SC2086
run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN \
	-u AWS_REGION -u AWS_DEFAULT_REGION AWS_PROFILE=p1 \
	AWS_SHARED_CREDENTIALS_FILE="$T/credentials" AWS_CONFIG_FILE="$T/config" \
	AWS_EC2_METADATA_DISABLED=true "$BIN/accel-sign" --service s \
	--time 20150830T123600Z --print authorization "$T/req"
check_status 0 "credentials from a profile"
case $(cat "$T/out") in
*Credential=AKIDFILE/20150830/eu-west-1/s/aws4_request*) ok "key and region from the profile" ;;
*) not_ok "key and region from the profile" "$(cat "$T/out")" ;;
esac

printf 'GET / HTTP/1.1\nX-A:1\n' >"$T/nohost"
# shellcheck disable=SC2086
run "$BIN/accel-sign" $S "$T/nohost"
check_status 1 "no Host"
check_stderr "accel-sign: cannot sign '$T/nohost': the request has no Host header
" "no Host message"

printf ' folded:first\nGET / HTTP/1.1\n' >"$T/bad"
# shellcheck disable=SC2086
run "$BIN/accel-sign" $S "$T/bad"
check_status 1 "malformed request"
check_stderr "accel-sign: cannot read '$T/bad': malformed request line
" "malformed request message"

# shellcheck disable=SC2086
run "$BIN/accel-sign" $S "$T/missing"
check_status 1 "missing file"

# The secret reaches neither output nor messages, whatever is printed.
for p in request canonical string-to-sign signature authorization; do
	# shellcheck disable=SC2086
	"$BIN/accel-sign" $S --print $p "$T/req" >"$T/o" 2>&1
	# shellcheck disable=SC2086
	"$BIN/accel-sign" $S --presign 60 --print $p "$T/req" >>"$T/o" 2>&1
	if grep -q "EXAMPLEKEY" "$T/o"; then not_ok "no secret in --print $p"
	else ok "no secret in --print $p"; fi
done
done_testing
