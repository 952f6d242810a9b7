#!/bin/sh
# tests/aws/secrets.t - the acceptance line of issue 3: every tool, run
# verbose against the fake AWS with a known secret key, session token and
# web identity token, shows none of them on stdout or stderr, writes none of
# them to any file (the project, .accel/, $HOME, $TMPDIR), and puts none of
# them in any argv: /proc/*/cmdline of every process on the machine is
# sampled every 20 ms while the tools run, and every execve of the tools and
# their children is traced with strace when it is installed.
#
# Three credential cases: the fake's IAM user key (its secret is the known
# secret key), an assumed role's key with its session token (from aws-cli's
# sts assume-role), and web identity (AWS_ROLE_ARN and a token file; the
# chain calls the fake's STS AssumeRoleWithWebIdentity).  The temporary
# secret keys and session tokens that STS issued during the run are read
# back from moto's state (/moto-api/data.json) and searched for too.
#
# Excluded by design: accel-sign --print request (and --print canonical),
# which show the session token because it is a header of the request
# (accel-sign(1)); the test's own input files (the token file) and the
# fake's state directory (the server's, not ours).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
MAKE=${MAKE:-make}
unset MAKEFLAGS MAKEOVERRIDES MFLAGS MAKELEVEL ACCEL_RUN ACCEL_STOP_ON_INTERRUPT
fake_aws_start
printf '{"step": true, "epoch": 1700000000}\n' >"$FAKE_AWS_DIR/sagemaker.json"
ACCEL_WAIT_POLL_MS=10
export ACCEL_WAIT_POLL_MS
direct() { aws --endpoint-url "$FAKE_AWS_DIRECT_URL" "$@"; }
ROLE=accelerate_sagemaker_execution_role
ROLE_ARN=arn:aws:iam::123456789012:role/$ROLE
direct iam create-role --role-name "$ROLE" \
    --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}' \
    >/dev/null &&
    direct iam put-role-policy --role-name "$ROLE" --policy-name admin \
    --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
is "the role exists with an admin policy" "$?" 0

# Inputs that are ours, not the tools': kept in $T/in, never scanned.
IO=$T/io
mkdir -p "$T/in" "$T/home" "$T/tmp" "$IO"
HOME=$T/home TMPDIR=$T/tmp
export HOME TMPDIR
WEB_TOKEN=web-identity-TOKEN-4f1c9e2ab7d35c08
printf '%s' "$WEB_TOKEN" > "$T/in/web-token"
# An assumed role's key and session token, got by aws-cli at the fake.
direct sts assume-role --role-arn "$ROLE_ARN" --role-session-name st \
    --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' \
    --output text > "$T/in/session"
read -r ST_KEY ST_SECRET ST_TOKEN < "$T/in/session"
case $ST_TOKEN in
FQoG?*) ok "a session token from the fake's STS" ;;
*) not_ok "a session token from the fake's STS" "$(cat "$T/in/session")" ;;
esac

# The argv sampler: every distinct /proc/*/cmdline, every 20 ms, while
# $T/in/sampling exists (NULs as spaces, one line each).  After each pass
# it writes the number of passes done to $T/in/sampling.passes, so that a
# caller can wait until it is running, or until it has seen a process.
cat > "$T/in/sampler.py" <<'EOF'
import os, sys, time
flag, out = sys.argv[1], sys.argv[2]
seen, me, n = set(), str(os.getpid()), 0
while True:
    for p in os.listdir("/proc"):
        if p.isdigit() and p != me:
            try:
                with open("/proc/%s/cmdline" % p, "rb") as f:
                    seen.add(f.read().replace(b"\0", b" "))
            except OSError:
                pass
    n += 1
    with open(flag + ".passes.tmp", "w") as f:
        f.write("%d\n" % n)
    os.rename(flag + ".passes.tmp", flag + ".passes")
    if not os.path.exists(flag):
        break
    time.sleep(0.02)
with open(out, "wb") as f:
    f.write(b"\n".join(sorted(seen)) + b"\n")
