#!/bin/sh
# chain.t - accel.mk's decisions, in scratch projects of three styles
# (plain; with their own all/clean/help and default goal; recursive make).
# accel-validate, accel-request and accel-local are the real tools;
# accel-submit, accel-wait and accel-fetch are stand-ins (tests/mk/stub)
# that log each call, so "no AWS" here means "no call of a networked tool".
# The same properties against the fake AWS are in tests/mk/train.t.
. "$(dirname "$0")/../cli/lib.sh"
MAKE=${MAKE:-make}
unset MAKEFLAGS MAKEOVERRIDES MFLAGS MAKELEVEL ACCEL_RUN
STUB_LOG=$T/calls
export STUB_LOG
ST=$T/tools
mkdir -p "$ST"
for t in validate request local; do ln -s "$BIN/accel-$t" "$ST/accel-$t"; done
for t in submit wait fetch; do ln -s "$TOP/tests/mk/stub/accel-$t" "$ST/"; done

# quickstart P: a copy of examples/quickstart without its Makefile
quickstart() {
	mkdir -p "$1"
	cp -R "$TOP/examples/quickstart/." "$1/"
	rm -rf "$1/Makefile" "$1/.accel"
}
# calls: what the networked stand-ins were asked since the last look
calls() { cat "$STUB_LOG" 2>/dev/null; : > "$STUB_LOG"; }
mk() { run $MAKE --no-print-directory ACCEL_BINDIR="$ST" "$@"; }
# snapshot DIR: every path with its mtime and size
snapshot() { find "$1" -exec stat -c '%n %Y %s' {} + | sort; }

# --- style 1: plain (accel.mk and the knobs, nothing else)
P=$T/plain
quickstart "$P"
printf 'ACCEL_ARGS = --epochs 2\ninclude %s/accel.mk\n' "$TOP" > "$P/Makefile"
mk -C "$P"
is "plain: no target of ours becomes the default goal" \
    "$(grep -c 'No targets' "$T/err")" 1

snapshot "$P" > "$T/before"
mk -C "$P" -n train
check_status 0 "make -n train"
snapshot "$P" > "$T/after"
check_same "make -n train writes nothing" "$T/after" "$T/before"
is "make -n train calls nothing" "$(calls)" ""
grep -q 'accel-submit -o .accel/job.json' "$T/out"
is "make -n train prints the submit command" $? 0

mk -C "$P" train
check_status 0 "train"
is "train: submit, wait and fetch once each" "$(calls)" "submit .accel/request.json
wait .accel/job.json
fetch .accel/status.json"
check_same "train: the model is status.json's" \
    "$P/.accel/model/model.json" "$P/.accel/status.json"
mk -C "$P" train
check_status 0 "second train"
is "second train calls nothing" "$(calls)" ""
is "second train says only validate and request" "$(cat "$T/out")" \
"  VALIDATE  accelerate.yaml
  REQUEST   train.py"

# every file touched (a fresh checkout's mtimes): nothing is submitted
find "$P" -path "$P/.accel" -prune -o -type f -exec touch {} +
mk -C "$P" train
is "sources touched: nothing called" "$(calls)" ""

# a CI cache restored with any mtimes: inputs newer than outputs
touch -d '2001-01-01' "$P/.accel/fetched" "$P/.accel/model"
touch -d '2002-01-01' "$P/.accel/status.json" "$P/.accel/status.json.from"
touch -d '2003-01-01' "$P/.accel/job.json" "$P/.accel/job.json.from"
touch -d '2004-01-01' "$P/.accel/request.json" "$P/.accel/sourcedir.tar.gz"
mk -C "$P" train
check_status 0 "cache restored, mtimes reversed"
is "cache restored, mtimes reversed: nothing called" "$(calls)" ""
mk -C "$P" -q train
is "and make's order is repaired (only validate and request remain)" \
    "$status" 1
mk -C "$P" train
is "third run after the repair: nothing called" "$(calls)" ""

# the model directory removed: fetched again, nothing submitted
rm -rf "$P/.accel/model"
mk -C "$P" train
is "model removed: fetch only" "$(calls)" "fetch .accel/status.json"

