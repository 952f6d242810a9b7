#!/bin/sh
# submit.t - accel-submit against the fake AWS (moto, SigV4 checked), with
# aws-cli as the referee: the dry run resolves from AWS with read-only
# calls; submit creates the bucket, uploads, creates the job; aws-cli
# downloads the same archive and describes our fields; a second submit
# attaches with no upload and no CreateTrainingJob (counted at the
# server); a name of other inputs is a collision; a transient failure
# exits 75 and its rerun sends no second upload; the service's
# ValidationException comes through as AWS words it.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
fake_aws_start
# Jobs stay Starting for an hour of the clock: "it says it attached" reads
# the status twice (accel-submit's, then aws-cli's), which a job moving by
# the clock could change in between on a loaded machine.
printf '{"timeline": {"Starting": 3600}}\n' >"$FAKE_AWS_DIR/sagemaker.json"
ROLE=accelerate_sagemaker_execution_role
direct() { aws --endpoint-url "$FAKE_AWS_DIRECT_URL" "$@"; }
direct iam create-role --role-name "$ROLE" \
    --assume-role-policy-document '{"Version":"2012-10-17","Statement":[]}' \
    >/dev/null
ROLE_ARN=$(direct iam get-role --role-name "$ROLE" --query Role.Arn \
    --output text)
ACCOUNT=$(direct sts get-caller-identity --query Account --output text)
BUCKET=sagemaker-us-east-1-$ACCOUNT

get() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): d = d[int(k)] if k.isdigit() else d[k]
print(d)' "$1" "$2"; }
count() { fake_aws_count "$1"; }

# project DIR [ARGS...]: the quickstart's config, request in DIR/.accel
project() {
	d=$1
	shift
	mkdir -p "$d/.accel"
	cp "$TOP/examples/quickstart/accelerate.yaml" \
	    "$TOP/examples/quickstart/train.py" \
	    "$TOP/examples/quickstart/requirements.txt" "$d/"
	(cd "$d" && "$BIN/accel-validate" -o .accel/config.json \
	    accelerate.yaml && "$BIN/accel-request" -c .accel/config.json \
	    -o .accel/request.json "$@" train.py --epochs 1) >/dev/null 2>&1
}

project "$T/q"
R=$T/q/.accel/request.json
JOB=$(get "$R" accel.job_name)
DIGEST=$(get "$R" accel.digest)
KEY=$JOB/source/sourcedir.tar.gz

# --dry-run without flags: GetCallerIdentity and GetRole, nothing else
run "$BIN/accel-submit" --dry-run "$R"
check_status 0 "dry run resolved from AWS"
is "dry run: the role ARN from IAM GetRole" "$(get "$T/out" RoleArn)" \
    "$ROLE_ARN"
is "dry run: the default bucket of the account" \
    "$(get "$T/out" OutputDataConfig.S3OutputPath)" "s3://$BUCKET/"
is "dry run: one GetCallerIdentity" "$(count sts:GetCallerIdentity)" 1
is "dry run: one GetRole" "$(count iam:GetRole)" 1
is "dry run: nothing sent to S3 or SageMaker" \
    "$(count 's3:*') $(count 'sagemaker:*')" "0 0"
[ ! -e "$T/q/.accel/job.json" ] && ok "dry run: no JOB.json" ||
    not_ok "dry run: no JOB.json"
cp "$T/out" "$T/dry.json"

# the first submit
run "$BIN/accel-submit" "$R"
check_status 0 "submit"
check_stderr "accel-submit: Created S3 bucket: $BUCKET
accel-submit: uploaded $(get "$R" accel.archive.bytes) bytes to s3://$BUCKET/$KEY
accel-submit: Creating training-job with name: $JOB
accel-submit: $T/q/.accel/job.json: arn:aws:sagemaker:us-east-1:$ACCOUNT:training-job/$JOB
" "submit says what it did"
is "one CreateBucket, one PutObject, one CreateTrainingJob" \
    "$(count s3:CreateBucket) $(count s3:PutObject) $(count sagemaker:CreateTrainingJob)" \
    "1 1 1"
direct s3 cp "s3://$BUCKET/$KEY" "$T/down.tar.gz" >/dev/null 2>&1
check_same "aws s3 cp downloads our archive" "$T/down.tar.gz" \
    "$T/q/.accel/sourcedir.tar.gz"
direct s3api head-object --bucket "$BUCKET" --key "$KEY" >"$T/head.json"
is "the object carries our sha256" "$(get "$T/head.json" Metadata.sha256)" \
    "$(get "$R" accel.archive.sha256)"
