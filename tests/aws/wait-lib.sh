# tests/aws/wait-lib.sh - helpers of the accel-wait tests (sourced after
# tests/cli/lib.sh and tests/aws/lib.sh, once the fake AWS runs).
#
#   wait_setup SETTINGS_JSON     sagemaker.json and the bucket
#   wait_job NAME [HOSTS] [DIR]  CreateTrainingJob (straight to moto, not
#                                counted) and DIR/job.json (default $T/NAME)
#   golden FILE                  the golden file without its "#|" comments

wait_setup() {
	printf '%s\n' "$1" >"$FAKE_AWS_DIR/sagemaker.json"
	python3 - <<'PY'
import os, boto3
boto3.client("s3", endpoint_url=os.environ["FAKE_AWS_DIRECT_URL"]) \
    .create_bucket(Bucket="accel-test")
PY
}

wait_job() {
	_dir=${3:-$T/$1}
	mkdir -p "$_dir"
	python3 - "$1" "${2:-1}" <<'PY'
import os, sys, boto3
sm = boto3.client("sagemaker", endpoint_url=os.environ["FAKE_AWS_DIRECT_URL"])
sm.create_training_job(
    TrainingJobName=sys.argv[1],
    RoleArn="arn:aws:iam::123456789012:role/accel-test",
    AlgorithmSpecification={"TrainingImage": "img:1",
                            "TrainingInputMode": "File"},
    OutputDataConfig={"S3OutputPath": "s3://accel-test/out"},
    ResourceConfig={"InstanceType": "ml.m5.large",
                    "InstanceCount": int(sys.argv[2]), "VolumeSizeInGB": 10},
    StoppingCondition={"MaxRuntimeInSeconds": 3600})
PY
	# JOB.json as accel-submit writes it; the endpoint is the proxy's
	printf '{"name": "%s", "arn": "arn:aws:sagemaker:us-east-1:123456789012:training-job/%s", "region": "us-east-1", "endpoint": "%s", "digest": "0", "attached": false}\n' \
	    "$1" "$1" "$AWS_ENDPOINT_URL" >"$_dir/job.json"
}

# job_status NAME: TrainingJobStatus from ListTrainingJobs, which (unlike
# DescribeTrainingJob) does not move a step-mode job on
job_status() {
	python3 - "$1" <<'PY'
import os, sys, boto3
sm = boto3.client("sagemaker", endpoint_url=os.environ["FAKE_AWS_DIRECT_URL"])
for j in sm.list_training_jobs(NameContains=sys.argv[1])["TrainingJobSummaries"]:
    if j["TrainingJobName"] == sys.argv[1]:
        print(j["TrainingJobStatus"])
PY
}

golden() { sed '/^#|/d' "$1"; }

# no_secret NAME FILE...: the secret key appears in none of the files
no_secret() {
	_n=$1
	shift
	if grep -F -l -e "$AWS_SECRET_ACCESS_KEY" "$@" >/dev/null 2>&1; then
		not_ok "$_n" "$(grep -F -l -e "$AWS_SECRET_ACCESS_KEY" "$@")"
	else
		ok "$_n"
	fi
}
