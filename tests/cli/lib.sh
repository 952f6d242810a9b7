# lib.sh - shared prelude of the CLI tests (sourced).  Each test script runs
# tools from $BIN (set by tests/run), compares exit status, stdout and stderr
# exactly, and prints TAP lines; done_testing prints the plan and sets the
# exit status.  Scratch files live in $T, removed at exit.
set -u
LC_ALL=C
export LC_ALL
: "${BIN:?tests/run sets BIN}"
: "${TOP:?tests/run sets TOP}"
T=$(mktemp -d "${TMPDIR:-/tmp}/accel-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
__n=0
__failed=0

ok() { __n=$((__n + 1)); echo "ok $__n - $1"; }
not_ok() {
	__n=$((__n + 1)); __failed=$((__failed + 1))
	echo "not ok $__n - $1"
	shift
	for l in "$@"; do printf '# %s\n' "$l"; done
}

# run CMD...: captures $T/out, $T/err and $status
run() {
	"$@" >"$T/out" 2>"$T/err" </dev/null
	status=$?
}

# is NAME GOT WANT
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		not_ok "$1" "got:  $2" "want: $3"; fi
}

check_status() { is "$2 (exit status)" "$status" "$1"; }

# check_text NAME FILE EXPECTED: FILE's whole text equals EXPECTED
check_text() {
	if printf '%s' "$3" | cmp -s - "$2"; then ok "$1"; else
		not_ok "$1" "$(printf '%s' "$3" | diff -u - "$2" | head -40)"
	fi
}
check_stdout() { check_text "$2 (stdout)" "$T/out" "$1"; }
check_stderr() { check_text "$2 (stderr)" "$T/err" "$1"; }

# check_same NAME FILE1 FILE2: byte-identical files
check_same() {
	if cmp -s "$2" "$3"; then ok "$1"; else
		not_ok "$1" "$(diff -u "$3" "$2" | head -40)"; fi
}

# wait_until SECONDS CMD...: run CMD every 50 ms until it succeeds (0) or
# SECONDS have passed (1).  Tests wait on conditions, never on a bare sleep:
# a sleep long enough on a quiet machine is too short on a loaded one.
wait_until() {
	_wu_end=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -ge "$_wu_end" ] && return 1
		sleep 0.05
	done
}

# local_job DIR SCRIPT NAME: a one-host accel-local job of SCRIPT in DIR:
# DIR/sourcedir.tar.gz, DIR/request.json (job NAME, PROBE_OUT=DIR/probe
# in its environment, for the script to report through)
local_job() {
	mkdir -p "$1/src" "$1/probe"
	cp "$2" "$1/src/train.py"
	tar -C "$1/src" -czf "$1/sourcedir.tar.gz" train.py
	cat >"$1/request.json" <<JSON
{"TrainingJobName": "$3",
 "AlgorithmSpecification": {"TrainingInputMode": "File", "TrainingImage": "img"},
 "ResourceConfig": {"InstanceCount": 1, "InstanceType": "local", "VolumeSizeInGB": 30},
 "HyperParameters": {"sagemaker_program": "\"train.py\""},
 "Environment": {"PROBE_OUT": "$1/probe"}}
JSON
}

done_testing() {
	echo "1..$__n"
	[ "$__failed" -eq 0 ]
}
