#!/bin/sh
# submit-dryrun.t - accel-submit --dry-run with the account in flags: no
# network, no credentials.  For every good config of tests/validate/good,
# validate -> request -> dry run; each SageMaker body passes botocore's
# CreateTrainingJob input shape (tests/cli/ctj.py), and with the account
# ctj.py uses, equals the body ctj.py resolves itself plus our digest tag.
# Then the role ARN's partition, --role-arn, a stale archive and usage.
. "$TOP/tests/cli/lib.sh"
GOOD=$TOP/tests/validate/good
# no AWS at all: a dry run with flags must not need it
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_EC2_METADATA_DISABLED=true AWS_ENDPOINT_URL=http://127.0.0.1:9
mkdir -p "$T/p"
printf 'print("train")\n' >"$T/p/train.py"
printf 'accelerate\n' >"$T/p/requirements.txt"

# wrap BODY REGION OUT: a REQUEST.json around a bare body, for ctj.py
wrap() {
	python3 -c 'import json, sys
body = json.load(open(sys.argv[1]))
json.dump({"CreateTrainingJob": body, "accel": {"region": sys.argv[2]}},
          open(sys.argv[3], "w"))' "$1" "$2" "$3"
}

bodies=
n=0
for f in "$GOOD"/*.yaml "$GOOD"/*.json; do
	b=$(basename "$f")
	(cd "$GOOD" && "$BIN/accel-validate" -o "$T/$b.config.json" "$b") \
	    >/dev/null 2>&1
	(cd "$T/p" && "$BIN/accel-request" -c "$T/$b.config.json" \
	    -o "$T/$b/request.json" train.py --epochs 3 --lr 5e-5) \
	    >/dev/null 2>&1 || { not_ok "accel-request $b"; continue; }
	local=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["CreateTrainingJob"]["ResourceConfig"]["InstanceType"].startswith("local"))' "$T/$b/request.json")
	[ "$local" = False ] || continue
	run "$BIN/accel-submit" --dry-run --account 123456789012 --bucket my-bucket \
	    "$T/$b/request.json"
	check_status 0 "dry run of $b"
	region=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["accel"]["region"])' "$T/$b/request.json")
	wrap "$T/out" "$region" "$T/$b/dry.json"
	bodies="$bodies $T/$b/dry.json"
	n=$((n + 1))
	# against ctj.py's own resolution (account 111122223333)
	run "$BIN/accel-submit" --dry-run --account 111122223333 \
	    "$T/$b/request.json"
	cp "$T/out" "$T/$b/ours.json"
	python3 "$TOP/tests/cli/ctj.py" resolve "$T/$b/request.json" \
	    >"$T/$b/ref.json"
	if python3 -c 'import json, sys
ours = json.load(open(sys.argv[1])); ref = json.load(open(sys.argv[2]))
digest = json.load(open(sys.argv[3]))["accel"]["digest"]
tags = ref.get("Tags", []) + [{"Key": "accel:digest", "Value": digest}]
ref["Tags"] = tags
sys.exit(ours != ref)' "$T/$b/ours.json" "$T/$b/ref.json" \
	    "$T/$b/request.json"; then
		ok "$b: the body is ctj.py's resolution plus the digest tag"
	else
		not_ok "$b: the body is ctj.py's resolution plus the digest tag" \
		    "$(diff "$T/$b/ref.json" "$T/$b/ours.json" | head -20)"
	fi
done
if python3 "$TOP/tests/cli/ctj.py" validate $bodies >"$T/v" 2>&1; then
	ok "$n dry-run bodies pass botocore's CreateTrainingJob validation"
else
	not_ok "dry-run bodies pass botocore's validation" "$(head -20 "$T/v")"
fi
[ "$n" -ge 5 ] && ok "validated $n bodies" || not_ok "validated enough" "$n"

# the worked example (sagemaker-api.md 4.3): the final body, field by field,
# with the SDK's name in place of ours and without our tag
(cd "$T/p" && "$BIN/accel-request" -c "$TOP/tests/request/worked.json" \
    -o "$T/w/request.json" train.py --model_name_or_path bert-base-cased \
    --epochs 3 --lr 5e-5 --do_train True) >/dev/null 2>&1
run "$BIN/accel-submit" --dry-run --account 111122223333 "$T/w/request.json"
check_status 0 "dry run of the worked example"
if python3 -c 'import json, sys
req = json.load(open(sys.argv[1])); meta = req["accel"]
text = open(sys.argv[2]).read().replace(meta["job_name"],
    "accelerate-sagemaker-1-2024-05-01-12-00-00-123")
ours = json.loads(text); want = json.load(open(sys.argv[3]))
tags = ours.pop("Tags")
bad = [k for k in set(ours) | set(want) if ours.get(k) != want.get(k)]
bad += [] if tags == [{"Key": "accel:digest", "Value": meta["digest"]}] \
    else ["Tags"]
print(" ".join(sorted(bad))); sys.exit(bool(bad))' "$T/w/request.json" \
    "$T/out" "$TOP/tests/request/worked-expected.json" >"$T/diff"; then
	ok "the worked example, field by field, plus our digest tag"
else
	not_ok "the worked example, field by field" "differ: $(cat "$T/diff")"
fi

# a quickstart-like project in a China region: the role ARN's partition
mkdir -p "$T/cn"
cp "$T/p/train.py" "$T/p/requirements.txt" "$T/cn/"
sed 's/^region: .*/region: cn-north-1/' \
    "$TOP/examples/quickstart/accelerate.yaml" >"$T/cn/accelerate.yaml"
