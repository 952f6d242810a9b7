"""fake-creds-server.py: one loopback HTTP server playing every credential
endpoint the chain talks to, for tests/creds/*.t.

  python3 fake-creds-server.py PORTFILE LOGFILE LIFETIME_SECONDS SETTINGS

Listens on 127.0.0.1 (a free port, written to PORTFILE), logs one line per
request to LOGFILE and exits after LIFETIME_SECONDS whatever happens.  The
FAKE_* settings below are read from SETTINGS (KEY=VALUE lines) on every
request, so a test changes them between cases.

  POST /  (STS)   AssumeRoleWithWebIdentity (unsigned; the token must equal
                  FAKE_WEB_TOKEN) and AssumeRole (SigV4 recomputed with
                  botocore from FAKE_SIGNING_KEYS "akid:secret[:token],...").
                  Issued keys are deterministic, "ASIA" + a digest of what
                  identifies the request (role, source key or token), so
                  botocore and our client get the same answer.
  GET /container/creds   container credentials; Authorization must equal
                  FAKE_CONTAINER_TOKEN when set.
  PUT /latest/api/token and GET /latest/meta-data/iam/security-credentials/
                  [ROLE]: IMDSv2 (FAKE_IMDS_V1=1: the token PUT gets 403).

Expiration is now + FAKE_EXPIRES (default 3600) seconds.  With
FAKE_STEP=1 each issue N (1, 2, ...) of a kind gets key suffix N and
expires at start + N * 3600, for refresh tests on a shifted clock; with
FAKE_MAX_ISSUES=M web identity issues after the M-th are refused.
"""
import datetime
import hashlib
import hmac
import http.server
import json
import os
import sys
import threading
import time
from urllib.parse import parse_qsl

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

START = int(time.time())


class Settings:
    """FAKE_* values from the settings file, read afresh each time."""

    def get(self, name, default=None):
        value = default         # the last line naming NAME wins
        try:
            with open(sys.argv[4]) as f:
                for line in f:
                    key, _, v = line.rstrip("\n").partition("=")
                    if key == name:
                        value = v
        except OSError:
            pass
        return value


SETTINGS = Settings()
COUNTS = {}
LOCK = threading.Lock()
IMDS_TOKEN = "imds-token-0123456789"


def issue(kind, ident, counter=""):
    """Access key and Expiration for a credential issue of KIND; FAKE_STEP
    counts issues per KIND and COUNTER (so two clients count apart)."""
    key = "ASIA" + kind + hashlib.sha256(ident.encode()).hexdigest()[:8]
    expires = int(time.time()) + int(SETTINGS.get("FAKE_EXPIRES", "3600"))
    if SETTINGS.get("FAKE_STEP") == "1":
        with LOCK:
            COUNTS[kind, counter] = COUNTS.get((kind, counter), 0) + 1
            n = COUNTS[kind, counter]
        if n > int(SETTINGS.get("FAKE_MAX_ISSUES", "1000000")):
            return None, None
        key += "N%d" % n
        expires = START + n * 3600
    stamp = datetime.datetime.fromtimestamp(expires, datetime.timezone.utc)
    return key.upper(), stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def secret_for(key):
    return "fake-secret-for-" + key


def sigv4_ok(method, target, headers, body):
    """Recompute the signature (aws-protocols.md 11.2); the issued key
    depends on the signer's access key, so the source chain shows."""
    keys = {}
    for item in SETTINGS.get("FAKE_SIGNING_KEYS", "").split(","):
        if item:
            parts = item.split(":")
            keys[parts[0]] = (parts[1], parts[2] if len(parts) > 2 else None)
    hdr = {}
    for name, value in headers:
        hdr.setdefault(name.lower(), []).append(value)
    try:
        _, params = hdr["authorization"][0].split(" ", 1)
        auth = dict(p.strip().split("=", 1) for p in params.split(","))
        akid, _, region, service, _ = auth["Credential"].split("/")
    except (KeyError, ValueError):
        return None
    if akid not in keys and akid.startswith("ASIA"):
        keys[akid] = (secret_for(akid), "token-for-" + akid)
    if akid not in keys:
        return None
    secret, token = keys[akid]
    if token is not None and hdr.get("x-amz-security-token") != [token]:
        return None
    path, _, query = target.partition("?")
    req = AWSRequest(method=method, url="http://" + hdr["host"][0] + path,
                     data=body)
    for name in auth["SignedHeaders"].split(";"):
        for value in hdr[name]:
            req.headers.add_header(name, value)
    req.params = parse_qsl(query, keep_blank_values=True)
    req.context["timestamp"] = hdr["x-amz-date"][0]
    signer = SigV4Auth(Credentials(akid, secret, token), service, region)
    creq = signer.canonical_request(req)
    want = signer.signature(signer.string_to_sign(req, creq), req)
    return akid if hmac.compare_digest(want, auth["Signature"]) else None


