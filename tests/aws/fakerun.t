#!/bin/sh
# tests/aws/fakerun.t - the fake AWS runs a training job for real (runner
# "accel-local", tests/aws/fakeaws_run.py), seen through aws-cli: the code
# and a channel come from the fake's S3, the script's lines become log
# events in order, model.tar.gz and output.tar.gz land in S3OutputPath,
# a failing script fails the job with the toolkit's text, and a stop
# leaves no process behind.  The four jobs run at the same time.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
FAKE_AWS_ACCEL_LOCAL=$BIN/accel-local
export FAKE_AWS_ACCEL_LOCAL
fake_aws_start
cat >"$FAKE_AWS_DIR/sagemaker.json" <<'EOF'
{"runner": "accel-local", "grace": 10,
 "timeline": {"Starting": 0.3, "Downloading": 0.1, "Training": 0.2,
              "Uploading": 0.1},
 "jobs": {"step-*": {"step": true, "epoch": 1700000000}}}
EOF
G=/aws/sagemaker/TrainingJobs

# --- the code: three sourcedir.tar.gz, a channel's data ----------------------
mkdir -p "$T/s3/code" "$T/s3/data/train" "$T/ok" "$T/fail" "$T/stop"
cat >"$T/ok/train.py" <<'EOF'
import os, sys, time
host = os.environ["SM_CURRENT_HOST"]
print("starts on", host)
print("args", " ".join(sys.argv[1:]))
print("a line on stderr", file=sys.stderr)
with open(os.path.join(os.environ["SM_CHANNEL_TRAIN"], "rows.csv")) as f:
    for row in f:
        print("row", row.strip())
time.sleep(1.2)
with open(os.path.join(os.environ["SM_MODEL_DIR"], f"model-{host}.txt"),
          "w") as f:
    f.write(f"weights of {os.environ['TRAINING_JOB_NAME']} on {host}\n")
with open(os.path.join(os.environ["SM_OUTPUT_DATA_DIR"], "metrics.txt"),
          "w") as f:
    f.write("loss 0.25\n")
print("saved")
EOF
cat >"$T/fail/train.py" <<'EOF'
import sys
print("about to fail")
sys.stderr.write("ValueError: bad value 42\n")
sys.exit(3)
EOF
cat >"$T/stop/train.py" <<'EOF'
import os, subprocess, time
child = subprocess.Popen(["sleep", "600"])
print("pids", os.getpid(), child.pid, flush=True)
time.sleep(600)
EOF
for c in ok fail stop; do
	tar czf "$T/s3/code/$c.tar.gz" -C "$T/$c" train.py
done
printf '1,2\n3,4\n' >"$T/s3/data/train/rows.csv"
run aws s3 mb s3://fakerun
run aws s3 cp --recursive --quiet "$T/s3" s3://fakerun/
is "code and data uploaded with aws-cli" "$status $(cat "$T/err")" "0 "

# body NAME CODE HOSTS: a CreateTrainingJob body naming its code
body() {
	cat >"$T/$1.json" <<EOF
{"TrainingJobName": "$1",
 "RoleArn": "arn:aws:iam::123456789012:role/fakerun",
 "AlgorithmSpecification": {"TrainingImage": "img:1",
                            "TrainingInputMode": "File"},
 "HyperParameters": {"sagemaker_program": "\"train.py\"",
    "sagemaker_submit_directory": "\"s3://fakerun/code/$2.tar.gz\"",
    "epochs": "2"},
 "InputDataConfig": [{"ChannelName": "train", "DataSource": {
    "S3DataSource": {"S3DataType": "S3Prefix",
                     "S3Uri": "s3://fakerun/data/train",
                     "S3DataDistributionType": "FullyReplicated"}}}],
 "OutputDataConfig": {"S3OutputPath": "s3://fakerun/out"},
 "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": $3,
                    "VolumeSizeInGB": 10},
 "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}
EOF
}
body run-ok ok 1
body run-two ok 2
body run-fail fail 1
body run-stop stop 1
body run-left stop 1
body step-ok ok 1

