#!/bin/sh
# local-signal.t - Ctrl-C or SIGTERM stops the job like StopTrainingJob:
# SIGTERM to the host's whole process group, SIGKILL after the grace
# period, status Stopped, exit status 1, and no process of the group left
# (the script also starts a grandchild that would otherwise outlive it).
. "$TOP/tests/cli/lib.sh"

# job DIR SCRIPT
job() { local_job "$1" "$2" stop-test; }

# wait_for FILE: the script says it is ready (bounded, not a timing check)
wait_for() { wait_until 60 test -s "$1"; }

# left PGID: processes still in the group
left() { ps -eo pgid= | awk -v g="$1" '$1 == g' | wc -l; }

cat >"$T/polite.py" <<'EOF2'
import os, signal, subprocess, sys, time
out = os.environ["PROBE_OUT"]
subprocess.Popen(["sleep", "1000"])
def term(sig, frame):
    # SageMaker keeps what a SIGTERM handler saves
    open(os.path.join(os.environ["SM_MODEL_DIR"], "saved"), "w").write("x")
    sys.exit(0)
signal.signal(signal.SIGTERM, term)
open(os.path.join(out, "pgid"), "w").write(str(os.getpgid(0)))
while True:
    time.sleep(0.05)
EOF2
job "$T/a" "$T/polite.py"
"$BIN/accel-local" "$T/a/request.json" >"$T/out" 2>"$T/err" &
PID=$!
wait_for "$T/a/probe/pgid"
PGID=$(cat "$T/a/probe/pgid")
kill -INT $PID
wait $PID
status=$?
check_status 1 "SIGINT stops the job"
is "the script ran in a process group of its own" \
    "$([ "$PGID" != "$(ps -o pgid= $$ | tr -d ' ')" ] && echo own)" own
is "no process of the group is left" "$(left "$PGID")" 0
is "last status line" "$(tail -1 "$T/out" | cut -d' ' -f3-)" \
    "Stopped - Training job stopped"
python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))
print(s["TrainingJobStatus"], s["SecondaryStatus"], "FailureReason" in s)' \
    "$T/a/.accel/local/status.json" >"$T/st"
check_text "status.json says Stopped" "$T/st" "Stopped Stopped False
"
is "what the SIGTERM handler saved is in model.tar.gz" \
    "$(python3 -c 'import sys, tarfile; print(tarfile.open(sys.argv[1]).getnames())' \
    "$T/a/.accel/local/stop-test/output/model.tar.gz")" "['saved']"

cat >"$T/stubborn.py" <<'EOF2'
import os, signal, subprocess, time
subprocess.Popen(["sleep", "1000"])
signal.signal(signal.SIGTERM, signal.SIG_IGN)
open(os.path.join(os.environ["PROBE_OUT"], "pgid"), "w").write(str(os.getpgid(0)))
while True:
    time.sleep(0.05)
EOF2
job "$T/b" "$T/stubborn.py"
"$BIN/accel-local" --grace 1 "$T/b/request.json" >"$T/out" 2>"$T/err" &
PID=$!
wait_for "$T/b/probe/pgid"
PGID=$(cat "$T/b/probe/pgid")
kill -TERM $PID
wait $PID
status=$?
check_status 1 "SIGTERM stops a script that ignores SIGTERM"
is "SIGKILL after the grace period leaves nothing" "$(left "$PGID")" 0
is "status Stopped" "$(tail -1 "$T/out" | cut -d' ' -f3-)" \
    "Stopped - Training job stopped"

done_testing
