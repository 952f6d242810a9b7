#!/bin/sh
# tests/aws/launcher.t - fake-aws start/env/stop: processes, files, secrets,
# loud failures, and lib.sh's skip-or-fail rule.
. "$TOP/tests/cli/lib.sh"
FA=$TOP/tests/aws/fake-aws
TMPDIR=$T
export TMPDIR
unset FAKE_AWS_DIR

# alive PID START: a process with that pid and start time runs (not a zombie)
alive() {
	[ -r "/proc/$1/stat" ] &&
	    awk -v s="$2" '{ sub(/.*\) /, ""); exit !($1 != "Z" && $20 == s) }' \
	    "/proc/$1/stat" 2>/dev/null
}

# listening_on_loopback PORT: a socket listens on 127.0.0.1:PORT, none on
# another address
listening_on_loopback() {
	hex=$(printf '%04X' "$1")
	awk -v p=":$hex" '$4 == "0A" && substr($2, 9) == p { print $2 }' \
	    /proc/net/tcp /proc/net/tcp6 | sort -u >"$T/listen"
	[ "$(cat "$T/listen")" = "0100007F:$hex" ]
}

# --- start --------------------------------------------------------------
D=$T/state
FAKE_AWS_DIR=$D run "$FA" start
check_status 0 "start"
check_stdout "$D
" "start prints the state directory"
check_stderr "" "start is quiet"
cp "$T/out" "$T/start.out"
cp "$T/err" "$T/start.err"
set -- $(cat "$D/moto.pid"); moto_pid=$1 moto_start=$2
set -- $(cat "$D/proxy.pid"); proxy_pid=$1 proxy_start=$2
if alive "$moto_pid" "$moto_start" && alive "$proxy_pid" "$proxy_start"; then
	ok "moto and the proxy run"
else
	not_ok "moto and the proxy run" "$(cat "$D/moto.log" "$D/proxy.log")"
fi
for name in moto proxy; do
	port=$(cat "$D/$name.port")
	if listening_on_loopback "$port"; then ok "$name listens on 127.0.0.1 only"
	else not_ok "$name listens on 127.0.0.1 only" "$(cat "$T/listen")"; fi
done

run "$FA" env "$D"
check_stdout "$D/env
" "env prints the env file"
is "the env file is private" "$(stat -c %a "$D/env")" 600
(
	. "$D/env"
	for v in FAKE_AWS_DIR AWS_ENDPOINT_URL AWS_REGION AWS_DEFAULT_REGION \
	    AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE \
	    AWS_EC2_METADATA_DISABLED; do
		eval "echo $v=\$$v"
	done
	[ -n "$AWS_ACCESS_KEY_ID" ] && [ "${#AWS_SECRET_ACCESS_KEY}" -ge 20 ] &&
	    echo keys=set
	printf '%s' "$AWS_SECRET_ACCESS_KEY" >"$T/secret"
) >"$T/vars"
check_text "the env file exports endpoint, region and isolated config" \
    "$T/vars" "FAKE_AWS_DIR=$D
AWS_ENDPOINT_URL=http://127.0.0.1:$(cat "$D/proxy.port")
AWS_REGION=us-east-1
AWS_DEFAULT_REGION=us-east-1
AWS_CONFIG_FILE=$D/config
AWS_SHARED_CREDENTIALS_FILE=$D/credentials
AWS_EC2_METADATA_DISABLED=true
keys=set
"
is "the config and credentials files are empty" \
    "$(cat "$D/config" "$D/credentials" | wc -c)" 0

(
	. "$D/env"
	run aws sts get-caller-identity --query Arn --output text
	echo "$status $(cat "$T/out")"
) >"$T/who"
is "aws-cli with only the env file is the created user" "$(cat "$T/who")" \
    "0 arn:aws:iam::123456789012:user/tester"

secret=$(cat "$T/secret")
leaks=
for f in "$T/start.out" "$T/start.err" "$T/out" "$T/err" "$D/moto.log" "$D/proxy.log" "$D/requests.log" \
    "/proc/$moto_pid/cmdline" "/proc/$proxy_pid/cmdline"; do
	grep -qF -- "$secret" "$f" && leaks="$leaks $f"
