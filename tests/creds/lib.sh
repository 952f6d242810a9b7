# lib.sh - shared prelude of the credential tests (sourced after
# tests/cli/lib.sh).  start_fake runs tests/creds/fake-creds-server.py on a
# free loopback port for at most 300 s and stops it by PID at exit.
# Every case runs in a clean environment (env -i) with its own HOME and
# files, IMDS disabled unless the case turns it on, STS at the fake.

DRV=$TOP/build/tests/unit-creds
REF=$TOP/tests/creds/botocore-creds.py
FAKE_PID=
trap '[ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null; rm -rf "$T"' EXIT

start_fake() {
	: > "$T/fake.env"
	python3 "$TOP/tests/creds/fake-creds-server.py" "$T/port" "$T/fake.log" \
	    300 "$T/fake.env" &
	FAKE_PID=$!
	wait_until 60 test -s "$T/port"
	PORT=$(cat "$T/port" 2>/dev/null)
	if [ -z "$PORT" ]; then
		not_ok "fake credential server started"; done_testing; exit 1
	fi
	URL=http://127.0.0.1:$PORT
}

mkdir -p "$T/home/.aws"
# The base environment of every case; a case adds VAR=value words.
base_env() {
	echo "PATH=$PATH HOME=$T/home LC_ALL=C"
	echo "AWS_CONFIG_FILE=$T/config AWS_SHARED_CREDENTIALS_FILE=$T/credentials"
	echo "AWS_EC2_METADATA_DISABLED=true"
	[ -n "${BASE_REGION-us-east-1}" ] &&
	    echo "AWS_DEFAULT_REGION=${BASE_REGION-us-east-1}"
	[ -n "${URL:-}" ] && [ -z "${NO_STS_ENV:-}" ] &&
	    echo "AWS_ENDPOINT_URL_STS=$URL"
	echo "FAKE_UNUSED=1"
}

# ours [VAR=value...] [-- driver args]: run unit-creds get in the case env.
ours() {
	_vars=
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		_vars="$_vars $1"; shift; done
	[ "${1:-}" = "--" ] && shift
	# shellcheck disable=SC2046,SC2086
	env -i $(base_env) $_vars "$DRV" get "$@" 2>"$T/ours.err"
}

theirs() {
	_vars=
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		_vars="$_vars $1"; shift; done
	[ "${1:-}" = "--" ] && shift
	# shellcheck disable=SC2046,SC2086
	env -i $(base_env) $_vars python3 "$REF" "$@" 2>"$T/theirs.err"
}

# fake_settings [FAKE_X=v...]: the fake's settings: FAKE_BASE plus these.
FAKE_BASE=
fake_settings() {
	printf '%s\n' $FAKE_BASE "$@" > "$T/fake.env"
}

# same NAME EXPECTED [VAR=value...] [-- args]: ours and botocore both
# answer EXPECTED (so the comparison cannot pass vacuously).  FAKE_*
# words set the fake for this case only.
same() {
	_name=$1 _want=$2 _fake= _n=0
	shift 2
	for _a in "$@"; do
		case $_a in FAKE_*=*) _fake="$_fake $_a" ;; esac
	done
	# shellcheck disable=SC2086
	fake_settings $_fake
	_ours=$(ours "$@")
	_theirs=$(theirs "$@")
	is "$_name: ours" "$_ours" "$_want"
	is "$_name: botocore" "$_theirs" "$_want"
}
