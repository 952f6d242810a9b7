#!/bin/sh
# local.t - accel-local against the worked example of container-contract.md
# §10: a probe script records its argv, environment, working directory and
# config files, which must equal the documented values exactly once /opt/ml
# is read as the job root and the host's CPU count, GPU count and network
# interface replace the example's 16, 1 and eth0 (§10.6, §11.1).
. "$TOP/tests/cli/lib.sh"

PY=$(command -v python3)
NCPU=$(python3 -c 'import multiprocessing; print(multiprocessing.cpu_count())')
NGPU=0
command -v nvidia-smi >/dev/null && NGPU=$(nvidia-smi --list-gpus | grep -c '^GPU ')
IFACE=$(awk '$2 == "00000000" { print $1; exit }' /proc/net/route)
: "${IFACE:=lo}"
JOB=local-train-2025-01-01-00-00-00-000

# make_job DIR SCRIPT [REQUIREMENTS]: a source dir, its archive, a request
make_job() {
	mkdir -p "$1/src" "$1/data/train"
	echo 1,2 >"$1/data/train/a.csv"
	cp "$2" "$1/src/train.py"
	printf '%s' "${3:-}" >"$1/src/requirements.txt"
	tar -C "$1/src" -czf "$1/sourcedir.tar.gz" train.py requirements.txt
	cat >"$1/request.json" <<JSON
{"AlgorithmSpecification": {"TrainingInputMode": "File", "TrainingImage": "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04"},
 "OutputDataConfig": {"S3OutputPath": "s3://{{bucket}}/"},
 "TrainingJobName": "$JOB",
 "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
 "ResourceConfig": {"VolumeSizeInGB": 30, "InstanceCount": ${HOSTS:-1}, "InstanceType": "local"},
 "RoleArn": "{{role_arn}}",
 "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "file://$1/data/train", "S3DataDistributionType": "FullyReplicated"}}}],
 "HyperParameters": {"epochs": "3", "lr": "0.01", "mixed_precision": "\"fp16\"", "flag": "true", "sagemaker_submit_directory": "\"{{code_s3_uri}}\"", "sagemaker_program": "\"train.py\"", "sagemaker_container_log_level": "20", "sagemaker_job_name": "\"$JOB\"", "sagemaker_region": "\"us-east-1\""},
 "Environment": {"PROBE_OUT": "$1/probe"}
}
JSON
	mkdir -p "$1/probe"
}

cat >"$T/probe.py" <<'EOF2'
import json, os, sys
out = os.environ["PROBE_OUT"]
with open(os.path.join(out, "argv.json"), "w") as f:
    json.dump(sys.argv, f)
with open(os.path.join(out, "env"), "w") as f:
    for k in sorted(os.environ):
        f.write("%s=%s\n" % (k, os.environ[k]))
with open(os.path.join(out, "cwd"), "w") as f:
    f.write(os.getcwd())
with open(os.path.join(os.environ["SM_MODEL_DIR"], "model.safetensors"), "w") as f:
    f.write("weights")
os.makedirs(os.path.join(os.environ["SM_MODEL_DIR"], "sub"))
with open(os.path.join(os.environ["SM_MODEL_DIR"], "sub", "b"), "w") as f:
    f.write("b")
with open(os.path.join(os.environ["SM_OUTPUT_DATA_DIR"], "metrics.json"), "w") as f:
    f.write("{}")
EOF2

W=$T/w
make_job "$W" "$T/probe.py"
run "$BIN/accel-local" "$W/request.json"
check_status 0 "worked example runs"
BASE=$W/.accel/local/$JOB

