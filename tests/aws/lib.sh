# tests/aws/lib.sh - the fake AWS for shell tests (sourced after
# tests/cli/lib.sh, which sets $T, $TOP and the TAP helpers).
#
#   . "$TOP/tests/cli/lib.sh"
#   . "$TOP/tests/aws/lib.sh"
#   fake_aws_start [--faults RATE --seed N ...]   # exports AWS_* (env file)
#   ... aws / bin/accel-* calls ...
#   fake_aws_count 'sagemaker:CreateTrainingJob'   # prints a number
#   wait_until 60 fake_aws_idle                    # every answer given
#
# The fake AWS is stopped when the test exits, however it exits.  When it
# cannot start, the test is skipped, except under CI=true where it fails.
FAKE_AWS=$TOP/tests/aws/fake-aws

fake_aws_start() {
	FAKE_AWS_DIR=$T/fake-aws
	export FAKE_AWS_DIR
	if "$FAKE_AWS" start "$@" >"$T/fake-aws.out" 2>"$T/fake-aws.err"; then
		. "$FAKE_AWS_DIR/env"
		return 0
	fi
	if [ "${CI:-}" = true ]; then
		not_ok "the fake AWS starts (CI=true: failing, not skipping)"
		sed 's/^/# /' "$T/fake-aws.err"
		done_testing
		exit 1
	fi
	ok "# SKIP the fake AWS cannot start: $(head -1 "$T/fake-aws.err")"
	sed 's/^/# /' "$T/fake-aws.err"
	done_testing
	exit 0
}

fake_aws_stop() {
	if [ -n "${FAKE_AWS_DIR:-}" ] && [ -d "$FAKE_AWS_DIR" ]; then
		"$FAKE_AWS" stop "$FAKE_AWS_DIR"
	fi
}

# fake_aws_count [--forwarded] [GLOB]: requests seen by the proxy
fake_aws_count() { "$FAKE_AWS" count "$@"; }

# fake_aws_holding: true while the proxy has read a request that it has
# not answered yet (a delayed one is read long before count sees it)
fake_aws_holding() {
	# shellcheck disable=SC2046
	set -- $("$FAKE_AWS" busy)
	[ "$#" -eq 3 ] && [ "$1" -gt "$2" ]
}

# fake_aws_idle: true when every request read has been answered and
# logged, and no client connection is open (wait_until 60 fake_aws_idle)
fake_aws_idle() {
	# shellcheck disable=SC2046
	set -- $("$FAKE_AWS" busy)
	[ "$#" -eq 3 ] && [ "$1" = "$2" ] && [ "$3" = 0 ]
}

# fake_aws_wait_job NAME [SECONDS]: poll the job (DescribeTrainingJob,
# straight to moto: not counted, no faults) every 50 ms in one Python
# process, until it has ended; prints Completed, Failed or Stopped, or
# "timeout" after SECONDS (default 300).  A loop of aws-cli calls would
# spend most of a core starting aws-cli.  Not for step-mode jobs, which
# every describe moves on.
fake_aws_wait_job() {
	python3 - "$1" "${2:-300}" <<'PY'
import os, sys, time, boto3
sm = boto3.client("sagemaker", endpoint_url=os.environ["FAKE_AWS_DIRECT_URL"])
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    s = sm.describe_training_job(TrainingJobName=sys.argv[1])
    if s["TrainingJobStatus"] in ("Completed", "Failed", "Stopped"):
        print(s["TrainingJobStatus"])
        break
    time.sleep(0.05)
else:
    print("timeout")
PY
}

# fake_aws_release [N]: the next N requests held by a "hold" fault go on
# (default 1); any fake_aws_faults lets all of them go
fake_aws_release() { "$FAKE_AWS" release "${1:-1}"; }

# fake_aws_faults RATE [--seed N] [--mix SPEC] [--ops GLOBS]: change the
# proxy's faults; the request numbering restarts (same seed, same faults)
fake_aws_faults() { "$FAKE_AWS" faults "$@" >/dev/null; }

trap 'fake_aws_stop; rm -rf "$T"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
