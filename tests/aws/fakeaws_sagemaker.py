"""fakeaws_sagemaker.py - SageMaker training jobs with a life, inside moto.

moto's training job is Completed the moment it is created, StopTrainingJob is
not implemented, and a second CreateTrainingJob with the same name silently
replaces the first.  install() patches moto's SageMaker backend in the
server process so that a job:

- starts InProgress and walks the SecondaryStatusTransitions of a real job
  (Starting: "Starting the training job", "Launching requested ML
  instances", "Preparing the instances for training"; Downloading; Training:
  "Downloading the training image", then "Training image download completed.
  Training in progress."; Uploading; Completed), on a timeline;
- reads its code (hyperparameter sagemaker_submit_directory, an s3:// URI)
  from moto's S3 when Downloading, and fails if it is missing;
- writes log events to CloudWatch Logs, group /aws/sagemaker/TrainingJobs,
  one stream JOB/algo-N-EPOCH per host, while Training;
- uploads model.tar.gz to S3OutputPath/JOB/output/model.tar.gz when
  Uploading, then fills ModelArtifacts, TrainingStartTime/EndTime,
  TrainingTimeInSeconds and BillableTimeInSeconds (lower with managed spot);
- answers StopTrainingJob: Stopping, then Stopped;
- fails when told to (FailureReason, status Failed);
- refuses a duplicate name with ResourceInUse.

Settings: a JSON file (motoserver.py --sagemaker-config; the launcher uses
$FAKE_AWS_DIR/sagemaker.json), read at each CreateTrainingJob; a missing file
means the defaults below.  "jobs" maps name globs to settings that override
the top level for matching jobs:

  {"timeline": {"Starting": 3, "Downloading": 1, "Training": 4,
                "Uploading": 1},            job seconds per phase
   "speed": 1,                              job seconds per real second
   "step": false,                           true: each DescribeTrainingJob
                                            moves to the next transition,
                                            whatever the clock says
   "epoch": null,                           job clock start (epoch seconds);
                                            default: the real creation time
   "hosts": null,                           default InstanceCount
   "logs": null,                            lines each host prints while
                                            Training (default: a few lines)
   "fail": null,                            a FailureReason: fail in Training
   "stopping": 2,                           job seconds Stopping -> Stopped
   "spot_billable": 0.3,                    billable/training with spot
   "runner": "scripted",                    or "accel-local" (not yet: the hook
                                            run_with_accel_local below)
   "jobs": {"GLOB": {...same keys...}}}

Times the API reports (transitions, LastModifiedTime, log event timestamps)
come from the job clock: epoch + job seconds, so with "epoch" set they are
the same on every run.  Throttling of SageMaker calls is the fault proxy's
job: fake-aws faults RATE --mix throttle --ops 'sagemaker:*'.
"""
import copy
import datetime
import fnmatch
import gzip
import io
import json
import tarfile
import threading
import time

GROUP = "/aws/sagemaker/TrainingJobs"
DEFAULTS = {"timeline": {"Starting": 3, "Downloading": 1, "Training": 4,
                         "Uploading": 1},
            "speed": 1.0, "step": False, "epoch": None, "hosts": None,
            "logs": None, "fail": None, "stopping": 2, "spot_billable": 0.3,
            "runner": "scripted"}
TICK = 0.05                 # seconds between advances of running jobs
LOCK = threading.RLock()    # guards every job's state and the LIVES table
LIVES = {}                  # job arn -> Life
CONFIG = {"path": None}


def load_settings(name):
    """The defaults, the file's top level, then its matching "jobs" entry."""
    conf = copy.deepcopy(DEFAULTS)
    data = {}
    if CONFIG["path"]:
        try:
            with open(CONFIG["path"]) as f:
                data = json.load(f)
        except FileNotFoundError:
            data = {}
    jobs = data.pop("jobs", {}) or {}
    conf.update(data)
    for glob, over in jobs.items():
        if fnmatch.fnmatchcase(name, glob):
            conf.update(over)
            break
    timeline = dict(DEFAULTS["timeline"])
    timeline.update(conf["timeline"] or {})
    conf["timeline"] = timeline
    return conf


