#!/usr/bin/env python3
"""httpd.py - a scripted HTTP/1.1 server on loopback for the http.c tests.

Prints "PORT PID" on stdout, then serves until killed; with CERT and KEY
arguments it speaks TLS (https) with that certificate.  Paths:
  /echo           200, JSON: method, path, headers, body length and SHA-256,
                  and the ordinal of the TCP connection (to see reuse)
  /status/N       status N, body "status N" (HEAD: no body)
  /reset          closes the connection without answering
  /truncate       promises 100 bytes, sends 10, closes
  /stall          sends the headers and 5 bytes, then waits 30 s
  /big/N          N bytes of 'x'
  /headers/N      N extra response headers
  /continue       a 100 Continue, then 200 with header x-final: yes
  /flaky/N/ID     the first N requests for ID get 503 ServiceUnavailable in
                  the JSON shape (an ID ending in -raS adds Retry-After: S),
                  later ones are answered as /echo
  /error200/N/ID  the first N get 200 with an S3 <Error> body, later ones
                  200 with a <CompleteMultipartUploadResult>
  /json400        400 ValidationException in the JSON 1.1 shape
  /s3region/R/... an S3 bucket in region R: a request signed for another
                  region gets what S3 sends (HEAD: a bodiless 301 with
                  x-amz-bucket-region; others: 400
                  AuthorizationHeaderMalformed naming R); one signed for R
                  is answered as /echo
  /sts            STS AssumeRoleWithWebIdentity as the real service takes
                  it: unsigned (an Authorization header is refused), the
                  form decoded by urllib; the answer echoes the session name
"""
import hashlib
import json
import urllib.parse
import os
import socketserver
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

connections = 0
lock = threading.Lock()
seen = {}


def count(key):
    with lock:
        seen[key] = seen.get(key, 0) + 1
        return seen[key]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        global connections
        super().setup()
        with lock:
            connections += 1
            self.conn_id = connections

    def log_message(self, *args):
        pass

    def body(self):
        n = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(n) if n else b""

    def send(self, status, data, extra=()):
        self.send_response(status)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def handle_any(self):
        body = self.body()
        parts = self.path.split("?")[0].strip("/").split("/")
        what = parts[0]
        arg = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
        if what in ("flaky", "error200") and len(parts) >= 3:
            n = count(what + "/" + parts[2])
            if what == "flaky" and n <= arg:
                extra = [("Content-Type", "application/x-amz-json-1.1")]
                if "-ra" in parts[2]:
                    extra.append(("Retry-After", parts[2].split("-ra")[1]))
                self.send(503, b'{"__type":"ServiceUnavailable",'
                          b'"message":"try later"}', extra)
                return
            if what == "error200":
                self.send(200, b"<Error><Code>InternalError</Code>"
                          b"<Message>try again</Message></Error>"
                          if n <= arg else
                          b"<CompleteMultipartUploadResult><ETag>&quot;e-2"
                          b"&quot;</ETag></CompleteMultipartUploadResult>")
                return
            what = "echo"
        if what == "s3region" and len(parts) >= 2:
            auth = self.headers.get("Authorization", "")
            scope = auth.split("Credential=")[-1].split(",")[0].split("/")
            if len(scope) < 3 or scope[2] != parts[1]:
                if self.command == "HEAD":
                    self.send(301, b"", [("x-amz-bucket-region", parts[1])])
                else:
                    self.send(400, b"<Error><Code>AuthorizationHeader"
                              b"Malformed</Code><Message>wrong region"
                              b"</Message><Region>%s</Region></Error>"
                              % parts[1].encode())
                return
            what = "echo"
        if what == "json400":
            self.send(400, b'{"__type":"ValidationException",'
                      b'"message":"1 validation error"}',
                      [("x-amzn-RequestId", "RID-400")])
            return
        if what == "echo":
            doc = {
                "method": self.command,
                "path": self.path,
                "headers": [[k.lower(), v] for k, v in self.headers.items()],
                "body_len": len(body),
                "body_sha256": hashlib.sha256(body).hexdigest(),
                "connection": self.conn_id,
            }
            self.send(200, json.dumps(doc).encode(),
                      [("Content-Type", "application/json"),
                       ("X-Mixed-Case", "  Value  ")])
        elif what == "status":
            self.send(arg, b"status %d" % arg)
        elif what == "reset":
            self.close_connection = True
            self.connection.shutdown(2)
        elif what == "truncate":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
        elif what == "stall":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"01234")
            self.wfile.flush()
            time.sleep(30)
            self.close_connection = True
        elif what == "big":
            self.send(200, b"x" * arg)
        elif what == "headers":
            self.send(200, b"ok", [("X-H%d" % i, "v%d" % i)
                                   for i in range(arg)])
        elif what == "sts":
            self.sts(body)
        elif what == "continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n")
            self.send(200, b"ok", [("X-Final", "yes")])
        else:
            self.send(404, b"no such path")

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = handle_any


STS_ANSWER = """<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAWEBIDENTITY</AccessKeyId>
<SecretAccessKey>webidentitysecret</SecretAccessKey><SessionToken>token-%s</SessionToken>
<Expiration>2026-11-26T23:45:37Z</Expiration></Credentials>
<AssumedRoleUser><Arn>%s/%s</Arn></AssumedRoleUser></AssumeRoleWithWebIdentityResult>
</AssumeRoleWithWebIdentityResponse>"""


def sts(self, body):
    form = urllib.parse.parse_qs(body.decode(), keep_blank_values=True,
                                 strict_parsing=True)
    want = {"Action", "Version", "RoleArn", "RoleSessionName",
            "WebIdentityToken"}
    if self.headers.get("Authorization") or not want <= set(form) or \
            form["Action"] != ["AssumeRoleWithWebIdentity"] or \
            form["Version"] != ["2011-06-15"]:
        self.send(403, b"<ErrorResponse><Error><Code>AccessDenied</Code>"
                  b"<Message>signed, or not a web identity call</Message>"
                  b"</Error></ErrorResponse>")
        return
    token = hashlib.sha256(form["WebIdentityToken"][0].encode()).hexdigest()
    answer = STS_ANSWER % (token[:16], form["RoleArn"][0],
                           form["RoleSessionName"][0])
    self.send(200, answer.encode(), [("Content-Type", "text/xml")])


Handler.sts = sts


class Server(socketserver.ThreadingMixIn, HTTPServer):
    daemon_threads = True


def main():
    srv = Server(("127.0.0.1", 0), Handler)
    if len(sys.argv) == 3:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[1], sys.argv[2])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    sys.stdout.write("%d %d\n" % (srv.server_address[1], os.getpid()))
    sys.stdout.flush()
    srv.serve_forever()


if __name__ == "__main__":
    main()