# each input that matters: exactly one new submit
change() {
	mk -C "$P" train "$@"
	check_status 0 "$what"
	is "$what: one submit, one wait, one fetch" "$(calls)" \
	    "submit .accel/request.json
wait .accel/job.json
fetch .accel/status.json"
	mk -C "$P" train "$@"
	is "$what: then nothing" "$(calls)" ""
}
what="a hyperparameter" change ACCEL_ARGS='--epochs 3'
what="back to the first hyperparameter" change
echo '# a comment' >> "$P/train.py"
what="the script" change
echo 'certifi' > "$P/requirements.txt"
what="requirements.txt" change
sed -i 's/^debug: false/debug: true/' "$P/accelerate.yaml"
what="the config" change
what="ACCEL_RUN=1" change ACCEL_RUN=1
echo 'not python' > "$P/data/notes.txt"
what="a file of the source directory" change

# a fresh clone: .accel absent, accel-submit attaches (the stand-in is
# asked once; train.t shows the real one sends no CreateTrainingJob)
rm -rf "$P/.accel"
mk -C "$P" train
is "fresh clone: submit (to attach), wait, fetch" "$(calls)" \
    "submit .accel/request.json
wait .accel/job.json
fetch .accel/status.json"

# a failing step leaves no output behind, and the next run retries it
echo '# another' >> "$P/train.py"
STUB_FAIL=submit mk -C "$P" train
is "submit fails: make fails" "$([ "$status" -ne 0 ] && echo yes)" yes
is "submit fails: no job.json" "$([ -e "$P/.accel/job.json" ] && echo yes)" ""
calls >/dev/null
mk -C "$P" train
is "after a failed submit: retried" "$(head -1 "$STUB_LOG")" \
    "submit .accel/request.json"
calls >/dev/null
echo '# and another' >> "$P/train.py"
STUB_FAIL=wait mk -C "$P" train
is "wait fails (job Failed): no status.json" \
    "$([ -e "$P/.accel/status.json" ] && echo yes)" ""
calls >/dev/null
mk -C "$P" train
is "after a failed wait: waits again, no new submit" "$(calls)" \
    "wait .accel/job.json
fetch .accel/status.json"

# V=1 shows the commands, make -s shows nothing of ours
mk -C "$P" V=1 accel-validate
check_stdout "$ST/accel-validate -o .accel/config.json accelerate.yaml
" "V=1 shows the command"
mk -C "$P" -s train
check_stdout "" "make -s: no labels"

# accel-request prints the body accel-submit would send, resolved from
# the flags without AWS (the real accel-submit; no AWS variables set)
mk -s -C "$P" accel-request ACCEL_BINDIR="$BIN" \
    ACCEL_DRY_RUN_FLAGS='--account 123456789012 --bucket my-bucket'
check_status 0 "accel-request with ACCEL_DRY_RUN_FLAGS"
cp "$T/out" "$T/body.json"
run python3 -c '
import json, sys
body = json.load(open(sys.argv[1]))
req = json.load(open(sys.argv[2]))["CreateTrainingJob"]
print(body["TrainingJobName"] == req["TrainingJobName"], body["RoleArn"],
      body["OutputDataConfig"]["S3OutputPath"])' "$T/body.json" "$P/.accel/request.json"
check_stdout "True arn:aws:iam::123456789012:role/accelerate_sagemaker_execution_role s3://my-bucket/
" "accel-request: the request's job, placeholders resolved from the flags"
env -u AWS_ENDPOINT_URL AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    AWS_EC2_METADATA_DISABLED=true HOME="$T" $MAKE --no-print-directory -C "$P" \
    accel-request ACCEL_BINDIR="$BIN" >"$T/out" 2>"$T/err" </dev/null
is "accel-request without credentials fails" "$?" 2
is "and says how to print it without AWS" "$(grep '^accel.mk:' "$T/err")" \
    "accel.mk: without AWS credentials, set ACCEL_DRY_RUN_FLAGS='--account ID --bucket NAME'"
is "accel-request calls no stand-in" "$(calls)" ""

# --- train-local: trains, then nothing; the model in its own directory
mk -C "$P" train-local
check_status 0 "train-local"
grep -q "^epoch 2: {'accuracy'" "$T/out"
is "train-local trains (epoch lines)" $? 0
job=$(ls "$P/.accel/local" | grep -v '^\.' | grep -v status.json | head -1)
check_same "train-local: the model of the job is in .accel/model-local" \
    "$P/.accel/model-local/model.json" "$P/.accel/local/$job/model/model.json"
