#!/usr/bin/env python3
"""httpd.py - a scripted HTTP/1.1 server on loopback for the http.c tests.

Prints "PORT PID" on stdout, then serves until killed.  Paths:
  /echo           200, JSON: method, path, headers, body length and SHA-256,
                  and the ordinal of the TCP connection (to see reuse)
  /status/N       status N, body "status N" (HEAD: no body)
  /reset          closes the connection without answering
  /truncate       promises 100 bytes, sends 10, closes
  /stall          sends the headers and 5 bytes, then waits 30 s
  /big/N          N bytes of 'x'
  /headers/N      N extra response headers
  /continue       a 100 Continue, then 200 with header x-final: yes
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
    sys.stdout.write("%d %d\n" % (srv.server_address[1], os.getpid()))
    sys.stdout.flush()
    srv.serve_forever()


if __name__ == "__main__":
    main()
