#!/bin/sh
# local-hosts.t - InstanceCount 3: three hosts algo-1..algo-3, each with its
# own /opt/ml tree and resourceconfig, find each other through SM_HOSTS and
# a TCP rendezvous at MASTER_ADDR:MASTER_PORT; output lines carry the host
# name; one host failing fails the job and stops the others.
. "$TOP/tests/cli/lib.sh"

# job DIR SCRIPT
job() {
	mkdir -p "$1/src"
	cp "$2" "$1/src/train.py"
	tar -C "$1/src" -czf "$1/sourcedir.tar.gz" train.py
	cat >"$1/request.json" <<JSON
{"TrainingJobName": "hosts-test",
 "AlgorithmSpecification": {"TrainingInputMode": "File", "TrainingImage": "img"},
 "ResourceConfig": {"InstanceCount": 3, "InstanceType": "local", "VolumeSizeInGB": 30},
 "HyperParameters": {"sagemaker_program": "\"train.py\""}}
JSON
}

cat >"$T/rendezvous.py" <<'EOF2'
import json, os, socket, time
hosts = json.loads(os.environ["SM_HOSTS"])
me = os.environ["SM_CURRENT_HOST"]
addr, port = os.environ["MASTER_ADDR"], int(os.environ["MASTER_PORT"])
with open(os.path.join(os.environ["SM_INPUT_CONFIG_DIR"], "resourceconfig.json")) as f:
    rc = json.load(f)
assert rc["current_host"] == me and rc["hosts"] == hosts, rc
env = json.loads(os.environ["SM_TRAINING_ENV"])
assert env["is_master"] == (me == env["master_hostname"] == "algo-1")
if me == hosts[0]:
    server = socket.create_server((addr, port))
    conns, peers = [], []
    while len(peers) < len(hosts) - 1:
        c, _ = server.accept()
        peers.append(c.recv(64).decode())
        conns.append(c)
    peers.sort()
    for c in conns:
        c.sendall(",".join(peers).encode())
        c.close()
    print("master saw", ",".join(peers))
    with open(os.path.join(os.environ["SM_MODEL_DIR"], "peers"), "w") as f:
        f.write(",".join(peers))
else:
    for _ in range(1200):	# until the master listens
        try:
            c = socket.create_connection((addr, port))
            break
        except OSError:
            time.sleep(0.05)
    c.sendall(me.encode())
    print(me, "joined", c.recv(64).decode())
EOF2
job "$T/a" "$T/rendezvous.py"
run "$BIN/accel-local" "$T/a/request.json"
check_status 0 "three hosts rendezvous"
grep ' | ' "$T/out" | sort >"$T/lines"
check_text "each line carries its host" "$T/lines" "algo-1 | master saw algo-2,algo-3
algo-2 | algo-2 joined algo-2,algo-3
algo-3 | algo-3 joined algo-2,algo-3
"
R=$T/a/.accel/local/hosts-test
for h in 2 3; do
	check_text "algo-$h has its own resourceconfig" \
	    "$R.algo-$h/input/config/resourceconfig.json" \
	    "{\"current_host\": \"algo-$h\", \"hosts\": [\"algo-1\", \"algo-2\", \"algo-3\"], \"network_interface_name\": \"$(awk '$2 == "00000000" { print $1; exit }' /proc/net/route)\", \"current_instance_type\": \"local\"}"
done
is "the master's model is in model.tar.gz" \
    "$(python3 -c 'import sys, tarfile; t = tarfile.open(sys.argv[1]); print(t.getnames(), t.extractfile("peers").read().decode())' "$R/output/model.tar.gz")" \
    "['peers'] algo-2,algo-3"

cat >"$T/onefails.py" <<'EOF2'
import os, sys, time
shared = os.path.dirname(os.environ["SAGEMAKER_BASE_DIR"])
me = os.environ["SM_CURRENT_HOST"]
if me == "algo-2":
    # fail once the others run, so that they have to be stopped
    for _ in range(1200):
        if all(os.path.exists(os.path.join(shared, "up-" + h)) for h in ("algo-1", "algo-3")):
            break
        time.sleep(0.05)
    sys.stderr.write("ValueError: host two gives up\n")
    sys.exit(5)
print(os.getpgid(0), flush=True)
open(os.path.join(shared, "up-" + me), "w").close()
time.sleep(1000)
EOF2
job "$T/b" "$T/onefails.py"
run "$BIN/accel-local" "$T/b/request.json"
check_status 1 "one host failing fails the job"
R=$T/b/.accel/local/hosts-test
check_text "the failing host's failure file" "$R.algo-2/output/failure" \
    "ExecuteUserScriptError:
ExitCode 5
ErrorMessage \"ValueError: host two gives up\"
Command \"$(command -v python3) train.py\""
LEFT=0
for g in $(sed -n 's/^algo-[13] | \([0-9]*\)$/\1/p' "$T/out"); do
	LEFT=$((LEFT + $(ps -eo pgid= | awk -v g="$g" '$1 == g' | wc -l)))
done
is "the other hosts were stopped" "$LEFT" 0
is "both other hosts had started" "$(grep -c '^algo-[13] | [0-9]*$' "$T/out")" 2

done_testing
