"""sign_botocore.py - sign random requests with accel-sign and with botocore.

usage: python3 sign_botocore.py ACCEL-SIGN [COUNT] [SEED]

Each request is written as a request.txt file, signed by ACCEL-SIGN
(--print authorization, credentials from the environment) and by botocore's
SigV4Auth or S3SigV4Auth add_auth() with the clock pinned, and the two
Authorization values must be equal.  Prints one "differ" block per mismatch
and a last line "compared N, differ M, s3 N, token N, ..."; exit status 1 when
any differ.

Both signers get the same wire form.  botocore would percent-encode an S3
key and the query itself when it serialises an operation; here the request
is already on the wire, so:
  - S3 paths are keys quoted as botocore's serialiser quotes them
    (quote(key, safe='/~')); botocore's S3 signer uses the wire path as it
    is, we re-encode bytes that are not unreserved, '/' or a %XX escape (as
    S3 reads the key), which is the same string for such a path.  A raw
    sub-delimiter such as '$' in an S3 wire path would differ: botocore
    signs '$', we and S3 sign %24; botocore never sends one.
  - Non-S3 paths may hold anything encoded; both normalise them and encode
    again ('%' -> %25).
  - The query reaches botocore as parse_qsl(query, keep_blank_values=True),
    as aws-protocols.md 11.2 does.  parse_qsl reads '+' as a space, SigV4
    (and we) read it as a plus, so a raw '+' is never generated: the wire
    form has %2B.
  - Header values avoid the non-ASCII whitespace that Python's str.split()
    also splits on (U+0085, U+00A0, U+1680, ...); SigV4 trims ASCII
    whitespace only.
"""
import datetime
import hashlib
import os
import random
import subprocess
import sys
import tempfile
from unittest import mock
from urllib.parse import parse_qsl, quote

import botocore.auth
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
WHEN = datetime.datetime(2024, 2, 29, 23, 59, 58)
AMZ_DATE = WHEN.strftime("%Y%m%dT%H%M%SZ")

PATH_CHARS = (
    ["a", "b", "Z", "0", "9", "-", "_", ".", "~", " ", "+", "=", "$", "&",
     "?", "#", "%", ":", "@", ",", ";", "!", "*", "'", "(", ")", "[", "]",
     "\u00e9", "\u00fc", "\u1234", "\U0001f600", "/", "//"])
QUERY_KEYS = ["select", "select-type", "a", "a-b", "a_b", "A", "list-type",
              "prefix", "partNumber", "uploadId", "uploads", "x y", "k=v",
              "\u00e9t\u00e9", "max-keys", "X-Amz-Meta", "", "a.b", "~t"]
QUERY_VALUE_CHARS = ["v", "1", " ", "+", "=", "&", "/", "%", "?", "*",
                     "\u00fc", "\u1234", "-", "~", "_", "."]
HEADER_NAMES = ["X-Custom", "x-custom", "X-CUSTOM", "My-Header", "Content-Type",
                "X-Amz-Target", "x-amz-meta-Color", "Range", "Content-MD5",
                "User-Agent", "Expect", "Connection", "X-Amzn-Trace-Id",
                "Accept", "x-amz-storage-class"]
HEADER_VALUE_WORDS = ["a", "b c", "application/json", "bytes=0-9", "\u00e9",
                      '"q  q"', "x,y", "=", "1"]
SERVICES = ["sagemaker", "logs", "sts", "iam", "service", "execute-api"]
REGIONS = ["us-east-1", "eu-west-3", "ap-southeast-2"]
HOSTS = ["example.amazonaws.com", "bucket.s3.amazonaws.com",
         "127.0.0.1:18081", "Mixed.Case.Example.com"]


def rand_text(rng, pool, lo, hi):
    return "".join(rng.choice(pool) for _ in range(rng.randint(lo, hi)))


def rand_path(rng, s3):
    segs = []
    for _ in range(rng.randint(0, 5)):
        r = rng.random()
        if r < 0.1:
            segs.append(".")
        elif r < 0.2:
            segs.append("..")
        elif r < 0.3:
            segs.append("")          # repeated slash
        else:
            segs.append(rand_text(rng, PATH_CHARS, 1, 6))
    key = "/" + "/".join(segs)
    if rng.random() < 0.2:
        key += "/"
    # The wire form botocore's serialiser gives a key.
    return quote(key, safe="/~")


def rand_query(rng):
    parts = []
    for _ in range(rng.choice([0, 0, 1, 2, 3, 5, 8])):
        key = rng.choice(QUERY_KEYS)
        r = rng.random()
        if r < 0.15:
            parts.append(quote(key, safe="-_.~"))          # valueless
        elif r < 0.3:
            parts.append(quote(key, safe="-_.~") + "=")    # empty value
        elif r < 0.35:
            parts.append("")                              # "&&"
        else:
            val = rand_text(rng, QUERY_VALUE_CHARS, 1, 6)
            safe = "-_.~" if rng.random() < 0.5 else "-_.~/?*"
            parts.append(quote(key, safe="-_.~") + "=" + quote(val, safe=safe))
    if parts and rng.random() < 0.3:
        parts.append(parts[0])                            # exact repeat
    return "&".join(parts)


