"""fakeaws_auth.py - make moto's signature checking behave as AWS's does.

Imported by motoserver.py after moto; install(app) patches moto and wraps its
WSGI app.  Each fix is a divergence found by the tests in tests/aws:

- moto verifies the signature over werkzeug's decoded URL: correctly signed
  requests whose S3 key or query holds %2F, '+', '=' or non-ASCII bytes are
  refused.  Here it verifies over the request target as sent.
- moto answers authentication failures of JSON 1.1 services (SageMaker,
  Logs) as query-protocol XML with HTTP 403.  Here they are JSON, HTTP 400
  (as DynamoDB and Logs answer; the status for SageMaker is not confirmed
  against the live service).
- moto fails with a 500 (KeyError) on any request without an Authorization
  header once checking is on.  Here: the operations AWS serves unsigned
  (STS AssumeRoleWithWebIdentity, AssumeRoleWithSAML) pass without checking;
  other unsigned requests get AWS's refusal in the protocol's shape; presigned
  URLs (query authentication) are refused, since nothing here verifies them.
"""
import io
import json
import re
import threading
import urllib.parse

UNSIGNED_ACTIONS = {"AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"}
FORM_MAX = 1 << 20          # unsigned form bodies read to find the Action

RAW = threading.local()     # the request target as sent, per server thread


def remember_raw_uri(app):
    """WSGI middleware: keep the undecoded request target for the checker."""
    def wrapped(environ, start_response):
        RAW.uri = environ.get("RAW_URI") or environ.get("REQUEST_URI")
        return app(environ, start_response)
    return wrapped


def check_signatures_on_the_wire_target():
    """Make moto verify the signature over the path and query as sent
    (`aws s3 ls s3://b/` sends delimiter=%2F)."""
    from moto.iam import access_control
    base = access_control.IAMRequestBase
    original = base._create_aws_request

    def _create_aws_request(self):
        raw = getattr(RAW, "uri", None)
        if raw and raw.startswith("/"):
            self._path = raw
        return original(self)
    base._create_aws_request = _create_aws_request


JSON_AUTH_CODES = {"SignatureDoesNotMatch": "InvalidSignatureException",
                   "InvalidClientTokenId": "UnrecognizedClientException",
                   "AccessDenied": "AccessDeniedException"}


def json_auth_errors(app):
    """WSGI middleware: moto's XML 403 for an X-Amz-Target request -> JSON."""
    def wrapped(environ, start_response):
        if "HTTP_X_AMZ_TARGET" not in environ:
            return app(environ, start_response)
        got = {}

        def capture(status, headers, exc_info=None):
            got["status"], got["headers"] = status, headers
            return lambda data: None
        chunks = app(environ, capture)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        code = re.search(rb"<Code>([^<]*)</Code>", body)
        msg = re.search(rb"<Message>([^<]*)</Message>", body)
        if not got["status"].startswith("403 ") or not code or \
                code.group(1).decode() not in JSON_AUTH_CODES:
            start_response(got["status"], got["headers"])
            return [body]
        name = JSON_AUTH_CODES[code.group(1).decode()]
        return json_error(start_response, name,
                          msg.group(1).decode() if msg else name)
    return wrapped


def json_error(start_response, name, message):
    text = json.dumps({"__type": name, "message": message}).encode()
    start_response("400 Bad Request", [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("x-amzn-ErrorType", f"{name}:"),
        ("Content-Length", str(len(text)))])
    return [text]


def unsigned_requests(app):
    """WSGI middleware: requests with no Authorization header."""
    def wrapped(environ, start_response):
        RAW.unsigned_ok = False
        path = environ.get("PATH_INFO", "")
        if "HTTP_AUTHORIZATION" in environ or path.startswith("/moto-api"):
            return app(environ, start_response)
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        if {"X-Amz-Credential", "X-Amz-Signature", "Signature"} & set(query):
            return s3_error(start_response, "AccessDenied", "Presigned URLs "
                            "are not verified by the fake AWS "
                            "(tests/aws/README)")
        if "HTTP_X_AMZ_TARGET" in environ:
            return json_error(start_response, "MissingAuthenticationToken"
                              "Exception", "Missing Authentication Token")
        action = query.get("Action", [None])[0] or form_action(environ)
        if action in UNSIGNED_ACTIONS:
            RAW.unsigned_ok = True
            return app(environ, start_response)
        if action:
            return query_error(start_response, "MissingAuthenticationToken",
                               "Request is missing Authentication Token")
        return s3_error(start_response, "AccessDenied", "Access Denied")
    return wrapped


def form_action(environ):
    """Action of a form body; the body is put back for moto."""
    if not environ.get("CONTENT_TYPE", "").startswith(
            "application/x-www-form-urlencoded"):
        return None
    try:
        n = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if n > FORM_MAX:
        return None
    body = environ["wsgi.input"].read(n)
    environ["wsgi.input"] = io.BytesIO(body)
    form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    return form.get("Action", [None])[0]


def skip_check_for_unsigned_operations():
    from moto.core.authorization import ActionAuthenticatorMixin as mixin
    original = mixin._authenticate_and_authorize_action

    def check(self, *args, **kwargs):
        if getattr(RAW, "unsigned_ok", False):
            return None
        return original(self, *args, **kwargs)
    mixin._authenticate_and_authorize_action = check


def answer(start_response, status, ctype, text):
    data = text.encode()
    start_response(status, [("Content-Type", ctype),
                            ("Content-Length", str(len(data)))])
    return [data]


def s3_error(start_response, code, message):
    return answer(start_response, "403 Forbidden", "application/xml",
                  '<?xml version="1.0" encoding="UTF-8"?>\n'
                  f"<Error><Code>{code}</Code><Message>{message}</Message>"
                  "<RequestId>fakeaws</RequestId></Error>")


def query_error(start_response, code, message):
    return answer(start_response, "403 Forbidden", "text/xml",
                  "<ErrorResponse><Error><Type>Sender</Type>"
                  f"<Code>{code}</Code><Message>{message}</Message></Error>"
                  "<RequestId>fakeaws</RequestId></ErrorResponse>")


def install(app):
    """Patch moto's checker and wrap APP; returns the app to serve."""
    check_signatures_on_the_wire_target()
    skip_check_for_unsigned_operations()
    return remember_raw_uri(unsigned_requests(json_auth_errors(app)))