is "uploaded with SSE-KMS, as the SDK does" \
    "$(get "$T/head.json" ServerSideEncryption)" "aws:kms"
direct sagemaker describe-training-job --training-job-name "$JOB" \
    >"$T/describe.json"
# every field of our body that moto keeps, as aws-cli reads it back
if python3 -c 'import json, sys
ours = json.load(open(sys.argv[1])); theirs = json.load(open(sys.argv[2]))
def sub(a, b, path):
    if isinstance(a, dict):
        for k in a:
            if not isinstance(b, dict) or k not in b:
                yield "%s.%s missing" % (path, k)
            else:
                yield from sub(a[k], b[k], path + "." + k)
    elif a != b:
        yield "%s: %r != %r" % (path, a, b)
need = ["TrainingJobName", "RoleArn", "HyperParameters", "OutputDataConfig",
        "ResourceConfig", "StoppingCondition", "AlgorithmSpecification"]
bad = [k for k in need if k not in theirs]
for k in need:
    if k in theirs:
        bad += list(sub(ours[k], theirs[k], k))
print("\n".join(bad)); sys.exit(bool(bad))' "$T/dry.json" "$T/describe.json" \
    >"$T/diff" 2>&1; then
	ok "aws sagemaker describe-training-job shows our fields"
else
	not_ok "describe-training-job shows our fields" "$(head -10 "$T/diff")"
fi
direct sagemaker list-tags --resource-arn "$(get "$T/describe.json" \
    TrainingJobArn)" >"$T/tags.json"
is "the job is tagged with the whole digest" \
    "$(python3 -c 'import json,sys; print([t["Value"] for t in json.load(open(sys.argv[1]))["Tags"] if t["Key"] == "accel:digest"])' "$T/tags.json")" \
    "['$DIGEST']"
J=$T/q/.accel/job.json
is "JOB.json: name, arn, region, digest, attached" \
    "$(get "$J" name) $(get "$J" arn) $(get "$J" region) $(get "$J" digest) $(get "$J" attached)" \
    "$JOB $(get "$T/describe.json" TrainingJobArn) us-east-1 $DIGEST False"
is "JOB.json: the endpoint it talked to" "$(get "$J" endpoint)" \
    "$AWS_ENDPOINT_URL"

# the second submit attaches
mtime=$(stat -c %Y "$J")
run "$BIN/accel-submit" -o "$T/job2.json" "$R"
check_status 0 "a second submit"
check_stderr "accel-submit: attached to training job $JOB ($(direct sagemaker describe-training-job --training-job-name "$JOB" --query TrainingJobStatus --output text)): it was submitted with these inputs before
accel-submit: $T/job2.json: $(get "$J" arn)
" "it says it attached" 
is "no second CreateTrainingJob, PutObject or CreateBucket" \
    "$(count sagemaker:CreateTrainingJob) $(count s3:PutObject) $(count s3:CreateBucket)" \
    "1 1 1"
is "JOB.json says attached" "$(get "$T/job2.json" attached) $(get "$T/job2.json" arn)" \
    "True $(get "$J" arn)"

# the same name for other inputs (--job-name, another run): a collision,
# nothing sent
project "$T/c" --job-name "$JOB" --run 5
run "$BIN/accel-submit" "$T/c/.accel/request.json"
check_status 1 "a job of our name with another digest"
check_stderr "accel-submit: a training job named $JOB exists for other inputs (its accel:digest is $(echo "$DIGEST" | cut -c1-12)..., this request's is $(get "$T/c/.accel/request.json" accel.digest | cut -c1-12)...); it is left alone: choose another name (base_job_name, --job-name) or ask for a new run (--run N)
" "the collision is explained"
is "no upload, no CreateTrainingJob for a collision" \
    "$(count s3:PutObject) $(count sagemaker:CreateTrainingJob)" "1 1"
[ ! -e "$T/c/.accel/job.json" ] && ok "no JOB.json for a collision" ||
    not_ok "no JOB.json for a collision"

# a job of that name that accel-submit did not make (no tag)
project "$T/u" --run 7
U=$(get "$T/u/.accel/request.json" accel.job_name)
get "$T/dry.json" RoleArn >/dev/null
python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); b["TrainingJobName"]=sys.argv[2]; b.pop("Tags", None); json.dump(b, open(sys.argv[3], "w"))' \
    "$T/dry.json" "$U" "$T/untagged.json"
direct sagemaker create-training-job --cli-input-json "file://$T/untagged.json" \
    >/dev/null