def rand_value(rng):
    words = [rng.choice(HEADER_VALUE_WORDS)
             for _ in range(rng.randint(0, 3))]
    out = ""
    for i, w in enumerate(words):
        out += (rng.choice([" ", "  ", "\t", " \t "]) if i else "") + w
    if rng.random() < 0.3:
        out = rng.choice([" ", "  ", "\t"]) + out
    if rng.random() < 0.3:
        out += rng.choice([" ", "   "])
    if words and rng.random() < 0.1:
        out += "\n  " + rng.choice(HEADER_VALUE_WORDS)    # folded line
    return out


def rand_request(rng):
    s3 = rng.random() < 0.5
    req = {
        "s3": s3,
        "service": "s3" if s3 else rng.choice(SERVICES),
        "region": rng.choice(REGIONS),
        "method": rng.choice(["GET", "PUT", "POST", "DELETE", "HEAD"]),
        "path": rand_path(rng, s3),
        "query": rand_query(rng),
        "token": None,
        "unsigned_payload": False,
        "headers": [(rng.choice(["Host", "host", "HOST"]), rng.choice(HOSTS))],
        "body": b"",
    }
    if rng.random() < 0.4:
        req["token"] = "IQoJb3JpZ2lu/" + rand_text(
            rng, list("abcXYZ019+/="), 10, 40)
    for _ in range(rng.randint(0, 6)):
        req["headers"].append((rng.choice(HEADER_NAMES), rand_value(rng)))
    if not s3 and rng.random() < 0.1:
        req["headers"].append(("x-amz-content-sha256",
                               hashlib.sha256(b"other").hexdigest()))
    if s3 and rng.random() < 0.25:
        req["unsigned_payload"] = True
        req["headers"].append(("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD"))
    if req["method"] in ("PUT", "POST") and rng.random() < 0.7:
        req["body"] = rand_text(rng, list("ab{}\":,=&\n \u00e9"), 0, 80).encode()
    return req


def request_txt(req):
    target = req["path"] + ("?" + req["query"] if req["query"] else "")
    lines = ["%s %s HTTP/1.1" % (req["method"], target)]
    lines += ["%s:%s" % (n, v) for n, v in req["headers"]]
    text = "\n".join(lines).encode() + b"\n"
    if req["body"]:
        text += b"\n" + req["body"]
    return text


class S3Config:
    """The client_config botocore's S3 signer reads payload signing from."""
    s3 = {"payload_signing_enabled": False}


def botocore_auth(req):
    scheme = "https" if req["unsigned_payload"] else "http"
    host = req["headers"][0][1]
    aws = AWSRequest(method=req["method"],
                     url="%s://%s%s" % (scheme, host, req["path"]),
                     data=req["body"])
    for name, value in req["headers"]:
        if name.lower() == "x-amz-content-sha256" and req["s3"]:
            continue            # S3SigV4Auth sets it from its own payload()
        aws.headers.add_header(name, value)
    aws.params = parse_qsl(req["query"], keep_blank_values=True)
    if req["unsigned_payload"]:
        aws.context["client_config"] = S3Config()
    cls = S3SigV4Auth if req["s3"] else SigV4Auth
    signer = cls(Credentials(AKID, SECRET, req["token"]), req["service"],
                 req["region"])
    with mock.patch.object(botocore.auth, "get_current_datetime",
                           return_value=WHEN):
        signer.add_auth(aws)
    return aws.headers["Authorization"]


def accel_auth(tool, req, path):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=AKID,
               AWS_SECRET_ACCESS_KEY=SECRET)
    env.pop("AWS_SESSION_TOKEN", None)
    if req["token"]:
        env["AWS_SESSION_TOKEN"] = req["token"]
    args = [tool, "--service", req["service"], "--region", req["region"],
            "--time", AMZ_DATE, "--print", "authorization", path]
    p = subprocess.run(args, env=env, capture_output=True)
    if p.returncode != 0:
        return "exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace"))
    return p.stdout.decode()


def main():
    tool = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20240229
    rng = random.Random(seed)
    stats = dict(compared=0, differ=0, s3=0, token=0, unsigned=0,
                 dup_query=0, dup_header=0, folded=0, unicode_path=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "request.txt")
        for i in range(count):
            req = rand_request(rng)
            text = request_txt(req)
            with open(path, "wb") as f:
                f.write(text)
            ours = accel_auth(tool, req, path)
            theirs = botocore_auth(req)
            stats["compared"] += 1
            stats["s3"] += req["s3"]
            stats["token"] += req["token"] is not None
            stats["unsigned"] += req["unsigned_payload"]
            keys = [p.split("=")[0] for p in req["query"].split("&") if p]
            stats["dup_query"] += len(keys) != len(set(keys))
            names = [n.lower() for n, _ in req["headers"]]
            stats["dup_header"] += len(names) != len(set(names))
            stats["folded"] += b"\n  " in text.split(b"\n\n")[0]
            stats["unicode_path"] += "%C3" in req["path"] or "%E1" in req["path"]
            if ours != theirs:
                stats["differ"] += 1
                if stats["differ"] <= 5:
                    print("differ %d (seed %d):" % (i, seed))
                    print("  request: %r" % text)
                    print("  accel-sign: %s" % ours)
                    print("  botocore:   %s" % theirs)
    print(", ".join("%s %d" % kv for kv in stats.items()))
    return 1 if stats["differ"] else 0


if __name__ == "__main__":
    sys.exit(main())
