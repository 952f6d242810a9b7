#!/bin/sh
# request.t - accel-request: the CreateTrainingJob body and sourcedir.tar.gz.
# Referees: the worked example of sagemaker-api.md §4.3 (field by field),
# botocore's CreateTrainingJob input shape (tests/cli/ctj.py) for every body
# written here, Python's tarfile and gzip for the archive.
. "$TOP/tests/cli/lib.sh"
REQ=$BIN/accel-request
CTJ="python3 $TOP/tests/cli/ctj.py"
CONF=$TOP/tests/request/worked.json
BODIES=

# variant OUT PYTHON: the worked config changed by PYTHON (on dict c)
variant() {
	python3 - "$CONF" "$1" "$2" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(c, open(sys.argv[2], "w"), indent=2, sort_keys=True)
PY
}

# project DIR: a small training project
project() {
	mkdir -p "$1"
	printf 'import argparse\nprint("training")\n' >"$1/train.py"
	printf 'accelerate\n' >"$1/requirements.txt"
}

# request DIR ARGS...: run accel-request in DIR; remembers the body
request() {
	_d=$1
	shift
	(cd "$_d" && "$REQ" "$@") >"$T/out" 2>"$T/err" </dev/null
	status=$?
	[ -f "$_d/.accel/request.json" ] && [ "$status" -eq 0 ] &&
		{ n=$((${n:-0} + 1)); cp "$_d/.accel/request.json" "$T/body.$n.json";
		  BODIES="$BODIES $T/body.$n.json"; }
	return 0
}

# json_get FILE PYEXPR: a value of request.json (d is the document)
json_get() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# --- command line -----------------------------------------------------------
HINT="accel-request: try 'accel-request --help'
"
run "$REQ"
check_status 2 "no script"
check_stderr "accel-request: no training script given
$HINT" "no script"
run "$REQ" --run -1 train.py
check_status 2 "negative --run"
check_stderr "accel-request: --run must be a whole number from 0 to 1000000000, not '-1'
$HINT" "negative --run"
run "$REQ" --job-name bad_name train.py
check_status 2 "--job-name with _"
check_stderr "accel-request: --job-name 'bad_name' is not a SageMaker job name (1-63 letters, digits and inner hyphens)
$HINT" "--job-name with _"

project "$T/p"
request "$T/p" -c "$CONF" train.py --do_train
check_status 2 "flag without value"
check_stderr "accel-request: script option '--do_train' has no value: write '--do_train True' and give it a type in the script's argparse (store_true cannot work)
$HINT" "flag without value"
request "$T/p" -c "$CONF" train.py --lr 0.1 data.csv
check_status 2 "positional script argument"
check_stderr "accel-request: script argument 'data.csv' is not an option: SageMaker passes only '--name value' pairs to the script
$HINT" "positional script argument"
request "$T/p" -c "$CONF" train.py --lr 0.1 --lr=0.2
check_status 2 "repeated option"
check_stderr "accel-request: script option '--lr' is given twice (hyperparameter 'lr')
$HINT" "repeated option"
printf 'x\n' >"$T/p/train.sh"
request "$T/p" -c "$CONF" train.sh
check_status 1 "not a python script"
check_stderr 'accel-request: Your training script should be a python script and not "train.sh"
' "not a python script"
rm "$T/p/train.sh"

# --- the worked example (sagemaker-api.md §4.3) ----------------------------
request "$T/p" -c "$CONF" train.py --model_name_or_path bert-base-cased \
	--epochs 3 --lr 5e-5 --do_train True
check_status 0 "worked example"
check_stderr "accel-request: .accel/sourcedir.tar.gz: 2 files, 45 bytes (182 compressed), sha256 $(sha256sum "$T/p/.accel/sourcedir.tar.gz" | cut -c1-64)
accel-request: .accel/request.json: job $(json_get "$T/p/.accel/request.json" 'd["accel"]["job_name"]'), 1 x ml.p3.2xlarge
" "worked example"
check_stdout "" "worked example"
NAME=$(json_get "$T/p/.accel/request.json" 'd["accel"]["job_name"]')
DIGEST=$(json_get "$T/p/.accel/request.json" 'd["accel"]["digest"]')
is "job name is base + 12 hex of the digest" "$NAME" \
	"accelerate-sagemaker-1-$(echo "$DIGEST" | cut -c1-12)"
