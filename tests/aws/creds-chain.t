#!/bin/sh
# creds-chain.t - which source the credential chain picks, case by case,
# against botocore 1.43 (the AWS CLI's resolver) run on the same
# environment and files: both must give the expected method, access key
# and region.  STS, container and IMDS answers come from the loopback fake
# (tests/creds/fake-creds-server.py); credential_process from
# tests/creds/process.py.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/creds/lib.sh"

start_fake
PROC="python3 $TOP/tests/creds/process.py"
CFG=$T/config
CRED=$T/credentials
TOKFILE=$T/web-token
printf 'web-identity-jwt-value' > "$TOKFILE"
FAKE_BASE="FAKE_WEB_TOKEN=web-identity-jwt-value
FAKE_SIGNING_KEYS=AKIDSTATIC:static-secret,AKIDENV:env-secret,AKIDDEV:dev-secret
FAKE_CONTAINER_TOKEN=container-auth-token"

files() { printf '%s\n' "$1" > "$CRED"; printf '%s\n' "$2" > "$CFG"; }
# The fake's key for an issue: ASIA + kind + sha256(ident)[:8], upper-case.
key() {
	printf 'ASIA%s%s' "$1" "$(printf '%s' "$2" | sha256sum | cut -c1-8)" |
	    tr a-z A-Z
}
R=region=us-east-1
STATIC='aws_access_key_id = AKIDSTATIC
aws_secret_access_key = static-secret'

# --- environment, files, profiles ---------------------------------------
files '' ''
same "env keys" "env AKIDENV token=no
$R" AWS_ACCESS_KEY_ID=AKIDENV AWS_SECRET_ACCESS_KEY=env-secret
same "env keys with a session token" "env AKIDENV token=yes
$R" AWS_ACCESS_KEY_ID=AKIDENV AWS_SECRET_ACCESS_KEY=env-secret \
    AWS_SESSION_TOKEN=env-token
same "env access key without secret" "error" AWS_ACCESS_KEY_ID=AKIDENV
same "nothing configured" "error"
same "a directory as the credentials file is no file" "env AKIDENV token=no
$R" AWS_SHARED_CREDENTIALS_FILE="$T" AWS_CONFIG_FILE=/dev/null \
    AWS_ACCESS_KEY_ID=AKIDENV AWS_SECRET_ACCESS_KEY=env-secret

files "[default]
$STATIC
[dev]
aws_access_key_id = AKIDDEV
aws_secret_access_key = dev-secret" ''
same "credentials file" "shared-credentials-file AKIDSTATIC token=no
$R"
same "env beats the credentials file" "env AKIDENV token=no
$R" AWS_ACCESS_KEY_ID=AKIDENV AWS_SECRET_ACCESS_KEY=env-secret
same "env beats AWS_PROFILE (not explicit)" "env AKIDENV token=no
$R" AWS_ACCESS_KEY_ID=AKIDENV AWS_SECRET_ACCESS_KEY=env-secret AWS_PROFILE=dev
same "--profile skips env" "shared-credentials-file AKIDDEV token=no
$R" AWS_ACCESS_KEY_ID=AKIDENV AWS_SECRET_ACCESS_KEY=env-secret -- --profile dev
same "AWS_PROFILE selects" "shared-credentials-file AKIDDEV token=no
$R" AWS_PROFILE=dev
same "AWS_DEFAULT_PROFILE before AWS_PROFILE" \
    "shared-credentials-file AKIDDEV token=no
$R" AWS_DEFAULT_PROFILE=dev AWS_PROFILE=default
same "missing profile" "error" AWS_PROFILE=nope
same "missing --profile" "error" -- --profile nope

files "[default]
$STATIC" "[default]
aws_access_key_id = AKIDCONFIG
aws_secret_access_key = config-secret
region = eu-west-1"
BASE_REGION=
same "credentials file beats config keys; region from profile" \
    "shared-credentials-file AKIDSTATIC token=no
region=eu-west-1"
got=$(ours AWS_DEFAULT_REGION=)
is "empty AWS_DEFAULT_REGION counts as unset (ours; botocore: region '')" \
    "$got" "shared-credentials-file AKIDSTATIC token=no
region=eu-west-1"
got=$(ours AWS_REGION=ca-central-1 AWS_DEFAULT_REGION=ap-south-1)
is "AWS_REGION before AWS_DEFAULT_REGION (ours; aws-cli v2; botocore ignores it)" \
    "$got" "shared-credentials-file AKIDSTATIC token=no
