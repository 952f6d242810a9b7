#!/bin/sh
# local-checkpoint.t - the checkpoint directory (CheckpointConfig.LocalPath,
# default /opt/ml/checkpoints) outlives a run: training interrupted with
# Ctrl-C resumes from its last checkpoint when the same job runs again, the
# spot-interruption path rehearsed locally.
. "$TOP/tests/cli/lib.sh"

J=$T/c
mkdir -p "$J/src"
cat >"$J/src/train.py" <<'EOF2'
import json, os, time
ckpt = os.path.join(os.environ["SAGEMAKER_BASE_DIR"], "ckpt", "state.json")
step = 0
if os.path.exists(ckpt):
    step = json.load(open(ckpt))["step"]
    print("resumed after step", step, flush=True)
while step < 10:
    step += 1
    with open(ckpt + ".tmp", "w") as f:
        json.dump({"step": step}, f)
    os.replace(ckpt + ".tmp", ckpt)
    print("step", step, flush=True)
    if os.environ.get("SLOW"):
        time.sleep(0.2)
EOF2
tar -C "$J/src" -czf "$J/sourcedir.tar.gz" train.py
cat >"$J/request.json" <<'JSON'
{"TrainingJobName": "ckpt-test",
 "AlgorithmSpecification": {"TrainingInputMode": "File", "TrainingImage": "img"},
 "ResourceConfig": {"InstanceCount": 1, "InstanceType": "local", "VolumeSizeInGB": 30},
 "CheckpointConfig": {"S3Uri": "s3://{{bucket}}/ckpt", "LocalPath": "/opt/ml/ckpt/"},
 "HyperParameters": {"sagemaker_program": "\"train.py\""}}
JSON
CK=$J/.accel/local/ckpt-test/ckpt/state.json

SLOW=1 "$BIN/accel-local" "$J/request.json" >"$T/out" 2>"$T/err" &
PID=$!
wait_until 60 grep -q '"step": [3-9]' "$CK" 2>/dev/null
kill -INT $PID
wait $PID
status=$?
check_status 1 "interrupted run"
LAST=$(sed 's/.*"step": \([0-9]*\).*/\1/' "$CK")
is "interrupted before the end" "$([ "$LAST" -ge 3 ] && [ "$LAST" -lt 10 ] && echo yes)" yes

run "$BIN/accel-local" "$J/request.json"
check_status 0 "the rerun completes"
is "the status line comes first" "$(sed -n 1p "$T/out" | cut -d' ' -f3-)" \
    "Starting - Preparing the instances for training"
is "it resumes from the last checkpoint" "$(grep -v '^[0-9-]* [0-9:]* ' "$T/out" | sed -n 1p)" \
    "resumed after step $LAST"
is "and goes on from there" "$(grep -c '^step ' "$T/out")" $((10 - LAST))

done_testing