def sts_error(code, message):
    return (403, "text/xml",
            '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/'
            '2011-06-15/"><Error><Type>Sender</Type><Code>%s</Code>'
            "<Message>%s</Message></Error><RequestId>r</RequestId>"
            "</ErrorResponse>" % (code, message))


def sts_answer(action, key, expiration):
    return (200, "text/xml",
            '<{a}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
            "<{a}Result><Credentials><AccessKeyId>{k}</AccessKeyId>"
            "<SecretAccessKey>{s}</SecretAccessKey>"
            "<SessionToken>token-for-{k}</SessionToken>"
            "<Expiration>{e}</Expiration></Credentials>"
            "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/"
            "R/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>"
            "</{a}Result><ResponseMetadata><RequestId>r</RequestId>"
            "</ResponseMetadata></{a}Response>".format(
                a=action, k=key, s=secret_for(key), e=expiration))


def json_creds(key, expiration, **extra):
    doc = {"AccessKeyId": key, "SecretAccessKey": secret_for(key),
           "Token": "token-for-" + key, "Expiration": expiration}
    doc.update(extra)
    return (200, "application/json", json.dumps(doc))


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, ctype, text):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def record(self, note):
        with LOCK, open(sys.argv[2], "a") as log:
            log.write("%s %s %s\n" % (self.command, self.path, note))

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        form = dict(parse_qsl(body.decode(), keep_blank_values=True))
        action = form.get("Action")
        if action == "AssumeRoleWithWebIdentity":
            ok = form.get("WebIdentityToken") == SETTINGS.get(
                "FAKE_WEB_TOKEN") and "authorization" not in {
                    k.lower() for k in self.headers.keys()}
            self.record("%s role=%s session=%s ok=%s" % (
                action, form.get("RoleArn"), form.get("RoleSessionName"), ok))
            if not ok:
                return self.answer(*sts_error("InvalidIdentityToken",
                                              "bad token"))
            key, exp = issue("WI", form["RoleArn"] + form["WebIdentityToken"],
                             form.get("RoleSessionName"))
            if key is None:
                return self.answer(*sts_error("IDPCommunicationError",
                                              "refresh refused"))
            return self.answer(*sts_answer(action, key, exp))
        if action == "AssumeRole":
            akid = sigv4_ok("POST", self.path, self.headers.items(), body)
            self.record("%s role=%s signer=%s external=%s duration=%s" % (
                action, form.get("RoleArn"), akid, form.get("ExternalId"),
                form.get("DurationSeconds")))
            if akid is None:
                return self.answer(*sts_error("SignatureDoesNotMatch",
                                              "bad signature"))
            key, exp = issue("AR", form["RoleArn"] + akid)
            return self.answer(*sts_answer(action, key, exp))
        self.record("unknown")
        return self.answer(400, "text/plain", "unknown action")

    def do_PUT(self):
        ttl = self.headers.get("x-aws-ec2-metadata-token-ttl-seconds")
        self.record("ttl=%s" % ttl)
        if self.path != "/latest/api/token" or SETTINGS.get(
                "FAKE_IMDS_V1") == "1":
            return self.answer(403, "text/plain", "forbidden")
        if ttl is None:
            return self.answer(400, "text/plain", "missing ttl")
        return self.answer(200, "text/plain", IMDS_TOKEN)

    def do_GET(self):
        token = self.headers.get("x-aws-ec2-metadata-token")
        auth = self.headers.get("Authorization")
        self.record("imds-token=%s auth=%s" % (
            token == IMDS_TOKEN if token else None,
            None if auth is None else auth == SETTINGS.get(
                "FAKE_CONTAINER_TOKEN")))
        if self.path == "/container/creds":
            want = SETTINGS.get("FAKE_CONTAINER_TOKEN")
            if want is not None and auth != want:
                return self.answer(401, "text/plain", "unauthorized")
            key, exp = issue("CT", "container")
            return self.answer(*json_creds(key, exp, RoleArn="arn:r"))
        base = "/latest/meta-data/iam/security-credentials/"
        if not self.path.startswith(base):
            return self.answer(404, "text/plain", "not found")
        if SETTINGS.get("FAKE_IMDS_V1") != "1" and token != IMDS_TOKEN:
            return self.answer(401, "text/plain", "unauthorized")
        if self.path == base:
            return self.answer(200, "text/plain", "test-role")
        if self.path != base + "test-role":
            return self.answer(404, "text/plain", "not found")
        key, exp = issue("IM", "imds")
        return self.answer(*json_creds(key, exp, Code="Success",
                                       Type="AWS-HMAC",
                                       LastUpdated="2026-11-26T00:00:00Z"))


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Timer(float(sys.argv[3]), lambda: os._exit(0)).start()
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    server.serve_forever()


main()
