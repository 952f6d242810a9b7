#!/bin/sh
# accel-mk.t - accel.mk as a guest in scratch projects (style-anchors 7):
# the default goal is the user's, included first or last; accel-validate
# writes .accel/config.json and a second run leaves it alone; tools are
# found in a built tree, an installed tree or PATH, built on demand in a
# source tree, and a missing tool is a clear error that does not break the
# user's other goals; --warn-undefined-variables is clean.
. "$(dirname "$0")/../cli/lib.sh"
MAKE=${MAKE:-make}
GOOD=$TOP/tests/validate/good/accelerate-default.yaml
WANT=$TOP/tests/validate/expected/accelerate-default.json
unset MAKEFLAGS MAKEOVERRIDES MFLAGS MAKELEVEL

# A project whose Makefile has its own default goal, accel.mk at $1.
project() {
	mkdir -p "$2"
	cp "$GOOD" "$2/accelerate.yaml"
	if [ "$3" = first ]; then
		printf 'include %s\nall:\n\t@echo user-all\nclean: accel-clean\n\t@echo user-clean\n' "$1" > "$2/Makefile"
	else
		printf 'all:\n\t@echo user-all\nclean: accel-clean\n\t@echo user-clean\ninclude %s\n' "$1" > "$2/Makefile"
	fi
}

# --- a built tree: accel.mk beside bin/
mkdir -p "$T/tree/bin"
cp "$TOP/accel.mk" "$T/tree/"
ln -s "$BIN/accel-validate" "$T/tree/bin/accel-validate"
for where in first last; do
	project "$T/tree/accel.mk" "$T/p-$where" $where
	run $MAKE -C "$T/p-$where" --no-print-directory
	check_status 0 "default goal, included $where"
	check_stdout "user-all
" "default goal, included $where"
done
P=$T/p-last
run $MAKE -C "$P" --no-print-directory --warn-undefined-variables accel-validate
check_status 0 "accel-validate"
check_stdout "  VALIDATE  accelerate.yaml
" "accel-validate (quiet)"
check_stderr "" "--warn-undefined-variables is clean"
check_same "config.json is the normalized config" "$P/.accel/config.json" "$WANT"
ino1=$(ls -i "$P/.accel/config.json" | cut -d' ' -f1)
touch -d '2000-01-01' "$P/.accel/config.json"
run $MAKE -C "$P" --no-print-directory accel-validate
is "second run keeps config.json (inode)" \
    "$(ls -i "$P/.accel/config.json" | cut -d' ' -f1)" "$ino1"
is "second run keeps config.json (mtime)" \
    "$(date -r "$P/.accel/config.json" +%Y)" 2000
run $MAKE -C "$P" --no-print-directory V=1 accel-validate
check_stdout "$T/tree/bin/accel-validate -o .accel/config.json accelerate.yaml
" "V=1 shows the command"
run $MAKE -C "$P" --no-print-directory -n accel-validate
check_stdout "printf '  %-9s %s\\n' VALIDATE accelerate.yaml
$T/tree/bin/accel-validate -o .accel/config.json accelerate.yaml
" "make -n prints the command"
run $MAKE -C "$P" --no-print-directory clean
check_status 0 "the user's clean with accel-clean"
check_stdout "user-clean
" "the user's clean runs"
is "accel-clean removed .accel" "$([ -e "$P/.accel" ] && echo yes)" ""

run $MAKE -C "$P" --no-print-directory accel-help
is "accel-help prints the header" "$(head -1 "$T/out")" \
    "accel.mk - train a script on Amazon SageMaker from make."

# a broken config: make fails, config.json untouched
run $MAKE -C "$P" --no-print-directory accel-validate ACCEL_CONFIG=$TOP/tests/validate/bad/five-errors.yaml
is "a broken config fails make" "$([ "$status" -ne 0 ] && echo yes)" yes
is "five errors reach the user" "$(grep -c ': error: ' "$T/err")" 5

# included twice: the guard keeps it quiet
printf 'all:\n\t@echo user-all\ninclude %s\ninclude %s\n' \
    "$T/tree/accel.mk" "$T/tree/accel.mk" > "$T/twice.mk"
run $MAKE -C "$P" --no-print-directory -f "$T/twice.mk"
check_stderr "" "included twice: no warnings"
check_stdout "user-all
" "included twice: default goal kept"

# --- installed: PREFIX/share/accel/accel.mk and PREFIX/bin
mkdir -p "$T/prefix/share/accel" "$T/prefix/bin"
cp "$TOP/accel.mk" "$T/prefix/share/accel/"
ln -s "$BIN/accel-validate" "$T/prefix/bin/accel-validate"
project "$T/prefix/share/accel/accel.mk" "$T/p-inst" last
run $MAKE -C "$T/p-inst" --no-print-directory V=1 accel-validate
check_stdout "mkdir -p .accel
$T/prefix/share/accel/../../bin/accel-validate -o .accel/config.json accelerate.yaml
" "installed layout finds ../../bin"

# --- on PATH only
mkdir -p "$T/lone" "$T/pathbin"
cp "$TOP/accel.mk" "$T/lone/"
ln -s "$BIN/accel-validate" "$T/pathbin/accel-validate"
project "$T/lone/accel.mk" "$T/p-path" last
run env PATH="$T/pathbin:$PATH" $MAKE -C "$T/p-path" --no-print-directory accel-validate
check_status 0 "tool found on PATH"

# --- no tool anywhere: the user's goals work, ours explain
run env PATH=/usr/bin:/bin $MAKE -C "$T/p-path" --no-print-directory
check_status 0 "missing tool does not break the user's goal"
run env PATH=/usr/bin:/bin $MAKE -C "$T/p-path" --no-print-directory accel-validate
is "missing tool fails accel-validate" "$([ "$status" -ne 0 ] && echo yes)" yes
is "missing tool: how to get it" "$(head -2 "$T/err")" \
"accel.mk: cannot find accel-validate (looked in $T/lone/bin, $T/lone/../../bin and PATH).
accel.mk: build the tools with 'make' in the accel.mk source tree, install them with 'make install', or set ACCEL_BINDIR."

# --- a source tree without built tools: built with \$(MAKE) -C tree tools
mkdir -p "$T/src/tools"
cp "$TOP/accel.mk" "$T/src/"
: > "$T/src/tools/accel-validate.c"
printf '.PHONY: tools\ntools:\n\tmkdir -p bin && ln -s %s bin/accel-validate && echo built\n' \
    "$BIN/accel-validate" > "$T/src/Makefile"
project "$T/src/accel.mk" "$T/p-src" last
run $MAKE -C "$T/p-src" --no-print-directory accel-validate
check_status 0 "source tree: tools built on demand"
is "source tree: the tree's tools target ran" "$(grep -c '^built$' "$T/out")" 1
check_same "source tree: config.json" "$T/p-src/.accel/config.json" "$WANT"
run $MAKE -C "$T/p-src" --no-print-directory accel-validate
is "source tree: built once" "$(grep -c '^built$' "$T/out")" 0

# --- the example project of this repository
run $MAKE -C "$TOP/examples/quickstart" --no-print-directory ACCEL_DIR="$T/qs" accel-validate
check_status 0 "examples/quickstart accel-validate"
run "$BIN/accel-validate" "$TOP/examples/quickstart/accelerate.yaml"
check_same "examples/quickstart config.json" "$T/qs/config.json" "$T/out"
run $MAKE -C "$TOP/examples/quickstart" --no-print-directory
check_stdout "quickstart: 'make train-local' trains here, 'make train' on SageMaker ('make accel-help' for more)
" "examples/quickstart keeps its own default goal"

done_testing
