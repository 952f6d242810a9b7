#!/usr/bin/env python3
"""motoserver.py - the machine's moto server app on a kernel-picked loopback port.

usage: motoserver.py --port-file FILE [--lifetime SECONDS] [--no-auth-count N]

Runs the same WSGI app as `moto_server` (moto.server.main builds it the same
way) with werkzeug's threaded server, but binds 127.0.0.1 port 0 itself, so
parallel test runs never race for a port, and writes the port to --port-file
once it listens.  Request authentication (SigV4 checking) switches on after
the first N authenticated requests (moto's INITIAL_NO_AUTH_ACTION_COUNT,
read by moto.settings at import).  Exits by itself after --lifetime seconds
or on SIGTERM/SIGINT.
"""
import argparse
import json
import os
import re
import signal
import sys
import threading

RAW = threading.local()     # the request target as sent, per server thread


def remember_raw_uri(app):
    """WSGI middleware: keep the undecoded request target for the checker."""
    def wrapped(environ, start_response):
        RAW.uri = environ.get("RAW_URI") or environ.get("REQUEST_URI")
        return app(environ, start_response)
    return wrapped


def check_signatures_on_the_wire_target():
    """Make moto verify the signature over the path and query as sent.

    moto rebuilds the request for botocore's signer from werkzeug's decoded
    URL, so a correctly signed request whose query or S3 key holds %2F, '+',
    '=' or non-ASCII bytes is refused with SignatureDoesNotMatch (`aws s3 ls
    s3://b/` sends delimiter=%2F).  The client signed the target it sent:
    hand that to the signer instead.
    """
    from moto.iam import access_control
    base = access_control.IAMRequestBase
    original = base._create_aws_request

    def _create_aws_request(self):
        raw = getattr(RAW, "uri", None)
        if raw and raw.startswith("/"):
            self._path = raw
        return original(self)
    base._create_aws_request = _create_aws_request


# moto answers authentication failures of JSON 1.1 services (SageMaker, Logs)
# as query-protocol XML with HTTP 403; AWS answers them in the protocol's own
# shape (aws-protocols.md 4.2), HTTP 400 as DynamoDB and Logs do (the status
# for SageMaker is not confirmed against the live service).
JSON_AUTH_CODES = {"SignatureDoesNotMatch": "InvalidSignatureException",
                   "InvalidClientTokenId": "UnrecognizedClientException",
                   "AccessDenied": "AccessDeniedException"}


def json_auth_errors(app):
    """WSGI middleware: moto's XML 403 for an X-Amz-Target request -> JSON."""
    def wrapped(environ, start_response):
        if "HTTP_X_AMZ_TARGET" not in environ:
            return app(environ, start_response)
        if "HTTP_AUTHORIZATION" not in environ:    # moto: a 500 from KeyError
            return json_error(start_response, "MissingAuthenticationToken"
                              "Exception", "Missing Authentication Token")
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


def write_atomic(path, text):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=float, default=1800.0)
    ap.add_argument("--no-auth-count", type=int, default=3)
    a = ap.parse_args()

    # moto.settings reads this once, at import: set it before importing moto.
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = str(a.no_auth_count)
    from werkzeug.serving import make_server
    from moto.moto_server.werkzeug_app import (DomainDispatcherApplication,
                                               create_backend_app)
    check_signatures_on_the_wire_target()
    app = remember_raw_uri(json_auth_errors(
        DomainDispatcherApplication(create_backend_app)))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.daemon_threads = True
    os.environ["MOTO_PORT"] = str(server.server_port)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    write_atomic(a.port_file, f"{server.server_port}\n")
    if not done.wait(a.lifetime):
        print(f"motoserver: lifetime of {a.lifetime:g} s reached, exiting",
              file=sys.stderr)
    # Nothing to flush or save: leave at once rather than wait for
    # serve_forever's next poll and for open keep-alive connections.
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
