#!/bin/sh
# ignore-git.t - .accelignore against git: for random trees and random
# gitignore patterns (plus a few classic ones), the files accel-request
# archives are exactly those `git ls-files --others --exclude-standard`
# lists with the same patterns (tests/cli/ignore-git.py).
. "$TOP/tests/cli/lib.sh"
if python3 "$TOP/tests/cli/ignore-git.py" "$BIN/accel-request" \
    "$TOP/tests/request/worked.json" "$T" 200 11 >"$T/log" 2>&1; then
	ok "$(tail -1 "$T/log")"
else
	not_ok "archive files equal git's untracked, not ignored files" \
	    "$(head -30 "$T/log")"
fi
done_testing
