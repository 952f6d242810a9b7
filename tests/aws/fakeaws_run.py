"""fakeaws_run.py - a training job of the fake SageMaker run for real by the
repository's bin/accel-local (runner "accel-local" of fakeaws_sagemaker.py).

prepare() lays out the job's work directory while the job is Downloading:

    TRAINING/JOB/               TRAINING is $FAKE_AWS_DIR/training
        sourcedir.tar.gz        the code (hyperparameter
                                sagemaker_submit_directory), from the fake's S3
        data/CHANNEL/           each s3:// channel's objects, downloaded as
                                SDK local mode does (sagemaker/utils.py
                                download_folder)
        REQUEST.json            the CreateTrainingJob body as sent, s3://
                                channels rewritten to file://data/CHANNEL
        run/                    accel-local -o: the job roots, status.json
        accel-local.log         everything accel-local printed

Run starts accel-local on it when Training begins, in a session of its own,
and turns each host's output lines into CloudWatch log events as they come.
The job's life (fakeaws_sagemaker.Life) waits for `finished`, then reads
`reason` (None: completed), `archives` and `seconds`.
"""
import copy
import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ACCEL_LOCAL = os.path.join(os.path.dirname(os.path.dirname(HERE)), "bin",
                           "accel-local")
GROUP = "/aws/sagemaker/TrainingJobs"
# PutLogEvents counts a message's UTF-8 bytes plus 26 against 256 KiB.
MESSAGE_MAX = 256 * 1024 - 26
REASON_MAX = 1024           # DescribeTrainingJob.FailureReason characters
KILL_SECONDS = 5            # shutdown: SIGTERM, then SIGKILL after this
# accel-local's own lines, not the container's: its status lines
# ("YYYY-mm-dd HH:MM:SS Status - Message"), its summary, its messages.
OWN_STDOUT = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [A-Za-z]+ - |"
                        r"(Training|Billable) seconds: \d+$)")
OWN_STDERR = "accel-local: "
HOST_PREFIX = re.compile(r"^algo-(\d+) \| ")
# Variables of the fake that a training container would not see.
PRIVATE_ENV = ("AWS_", "FAKE_AWS_", "MOTO_", "INITIAL_NO_AUTH_ACTION_COUNT")


class RunFailure(Exception):
    """A FailureReason: the job fails before accel-local runs."""


# --- the work directory -------------------------------------------------------

def prepare(workdir, request, code, s3):
    """Write the code, the channels' data and REQUEST.json into WORKDIR."""
    if request is None:
        raise RunFailure("ClientError: fake-aws: the CreateTrainingJob body "
                         "was not kept: nothing to run")
    if code is None:
        raise RunFailure("ClientError: fake-aws: the job names no code "
                         "(hyperparameter sagemaker_submit_directory): "
                         "nothing to run")
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    with open(os.path.join(workdir, "sourcedir.tar.gz"), "wb") as f:
        f.write(code)
    body = copy.deepcopy(request)
    for channel in body.get("InputDataConfig") or []:
        src = (channel.get("DataSource") or {}).get("S3DataSource") or {}
        uri = src.get("S3Uri", "")
        if not uri.startswith("s3://"):
            continue
        kind = src.get("S3DataType", "S3Prefix")
        if kind != "S3Prefix":
            raise RunFailure(f"ClientError: fake-aws: S3DataType {kind} "
                             "is not supported")
        target = os.path.join(workdir, "data", channel["ChannelName"])
        download_folder(s3, uri, target)
        src["S3Uri"] = "file://" + target
    with open(os.path.join(workdir, "REQUEST.json"), "w") as f:
        json.dump(body, f, indent=2, sort_keys=True)
        f.write("\n")