# aws-cli starts slowly (about a second on a busy machine): it makes the
# calls the test is about on run-ok, boto3 (the same botocore) the rest in
# one process each.
cat >"$T/client.py" <<'EOF'
import json, sys, time
import boto3
from botocore.config import Config

cfg = Config(retries={"total_max_attempts": 1, "mode": "standard"})
sm = boto3.client("sagemaker", config=cfg)
logs = boto3.client("logs", config=cfg)
G = "/aws/sagemaker/TrainingJobs"
POLLS = 600                 # 0.1 s apart: a bound, not a timing
# TrainingTimeInSeconds: the ok script sleeps 1.2 s, so at least 1

def messages(stream):
    ev = logs.get_log_events(logGroupName=G, logStreamName=stream,
                             startFromHead=True)["events"]
    return [e["message"] for e in ev]

def streams(prefix):
    return [s["logStreamName"] for s in logs.describe_log_streams(
        logGroupName=G, logStreamNamePrefix=prefix)["logStreams"]]

def summary(name, least):
    d = sm.describe_training_job(TrainingJobName=name)
    t, b = d.get("TrainingTimeInSeconds"), d.get("BillableTimeInSeconds")
    seconds = "ok" if isinstance(t, int) and t >= least and b == t \
        else (t, b)
    return "\n".join([
        f'{name} {d["TrainingJobStatus"]} {d["SecondaryStatus"]}',
        " ".join(t["Status"] for t in d["SecondaryStatusTransitions"]),
        str(d.get("ModelArtifacts", {}).get("S3ModelArtifacts")),
        f"seconds {seconds}",
        str(d.get("FailureReason"))])

what, args = sys.argv[1], sys.argv[2:]
if what == "create":
    for f in args:
        sm.create_training_job(**json.load(open(f)))
elif what == "pids":            # the stop script's "pids" line, once logged
    for _ in range(POLLS):
        for s in streams(args[0] + "/"):
            for m in messages(s):
                if m.startswith("pids "):
                    print(m[5:])
                    sys.exit(0)
        time.sleep(0.1)
    print("never logged")
elif what == "wait":            # wait for JOB ... to end; a summary each
    for name in args:
        for _ in range(POLLS):
            d = sm.describe_training_job(TrainingJobName=name)
            if d["TrainingJobStatus"] not in ("InProgress", "Stopping"):
                break
            time.sleep(0.1)
        print(summary(name, 0 if name in ("run-fail", "run-stop") else 1))
elif what == "phase":          # JOB...: its events lie within Training
    for name in args:
        d = sm.describe_training_job(TrainingJobName=name)
        t = [t for t in d["SecondaryStatusTransitions"]
             if t["Status"] == "Training"][0]
        lo = int(t["StartTime"].timestamp() * 1000)
        hi = int(t["EndTime"].timestamp() * 1000)
        ts = [e["timestamp"] for s in streams(name + "/") for e in
              logs.get_log_events(logGroupName=G, logStreamName=s,
                                  startFromHead=True)["events"]]
        print(name, "starts", int(d["CreationTime"].timestamp()),
              "events", len(ts), "within Training" if ts and
              all(lo <= x <= hi for x in ts) else (lo, hi, ts))
elif what == "streams":
    print("\n".join(streams(args[0])))
elif what == "logs":            # STREAM...: messages; order of timestamps
    for s in args:
        ev = logs.get_log_events(logGroupName=G, logStreamName=s,
                                 startFromHead=True)["events"]
        ts = [e["timestamp"] for e in ev]
        print(f"== {s}", "" if ts == sorted(ts) else f"out of order: {ts}")
        for e in ev:
            print(e["message"])
EOF

# --- run-ok with aws-cli -------------------------------------------------------
run aws sagemaker create-training-job --cli-input-json "file://$T/run-ok.json"
is "aws sagemaker create-training-job" "$status $(cat "$T/err")" "0 "
run python3 "$T/client.py" create "$T/run-two.json" "$T/run-fail.json" \
    "$T/run-stop.json" "$T/run-left.json" "$T/step-ok.json"
