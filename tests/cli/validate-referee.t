#!/bin/sh
# validate-referee.t - the good configs read by an independent referee:
# PyYAML's safe_load (what accelerate uses) plus accelerate's
# process_config, TSV readers and the SDK's image algorithm in Python
# (tests/validate/referee.py), against accel-validate's normalized JSON.
# Also the region table against botocore's endpoints data.
. "$(dirname "$0")/lib.sh"
python3 -c 'import yaml, botocore' 2>/dev/null || {
	not_ok "python3 with PyYAML and botocore is needed"; # The instance types compiled in are botocore's TrainingInstanceType enum.
python3 -c '
import gzip, json, os, botocore
p = os.path.join(os.path.dirname(botocore.__file__), "data", "sagemaker",
                 "2017-07-24", "service-2.json.gz")
for t in sorted(json.load(gzip.open(p))["shapes"]["TrainingInstanceType"]["enum"]):
    print(t)' > "$T/types"
sed -n 's/^	"\(ml\.[^"]*\)",$/\1/p' "$TOP/src/instance-types.c" > "$T/ours"
check_same "instance types are botocore's TrainingInstanceType" "$T/ours" "$T/types"
is "botocore lists ml.p4d.24xlarge, not ml.p4dn.24xlarge" \
    "$(grep -c -x -e ml.p4d.24xlarge -e ml.p4dn.24xlarge "$T/types")" 1
done_testing; exit 1; }
python3 "$TOP/tests/validate/referee.py" "$TOP/tests/validate/good" \
    "$TOP/tests/validate/expected" "$BIN/accel-validate" "$TOP/templates" \
    > "$T/tap" 2>&1
rc=$?
while IFS= read -r l; do
	case $l in
	"ok "*) ok "${l#ok * - }" ;;
	"not ok "*) not_ok "${l#not ok * - }" ;;
	"1.."*) ;;
	*) echo "# $l" ;;
	esac
done < "$T/tap"
is "referee exit status" "$rc" 0
is "referee ran over 100 checks" "$([ "$(grep -c '^ok ' "$T/tap")" -gt 100 ] && echo yes)" yes

# Every region of every partition botocore knows is accepted; others not.
python3 -c '
import json, os, botocore
d = json.load(open(os.path.join(os.path.dirname(botocore.__file__), "data", "endpoints.json")))
for p in d["partitions"]:
    for r in sorted(p["regions"]):
        print(r)' > "$T/regions"
sed -e '/^region:/d' "$TOP/tests/validate/good/cpu-with-image.yaml" > "$T/base.yaml"
bad=
while read -r r; do
	{ cat "$T/base.yaml"; echo "region: $r"; } > "$T/r.yaml"
	"$BIN/accel-validate" "$T/r.yaml" >/dev/null 2>&1 || bad="$bad $r"
done < "$T/regions"
is "every botocore region is accepted" "$bad" ""
is "botocore knows cn- and us-gov- regions" \
    "$(grep -c -e '^cn-' -e '^us-gov-' "$T/regions")" 4
# The instance types compiled in are botocore's TrainingInstanceType enum.
python3 -c '
import gzip, json, os, botocore
p = os.path.join(os.path.dirname(botocore.__file__), "data", "sagemaker",
                 "2017-07-24", "service-2.json.gz")
for t in sorted(json.load(gzip.open(p))["shapes"]["TrainingInstanceType"]["enum"]):
    print(t)' > "$T/types"
sed -n 's/^	"\(ml\.[^"]*\)",$/\1/p' "$TOP/src/instance-types.c" > "$T/ours"
check_same "instance types are botocore's TrainingInstanceType" "$T/ours" "$T/types"
is "botocore lists ml.p4d.24xlarge, not ml.p4dn.24xlarge" \
    "$(grep -c -x -e ml.p4d.24xlarge -e ml.p4dn.24xlarge "$T/types")" 1
done_testing
