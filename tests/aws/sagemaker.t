#!/bin/sh
# tests/aws/sagemaker.t - training jobs with a life (fakeaws_sagemaker.py),
# seen through boto3: transitions, logs of every host, the model in S3,
# seconds, failure, stop, duplicates.  Step mode (one transition per
# describe) and a fixed epoch make every answer exact.  Request bodies are
# validated against botocore's model (fakeaws_validate.py).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
fake_aws_start
cat >"$FAKE_AWS_DIR/sagemaker.json" <<'EOF'
{"epoch": 1700000000, "step": true,
 "jobs": {"fail-*": {"fail": "AlgorithmError: boom"},
          "clock-*": {"step": false, "speed": 100}}}
EOF
cat >"$T/client.py" <<'EOF'
import json, os, sys, io, tarfile, time, urllib.request
import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.config import Config
from botocore.exceptions import ClientError

cfg = Config(retries={"total_max_attempts": 1, "mode": "standard"})
sm = boto3.client("sagemaker", config=cfg)
logs = boto3.client("logs", config=cfg)
s3 = boto3.client("s3", config=cfg)

def job(name, hosts=1, **extra):
    req = {"TrainingJobName": name,
           "RoleArn": "arn:aws:iam::123456789012:role/accel-test",
           "AlgorithmSpecification": {"TrainingImage": "img:1",
                                      "TrainingInputMode": "File"},
           "OutputDataConfig": {"S3OutputPath": "s3://accel-test/out"},
           "ResourceConfig": {"InstanceType": "ml.m5.large",
                              "InstanceCount": hosts, "VolumeSizeInGB": 10},
           "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}
    req.update(extra)
    sm.create_training_job(**req)

def line(d):
    t = d["SecondaryStatusTransitions"][-1]
    return (f'{d["LastModifiedTime"].timestamp():.0f} '
            f'{d["TrainingJobStatus"]} {d["SecondaryStatus"]} - '
            f'{t["StatusMessage"]}')

def error(call, **kw):
    try:
        call(**kw)
    except ClientError as e:
        return f'{e.response["Error"]["Code"]}: {e.response["Error"]["Message"]}'
    return "no error"

def describe(name):
    return sm.describe_training_job(TrainingJobName=name)

def raw(target, body, secret=None):
    """POST BODY as it is, signed by botocore: (status, __type: message)."""
    url = os.environ["AWS_ENDPOINT_URL"] + "/"
    req = AWSRequest("POST", url, data=body, headers={
        "X-Amz-Target": target,
        "Content-Type": "application/x-amz-json-1.1"})
    SigV4Auth(Credentials(os.environ["AWS_ACCESS_KEY_ID"],
                          secret or os.environ["AWS_SECRET_ACCESS_KEY"]),
              "sagemaker", "us-east-1").add_auth(req)
    r = urllib.request.Request(url, data=body.encode(),
                               headers=dict(req.headers), method="POST")
    try:
        with urllib.request.urlopen(r) as resp:
            return resp.status
    except urllib.error.HTTPError as e:
        d = json.loads(e.read())
        return f'{e.code} {d["__type"]}: {d["message"]}'

def ctj(**change):
    b = {"TrainingJobName": "valid-a",
         "RoleArn": "arn:aws:iam::123456789012:role/accel-test",
         "AlgorithmSpecification": {"TrainingImage": "img:1",
                                    "TrainingInputMode": "File"},
         "OutputDataConfig": {"S3OutputPath": "s3://accel-test/out"},
         "ResourceConfig": {"InstanceType": "ml.m5.large",
                            "InstanceCount": 1, "VolumeSizeInGB": 10},
         "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}
    for k, v in change.items():
        if v is None:
            del b[k]
        else:
            b[k] = v
    return json.dumps(b)

def run(what):
    if what == "life":
        job("step-a", hosts=3, HyperParameters={
            "sagemaker_submit_directory":
                '"s3://accel-test/code/sourcedir.tar.gz"'})
        for _ in range(9):
            print(line(describe("step-a")))
        d = describe("step-a")
        for t in d["SecondaryStatusTransitions"]:
            print(t["Status"], f'{t["StartTime"].timestamp():.0f}',
                  f'{t["EndTime"].timestamp():.0f}', t["StatusMessage"])
        for k in ("TrainingStartTime", "TrainingEndTime"):
            print(k, f"{d[k].timestamp():.0f}")
        for k in ("TrainingTimeInSeconds", "BillableTimeInSeconds",
                  "ModelArtifacts"):
            print(k, json.dumps(d.get(k)))
    elif what == "logs":
        g = "/aws/sagemaker/TrainingJobs"
        names = [s["logStreamName"] for s in logs.describe_log_streams(
            logGroupName=g, logStreamNamePrefix="step-a/",
            orderBy="LogStreamName")["logStreams"]]
        for n in names:
            ev = logs.get_log_events(logGroupName=g, logStreamName=n,
                                     startFromHead=True)["events"]
            for e in ev:
                print(n, e["timestamp"], e["message"])
    elif what == "model":
        body = s3.get_object(Bucket="accel-test",
                             Key="out/step-a/output/model.tar.gz")["Body"]
        with tarfile.open(fileobj=io.BytesIO(body.read())) as t:
            for m in t.getmembers():
                print(m.name, m.size, t.extractfile(m).read().decode(), end="")
    elif what == "others":
        print(error(job, name="step-a"))
        job("fail-a")
        job("nocode-a", HyperParameters={
            "sagemaker_submit_directory": '"s3://accel-test/code/nope.tgz"'})
        job("spot-a", EnableManagedSpotTraining=True, StoppingCondition={
            "MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 3600})
        job("stop-a")
        for n in ("fail-a", "nocode-a", "spot-a"):
            for _ in range(8):
                d = describe(n)
            print(n, d["TrainingJobStatus"], d.get("FailureReason"),
                  d["TrainingTimeInSeconds"], d["BillableTimeInSeconds"],
                  " ".join(t["Status"] for t in d["SecondaryStatusTransitions"]))
        print(line(describe("stop-a")))
        print(line(describe("stop-a")))
        sm.stop_training_job(TrainingJobName="stop-a")
        print(line(describe("stop-a")))
        print(line(describe("stop-a")))
        d = describe("stop-a")
        print(d.get("ModelArtifacts"), d["TrainingTimeInSeconds"])
        print(error(sm.stop_training_job, TrainingJobName="stop-a"))
        print(error(sm.stop_training_job, TrainingJobName="nope"))
    elif what == "validate":
        t = "SageMaker.CreateTrainingJob"
        print(raw(t, ctj(RoleArn=None)))
        print(raw(t, ctj(TrainingJobName="bad_name")))
        print(raw(t, ctj(ResourceConfig={"InstanceType": "ml.m5.large",
              "InstanceCount": "1", "VolumeSizeInGB": 10})))
        print(raw(t, ctj(ResourceConfig={"InstanceType": "ml.bogus",
              "InstanceCount": 1, "VolumeSizeInGB": 10})))
        print(raw(t, ctj(Bogus=1)).split(", must")[0])
        print(raw(t, "{"))
        print(raw(t, ctj(RoleArn=None), secret="wrong"))
        print(raw("SageMaker.ListTrainingJobs",
                  json.dumps({"CreationTimeAfter": 1700000000.5})))
        print(raw(t, ctj()))
    elif what == "clock":
        job("clock-a")
        for _ in range(100):
            d = describe("clock-a")
            if d["TrainingJobStatus"] != "InProgress":
                break
            time.sleep(0.05)
        print(d["TrainingJobStatus"],
              " ".join(t["Status"] for t in d["SecondaryStatusTransitions"]))

for what in sys.argv[1:]:
    print(f"== {what}")
    run(what)
EOF
run python3 -c "
import boto3
boto3.client('s3').create_bucket(Bucket='accel-test')
boto3.client('s3').put_object(Bucket='accel-test', Key='code/sourcedir.tar.gz', Body=b'code')"
is "setup" "$status $(cat "$T/err")" "0 "

run python3 "$T/client.py" life
check_stdout "== life
1700000000 InProgress Starting - Starting the training job
1700000001 InProgress Starting - Launching requested ML instances
1700000002 InProgress Starting - Preparing the instances for training
1700000003 InProgress Downloading - Downloading input data
1700000004 InProgress Training - Downloading the training image
1700000006 InProgress Training - Training image download completed. Training in progress.
1700000008 InProgress Uploading - Uploading generated training model
1700000009 Completed Completed - Training job completed
1700000009 Completed Completed - Training job completed
Starting 1700000000 1700000003 Preparing the instances for training
Downloading 1700000003 1700000004 Downloading input data
Training 1700000004 1700000008 Training image download completed. Training in progress.
Uploading 1700000008 1700000009 Uploading generated training model
Completed 1700000009 1700000009 Training job completed
TrainingStartTime 1700000003
TrainingEndTime 1700000009
TrainingTimeInSeconds 6
BillableTimeInSeconds 6
ModelArtifacts {\"S3ModelArtifacts\": \"s3://accel-test/out/step-a/output/model.tar.gz\"}
" "a job's life, one transition per describe"

run python3 "$T/client.py" logs
check_stdout "== logs
step-a/algo-1-1700000006 1700000006001 [algo-1] training step-a
step-a/algo-1-1700000006 1700000006501 [algo-1] epoch 1/2 loss 0.693
step-a/algo-1-1700000006 1700000007001 [algo-1] epoch 2/2 loss 0.347
step-a/algo-1-1700000006 1700000007501 [algo-1] saved the model to /opt/ml/model
step-a/algo-2-1700000006 1700000006002 [algo-2] training step-a
step-a/algo-2-1700000006 1700000006502 [algo-2] epoch 1/2 loss 0.693
step-a/algo-2-1700000006 1700000007002 [algo-2] epoch 2/2 loss 0.347
step-a/algo-2-1700000006 1700000007502 [algo-2] saved the model to /opt/ml/model
step-a/algo-3-1700000006 1700000006003 [algo-3] training step-a
step-a/algo-3-1700000006 1700000006503 [algo-3] epoch 1/2 loss 0.693
step-a/algo-3-1700000006 1700000007003 [algo-3] epoch 2/2 loss 0.347
step-a/algo-3-1700000006 1700000007503 [algo-3] saved the model to /opt/ml/model
" "every host's log stream, events in /aws/sagemaker/TrainingJobs"

run python3 "$T/client.py" model
check_stdout "== model
model.txt 16 model of step-a
" "model.tar.gz is in S3OutputPath/JOB/output/"

run python3 "$T/client.py" others
check_stdout "== others
ResourceInUse: Training job names must be unique within an AWS account and region, and a training job with this name already exists (arn:aws:sagemaker:us-east-1:123456789012:training-job/step-a)
fail-a Failed AlgorithmError: boom 3 3 Starting Downloading Training Failed
nocode-a Failed AlgorithmError: cannot download the code s3://accel-test/code/nope.tgz: NoSuchKey 0 0 Starting Downloading Failed
spot-a Completed None 6 2 Starting Downloading Training Uploading Completed
1700000000 InProgress Starting - Starting the training job
1700000001 InProgress Starting - Launching requested ML instances
1700000002 Stopping Stopping - Stopping the training job
1700000004 Stopped Stopped - Training job stopped
None 0
ValidationException: The request was rejected because the training job is in status Stopped.
ValidationException: Could not find training job 'arn:aws:sagemaker:us-east-1:123456789012:training-job/nope'.
" "duplicate, failure, missing code, spot seconds, stop"

run python3 "$T/client.py" validate
check_stdout "== validate
400 ValidationException: fake-aws: Missing required parameter in input: \"RoleArn\"
400 ValidationException: fake-aws: body.TrainingJobName: does not match [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}
400 ValidationException: fake-aws: Invalid type for parameter ResourceConfig.InstanceCount, value: 1, type: <class 'str'>, valid types: <class 'int'>
400 ValidationException: fake-aws: body.ResourceConfig.InstanceType: 'ml.bogus' is not one of the enum values
400 ValidationException: fake-aws: Unknown parameter in input: \"Bogus\"
400 SerializationException: fake-aws: body is not JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)
400 InvalidSignatureException: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.
200
200
" "bodies are validated against botocore's model, after the signature"

run python3 "$T/client.py" clock
check_stdout "== clock
Completed Starting Downloading Training Uploading Completed
" "by the clock (speed 100) a job completes by itself"

run fake_aws_count 'sagemaker:StopTrainingJob'
check_stdout "3
" "the proxy counts StopTrainingJob"

done_testing