is "five more jobs created" "$status $(cat "$T/err")" "0 "

# --- stop: once the script runs, StopTrainingJob ends it and its child ------
pids=$(python3 "$T/client.py" pids run-stop)
is "run-stop's script runs and logs" "$(echo "$pids" | wc -w)" 2
run aws sagemaker stop-training-job --training-job-name run-stop
is "aws sagemaker stop-training-job" "$status $(cat "$T/err")" "0 "

# --- run-ok ends (polled by one Python process); aws-cli reads the end ---
fake_aws_wait_job run-ok >/dev/null
s=$(aws sagemaker describe-training-job --training-job-name run-ok \
    --query '[TrainingJobStatus,SecondaryStatus]' --output text 2>&1)
is "aws sagemaker describe-training-job: run-ok Completed" "$s" \
    "Completed	Completed"

run python3 "$T/client.py" wait run-ok run-two run-fail run-stop step-ok
is "what describe-training-job reports" \
    "$(sed 's/^Command "[^ "]*python[^ "]* /Command "PYTHON /' "$T/out")" \
    "run-ok Completed Completed
Starting Downloading Training Uploading Completed
s3://fakerun/out/run-ok/output/model.tar.gz
seconds ok
None
run-two Completed Completed
Starting Downloading Training Uploading Completed
s3://fakerun/out/run-two/output/model.tar.gz
seconds ok
None
run-fail Failed Failed
Starting Downloading Training Failed
None
seconds ok
ExecuteUserScriptError:
ExitCode 3
ErrorMessage \"ValueError: bad value 42\"
Command \"PYTHON train.py --epochs 2\"
run-stop Stopped Stopped
Starting Downloading Training Stopping Stopped
s3://fakerun/out/run-stop/output/model.tar.gz
seconds ok
None
step-ok Completed Completed
Starting Downloading Training Uploading Completed
s3://fakerun/out/step-ok/output/model.tar.gz
seconds ok
None"
is "run-fail's FailureReason is accel-local's status.json's" \
    "$(sed -n '/^ExecuteUserScriptError:/,/^Command/p' "$T/out")" \
    "$(python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["FailureReason"])' \
    "$FAKE_AWS_DIR/training/run-fail/run/status.json")"

# leftovers JOB PID...: the processes of JOB still there
leftovers() {
	job=$1
	shift
	left=
	for p in "$@"; do
		kill -0 "$p" 2>/dev/null && left="$left $p"
	done
	for f in /proc/[0-9]*/cmdline; do
		{ tr '\0' ' ' <"$f"; } 2>/dev/null | grep -q "training/$job" &&
		    left="$left ${f#/proc/}"
	done
	echo "$left"
}
# settled_leftovers JOB PID...: leftovers after up to 10 s for the kills to
# land (a loaded machine reaps late; kill -0 also sees a zombie)
settled_leftovers() {
	i=0
	while [ -n "$(leftovers "$@")" ] && [ $i -lt 50 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	leftovers "$@"
}
is "no process of run-stop left (script, its child, accel-local)" \
    "$(settled_leftovers run-stop $pids)" ""

# --- the log events: each host's lines in order ---------------------------------
run python3 "$T/client.py" phase run-ok step-ok
is "log events lie within Training, on the job clock (step mode: epoch)" \
    "$(sed 's/^run-ok starts [0-9]*/run-ok starts NOW/' "$T/out")" \
    "run-ok starts NOW events 6 within Training
step-ok starts 1700000000 events 6 within Training"
python3 "$T/client.py" streams run- | grep -v run-left >"$T/streams"
is "a stream per host, JOB/algo-N-EPOCH" \
    "$(sed 's/-[0-9]*$/-EPOCH/' "$T/streams")" "run-fail/algo-1-EPOCH
run-ok/algo-1-EPOCH
run-stop/algo-1-EPOCH
run-two/algo-1-EPOCH
run-two/algo-2-EPOCH"
ok_lines="starts on algo-1
args --epochs 2
row 1,2
row 3,4
saved"
run aws logs get-log-events --log-group-name "$G" --log-stream-name \
    "$(sed -n 2p "$T/streams")" --start-from-head --output json
python3 -c 'import json, sys
ev = json.load(sys.stdin)["events"]
ts = [e["timestamp"] for e in ev]
print("in order" if ts == sorted(ts) else ts)
for e in ev:
    print(e["message"])' <"$T/out" >"$T/ok.log"
is "aws logs get-log-events: run-ok's stdout lines, in order" \
    "$(grep -v stderr "$T/ok.log")" "in order
$ok_lines"
is "run-ok's stderr line, once" "$(grep -c 'a line on stderr' "$T/ok.log")" 1
python3 "$T/client.py" logs $(sed -n '1p;3,5p' "$T/streams") |
    sed 's/-[0-9]* $/-EPOCH/' >"$T/logs"
# stdout and stderr are two pipes: run-fail's lines are compared sorted
is "run-fail's lines" "$(sed -n '2,3p' "$T/logs" | sort)" \
    "ValueError: bad value 42
about to fail"
is "the other streams' lines" "$(sed '2,3d' "$T/logs" |
    grep -v 'a line on stderr' | sed 's/^pids [0-9]* [0-9]*$/pids P C/')" \
    "== run-fail/algo-1-EPOCH
