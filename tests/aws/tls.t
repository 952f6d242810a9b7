#!/bin/sh
# tests/aws/tls.t - TLS verification is always on: a server whose
# certificate no trusted CA signed is refused, at once and without a
# retry; the same server is accepted when AWS_CA_BUNDLE names its CA.
# The server is tests/aws/httpd.py over TLS (openssl makes the CA).
. "$TOP/tests/cli/lib.sh"
A=$TOP/build/tests/aws-awscall
unset AWS_CA_BUNDLE AWS_MAX_ATTEMPTS https_proxy HTTPS_PROXY all_proxy \
    ALL_PROXY
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=accel-test-ca \
    -keyout "$T/key.pem" -out "$T/cert.pem" \
    -addext subjectAltName=IP:127.0.0.1 2>"$T/openssl.err"
is "a self-signed certificate for 127.0.0.1" "$?" 0
python3 "$TOP/tests/aws/httpd.py" "$T/cert.pem" "$T/key.pem" >"$T/port" &
wait_until 60 test -s "$T/port" || echo "# httpd.py did not start"
read -r port pid <"$T/port"
trap 'kill $pid; rm -rf "$T"' EXIT
AWS_ENDPOINT_URL_STS=https://127.0.0.1:$port/sts
AWS_ACCESS_KEY_ID=AKIDTEST AWS_SECRET_ACCESS_KEY=test
export AWS_ENDPOINT_URL_STS AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
printf 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl' >"$T/jwt"

run "$A" -v web-identity arn:aws:iam::123456789012:role/r s1 "$T/jwt"
is "an untrusted certificate is refused (exit 1, not 75)" "$status" 1
is "...after one attempt" "$(grep -c 'attempt 1; giving up' "$T/err")" 1
AWS_CA_BUNDLE=$T/cert.pem run "$A" web-identity \
    arn:aws:iam::123456789012:role/r s1 "$T/jwt"
is "accepted with AWS_CA_BUNDLE" "$status $(cut -d' ' -f1 "$T/out")" \
    "0 ASIAWEBIDENTITY"
AWS_CA_BUNDLE=$T/key.pem run "$A" web-identity \
    arn:aws:iam::123456789012:role/r s1 "$T/jwt"
is "a bundle that is not a certificate is refused" "$status" 1
done_testing
