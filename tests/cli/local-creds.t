#!/bin/sh
# local-creds.t - what the training script of accel-local gets of AWS
# credentials (issue 12): by default none of the caller's (it gets the
# region), with --credentials caller the caller's resolved keys, as SDK
# local mode passes them; the docker backend passes them by name only.
# The script dumps its environment; role is tests/aws/local-creds.t.
. "$TOP/tests/cli/lib.sh"

SECRET=cAllErSeCrEt/K7MDENG+bPxRfiCYEXAMPLEKEY
TOKEN=cAllErToKeN//////////wEaCXVzLWVhc3QtMSJHMEUCIQ
mkdir -p "$T/j/src" "$T/j/data/train" "$T/bin" "$T/home"
# env_script: the job's script writes its environment to PROBE_OUT
env_script() {
	cat >"$T/j/src/train.py" <<'EOF2'
import os
with open(os.environ["PROBE_OUT"], "w") as f:
    for k in sorted(os.environ):
        f.write("%s=%s\n" % (k, os.environ[k]))
EOF2
	tar -C "$T/j/src" -czf "$T/j/sourcedir.tar.gz" train.py
}
env_script
cat >"$T/j/request.json" <<JSON
{"TrainingJobName": "creds-test",
 "AlgorithmSpecification": {"TrainingInputMode": "File", "TrainingImage": "img:1"},
 "RoleArn": "arn:aws:iam::123456789012:role/accel-test",
 "ResourceConfig": {"InstanceCount": 1, "InstanceType": "local", "VolumeSizeInGB": 30},
 "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "file://$T/j/data/train"}}}],
 "HyperParameters": {"sagemaker_program": "\"train.py\"", "sagemaker_submit_directory": "\"s3://b/k\"", "sagemaker_region": "\"eu-west-1\""},
 "Environment": {"PROBE_OUT": "$T/env"}}
JSON

# A caller with every kind of credential source set.
printf '[default]\naws_access_key_id = AKIAFILEFILEFILEFILE\naws_secret_access_key = fileSecretfileSecretfileSecret\n' \
    >"$T/home/credentials"
CALLER="HOME=$T/home AWS_ACCESS_KEY_ID=AKIACALLERCALLER1234 AWS_SECRET_ACCESS_KEY=$SECRET AWS_SESSION_TOKEN=$TOKEN AWS_SHARED_CREDENTIALS_FILE=$T/home/credentials AWS_CONFIG_FILE=$T/home/credentials AWS_PROFILE=default AWS_WEB_IDENTITY_TOKEN_FILE=$T/home/token AWS_ROLE_ARN=arn:aws:iam::1:role/r AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:1/creds AWS_CONTAINER_AUTHORIZATION_TOKEN=$TOKEN"

# has/hasnt NAME PATTERN: the dumped environment has (no) matching line
has() { grep -q -- "$2" "$T/env" && ok "$1" || not_ok "$1" "$(cat "$T/env")"; }
hasnt() { grep -q -- "$2" "$T/env" && not_ok "$1" "$(grep -- "$2" "$T/env")" || ok "$1"; }

# --- the default: none
run env $CALLER "$BIN/accel-local" --no-install "$T/j/request.json"
check_status 0 "default: the job runs"
hasnt "default: no secret key" "$SECRET"
hasnt "default: no session token" "$TOKEN"
hasnt "default: no caller access key id" AKIACALLER
hasnt "default: no profile" '^AWS_PROFILE='
hasnt "default: no web identity" '^AWS_WEB_IDENTITY_TOKEN_FILE='
hasnt "default: no container credentials" '^AWS_CONTAINER_'
has "default: no credentials file" '^AWS_SHARED_CREDENTIALS_FILE=/dev/null$'
has "default: no config file" '^AWS_CONFIG_FILE=/dev/null$'
has "default: no instance metadata" '^AWS_EC2_METADATA_DISABLED=true$'
has "default: the region" '^AWS_REGION=eu-west-1$'
has "default: the platform's own variables" '^TRAINING_JOB_NAME=creds-test$'
# an SDK in the script finds nothing to sign with
if python3 -c 'import botocore' 2>/dev/null; then
	cat >"$T/j/src/train.py" <<'EOF2'
import os, botocore.session
c = botocore.session.get_session().get_credentials()
with open(os.environ["PROBE_OUT"], "w") as f:
    f.write("creds=%s\n" % (None if c is None else c.access_key))
EOF2
	tar -C "$T/j/src" -czf "$T/j/sourcedir.tar.gz" train.py
	run env $CALLER "$BIN/accel-local" --no-install "$T/j/request.json"
	check_status 0 "default: botocore in the script runs"
	has "default: botocore in the script finds no credentials" '^creds=None$'
	run env $CALLER "$BIN/accel-local" --no-install --credentials caller \
	    "$T/j/request.json"
	has "caller: botocore in the script finds the caller's key" \
	    '^creds=AKIACALLERCALLER1234$'
fi
env_script

run env $CALLER "$BIN/accel-local" --no-install --credentials none "$T/j/request.json"
check_status 0 "--credentials none: the job runs"
hasnt "--credentials none: no secret key" "$SECRET"

# --- caller: the resolved keys, as SDK local mode passes them
run env $CALLER "$BIN/accel-local" --no-install --credentials caller "$T/j/request.json"
check_status 0 "caller: the job runs"
has "caller: the access key id" '^AWS_ACCESS_KEY_ID=AKIACALLERCALLER1234$'
has "caller: the secret key" "^AWS_SECRET_ACCESS_KEY=$SECRET\$"
has "caller: the session token" "^AWS_SESSION_TOKEN=$TOKEN\$"
hasnt "caller: no profile" '^AWS_PROFILE='
hasnt "caller: no container credentials" '^AWS_CONTAINER_'
if grep -q -e "$SECRET" -e "$TOKEN" "$T/out" "$T/err"; then
	not_ok "caller: no secret on stdout or stderr"