$CTJ resolve "$T/p/.accel/request.json" \
	accelerate-sagemaker-1-2024-05-01-12-00-00-123 >"$T/got.json"
python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), indent=1, sort_keys=True))' \
	"$TOP/tests/request/worked-expected.json" >"$T/want.json"
check_same "worked example field by field" "$T/got.json" "$T/want.json"
is "archive size in the metadata" \
	"$(json_get "$T/p/.accel/request.json" 'd["accel"]["archive"]["bytes"]')" \
	"$(wc -c <"$T/p/.accel/sourcedir.tar.gz" | tr -d ' ')"
is "archive sha256 in the metadata" \
	"$(json_get "$T/p/.accel/request.json" 'd["accel"]["archive"]["sha256"]')" \
	"$(sha256sum "$T/p/.accel/sourcedir.tar.gz" | cut -c1-64)"
is "tar sha256 in the metadata" \
	"$(json_get "$T/p/.accel/request.json" 'd["accel"]["archive"]["tar_sha256"]')" \
	"$(gzip -dc "$T/p/.accel/sourcedir.tar.gz" | sha256sum | cut -c1-64)"

# the digest covers exactly what accel-request(1) says, recomputed by Python
python3 - "$T/p/.accel/request.json" >"$T/digest" <<'PY'
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
meta = d["accel"]
body = json.dumps(d["CreateTrainingJob"], sort_keys=True)
body = body.replace(meta["job_name"], "{{job_name}}").encode()
head = "accel-request digest 1\nrun %d\narchive %s\nbody %d\n" % (
    meta["run"], meta["archive"]["tar_sha256"], len(body))
print(hashlib.sha256(head.encode() + body).hexdigest())
PY
is "digest = SHA-256 of the documented text (Python)" "$(cat "$T/digest")" "$DIGEST"
# -o -: the request on standard output, the archive in the current directory
(cd "$T/p" && "$REQ" -c "$CONF" -o - train.py --model_name_or_path \
	bert-base-cased --epochs 3 --lr 5e-5 --do_train True) >"$T/stdout" 2>/dev/null
check_same "-o - writes the same request to standard output" "$T/stdout" \
	"$T/p/.accel/request.json"
check_same "-o - puts the archive in the current directory" \
	"$T/p/sourcedir.tar.gz" "$T/p/.accel/sourcedir.tar.gz"
rm "$T/p/sourcedir.tar.gz"

# rerun: same bytes, files left alone
touch -d '2001-01-01' "$T/p/.accel/request.json" "$T/p/.accel/sourcedir.tar.gz"
request "$T/p" -c "$CONF" train.py --model_name_or_path bert-base-cased \
	--epochs 3 --lr 5e-5 --do_train True
check_status 0 "rerun"
check_stderr "accel-request: .accel/sourcedir.tar.gz: 2 files, 45 bytes (182 compressed), sha256 $(sha256sum "$T/p/.accel/sourcedir.tar.gz" | cut -c1-64)
accel-request: .accel/request.json: job $NAME, 1 x ml.p3.2xlarge (unchanged)
" "rerun says unchanged"
is "rerun leaves the mtimes" "$(stat -c %Y "$T/p/.accel/request.json" "$T/p/.accel/sourcedir.tar.gz" | sort -u)" \
	"$(date -d 2001-01-01 +%s)"

# a deliberate re-run: --run and ACCEL_RUN enter the digest
request "$T/p" -c "$CONF" -o "$T/r1/request.json" --run 1 train.py
N1=$(json_get "$T/r1/request.json" 'd["accel"]["job_name"]')
(cd "$T/p" && ACCEL_RUN=1 "$REQ" -c "$CONF" -o "$T/r2/request.json" train.py) 2>/dev/null
[ "$N1" != "$NAME" ] && ok "--run 1 gives another name" ||
	not_ok "--run 1 gives another name" "$N1 = $NAME"
is "ACCEL_RUN=1 is --run 1" "$(json_get "$T/r2/request.json" 'd["accel"]["job_name"]')" "$N1"
is "--run is in the metadata" "$(json_get "$T/r1/request.json" 'd["accel"]["run"]')" 1
is "-o puts sourcedir.tar.gz beside the request" \
	"$(cmp "$T/r1/sourcedir.tar.gz" "$T/p/.accel/sourcedir.tar.gz" && echo same)" same
