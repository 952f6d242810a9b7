#!/usr/bin/env python3
"""faultproxy.py - a recording, fault-injecting HTTP proxy on 127.0.0.1.

usage: faultproxy.py --upstream URL --port-file FILE [--log FILE]
                     [--rate R] [--seed N] [--mix SPEC] [--ops GLOBS]
                     [--delay-ms MS] [--lifetime SECONDS]
       faultproxy.py --plan N [--rate R] [--seed N] [--mix SPEC]

Forwards every request to the upstream (the fake AWS) and writes one line per
request to the log: seq, method, path, operation, fault, status (tab
separated).  From a seed and a rate it replaces some answers with faults:

  500         HTTP 500 in the protocol's shape (InternalFailure,
              InternalError)
  503         HTTP 503 ServiceUnavailable in the protocol's shape
  throttle    JSON 1.1: 400 ThrottlingException (+ x-amzn-ErrorType);
              query: 400 <ErrorResponse> Code Throttling; S3: 503 SlowDown
  reset       the request is read, not forwarded, and the connection reset
  reset-body  forwarded; the answer's head and part of its body sent, then RST
              (an answer without a body: part of its head, then RST)
  truncate    forwarded; the head (with the full Content-Length) and part of
              the body sent, then a clean close (without a body: part of the
              status line, then a clean close)
  delay       forwarded after a pause of about --delay-ms
  corrupt     forwarded; one byte of the body inverted, length and headers
              intact (not in the default mix: only a checksum catches it)
  hold        forwarded once released: by POST /__faultproxy/release
              {"count": N} (the next N held requests go on), by any change
              of the settings (all go on), or after 600 s (not in the
              default mix: for tests that act while a request is held)

Request number i (counted from 0 since start or the last reconfiguration)
draws from random.Random("SEED/i"): the same seed and request order give the
same faults.  --mix is kind[=weight],... (default: every kind but
corrupt, weight 1).  --ops limits faults to operations matching one of the
comma-separated globs (s3:GetObject, sagemaker:*).  At --rate 0 it is a pure
recorder.  It listens on 127.0.0.1 only, on a port the kernel picks (written
to --port-file), and exits by itself after --lifetime seconds.

Control (not logged): GET /__faultproxy/config prints the settings as JSON;
POST /__faultproxy/config with a JSON object (rate, seed, mix, ops, delay_ms)
changes them and restarts the request numbering (and lets every held
request go on).  POST /__faultproxy/release {"count": N} lets the next N
held requests go on.  GET /__faultproxy/busy
prints {"received": R, "recorded": L, "open": C}: requests read so far, log
lines written, client connections open (the asking one not counted), so a
test can wait until a request has arrived, or until every request has been
answered and every client is gone, without guessing a time.
"""
import argparse
import fnmatch
import http.client
import json
import os
import random
import re
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

FAULTS = ("500", "503", "throttle", "reset", "reset-body", "truncate",
          "delay", "corrupt", "hold")
# corrupt only when asked for: no client retries it; hold only when a test
# releases what it holds
DEFAULT_MIX = FAULTS[:-2]
HOLD_SECONDS = 600          # a held request goes on by itself after this
BUFFER_MAX = 16 << 20       # request bodies up to this are held in memory
PARSE_MAX = 1 << 20         # query-protocol bodies parsed for Action
CHUNK = 64 << 10
CONTROL = "/__faultproxy/config"
BUSY = "/__faultproxy/busy"
RELEASE = "/__faultproxy/release"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te",
              "trailer", "upgrade", "proxy-authenticate",
              "proxy-authorization"}
QUERY_VERSIONS = {"2011-06-15": "sts", "2010-05-08": "iam"}
TARGET_PREFIXES = {"SageMaker": "sagemaker", "Logs_20140328": "logs"}
SECRET_PARAMS = {"x-amz-signature", "x-amz-security-token",
                 "x-amz-credential", "signature", "awsaccesskeyid"}


