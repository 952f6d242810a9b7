#!/bin/sh
# config.t - accel-config: each branch of the questionnaire answered on
# standard input (tests/config/NAME.in) writes the golden file NAME.yaml
# and prints the golden prompts NAME.out; PyYAML is the referee for the
# bytes (yaml.safe_dump(yaml.safe_load(f)) == f, as accelerate writes
# them).  The same answers given as flags write the same bytes.
. "$TOP/tests/cli/lib.sh"
G=$TOP/tests/config
cfg() { "$BIN/accel-config" "$@"; }

# referee FILE: PyYAML writes exactly FILE's bytes for what FILE holds
referee() {
	python3 -c 'import sys, yaml
t = open(sys.argv[1], encoding="utf-8").read()
sys.exit(0 if yaml.safe_dump(yaml.safe_load(t)) == t else 1)' "$1"
}

cd "$T" || exit 1
for in in "$G"/*.in; do
	n=$(basename "$in" .in)
	cfg -o "$n.yaml" <"$in" >"$n.out" 2>"$n.err"
	status=$?
	check_status 0 "$n"
	check_same "$n: the file written" "$n.yaml" "$G/$n.yaml"
	is "$n: nothing on stderr" "$(cat "$n.err")" ""
	if referee "$n.yaml"; then ok "$n: PyYAML writes the same bytes"
	else not_ok "$n: PyYAML writes the same bytes"; fi
	check_same "$n: the prompts" "$n.out" "$G/$n.out"
done

# The same answers as flags: nothing is asked, the bytes are the same.
flags_same() {
	name=$1
	shift
	run cfg -y -o "flags-$name.yaml" "$@"
	check_status 0 "flags for $name"
	is "flags for $name: the last line says where" "$(tail -n 1 "$T/out")" \
		"accelerate configuration saved at flags-$name.yaml"
	if grep -q '?' "$T/out"; then not_ok "flags for $name: nothing asked"
	else ok "flags for $name: nothing asked"; fi
	check_same "flags for $name: same file" "flags-$name.yaml" "$G/$name.yaml"
}
flags_same profile-defaults --role my-sagemaker-role
flags_same keys --no-profile --region eu-west-1 \
	--role arn:aws:iam::123456789012:role/SageMakerRole \
	--instance-type ml.g5.xlarge --mixed-precision fp16
flags_same custom-paths --profile research --region us-west-2 --role trainer \
	--image-uri 123456789012.dkr.ecr.us-west-2.amazonaws.com/My-Repo:Train-V1 \
	--inputs-file Data/Inputs.TSV --metrics-file conf/Metrics.tsv \
	--instance-type ML.G5.2XLARGE --mixed-precision fp16
flags_same data-parallel --role trainer --distributed-type DATA_PARALLEL \
	--instance-type ml.p4d.24xlarge --debug yes --num-machines 4 \
	--mixed-precision fp16
flags_same dynamo-custom --role trainer --dynamo-backend inductor \
	--dynamo-mode reduce-overhead --dynamo-fullgraph yes \
	--dynamo-dynamic no --dynamo-regional-compilation yes
flags_same dynamo-backend --role trainer --dynamo-backend EAGER \
	--instance-type ml.p3.8xlarge --mixed-precision bf16
flags_same precision-fp8 --profile yes --region ap-northeast-1 --role NO \
	--mixed-precision 3

# Flags answer some questions; the rest are asked on stdin.
printf '\n\n\n\n\n\n\n\n\n\n' | cfg --role my-sagemaker-role -o mixed.yaml \
	>mixed.out 2>&1
is "flags and stdin together (exit status)" "$?" 0
check_same "flags and stdin together" mixed.yaml "$G/profile-defaults.yaml"
if grep -q 'IAM role name' mixed.out; then
	not_ok "a question answered by a flag is not asked"
else ok "a question answered by a flag is not asked"; fi

# Usage errors: exit 2, nothing written, never asked again.
HINT="accel-config: try 'accel-config --help'
"
usage_error() {
	want=$1
	shift
	run cfg -o usage.yaml "$@"
	check_status 2 "$*"
	check_stderr "$want$HINT" "$*"
	is "$*: no file written" "$(ls usage.yaml 2>/dev/null)" ""
}
usage_error "accel-config: --yes: 'Enter your IAM role name:' has no default (give --role)
" -y
usage_error "accel-config: --no-profile conflicts with --profile
" -y --role r --profile p --no-profile
usage_error "accel-config: --distributed-type: 'MODEL_PARALLEL' is not one of the choices
" -y --role r --distributed-type MODEL_PARALLEL
usage_error "accel-config: --num-machines: not asked with the other answers given
" -y --role r --num-machines 2
usage_error "accel-config: --num-machines: '0' is not a whole number in range
" -y --role r --distributed-type DATA_PARALLEL --num-machines 0
usage_error "accel-config: --debug: 'maybe' is neither yes nor no
" -y --role r --distributed-type 1 --debug maybe
usage_error "accel-config: --instance-type: 'ml.p4dn.24xlarge' is not one of the choices
" -y --role r --distributed-type DATA_PARALLEL --instance-type ml.p4dn.24xlarge
usage_error "accel-config: --role: '' is empty
" -y --role ''
run cfg --no-such-flag
check_status 2 "an unknown flag"
check_stderr "accel-config: unknown option '--no-such-flag'
$HINT" "an unknown flag"
run cfg -y --role r extra
check_status 2 "an operand"
check_stderr "accel-config: unexpected argument 'extra'
$HINT" "an operand"

# -o -: the file on stdout, the prompts on stderr.
printf '\n\n\n\nr\n\n\n\n\n\n\n\n' | cfg -o - >dash.out 2>dash.err
is "-o - (exit status)" "$?" 0
cfg -y --role r -o dash.yaml >/dev/null
check_same "-o -: the file on stdout" dash.out dash.yaml
if grep -q 'IAM role name' dash.err; then ok "-o -: the prompts on stderr"
else not_ok "-o -: the prompts on stderr"; fi

# accelerate's default path, as config_args.py computes it.
run env HF_HOME="$T/hf" "$BIN/accel-config" -y --role r
check_status 0 "HF_HOME"
check_same "HF_HOME/accelerate/default_config.yaml" \
	"$T/hf/accelerate/default_config.yaml" dash.yaml
check_stdout "accelerate configuration saved at $T/hf/accelerate/default_config.yaml
" "HF_HOME"
run env -u HF_HOME XDG_CACHE_HOME="$T/xdg" "$BIN/accel-config" -y --role r
check_same "XDG_CACHE_HOME/huggingface/accelerate/default_config.yaml" \
	"$T/xdg/huggingface/accelerate/default_config.yaml" dash.yaml
run env -u HF_HOME -u XDG_CACHE_HOME HOME="$T/home" "$BIN/accel-config" -y --role r
check_same "~/.cache/huggingface/accelerate/default_config.yaml" \
	"$T/home/.cache/huggingface/accelerate/default_config.yaml" dash.yaml

# A .json path: json.dumps(indent=2, sort_keys=True) and a newline.
run cfg -y --role r --dynamo-backend tvm -o c.json
check_status 0 ".json output"
cfg -y --role r --dynamo-backend tvm -o c.yaml >/dev/null
python3 -c 'import json, sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
sys.stdout.write(json.dumps(d, indent=2, sort_keys=True) + "\n")' c.yaml >want.json
check_same ".json output is what accelerate's to_json_file writes" c.json want.json

# End of input before the end: an error naming the question, no file.
printf '\n\n\n' | cfg -o eof.yaml >/dev/null 2>eof.err
is "end of input (exit status)" "$?" 1
check_text "end of input names the question" eof.err \
"accel-config: no answer to 'Do you already have an IAM Role for executing Amazon SageMaker Training Jobs?' (end of input)
"
is "end of input: no file written" "$(ls eof.yaml 2>/dev/null)" ""
cfg -o eof.yaml </dev/null >/dev/null 2>eof.err
is "no input at all (exit status)" "$?" 1

# The credentials branch asks for no key: the line after the choice is
# the region, and nothing of it is stored.
printf '1\nAKIAIOSFODNN7EXAMPLE\n\n\nr\n\n\n\n\n\n\n\n' | cfg -o k.yaml >k.out
if grep -q 'AKIA' k.yaml && ! grep -q 'Access Key' k.out; then
	ok "credentials: no key is asked for"
else not_ok "credentials: no key is asked for"; fi
rm -f k.yaml	# a key for a region: not a file to validate

# "Create new IAM role using credentials" calls IAM (tests/aws/config-role.t
# runs it against the fake AWS); here IAM cannot be reached: the prompts up
# to accelerate's announcement, exit 75, nothing written.
printf '[default]\n' >aws-config
printf '[default]\naws_access_key_id = AKIDEXAMPLE\n' >aws-credentials
printf 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n' \
	>>aws-credentials
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN \
	-u AWS_PROFILE -u AWS_DEFAULT_PROFILE -u AWS_ENDPOINT_URL_IAM \
	AWS_CONFIG_FILE="$T/aws-config" \
	AWS_SHARED_CREDENTIALS_FILE="$T/aws-credentials" \
	AWS_ENDPOINT_URL=http://127.0.0.1:1 AWS_MAX_ATTEMPTS=1 \
	"$BIN/accel-config" -o cr.yaml <"$G/create-role.answers" >cr.out 2>cr.err
is "create the role, IAM unreachable (exit status)" "$?" 75
check_same "create the role: the prompts" cr.out "$G/create-role.out"
if grep -q '^accel-config: IAM CreateRole: ' cr.err; then
	ok "create the role: the failure named"
else not_ok "create the role: the failure named" "$(cat cr.err)"; fi
is "create the role: no file written" "$(ls cr.yaml 2>/dev/null)" ""

# --from: accelerate's own file is the starting point and the defaults.
for n in custom-paths data-parallel dynamo-custom keys; do
	run cfg -y --from "$G/$n.yaml" -o "from-$n.yaml"
	check_status 0 "--from $n"
	check_same "--from $n -y gives the same file" "from-$n.yaml" "$G/$n.yaml"
done
cp "$G/from-accelerate.yaml" .
cfg --from from-accelerate.yaml -o from.yaml <"$G/from-accelerate.answers" \
	>from.out 2>from.err
is "--from a hand-written file (exit status)" "$?" 0
check_same "--from: defaults shown in the prompts" from.out "$G/from-accelerate.out"
check_same "--from: the file written" from.yaml "$G/from-accelerate.out.yaml"
check_same "--from: unknown keys are named" from.err "$G/from-accelerate.err"
if referee from.yaml; then ok "--from: PyYAML writes the same bytes"
else not_ok "--from: PyYAML writes the same bytes"; fi

# Answers that are not text are asked again: not UTF-8, a NUL, too long.
{ printf '\n\377\n'; printf 'a\000b\n'; head -c 5000 /dev/zero | tr '\0' x
  printf '\nprof\n\n\nr\n\n\n\n\n\n\n\n'; } | cfg -o bytes.yaml >bytes.out
is "bad bytes are asked again (exit status)" "$?" 0
is "bad bytes: three times the message" \
	"$(grep -c '^Please enter UTF-8 text of at most 4096 bytes.$' bytes.out)" 3
is "bad bytes: the next good answer counts" "$(grep '^profile:' bytes.yaml)" \
	"profile: prof"

# --from problems: named, exit 1, nothing written.
from_error() {
	want=$1
	shift
	printf '%s' "$1" >bad.yaml
	run cfg -y --role r --from bad.yaml -o never.yaml
	check_status 1 "--from: $want"
	check_stderr "accel-config: $want
" "--from: $want"
	is "--from: $want: nothing written" "$(ls never.yaml 2>/dev/null)" ""
}
from_error "bad.yaml:1:4: error: anchors are not supported" \
	"a: &x 1
b: *x
"
from_error "bad.yaml: not a configuration (a mapping of keys)" "- a
"
from_error "bad.yaml:2:1: error: expected a single document in the stream" \
	"a: 1
--- 
b: 2
"
from_error "bad.yaml:1:10: error: timestamps, merge keys and value keys are not supported" \
	"created: 2001-12-14
"
from_error "bad.yaml: 'image_uri' is longer than 4096 bytes" \
	"image_uri: $(head -c 4097 /dev/zero | tr '\0' x)
"
run cfg -y --role r --from missing.yaml -o never.yaml
check_status 1 "--from a missing file"
check_stderr "accel-config: cannot open 'missing.yaml': No such file or directory
" "--from a missing file"

# --from a JSON file, with flags over its values.
cfg -y --role r --region eu-west-1 -o start.json >/dev/null
run cfg -y --from start.json --region eu-north-1 --mixed-precision bf16 \
	-o from-json.yaml
check_status 0 "--from a .json file"
cfg -y --role r --region eu-north-1 --mixed-precision bf16 -o want.yaml \
	>/dev/null
check_same "--from a .json file, flags over its values" from-json.yaml want.yaml

# A file that cannot be written: exit 1, a message naming it.
run cfg -y --role r -o no/such/dir/c.yaml
check_status 1 "an output directory that does not exist"

# On a terminal, menus are BulletMenus: arrows, k/j and digits move,
# enter selects, and " * CHOICE" stays.  python3's pty drives it.
cat >ptydrive.py <<'PY'
import os, pty, select, sys
steps = [
    ("selecting with enter", "\x1b[B\r"),
    ("Region: [us-east-1]", "eu-west-1\r"),
    ("selecting with enter", "\r"),
    ("IAM role name: ", "r\r"),
    ("Docker image? [yes/NO]: ", "\r"),
    ("data locations? [yes/NO]: ", "\r"),
    ("metrics? [yes/NO]: ", "\r"),
    ("selecting with enter", "1\r"),
    ("dynamo?[yes/NO]:", "\r"),
    ("selecting with enter", "\x1b[B\x1b[B\x1b[Ak\x1b[B\x1b[Bj\r"),
    ("slower. [yes/NO]: ", "\r"),
    ("use? [1]: ", "2\r"),
    ("selecting with enter", sys.argv[2]),
]
pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm"
    os.execv(sys.argv[1], [sys.argv[1], "-o", "tty.yaml"])
seen, rest = b"", b""
def wait_for(text):
    global seen, rest
    while text.encode() not in rest:
        if not select.select([fd], [], [], 30)[0]:
            sys.exit("no %r" % text)
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            sys.exit("no %r" % text)
        seen += chunk
        rest += chunk
    rest = rest[rest.index(text.encode()) + len(text):]
for wait, send in steps:
    wait_for(wait)
    os.write(fd, send.encode())
try:
    while select.select([fd], [], [], 10)[0]:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        seen += chunk
except OSError:
    pass
open("tty.out", "wb").write(seen)
for _ in range(100):
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    select.select([], [], [], 0.1)
else:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    sys.exit("still running")
sys.exit(os.waitstatus_to_exitcode(status))
PY
python3 ptydrive.py "$BIN/accel-config" "$(printf '3\r')" >/dev/null 2>&1
is "terminal menus (exit status)" "$?" 0
cfg -y --no-profile --region eu-west-1 --role r --distributed-type 1 \
	--instance-type ml.p4d.24xlarge --num-machines 2 --mixed-precision fp8 \
	-o want-tty.yaml >/dev/null
check_same "terminal menus: arrows, k/j and digits choose" tty.yaml want-tty.yaml
if grep -q ' \* Credentials (AWS_ACCESS_KEY_ID' tty.out &&
    grep -q "$(printf ' \342\236\224  ml.p3.16xlarge')" tty.out; then
	ok "terminal menus: the arrow, then the choice"
else not_ok "terminal menus: the arrow, then the choice"; fi
rm -f tty.yaml
python3 ptydrive.py "$BIN/accel-config" "$(printf '\003')" >/dev/null 2>&1
is "Ctrl-C in a terminal menu (exit status)" "$?" 1
is "Ctrl-C: nothing written" "$(ls tty.yaml 2>/dev/null)" ""
if grep -q "interrupted at 'Do you wish to use FP16 or BF16" tty.out; then
	ok "Ctrl-C: named"; else not_ok "Ctrl-C: named"; fi

# accel-validate accepts every file accel-config wrote above (the TSV
# files the custom-paths answers name are created first).
mkdir -p Data conf
printf 'channel_name\tdata_location\ntrain\ts3://bucket/train\n' >Data/Inputs.TSV
printf "metric_name\tmetric_regex\naccuracy\t'accuracy': ([0-9.]+)\n" \
	>conf/Metrics.tsv
rm -f from-accelerate.yaml bad.yaml	# inputs, not written by accel-config
for f in *.yaml *.json "$T"/hf/accelerate/*.yaml; do
	run "$BIN/accel-validate" -o /dev/null "$f"
	if [ "$status" -eq 0 ] && [ ! -s "$T/err" ]; then
		ok "accel-validate accepts $(basename "$f")"
	else
		not_ok "accel-validate accepts $(basename "$f")" "$(cat "$T/err")"
	fi
done

done_testing