run "$BIN/accel-submit" "$T/u/.accel/request.json"
check_status 1 "an untagged job of our name"
grep -q "exists and has no accel:digest tag" "$T/err" &&
    ok "the untagged job is named as not ours" ||
    not_ok "the untagged job is named as not ours" "$(cat "$T/err")"

# a transient failure of CreateTrainingJob: 75, and the rerun sends no
# second upload (HeadObject finds the bytes)
project "$T/t" --run 1
TR=$T/t/.accel/request.json
fake_aws_faults 1 --mix 503 --ops sagemaker:CreateTrainingJob
AWS_MAX_ATTEMPTS=2 run "$BIN/accel-submit" "$TR"
check_status 75 "CreateTrainingJob unavailable past the retries"
grep -q "^accel-submit: SageMaker CreateTrainingJob: ServiceUnavailable" \
    "$T/err" && ok "the AWS error is named" ||
    not_ok "the AWS error is named" "$(cat "$T/err")"
fake_aws_faults 0
puts=$(count s3:PutObject)
run "$BIN/accel-submit" "$TR"
check_status 0 "the rerun"
is "the rerun uploaded nothing" "$(count s3:PutObject)" "$puts"
grep -q "holds this archive already" "$T/err" &&
    ok "the rerun says the archive is there" ||
    not_ok "the rerun says the archive is there" "$(cat "$T/err")"
is "the rerun created the job" "$(get "$T/t/.accel/job.json" attached)" False

# the service refuses the body: exit 1 and AWS's words
project "$T/v" --run 2
V=$T/v/.accel/request.json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
d["CreateTrainingJob"]["ResourceConfig"]["InstanceType"] = "ml.bogus"
json.dump(d, open(sys.argv[1], "w"), indent=2)' "$V"
run "$BIN/accel-submit" "$V"
check_status 1 "a body the service refuses"
grep -Eq "^accel-submit: SageMaker CreateTrainingJob: ValidationException: fake-aws: body.ResourceConfig.InstanceType: 'ml.bogus' is not one of the enum values( \(request id [^)]*\))?$" \
    "$T/err" && ok "ValidationException with the service's message" ||
    not_ok "ValidationException with the service's message" \
    "$(cat "$T/err")"

# a multipart upload: an archive over the 8 MiB threshold
project "$T/m" --run 3
head -c 9000000 /dev/urandom >"$T/m/weights.bin"
(cd "$T/m" && "$BIN/accel-request" -c .accel/config.json \
    -o .accel/request.json --run 3 train.py --epochs 1) >/dev/null 2>&1
M=$T/m/.accel/request.json
run "$BIN/accel-submit" "$M"
check_status 0 "submit of a 9 MB archive"
is "a multipart upload of two parts" \
    "$(count s3:CreateMultipartUpload) $(count s3:UploadPart) $(count s3:CompleteMultipartUpload)" \
    "1 2 1"
direct s3 cp "s3://$BUCKET/$(get "$M" accel.job_name)/source/sourcedir.tar.gz" \
    "$T/m.tar.gz" >/dev/null 2>&1
check_same "aws s3 cp downloads the multipart archive" "$T/m.tar.gz" \
    "$T/m/.accel/sourcedir.tar.gz"

# no secret in anything we wrote or printed, nor in argv
SECRET=$AWS_SECRET_ACCESS_KEY
fake_aws_faults 1 --mix delay --ops sagemaker:DescribeTrainingJob
"$BIN/accel-submit" -v -o "$T/job3.json" "$R" >"$T/v.out" 2>"$T/v.err" &
pid=$!
i=0
while [ $i -lt 100 ] && [ ! -s "$T/cmdline" ]; do
	tr '\0' ' ' </proc/$pid/cmdline >"$T/cmdline" 2>/dev/null
	i=$((i + 1))
done
wait $pid
fake_aws_faults 0
[ -s "$T/cmdline" ] && ! grep -qF "$SECRET" "$T/cmdline" &&
    ok "the secret is not in /proc/PID/cmdline" ||
    not_ok "the secret is not in /proc/PID/cmdline" "$(cat "$T/cmdline")"
leaks=
for f in "$T/v.out" "$T/v.err" "$T/job3.json" "$J" "$T/job2.json" \
    "$T/q/.accel/"* "$T/t/.accel/job.json"; do
	grep -qF "$SECRET" "$f" && leaks="$leaks $f"
done
is "the secret is in no output, log or JOB.json" "$leaks" ""
grep -q "HTTP 200" "$T/v.err" && ok "-v logs the attempts" ||
    not_ok "-v logs the attempts" "$(head -5 "$T/v.err")"
done_testing
