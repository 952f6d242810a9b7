#!/bin/sh
# local-creds.t - accel-local --credentials role against the fake AWS: the
# script gets short-lived keys of the job's execution role (STS AssumeRole
# on RoleArn, session name SageMaker, as the platform names it), never the
# caller's; a role given by name (the {{role_arn}} placeholder and
# accel.role_name) is looked up with IAM GetRole first, as the SDK's
# expand_role does.  The role trusts the fake's user as well as SageMaker:
# assuming it from here needs that, as it would on AWS.
. "$(dirname "$0")/../cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
fake_aws_start
W=$T/w
mkdir -p "$W/src" "$W/data/train"
cat >"$W/src/train.py" <<'EOF2'
import os
with open(os.environ["PROBE_OUT"], "w") as f:
    for k in sorted(os.environ):
        f.write("%s=%s\n" % (k, os.environ[k]))
EOF2
tar -C "$W/src" -czf "$W/sourcedir.tar.gz" train.py
python3 - <<'PY'
import json, os, boto3
boto3.client("iam", endpoint_url=os.environ["FAKE_AWS_DIRECT_URL"]).create_role(
    RoleName="accel-test", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "sagemaker.amazonaws.com",
                      "AWS": "arn:aws:iam::123456789012:user/tester"},
        "Action": "sts:AssumeRole"}]}))
PY
request() {
	cat <<JSON
{"TrainingJobName": "creds-role",
 "AlgorithmSpecification": {"TrainingInputMode": "File", "TrainingImage": "img:1"},
 "RoleArn": "$1",
 "ResourceConfig": {"InstanceCount": 1, "InstanceType": "local", "VolumeSizeInGB": 30},
 "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "file://$W/data/train"}}}],
 "HyperParameters": {"sagemaker_program": "\"train.py\"", "sagemaker_region": "\"us-east-1\""},
 "Environment": {"PROBE_OUT": "$W/env"},
 "accel": {"role_name": "accel-test"}
}
JSON
}
has() { grep -q -- "$2" "$W/env" && ok "$1" || not_ok "$1" "$(cat "$W/env")"; }
hasnt() { grep -q -- "$2" "$W/env" && not_ok "$1" "$(grep -- "$2" "$W/env")" || ok "$1"; }
value() { sed -n "s/^$1=//p" "$W/env"; }

request arn:aws:iam::123456789012:role/accel-test >"$W/request.json"
run "$BIN/accel-local" --no-install --credentials role "$W/request.json"
check_status 0 "role: the job runs"
is "role: one STS AssumeRole" "$(fake_aws_count 'sts:AssumeRole')" 1
case $(value AWS_ACCESS_KEY_ID) in
ASIA*) ok "role: a temporary access key id (ASIA...)" ;;
*) not_ok "role: a temporary access key id (ASIA...)" "$(value AWS_ACCESS_KEY_ID)" ;;
esac
[ -n "$(value AWS_SECRET_ACCESS_KEY)" ] && ok "role: a secret key" ||
    not_ok "role: a secret key"
[ -n "$(value AWS_SESSION_TOKEN)" ] && ok "role: a session token" ||
    not_ok "role: a session token"
hasnt "role: not the caller's secret key" "$AWS_SECRET_ACCESS_KEY"
hasnt "role: not the caller's access key id" "=$AWS_ACCESS_KEY_ID\$"
# the keys are the role's: STS says so
python3 - "$W/env" >"$T/who" 2>&1 <<'PY'
import os, sys, boto3
env = dict(l.rstrip("\n").split("=", 1) for l in open(sys.argv[1]) if "=" in l)
sts = boto3.client("sts", endpoint_url=os.environ["FAKE_AWS_DIRECT_URL"],
                   aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                   aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
                   aws_session_token=env["AWS_SESSION_TOKEN"])
print(sts.get_caller_identity()["Arn"])
PY
is "role: the keys are the role's, session SageMaker" "$(cat "$T/who")" \
    "arn:aws:sts::123456789012:assumed-role/accel-test/SageMaker"
if grep -qF -e "$(value AWS_SECRET_ACCESS_KEY)" "$T/out" "$T/err"; then
	not_ok "role: the secret is not printed"
else ok "role: the secret is not printed"; fi

# a role given by name: IAM GetRole, then AssumeRole
request '{{role_arn}}' >"$W/request.json"
run "$BIN/accel-local" --no-install --credentials role "$W/request.json"
check_status 0 "role by name: the job runs"
is "role by name: IAM GetRole" "$(fake_aws_count 'iam:GetRole')" 1
case $(value AWS_ACCESS_KEY_ID) in
ASIA*) ok "role by name: a temporary access key id" ;;
*) not_ok "role by name: a temporary access key id" "$(cat "$W/env")" ;;
esac

# the default asks AWS nothing and passes nothing
run "$BIN/accel-local" --no-install "$W/request.json"
check_status 0 "default: the job runs"
is "default: no second AssumeRole" "$(fake_aws_count 'sts:AssumeRole')" 2
hasnt "default: no access key id" '^AWS_ACCESS_KEY_ID='
hasnt "default: no session token" '^AWS_SESSION_TOKEN='
done_testing