# §10.6 verbatim, then the host-mode substitutions of §10.6's last line.
cat >"$T/doc-env" <<'EOF2'
SM_HOSTS=["algo-1"]
SM_NETWORK_INTERFACE_NAME=eth0
SM_HPS={"epochs":3,"flag":true,"lr":0.01,"mixed_precision":"fp16"}
SM_USER_ENTRY_POINT=train.py
SM_FRAMEWORK_PARAMS={}
SM_RESOURCE_CONFIG={"current_host":"algo-1","current_instance_type":"local","hosts":["algo-1"],"network_interface_name":"eth0"}
SM_INPUT_DATA_CONFIG={"train":{"TrainingInputMode":"File"}}
SM_OUTPUT_DATA_DIR=/opt/ml/output/data
SM_CHANNELS=["train"]
SM_CURRENT_HOST=algo-1
SM_CURRENT_INSTANCE_TYPE=local
SM_CURRENT_INSTANCE_GROUP=homogeneousCluster
SM_CURRENT_INSTANCE_GROUP_HOSTS=[]
SM_INSTANCE_GROUPS=[]
SM_INSTANCE_GROUPS_DICT={}
SM_DISTRIBUTION_INSTANCE_GROUPS=[]
SM_IS_HETERO=false
SM_MODULE_NAME=train
SM_LOG_LEVEL=20
SM_FRAMEWORK_MODULE=
SM_INPUT_DIR=/opt/ml/input
SM_INPUT_CONFIG_DIR=/opt/ml/input/config
SM_OUTPUT_DIR=/opt/ml/output
SM_NUM_CPUS=16
SM_NUM_GPUS=1
SM_NUM_NEURONS=0
SM_MODEL_DIR=/opt/ml/model
SM_MODULE_DIR=/opt/ml/code
SM_TRAINING_ENV={"additional_framework_parameters":{},"channel_input_dirs":{"train":"/opt/ml/input/data/train"},"current_host":"algo-1","current_instance_group":"homogeneousCluster","current_instance_group_hosts":[],"current_instance_type":"local","distribution_hosts":["algo-1"],"distribution_instance_groups":[],"framework_module":null,"hosts":["algo-1"],"hyperparameters":{"epochs":3,"flag":true,"lr":0.01,"mixed_precision":"fp16"},"input_config_dir":"/opt/ml/input/config","input_data_config":{"train":{"TrainingInputMode":"File"}},"input_dir":"/opt/ml/input","instance_groups":[],"instance_groups_dict":{},"is_hetero":false,"is_master":true,"is_modelparallel_enabled":null,"is_smddpmprun_installed":false,"is_smddprun_installed":false,"job_name":"local-train-2025-01-01-00-00-00-000","log_level":20,"master_hostname":"algo-1","model_dir":"/opt/ml/model","module_dir":"/opt/ml/code","module_name":"train","network_interface_name":"eth0","num_cpus":16,"num_gpus":1,"num_neurons":0,"output_data_dir":"/opt/ml/output/data","output_dir":"/opt/ml/output","output_intermediate_dir":"/opt/ml/output/intermediate","resource_config":{"current_host":"algo-1","current_instance_type":"local","hosts":["algo-1"],"network_interface_name":"eth0"},"topology":[],"user_entry_point":"train.py"}
SM_USER_ARGS=["--epochs","3","--flag","True","--lr","0.01","--mixed_precision","fp16"]
SM_OUTPUT_INTERMEDIATE_DIR=/opt/ml/output/intermediate
SM_CHANNEL_TRAIN=/opt/ml/input/data/train
SM_HP_EPOCHS=3
SM_HP_LR=0.01
SM_HP_MIXED_PRECISION=fp16
SM_HP_FLAG=true
EOF2
# host mode also sets SM_STUDIO_LOCAL_MODE (§11.1.5)
echo SM_STUDIO_LOCAL_MODE=true >>"$T/doc-env"
sed -e "s|/opt/ml|$BASE|g" -e "s/SM_NUM_CPUS=16/SM_NUM_CPUS=$NCPU/" \
    -e "s/SM_NUM_GPUS=1/SM_NUM_GPUS=$NGPU/" \
    -e "s/\"num_cpus\":16/\"num_cpus\":$NCPU/" \
    -e "s/\"num_gpus\":1/\"num_gpus\":$NGPU/" \
    -e "s/eth0/$IFACE/g" "$T/doc-env" | sort >"$T/want-env"
