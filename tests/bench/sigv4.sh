#!/bin/sh
# sigv4.sh - SigV4 signatures per second: libaccel in-process
# (build/tests/bench-sigv4) beside botocore's SigV4Auth.add_auth() on the
# same request in the same run, and their ratio (target: at least 20x).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
N=${BENCH_SIGV4_N:-200000}
PN=${BENCH_SIGV4_PYN:-5000}

ours=$("$TOP/build/tests/bench-sigv4" "$N")
cached=$(printf '%s\n' "$ours" | sed -n 's/^cached //p')
uncached=$(printf '%s\n' "$ours" | sed -n 's/^uncached //p')
theirs=$(python3 - "$PN" <<'PY'
import datetime, sys, time
from unittest import mock
import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

n = int(sys.argv[1])
body = b'{"TrainingJobName":"accel-demo-2024-02-29-23-59-58-123"}'
signer = SigV4Auth(Credentials("AKIDEXAMPLE",
                               "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                               "IQoJb3JpZ2luX2VjEXAMPLE"),
                   "sagemaker", "us-east-1")
when = datetime.datetime(2024, 2, 29, 23, 59, 58)
with mock.patch.object(botocore.auth, "get_current_datetime",
                       return_value=when):
    t0 = time.perf_counter()
    for _ in range(n):
        r = AWSRequest(method="POST",
                       url="https://api.sagemaker.us-east-1.amazonaws.com/",
                       data=body,
                       headers={"Content-Type": "application/x-amz-json-1.1",
                                "X-Amz-Target": "SageMaker.DescribeTrainingJob",
                                "User-Agent": "accel/0.1.0"})
        signer.add_auth(r)
    print("%.0f" % (n / (time.perf_counter() - t0)))
PY
)
echo "sigv4: libaccel $cached signatures/s (key cached), $uncached (key derived each time)"
echo "sigv4: botocore $theirs signatures/s (SigV4Auth.add_auth, key derived each time)"
awk -v a="$cached" -v b="$uncached" -v p="$theirs" 'BEGIN {
	printf "sigv4: ratio %.1fx cached, %.1fx uncached (target 20x)\n", a / p, b / p }'
