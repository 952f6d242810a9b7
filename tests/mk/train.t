#!/bin/sh
# train.t - `make train` against the fake AWS, requests counted at the fake:
# the quickstart end to end (validate, submit, the real training's logs
# streamed, the seconds lines, the model with train-local's bytes); a
# second run makes no request; touched files and a cache restored with any
# mtimes make none; each changed input starts exactly one job; a fresh
# clone starts none; make -n makes none; make -j4 train train-local is
# safe; train-status, train-logs and train-stop.
. "$(dirname "$0")/../cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
MAKE=${MAKE:-make}
unset MAKEFLAGS MAKEOVERRIDES MFLAGS MAKELEVEL ACCEL_RUN ACCEL_STOP_ON_INTERRUPT
fake_aws_start
# Jobs run the real code with accel-local, 20 job seconds a second; the
# waiter polls every 50 ms.
printf '{"runner": "accel-local", "speed": 20}\n' > "$FAKE_AWS_DIR/sagemaker.json"
ACCEL_WAIT_POLL_MS=50
export ACCEL_WAIT_POLL_MS
aws iam create-role --role-name accelerate_sagemaker_execution_role \
    --assume-role-policy-document '{"Version":"2012-10-17","Statement":[]}' \
    >/dev/null 2>&1
is "the role exists" "$?" 0

# the quickstart as a fresh clone has it, with this build's tools
C=$T/clone
mkdir -p "$C/examples"
cp "$TOP/accel.mk" "$C/"
cp -R "$TOP/examples/quickstart" "$C/examples/"
rm -rf "$C/examples/quickstart/.accel"
ln -s "$BIN" "$C/bin"
Q=$C/examples/quickstart
mk() { run $MAKE --no-print-directory "$@"; }
# check_failed N NAME: make failed (2) because the recipe exited N
check_failed() {
	check_status 2 "$2"
	grep -q "^make: \*\*\* \[.*\] Error $1\$" "$T/err"
	is "$2: the tool exited $1" $? 0
}
# requests since the last look, as "N service:Operation" lines
# (the count seen so far is kept in a file: requests runs in $(...))
echo 0 > "$T/seen"
requests() {
	seen=$(cat "$T/seen")
	wc -l < "$FAKE_AWS_DIR/requests.log" > "$T/seen"
	tail -n +"$((seen + 1))" "$FAKE_AWS_DIR/requests.log" | head -n \
	    "$(($(cat "$T/seen") - seen))" | cut -f4 | sort | uniq -c |
	    sed 's/^ *//'
}
creates() { requests | sed -n 's/ sagemaker:CreateTrainingJob$//p'; }
snapshot() { find "$1" -exec stat -c '%n %Y %s' {} + | sort; }
requests >/dev/null

# --- make -n: nothing
snapshot "$Q" > "$T/before"
mk -C "$Q" -n train
check_status 0 "make -n train"
is "make -n train: no AWS request" "$(requests)" ""
snapshot "$Q" > "$T/after"
check_same "make -n train: no file changed" "$T/after" "$T/before"

# --- the end to end acceptance of issue 6
mk -C "$Q" train
check_status 0 "make -C examples/quickstart train"
grep -q '^  VALIDATE  accelerate.yaml$' "$T/out"
is "it validates" $? 0
is "it creates one job" "$(creates)" 1
is "the real training's logs are streamed" \
    "$(grep -c "^epoch [0-9]*: {'accuracy': [0-9.]*, 'f1': [0-9.]*}$" "$T/out")" 10
grep -q '^Training seconds: [0-9][0-9]*$' "$T/out" &&
    grep -q '^Billable seconds: [0-9][0-9]*$' "$T/out"
is "it ends with the seconds lines" $? 0
mk -C "$Q" train-local
check_status 0 "train-local"
if diff -r "$Q/.accel/model" "$Q/.accel/model-local" > "$T/diff"; then
	ok "the model directory has train-local's bytes"
else
	not_ok "the model directory has train-local's bytes" "$(head -20 "$T/diff")"
fi
is "the model is the script's" "$(ls "$Q/.accel/model")" model.json

# --- a second run: no request at all
mk -C "$Q" train
check_status 0 "second make train"
is "second make train: zero AWS requests" "$(requests)" ""

# --- every file touched (mtime only): nothing submitted, nothing asked
find "$Q" -path "$Q/.accel" -prune -o -type f -exec touch {} +
mk -C "$Q" train
is "every file touched: zero AWS requests" "$(requests)" ""

# --- .accel restored from a cache with other mtimes: no request
touch -d '2001-01-01' "$Q/.accel/fetched" "$Q/.accel/model"
touch -d '2002-01-01' "$Q/.accel/status.json"
touch -d '2003-01-01' "$Q/.accel/job.json"
touch "$Q/.accel/request.json" "$Q/.accel/sourcedir.tar.gz" "$Q/.accel/config.json"
mk -C "$Q" train
check_status 0 "cache restored with reversed mtimes"
is "cache restored with reversed mtimes: zero AWS requests" "$(requests)" ""

# --- make -j4 train train-local after a change
echo '# a change' >> "$Q/train.py"
mk -C "$Q" -j4 train train-local
check_status 0 "make -j4 train train-local"
is "make -j4: one new job" "$(creates)" 1
if diff -r "$Q/.accel/model" "$Q/.accel/model-local" > "$T/diff"; then
	ok "make -j4: the two models agree"
