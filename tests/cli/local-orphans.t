#!/bin/sh
# local-orphans.t - accel-local owns every process of a job (issue 12 B4),
# as SageMaker's container teardown does: a child in a session of its own
# (start_new_session=True) and a double-forked daemon are killed when the
# script ends; after kill -9 of accel-local the script and what it started
# die too (the parent-death signal of the host's shim); a second
# accel-local on a job that runs refuses.  What is left is counted by
# session and by process group, polling with a deadline.
. "$TOP/tests/cli/lib.sh"

# job DIR SCRIPT
job() { local_job "$1" "$2" orphan-test; }

# wait_for FILE: until FILE has text, for at most 60 s
wait_for() { wait_until 60 test -s "$1"; }

# in_session SID / in_group PGID / alive PID: how many processes
in_session() { ps -eo sid= | awk -v s="$1" '$1 == s' | wc -l | tr -d ' '; }
in_group() { ps -eo pgid= | awk -v g="$1" '$1 == g' | wc -l | tr -d ' '; }
alive() { ps -o pid= -p "$1" | wc -l | tr -d ' '; }

# gone NAME CMD ARG: CMD ARG reaches 0 within 30 s (a kill takes a moment
# to land when nobody waits for it)
none_left() { [ "$($1 "$2")" = 0 ]; }
gone() {
	wait_until 30 none_left "$2" "$3"
	is "$1" "$($2 "$3")" 0
}

# The script's helpers leave; its probe says where they went.
cat >"$T/leave.py" <<'EOF2'
import os, subprocess, sys, time
out = os.environ["PROBE_OUT"]
# a session of its own
p = subprocess.Popen(["sleep", "1000"], start_new_session=True)
# a classic daemon: fork, setsid, fork again, the middle one exits
r, w = os.pipe()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.write(w, str(os.getpid()).encode())
        os.close(w)
        os.execvp("sleep", ["sleep", "1000"])
    os._exit(0)
os.close(w)
daemon = os.read(r, 64).decode()
os.wait()
with open(os.path.join(out, "pids"), "w") as f:
    f.write("%d %d %s %d\n" % (p.pid, os.getsid(p.pid), daemon,
                               os.getsid(int(daemon))))
if len(sys.argv) > 1 and sys.argv[1] == "--wait":
    open(os.path.join(out, "ready"), "w").write(str(os.getpgid(0)))
    while True:
        time.sleep(1)
EOF2

# --- the script ends: what it left is killed before accel-local exits
job "$T/a" "$T/leave.py"
run "$BIN/accel-local" --no-install "$T/a/request.json"
check_status 0 "a script that leaves helpers completes"
read -r SPID SSID DPID DSID <"$T/a/probe/pids"
[ "$SSID" = "$SPID" ] && [ "$DSID" != "$SSID" ] &&
    ok "the helpers were in sessions of their own" ||
    not_ok "the helpers were in sessions of their own" "$(cat "$T/a/probe/pids")"
is "the start_new_session child is gone when accel-local exits" \
    "$(in_session "$SSID")" 0
is "the double-forked daemon is gone when accel-local exits" \
    "$(in_session "$DSID")" 0
is "the daemon's pid is not alive" "$(alive "$DPID")" 0

# --- kill -9 of accel-local: the script and its helpers die too
job "$T/b" "$T/leave.py"
sed -i 's/"train.py\\""}/"train.py\\"", "wait": "1"}/' "$T/b/request.json"
"$BIN/accel-local" --no-install "$T/b/request.json" >"$T/b/out" 2>"$T/b/err" &
PID=$!
wait_for "$T/b/probe/ready"
[ -s "$T/b/probe/ready" ] && ok "the waiting script is ready" ||
    not_ok "the waiting script is ready" "$(cat "$T/b/err")"
PGID=$(cat "$T/b/probe/ready")
read -r SPID SSID DPID DSID <"$T/b/probe/pids"

# a second run of the same job refuses while the first runs
run "$BIN/accel-local" --no-install "$T/b/request.json"
check_status 1 "a second accel-local on a running job"
check_stderr "accel-local: job orphan-test is already running in '$T/b/.accel/local'
" "a second accel-local says why"

kill -9 "$PID"
wait "$PID" 2>/dev/null
gone "kill -9: the script's process group is gone" in_group "$PGID"
gone "kill -9: the start_new_session child is gone" in_session "$SSID"
gone "kill -9: the daemon is gone" in_session "$DSID"

# and the job can run again (the lock went with the last process)
run "$BIN/accel-local" --no-install "$T/a/request.json"
check_status 0 "after kill -9, a rerun runs"

done_testing
