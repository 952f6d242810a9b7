"""process.py MODE: a credential_process for tests.
  ok        Version 1, static keys (AKIDPROCESS), no token
  token     Version 1, with SessionToken and a far Expiration
  badjson   not JSON
  version2  Version 2
  nokey     no AccessKeyId
  fail      exit 3 after writing a reason to stderr
  sleep F   write its pid to F, then sleep 30 s (for the timeout)
  argv      key from its own arguments: AKID + the words joined by '_'
"""
import json
import os
import sys
import time

mode = sys.argv[1]
doc = {"Version": 1, "AccessKeyId": "AKIDPROCESS",
       "SecretAccessKey": "process-secret"}
if mode == "token":
    doc.update(AccessKeyId="ASIAPROCESS", SessionToken="process-token",
               Expiration="2099-01-01T00:00:00Z")
elif mode == "badjson":
    print("{not json")
    sys.exit(0)
elif mode == "version2":
    doc["Version"] = 2
elif mode == "nokey":
    del doc["AccessKeyId"]
elif mode == "fail":
    print("process.py: no credentials for you", file=sys.stderr)
    sys.exit(3)
elif mode == "sleep":
    with open(sys.argv[2], "w") as f:
        f.write(str(os.getpid()))
    time.sleep(30)
elif mode == "argv":
    doc["AccessKeyId"] = "AKID" + "_".join(sys.argv[2:]).replace(" ", "-")
print(json.dumps(doc))