# outputs inside the source directory stay out of the archive
request "$T/p" -c "$CONF" -o "out/req.json" train.py
request "$T/p" -c "$CONF" -o "out/req.json" train.py
check_status 0 "outputs inside the tree"
is "outputs inside the tree are not archived" \
	"$(tar tzf "$T/p/out/sourcedir.tar.gz" | tr '\n' ' ')" "out/ requirements.txt train.py "
rm -rf "$T/p/out"

# --- determinism ---------------------------------------------------------------
mk_tree() {
	mkdir -p "$1/src/pkg" "$1/data"
	printf 'import pkg\n' >"$1/src/train.py"
	printf 'x = 1\n' >"$1/src/pkg/__init__.py"
	printf '#!/bin/sh\necho hi\n' >"$1/src/run.sh"
	chmod 755 "$1/src/run.sh"
	printf 'torch\n' >"$1/src/requirements.txt"
	printf 'é\n' >"$1/src/pkg/naïve.txt"
	printf 'a,b\n1,2\n' >"$1/data/d.csv"
}
(umask 022 && mk_tree "$T/a/one")
(umask 077 && mk_tree "$T/b/two/deeper")
find "$T/a" -exec touch -h -d '2020-02-02 02:02' {} +
find "$T/b" -exec touch -h -d '1999-09-09 09:09' {} +
[ "$(id -u)" = 0 ] && chown -R nobody "$T/b"
request "$T/a/one" -c "$CONF" src/train.py --lr 1e-4
check_status 0 "tree one"
request "$T/b/two/deeper" -c "$CONF" src/train.py --lr 1e-4
check_status 0 "tree two"
check_same "same request.json from two copies" \
	"$T/a/one/.accel/request.json" "$T/b/two/deeper/.accel/request.json"
check_same "same sourcedir.tar.gz from two copies" \
	"$T/a/one/.accel/sourcedir.tar.gz" "$T/b/two/deeper/.accel/sourcedir.tar.gz"

# --- the archive, as Python's tarfile and gzip read it ------------------------
TARINFO='import gzip, sys, tarfile
raw = open(sys.argv[1], "rb").read()
print("header", raw[:10].hex())
print("gzip.compress equal", gzip.compress(gzip.decompress(raw), 9, mtime=0) == raw)
for m in tarfile.open(sys.argv[1]).getmembers():
    print(m.name, m.type.decode(), oct(m.mode), m.uid, m.gid, repr(m.uname),
          repr(m.gname), m.mtime, m.size, sorted(m.pax_headers))'
python3 -c "$TARINFO" "$T/a/one/.accel/sourcedir.tar.gz" >"$T/tarinfo"
check_text "archive entries and metadata" "$T/tarinfo" "header 1f8b0800000000000203
gzip.compress equal True
pkg 5 0o755 0 0 '' '' 315619200 0 []
pkg/__init__.py 0 0o644 0 0 '' '' 315619200 6 []
pkg/naïve.txt 0 0o644 0 0 '' '' 315619200 3 ['path']
requirements.txt 0 0o644 0 0 '' '' 315619200 6 []
run.sh 0 0o755 0 0 '' '' 315619200 18 []
train.py 0 0o644 0 0 '' '' 315619200 11 []
"
tar tvzf "$T/a/one/.accel/sourcedir.tar.gz" >"$T/tartv" 2>&1
check_text "tar tzvf lists the same" "$T/tartv" "drwxr-xr-x 0/0               0 1980-01-02 00:00 pkg/
-rw-r--r-- 0/0               6 1980-01-02 00:00 pkg/__init__.py
-rw-r--r-- 0/0               3 1980-01-02 00:00 pkg/na\\303\\257ve.txt
-rw-r--r-- 0/0               6 1980-01-02 00:00 requirements.txt
-rwxr-xr-x 0/0              18 1980-01-02 00:00 run.sh
-rw-r--r-- 0/0              11 1980-01-02 00:00 train.py
"
is "sagemaker_program with the script's directory as source" \
	"$(json_get "$T/a/one/.accel/request.json" 'd["CreateTrainingJob"]["HyperParameters"]["sagemaker_program"]')" \
	'"train.py"'

# --- what stays out -------------------------------------------------------------
project "$T/x"
mkdir -p "$T/x/.git/objects" "$T/x/__pycache__" "$T/x/pkg/__pycache__" \
	"$T/x/data/raw" "$T/x/logs" "$T/x/keep"