region=ca-central-1"
got=$(ours AWS_REGION=ca-central-1 -- --region sa-east-1)
is "--region before AWS_REGION (ours)" "$got" \
    "shared-credentials-file AKIDSTATIC token=no
region=sa-east-1"
unset BASE_REGION
same "AWS_DEFAULT_REGION beats the profile" \
    "shared-credentials-file AKIDSTATIC token=no
region=ap-south-1" AWS_DEFAULT_REGION=ap-south-1

files '' "[default]
aws_access_key_id = AKIDCONFIG
aws_secret_access_key = config-secret
[dev]
aws_access_key_id = AKIDBARE
aws_secret_access_key = bare
[profile cfg]
aws_access_key_id = AKIDCFGDEV
aws_secret_access_key = s
aws_session_token = t"
same "config file keys" "config-file AKIDCONFIG token=no
$R"
same "config [profile cfg] with token" "config-file AKIDCFGDEV token=yes
$R" AWS_PROFILE=cfg
same "bare [dev] in config is not a profile" "error" AWS_PROFILE=dev

files "[DEFAULT]
aws_access_key_id = AKIDDFLT
aws_secret_access_key = dflt-secret
[dev]
region = ca-central-1
[profile cfgstyle]
aws_access_key_id = AKIDWRONGFILE
aws_secret_access_key = s" "[profile withblock]
s3 =
    addressing_style = path
aws_access_key_id = AKIDBLOCK
aws_secret_access_key = s"
BASE_REGION=
same "credentials file [DEFAULT] keys reach [dev]; region from there" \
    "shared-credentials-file AKIDDFLT token=no
region=ca-central-1" AWS_PROFILE=dev
unset BASE_REGION
same "[profile x] in the credentials file is not profile x" "error" \
    AWS_PROFILE=cfgstyle
same "config profile with a nested s3 block" "config-file AKIDBLOCK token=no
$R" AWS_PROFILE=withblock

# --- credential_process ---------------------------------------------------
files '' "[default]
credential_process = $PROC ok
aws_access_key_id = AKIDCONFIG
aws_secret_access_key = config-secret
[profile tok]
credential_process = $PROC token
[profile args]
credential_process = $PROC argv 'a b' \"c\"
[profile badjson]
credential_process = $PROC badjson
[profile v2]
credential_process = $PROC version2
[profile nokey]
credential_process = $PROC nokey
[profile fail]
credential_process = $PROC fail"
same "credential_process beats config keys" "custom-process AKIDPROCESS token=no
$R"
same "credential_process with token and expiry" \
    "custom-process ASIAPROCESS token=yes
$R" AWS_PROFILE=tok
same "credential_process argv split with shell quoting" \
    "custom-process AKIDa-b_c token=no
$R" AWS_PROFILE=args
same "credential_process bad JSON" "error" AWS_PROFILE=badjson
same "credential_process Version 2" "error" AWS_PROFILE=v2
same "credential_process without AccessKeyId" "error" AWS_PROFILE=nokey
same "credential_process exit 3" "error" AWS_PROFILE=fail
check_text "credential_process stderr passed through" "$T/ours.err" \
    "process.py: no credentials for you
unit-creds: credential_process 'python3' exited with status 3
"
files '' "[default]
credential_process = $PROC sleep $T/sleep.pid"
got=$(ours -- --timeout-ms 1500)
is "credential_process past its deadline (ours; botocore waits)" "$got" "error"
check_text "credential_process deadline message" "$T/ours.err" \
    "unit-creds: credential_process 'python3' did not finish within 1500 ms
"
if [ -s "$T/sleep.pid" ] && ! kill -0 "$(cat "$T/sleep.pid")" 2>/dev/null
then ok "credential_process killed at the deadline"
else not_ok "credential_process killed at the deadline"; fi
files "[default]
$STATIC" "[default]
credential_process = $PROC ok"
same "credentials file beats credential_process" \
    "shared-credentials-file AKIDSTATIC token=no
$R"
files "[default]
credential_process = $PROC ok" ''
same "credential_process in the credentials file" \
    "custom-process AKIDPROCESS token=no
$R"

