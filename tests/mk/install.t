#!/bin/sh
# install.t - `make install PREFIX=/usr/local DESTDIR=...` puts the tools,
# every man page (accel.mk(7) too), accel.mk and the templates in place, and
# a project outside the source tree that includes the installed fragment
# finds the installed tools (PREFIX/share/accel/../../bin): train-local
# trains, a second run does nothing, accel-help works.
. "$(dirname "$0")/../cli/lib.sh"
MAKE=${MAKE:-make}
unset MAKEFLAGS MAKEOVERRIDES MFLAGS MAKELEVEL ACCEL_RUN
D=$T/dest
# This build's tools, and its flags as they are, so that install compiles
# nothing and leaves build/.flags alone (make check SANITIZE=... runs this).
tools=$(ls "$BIN"/accel-* | tr '\n' ' ')
run $MAKE --no-print-directory -C "$TOP" install PREFIX=/usr/local \
    DESTDIR="$D" TOOLS="$tools" FLAGS_TEXT="$(cat "$TOP/build/.flags" 2>/dev/null)"
check_status 0 "make install PREFIX=/usr/local DESTDIR=..."
P=$D/usr/local
for t in validate request submit wait fetch local sign; do
	is "installed: bin/accel-$t" "$([ -x "$P/bin/accel-$t" ] && echo yes)" yes
done
for m in "$TOP"/tools/*.1 "$TOP"/tools/*.7; do
	s=${m##*.}
	check_same "installed: man$s/${m##*/}" "$P/share/man/man$s/${m##*/}" "$m"
done
is "accel.mk(7) is among them" \
    "$([ -f "$P/share/man/man7/accel.mk.7" ] && echo yes)" yes
check_same "installed: share/accel/accel.mk" "$P/share/accel/accel.mk" \
    "$TOP/accel.mk"
check_same "installed: the CI template" \
    "$P/share/accel/templates/github-actions.yml" \
    "$TOP/templates/github-actions.yml"
check_same "installed: the image table" \
    "$P/share/accel/templates/huggingface-image-uris.json" \
    "$TOP/templates/huggingface-image-uris.json"

# a project elsewhere, tools not on PATH: the installed fragment finds them
W=$T/work
mkdir -p "$W"
cp -R "$TOP/examples/quickstart/." "$W/"
rm -rf "$W/.accel"
printf 'all:\n\t@echo mine\nACCEL_ARGS = --epochs 2\ninclude %s\n' \
    "$P/share/accel/accel.mk" > "$W/Makefile"
run env PATH=/usr/bin:/bin $MAKE --no-print-directory -C "$W"
check_stdout "mine
" "the project's default goal"
run env PATH=/usr/bin:/bin $MAKE --no-print-directory -C "$W" V=1 accel-validate
check_stdout "mkdir -p .accel
$P/share/accel/../../bin/accel-validate -o .accel/config.json accelerate.yaml
" "the installed fragment runs the installed tools"
run env PATH=/usr/bin:/bin $MAKE --no-print-directory -C "$W" train-local
check_status 0 "train-local with the installed fragment"
is "it trained two epochs" "$(grep -c '^epoch [12]: ' "$T/out")" 2
is "the model is in place" "$(ls "$W/.accel/model-local")" model.json
run env PATH=/usr/bin:/bin $MAKE --no-print-directory -C "$W" train-local
check_stdout "  VALIDATE  accelerate.yaml
  REQUEST   train.py
" "second train-local does nothing"
run env PATH=/usr/bin:/bin $MAKE --no-print-directory -C "$W" accel-help
is "accel-help reads the installed header" "$(head -1 "$T/out")" \
    "accel.mk - train a script on Amazon SageMaker from make."

# make train with the installed tools, against the fake AWS
. "$TOP/tests/aws/lib.sh"
fake_aws_start
printf '{"runner": "accel-local", "speed": 20}\n' > "$FAKE_AWS_DIR/sagemaker.json"
aws iam create-role --role-name accelerate_sagemaker_execution_role \
    --assume-role-policy-document '{"Version":"2012-10-17","Statement":[]}' \
    >/dev/null 2>&1
run env PATH=/usr/bin:/bin:$(dirname "$(command -v python3)") \
    ACCEL_WAIT_POLL_MS=50 $MAKE --no-print-directory -C "$W" train
check_status 0 "make train with the installed fragment and tools"
is "one job" "$(fake_aws_count sagemaker:CreateTrainingJob)" 1
if diff -r "$W/.accel/model" "$W/.accel/model-local" >"$T/diff"; then
	ok "its model is train-local's"
else
	not_ok "its model is train-local's" "$(head -10 "$T/diff")"
fi

done_testing
