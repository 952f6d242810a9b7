"""botocore-creds.py [--profile P] [--at SECONDS]...: the referee of
`unit-creds get`.

Builds a botocore session from the same environment and files, resolves
credentials as the AWS CLI does (the scoped config first, which is where
the CLI reports a missing profile) and prints, for each --at (seconds added
to the clock of the refreshable credentials before reading them; default
one read at 0), "METHOD ACCESS_KEY_ID token=yes|no"; then "region=REGION".
On failure "error" and stop.  Never prints a secret."""
import datetime
import sys

import botocore.credentials
import botocore.session
from dateutil.tz import tzlocal

args = sys.argv[1:]
profile = args[args.index("--profile") + 1] if "--profile" in args else None
ats = [int(args[i + 1]) for i, a in enumerate(args) if a == "--at"] or [0]
offset = [0]


def shifted_now():
    return datetime.datetime.now(tzlocal()) + datetime.timedelta(
        seconds=offset[0])


# The fetchers' response caches read the module clock, the credentials
# their own _time_fetcher: shift both.
botocore.credentials._local_now = shifted_now
try:
    session = botocore.session.Session(profile=profile)
    session.get_scoped_config()
    creds = session.get_credentials()
    if creds is None:
        raise RuntimeError("no credentials")
    if hasattr(creds, "_time_fetcher"):
        creds._time_fetcher = shifted_now
    for at in ats:
        offset[0] = at
        frozen = creds.get_frozen_credentials()
        print("%s %s token=%s" % (creds.method, frozen.access_key,
                                  "yes" if frozen.token else "no"))
    print("region=%s" % (session.get_config_variable("region") or ""))
except Exception as e:  # every failure is one answer: "error"
    print("error")
    print("botocore: %s: %s" % (type(e).__name__, e), file=sys.stderr)
