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
              "Uploading": 0.1}}
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
	aws sagemaker create-training-job --cli-input-json "file://$T/$1.json" \
	    >/dev/null 2>"$T/$1.err" || cat "$T/$1.err"
}
# at the same time: aws-cli takes most of this test's time
body run-ok ok 1 >"$T/c1" &
body run-two ok 2 >"$T/c2" &
body run-fail fail 1 >"$T/c3" &
body run-stop stop 1 >"$T/c4" &
wait
is "four jobs created" "$(cat "$T/c1" "$T/c2" "$T/c3" "$T/c4")" ""

# streams PREFIX: the log stream names that start with PREFIX, one a line
streams() {
	aws logs describe-log-streams --log-group-name "$G" \
	    --log-stream-name-prefix "$1" --query 'logStreams[].logStreamName' \
	    --output text | tr '\t' '\n'
}

# messages STREAM: its events' messages, one a line
messages() {
	aws logs get-log-events --log-group-name "$G" --log-stream-name "$1" \
	    --start-from-head --output json | python3 -c '
import json, sys
ev = json.load(sys.stdin)["events"]
ts = [e["timestamp"] for e in ev]
if ts != sorted(ts):
    print("timestamps out of order:", ts)
for e in ev:
    print(e["message"])'
}

# wait_status JOB STATUS: poll describe-training-job (at most ~150 times)
wait_status() {
	i=0
	while [ $i -lt 150 ]; do
		s=$(aws sagemaker describe-training-job --training-job-name "$1" \
		    --query TrainingJobStatus --output text 2>&1)
		case $s in "$2"|Completed|Failed|Stopped) break ;; esac
		i=$((i + 1))
		sleep 0.2
	done
	is "$1 ends $2" "$s" "$2"
}

# --- stop: once the script runs, StopTrainingJob ends it and its child ------
i=0
pids=
while [ $i -lt 100 ] && [ -z "$pids" ]; do
	s=$(streams run-stop/)
	[ -n "$s" ] && pids=$(messages "$s" | sed -n 's/^pids //p')
	i=$((i + 1))
	[ -z "$pids" ] && sleep 0.2
done
is "run-stop's script runs and logs" "$(echo "$pids" | wc -w)" 2
run aws sagemaker stop-training-job --training-job-name run-stop
is "stop-training-job" "$status $(cat "$T/err")" "0 "
wait_status run-stop Stopped
left=
for p in $pids; do
	kill -0 "$p" 2>/dev/null && left="$left $p"
done
for f in /proc/[0-9]*/cmdline; do
	{ tr '\0' ' ' <"$f"; } 2>/dev/null | grep -q "training/run-stop" &&
	    left="$left ${f#/proc/}"
done
is "no process of run-stop left (script, its child, accel-local)" "$left" ""

wait_status run-ok Completed
wait_status run-two Completed
wait_status run-fail Failed

# --- what describe-training-job reports ---------------------------------------
for j in run-ok run-two run-fail run-stop; do
	aws sagemaker describe-training-job --training-job-name $j \
	    --output json >"$T/$j.describe" &
done
wait
summary() {
	python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["TrainingJobStatus"], d["SecondaryStatus"])
print(" ".join(t["Status"] for t in d["SecondaryStatusTransitions"]))
print(d.get("ModelArtifacts", {}).get("S3ModelArtifacts"))
t, b = d.get("TrainingTimeInSeconds"), d.get("BillableTimeInSeconds")
print("seconds", "ok" if isinstance(t, int) and t >= int(sys.argv[1])
      and b == t else (t, b))
print(d.get("FailureReason"))' "$2" <"$T/$1.describe"
}
is "run-ok described" "$(summary run-ok 1)" "Completed Completed
Starting Downloading Training Uploading Completed
s3://fakerun/out/run-ok/output/model.tar.gz
seconds ok
None"
is "run-two described" "$(summary run-two 1)" "Completed Completed
Starting Downloading Training Uploading Completed
s3://fakerun/out/run-two/output/model.tar.gz
seconds ok
None"
is "run-stop described" "$(summary run-stop 0)" "Stopped Stopped
Starting Downloading Training Stopping Stopped
s3://fakerun/out/run-stop/output/model.tar.gz
seconds ok
None"
reason=$(python3 -c 'import json, sys
print(json.load(sys.stdin)["FailureReason"])' <"$T/run-fail.describe")
is "run-fail's FailureReason is the toolkit's text" \
    "$(printf '%s\n' "$reason" | head -3)" 'ExecuteUserScriptError:
ExitCode 3
ErrorMessage "ValueError: bad value 42"'
is "run-fail's FailureReason is accel-local's status.json's" "$reason" \
    "$(python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["FailureReason"])' \
    "$FAKE_AWS_DIR/training/run-fail/run/status.json")"
is "run-fail described" "$(summary run-fail 0 | sed -n 1,3p)" "Failed Failed
Starting Downloading Training Failed
None"

# --- the log events: each host's lines in order ---------------------------------
ok_lines="starts on algo-1
args --epochs 2
row 1,2
row 3,4
saved"
streams run- >"$T/streams"
is "a stream per host, JOB/algo-N-EPOCH" \
    "$(sed 's/-[0-9]*$/-EPOCH/' "$T/streams")" "run-fail/algo-1-EPOCH
run-ok/algo-1-EPOCH
run-stop/algo-1-EPOCH
run-two/algo-1-EPOCH
run-two/algo-2-EPOCH"
n=0
while read -r s; do
	n=$((n + 1))
	messages "$s" >"$T/log$n" &
done <"$T/streams"
wait
# stdout and stderr are two pipes: their lines' order is compared apart
is "run-fail's lines" "$(sort "$T/log1")" "ValueError: bad value 42
about to fail"
is "run-ok's stdout lines, in order" "$(grep -v stderr "$T/log2")" \
    "$ok_lines"
is "run-ok's stderr line, once" "$(grep -c 'a line on stderr' "$T/log2")" 1
is "run-stop's lines" "$(sed 's/[0-9]/N/g' "$T/log3")" "pids $(echo "$pids" |
    sed 's/[0-9]/N/g')"
is "run-two algo-1's lines" "$(grep -v stderr "$T/log4")" "$ok_lines"
is "run-two algo-2's lines" "$(grep -v stderr "$T/log5")" \
    "$(echo "$ok_lines" | sed 's/algo-1/algo-2/')"

# --- the artifacts, fetched with aws-cli -------------------------------------------
run aws s3 cp --recursive --quiet s3://fakerun/out "$T/out.d"
is "aws s3 cp the artifacts" "$status $(cat "$T/err")" "0 "
is "the artifacts in S3OutputPath" "$(cd "$T/out.d" && find . -type f |
    sort)" "./run-ok/output/model.tar.gz
./run-ok/output/output.tar.gz
./run-stop/output/model.tar.gz
./run-stop/output/output.tar.gz
./run-two/output/model.tar.gz
./run-two/output/output.tar.gz"
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