for f in .git/HEAD .git/objects/ab __pycache__/t.pyc pkg/__pycache__/m.pyc \
	pkg/m.py data/raw/big.bin data/readme.md logs/a.log keep/a.log \
	notes.tmp; do
	printf 'x\n' >"$T/x/$f"
done
printf '# data and logs stay home\n/data/raw/\n*.log\n!keep/a.log\n*.tmp\n' \
	>"$T/x/.accelignore"
request "$T/x" -c "$CONF" train.py
check_status 0 "exclusions"
tar tzf "$T/x/.accel/sourcedir.tar.gz" >"$T/list"
check_text "exclusions: .git, __pycache__, .accel, .accelignore" "$T/list" ".accelignore
data/
data/readme.md
keep/
keep/a.log
logs/
pkg/
pkg/m.py
requirements.txt
train.py
"
# secrets
for s in .env server.pem id_rsa credentials tls.key; do
	project "$T/s"
	printf 'SECRET=1\n' >"$T/s/$s"
	request "$T/s" -c "$CONF" train.py
	check_status 1 "secret $s"
	check_stderr "accel-request: '$s' looks like a secret and would be uploaded; exclude it in .accelignore, or add '!$s' to upload it
" "secret $s"
	rm -rf "$T/s"
done
project "$T/s"
mkdir -p "$T/s/conf"
printf 'K=1\n' >"$T/s/conf/.env"
printf 'K=1\n' >"$T/s/ca.pem"
printf '!conf/.env\nca.pem\n' >"$T/s/.accelignore"
request "$T/s" -c "$CONF" train.py
check_status 0 "secrets named in .accelignore"
tar tzf "$T/s/.accel/sourcedir.tar.gz" >"$T/list"
check_text "an explicit '!' includes a secret, a pattern excludes one" "$T/list" ".accelignore
conf/
conf/.env
requirements.txt
train.py
"
project "$T/s2"
printf 'train.py\n' >"$T/s2/.accelignore"
request "$T/s2" -c "$CONF" train.py
check_status 1 "script excluded"
check_stderr "accel-request: the script 'train.py' is not in the archive of '.' (excluded by .accelignore?)
" "script excluded"
rm "$T/s2/.accelignore"
printf 'K=1\n' >"$T/s2/.env"
ln -s .env "$T/s2/settings"
printf '.env\n' >"$T/s2/.accelignore"
request "$T/s2" -c "$CONF" train.py
check_status 1 "symlink to a secret"
check_stderr "accel-request: 'settings' links to '.env', which looks like a secret; exclude it in .accelignore, or add '!settings' to upload it
" "symlink to a secret"
request "$T/s2" -c "$CONF" --requirements "$T/nonesuch.txt" train.py
check_status 1 "missing --requirements file"
check_stderr "accel-request: cannot open '$T/nonesuch.txt': No such file or directory
" "missing --requirements file"
# symlinks
project "$T/l"
mkdir -p "$T/l/real" "$T/outside"
printf 'v\n' >"$T/l/real/f.txt"
printf 'o\n' >"$T/outside/o.txt"
ln -s real "$T/l/alias"
ln -s real/f.txt "$T/l/g.txt"
request "$T/l" -c "$CONF" train.py
check_status 0 "symlinks inside"
tar tzf "$T/l/.accel/sourcedir.tar.gz" >"$T/list"
check_text "symlinks inside are followed" "$T/list" "alias/
alias/f.txt
g.txt
real/
real/f.txt
requirements.txt
train.py
"
ln -s "$T/outside/o.txt" "$T/l/o.txt"
request "$T/l" -c "$CONF" train.py
check_status 1 "symlink outside"
check_stderr "accel-request: the symlink 'o.txt' leads outside the source directory (to '$T/outside/o.txt'); copy the file in or exclude the link in .accelignore
" "symlink outside"
rm "$T/l/o.txt"
ln -s .. "$T/l/real/up"
request "$T/l" -c "$CONF" train.py
check_status 1 "symlink loop"
check_stderr "accel-request: the symlink 'alias/up' loops back to a directory that contains it
" "symlink loop"
rm "$T/l/real/up"
# caps
request "$T/l" -c "$CONF" --max-files 3 train.py
check_status 1 "file cap"
check_stderr "accel-request: '.' has more than 3 files and directories (at 'real'); exclude some in .accelignore
" "file cap"
request "$T/l" -c "$CONF" --max-bytes 10 train.py
check_status 1 "byte cap"
check_stderr "accel-request: the files of '.' pass the limit of 10 bytes at 'requirements.txt'; exclude data in .accelignore
" "byte cap"
# --requirements and --source-dir
printf 'transformers==4.17.0\n' >"$T/req.txt"
mkdir -p "$T/r/src"
printf 'print(1)\n' >"$T/r/src/train.py"
printf 'old\n' >"$T/r/requirements.txt"
request "$T/r" -c "$CONF" --source-dir . --requirements "$T/req.txt" src/train.py
check_status 0 "--source-dir and --requirements"
is "the --requirements file is requirements.txt" \
	"$(tar xzOf "$T/r/.accel/sourcedir.tar.gz" requirements.txt)" "transformers==4.17.0"
