#!/bin/sh
# validate.t - accel-validate: usage, the good configs against their
# normalized JSON, every broken config against its exact diagnostics
# (tests/validate/bad/NAME.expected), and the output-file rules.
. "$(dirname "$0")/lib.sh"
V=$BIN/accel-validate
D=$TOP/tests/validate

# --- usage
run "$V"
check_status 2 "no argument"
check_stderr "accel-validate: no CONFIG given
accel-validate: try 'accel-validate --help'
" "no argument"
run "$V" -x a.yaml
check_status 2 "unknown option"
check_stderr "accel-validate: unknown option '-x'
accel-validate: try 'accel-validate --help'
" "unknown option"
run "$V" a.yaml b.yaml
check_status 2 "two configs"
run "$V" -o
check_status 2 "-o without a file"
run "$V" --version
check_status 0 "--version"
check_stdout "accel-validate 0.1.0
" "--version"
run "$V" --help
check_status 0 "--help"
is "--help names the usage" "$(head -1 "$T/out")" \
    "usage: accel-validate [-o OUT.json] CONFIG"
run "$V" "$T/none.yaml"
check_status 1 "missing config"
check_stderr "accel-validate: cannot open '$T/none.yaml': No such file or directory
" "missing config"

# --- good configs: exit 0, the normalized JSON byte for byte, warnings
cd "$D/good" || exit 1
for f in *.yaml *.json; do
	n=${f%.*}
	run "$V" "$f"
	check_status 0 "good $f"
	check_same "good $f (stdout)" "$T/out" "$D/expected/$n.json"
	if [ -f "$D/expected/$n.stderr" ]; then
		check_same "good $f (stderr)" "$T/err" "$D/expected/$n.stderr"
	else
		check_stderr "" "good $f"
	fi
done

# --- broken configs: exit 1, nothing on stdout, every diagnostic exactly
cd "$D/bad" || exit 1
nbad=0
for f in *.yaml *.json; do
	n=${f%.*}
	nbad=$((nbad + 1))
	run "$V" "$f"
	check_status 1 "bad $f"
	check_stdout "" "bad $f"
	check_same "bad $f (stderr)" "$T/err" "$n.expected"
done
is "at least 100 broken configs" "$([ "$nbad" -ge 100 ] && echo yes)" yes
is "five independent errors, five reports" \
    "$(grep -c ': error: ' five-errors.expected)" 5

# --- TSV paths are relative to the config's directory, not the cwd
cd "$T" || exit 1
run "$V" "$D/good/notebooks-text-classification.yaml"
check_status 0 "config from another directory"
check_same "config from another directory (stdout)" "$T/out" \
    "$D/expected/notebooks-text-classification.json"
run "$V" "$D/bad/inputs-blank-line.yaml"
check_stderr "$D/bad/inputs-blank-line.tsv:3:1: error: blank line
" "a TSV error names the TSV by its path"

# --- -o: written, rewritten only on change, untouched on error
run "$V" -o "$T/config.json" "$D/good/accelerate-default.yaml"
check_status 0 "-o writes"
check_stdout "" "-o writes"
check_same "-o content" "$T/config.json" "$D/expected/accelerate-default.json"
ino1=$(ls -i "$T/config.json" | cut -d' ' -f1)
run "$V" -o "$T/config.json" "$D/good/accelerate-default.yaml"
ino2=$(ls -i "$T/config.json" | cut -d' ' -f1)
is "-o same bytes keeps the file" "$ino2" "$ino1"
run "$V" -o "$T/config.json" "$D/bad/five-errors.yaml"
check_status 1 "-o with a broken config"
check_same "-o keeps the old output on error" "$T/config.json" \
    "$D/expected/accelerate-default.json"
run "$V" -o - "$D/good/accelerate-default.yaml"
check_same "-o - is stdout" "$T/out" "$D/expected/accelerate-default.json"
run "$V" -o /dev/null "$D/good/accelerate-default.yaml"
check_status 0 "-o /dev/null is written in place"

# --- stdin
run sh -c "'$V' - < '$D/good/accelerate-default.yaml'"
check_status 0 "config on stdin"

# --- limits
head -c 1048577 /dev/zero | tr '\0' '#' > "$T/big.yaml"
run "$V" "$T/big.yaml"
check_status 1 "a config over 1 MiB"
check_stderr "accel-validate: '$T/big.yaml' is larger than the limit of 1048576 bytes
" "a config over 1 MiB"

done_testing
