#!/bin/sh
# existing.t - examples/existing-project: a Makefile with its own default
# goal, all, clean and help, and accel.mk included at its end.  The referee
# is the same Makefile without the accel.mk lines: each of the project's
# goals gives the same output, exit status and files with and without them;
# accel.mk's targets work beside them.
. "$(dirname "$0")/../cli/lib.sh"
MAKE=${MAKE:-make}
unset MAKEFLAGS MAKEOVERRIDES MFLAGS MAKELEVEL ACCEL_RUN
E=$TOP/examples/existing-project
for d in with without; do
	mkdir -p "$T/$d"
	cp -R "$E/." "$T/$d/"
	rm -rf "$T/$d/.accel" "$T/$d/data"
done
sed -i "s|^include ../../accel.mk|include $TOP/accel.mk|" "$T/with/Makefile"
sed -i '/^# accel.mk:/,$d' "$T/without/Makefile"
is "the referee has no accel.mk line" \
    "$(grep -c '^[^#].*accel' "$T/without/Makefile")" 0
files() { (cd "$1" && find . -path ./.accel -prune -o -print | sort); }

for goal in "" report all help "-n all" "-j2 all" data/train.csv clean; do
	# shellcheck disable=SC2086
	run $MAKE --no-print-directory -C "$T/without" $goal
	cp "$T/out" "$T/want.out"; cp "$T/err" "$T/want.err"; want=$status
	# shellcheck disable=SC2086
	run $MAKE --no-print-directory -C "$T/with" $goal
	is "make ${goal:-(default goal)}: same exit status" "$status" "$want"
	check_same "make ${goal:-(default goal)}: same stdout" "$T/out" "$T/want.out"
	check_same "make ${goal:-(default goal)}: same stderr" "$T/err" "$T/want.err"
	is "make ${goal:-(default goal)}: same files" "$(files "$T/with")" \
	    "$(files "$T/without")"
done

run $MAKE --no-print-directory -C "$T/with" train-local
check_status 0 "train-local beside the project's goals"
grep -q '^python3 src/prepare.py' "$T/out"
is "train-local made the data the code needs first" $? 0
grep -q '^centroids: {"0": \[' "$T/out"
is "the script ran" $? 0
is "the model is in .accel/model-local" \
    "$(ls "$T/with/.accel/model-local")" centroids.json
run $MAKE --no-print-directory -C "$T/with" train-local
check_stdout "  VALIDATE  accelerate.yaml
  REQUEST   src/train.py
" "second train-local does nothing"
run $MAKE --no-print-directory -C "$T/with" clean
check_stdout "rm -rf data
" "the project's clean, with accel-clean"
is "clean removed .accel too" "$([ -e "$T/with/.accel" ] && echo yes)" ""

done_testing
