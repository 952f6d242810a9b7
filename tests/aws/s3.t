#!/bin/sh
# tests/aws/s3.t - S3 details the fake corrects in moto (fakeaws_auth.py):
# presigned URLs made by botocore are verified (and refused when tampered,
# expired or signed with a wrong or unknown key), and a PUT body sent with
# curl's default form Content-Type is stored as sent.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
fake_aws_start
E=$AWS_ENDPOINT_URL
printf 'hello presigned\n' >"$T/hello"
aws --endpoint-url "$E" s3 mb s3://accel-test >/dev/null &&
    aws --endpoint-url "$E" s3 cp --only-show-errors "$T/hello" \
    's3://accel-test/a b/x+y.txt'
is "setup" "$?" 0

cat >"$T/presign.py" <<'EOF'
import json, os, sys, urllib.parse
import boto3
from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

v4 = Config(signature_version="s3v4")
what, key = sys.argv[1], sys.argv[2]
kid, secret = os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"]
if what == "wrong-secret":
    secret = "wrong" + secret
if what == "unknown-key":
    kid = "AKIAUNKNOWN000000000"
if what == "expired":
    # botocore's presigner, its clock set to 2020
    path = urllib.parse.quote(f"/accel-test/{key}", safe="/~")
    req = AWSRequest("GET", os.environ["AWS_ENDPOINT_URL"] + path)
    req.context["timestamp"] = "20200101T000000Z"
    auth = S3SigV4QueryAuth(Credentials(kid, secret), "s3", "us-east-1", 60)
    auth._modify_request_before_signing(req)
    sig = auth.signature(auth.string_to_sign(req, auth.canonical_request(req)), req)
    auth._inject_signature_to_request(req, sig)
    print(req.url)
    sys.exit(0)
token = None
if what.startswith("role"):
    # an assumed role's temporary key: the URL carries its session token
    iam = boto3.client("iam")
    iam.create_role(RoleName=what, AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {
                "AWS": "arn:aws:iam::123456789012:user/tester"}}]}))
    iam.put_role_policy(RoleName=what, PolicyName="s3",
                        PolicyDocument=json.dumps({
                            "Version": "2012-10-17", "Statement": [{
                                "Effect": "Allow", "Action": "s3:*",
                                "Resource": "*"}]}))
    c = boto3.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::123456789012:role/{what}",
        RoleSessionName="presign")["Credentials"]
    kid, secret, token = (c["AccessKeyId"], c["SecretAccessKey"],
                          c["SessionToken"])
s3 = boto3.client("s3", aws_access_key_id=kid, aws_secret_access_key=secret,
                  aws_session_token=token, config=v4)
op = "put_object" if what == "put" else "get_object"
url = s3.generate_presigned_url(op, Params={"Bucket": "accel-test", "Key": key},
                                ExpiresIn=600)
if what == "tampered":
    url = url.replace("X-Amz-Signature=", "X-Amz-Signature=0")
if what == "role-bad-token":
    url = url.replace("X-Amz-Security-Token=", "X-Amz-Security-Token=x")
print(url)
EOF

# presigned KIND [CURL-ARGS]: curl's HTTP status and body for a URL
presigned() {
	url=$(python3 "$T/presign.py" "$1" 'a b/x+y.txt') || return
	shift
	curl -s -o "$T/body" -w '%{http_code}' "$@" "$url"
	sed -n 's/.*<Code>\([^<]*\)<.*/ \1/p; s/^hello presigned$/ hello/p' \
	    "$T/body"
}
is "a presigned GET is served" "$(presigned good)" "200 hello"
is "a tampered signature is refused" "$(presigned tampered)" \
    "403 SignatureDoesNotMatch"
is "a wrong secret is refused" "$(presigned wrong-secret)" \
    "403 SignatureDoesNotMatch"
is "an unknown key is refused" "$(presigned unknown-key)" \
    "403 InvalidAccessKeyId"
is "an assumed role's URL (session token) is served" "$(presigned role)" \
    "200 hello"
is "a wrong session token is refused" "$(presigned role-bad-token)" \
    "403 InvalidToken"
is "an expired URL is refused" "$(presigned expired)" "403 AccessDenied"
grep -q 'Request has expired' "$T/body" && ok "... as expired" ||
    not_ok "... as expired" "$(cat "$T/body")"

# curl -d sends Content-Type: application/x-www-form-urlencoded
printf 'form-typed body\n' >"$T/put"
url=$(python3 "$T/presign.py" put up.txt)
run curl -s -o /dev/null -w '%{http_code}' --data-binary "@$T/put" -X PUT \
    "$url"
is "a presigned PUT with curl's form Content-Type" "$(cat "$T/out")" 200
run aws --endpoint-url "$E" s3 cp s3://accel-test/up.txt -
check_stdout "form-typed body
" "its body is stored as sent"
run aws --endpoint-url "$E" s3api put-object --bucket accel-test \
    --key form.txt --body "$T/put" \
    --content-type application/x-www-form-urlencoded --query ETag \
    --output text
check_stdout "\"$(md5sum <"$T/put" | cut -c1-32)\"
" "a signed PUT with a form Content-Type: ETag is the body's MD5"

done_testing
