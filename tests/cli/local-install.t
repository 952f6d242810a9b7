#!/bin/sh
# local-install.t - requirements.txt in a venv of the job, offline: what is
# already installed satisfies it without a package index, the venv is kept
# by the file's hash, what nothing provides is named, and --no-install uses
# the interpreter as it is.  pip itself is the referee of "installed".
. "$TOP/tests/cli/lib.sh"

PIP_NO_INDEX=1	# no package index here: pip must fail fast, not retry
export PIP_NO_INDEX

# job DIR REQUIREMENTS: a script that prints where its Python lives
job() {
	mkdir -p "$1/src"
	cat >"$1/src/train.py" <<'EOF2'
import sys, botocore
print("prefix", sys.prefix)
EOF2
	printf '%s\n' "$2" >"$1/src/requirements.txt"
	tar -C "$1/src" -czf "$1/sourcedir.tar.gz" train.py requirements.txt
	cat >"$1/request.json" <<'JSON'
{"TrainingJobName": "install-test",
 "AlgorithmSpecification": {"TrainingInputMode": "File", "TrainingImage": "img"},
 "ResourceConfig": {"InstanceCount": 1, "InstanceType": "local", "VolumeSizeInGB": 30},
 "HyperParameters": {"sagemaker_program": "\"train.py\""}}
JSON
}

BOTO=$(python3 -m pip show botocore | sed -n 's/^Version: //p')
job "$T/a" "# comment
botocore==$BOTO"
run "$BIN/accel-local" "$T/a/request.json"
check_status 0 "a satisfied requirement needs no index"
VENV=$(ls -d "$T"/a/.accel/local/venv/*)
is "the script ran in the job's venv" "$(grep '^prefix' "$T/out")" \
    "prefix $VENV"
is "the venv sees the system's packages" \
    "$(grep -c 'include-system-site-packages = true' "$VENV/pyvenv.cfg")" 1
touch -d 2000-01-01 "$VENV/.accel-installed"
run "$BIN/accel-local" "$T/a/request.json"
check_status 0 "second run"
is "the venv is reused while requirements.txt is unchanged" \
    "$(find "$VENV/.accel-installed" -newermt 2001-01-01 | wc -l)" 0

job "$T/b" "botocore==$BOTO
surely-not-a-package-zz1==1.0
botocore<1.0"
run "$BIN/accel-local" "$T/b/request.json"
check_status 1 "unsatisfied requirements fail the job"
if grep -q "^accel-local: requirements not satisfied (no package index could provide them): surely-not-a-package-zz1==1.0,botocore<1.0$" "$T/err"
then ok "the unsatisfied ones are named"; else
	not_ok "the unsatisfied ones are named" "$(cat "$T/err")"; fi
check_text "InstallRequirementsError failure text" \
    "$T/b/.accel/local/install-test/output/failure" \
    "InstallRequirementsError:
ExitCode 1
ErrorMessage \"\"
Command \"$(command -v python3) -m pip install -r requirements.txt\""
python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["TrainingJobStatus"])' \
    "$T/b/.accel/local/status.json" >"$T/st"
check_text "status Failed" "$T/st" "Failed
"
is "no venv is marked installed" \
    "$(find "$T/b/.accel/local/venv" -name .accel-installed | wc -l)" 0

run "$BIN/accel-local" --no-install "$T/b/request.json"
check_status 0 "--no-install runs with the current interpreter"
is "no venv with --no-install" "$(grep '^prefix' "$T/out")" \
    "prefix $(python3 -c 'import sys; print(sys.prefix)')"

done_testing