is "sagemaker_program is relative to the source dir" \
	"$(json_get "$T/r/.accel/request.json" 'd["CreateTrainingJob"]["HyperParameters"]["sagemaker_program"]')" \
	'"src/train.py"'
printf 'print(2)\n' >"$T/r/other.py"
request "$T/r" -c "$CONF" --source-dir src other.py
check_status 1 "script outside --source-dir"
check_stderr "accel-request: the script 'other.py' is not inside the source directory 'src'
" "script outside --source-dir"

# --- config variants --------------------------------------------------------------
variant "$T/dp.json" 'c.update(distributed_type="DATA_PARALLEL", ec2_instance_type="ml.p3.16xlarge")'
request "$T/p" -c "$T/dp.json" train.py --epochs 3
check_status 0 "DATA_PARALLEL"
json_get "$T/p/.accel/request.json" 'json.dumps({k: v for k, v in d["CreateTrainingJob"]["HyperParameters"].items() if "distributed" in k or "instance" in k}, sort_keys=True) + " " + d["CreateTrainingJob"]["Environment"]["ACCELERATE_SAGEMAKER_DISTRIBUTED_TYPE"]' >"$T/v"
check_text "DATA_PARALLEL hyperparameters (sagemaker-api.md §4.3)" "$T/v" '{"sagemaker_distributed_dataparallel_custom_mpi_options": "\"\"", "sagemaker_distributed_dataparallel_enabled": "true", "sagemaker_instance_type": "\"ml.p3.16xlarge\""} DATA_PARALLEL
'
variant "$T/mp.json" 'c.update(distributed_type="MODEL_PARALLEL")'
request "$T/p" -c "$T/mp.json" train.py
check_status 1 "MODEL_PARALLEL without distribution"
check_stderr "accel-request: $T/mp.json: distributed_type: MODEL_PARALLEL needs additional_args.distribution (smdistributed modelparallel with mpi, or torch_distributed); accelerate launches it without any
" "MODEL_PARALLEL without distribution"
variant "$T/mp2.json" 'c.update(distributed_type="MODEL_PARALLEL", ec2_instance_type="ml.p4d.24xlarge", additional_args={"distribution": {"mpi": {"enabled": True, "processes_per_host": 8}, "smdistributed": {"modelparallel": {"enabled": True, "parameters": {"partitions": 2, "microbatches": 4}}}}})'
request "$T/p" -c "$T/mp2.json" train.py
check_status 0 "MODEL_PARALLEL with smdistributed modelparallel"
json_get "$T/p/.accel/request.json" 'json.dumps({k: v for k, v in d["CreateTrainingJob"]["HyperParameters"].items() if k.startswith(("mp_", "sagemaker_mpi", "sagemaker_dist", "sagemaker_inst"))}, sort_keys=True)' >"$T/v"
check_text "model parallel hyperparameters" "$T/v" '{"mp_parameters": "{\"microbatches\": 4, \"partitions\": 2}", "sagemaker_distributed_dataparallel_enabled": "false", "sagemaker_instance_type": "\"ml.p4d.24xlarge\"", "sagemaker_mpi_custom_mpi_options": "\"\"", "sagemaker_mpi_enabled": "true", "sagemaker_mpi_num_of_processes_per_host": "8"}
'
variant "$T/td.json" 'c.update(num_machines=2, additional_args={"distribution": {"torch_distributed": {"enabled": True}}})'
request "$T/p" -c "$T/td.json" train.py
check_status 0 "torch_distributed"
json_get "$T/p/.accel/request.json" 'json.dumps({k: v for k, v in d["CreateTrainingJob"]["HyperParameters"].items() if k.startswith(("sagemaker_torch", "sagemaker_inst"))}, sort_keys=True)' >"$T/v"
check_text "torch_distributed hyperparameters" "$T/v" '{"sagemaker_instance_type": "\"ml.p3.2xlarge\"", "sagemaker_torch_distributed_enabled": "true"}
'
variant "$T/all.json" 'c.update(region="eu-west-1", iam_role_name="arn:aws:iam::111122223333:role/service-role/trainer", debug=True, dynamo_config={"dynamo_backend": "INDUCTOR", "dynamo_mode": "max-autotune", "dynamo_use_fullgraph": True}, sagemaker_inputs={"train": "s3://b/train", "test": "s3://b/test"}, sagemaker_metrics=[{"Name": "loss", "Regex": "loss: ([0-9.]+)"}], additional_args={"use_spot_instances": True, "max_run": 3600, "max_wait": 7200, "volume_size": 100, "volume_kms_key": "k1", "output_kms_key": "k2", "output_path": "s3://out-bucket/models", "code_location": "s3://code-bucket/prefix/", "checkpoint_s3_uri": "s3://b/ckpt/{{job_name}}", "checkpoint_local_path": "/opt/ml/checkpoints", "enable_network_isolation": True, "encrypt_inter_container_traffic": True, "subnets": ["subnet-1"], "security_group_ids": ["sg-1"], "tags": {"project": "bert", "n": 3}, "environment": {"HF_HUB_OFFLINE": "1"}, "hyperparameters": {"seed": 42, "sched": "cosine", "flag": True}, "keep_alive_period_in_seconds": 600, "max_retry_attempts": 2, "disable_profiler": True, "input_mode": "FastFile", "enable_sagemaker_metrics": False, "disable_output_compression": True, "container_log_level": 10, "enable_infra_check": True, "enable_remote_debug": False, "enable_session_tag_chaining": False, "training_repository_access_mode": "Platform"})'
request "$T/p" -c "$T/all.json" train.py --lr 0.001
check_status 0 "every keyword"
$CTJ resolve "$T/p/.accel/request.json" >"$T/all-body.json"
NAME=$(json_get "$T/p/.accel/request.json" 'd["accel"]["job_name"]')
sed "s/$NAME/JOB/g" "$T/all-body.json" >"$T/all-body-named.json"
check_text "every keyword in its field" "$T/all-body-named.json" '{
 "AlgorithmSpecification": {
  "EnableSageMakerMetricsTimeSeries": false,
  "MetricDefinitions": [
   {
    "Name": "loss",
    "Regex": "loss: ([0-9.]+)"
   }
  ],
  "TrainingImage": "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:1.10.2-transformers4.17.0-gpu-py38-cu113-ubuntu20.04",
  "TrainingImageConfig": {
   "TrainingRepositoryAccessMode": "Platform"
  },
  "TrainingInputMode": "FastFile"
 },
 "CheckpointConfig": {
  "LocalPath": "/opt/ml/checkpoints",
  "S3Uri": "s3://b/ckpt/JOB"
 },
 "EnableInterContainerTrafficEncryption": true,
 "EnableManagedSpotTraining": true,
 "EnableNetworkIsolation": true,
 "Environment": {
  "ACCELERATE_DEBUG_MODE": "true",
  "ACCELERATE_DYNAMO_BACKEND": "INDUCTOR",
  "ACCELERATE_DYNAMO_MODE": "max-autotune",
  "ACCELERATE_DYNAMO_USE_DYNAMIC": "False",
  "ACCELERATE_DYNAMO_USE_FULLGRAPH": "True",
  "ACCELERATE_DYNAMO_USE_REGIONAL_COMPILATION": "False",
  "ACCELERATE_MIXED_PRECISION": "fp16",
  "ACCELERATE_SAGEMAKER_DISTRIBUTED_TYPE": "NO",
  "ACCELERATE_USE_SAGEMAKER": "true",
  "HF_HUB_OFFLINE": "1"
 },
 "HyperParameters": {
  "flag": "true",
  "lr": "0.001",
  "sagemaker_container_log_level": "10",
  "sagemaker_job_name": "\"JOB\"",
  "sagemaker_program": "\"train.py\"",
  "sagemaker_region": "\"eu-west-1\"",
  "sagemaker_submit_directory": "\"/opt/ml/input/data/code/sourcedir.tar.gz\"",
  "sched": "\"cosine\"",
  "seed": "42"
 },
 "InfraCheckConfig": {
  "EnableInfraCheck": true
 },
 "InputDataConfig": [
  {
   "ChannelName": "test",
   "DataSource": {
    "S3DataSource": {
     "S3DataDistributionType": "FullyReplicated",
     "S3DataType": "S3Prefix",
     "S3Uri": "s3://b/test"
    }
   }
  },
  {
   "ChannelName": "train",
   "DataSource": {
    "S3DataSource": {
     "S3DataDistributionType": "FullyReplicated",
     "S3DataType": "S3Prefix",
     "S3Uri": "s3://b/train"
    }
   }
  },
  {
   "ChannelName": "code",
   "DataSource": {
    "S3DataSource": {
     "S3DataDistributionType": "FullyReplicated",
     "S3DataType": "S3Prefix",
     "S3Uri": "s3://code-bucket/prefix/JOB/source/sourcedir.tar.gz"
    }
   }
  }
 ],
 "OutputDataConfig": {
  "CompressionType": "NONE",
  "KmsKeyId": "k2",
  "S3OutputPath": "s3://out-bucket/models"
 },
 "ProfilerConfig": {
  "DisableProfiler": true
 },
 "RemoteDebugConfig": {
  "EnableRemoteDebug": false
 },
 "ResourceConfig": {
  "InstanceCount": 1,
  "InstanceType": "ml.p3.2xlarge",
  "KeepAlivePeriodInSeconds": 600,
  "VolumeKmsKeyId": "k1",
  "VolumeSizeInGB": 100
 },
 "RetryStrategy": {
  "MaximumRetryAttempts": 2
 },
 "RoleArn": "arn:aws:iam::111122223333:role/service-role/trainer",
 "SessionChainingConfig": {
  "EnableSessionTagChaining": false
 },
 "StoppingCondition": {
  "MaxRuntimeInSeconds": 3600,
  "MaxWaitTimeInSeconds": 7200
 },
 "Tags": [
  {
   "Key": "n",
   "Value": "3"
  },
  {
   "Key": "project",
   "Value": "bert"
  }
 ],
 "TrainingJobName": "JOB",
 "VpcConfig": {
  "SecurityGroupIds": [
   "sg-1"
  ],
  "Subnets": [
   "subnet-1"
  ]
 }
}
'
# mistakes the SDK lets through to the API, or ignores
variant "$T/e1.json" 'c["additional_args"] = {"max_wait": 7200}'
request "$T/p" -c "$T/e1.json" train.py
check_status 1 "max_wait without spot"
check_stderr "accel-request: $T/e1.json: additional_args.max_wait: is only valid with use_spot_instances: true
" "max_wait without spot"
variant "$T/e2.json" 'c["additional_args"] = {"max_runn": 7200}'
request "$T/p" -c "$T/e2.json" train.py
check_status 1 "misspelt keyword"
check_stderr "accel-request: $T/e2.json: additional_args.max_runn: not a supported estimator keyword (see accel-request(1))
" "misspelt keyword"
variant "$T/e3.json" 'c["additional_args"] = {"subnets": ["s"]}'
request "$T/p" -c "$T/e3.json" train.py
check_status 1 "subnets alone"
check_stderr "accel-request: $T/e3.json: additional_args.subnets: needs security_group_ids as well
" "subnets alone"
variant "$T/e4.json" 'c["base_job_name"] = "my_job"'
request "$T/p" -c "$T/e4.json" train.py
check_status 1 "base_job_name with _"
check_stderr "accel-request: $T/e4.json: base_job_name: 'my_job' does not make a valid job name (letters, digits and inner hyphens)
" "base_job_name with _"
variant "$T/long.json" 'c["base_job_name"] = "b" * 70'
request "$T/p" -c "$T/long.json" train.py
check_status 0 "long base_job_name"
is "long base_job_name is cut to 63 characters" \
	"$(json_get "$T/p/.accel/request.json" 'len(d["accel"]["job_name"])')" 63

# --- every body written above against botocore ------------------------------------
count=$(echo $BODIES | wc -w)
if $CTJ validate $BODIES >"$T/v" 2>&1; then
	ok "all $count bodies pass botocore's CreateTrainingJob validation"
else
	not_ok "bodies pass botocore's validation" "$(head -20 "$T/v")"
fi
[ "$count" -ge 15 ] && ok "validated $count bodies" || not_ok "validated enough bodies" "only $count"
done_testing