def parse_mix(spec):
    """'500=1,throttle=2' -> {kind: weight}; empty: DEFAULT_MIX, weight 1."""
    if not spec:
        return {k: 1.0 for k in DEFAULT_MIX}
    mix = {}
    for item in spec.split(","):
        kind, _, weight = item.partition("=")
        kind = kind.strip()
        if kind not in FAULTS:
            raise ValueError(f"unknown fault '{kind}' (known: "
                             f"{', '.join(FAULTS)})")
        mix[kind] = float(weight) if weight else 1.0
        if mix[kind] < 0:
            raise ValueError(f"negative weight for '{kind}'")
    if sum(mix.values()) <= 0:
        raise ValueError("the mix has no positive weight")
    return mix


class Plan:
    """The fault settings and the numbering of requests."""

    def __init__(self, rate, seed, mix, ops, delay_ms):
        if not 0 <= rate <= 1:
            raise ValueError(f"rate {rate} is not within 0..1")
        self.rate = rate
        self.seed = seed
        self.mix = mix
        self.ops = [g for g in ops.split(",") if g] if ops else []
        self.delay_ms = delay_ms
        self.index = 0

    def describe(self):
        return {"rate": self.rate, "seed": self.seed, "mix": self.mix,
                "ops": ",".join(self.ops), "delay_ms": self.delay_ms,
                "index": self.index}

    def draw(self, i):
        """Fault decision for request i: (kind or None, cut, pause)."""
        r = random.Random(f"{self.seed}/{i}")
        u = r.random()
        kinds = sorted(self.mix)
        kind = r.choices(kinds, [self.mix[k] for k in kinds])[0]
        cut = r.random()
        pause = self.delay_ms / 1000.0 * (0.5 + r.random())
        return (kind if u < self.rate else None), cut, pause

    def next(self, op):
        i = self.index
        self.index += 1
        kind, cut, pause = self.draw(i)
        if kind and self.ops and not any(fnmatch.fnmatchcase(op, g)
                                         for g in self.ops):
            kind = None
        return kind, cut, pause


def redact(path):
    """The request target with signatures and tokens blanked."""
    base, sep, query = path.partition("?")
    if not sep:
        return path
    parts = []
    for item in query.split("&"):
        name = urllib.parse.unquote(item.partition("=")[0])
        parts.append(f"{item.partition('=')[0]}=REDACTED"
                     if name.lower() in SECRET_PARAMS else item)
    return base + "?" + "&".join(parts)


def scope_service(headers, query):
    auth = headers.get("Authorization", "")
    m = re.search(r"Credential=[^/,]+/\d{8}/[^/,]+/([^/,]+)/", auth)
    if m:
        return m.group(1)
    cred = query.get("X-Amz-Credential", [""])[0]
    fields = cred.split("/")
    return fields[3] if len(fields) >= 5 else None


def s3_operation(method, path, query, headers):
    """S3 REST operation name from method, path shape and subresources."""
    segs = [s for s in path.split("/", 2)[1:] if s]
    has = query.__contains__
    if not segs:
        return "ListBuckets"
    if len(segs) == 1:
        verb = {"GET": "Get", "PUT": "Put", "DELETE": "Delete"}.get(method)
        if method == "POST" and has("delete"):
            return "DeleteObjects"
        if method == "GET" and has("uploads"):
            return "ListMultipartUploads"
        subs = [k for k in query if k not in ("list-type", "prefix",
                "delimiter", "max-keys", "marker", "continuation-token",
                "start-after", "encoding-type", "fetch-owner")]
        if subs and verb:
            return f"{verb}Bucket{subs[0][:1].upper()}{subs[0][1:]}"
        return {"PUT": "CreateBucket", "HEAD": "HeadBucket",
                "DELETE": "DeleteBucket",
                "GET": "ListObjectsV2" if query.get("list-type") == ["2"]
                else "ListObjects"}.get(method, method + "Bucket")
    copy = "x-amz-copy-source" in {k.lower() for k in headers}
    if method == "PUT":
        if has("uploadId"):
            return "UploadPartCopy" if copy else "UploadPart"
        return "CopyObject" if copy else "PutObject"
    if method == "POST":
        if has("uploads"):
            return "CreateMultipartUpload"
        if has("uploadId"):
            return "CompleteMultipartUpload"
    if method == "DELETE":
        return "AbortMultipartUpload" if has("uploadId") else "DeleteObject"
    if method == "GET" and has("uploadId"):
        return "ListParts"
    return {"GET": "GetObject", "HEAD": "HeadObject"}.get(method,
                                                         method + "Object")