done
is "the secret is in no output, log or argv" "$leaks" ""

FAKE_AWS_DIR=$D run "$FA" start
check_status 1 "a second start in the same directory"
check_stderr "fake-aws: a fake AWS already runs in '$D' (fake-aws stop)
" "a second start is refused"

# --- stop ---------------------------------------------------------------
run "$FA" stop "$D"
check_status 0 "stop"
check_stderr "" "stop is quiet"
if alive "$moto_pid" "$moto_start" || alive "$proxy_pid" "$proxy_start"; then
	not_ok "no process is left after stop"
else ok "no process is left after stop"; fi
is "stop keeps a given directory, drops the pid files" \
    "$(ls "$D"/*.pid 2>/dev/null; test -f "$D/env" && echo env)" "env"
run "$FA" stop "$D"
check_status 0 "stop when stopped"

# Without FAKE_AWS_DIR: a fresh temporary directory, removed by stop.
run "$FA" start
check_status 0 "start without FAKE_AWS_DIR"
D2=$(cat "$T/out")
case $D2 in "$T"/fake-aws.*) ok "it makes a temporary directory" ;;
*) not_ok "it makes a temporary directory" "got: $D2" ;; esac
set -- $(cat "$D2/moto.pid"); p1=$1 s1=$2
set -- $(cat "$D2/proxy.pid"); p2=$1 s2=$2
FAKE_AWS_DIR=$D2 run "$FA" stop
check_status 0 "stop with FAKE_AWS_DIR"
if alive "$p1" "$s1" || alive "$p2" "$s2" || [ -e "$D2" ]; then
	not_ok "stop ends both processes and removes its directory"
else ok "stop ends both processes and removes its directory"; fi

# --- bounded lifetime ---------------------------------------------------
python3 "$TOP/tests/aws/motoserver.py" --port-file "$T/m.port" \
    --lifetime 1 >"$T/m.log" 2>&1 &
mpid=$!
python3 "$TOP/tests/aws/faultproxy.py" --upstream http://127.0.0.1:9 \
    --port-file "$T/p.port" --lifetime 1 >"$T/p.log" 2>&1 &
ppid=$!
wait "$mpid"; ms=$?
wait "$ppid"; ps=$?
is "moto and the proxy stop themselves after --lifetime" "$ms $ps
$(cat "$T/m.log")
$(cat "$T/p.log")" "0 0
motoserver: lifetime of 1 s reached, exiting
faultproxy: lifetime of 1 s reached, exiting"

# --- moto that cannot start -----------------------------------------------
mkdir -p "$T/bad/moto"
echo 'raise ImportError("broken moto for the test")' \
    >"$T/bad/moto/__init__.py"
FAKE_AWS_DIR=$T/badstate PYTHONPATH=$T/bad run "$FA" start
check_status 1 "start with a broken moto"
if grep -q "^fake-aws: cannot start the fake AWS (moto): moto exited" \
    "$T/err" && grep -q "ImportError: broken moto for the test" "$T/err"; then
	ok "it fails loudly, with moto's log"
else not_ok "it fails loudly, with moto's log" "$(cat "$T/err")"; fi
is "nothing is left running" \
    "$(grep -l "$T/badstat[e]" /proc/[0-9]*/cmdline 2>/dev/null)" ""

# lib.sh: skip without CI, fail with CI=true
cat >"$T/sub.t" <<'EOF'
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/aws/lib.sh"
fake_aws_start
ok "started"
done_testing
EOF
PYTHONPATH=$T/bad CI= sh "$T/sub.t" >"$T/sub.out" 2>&1
is "without CI a test skips when moto cannot start" \
    "$? $(head -1 "$T/sub.out" | sed 's/\(cannot start\).*/\1/')" \
    "0 ok 1 - # SKIP the fake AWS cannot start"
PYTHONPATH=$T/bad CI=true sh "$T/sub.t" >"$T/sub.out" 2>&1
is "with CI=true it fails" "$? $(head -1 "$T/sub.out")" \
    "1 not ok 1 - the fake AWS starts (CI=true: failing, not skipping)"

done_testing
