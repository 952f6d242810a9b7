#!/bin/sh
# template.t - templates/github-actions.yml: valid YAML (python3's yaml
# is the parser), an OIDC token permission, web identity credentials
# before `make train`, .accel/ cached (without accel-local's job roots)
# before it, and the model directory accel.mk uses uploaded after it.
. "$(dirname "$0")/../cli/lib.sh"
MAKE=${MAKE:-make}
unset MAKEFLAGS MAKEOVERRIDES MFLAGS MAKELEVEL
printf 'include %s/accel.mk\nshow:\n\t@echo $(ACCEL_DIR) $(ACCEL_MODEL_DIR)\n' \
    "$TOP" > "$T/Makefile"
run $MAKE --no-print-directory -f "$T/Makefile" show
set -- $(cat "$T/out")
cat > "$T/check.py" <<'EOF_PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
state, model = sys.argv[2], sys.argv[3]
steps = doc["jobs"]["train"]["steps"]
def find(pred):
    return next((i for i, s in enumerate(steps) if pred(s)), None)
uses = lambda name: lambda s: str(s.get("uses", "")).startswith(name)
train = find(lambda s: s.get("run", "").strip() == "make train")
creds = find(uses("aws-actions/configure-aws-credentials@"))
cache = find(uses("actions/cache@"))
up = find(uses("actions/upload-artifact@"))
print("permissions id-token:", doc["permissions"].get("id-token"))
print("make train step:", train is not None)
print("web identity role:", "role-to-assume" in steps[creds]["with"])
print("credentials before make train:", creds < train)
print("cache before make train:", cache < train)
print("cache paths:", steps[cache]["with"]["path"].split())
print("upload after make train:", up > train)
print("upload is the model directory:", steps[up]["with"]["path"] == model)
EOF_PY
run python3 "$T/check.py" "$TOP/templates/github-actions.yml" "$1" "$2"
check_status 0 "the template parses"
check_stdout "permissions id-token: write
make train step: True
web identity role: True
credentials before make train: True
cache before make train: True
cache paths: ['.accel', '!.accel/local']
upload after make train: True
upload is the model directory: True
" "the template's steps"
is "accel.mk's state directory is the one cached" "$1" .accel
done_testing
