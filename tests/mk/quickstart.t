#!/bin/sh
# quickstart.t - README's main command on a fresh clone: the files git
# tracks (no .accel/, no model), with the tools of this build as its bin/:
# `make -C examples/quickstart train-local` validates, trains, prints the
# metrics and leaves the model in .accel/model-local; a second run trains
# nothing and changes no file.
. "$(dirname "$0")/../cli/lib.sh"
MAKE=${MAKE:-make}
unset MAKEFLAGS MAKEOVERRIDES MFLAGS MAKELEVEL ACCEL_RUN
C=$T/clone
mkdir -p "$C"
if git -C "$TOP" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$TOP" && git ls-files -z | xargs -0 cp --parents -t "$C")
else
	cp -R "$TOP/accel.mk" "$TOP/examples" "$C/"
	mkdir -p "$C/tools" && : > "$C/tools/accel-validate.c"
fi
rm -rf "$C/examples/quickstart/.accel"
ln -s "$BIN" "$C/bin"
Q=$C/examples/quickstart
snapshot() { find "$1" -exec stat -c '%n %Y %s' {} + | sort; }

run $MAKE -C "$Q" --no-print-directory train-local
check_status 0 "make -C examples/quickstart train-local"
is "it validates, requests, trains and extracts" \
    "$(grep '^  [A-Z]' "$T/out")" \
"  VALIDATE  accelerate.yaml
  REQUEST   train.py
  LOCAL     .accel/request.json
  FETCH     .accel/model-local"
is "it prints the metrics of every epoch" \
    "$(grep -c "^epoch [0-9]*: {'accuracy': [0-9.]*, 'f1': [0-9.]*}$" "$T/out")" 10
grep -q ' Completed - Training job completed$' "$T/out"
is "it ends Completed" $? 0
job=$(sed -n 's/^ *"TrainingJobName": "\(.*\)",*$/\1/p' \
    "$Q/.accel/request.json" | head -1)
check_same "the saved model is in .accel/model-local" \
    "$Q/.accel/model-local/model.json" \
    "$Q/.accel/local/$job/model/model.json"
python3 -c 'import json,sys; m = json.load(open(sys.argv[1])); sys.exit(0 if m["weights"] else 1)' \
    "$Q/.accel/model-local/model.json" 2>"$T/err"
is "the model is the script's JSON with its weights" $? 0

snapshot "$Q" > "$T/before"
run $MAKE -C "$Q" --no-print-directory train-local
check_status 0 "second run"
check_stdout "  VALIDATE  accelerate.yaml
  REQUEST   train.py
" "second run trains nothing"
snapshot "$Q" > "$T/after"
check_same "second run changes no file" "$T/after" "$T/before"

done_testing