def utc(epoch):
    """Naive UTC, as moto keeps times (it compares them with naive ones)."""
    return datetime.datetime.fromtimestamp(
        epoch, datetime.timezone.utc).replace(tzinfo=None)


def plan(timeline):
    """[(job second, Status, StatusMessage)] of an uneventful job."""
    s, d = timeline["Starting"], timeline["Downloading"]
    t, u = timeline["Training"], timeline["Uploading"]
    return [(0, "Starting", "Starting the training job"),
            (s / 3, "Starting", "Launching requested ML instances"),
            (2 * s / 3, "Starting", "Preparing the instances for training"),
            (s, "Downloading", "Downloading input data"),
            (s + d, "Training", "Downloading the training image"),
            (s + d + t / 2, "Training",
             "Training image download completed. Training in progress."),
            (s + d + t, "Uploading", "Uploading generated training model"),
            (s + d + t + u, "Completed", "Training job completed")]


class Life:
    """One job's progress: a clock, the next transition, the effects."""

    def __init__(self, job, backend):
        self.job = job
        self.account = backend.account_id
        self.region = backend.region_name
        self.conf = load_settings(job.training_job_name)
        self.plan = plan(self.conf["timeline"])
        self.next = 0           # index into plan of the next transition
        self.real0 = time.monotonic()
        self.epoch = self.conf["epoch"] or time.time()
        self.last = 0           # job second of the last transition
        self.started = None     # job second training started (Downloading)
        self.stop_at = None     # job second Stopped is due, once stopping
        self.ended = False
        self.code = None
        self.hosts = self.conf["hosts"] or \
            (job.resource_config or {}).get("InstanceCount") or 1

    # -- the clock ----------------------------------------------------------
    def now(self):
        """Job seconds since creation (clock mode)."""
        return (time.monotonic() - self.real0) * float(self.conf["speed"])

    def advance(self):
        """Clock mode: apply every transition that is due."""
        if self.ended or self.conf["step"]:
            return
        now = self.now()
        if self.stop_at is not None:
            if now >= self.stop_at:
                self.stopped(self.stop_at)
            return
        while not self.ended and self.next < len(self.plan) and \
                self.plan[self.next][0] <= now:
            self.apply_next()

    def step(self):
        """Step mode: one transition per DescribeTrainingJob."""
        if self.ended or not self.conf["step"]:
            return
        if self.stop_at is not None:
            self.stopped(self.stop_at)
        elif self.next < len(self.plan):
            self.apply_next()

    def apply_next(self):
        at, status, message = self.plan[self.next]
        self.next += 1
        self.last = at
        self.enter(at, status, message)

    # -- state changes --------------------------------------------------------
    def transition(self, at, status, message, job_status="InProgress"):
        job = self.job
        t = utc(self.epoch + at)
        old = [dict(x) for x in job.secondary_status_transitions or []]
        if old and old[-1]["Status"] == status:
            old[-1]["StatusMessage"] = message
        else:
            if old:
                old[-1]["EndTime"] = t
            old.append({"Status": status, "StartTime": t,
                        "StatusMessage": message})
        if status in ("Completed", "Failed", "Stopped"):
            old[-1]["EndTime"] = t
        job.secondary_status_transitions = old
        job.secondary_status = status
        job.training_job_status = job_status
        job.last_modified_time = t

    def enter(self, at, status, message):
        """Apply one transition and its effect."""
        try:
            if status == "Completed":
                return self.finish(at, status, message, "Completed")
            self.transition(at, status, message)
            if status == "Downloading":
                self.started = at
                self.job.training_start_time = utc(self.epoch + at)
                self.code = self.download_code()
            elif message.startswith("Training image download completed"):
                self.train(at)
                if self.conf["fail"]:
                    raise JobFailure(self.conf["fail"])
            elif status == "Uploading":
                self.upload_model()
        except JobFailure as e:
            self.fail(at, str(e))

    def finish(self, at, status, message, job_status):
        job = self.job
        job.training_end_time = utc(self.epoch + at)
        seconds = 0
        if self.started is not None:
            seconds = max(0, int(round(at - self.started)))
        job.training_time_in_seconds = seconds
        billable = seconds
        if job.enable_managed_spot_training:
            billable = int(round(seconds * float(self.conf["spot_billable"])))
        job.billable_time_in_seconds = billable
        self.transition(at, status, message, job_status)
        self.ended = True

    def fail(self, at, reason):
        self.job.failure_reason = reason
        self.job.model_artifacts = None
        self.finish(at, "Failed", "Training job failed", "Failed")

    def stop(self):
        """StopTrainingJob."""
        job = self.job
        if job.training_job_status != "InProgress":
            from moto.sagemaker.exceptions import ValidationError
            raise ValidationError(
                message="The request was rejected because the training job "
                f"is in status {job.training_job_status}.")
        at = self.last if self.conf["step"] else self.now()
        self.transition(at, "Stopping", "Stopping the training job",
                        "Stopping")
        self.stop_at = at + float(self.conf["stopping"])

    def stopped(self, at):
        if self.next > 5:       # training ran: its model is uploaded
            self.upload_model()
        self.finish(at, "Stopped", "Training job stopped", "Stopped")

    # -- effects --------------------------------------------------------------
    def s3(self):
        from moto.s3.models import s3_backends
        return s3_backends[self.account]["global"]

    def download_code(self):
        hp = self.job.hyper_parameters or {}
        uri = hp.get("sagemaker_submit_directory")
        if not uri:
            return None
        if uri.startswith('"'):
            uri = json.loads(uri)
        bucket, _, key = uri[len("s3://"):].partition("/")
        obj = self.s3().get_object(bucket, key) if uri.startswith("s3://") \
            else None
        if obj is None:
            raise JobFailure("AlgorithmError: cannot download the code "
                             f"{uri}: NoSuchKey")
        return obj.value

    def train(self, at):
        if self.conf["runner"] == "accel-local":
            lines = run_with_accel_local(self)
        else:
            lines = self.scripted_lines()
        span = self.plan[6][0] - at
        self.write_logs(at, span, lines)

    def scripted_lines(self):
        if self.conf["logs"] is not None:
            return {h: list(self.conf["logs"])
                    for h in range(1, self.hosts + 1)}
        name = self.job.training_job_name
        return {h: [f"[algo-{h}] training {name}",
                    f"[algo-{h}] epoch 1/2 loss 0.693",
                    f"[algo-{h}] epoch 2/2 loss 0.347",
                    f"[algo-{h}] saved the model to /opt/ml/model"]
                for h in range(1, self.hosts + 1)}

    def write_logs(self, at, span, lines):
        from moto.logs.models import logs_backends
        logs = logs_backends[self.account][self.region]
        if GROUP not in logs.groups:
            logs.create_log_group(GROUP, {})
        start = int((self.epoch + at) * 1000)
        for host, host_lines in sorted(lines.items()):
            stream = f"{self.job.training_job_name}/algo-{host}-" \
                f"{int(self.epoch + at)}"
            if stream not in logs.groups[GROUP].streams:
                logs.create_log_stream(GROUP, stream)
            n = max(1, len(host_lines))
            events = [{"timestamp": start + int(span * 1000 * i / n) + host,
                       "message": line}
                      for i, line in enumerate(host_lines)]
            if events:
                logs.groups[GROUP].put_log_events(stream, events)

    def upload_model(self):
        job = self.job
        uri = job.output_data_config["S3OutputPath"].rstrip("/")
        bucket, _, prefix = uri[len("s3://"):].partition("/")
        key = "/".join(p for p in (prefix, job.training_job_name, "output",
                                   "model.tar.gz") if p)
        s3 = self.s3()
        try:
            s3.get_bucket(bucket)
        except Exception:
            raise JobFailure("ClientError: Data upload failed: the bucket "
                             f"{bucket} does not exist")
        s3.put_object(bucket, key, model_archive(job.training_job_name))
        job.model_artifacts = {"S3ModelArtifacts": f"s3://{bucket}/{key}"}