# --- web identity ---------------------------------------------------------
WI_ENV="AWS_ROLE_ARN=arn:aws:iam::123456789012:role/WI AWS_WEB_IDENTITY_TOKEN_FILE=$TOKFILE AWS_ROLE_SESSION_NAME=s1"
WIKEY=$(key WI "arn:aws:iam::123456789012:role/WIweb-identity-jwt-value")
files "[default]
$STATIC" ''
# shellcheck disable=SC2086
same "web identity (env) beats the credentials file" \
    "assume-role-with-web-identity $WIKEY token=yes
$R" $WI_ENV
# shellcheck disable=SC2086
same "env keys beat web identity" "env AKIDENV token=no
$R" $WI_ENV AWS_ACCESS_KEY_ID=AKIDENV AWS_SECRET_ACCESS_KEY=env-secret
files "[default]
$STATIC
[dev]
aws_access_key_id = AKIDDEV
aws_secret_access_key = dev-secret" ''
# shellcheck disable=SC2086
same "--profile turns off web identity from the environment" \
    "shared-credentials-file AKIDDEV token=no
$R" $WI_ENV -- --profile dev
same "web identity without a role ARN" "error" \
    AWS_WEB_IDENTITY_TOKEN_FILE="$TOKFILE"
files '' "[profile wi]
role_arn = arn:aws:iam::123456789012:role/WI
web_identity_token_file = $TOKFILE
role_session_name = s2"
same "web identity (profile), not assume-role" \
    "assume-role-with-web-identity $WIKEY token=yes
$R" AWS_PROFILE=wi
same "wrong web identity token refused" "error" AWS_PROFILE=wi \
    FAKE_WEB_TOKEN=other

# --- assume role ----------------------------------------------------------
ROLE=arn:aws:iam::123456789012:role/AR
files "[base]
$STATIC" "[profile role]
role_arn = $ROLE
source_profile = base
external_id = ext-1
duration_seconds = 1800
[profile chain]
role_arn = ${ROLE}2
source_profile = role
[profile envrole]
role_arn = $ROLE
credential_source = Environment
[profile loop1]
role_arn = $ROLE
source_profile = loop2
[profile loop2]
role_arn = $ROLE
source_profile = loop1
[profile self]
role_arn = $ROLE
source_profile = self
$STATIC
[profile both]
role_arn = $ROLE
source_profile = base
credential_source = Environment
[profile nosrc]
role_arn = $ROLE
[profile missing]
role_arn = $ROLE
source_profile = nowhere
[profile badsrc]
role_arn = $ROLE
credential_source = Nowhere
[profile wiprof]
role_arn = $ROLE
web_identity_token_file = $TOKFILE"
ARKEY=$(key AR "${ROLE}AKIDSTATIC")
same "assume-role with a static source_profile" "assume-role $ARKEY token=yes
$R" AWS_PROFILE=role
# shellcheck disable=SC2086
same "assume-role profile beats web identity env" \
    "assume-role $ARKEY token=yes
$R" AWS_PROFILE=role $WI_ENV
same "assume-role chain role -> role -> static" \
    "assume-role $(key AR "${ROLE}2$ARKEY") token=yes
$R" AWS_PROFILE=chain
same "credential_source Environment" \
    "assume-role $(key AR "${ROLE}AKIDENV") token=yes
$R" AWS_ACCESS_KEY_ID=AKIDENV AWS_SECRET_ACCESS_KEY=env-secret \
    -- --profile envrole
same "source_profile pointing to itself with keys" \
    "assume-role $ARKEY token=yes
$R" AWS_PROFILE=self
same "role_arn with web_identity_token_file is web identity" \
    "assume-role-with-web-identity $(key WI "${ROLE}web-identity-jwt-value") token=yes
$R" AWS_PROFILE=wiprof
same "source_profile loop" "error" AWS_PROFILE=loop1
same "source_profile and credential_source" "error" AWS_PROFILE=both
same "role_arn without a source" "error" AWS_PROFILE=nosrc
same "source_profile that does not exist" "error" AWS_PROFILE=missing
same "unknown credential_source" "error" AWS_PROFILE=badsrc
grep -q "AssumeRole role=$ROLE signer=AKIDSTATIC external=ext-1 duration=1800" \
    "$T/fake.log" && ok "AssumeRole sent ExternalId and DurationSeconds" ||
    not_ok "AssumeRole sent ExternalId and DurationSeconds" "$(cat "$T/fake.log")"