def classify(method, path, headers, body):
    """(operation 'service:Name', protocol 'json'|'query'|'s3')."""
    url_path, _, qs = path.partition("?")
    query = urllib.parse.parse_qs(qs, keep_blank_values=True)
    service = scope_service(headers, query)
    target = headers.get("X-Amz-Target")
    if target:
        prefix, _, name = target.partition(".")
        return f"{service or TARGET_PREFIXES.get(prefix, prefix)}:{name}", \
            "json"
    action = query.get("Action", [None])[0]
    version = query.get("Version", [None])[0]
    ctype = headers.get("Content-Type", "")
    if not action and body is not None and \
            ctype.startswith("application/x-www-form-urlencoded") and \
            len(body) <= PARSE_MAX:
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        action = form.get("Action", [None])[0]
        version = form.get("Version", [None])[0]
    if action:
        svc = service or QUERY_VERSIONS.get(version, "query")
        return f"{svc}:{action}", "query"
    return f"s3:{s3_operation(method, url_path, query, headers)}", "s3"


def error_answer(kind, proto, seq):
    """(status, reason, headers, body) of an injected error."""
    rid = f"FAULT{seq:08d}"
    code, status, message = {
        ("500", "json"): ("InternalFailure", 500, "injected 500"),
        ("503", "json"): ("ServiceUnavailable", 503, "injected 503"),
        ("throttle", "json"): ("ThrottlingException", 400, "Rate exceeded"),
        ("500", "query"): ("InternalFailure", 500, "injected 500"),
        ("503", "query"): ("ServiceUnavailable", 503, "injected 503"),
        ("throttle", "query"): ("Throttling", 400, "Rate exceeded"),
        ("500", "s3"): ("InternalError", 500,
                        "We encountered an internal error. Please try again."),
        ("503", "s3"): ("ServiceUnavailable", 503,
                        "Service is unable to handle request."),
        ("throttle", "s3"): ("SlowDown", 503,
                             "Please reduce your request rate."),
    }[(kind, proto)]
    if proto == "json":
        headers = [("x-amzn-RequestId", rid),
                   ("x-amzn-ErrorType", code + ":http://internal.amazon.com/"
                    "coral/com.amazon.coral.service/"),
                   ("Content-Type", "application/x-amz-json-1.1")]
        body = json.dumps({"__type": code, "message": message})
    elif proto == "query":
        side = "Sender" if status < 500 else "Receiver"
        headers = [("Content-Type", "text/xml")]
        body = (f"<ErrorResponse><Error><Type>{side}</Type><Code>{code}</Code>"
                f"<Message>{message}</Message></Error>"
                f"<RequestId>{rid}</RequestId></ErrorResponse>")
    else:
        headers = [("x-amz-request-id", rid), ("x-amz-id-2", "faultproxy"),
                   ("Content-Type", "application/xml")]
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f"<Error><Code>{code}</Code><Message>{message}</Message>"
                f"<RequestId>{rid}</RequestId><HostId>faultproxy</HostId>"
                "</Error>")
    reason = http.client.responses.get(status, "Error")
    return status, reason, headers, body.encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # the head and the body go out in separate writes: with Nagle's
    # algorithm the body waits for the client's delayed ACK (40 ms)
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        with self.server.lock:
            self.server.open += 1

    def finish(self):
        try:
            super().finish()
        finally:
            with self.server.lock:
                self.server.open -= 1

    def do_any(self):
        if self.path.split("?")[0] == CONTROL:
            return self.control()
        if self.path.split("?")[0] == BUSY:
            return self.busy()
        if self.path.split("?")[0] == RELEASE:
            return self.release()
        body, length = self.read_body()
        if body is False:
            return
        op, proto = classify(self.command, self.path, self.headers, body)
        srv = self.server
        with srv.lock:
            seq = srv.seq
            srv.seq += 1
            kind, cut, pause = srv.plan.next(op)
        if kind in ("500", "503", "throttle"):
            srv.record(seq, self.command, self.path, op, kind,
                       error_answer(kind, proto, seq)[0])
            return self.send_error_answer(kind, proto, seq, body, length)
        if kind == "reset":
            self.drain(body, length)
            srv.record(seq, self.command, self.path, op, kind, "-")
            return self.reset()
        if kind == "delay":
            time.sleep(pause)
        if kind == "hold":
            self.hold()
        self.forward(seq, op, kind, cut, body, length)

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_any
    do_OPTIONS = do_any

    def read_body(self):
        """(bytes, or None when streamed; length); (False, 0) if bad."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self.read_chunked(), None
        try:
            n = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            self.send_error(400, "bad Content-Length")
            return False, 0
        if n <= BUFFER_MAX:
            return self.rfile.read(n), n
        return None, n

    def read_chunked(self):
        parts = []
        size = 0
        while True:
            line = self.rfile.readline(1024)
            n = int(line.split(b";")[0].strip() or b"0", 16)
            if n == 0:
                while self.rfile.readline(1024).strip():
                    pass
                return b"".join(parts)
            size += n
            if size > BUFFER_MAX:
                raise ValueError("chunked request body over the cap")
            parts.append(self.rfile.read(n))
            self.rfile.readline(8)

    def drain(self, body, length):
        if body is None:
            left = length
            while left > 0:
                got = self.rfile.read(min(CHUNK, left))
                if not got:
                    break
                left -= len(got)

    def reset(self):
        """Abort the connection with a TCP RST."""
        self.close_connection = True
        try:
            self.wfile.flush()
        except OSError:
            pass
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        self.connection.close()

    def send_error_answer(self, kind, proto, seq, body, length):
        self.drain(body, length)
        status, reason, headers, payload = error_answer(kind, proto, seq)
        if self.command == "HEAD":
            payload = b""
        head = [("Content-Length", str(len(payload)))] + headers
        self.write_head(status, reason, head)
        self.wfile.write(payload)

    def write_head(self, status, reason, headers):
        lines = [f"HTTP/1.1 {status} {reason}\r\n"]
        lines += [f"{k}: {v}\r\n" for k, v in headers]
        lines.append("\r\n")
        self.wfile.write("".join(lines).encode("latin-1"))

    def upstream_request(self, body, length):
        up = self.server.upstream
        conn = http.client.HTTPConnection(up.hostname, up.port, timeout=300)
        conn.putrequest(self.command, self.path, skip_host=True,
                        skip_accept_encoding=True)
        for k, v in self.headers.items():
            if k.lower() in ("expect", "transfer-encoding") or \
                    (k.lower() == "content-length" and length is None):
                continue
            conn.putheader(k, v)
        if length is None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders()
        if body is not None:
            if body:
                conn.send(body)
        else:
            left = length
            while left > 0:
                got = self.rfile.read(min(CHUNK, left))
                if not got:
                    raise ConnectionError("client closed the request body")
                conn.send(got)
                left -= len(got)
        return conn, conn.getresponse()

    def forward(self, seq, op, kind, cut, body, length):
        srv = self.server
        try:
            conn, resp = self.upstream_request(body, length)
        except (OSError, http.client.HTTPException) as e:
            srv.record(seq, self.command, self.path, op, kind or "-",
                       "upstream-error")
            print(f"faultproxy: upstream: {e}", file=sys.stderr)
            self.close_connection = True
            try:
                self.write_head(502, "Bad Gateway", [("Content-Length", "0")])
            except OSError:
                pass
            return
        try:
            self.relay(seq, op, kind, cut, resp)
        finally:
            conn.close()

    def relay(self, seq, op, kind, cut, resp):
        headers = [(k, v) for k, v in resp.getheaders()
                   if k.lower() not in HOP_BY_HOP]
        bodiless = self.command == "HEAD" or resp.status in (204, 304) or \
            100 <= resp.status < 200
        clen = resp.getheader("Content-Length")
        data = None
        if not bodiless and clen is None:
            data = resp.read()
            headers.append(("Content-Length", str(len(data))))
            total = len(data)
        else:
            total = 0 if bodiless else int(clen)
        if kind in ("reset-body", "truncate") and total == 0:
            kind += "-head"     # nothing to cut but the head itself
        if kind == "corrupt" and total == 0:
            kind = "corrupt-empty"  # nothing to corrupt
        self.server.record(seq, self.command, self.path, op, kind or "-",
                           resp.status)
        if kind in ("reset-body-head", "truncate-head"):
            head = self.head_bytes(resp, headers)
            # A clean close after whole header lines passes for a complete
            # answer with curl: truncate within the status line.
            end = len(head) if kind == "reset-body-head" else head.index(b"\r")
            self.wfile.write(head[:int(end * cut)])
            return self.reset() if kind == "reset-body-head" else self.close()
        self.write_head(resp.status, resp.reason, headers)
        if bodiless:
            return
        limit = int(total * cut) if kind in ("reset-body", "truncate") \
            else total
        flip = int(total * cut) if kind == "corrupt" else -1
        self.copy_body(resp, data, limit, flip)
        if kind == "reset-body":
            self.reset()
        elif kind == "truncate":
            self.close()

    def head_bytes(self, resp, headers):
        lines = [f"HTTP/1.1 {resp.status} {resp.reason}\r\n"]
        lines += [f"{k}: {v}\r\n" for k, v in headers]
        return ("".join(lines) + "\r\n").encode("latin-1")

    def copy_body(self, resp, data, limit, flip):
        """Send LIMIT bytes of the body, the byte at FLIP (if >= 0) inverted."""
        done = 0
        while done < limit:
            if data is not None:
                got = data[done:limit]
            else:
                got = resp.read(min(CHUNK, limit - done))
            if not got:
                break
            if done <= flip < done + len(got):
                i = flip - done
                got = got[:i] + bytes([got[i] ^ 0xFF]) + got[i + 1:]
            self.wfile.write(got)
            done += len(got)

    def close(self):
        """End the connection cleanly (FIN) before the body is complete."""
        self.close_connection = True
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_WR)

    def hold(self):
        """Wait for a release, a change of settings, or HOLD_SECONDS."""
        srv = self.server
        deadline = time.monotonic() + HOLD_SECONDS
        with srv.held:
            gen = srv.generation
            while srv.generation == gen and srv.releases == 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                srv.held.wait(left)
            if srv.generation == gen:
                srv.releases -= 1

    def release(self):
        srv = self.server
        n = int(self.headers.get("Content-Length", "0"))
        try:
            count = int(json.loads(self.rfile.read(n) or b"{}")
                        .get("count", 1))
        except (ValueError, TypeError, AttributeError):
            count = -1
        if self.command != "POST" or count < 0:
            self.write_head(400, "Bad Request", [("Content-Length", "0")])
            return
        with srv.held:
            srv.releases += count
            srv.held.notify_all()
        self.write_head(200, "OK", [("Content-Length", "0")])

    def busy(self):
        srv = self.server
        with srv.lock:
            msg = json.dumps({"received": srv.seq, "recorded": srv.recorded,
                              "open": srv.open - 1}).encode()
        self.write_head(200, "OK", [("Content-Type", "application/json"),
                                    ("Content-Length", str(len(msg)))])
        self.wfile.write(msg)

    def control(self):
        srv = self.server
        if self.command == "POST":
            n = int(self.headers.get("Content-Length", "0"))
            try:
                conf = json.loads(self.rfile.read(n) or b"{}")
                old = srv.plan.describe()
                mix = conf.get("mix", old["mix"])
                plan = Plan(float(conf.get("rate", old["rate"])),
                            str(conf.get("seed", old["seed"])),
                            parse_mix(mix) if isinstance(mix, str) else mix,
                            conf.get("ops", old["ops"]),
                            float(conf.get("delay_ms", old["delay_ms"])))
            except (ValueError, TypeError, AttributeError) as e:
                msg = json.dumps({"error": str(e)}).encode()
                self.write_head(400, "Bad Request",
                                [("Content-Length", str(len(msg)))])
                self.wfile.write(msg)
                return
            with srv.lock:
                srv.plan = plan
            with srv.held:      # what the old settings held goes on
                srv.generation += 1
                srv.releases = 0
                srv.held.notify_all()
        elif self.command != "GET":
            self.write_head(405, "Method Not Allowed",
                            [("Content-Length", "0")])
            return
        with srv.lock:
            msg = json.dumps(srv.plan.describe()).encode()
        self.write_head(200, "OK", [("Content-Type", "application/json"),
                                    ("Content-Length", str(len(msg)))])
        self.wfile.write(msg)


class Proxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, upstream, plan, log):
        super().__init__(("127.0.0.1", 0), Handler)
        self.upstream = upstream
        self.plan = plan
        self.log = log
        self.lock = threading.Lock()
        self.seq = 0
        self.recorded = 0
        self.open = 0
        self.held = threading.Condition()   # hold: generation, releases
        self.generation = 0
        self.releases = 0

    def record(self, seq, method, path, op, fault, status):
        """One line per request, written before the client sees an answer."""
        line = f"{seq}\t{method}\t{redact(path)}\t{op}\t{fault}\t{status}\n"
        with self.lock:
            self.recorded += 1
            if self.log is not None:
                self.log.write(line)
                self.log.flush()


def write_atomic(path, text):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--upstream")
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--rate", type=float, default=0.0)
    ap.add_argument("--seed", default="0")
    ap.add_argument("--mix", default="")
    ap.add_argument("--ops", default="")
    ap.add_argument("--delay-ms", type=float, default=200.0)
    ap.add_argument("--lifetime", type=float, default=1800.0)
    ap.add_argument("--plan", type=int, metavar="N",
                    help="print the fault of the first N requests and exit")
    a = ap.parse_args()
    try:
        plan = Plan(a.rate, a.seed, parse_mix(a.mix), a.ops, a.delay_ms)
    except ValueError as e:
        ap.error(str(e))
    if a.plan is not None:
        for i in range(a.plan):
            print(f"{i}\t{plan.next('')[0] or '-'}")
        return 0
    if not a.upstream or not a.port_file:
        ap.error("--upstream and --port-file are required")
    upstream = urllib.parse.urlsplit(a.upstream)
    if upstream.scheme != "http" or not upstream.hostname:
        ap.error(f"upstream '{a.upstream}' is not an http:// URL")
    log = open(a.log, "a", encoding="utf-8") if a.log else None
    server = Proxy(upstream, plan, log)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    write_atomic(a.port_file, f"{server.server_address[1]}\n")
    if not done.wait(a.lifetime):
        print(f"faultproxy: lifetime of {a.lifetime:g} s reached, exiting",
              file=sys.stderr)
    # Nothing to flush or save: leave at once rather than wait for
    # serve_forever's next poll and for open keep-alive connections.
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
