#!/bin/sh
# runner.t - tests/run itself, on throwaway tests: counts (a skip is not a
# pass; under CI=true it is a failure), a test that dies or prints no TAP
# line, a test that hangs past the timeout, output grouped per test while
# tests overlap, the summary line last, the exit status, and one directory
# of its own per test.
. "$TOP/tests/cli/lib.sh"
R=$TOP/tests/run
D=$T/tests
mkdir -p "$D"
ACCEL_TEST_TIMES=$T/times
export ACCEL_TEST_TIMES
# the runs below are outside CI unless a case says CI=true (.ci/run sets
# it for the whole suite)
unset CI

# Two tests that print their lines in turns: "a" waits for each of "b"'s
# lines before its next one, so both run at once and their lines alternate
# in time; the runner's output must still hold each test's lines together.
cat >"$D/a.t" <<'T'
. "$TOP/tests/cli/lib.sh"
for i in 1 2 3; do
	echo "ok $i - a$i"
	echo "$i" >"$DIR/a.$i"
	wait_until 30 test -e "$DIR/b.$i"
done
echo "not ok 4 - a fails"
echo "1..4"
exit 1
T
cat >"$D/b.t" <<'T'
. "$TOP/tests/cli/lib.sh"
for i in 1 2 3; do
	wait_until 30 test -e "$DIR/a.$i"
	echo "ok $i - b$i"
	echo "$i" >"$DIR/b.$i"
done
echo "not ok 4 - b fails"
echo "1..4"
T
printf 'echo "ok 1 - # SKIP no such thing here"\necho 1..1\n' >"$D/skip.t"
printf 'echo "ok 1 - fine"\nexit 3\n' >"$D/dies.t"
printf 'echo "nothing to say"\n' >"$D/silent.t"
printf 'echo "ok 1 - own dir: $(pwd) $TMPDIR"\necho 1..1\n' >"$D/where.t"
DIR=$T/sync
mkdir -p "$DIR"
export DIR

run "$R" -j 3 "$D"
check_status 1 "a failing run exits 1"
is "the summary is the last line" "$(tail -1 "$T/out")" \
    "8 passed, 4 failed, 1 skipped"
# each test's block is contiguous: its "# name" line, then only its lines
awk '/^# \// { name = $2; sub(/.*\//, "", name); next }
     /^    / && name != "" { print name, $0 }' "$T/out" >"$T/blocks"
is "each test's lines stay in its block" "$(grep -c '^a.t .*a fails' \
    "$T/blocks") $(grep -c '^b.t .*b fails' "$T/blocks") $(grep -c \
    -e '^b.t .*a fails' -e '^a.t .*b fails' "$T/blocks")" "1 1 0"
is "a test that exits non-zero after ok lines fails" \
    "$(grep -c '^dies.t .*not ok - .*dies.t exited 3' "$T/blocks")" 1
is "a test with no TAP line fails" \
    "$(grep -c '^silent.t .*not ok - .*silent.t ran no check' "$T/blocks")" 1
is "skipped tests are listed" "$(grep '^# skipped in:' "$T/out" |
    sed 's|/[^ ]*/||g')" "# skipped in: skip.t"
is "failed tests are listed" "$(grep '^# failed:' "$T/out" | tr ' ' '\n' |
    sed 's|.*/||' | sort | tr '\n' ' ')" "# a.t b.t dies.t failed: silent.t "

rm -f "$DIR"/*
run "$R" "$D/where.t"
where=$(sed -n 's/^ok 1 - own dir: //p' "$T/out")
run "$R" -k "$D/where.t"
kept=$(sed -n 's/^#   kept: //p' "$T/out")
is "each test runs in a directory of its own, its TMPDIR" \
    "$(sed -n 's/^ok 1 - own dir: //p' "$kept/log")" "$kept/tmp $kept/tmp"
rm -rf "${kept%/*}"

run "$R" "$D/skip.t"
check_status 0 "a skip alone: exit 0"
is "a skip is no pass" "$(tail -1 "$T/out")" "0 passed, 0 failed, 1 skipped"
CI=true run "$R" "$D/skip.t"
check_status 1 "CI=true: a skip fails the run"
is "CI=true: counted as a failure" "$(tail -1 "$T/out")" \
    "0 passed, 1 failed, 1 skipped"

printf 'echo "ok 1 - started"\nsleep 60\n' >"$T/hang.t"
ACCEL_TEST_TIMEOUT=1 run "$R" "$T/hang.t"
is "a test past ACCEL_TEST_TIMEOUT fails, named" \
    "$status $(grep -c 'not ok - .*hang.t timed out after 1 s' "$T/out")" "1 1"

run "$R" -j 0 "$D"
check_status 2 "-j 0 is a usage error"
run "$R" "$T/no-such.t"
check_status 2 "a missing test is a usage error"
is "...named" "$(cat "$T/err")" "tests/run: cannot open '$T/no-such.t': no such test"
is "the times of the run are kept for the next one's order" \
    "$(cut -f1 "$ACCEL_TEST_TIMES" | sort | tr '\n' ' ')" \
    "$(ls "$T"/tests/*.t "$T/hang.t" | sort | tr '\n' ' ')"
done_testing