# STS where the config file puts it, not the environment.
files "[base]
$STATIC" "[profile svc]
role_arn = $ROLE
source_profile = base
services = fakes
[services fakes]
sts =
  endpoint_url = $URL
[profile glob]
role_arn = $ROLE
source_profile = base
endpoint_url = $URL
[profile ign]
role_arn = $ROLE
source_profile = base
endpoint_url = $URL
ignore_configured_endpoint_urls = true"
NO_STS_ENV=1
same "STS endpoint from a [services] section" "assume-role $ARKEY token=yes
$R" AWS_PROFILE=svc
same "STS endpoint from the profile's endpoint_url" \
    "assume-role $ARKEY token=yes
$R" AWS_PROFILE=glob
got=$(ours AWS_PROFILE=ign AWS_MAX_ATTEMPTS=1 \
    ALL_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9)
is "ignore_configured_endpoint_urls: not the fake (ours)" "$got" "error"
unset NO_STS_ENV

# --- container and instance metadata ------------------------------------
files '' ''
CT="AWS_CONTAINER_CREDENTIALS_FULL_URI=$URL/container/creds"
CTKEY=$(key CT container)
# shellcheck disable=SC2086
same "container, token in a variable" "container-role $CTKEY token=yes
$R" $CT AWS_CONTAINER_AUTHORIZATION_TOKEN=container-auth-token
printf 'container-auth-token' > "$T/ct-token"
# shellcheck disable=SC2086
same "container, token file preferred" "container-role $CTKEY token=yes
$R" $CT AWS_CONTAINER_AUTHORIZATION_TOKEN=wrong \
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$T/ct-token"
# shellcheck disable=SC2086
same "container, wrong token" "error" $CT AWS_CONTAINER_AUTHORIZATION_TOKEN=wrong
same "container, non-loopback http refused" "error" \
    AWS_CONTAINER_CREDENTIALS_FULL_URI=http://192.0.2.1/creds
got=$(ours ACCEL_TEST_CONTAINER_HOST=127.0.0.1:$PORT \
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=/container/creds \
    AWS_CONTAINER_AUTHORIZATION_TOKEN=container-auth-token)
is "container, relative URI (ours only: the host is fixed in botocore)" \
    "$got" "container-role $CTKEY token=yes
$R"
IM="AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT=$URL/"
IMKEY=$(key IM imds)
# shellcheck disable=SC2086
same "IMDSv2" "iam-role $IMKEY token=yes
$R" $IM
grep -q "^GET /latest/meta-data/iam/security-credentials/test-role imds-token=True" \
    "$T/fake.log" && ok "IMDS calls carry the v2 token" ||
    not_ok "IMDS calls carry the v2 token"
# shellcheck disable=SC2086
same "IMDSv1 fallback after a 403 token answer" "iam-role $IMKEY token=yes
$R" $IM FAKE_IMDS_V1=1
# shellcheck disable=SC2086
same "IMDSv1 fallback refused when v1 is disabled" "error" $IM \
    FAKE_IMDS_V1=1 AWS_EC2_METADATA_V1_DISABLED=true
same "IMDS disabled" "error" \
    AWS_EC2_METADATA_SERVICE_ENDPOINT="$URL/"
# shellcheck disable=SC2086
same "container beats IMDS" "container-role $CTKEY token=yes
$R" $IM $CT AWS_CONTAINER_AUTHORIZATION_TOKEN=container-auth-token
files "[default]
$STATIC" ''
# shellcheck disable=SC2086
same "credentials file beats container" \
    "shared-credentials-file AKIDSTATIC token=no
$R" $CT AWS_CONTAINER_AUTHORIZATION_TOKEN=container-auth-token
files '' "[profile ec2]
role_arn = $ROLE
credential_source = Ec2InstanceMetadata
[profile ecs]
role_arn = $ROLE
credential_source = EcsContainer"
# shellcheck disable=SC2086
same "credential_source Ec2InstanceMetadata" \
    "assume-role $(key AR "$ROLE$IMKEY") token=yes
$R" AWS_PROFILE=ec2 $IM
# shellcheck disable=SC2086
same "credential_source EcsContainer" \
    "assume-role $(key AR "$ROLE$CTKEY") token=yes
$R" AWS_PROFILE=ecs $CT AWS_CONTAINER_AUTHORIZATION_TOKEN=container-auth-token
done_testing