print(n)
EOF
sampler_passes() { cat "$T/in/sampling.passes" 2>/dev/null || echo 0; }
sampler_start() {
	rm -f "$T/in/sampling.passes"
	touch "$T/in/sampling"
	python3 "$T/in/sampler.py" "$T/in/sampling" "$IO/argv-$1" \
	    > "$T/in/samples-$1" &
	SAMPLER=$!
	wait_until 60 test -s "$T/in/sampling.passes" ||
	    echo "# the sampler did not start within 60 s"
}
sampler_stop() {
	rm -f "$T/in/sampling"
	wait "$SAMPLER"
}

# the throwaway projects: a tool-by-tool one and one built with accel.mk
C=$T/clone
mkdir -p "$C"
cp "$TOP/accel.mk" "$C/"
ln -s "$BIN" "$C/bin"
project() {
	mkdir -p "$C/examples"
	cp -R "$TOP/examples/quickstart" "$C/examples/$1"
	rm -rf "$C/examples/$1/.accel"
	mkdir -p "$C/examples/$1/.accel"
	echo "# $1" >> "$C/examples/$1/train.py"
}

# Every execve of a run and its children, with its whole argv, when strace
# is here (the sampler could miss a process shorter than 20 ms).
STRACE=$(command -v strace)
[ -n "$STRACE" ] || echo "# strace absent: argv sampled from /proc only"

# in_case NAME CMD...: CMD with NAME's credentials, set in the environment
# (never on a command line), stdout and stderr kept in $IO.
in_case() {
	_c=$1 _n=$2
	shift 2
	(
		unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
		case $_c in
		key)
			. "$FAKE_AWS_DIR/env" ;;
		session)
			AWS_ACCESS_KEY_ID=$ST_KEY
			AWS_SECRET_ACCESS_KEY=$ST_SECRET
			AWS_SESSION_TOKEN=$ST_TOKEN
			export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY \
			    AWS_SESSION_TOKEN ;;
		web)
			AWS_ROLE_ARN=$ROLE_ARN
			AWS_WEB_IDENTITY_TOKEN_FILE=$T/in/web-token
			AWS_ROLE_SESSION_NAME=accel-secrets
			export AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE \
			    AWS_ROLE_SESSION_NAME ;;
		esac
		# LeakSanitizer cannot run under ptrace; other tests check leaks
		[ -n "$STRACE" ] && ASAN_OPTIONS=detect_leaks=0 exec strace -f \
		    -qq -e trace=execve -s 65536 -o "$IO/$_c-$_n.exec" "$@"
		exec "$@"
	) > "$IO/$_c-$_n.out" 2> "$IO/$_c-$_n.err"
	echo $? > "$IO/$_c-$_n.status"
}
status_is() {
	is "$1 $2: exit status" "$(cat "$IO/$1-$2.status")" 0 ||
	    sed 's/^/# /' "$IO/$1-$2.err" | head -20
}

# chain CASE: every tool, verbose, on its own project; then make train V=1
# on another.
chain() {
	project "$1-tools"
	project "$1-make"
	d=$C/examples/$1-tools
	cd "$d" || return
	in_case "$1" validate "$BIN/accel-validate" -o .accel/config.json \
	    accelerate.yaml
	status_is "$1" validate
	in_case "$1" request "$BIN/accel-request" -c .accel/config.json \
	    -o .accel/request.json train.py --epochs 1
	status_is "$1" request
	in_case "$1" submit "$BIN/accel-submit" -v -o .accel/job.json \
	    .accel/request.json
	status_is "$1" submit
	in_case "$1" wait "$BIN/accel-wait" -o .accel/status.json .accel/job.json
	status_is "$1" wait
	in_case "$1" fetch "$BIN/accel-fetch" -v -v -o .accel/model \
	    .accel/status.json
	status_is "$1" fetch
	in_case "$1" local "$BIN/accel-local" --dry-run -o .accel/model-local \
	    .accel/request.json
	status_is "$1" local
	printf 'GET /?Action=GetCallerIdentity&Version=2011-06-15 HTTP/1.1\nHost: sts.amazonaws.com\n' \
	    > "$T/in/sign-request.txt"
	for what in string-to-sign signature authorization; do
		in_case "$1" "sign-$what" "$BIN/accel-sign" --service sts \
		    --print "$what" "$T/in/sign-request.txt"
		status_is "$1" "sign-$what"
	done
	in_case "$1" make $MAKE --no-print-directory -C "$C/examples/$1-make" \
	    train V=1
	status_is "$1" make
	cd "$T" || return
}

