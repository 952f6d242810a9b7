#!/bin/sh
# tests/aws/endpoint.t - our endpoints and signing regions against
# botocore's (the referee): every service in regions of every partition,
# and AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> as botocore reads them.
. "$TOP/tests/cli/lib.sh"
A=$TOP/build/tests/aws-awscall
unset AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 AWS_ENDPOINT_URL_SAGEMAKER \
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS AWS_ENDPOINT_URL_STS \
    AWS_ENDPOINT_URL_IAM AWS_IGNORE_CONFIGURED_ENDPOINT_URLS AWS_PROFILE
AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE
REGIONS="us-east-1 us-east-2 us-west-2 eu-west-1 eu-central-2 ap-south-1
ap-southeast-5 sa-east-1 ca-west-1 me-central-1 af-south-1 il-central-1
mx-central-1 cn-north-1 cn-northwest-1 us-gov-west-1 us-gov-east-1
us-iso-east-1 us-iso-west-1 us-isob-east-1 us-isof-south-1 us-isof-east-1
eu-isoe-west-1 eusc-de-east-1"

# botocore SERVICE: "URL SIGNING-REGION SIGNING-NAME" per region
botocore() {
	python3 - "$@" <<'PY'
import sys, boto3
svc, regions = sys.argv[1], sys.argv[2:]
for r in regions:
    c = boto3.client(svc, region_name=r, aws_access_key_id="a",
                     aws_secret_access_key="b")
    s = c._request_signer
    print(c.meta.endpoint_url, s._region_name, s._signing_name)
PY
}

for svc in s3 sagemaker logs sts iam; do
	# shellcheck disable=SC2086
	botocore $svc $REGIONS >"$T/want" 2>"$T/err"
	# shellcheck disable=SC2086
	run "$A" endpoint $svc $REGIONS
	check_same "$svc endpoints in $(echo $REGIONS | wc -w) regions equal botocore's" \
	    "$T/out" "$T/want"
done

AWS_ENDPOINT_URL=http://127.0.0.1:9000
AWS_ENDPOINT_URL_CLOUDWATCH_LOGS=http://localhost:9001/base
export AWS_ENDPOINT_URL AWS_ENDPOINT_URL_CLOUDWATCH_LOGS
for svc in s3 sagemaker logs sts iam; do
	botocore $svc eu-west-1 >"$T/want"
	run "$A" endpoint $svc eu-west-1
	check_same "$svc with AWS_ENDPOINT_URL(_CLOUDWATCH_LOGS) as botocore" \
	    "$T/out" "$T/want"
done
done_testing
