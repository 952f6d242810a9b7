#!/bin/sh
# tests/aws/wait-endpoint.t - the endpoint in JOB.json is for information
# only (issue 12): a restored or poisoned .accel/job.json that names another
# host gets no signed request; accel-wait asks the SageMaker endpoint of
# this environment, as accel-submit resolves it, and says so in one line.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
. "$TOP/tests/aws/wait-lib.sh"
fake_aws_start
wait_setup '{"epoch": 1700000000, "step": true}'
ACCEL_WAIT_POLL_MS=10
export ACCEL_WAIT_POLL_MS

# A listener on a kernel-picked port that notes every connection; it
# gives up by itself after 120 s should this script die first.
python3 - "$T/trap" >"$T/trap.port" 2>"$T/trap.err" <<'PY' &
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
s.settimeout(120)
print(s.getsockname()[1], flush=True)
while True:
    try:
        c, _ = s.accept()
    except OSError:
        break
    with open(sys.argv[1], "a") as f:
        f.write("connection\n")
    c.settimeout(2)
    try:
        f = open(sys.argv[1] + ".req", "ab")
        f.write(c.recv(65536))
        f.close()
    except OSError:
        pass
    c.close()
PY
trap_pid=$!
wait_until 60 test -s "$T/trap.port"
port=$(cat "$T/trap.port")
[ -n "$port" ] && ok "the trap listener is up" ||
    not_ok "the trap listener is up" "$(cat "$T/trap.err")"

D=$T/poisoned
wait_job poisoned 1 "$D"
sed "s|\"endpoint\": \"[^\"]*\"|\"endpoint\": \"http://127.0.0.1:$port\"|" \
    "$D/job.json" >"$D/job.json.new" && mv "$D/job.json.new" "$D/job.json"
grep -q "127.0.0.1:$port" "$D/job.json" && ok "job.json is poisoned" ||
    not_ok "job.json is poisoned" "$(cat "$D/job.json")"

run "$BIN/accel-wait" --once "$D/job.json"
check_status 0 "--once with a poisoned endpoint: exit 0"
check_stdout "2023-11-14 22:13:20 Starting - Starting the training job
" "--once: the status comes from this environment's endpoint"
check_stderr "accel-wait: $D/job.json records the endpoint 'http://127.0.0.1:$port'; asking '$AWS_ENDPOINT_URL', the SageMaker endpoint of this environment
" "--once: one line says the recorded endpoint is not used"
is "the recorded endpoint got no connection" \
    "$(cat "$T/trap" 2>/dev/null | wc -l | tr -d ' ')" 0
is "this environment's endpoint got the DescribeTrainingJob" \
    "$(fake_aws_count sagemaker:DescribeTrainingJob)" 1

# A control character in the recorded endpoint is not echoed raw.
printf '{"name": "poisoned", "region": "us-east-1", "endpoint": "http://x\\u001b[2J"}\n' \
    >"$D/job.json"
run "$BIN/accel-wait" --once "$D/job.json"
check_status 0 "an endpoint with an escape: exit 0"
if grep -q "$(printf '\033')" "$T/err"; then
	not_ok "the escape does not reach stderr" "$(cat -v "$T/err")"
else
	ok "the escape does not reach stderr"
fi

# The same endpoint as this environment's: nothing to say.
wait_job quiet 1 "$T/quiet"
run "$BIN/accel-wait" --once "$T/quiet/job.json"
check_status 0 "the recorded endpoint is this one: exit 0"
check_stderr "" "the recorded endpoint is this one: nothing said"

kill "$trap_pid" 2>/dev/null
wait "$trap_pid" 2>/dev/null
is "still no connection at the end" \
    "$(cat "$T/trap" 2>/dev/null | wc -l | tr -d ' ')" 0
done_testing
