#!/bin/sh
# config-role.t - accel-config's "Create new IAM role using credentials"
# against the fake AWS (moto, SigV4 checked): the role and its inline
# policy are accelerate's (aws-cli reads them back and python compares them
# with accelerate's dicts), a second run uses the existing role as
# accelerate does, and the profile branch signs with the profile's keys.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
fake_aws_start
AWS_MAX_ATTEMPTS=1
export AWS_MAX_ATTEMPTS
ROLE=accelerate_sagemaker_execution_role
cd "$T" || exit 1

awscli() { aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"; }

# The keys branch: the environment's credentials.
run "$BIN/accel-config" -y --no-profile --create-role -o role.yaml
check_status 0 "--create-role"
is "--create-role: the role is stored" "$(grep '^iam_role_name' role.yaml)" \
	"iam_role_name: $ROLE"
is "--create-role: one CreateRole" "$(fake_aws_count 'iam:CreateRole')" 1
is "--create-role: one PutRolePolicy" "$(fake_aws_count 'iam:PutRolePolicy')" 1

awscli iam get-role --role-name "$ROLE" >role.json
awscli iam get-role-policy --role-name "$ROLE" \
	--policy-name "${ROLE}_policy_permission" >policy.json
python3 - role.json policy.json <<'EOF'
import json, sys
role = json.load(open(sys.argv[1]))["Role"]
policy = json.load(open(sys.argv[2]))
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
actions = ["sagemaker:*", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability", "ecr:GetAuthorizationToken", "cloudwatch:PutMetricData", "cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents", "logs:GetLogEvents", "s3:CreateBucket", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObject", "s3:PutObject"]
perm = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
ok = role["AssumeRolePolicyDocument"] == trust and policy["PolicyDocument"] == perm
sys.exit(0 if ok else 1)
EOF
is "the trust and permission policies are accelerate's" "$?" 0

# Again: the role exists; accelerate's message, no second policy.
run "$BIN/accel-config" -y --no-profile --create-role -o again.yaml
check_status 0 "--create-role when the role exists"
if grep -q "^role $ROLE already exists. Using existing one\$" "$T/out"; then
	ok "an existing role: accelerate's message"
else not_ok "an existing role: accelerate's message" "$(cat "$T/out")"; fi
is "an existing role: no PutRolePolicy" "$(fake_aws_count 'iam:PutRolePolicy')" 1
check_same "an existing role: the same file" again.yaml role.yaml

# The profile branch: AWS_PROFILE is set to the answer, as accelerate does;
# the profile's keys sign (the environment has none here).
awscli iam delete-role-policy --role-name "$ROLE" \
	--policy-name "${ROLE}_policy_permission"
awscli iam delete-role --role-name "$ROLE"
printf '[ml]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
	"$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" >credentials
: >config
printf '0\nml\n\n1\n\n\n\n\n\n\n\n' >answers
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN \
	-u AWS_PROFILE AWS_SHARED_CREDENTIALS_FILE="$T/credentials" \
	AWS_CONFIG_FILE="$T/config" "$BIN/accel-config" -o profile.yaml \
	<answers >profile.out 2>profile.err
is "the profile branch (exit status)" "$?" 0
is "the profile branch: created" "$(fake_aws_count 'iam:CreateRole')" 3
awscli iam get-role --role-name "$ROLE" >/dev/null 2>&1
is "the profile branch: the role exists" "$?" 0

# A refusal is reported, nothing is written.
run env AWS_SECRET_ACCESS_KEY=wrong "$BIN/accel-config" -y --no-profile \
	--create-role -o refused.yaml
check_status 1 "wrong keys"
is "wrong keys: no file" "$(ls refused.yaml 2>/dev/null)" ""
if grep -q '^accel-config: IAM CreateRole: ' "$T/err"; then
	ok "wrong keys: IAM's answer named"
else not_ok "wrong keys: IAM's answer named" "$(cat "$T/err")"; fi

done_testing