grep '^SM_' "$W/probe/env" >"$T/got-env"
check_same "every SM_* variable as documented" "$T/got-env" "$T/want-env"

for kv in "TRAINING_JOB_NAME=$JOB" "AWS_REGION=us-east-1" \
    "SAGEMAKER_JOB_NAME=$JOB" "CURRENT_HOST=algo-1" \
    "SAGEMAKER_REGION=us-east-1" "SAGEMAKER_BASE_DIR=$BASE" \
    "PYTHONUNBUFFERED=1" "MASTER_ADDR=127.0.0.1" "PROBE_OUT=$W/probe"; do
	if grep -qxF "$kv" "$W/probe/env"; then ok "$kv"; else
		not_ok "$kv" "$(grep "^${kv%%=*}=" "$W/probe/env")"; fi
done
case $(grep '^PYTHONPATH=' "$W/probe/env") in
"PYTHONPATH=$BASE/code"|"PYTHONPATH=$BASE/code:"*) ok "code/ first on PYTHONPATH" ;;
*) not_ok "code/ first on PYTHONPATH" "$(grep '^PYTHONPATH=' "$W/probe/env")" ;;
esac

check_text "argv as §10.7" "$W/probe/argv.json" \
    '["train.py", "--epochs", "3", "--flag", "True", "--lr", "0.01", "--mixed_precision", "fp16"]'
check_text "working directory code/" "$W/probe/cwd" "$BASE/code"
check_text "hyperparameters.json as §10.1" \
    "$BASE/input/config/hyperparameters.json" \
    '{"epochs": "3", "lr": "0.01", "mixed_precision": "\"fp16\"", "flag": "true", "sagemaker_submit_directory": "\"'"$BASE"'/code\"", "sagemaker_program": "\"train.py\"", "sagemaker_container_log_level": "20", "sagemaker_job_name": "\"local-train-2025-01-01-00-00-00-000\"", "sagemaker_region": "\"us-east-1\""}'
check_text "resourceconfig.json as §10.2" \
    "$BASE/input/config/resourceconfig.json" \
    '{"current_host": "algo-1", "hosts": ["algo-1"], "network_interface_name": "'"$IFACE"'", "current_instance_type": "local"}'
check_text "inputdataconfig.json as §10.3" \
    "$BASE/input/config/inputdataconfig.json" \
    '{"train": {"TrainingInputMode": "File"}}'
check_text "channel data in input/data/train" "$BASE/input/data/train/a.csv" "1,2
"
is "checkpoints/ exists" "$(cd "$BASE" && ls -d checkpoints)" checkpoints
is "empty success file" "$(wc -c <"$BASE/output/success")" 0
is "status lines in the waiter's format" "$(sed -E \
    's/^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} /T /' "$T/out" |
    grep -v '^Training seconds: [0-9]*$')" "T Starting - Preparing the instances for training
T Training - Training image download completed. Training in progress.
T Uploading - Uploading generated training model
T Completed - Training job completed"

# The artifacts, read by Python's tarfile and gzip as the referee.
cat >"$T/tars.py" <<'EOF2'
import sys, tarfile
for p in sys.argv[1:]:
    raw = open(p, "rb").read()
    assert raw[:2] == b"\x1f\x8b" and raw[3] & 0x08 == 0, "gzip name set"
    assert raw[4:8] == b"\0\0\0\0", "gzip time set"
    with tarfile.open(p) as t:
        for m in t.getmembers():
            print(m.name, m.type.decode() if m.type != b"\0" else "0",
                  oct(m.mode), m.mtime, m.uid, m.gid, m.size)
EOF2
python3 "$T/tars.py" "$BASE/output/model.tar.gz" "$BASE/output/output.tar.gz" \
    >"$T/tars" 2>&1
check_text "model.tar.gz and output.tar.gz: sorted, fixed mtime, root, no gzip name/time" \
    "$T/tars" "model.safetensors 0 0o644 315619200 0 0 7