class JobFailure(Exception):
    pass


def run_with_accel_local(life):
    """Hook: run the job's code (life.code, the sourcedir archive bytes) with
    bin/accel-local and return {host: [log lines]}; its model directory
    becomes model.tar.gz.  accel-local does not exist yet."""
    raise JobFailure("fake-aws: the accel-local runner is not implemented "
                     "yet (tests/aws/fakeaws_sagemaker.py "
                     "run_with_accel_local)")


def model_archive(name):
    """A small deterministic model.tar.gz (no mtimes, no owners)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        data = f"model of {name}\n".encode()
        info = tarfile.TarInfo("model.txt")
        info.size = len(data)
        info.mode = 0o644
        t.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


# --- patches ----------------------------------------------------------------

def ticker():
    while True:
        time.sleep(TICK)
        with LOCK:
            for life in list(LIVES.values()):
                life.advance()


def install(config_path):
    """Patch moto's SageMaker backend and responses; start the ticker."""
    from moto.sagemaker import models, responses
    from moto.sagemaker.exceptions import ResourceInUseException
    CONFIG["path"] = config_path
    backend = models.SageMakerModelBackend
    create = backend.create_training_job
    describe = backend.describe_training_job
    list_jobs = backend.list_training_jobs

    def create_training_job(self, training_job_name, **kwargs):
        with LOCK:
            if training_job_name in self.training_jobs:
                arn = self.training_jobs[training_job_name].arn
                raise ResourceInUseException(
                    "Training job names must be unique within an AWS account "
                    "and region, and a training job with this name already "
                    f"exists ({arn})")
            job = create(self, training_job_name=training_job_name, **kwargs)
            for attr in ("failure_reason", "training_time_in_seconds",
                         "billable_time_in_seconds"):
                setattr(job, attr, None)
            job.model_artifacts = None
            job.training_start_time = job.training_end_time = None
            job.secondary_status_transitions = []
            life = Life(job, self)
            job.creation_time = utc(life.epoch)
            life.transition(0, *plan(life.conf["timeline"])[0][1:])
            life.next = 1
            LIVES[job.arn] = life
            return job

    def describe_training_job(self, training_job_name):
        """In step mode the job moves on after each answer, so the first
        describe shows the job as created."""
        with LOCK:
            job = self.training_jobs.get(training_job_name)
            life = LIVES.get(job.arn) if job is not None else None
            if life:
                life.advance()
            answer = describe(self, training_job_name)
            if life:
                life.step()
            return answer

    def list_training_jobs(self, *args, **kwargs):
        with LOCK:
            return list_jobs(self, *args, **kwargs)

    def stop_training_job(self, training_job_name):
        with LOCK:
            job = self.training_jobs.get(training_job_name)
            if job is None:
                return describe(self, training_job_name)  # raises
            LIVES[job.arn].stop()

    backend.create_training_job = create_training_job
    backend.describe_training_job = describe_training_job
    backend.list_training_jobs = list_training_jobs
    backend.stop_training_job = stop_training_job

    def stop_response(self):
        self.sagemaker_backend.stop_training_job(
            self._get_param("TrainingJobName"))
        return responses.EmptyResult()
    responses.SageMakerResponse.stop_training_job = stop_response
    threading.Thread(target=ticker, daemon=True).start()
