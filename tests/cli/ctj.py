# ctj.py - botocore as the referee for the request bodies accel-request
# writes (aws-protocols.md §11.1).
#
#   python3 ctj.py validate REQUEST.json...   exit 0 when every body passes
#   python3 ctj.py resolve REQUEST.json [JOB_NAME]   the body, placeholders
#                                             resolved, on standard output
#
# Placeholders get the values accel-submit would find for account
# 111122223333: {{bucket}} the SDK default bucket, {{role_arn}} the ARN of
# the role named in the "accel" metadata.  A JOB_NAME replaces ours, for
# comparing with a body that has another name.
import json
import re
import sys

import botocore.session
from botocore.validate import ParamValidator

ACCOUNT = "111122223333"


def partition(region):
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def resolve(path, job_name=None):
    doc = json.load(open(path))
    meta = doc["accel"]
    text = json.dumps(doc["CreateTrainingJob"])
    text = text.replace("{{bucket}}",
                        "sagemaker-%s-%s" % (meta["region"], ACCOUNT))
    if "role_name" in meta:
        text = text.replace("{{role_arn}}", "arn:%s:iam::%s:role/%s" % (
            partition(meta["region"]), ACCOUNT, meta["role_name"]))
    if job_name:
        text = text.replace(meta["job_name"], job_name)
    if "{{" in text:
        raise SystemExit("%s: a placeholder is left: %s" % (
            path, re.findall(r"\{\{[^}]*\}\}", text)))
    return json.loads(text)


def strict(shape, v, path="body"):
    """max / pattern / enum checks, which ParamValidator skips."""
    t, md = shape.type_name, shape.metadata
    if t == "structure":
        for k, sub in shape.members.items():
            if k in v:
                yield from strict(sub, v[k], f"{path}.{k}")
    elif t == "list":
        for i, x in enumerate(v):
            yield from strict(shape.member, x, f"{path}[{i}]")
    elif t == "map":
        for k, x in v.items():
            yield from strict(shape.key, k, f"{path}<key {k}>")
            yield from strict(shape.value, x, f"{path}.{k}")
    elif t == "string":
        if shape.enum and v not in shape.enum:
            yield f"{path}: {v!r} is not one of the enum values"
        if len(v) > md.get("max", len(v)):
            yield f"{path}: longer than {md['max']}"
        try:
            if "pattern" in md and not re.fullmatch(md["pattern"], v):
                yield f"{path}: does not match {md['pattern']}"
        except re.error:
            pass                    # Java-only syntax such as \p{...}
    elif t in ("integer", "long") and v > md.get("max", v):
        yield f"{path}: greater than {md['max']}"


def validate(paths):
    op = (botocore.session.get_session()
          .get_service_model("sagemaker")
          .operation_model("CreateTrainingJob"))
    bad = 0
    for p in paths:
        body = resolve(p)
        report = ParamValidator().validate(body, op.input_shape)
        if report.has_errors():         # required, types, unknown keys, min
            problems = [report.generate_report()]
        else:
            problems = list(strict(op.input_shape, body))
        for line in problems:
            print("%s: %s" % (p, line))
        bad += bool(problems)
    return 1 if bad else 0


def main():
    if sys.argv[1] == "validate":
        sys.exit(validate(sys.argv[2:]))
    body = resolve(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    print(json.dumps(body, indent=1, sort_keys=True))


main()