sub 5 0o755 315619200 0 0 0
sub/b 0 0o644 315619200 0 0 1
metrics.json 0 0o644 315619200 0 0 2
"
python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(s["TrainingJobName"], s["TrainingJobStatus"], s["SecondaryStatus"],
      s["ModelArtifacts"]["S3ModelArtifacts"], "FailureReason" in s,
      [t["Status"] for t in s["SecondaryStatusTransitions"]],
      s["TrainingEndTime"] >= s["TrainingStartTime"],
      type(s["TrainingTimeInSeconds"]).__name__)' "$W/.accel/local/status.json" \
    >"$T/st"
check_text "status.json like DescribeTrainingJob" "$T/st" \
    "$JOB Completed Completed file://$BASE/output/model.tar.gz False ['Starting', 'Training', 'Uploading', 'Completed'] True int
"
cp "$BASE/output/model.tar.gz" "$T/model1.tar.gz"
run "$BIN/accel-local" "$W/request.json"
check_status 0 "second run"
check_same "the same model gives the same model.tar.gz bytes" \
    "$BASE/output/model.tar.gz" "$T/model1.tar.gz"

# One run of a job at a time (the lock of a run in progress, held here).
python3 -c '
import fcntl, subprocess, sys
with open(sys.argv[1], "w") as f:
    fcntl.flock(f, fcntl.LOCK_EX)
    sys.exit(subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL,
                             stderr=open(sys.argv[1] + ".err", "w")))' \
    "$W/.accel/local/.$JOB.lock" "$BIN/accel-local" "$W/request.json"
status=$?
check_status 1 "a second run of a running job"
check_text "it says so" "$W/.accel/local/.$JOB.lock.err" \
    "accel-local: job $JOB is already running in '$W/.accel/local'
"
is "and leaves the running job's tree alone" "$(ls "$BASE/output")" "data
model.tar.gz
output.tar.gz
success"
rm -f "$W/.accel/local/.$JOB.lock.err"

# request.json as accel-request writes it: the body under CreateTrainingJob,
# the archive named (and hashed) under accel.archive, both in .accel/.
A=$T/wrapped
mkdir -p "$A/.accel"
cp "$W/sourcedir.tar.gz" "$A/.accel/code.tar.gz"
python3 -c '
import hashlib, json, sys
body = json.load(open(sys.argv[1]))
sha = hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
json.dump({"CreateTrainingJob": body, "accel": {"archive": {"file": "code.tar.gz",
    "sha256": sha}, "job_name": body["TrainingJobName"]}},
    open(sys.argv[3], "w"), indent=2, sort_keys=True)' \
    "$W/request.json" "$A/.accel/code.tar.gz" "$A/.accel/request.json"
run "$BIN/accel-local" "$A/.accel/request.json"
check_status 0 "accel-request's request.json"
is "it runs in .accel/local beside it" \
    "$(cd "$A/.accel/local" && ls -d "$JOB"/output/model.tar.gz status.json)" \
    "$JOB/output/model.tar.gz
status.json"
echo >>"$A/.accel/code.tar.gz"
run "$BIN/accel-local" "$A/.accel/request.json"
check_status 1 "an archive that is not the request's"
check_stderr "accel-local: '$A/.accel/code.tar.gz' is not the archive the request was made with (its sha256 differs): run accel-request again
" "a stale archive is refused"

# A failing script: stderr, exit 3.
cat >"$T/fail.py" <<'EOF2'
import sys
print("working")
sys.stderr.write("Traceback (most recent call last):\n  File x\nRuntimeError: boom\n")
sys.exit(3)
EOF2
F=$T/f
make_job "$F" "$T/fail.py"
run "$BIN/accel-local" "$F/request.json"
check_status 1 "failed script"
FB=$F/.accel/local/$JOB
WANT_FAILURE='ExecuteUserScriptError:
ExitCode 3
ErrorMessage "RuntimeError: boom"
Command "'"$PY"' train.py --epochs 3 --flag True --lr 0.01 --mixed_precision fp16"'
check_text "failure file in the toolkit's format" "$FB/output/failure" \
    "$WANT_FAILURE"