== run-stop/algo-1-EPOCH
pids P C
== run-two/algo-1-EPOCH
$ok_lines
== run-two/algo-2-EPOCH
$(echo "$ok_lines" | sed 's/algo-1/algo-2/')"

# --- the artifacts, fetched with aws-cli -------------------------------------------
run aws s3 cp --recursive --quiet s3://fakerun/out "$T/out.d"
is "aws s3 cp the artifacts" "$status $(cat "$T/err")" "0 "
is "the artifacts in S3OutputPath" "$(cd "$T/out.d" && find . -type f |
    sort)" "./run-ok/output/model.tar.gz
./run-ok/output/output.tar.gz
./run-stop/output/model.tar.gz
./run-stop/output/output.tar.gz
./run-two/output/model.tar.gz
./run-two/output/output.tar.gz
./step-ok/output/model.tar.gz
./step-ok/output/output.tar.gz"
listing() {
	python3 -c 'import sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    for m in t.getmembers():
        if m.isfile():
            print(m.name, t.extractfile(m).read().decode(), end="")' \
	    "$T/out.d/$1"
}
is "run-ok's model.tar.gz" "$(listing run-ok/output/model.tar.gz)" \
    "model-algo-1.txt weights of run-ok on algo-1"
is "run-ok's output.tar.gz" "$(listing run-ok/output/output.tar.gz)" \
    "metrics.txt loss 0.25"
is "run-two's model.tar.gz holds both hosts' models" \
    "$(listing run-two/output/model.tar.gz)" \
    "model-algo-1.txt weights of run-two on algo-1
model-algo-2.txt weights of run-two on algo-2"

# --- a job still running when the fake stops leaves nothing behind -------------
pids=$(python3 "$T/client.py" pids run-left)
is "run-left's script runs and logs" "$(echo "$pids" | wc -w)" 2
fake_aws_stop
is "the fake stopped: no process of run-left left" \
    "$(settled_leftovers run-left $pids)" ""

# --- the work directory the README describes ---------------------------------------
is "REQUEST.json: the body as sent, the channel rewritten to file://" \
    "$(python3 -c 'import json, sys
b = json.load(open(sys.argv[1] + "/REQUEST.json"))
src = b["InputDataConfig"][0]["DataSource"]["S3DataSource"]
print(src["S3Uri"] == "file://" + sys.argv[1] + "/data/train")
src["S3Uri"] = "s3://fakerun/data/train"
print(b == json.load(open(sys.argv[2])))' \
    "$FAKE_AWS_DIR/training/run-ok" "$T/run-ok.json")" "True
True"
done_testing