snapshot "$P" > "$T/before"
mk -C "$P" train-local
check_stdout "  VALIDATE  accelerate.yaml
  REQUEST   train.py
" "second train-local does nothing"
snapshot "$P" > "$T/after"
check_same "second train-local changes no file" "$T/after" "$T/before"
is "train-local calls nothing networked" "$(calls)" ""

# make -j4 train train-local after a change: both chains, each file once
echo '# parallel' >> "$P/train.py"
mk -C "$P" -j4 train train-local
check_status 0 "make -j4 train train-local"
is "make -j4: one submit" "$(grep -c '^submit' "$STUB_LOG")" 1
grep -q '^epoch 2:' "$T/out"
is "make -j4: the local training ran" $? 0
calls >/dev/null
mk -C "$P" -j4 train train-local
is "make -j4 again: nothing" "$(calls)" ""

# --- style 2: a project with its own all, clean, help and default goal
O=$T/own
quickstart "$O"
cat > "$O/Makefile" <<EOF
.DEFAULT_GOAL := report
ACCEL_ARGS = --epochs 2
include $TOP/accel.mk
all: report
report:
	@echo own-report
clean: accel-clean
	@echo own-clean
help:
	@echo own-help
.PHONY: all report clean help
EOF
mk -C "$O"
check_stdout "own-report
" "own default goal kept"
mk -C "$O" help
check_stdout "own-help
" "own help kept"
mk -C "$O" train
is "own project: train" "$status $(calls | wc -l)" "0 3"
mk -C "$O" clean
check_stdout "own-clean
" "own clean runs"
is "own clean with accel-clean removed .accel" \
    "$([ -e "$O/.accel" ] && echo yes)" ""
# included first, before the first rule: the first rule still wins
printf 'include %s/accel.mk\nfirst:\n\t@echo own-first\n' "$TOP" > "$O/Makefile"
mk -C "$O"
check_stdout "own-first
" "included first: the user's first rule is the default goal"
mk -C "$O" --warn-undefined-variables -n train
check_stderr "" "--warn-undefined-variables is clean"

# --- style 3: recursive make into a project
R=$T/rec
mkdir -p "$R"
quickstart "$R/sub"
printf 'ACCEL_ARGS = --epochs 2\ninclude %s/accel.mk\n' "$TOP" > "$R/sub/Makefile"
printf 'all:\n\t@echo top-all\nmodel:\n\t$(MAKE) -C sub train ACCEL_BINDIR=%s\n' \
    "$ST" > "$R/Makefile"
run $MAKE --no-print-directory -C "$R"
check_stdout "top-all
" "recursive: the top default goal"
run $MAKE --no-print-directory -C "$R" model
check_status 0 "recursive: train in the sub-make"
is "recursive: submit, wait, fetch" "$(calls | wc -l)" 3
run $MAKE --no-print-directory -C "$R" model
is "recursive: second run calls nothing" "$(calls)" ""
run $MAKE --no-print-directory -C "$R" -n model
is "recursive: make -n calls nothing" "$(calls)" ""

# --- several trainings: accel-training
M=$T/multi
quickstart "$M"
cat > "$M/Makefile" <<EOF
include $TOP/accel.mk
small_ARGS = --epochs 1
big_ARGS = --epochs 3
\$(eval \$(call accel-training,small))
\$(eval \$(call accel-training,big))
EOF
mk -C "$M" -j2 train-small train-big
check_status 0 "two trainings in parallel"
is "two trainings: two submits" "$(grep -c '^submit' "$STUB_LOG")" 2
is "each in its own state directory" "$(calls | sort)" \
    "fetch .accel/big/status.json
fetch .accel/small/status.json
submit .accel/big/request.json
submit .accel/small/request.json
wait .accel/big/job.json
wait .accel/small/job.json"
is "and its own model directory" \
    "$(ls -d "$M"/.accel/small/model "$M"/.accel/big/model | wc -l)" 2
mk -C "$M" train-local-small
grep -q '^epoch 1:' "$T/out" && ! grep -q '^epoch 2:' "$T/out"
is "train-local-small: its own arguments" $? 0
mk -C "$M" train-small train-big
is "two trainings: second run calls nothing" "$(calls)" ""
mk -C "$M" accel-clean-small
is "accel-clean-small removes only its directory" \
    "$(ls "$M/.accel" | tr '\n' ' ')" "big "

done_testing
