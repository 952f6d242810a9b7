#!/bin/sh
# local-quickstart.t - the quickstart example trains under accel-local from a
# hand-written request (what accel-request will produce), prints its
# metrics, leaves model.tar.gz, and a second run resumes from the checkpoint
# the first one left in the job's checkpoint directory.
. "$TOP/tests/cli/lib.sh"

Q=$TOP/examples/quickstart
J=$T/q
mkdir -p "$J"
tar -C "$Q" -czf "$J/sourcedir.tar.gz" train.py requirements.txt data
cat >"$J/request.json" <<JSON
{"AlgorithmSpecification": {"TrainingInputMode": "File", "TrainingImage": "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04"},
 "OutputDataConfig": {"S3OutputPath": "s3://{{bucket}}/"},
 "TrainingJobName": "{{job_name}}",
 "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
 "ResourceConfig": {"VolumeSizeInGB": 30, "InstanceCount": 1, "InstanceType": "ml.g5.xlarge"},
 "RoleArn": "{{role_arn}}",
 "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "file://$Q/data/train.csv", "S3DataDistributionType": "FullyReplicated"}}}],
 "HyperParameters": {"epochs": "3", "learning_rate": "0.05", "sagemaker_submit_directory": "\"{{code_s3_uri}}\"", "sagemaker_program": "\"train.py\"", "sagemaker_container_log_level": "20", "sagemaker_job_name": "\"{{job_name}}\"", "sagemaker_region": "\"us-east-1\""}}
JSON

run "$BIN/accel-local" "$J/request.json"
check_status 0 "the quickstart trains"
grep '^epoch' "$T/out" | sed -E 's/[0-9]+\.[0-9]+/X/g' >"$T/epochs"
check_text "three epochs of metrics" "$T/epochs" "epoch 1: {'accuracy': X, 'f1': X}
epoch 2: {'accuracy': X, 'f1': X}
epoch 3: {'accuracy': X, 'f1': X}
"
# the job name comes from the request's digest when it is a placeholder
JOB=local-$(python3 -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest()[:12])' "$J/request.json")
is "job root named by the request's digest" "$(ls "$J/.accel/local" | grep -v venv | grep -v status.json)" "$JOB"
python3 -c '
import json, sys, tarfile
t = tarfile.open(sys.argv[1])
m = json.load(t.extractfile("model.json"))
print(t.getnames(), sorted(m), len(m["weights"]))' \
    "$J/.accel/local/$JOB/output/model.tar.gz" >"$T/model"
check_text "model.tar.gz holds the saved model" "$T/model" \
    "['model.json'] ['bias', 'mean', 'std', 'weights'] 4
"
run "$BIN/accel-local" "$J/request.json"
check_status 0 "second run"
is "the second run resumes from the checkpoint" \
    "$(grep -c 'resuming from checkpoint at epoch 3' "$T/out")" 1

done_testing
