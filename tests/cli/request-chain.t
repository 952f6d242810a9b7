#!/bin/sh
# request-chain.t - accel-validate then accel-request on every good config
# of tests/validate/good: each request is written, and each body that is
# for SageMaker (not local mode) passes botocore's CreateTrainingJob
# validation (tests/cli/ctj.py).
. "$TOP/tests/cli/lib.sh"
GOOD=$TOP/tests/validate/good
mkdir -p "$T/p"
printf 'print("train")\n' >"$T/p/train.py"
printf 'accelerate\n' >"$T/p/requirements.txt"
bodies=
for f in "$GOOD"/*.yaml "$GOOD"/*.json; do
	b=$(basename "$f")
	(cd "$GOOD" && "$BIN/accel-validate" -o "$T/$b.config.json" "$b") \
	    >/dev/null 2>"$T/err"
	status=$?
	check_status 0 "accel-validate $b"
	(cd "$T/p" && "$BIN/accel-request" -c "$T/$b.config.json" \
	    -o "$T/$b/request.json" train.py --epochs 3 --lr 5e-5) \
	    >"$T/out" 2>"$T/err"
	status=$?
	check_status 0 "accel-request $b"
	local=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["CreateTrainingJob"]["ResourceConfig"]["InstanceType"].startswith("local"))' "$T/$b/request.json" 2>/dev/null)
	[ "$local" = False ] && bodies="$bodies $T/$b/request.json"
done
n=$(echo $bodies | wc -w)
if python3 "$TOP/tests/cli/ctj.py" validate $bodies >"$T/v" 2>&1; then
	ok "$n SageMaker bodies pass botocore's validation"
else
	not_ok "bodies pass botocore's validation" "$(head -20 "$T/v")"
fi
[ "$n" -ge 5 ] && ok "validated $n bodies" || not_ok "validated enough" "$n"
done_testing