def download_folder(s3, uri, target):
    """As SDK local mode: the prefix as one object (into TARGET under its
    base name), else every object under it at its path after the prefix."""
    bucket_name, _, prefix = uri[len("s3://"):].partition("/")
    prefix = prefix.lstrip("/")
    try:
        bucket = s3.get_bucket(bucket_name)
    except Exception:
        raise RunFailure(no_objects(uri))
    os.makedirs(target, exist_ok=True)
    if prefix and not prefix.endswith("/"):
        obj = s3.get_object(bucket_name, prefix)
        if obj is not None and hasattr(obj, "value"):
            save(target, os.path.basename(prefix), obj.value, uri)
            return
    found = False
    for key in sorted(bucket.keys.keys()):
        if not key.startswith(prefix) or key.endswith("/"):
            continue
        obj = s3.get_object(bucket_name, key)
        if obj is None or not hasattr(obj, "value"):
            continue
        save(target, key[len(prefix):].lstrip("/"), obj.value, uri)
        found = True
    if not found:
        raise RunFailure(no_objects(uri))


def no_objects(uri):
    return (f'ClientError: No S3 objects found under S3 URL "{uri}" given '
            "in input data source.")


def save(target, rel, data, uri):
    parts = rel.split("/")
    if not rel or any(p in ("", ".", "..") for p in parts):
        raise RunFailure(f"ClientError: fake-aws: cannot download the key "
                         f"'{rel}' under {uri}: not a relative path")
    path = os.path.join(target, *parts)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


# --- the run ------------------------------------------------------------------

LIBC = ctypes.CDLL(None, use_errno=True)    # loaded before any fork
PR_SET_PDEATHSIG = 1


def die_with_parent():
    """In the child: SIGTERM when the thread that started it ends, so a
    killed fake leaves no job running (accel-local stops its hosts)."""
    LIBC.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)


def session_pids(sid):
    """Processes of session SID (field 6 of /proc/PID/stat)."""
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rpartition(")")[2].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) == sid:
            pids.append(int(name))
    return pids


