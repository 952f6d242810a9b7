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
  other unsigned requests get AWS's refusal in the protocol's shape.
- Presigned S3 URLs (SigV4 query authentication) fail the same way in moto.
  Here they are verified: the request is rebuilt from the target as sent
  minus the signature, the signed headers and X-Amz-Date, and signed again
  with botocore's S3SigV4QueryAuth and the key's secret from moto's IAM;
  an expired URL, an unknown key or a wrong signature is refused as S3
  refuses it.  A valid one passes without an IAM policy check.  SigV2 and
  non-S3 presigned URLs are refused.
- moto stores an empty object for a PUT whose Content-Type is a form type
  (application/x-www-form-urlencoded is curl's default): werkzeug parses
  the body as a form.  Here such a PUT body reaches moto as sent.
"""
import io
import json
import re
import threading
import time
import urllib.parse

UNSIGNED_ACTIONS = {"AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"}
FORM_MAX = 1 << 20          # unsigned form bodies read to find the Action

RAW = threading.local()     # the request target as sent, per server thread


def remember_raw_uri(app):
    """WSGI middleware: keep the undecoded request target for the checker."""
    def wrapped(environ, start_response):
        RAW.uri = environ.get("RAW_URI") or environ.get("REQUEST_URI")
        RAW.invalid = None      # set by fakeaws_validate
        RAW.put_body = None
        ctype = environ.get("CONTENT_TYPE", "")
        if environ.get("REQUEST_METHOD") == "PUT" and ctype.startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")):
            n = int(environ.get("CONTENT_LENGTH") or 0)
            RAW.put_body = environ["wsgi.input"].read(n)
            environ["wsgi.input"] = io.BytesIO(RAW.put_body)
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
        if getattr(RAW, "invalid", None):
            return json_error(start_response, *RAW.invalid)
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
            refusal = check_presigned(environ, query)
            if refusal:
                return s3_error(start_response, *refusal)
            RAW.unsigned_ok = True
            return app(environ, start_response)
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


QUERY_AUTH = {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
              "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature",
              "X-Amz-Security-Token"}
ACCOUNT = "123456789012"    # moto's default account


def check_presigned(environ, query):
    """None if the S3 SigV4 query signature is right, else (code, message)."""
    import calendar
    from botocore.auth import S3SigV4QueryAuth
    from botocore.awsrequest import AWSRequest
    from moto.iam.access_control import (CreateAccessKeyFailure,
                                         create_access_key)
    q = {k: v[0] for k, v in query.items()}
    scope = q.get("X-Amz-Credential", "").split("/")
    if q.get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" or len(scope) != 5 \
            or scope[3] != "s3":
        return ("AccessDenied", "Only S3 SigV4 presigned URLs are verified "
                "by the fake AWS (tests/aws/README)")
    try:
        date = q["X-Amz-Date"]
        expires = int(q["X-Amz-Expires"])
        start = calendar.timegm(time.strptime(date, "%Y%m%dT%H%M%SZ"))
        signed = q["X-Amz-SignedHeaders"].split(";")
        signature = q["X-Amz-Signature"]
    except (KeyError, ValueError):
        return ("AuthorizationQueryParametersError", "Query-string "
                "authentication version 4 requires the X-Amz-Algorithm, "
                "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, "
                "X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
    if time.time() > start + expires:
        return ("AccessDenied", "Request has expired")
    token = q.get("X-Amz-Security-Token")
    try:
        key = create_access_key(
            account_id=ACCOUNT, partition="aws", access_key_id=scope[0],
            headers={"X-Amz-Security-Token": token} if token else {})
    except CreateAccessKeyFailure as e:
        if e.reason == "InvalidToken":
            return ("InvalidToken", "The provided token is malformed or "
                    "otherwise invalid.")
        return ("InvalidAccessKeyId", "The AWS Access Key Id you provided "
                "does not exist in our records.")
    target = RAW.uri or environ.get("PATH_INFO", "/")
    path, _, qs = target.partition("?")
    kept = [p for p in qs.split("&") if p and
            urllib.parse.unquote(p.partition("=")[0]) not in QUERY_AUTH]
    url = f"http://{environ.get('HTTP_HOST', '')}{path}" + \
        ("?" + "&".join(kept) if kept else "")
    headers = {}
    for name in signed:
        if name != "host":
            var = name.upper().replace("-", "_")
            headers[name] = environ.get("HTTP_" + var, environ.get(var, ""))
    req = AWSRequest(method=environ["REQUEST_METHOD"], url=url,
                     headers=headers)
    req.context["timestamp"] = date
    auth = S3SigV4QueryAuth(key.create_credentials(), "s3", scope[2],
                            expires=expires)
    auth._modify_request_before_signing(req)
    canonical = auth.canonical_request(req)
    mine = auth.signature(auth.string_to_sign(req, canonical), req)
    if mine != signature:
        return ("SignatureDoesNotMatch", "The request signature we "
                "calculated does not match the signature you provided. Check "
                "your key and signing method.")
    return None


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
    status = "400 Bad Request" if code.startswith("Authorization") \
        else "403 Forbidden"
    return answer(start_response, status, "application/xml",
                  '<?xml version="1.0" encoding="UTF-8"?>\n'
                  f"<Error><Code>{code}</Code><Message>{message}</Message>"
                  "<RequestId>fakeaws</RequestId></Error>")


def query_error(start_response, code, message):
    return answer(start_response, "403 Forbidden", "text/xml",
                  "<ErrorResponse><Error><Type>Sender</Type>"
                  f"<Code>{code}</Code><Message>{message}</Message></Error>"
                  "<RequestId>fakeaws</RequestId></ErrorResponse>")


def keep_form_typed_put_bodies():
    """moto takes request.body, when a request has one, before the form."""
    from moto.core.responses import BaseResponse
    original = BaseResponse.setup_class

    def setup_class(self, request, *args, **kwargs):
        body = getattr(RAW, "put_body", None)
        if body is not None and not hasattr(request, "body"):
            request.body = body
        return original(self, request, *args, **kwargs)
    BaseResponse.setup_class = setup_class


def install(app):
    """Patch moto's checker and wrap APP; returns the app to serve."""
    keep_form_typed_put_bodies()
    check_signatures_on_the_wire_target()
    skip_check_for_unsigned_operations()
    return remember_raw_uri(unsigned_requests(json_auth_errors(app)))
