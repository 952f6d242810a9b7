#!/bin/sh
# local-docker.t - --backend docker: the docker run command SDK local mode
# would give the engine (§8, §11.2), and a clear error without an engine.
# No engine runs here: a stand-in docker answers or refuses "docker info"
# and records what "docker run" receives.
. "$TOP/tests/cli/lib.sh"

mkdir -p "$T/bin" "$T/j/src" "$T/j/data/train"
cat >"$T/bin/docker" <<'EOF2'
#!/bin/sh
if [ "$1" = info ]; then exit "${FAKE_ENGINE_DOWN:-0}"; fi
echo "argv: $*"
echo "TRAINING_JOB_NAME=$TRAINING_JOB_NAME AWS_REGION=$AWS_REGION MODE=$MODE"
EOF2
chmod +x "$T/bin/docker"
PATH=$T/bin:$PATH
export PATH
echo 'print("hi")' >"$T/j/src/train.py"
tar -C "$T/j/src" -czf "$T/j/sourcedir.tar.gz" train.py
IMG=763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04
cat >"$T/j/request.json" <<JSON
{"TrainingJobName": "docker-test",
 "AlgorithmSpecification": {"TrainingInputMode": "File", "TrainingImage": "$IMG"},
 "ResourceConfig": {"InstanceCount": 1, "InstanceType": "local", "VolumeSizeInGB": 30},
 "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "file://$T/j/data/train"}}}],
 "HyperParameters": {"sagemaker_program": "\"train.py\"", "sagemaker_submit_directory": "\"s3://b/k\"", "sagemaker_region": "\"eu-west-1\""},
 "Environment": {"MODE": "a b"}}
JSON
BASE=$T/j/.accel/local/docker-test

run "$BIN/accel-local" --backend docker --dry-run "$T/j/request.json"
check_status 0 "dry run"
check_stdout "$T/bin/docker run --rm --name=docker-test-algo-1 --hostname=algo-1 --volume=$BASE:/opt/ml --volume=$T/j/data/train:/opt/ml/input/data/train --env=AWS_REGION --env=TRAINING_JOB_NAME --env=MODE $IMG train
" "the docker command"
check_text "the image reads its code at /opt/ml/code" \
    "$BASE/input/config/hyperparameters.json" \
    '{"sagemaker_program": "\"train.py\"", "sagemaker_submit_directory": "\"/opt/ml/code\"", "sagemaker_region": "\"eu-west-1\""}'
is "the channel is a mount point, not a link" \
    "$(test -d "$BASE/input/data/train" && ! test -L "$BASE/input/data/train" && echo dir)" dir

run "$BIN/accel-local" --backend docker "$T/j/request.json"
check_status 0 "run through an engine that answers"
if grep -qxF "TRAINING_JOB_NAME=docker-test AWS_REGION=eu-west-1 MODE=a b" "$T/out"
then ok "the platform's variables reach docker by name"; else
	not_ok "the platform's variables reach docker by name" "$(cat "$T/out")"; fi

FAKE_ENGINE_DOWN=1 run "$BIN/accel-local" --backend docker "$T/j/request.json"
check_status 1 "no engine"
check_stderr "accel-local: no Docker engine answers ('docker info' failed); use --backend process
" "no engine: a clear error"

sed 's/"TrainingImage"/"ContainerEntrypoint": ["python3", "-u"], "ContainerArguments": ["train.py", "--x y"], "TrainingImage"/' \
    "$T/j/request.json" >"$T/j/ep.json"
run "$BIN/accel-local" --backend docker --dry-run "$T/j/ep.json"
check_status 0 "dry run with ContainerEntrypoint"
check_stdout "$T/bin/docker run --rm --name=docker-test-algo-1 --hostname=algo-1 --volume=$BASE:/opt/ml --volume=$T/j/data/train:/opt/ml/input/data/train --env=AWS_REGION --env=TRAINING_JOB_NAME --env=MODE --entrypoint=python3 $IMG -u train.py '--x y'
" "ContainerEntrypoint and ContainerArguments replace train"

sed -i 's/"local"/"local_gpu"/' "$T/j/request.json"
run "$BIN/accel-local" --backend docker --dry-run "$T/j/request.json"
if command -v nvidia-smi >/dev/null; then
	grep -q -- ' --gpus=all ' "$T/out" && ok "GPUs for local_gpu" ||
	    not_ok "GPUs for local_gpu" "$(cat "$T/out")"
else
	check_status 1 "local_gpu without a GPU"
	check_stderr "accel-local: InstanceType local_gpu needs a GPU, and nvidia-smi lists none
" "local_gpu without a GPU is an error"
fi

done_testing
