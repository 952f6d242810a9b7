"""fakeaws_validate.py - check JSON 1.1 request bodies against botocore's model.

moto takes whatever a client sends: a CreateTrainingJob without RoleArn, with
an unknown member, an InstanceCount given as a string or a job name that
breaks the pattern is accepted.  AWS refuses them, and so must the fake, or
the tools' request builders are never checked by anything but themselves.

install() wraps moto's authentication hook: once a SageMaker or Logs request
has passed the signature check (AWS checks that first), its body is
validated with botocore.validate.ParamValidator (required members, types,
unknown members, min) plus a walker for max, pattern and enum (the program
of aws-protocols.md 11.1).  A failure is answered by fakeaws_auth's JSON
middleware as HTTP 400 ValidationException (Logs: InvalidParameterException)
with botocore's report as the message ("fake-aws: " in front: AWS words its
messages differently).  Stricter than AWS in one way: unknown members are
refused (AWS may ignore them); a tool should not send them.
"""
import json
import re

SERVICES = {"SageMaker": ("sagemaker", "ValidationException"),
            "Logs_20140328": ("logs", "InvalidParameterException")}
MODELS = {}


def strict(shape, v, path="body"):
    """max / pattern / enum checks, which ParamValidator skips."""
    t, md = shape.type_name, shape.metadata
    if t == "structure" and isinstance(v, dict):
        for k, sub in shape.members.items():
            if k in v:
                yield from strict(sub, v[k], f"{path}.{k}")
    elif t == "list" and isinstance(v, list):
        for i, x in enumerate(v):
            yield from strict(shape.member, x, f"{path}[{i}]")
    elif t == "map" and isinstance(v, dict):
        for k, x in v.items():
            yield from strict(shape.key, k, f"{path}<key {k}>")
            yield from strict(shape.value, x, f"{path}.{k}")
    elif t == "string" and isinstance(v, str):
        if shape.enum and v not in shape.enum:
            yield f"{path}: {v!r} is not one of the enum values"
        if len(v) > md.get("max", len(v)):
            yield f"{path}: longer than {md['max']}"
        try:
            if "pattern" in md and not re.fullmatch(md["pattern"], v):
                yield f"{path}: does not match {md['pattern']}"
        except re.error:
            pass                    # Java-only syntax such as \p{...}
    elif t in ("integer", "long") and isinstance(v, int) and \
            v > md.get("max", v):
        yield f"{path}: greater than {md['max']}"


def wire_to_params(shape, v):
    """JSON 1.1 timestamps are epoch numbers; ParamValidator wants datetimes."""
    import datetime
    t = shape.type_name
    if t == "timestamp" and isinstance(v, (int, float)) and \
            not isinstance(v, bool):
        return datetime.datetime.fromtimestamp(v, datetime.timezone.utc)
    if t == "structure" and isinstance(v, dict):
        return {k: wire_to_params(shape.members[k], x)
                if k in shape.members else x for k, x in v.items()}
    if t == "list" and isinstance(v, list):
        return [wire_to_params(shape.member, x) for x in v]
    if t == "map" and isinstance(v, dict):
        return {k: wire_to_params(shape.value, x) for k, x in v.items()}
    return v


def problems(target, body):
    """(error code, message) for a bad body of TARGET, or None."""
    prefix, _, name = (target or "").partition(".")
    if prefix not in SERVICES:
        return None
    service, code = SERVICES[prefix]
    if service not in MODELS:
        import botocore.session
        MODELS[service] = botocore.session.get_session() \
            .get_service_model(service)
    model = MODELS[service]
    if name not in model.operation_names:
        return None
    shape = model.operation_model(name).input_shape
    try:
        params = json.loads(body or b"{}")
    except ValueError as e:
        return "SerializationException", f"fake-aws: body is not JSON: {e}"
    if not isinstance(params, dict):
        return "SerializationException", "fake-aws: body is not an object"
    if shape is None:
        return None
    from botocore.validate import ParamValidator
    report = ParamValidator().validate(wire_to_params(shape, params), shape)
    if report.has_errors():
        return code, "fake-aws: " + report.generate_report()
    found = list(strict(shape, params))
    if found:
        return code, "fake-aws: " + "\n".join(found)
    return None


def install(raw):
    """Validate after moto's signature check; RAW.invalid carries the
    verdict to fakeaws_auth's JSON middleware, which answers it."""
    from moto.core.authorization import ActionAuthenticatorMixin as mixin
    from moto.core.exceptions import JsonRESTError
    check = mixin._authenticate_and_authorize_action

    def check_then_validate(self, *args, **kwargs):
        check(self, *args, **kwargs)
        target = self.headers.get("X-Amz-Target")
        if not target:
            return
        bad = problems(target, self.raw_body)
        if bad:
            raw.invalid = bad
            raise JsonRESTError(*bad)
    mixin._authenticate_and_authorize_action = check_then_validate