python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))
print(s["TrainingJobStatus"]); print(s["FailureReason"], end="")' \
    "$F/.accel/local/status.json" >"$T/st"
check_text "status Failed, FailureReason = the failure text" "$T/st" \
    "Failed
$WANT_FAILURE"
is "no success file" "$(ls "$FB/output")" "data
failure
model.tar.gz
output.tar.gz"
is "nothing half-written" "$(find "$F/.accel" -name '*.tmp*')" ""
check_stderr "Traceback (most recent call last):
  File x
RuntimeError: boom
accel-local: job $JOB failed: $WANT_FAILURE
" "stderr passed through, then the reason"

# The script's own failure file wins (trainer.train).
cat >"$T/ownfail.py" <<'EOF2'
import os, sys
open(os.path.join(os.environ["SM_OUTPUT_DIR"], "failure"), "w").write("my reason")
sys.exit(1)
EOF2
O=$T/o
make_job "$O" "$T/ownfail.py"
run "$BIN/accel-local" "$O/request.json"
check_status 1 "script with its own failure file"
check_text "the script's failure file is kept" \
    "$O/.accel/local/$JOB/output/failure" "my reason"

# Killed by SIGKILL: exit status 137 and the toolkit's OutOfMemory note.
printf 'import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n' >"$T/oom.py"
K=$T/k
make_job "$K" "$T/oom.py"
run "$BIN/accel-local" "$K/request.json"
check_status 1 "a script killed by SIGKILL"
check_text "ExitCode 137 with ExtraInfo" "$K/.accel/local/$JOB/output/failure" \
    'ExecuteUserScriptError:
ExitCode 137
ErrorMessage ""
ExtraInfo "OutOfMemory: Process killed by SIGKILL (signal 9)"
Command "'"$PY"' train.py --epochs 3 --flag True --lr 0.01 --mixed_precision fp16"'

run "$BIN/accel-local" --dry-run "$W/request.json"
check_status 0 "dry run"
check_stdout "$PY train.py --epochs 3 --flag True --lr 0.01 --mixed_precision fp16
" "a dry run prints the command"

# Usage and refusals.
run "$BIN/accel-local"
check_status 2 "no request is a usage error"
run "$BIN/accel-local" --grace soon "$W/request.json"
check_status 2 "--grace wants seconds"

S=$T/s
make_job "$S" "$T/probe.py"
sed -i 's|file://[^"]*|s3://bucket/train|' "$S/request.json"
: >"$T/empty"
run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN \
    -u AWS_PROFILE -u AWS_WEB_IDENTITY_TOKEN_FILE \
    -u AWS_CONTAINER_CREDENTIALS_FULL_URI \
    -u AWS_CONTAINER_CREDENTIALS_RELATIVE_URI \
    AWS_CONFIG_FILE="$T/empty" AWS_SHARED_CREDENTIALS_FILE="$T/empty" \
    AWS_EC2_METADATA_DISABLED=true "$BIN/accel-local" "$S/request.json"
check_status 1 "s3:// channel without credentials"
check_stderr "accel-local: channel 'train' is in S3 (s3://bucket/train) and no AWS credentials were found (Unable to locate credentials): configure them as for the AWS CLI, or give the channel a file:// URI, e.g. \"S3Uri\": \"file:///path/to/train\"
" "s3:// channel names the file:// form"

U=$T/u
make_job "$U" "$T/probe.py"
python3 -c '
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w:gz") as t:
    i = tarfile.TarInfo("../escape"); data = b"x"; i.size = 1
    t.addfile(i, io.BytesIO(data))' "$U/sourcedir.tar.gz"
run "$BIN/accel-local" "$U/request.json"
check_status 1 "archive member outside code/"
check_stderr "accel-local: '$U/sourcedir.tar.gz': refusing member '../escape' outside the code directory
" "unsafe member refused"
is "nothing escaped" "$(ls "$U/.accel/local/$JOB" | grep -c escape)" 0

done_testing
