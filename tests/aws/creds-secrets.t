#!/bin/sh
# creds-secrets.t - secrets stay secret: with a known secret key, session
# token, web identity token and container token, the chain run through each
# source must not show any of them on stdout or stderr, in any file it
# writes, or in any argv it executes (every execve of the run and its
# children, traced with strace, which also covers /proc/PID/cmdline).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/creds/lib.sh"

command -v strace >/dev/null || {
	not_ok "strace available"; done_testing; exit 1; }
start_fake
PROC="python3 $TOP/tests/creds/process.py"
mkdir "$T/run"
printf 'web-identity-SECRET-jwt' > "$T/tok"
printf 'container-SECRET-token' > "$T/ct"
FAKE_BASE="FAKE_WEB_TOKEN=web-identity-SECRET-jwt
FAKE_CONTAINER_TOKEN=container-SECRET-token
FAKE_SIGNING_KEYS=ASIAPROCESS:process-secret:process-token"
fake_settings
: > "$T/credentials"
printf '[profile proc]\nrole_arn = arn:aws:iam::1:role/P\nsource_profile = src\n[profile src]\ncredential_process = %s token\n' \
    "$PROC" > "$T/config"

# traced NAME VAR=value... [-- args]: run the driver under strace in $T/run.
traced() {
	_name=$1
	shift
	_vars=
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		_vars="$_vars $1"; shift; done
	[ "${1:-}" = "--" ] && shift
	# What $T/run holds before the run (by content, not by mtime, whose
	# coarse clock can give a file written right after the mark its time).
	find "$T/run" -type f -exec cksum {} + | sort >"$T/before"
	# LeakSanitizer cannot run under ptrace; the plain runs check leaks.
	# shellcheck disable=SC2046,SC2086
	(cd "$T/run" && env -i $(base_env) TMPDIR="$T/run" $_vars \
	    ASAN_OPTIONS=detect_leaks=0 \
	    strace -f -qq -e trace=execve -s 65536 -o "$T/exec.log" \
	    "$DRV" get "$@" >"$T/out" 2>"$T/err")
	# The issued keys' secrets, as the fake makes them.
	_issued=$(grep -o 'ASIA[A-Z0-9]*' "$T/out" | sort -u)
	_leaks=
	for s in env-SECRET-key env-SECRET-token web-identity-SECRET-jwt \
	    container-SECRET-token process-secret process-token $(
	    for k in $_issued; do echo "fake-secret-for-$k"; done); do
		for f in "$T/out" "$T/err" "$T/exec.log" $(find "$T/run" \
		    -type f -exec cksum {} + | sort | comm -13 "$T/before" - |
		    cut -d' ' -f3-); do
			grep -qF -- "$s" "$f" && _leaks="$_leaks $s in ${f#"$T"/}"
		done
	done
	is "$_name: no secret shown, written or in argv" "$_leaks" ""
	is "$_name: credentials were obtained" \
	    "$(grep -c token=yes "$T/out")" 1
}

traced "environment" AWS_ACCESS_KEY_ID=AKIDENV \
    AWS_SECRET_ACCESS_KEY=env-SECRET-key AWS_SESSION_TOKEN=env-SECRET-token
traced "web identity" AWS_ROLE_ARN=arn:aws:iam::1:role/W \
    AWS_WEB_IDENTITY_TOKEN_FILE="$T/tok"
traced "assume role from credential_process" AWS_PROFILE=proc
is "credential_process ran from its parsed argv" \
    "$(grep 'execve("[^"]*python3", \["python3", "[^"]*process.py", "token"\]' \
    "$T/exec.log" | grep -c ') = 0$')" 1
traced "container" \
    AWS_CONTAINER_CREDENTIALS_FULL_URI="$URL/container/creds" \
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$T/ct"
traced "instance metadata" AWS_EC2_METADATA_DISABLED=false \
    AWS_EC2_METADATA_SERVICE_ENDPOINT="$URL/"

# Failures must not echo the secrets either.
fake_settings FAKE_WEB_TOKEN=other
(cd "$T/run" && env -i $(base_env) AWS_ROLE_ARN=arn:aws:iam::1:role/W \
    AWS_WEB_IDENTITY_TOKEN_FILE="$T/tok" "$DRV" get >"$T/out" 2>"$T/err")
is "refused web identity: an error" "$(cat "$T/out")" "error"
grep -qF web-identity-SECRET-jwt "$T/out" "$T/err" &&
    not_ok "refused web identity: token not in the message" ||
    ok "refused web identity: token not in the message"
done_testing