# --- the scan can fail: a planted leaker run as the tools are (the session
# case), writing the token to a file and holding it in an argv, is found in
# the file, the argv samples and (with strace) the execve trace
IO=$T/plant
mkdir -p "$IO/project"
printf '%s\n' "$ST_TOKEN" > "$T/in/secret-patterns"
sampler_start plant
# shellcheck disable=SC2016
# The leaker holds the token in its argv ($0) until the sampler has made
# two more passes (one whole pass while it was alive), for at most 60 s.
in_case session leak sh -c 'printf "%s\n" "$AWS_SESSION_TOKEN" > "$1/leak" &&
    exec sh -c "n=\$(cat \"\$1\"); i=0
	while [ \"\$(cat \"\$1\")\" -lt \$((n + 2)) ] && [ \$i -lt 1200 ]; do
		sleep 0.05; i=\$((i + 1)); done" "$AWS_SESSION_TOKEN" "$2"' \
    leaker "$IO/project" "$T/in/sampling.passes"
sampler_stop
grep -rlF -f "$T/in/secret-patterns" "$IO" | sed "s|^$IO/||" | LC_ALL=C sort \
    > "$T/in/found"
is "self-check: the scan finds the planted token" "$(cat "$T/in/found")" \
    "argv-plant
project/leak${STRACE:+
session-leak.exec}"
rm -rf "$IO"
IO=$T/io

# --- the three cases, each sampled
for c in key session web; do
	sampler_start "$c"
	chain "$c"
	sampler_stop
	[ "$(cat "$T/in/samples-$c")" -gt 10 ] && ok "$c: argv sampled" ||
	    not_ok "$c: argv sampled" "$(cat "$T/in/samples-$c")"
done
is "web identity: the chain called AssumeRoleWithWebIdentity" \
    "$([ "$(fake_aws_count 'sts:AssumeRoleWithWebIdentity')" -gt 0 ] && echo yes)" yes
grep -q '^You can find your model data at: s3://' "$IO/web-wait.out"
is "web identity: the job was followed to its model" $? 0

# --- every secret: the fake's user secret, the web identity token, and
# every secret key and session token STS issued (moto's state)
curl -s "$FAKE_AWS_DIRECT_URL/moto-api/data.json" > "$T/in/moto.json"
{
	printf '%s\n%s\n%s\n%s\n' "$AWS_SECRET_ACCESS_KEY" "$ST_SECRET" \
	    "$ST_TOKEN" "$WEB_TOKEN"
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for r in d.get("sts", {}).get("AssumedRole", []):
    print(r["secret_access_key"]); print(r["session_token"])
for k in d.get("iam", {}).get("AccessKey", []):
    print(k["secret_access_key"])
' "$T/in/moto.json"
} | grep -v '^$' | sort -u > "$T/in/secret-patterns"
rm -f "$T/in/moto.json"
is "secrets to look for: the user's, the session's, the web token and STS's" \
    "$([ "$(wc -l < "$T/in/secret-patterns")" -ge 6 ] && echo yes)" yes

# stdout, stderr, argv samples and traces ($IO), the projects with .accel/ ($C),
# $HOME and $TMPDIR
grep -rlF -f "$T/in/secret-patterns" "$IO" "$C" "$T/home" "$T/tmp" \
    > "$T/in/leaks"
is "no secret in any output, file written or argv" "$(cat "$T/in/leaks")" ""
is "the runs wrote files (the scan saw something)" \
    "$([ "$(find "$C" "$IO" -type f | wc -l)" -gt 50 ] && echo yes)" yes
done_testing