else ok "caller: no secret on stdout or stderr"; fi
if grep -rqF -e "$SECRET" "$T/j/.accel"; then
	not_ok "caller: no secret in a file we wrote" \
	    "$(grep -rlF -e "$SECRET" "$T/j/.accel")"
else ok "caller: no secret in a file we wrote"; fi

# resolved, not copied: keys from the credentials file of a profile
run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN \
    HOME="$T/home" AWS_SHARED_CREDENTIALS_FILE="$T/home/credentials" \
    AWS_CONFIG_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \
    "$BIN/accel-local" --no-install --credentials caller "$T/j/request.json"
check_status 0 "caller from a profile: the job runs"
has "caller from a profile: its access key id" \
    '^AWS_ACCESS_KEY_ID=AKIAFILEFILEFILEFILE$'
hasnt "caller from a profile: long-term keys, no token" '^AWS_SESSION_TOKEN='

# no credentials anywhere: caller refuses before running anything
run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN \
    -u AWS_PROFILE -u AWS_WEB_IDENTITY_TOKEN_FILE \
    -u AWS_CONTAINER_CREDENTIALS_FULL_URI \
    -u AWS_CONTAINER_CREDENTIALS_RELATIVE_URI HOME="$T/home" \
    AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null \
    AWS_EC2_METADATA_DISABLED=true \
    "$BIN/accel-local" --no-install --credentials caller "$T/j/request.json"
check_status 1 "caller without credentials: exit 1"
grep -q '^accel-local: --credentials caller: ' "$T/err" &&
    ok "caller without credentials: said why" ||
    not_ok "caller without credentials: said why" "$(cat "$T/err")"

run "$BIN/accel-local" --credentials all "$T/j/request.json"
check_status 2 "--credentials all: usage"
check_stderr "accel-local: --credentials is none, caller or role, not 'all'
accel-local: try 'accel-local --help'
" "--credentials all: the choices"

# --- pip runs the code of the packages it builds: it gets what the script
# gets.  A local package whose build backend (in-tree, no setuptools, no
# index) dumps its environment.
mkdir -p "$T/envdump"
printf '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n' \
    >"$T/envdump/pyproject.toml"
cat >"$T/envdump/backend.py" <<EOF2
import os, zipfile
def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    with open("$T/pipenv", "w") as f:
        for k in sorted(os.environ):
            f.write("%s=%s\\n" % (k, os.environ[k]))
    name, info = "envdump-1.0-py3-none-any.whl", "envdump-1.0.dist-info/"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        z.writestr(info + "METADATA", "Metadata-Version: 2.1\\nName: envdump\\nVersion: 1.0\\n")
        z.writestr(info + "WHEEL", "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
        z.writestr(info + "RECORD", "")
    return name
EOF2
cp -R "$T/j" "$T/p"
printf 'envdump @ file://%s/envdump\n' "$T" >"$T/p/src/requirements.txt"
tar -C "$T/p/src" -czf "$T/p/sourcedir.tar.gz" train.py requirements.txt
sed -i "s|$T/j/|$T/p/|g" "$T/p/request.json"
run env $CALLER PIP_NO_INDEX=1 "$BIN/accel-local" "$T/p/request.json"
check_status 0 "a requirement built from source installs"
if [ -s "$T/pipenv" ]; then
	ok "pip built the package (its backend ran)"
	grep -q -e "$SECRET" -e "$TOKEN" "$T/pipenv" &&
	    not_ok "pip: no caller secret" "$(grep -e "$SECRET" -e "$TOKEN" "$T/pipenv")" ||
	    ok "pip: no caller secret"
else
	not_ok "pip built the package (its backend ran)" "$(cat "$T/err")"
fi

# --- docker: the same choice, the values by name, never in argv
cat >"$T/bin/docker" <<'EOF2'
#!/bin/sh
if [ "$1" = info ]; then exit 0; fi
printf 'argv: %s\n' "$*" >"$PROBE_ARGV"
for a in "$@"; do
	case $a in --env=*) n=${a#--env=}; eval "printf '%s=%s\n' \"\$n\" \"\${$n-}\"" ;; esac
done >"$PROBE_OUT"
EOF2
chmod +x "$T/bin/docker"
PROBE_ARGV=$T/argv
export PROBE_ARGV
run env $CALLER PATH="$T/bin:$PATH" "$BIN/accel-local" --backend docker "$T/j/request.json"
check_status 0 "docker, default: runs"
hasnt "docker, default: no key reaches the container" '^AWS_SECRET_ACCESS_KEY='
hasnt "docker, default: no token reaches the container" '^AWS_SESSION_TOKEN='
run env $CALLER PATH="$T/bin:$PATH" "$BIN/accel-local" --backend docker \
    --credentials caller "$T/j/request.json"
check_status 0 "docker, caller: runs"
has "docker, caller: the access key id" '^AWS_ACCESS_KEY_ID=AKIACALLERCALLER1234$'
has "docker, caller: the secret key" "^AWS_SECRET_ACCESS_KEY=$SECRET\$"
has "docker, caller: the session token" "^AWS_SESSION_TOKEN=$TOKEN\$"
grep -qF -e "$SECRET" -e "$TOKEN" "$T/argv" &&
    not_ok "docker, caller: no secret in argv" "$(cat "$T/argv")" ||
    ok "docker, caller: no secret in argv"
grep -q -- '--env=AWS_SECRET_ACCESS_KEY ' "$T/argv" &&
    ok "docker, caller: passed by name" ||
    not_ok "docker, caller: passed by name" "$(cat "$T/argv")"

done_testing
