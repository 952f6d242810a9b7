"""botocore-creds.py [--profile P]: the referee of `unit-creds get`.

Builds a botocore session from the same environment and files, resolves
credentials as the AWS CLI does (the scoped config first, which is where
the CLI reports a missing profile) and prints "METHOD ACCESS_KEY_ID
token=yes|no" and "region=REGION", or "error".  Never prints a secret."""
import sys

import botocore.session

args = sys.argv[1:]
profile = args[args.index("--profile") + 1] if "--profile" in args else None
try:
    session = botocore.session.Session(profile=profile)
    session.get_scoped_config()
    creds = session.get_credentials()
    if creds is None:
        raise RuntimeError("no credentials")
    frozen = creds.get_frozen_credentials()
    print("%s %s token=%s" % (creds.method, frozen.access_key,
                              "yes" if frozen.token else "no"))
    print("region=%s" % (session.get_config_variable("region") or ""))
except Exception as e:  # every failure is one answer: "error"
    print("error")
    print("botocore: %s: %s" % (type(e).__name__, e), file=sys.stderr)