mkdir -p "$T/cn/.accel"
(cd "$T/cn" && "$BIN/accel-validate" -o .accel/config.json accelerate.yaml &&
    "$BIN/accel-request" -c .accel/config.json -o .accel/request.json \
    train.py --epochs 1) >/dev/null 2>&1
R=$T/cn/.accel/request.json
run "$BIN/accel-submit" --dry-run --account 123456789012 "$R"
check_status 0 "dry run in cn-north-1"
get() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): d = d[int(k)] if k.isdigit() else d[k]
print(d)' "$1" "$2"; }
is "role ARN in the aws-cn partition" "$(get "$T/out" RoleArn)" \
    "arn:aws-cn:iam::123456789012:role/accelerate_sagemaker_execution_role"
is "default bucket of the region and account" \
    "$(get "$T/out" OutputDataConfig.S3OutputPath)" \
    "s3://sagemaker-cn-north-1-123456789012/"
job=$(get "$R" accel.job_name)
is "the code goes to BUCKET/JOB/source/sourcedir.tar.gz" \
    "$(get "$T/out" HyperParameters.sagemaker_submit_directory)" \
    "\"s3://sagemaker-cn-north-1-123456789012/$job/source/sourcedir.tar.gz\""
check_stderr "accel-submit: dry run: would upload $T/cn/.accel/sourcedir.tar.gz ($(get "$R" accel.archive.bytes) bytes) to s3://sagemaker-cn-north-1-123456789012/$job/source/sourcedir.tar.gz and create training job $job; nothing was sent
" "dry run says what it would do"

run "$BIN/accel-submit" --dry-run --role-arn \
    arn:aws-cn:iam::210987654321:role/path/r --bucket my-bucket "$R"
check_status 0 "dry run with --role-arn and --bucket"
is "--role-arn is used as given" "$(get "$T/out" RoleArn)" \
    "arn:aws-cn:iam::210987654321:role/path/r"
is "--bucket is the output bucket" \
    "$(get "$T/out" OutputDataConfig.S3OutputPath)" "s3://my-bucket/"
is "the digest tag" "$(get "$T/out" Tags.0.Value)" "$(get "$R" accel.digest)"

# without the account and without credentials: an error, exit 1
run "$BIN/accel-submit" --dry-run "$R"
check_status 1 "dry run with nothing to resolve the account from"
grep -q 'give --account' "$T/err" && ok "says which flag helps" ||
    not_ok "says which flag helps" "$(cat "$T/err")"

# a stale pair: the archive of another run beside the request
S=$T/cn/.accel/stale.json
cp "$R" "$S"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
d["accel"]["archive"]["sha256"] = "0" * 64
json.dump(d, open(sys.argv[1], "w"))' "$S"
A=$T/cn/.accel/sourcedir.tar.gz
run "$BIN/accel-submit" --dry-run --account 123456789012 "$S"
check_status 1 "an archive of another sha256 is refused"
check_stderr "accel-submit: '$A' is not the archive of this request (sha256 $(get "$R" accel.archive.sha256 | cut -c1-12)..., the request says 000000000000...): run accel-request again
" "the stale archive message"
size=$(get "$R" accel.archive.bytes)
printf x >>"$A"
run "$BIN/accel-submit" --dry-run --account 123456789012 "$R"
check_status 1 "an archive of another size is refused"
check_stderr "accel-submit: '$A' is not the archive of this request ($((size + 1)) bytes, the request says $size): run accel-request again
" "the size message"
rm "$A"
run "$BIN/accel-submit" --dry-run --account 123456789012 "$R"
check_status 1 "a missing archive"
check_stderr "accel-submit: cannot open '$A': No such file or directory
" "the missing archive message"

# usage
run "$BIN/accel-submit"
check_status 2 "no REQUEST.json"
run "$BIN/accel-submit" --account 123456789012 "$R"
check_status 2 "--account without --dry-run"
run "$BIN/accel-submit" --dry-run --account 12345 "$R"
check_status 2 "an account of 5 digits"
run "$BIN/accel-submit" --dry-run --role-arn role "$R"
check_status 2 "a role name for --role-arn"
run "$BIN/accel-submit" --dry-run --bucket B_ "$R"
check_status 2 "a bad bucket name"
run "$BIN/accel-submit" a.json b.json
check_status 2 "two requests"
run "$BIN/accel-submit" --version
check_stdout "accel-submit 0.1.0
" "--version"
printf '{"CreateTrainingJob": {}}' >"$T/bad.json"
run "$BIN/accel-submit" --dry-run --account 123456789012 "$T/bad.json"
check_status 1 "a request without metadata"
check_stderr "accel-submit: '$T/bad.json': accel.version (1) is missing or malformed (REQUEST.json is written by accel-request)
" "names the missing key"
done_testing