def kill_session(sid):
    for pid in session_pids(sid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


class LogSink:
    """One stream per host, JOB/algo-N-EPOCH; events stamped on the job
    clock as they arrive (the wall clock with the default settings)."""

    def __init__(self, logs, lock, name, hosts, epoch, job0):
        self.logs, self.lock = logs, lock
        self.epoch, self.job0 = epoch, job0
        self.mono0 = time.monotonic()
        self.streams = {h: f"{name}/algo-{h}-{int(epoch + job0)}"
                        for h in range(1, hosts + 1)}
        self.last = dict.fromkeys(self.streams, 0)
        with lock:
            if GROUP not in logs.groups:
                logs.create_log_group(GROUP, {})
            for stream in self.streams.values():
                if stream not in logs.groups[GROUP].streams:
                    logs.create_log_stream(GROUP, stream)

    def put(self, host, message):
        if not message or host not in self.streams:
            return
        data = message.encode()
        if len(data) > MESSAGE_MAX:
            message = data[:MESSAGE_MAX].decode(errors="ignore")
        seconds = self.job0 + time.monotonic() - self.mono0
        with self.lock:
            ts = max(int((self.epoch + seconds) * 1000), self.last[host])
            self.last[host] = ts
            self.logs.groups[GROUP].put_log_events(
                self.streams[host], [{"timestamp": ts, "message": message}])


class Run:
    """accel-local on WORKDIR in a thread of its own."""

    def __init__(self, workdir, name, hosts, sink, grace, install, job0):
        self.workdir, self.name, self.hosts = workdir, name, hosts
        self.job0 = job0                # job second the run started
        self.sink = sink
        self.argv = [os.environ.get("FAKE_AWS_ACCEL_LOCAL") or ACCEL_LOCAL,
                     "-o", os.path.join(workdir, "run"),
                     "--grace", str(grace)]
        if not install:
            self.argv.append("--no-install")
        self.argv.append(os.path.join(workdir, "REQUEST.json"))
        self.lock = threading.Lock()    # guards proc and stopping
        self.proc = None
        self.stopping = False
        self.own = []                   # accel-local's own stderr lines
        self.said_end = False           # its last message has begun
        self.log = None
        self.mono0 = sink.mono0         # events and end on one clock
        self.seconds = None             # real seconds, once finished
        self.reason = None              # FailureReason, None: completed
        self.archives = {}              # name -> bytes of output/*.tar.gz
        self.collected = False          # the job has applied the end
        self.finished = False           # set last
        threading.Thread(target=self.main, daemon=True).start()

    def main(self):
        try:
            self.reason = self.execute()
        except Exception as e:          # report it as the job's failure
            self.reason = f"ClientError: fake-aws: cannot run accel-local: {e}"
        self.seconds = time.monotonic() - self.mono0
        self.finished = True

    def execute(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(PRIVATE_ENV)}
        with open(os.path.join(self.workdir, "accel-local.log"), "w") as log:
            self.log = log
            with self.lock:
                if self.stopping:
                    return "stopped before it started"
                self.proc = subprocess.Popen(
                    self.argv, cwd=self.workdir, env=env,
                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE, start_new_session=True,
                    close_fds=True, preexec_fn=die_with_parent)
            readers = [threading.Thread(target=self.read, args=(pipe, err))
                       for pipe, err in ((self.proc.stdout, False),
                                         (self.proc.stderr, True))]
            for r in readers:
                r.start()
            rc = self.proc.wait()
            for r in readers:
                r.join()
            kill_session(self.proc.pid)     # nothing outlives the job
        if rc == 0 or self.stopping:    # a stopped job keeps its model
            self.archives = self.read_archives()
        return None if rc == 0 else self.failure_reason(rc)

    def read(self, pipe, err):
        for raw in iter(pipe.readline, b""):
            line = raw.decode(errors="replace").rstrip("\n")
            with self.lock:
                self.log.write(("E " if err else "O ") + line + "\n")
                self.log.flush()
            self.route(line, err)
        pipe.close()

    def route(self, line, err):
        if err and (self.said_end or line.startswith(OWN_STDERR)):
            # "accel-local: job JOB failed: REASON" comes after every host
            # has ended; the reason's other lines are its own too.
            if line.startswith(f"{OWN_STDERR}job {self.name} failed: "):
                self.said_end = True
            self.own.append(line)
            return
        if not err and OWN_STDOUT.match(line):
            return
        m = HOST_PREFIX.match(line)
        if self.hosts > 1 and m:
            self.sink.put(int(m.group(1)), line[m.end():])
        elif self.hosts == 1:
            self.sink.put(1, line)
        else:                           # said once for every host (pip)
            for host in range(1, self.hosts + 1):
                self.sink.put(host, line)

    def failure_reason(self, rc):
        """status.json's FailureReason: the toolkit's failure text."""
        try:
            with open(os.path.join(self.workdir, "run", "status.json")) as f:
                reason = json.load(f).get("FailureReason")
        except (OSError, ValueError):
            reason = None
        if reason:
            return reason[:REASON_MAX]
        said = [line[len(OWN_STDERR):] for line in self.own
                if line.startswith(OWN_STDERR)]
        said = f": {said[-1]}" if said else ""
        return (f"ClientError: fake-aws: accel-local exited with status {rc}"
                + said)[:REASON_MAX]

    def read_archives(self):
        out = {}
        base = os.path.join(self.workdir, "run", self.name, "output")
        for name in ("model.tar.gz", "output.tar.gz"):
            try:
                with open(os.path.join(base, name), "rb") as f:
                    out[name] = f.read()
            except FileNotFoundError:
                pass
        return out

    def terminate(self):
        """StopTrainingJob: SIGTERM to accel-local, which stops its hosts."""
        with self.lock:
            self.stopping = True
            if self.proc is not None and self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)

    def kill(self):
        """The fake is going away: nothing of the job may stay."""
        with self.lock:
            self.stopping = True
            if self.proc is not None:
                kill_session(self.proc.pid)


def shutdown(runs):
    """Stop RUNS (the fake exits): SIGTERM, SIGKILL after KILL_SECONDS."""
    for run in runs:
        run.terminate()
    deadline = time.monotonic() + KILL_SECONDS
    while time.monotonic() < deadline and \
            not all(run.finished for run in runs):
        time.sleep(0.05)
    for run in runs:
        run.kill()