else
	not_ok "make -j4: the two models agree" "$(head -20 "$T/diff")"
fi

# --- each input that matters starts exactly one job
one_job() {
	mk -C "$Q" train "$@"
	check_status 0 "$what: make train"
	is "$what: exactly one new job" "$(creates)" 1
	mk -C "$Q" train "$@"
	is "$what: then zero requests" "$(requests)" ""
}
what="a hyperparameter" one_job ACCEL_ARGS='--epochs 3'
echo '# another change' >> "$Q/train.py"
what="the script" one_job
printf '# pinned nothing\n\n' >> "$Q/requirements.txt"
what="requirements.txt" one_job
sed -i 's/^debug: false/debug: true/' "$Q/accelerate.yaml"
what="the config" one_job

# --- a fresh clone of an already-trained commit: no CreateTrainingJob
rm -rf "$Q/.accel"
mk -C "$Q" train
check_status 0 "fresh clone: make train"
requests > "$T/req"
is "fresh clone: no CreateTrainingJob" \
    "$(grep -c 'sagemaker:CreateTrainingJob' "$T/req")" 0
is "fresh clone: the model is fetched" "$(ls "$Q/.accel/model")" model.json

# --- the same trained inputs in the two other styles: a plain Makefile
# (nothing but the include; kept outside the code, which it would change)
# and a recursive make from a parent directory
mkdir -p "$T/plain"
cp -R "$Q/." "$T/plain/"
rm -rf "$T/plain/.accel"
printf 'include %s/accel.mk\n' "$C" > "$T/plain.mk"
mk -C "$T/plain" -f "$T/plain.mk" train
check_status 0 "plain style: make train"
is "plain style, inputs trained before: no CreateTrainingJob" \
    "$(requests | grep -c 'sagemaker:CreateTrainingJob')" 0
mk -C "$T/plain" -f "$T/plain.mk" train
is "plain style: second make train, zero requests" "$(requests)" ""
printf 'all:\n\t@echo parent\nmodel:\n\t+$(MAKE) -C examples/quickstart train\n' \
    > "$C/Makefile"
mk -C "$C"
check_stdout "parent
" "recursive style: the parent's default goal"
mk -C "$C" model
check_status 0 "recursive style: make model (train in a sub-make)"
is "recursive style: zero requests" "$(requests)" ""
mk -C "$C" -n model
is "recursive style: make -n, zero requests" "$(requests)" ""

# --- train-status, train-logs on a finished job
mk -C "$Q" train-status
check_status 0 "train-status"
grep -q '^Training seconds: [0-9]' "$T/out" &&
    grep -q '^You can find your model data at: s3://.*/output/model.tar.gz$' "$T/out"
is "train-status: a finished job's summary and model URI" $? 0
mk -C "$Q" train-logs
check_status 0 "train-logs"
is "train-logs prints the whole log" \
    "$(grep -c "^epoch [0-9]*: {'accuracy'" "$T/out")" 10

# --- train-stop on a running job: Stopped
printf '{"runner": "accel-local", "speed": 1, "timeline": {"Starting": 30}}\n' \
    > "$FAKE_AWS_DIR/sagemaker.json"
echo '# to be stopped' >> "$Q/train.py"
mk -C "$Q" accel-validate
"$BIN/accel-request" -c "$Q/.accel/config.json" -o "$Q/.accel/request.json" \
    "$Q/train.py" 2>/dev/null
(cd "$Q" && "$BIN/accel-submit" -o .accel/job.json .accel/request.json) \
    >/dev/null 2>&1
is "a slow job submitted" "$?" 0
requests >/dev/null
mk -C "$Q" train-status
check_status 0 "train-status on a running job"
is "train-status: one DescribeTrainingJob, nothing else" "$(requests)" \
    "1 sagemaker:DescribeTrainingJob"
grep -q '^20[0-9-]* [0-9:]* Starting - ' "$T/out"
is "train-status: the running job's status line" $? 0
mk -C "$Q" train-stop
check_failed 1 "train-stop: the job ended Stopped"
requests > "$T/req"
is "train-stop: one StopTrainingJob" \
    "$(sed -n 's/ sagemaker:StopTrainingJob$//p' "$T/req")" 1
job=$(sed -n 's/^ *"name": "\(.*\)",*$/\1/p' "$Q/.accel/job.json")
is "train-stop: the job is Stopped" \
    "$(aws sagemaker describe-training-job --training-job-name "$job" \
	--query TrainingJobStatus --output text)" Stopped
grep -q '^20[0-9-]* [0-9:]* Stopped - Training job stopped$' "$T/out"
is "train-stop: the Stopped line" $? 0
requests >/dev/null
mk -C "$Q" train-status
check_failed 1 "train-status on a Stopped job"
mk -C "$Q" train-stop
check_failed 1 "train-stop again: the job's end"
grep -q "has already ended (Stopped); not stopping it" "$T/err"
is "train-stop again: says the job has ended" $? 0
is "train-stop again: no StopTrainingJob" \
    "$(requests | grep -c 'sagemaker:StopTrainingJob')" 0

# --- make train -n with the AWS variables and nothing current: no request
rm -rf "$Q/.accel"
mk -C "$Q" -n train
is "make -n train on a fresh clone: zero AWS requests" "$(requests)" ""

done_testing
