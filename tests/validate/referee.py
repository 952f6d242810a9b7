"""referee.py - an independent reading of each good config: PyYAML's
safe_load (or json), then accelerate's process_config, its TSV readers and
the SDK's image-URI algorithm, written in Python from the references.
Prints TAP comparing that with what accel-validate wrote.

    python3 referee.py GOOD_DIR EXPECTED_DIR ACCEL_VALIDATE TEMPLATES_DIR
"""
import json
import os
import subprocess
import sys

import yaml

good, expected_dir, tool, templates = sys.argv[1:5]
n = 0
failed = 0


def check(name, got, want):
    global n, failed
    n += 1
    if got == want:
        print("ok %d - %s" % (n, name))
    else:
        failed += 1
        print("not ok %d - %s" % (n, name))
        print("# ours:    %r" % (got,))
        print("# referee: %r" % (want,))


DEFAULTS = {  # accelerate-sagemaker.md 3.1
    "compute_environment": "LOCAL_MACHINE", "use_cpu": False, "debug": False,
    "image_uri": None, "profile": None, "region": "us-east-1",
    "num_machines": 1, "gpu_ids": "all",
    "base_job_name": "accelerate-sagemaker-1", "pytorch_version": "1.10.2",
    "transformers_version": "4.17.0", "py_version": "py38",
    "sagemaker_inputs_file": None, "sagemaker_metrics_file": None,
    "additional_args": None, "dynamo_config": None,
    "enable_cpu_affinity": False,
}


def process_config(d):
    """accelerate's process_config and __post_init__, per the reference."""
    d = dict(d)
    for k, v in DEFAULTS.items():
        d.setdefault(k, v)
    if "mixed_precision" not in d:
        d["mixed_precision"] = "fp16" if d.get("fp16") else None
    d.pop("fp16", None)
    if "dynamo_backend" in d:
        b = d.pop("dynamo_backend")
        d["dynamo_config"] = {} if b == "NO" else {"dynamo_backend": b}
    # our documented decisions on top: unquoted NO is "NO"; null precision
    # is what the launcher uses ("no"); the launcher lower/upper-cases.
    if d["distributed_type"] is False:
        d["distributed_type"] = "NO"
    d["mixed_precision"] = (d["mixed_precision"] or "no").lower()
    d["gpu_ids"] = str(d["gpu_ids"])
    dyn = dict(d["dynamo_config"] or {})
    if "dynamo_backend" in dyn:
        dyn["dynamo_backend"] = dyn["dynamo_backend"].upper()
    d["dynamo_config"] = dyn
    args = dict(d["additional_args"] or {})
    if isinstance(args.get("tags"), dict):  # the SDK's conversion
        args["tags"] = [{"Key": str(k), "Value": str(v)}
                        for k, v in args["tags"].items()]
    d["additional_args"] = args
    return d


def read_tsv(path, kind):
    """accelerate's prepare_sagemager_args_inputs loops."""
    out = {} if kind == "inputs" else []
    with open(path) as f:
        for i, line in enumerate(f):
            if i == 0:
                continue
            cols = line.split("\t")
            if kind == "inputs":
                out[cols[0]] = cols[1].strip()
            else:
                out.append({"Name": cols[0], "Regex": cols[1].strip()})
    return out


def processor(t):
    import re
    if t == "local":
        return "cpu"
    if t == "local_gpu":
        return "gpu"
    fam = re.match(r"^ml[\._]([a-z\d\-]+)\.?\w*$", t).group(1)
    if fam.startswith("inf"):
        return "inf"
    if fam.startswith("trn"):
        return "trn"
    return "gpu" if fam[0] in "gp" else "cpu"


def image_uri(d):
    """sagemaker-api.md 9.2, from the table."""
    if d["image_uri"]:
        return d["image_uri"]
    with open(os.path.join(templates, "huggingface-image-uris.json")) as f:
        cfg = json.load(f)["training"]
    proc = processor(d["ec2_instance_type"])
    tv = cfg["version_aliases"].get(d["transformers_version"],
                                    d["transformers_version"])
    vc = cfg["versions"][tv]
    fw = "pytorch" + d["pytorch_version"]
    fw = vc.get("version_aliases", {}).get(fw, fw)
    e = vc[fw]
    assert d["py_version"] in e["py_versions"]
    region = d["region"]
    dom = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    cv = e.get("container_version", {}).get(proc, "cu110-ubuntu18.04")
    tag = "-".join([d["pytorch_version"] + "-transformers" +
                    d["transformers_version"], proc, d["py_version"], cv])
    return "%s.dkr.ecr.%s.%s/%s:%s" % (e["registries"][region], region, dom,
                                       e["repository"], tag)


for name in sorted(os.listdir(good)):
    stem, ext = os.path.splitext(name)
    if ext not in (".yaml", ".json"):
        continue
    path = os.path.join(good, name)
    with open(path) as f:
        raw = json.load(f) if ext == ".json" else yaml.safe_load(f)
    want = process_config(raw)
    ours = json.loads(subprocess.run([tool, path], capture_output=True,
                                     check=True).stdout)
    with open(os.path.join(expected_dir, stem + ".json")) as f:
        check(name + ": expected file is what the tool writes",
              ours, json.load(f))
    for key in sorted(DEFAULTS) + ["distributed_type", "ec2_instance_type",
                                   "iam_role_name", "mixed_precision"]:
        check("%s: %s" % (name, key), ours[key], want[key])
    for kind, key in (("inputs", "sagemaker_inputs_file"),
                      ("metrics", "sagemaker_metrics_file")):
        tsv = want[key]
        check("%s: sagemaker_%s" % (name, kind), ours["sagemaker_" + kind],
              read_tsv(os.path.join(good, tsv), kind) if tsv else
              ({} if kind == "inputs" else []))
    check(name + ": training_image", ours["training_image"], image_uri(want))
    check(name + ": 21 SageMakerConfig keys + 3 derived, no others",
          sorted(ours), sorted(list(DEFAULTS) + [
              "distributed_type", "ec2_instance_type", "iam_role_name",
              "mixed_precision", "training_image", "sagemaker_inputs",
              "sagemaker_metrics"]))

# The broken configs: where we report a syntax error, the pure-Python
# PyYAML parser (or Python's json) rejects the file too, at the same place
# unless the two parsers stop at different tokens (listed); where we do
# not, they load it (so the config is broken for the reasons we give).
bad = os.path.join(os.path.dirname(good), "bad")
READER_ERRORS = (": error: YAML ", ": error: JSON ", ": error: not JSON",
                 "undefined alias", "expected one document",
                 "unsupported tag", "is not a valid !!",
                 "mapping keys must be scalars")
DIFFERENT_TOKEN = {
    "syntax-tab.yaml": "PyYAML stops at the tab on line 5",
    "json-trailing-comma.json": "Python points at the '}' after the comma",
}
for name in sorted(os.listdir(bad)):
    stem, ext = os.path.splitext(name)
    if ext not in (".yaml", ".json"):
        continue
    with open(os.path.join(bad, stem + ".expected")) as f:
        ours = [l for l in f.read().splitlines()
                if any(p in l for p in READER_ERRORS)]
    path = os.path.join(bad, name)
    where = None
    try:
        with open(path, encoding="utf-8") as f:
            if ext == ".json":
                json.load(f)
            else:
                yaml.load(f, Loader=yaml.SafeLoader)
    except json.JSONDecodeError as e:
        where = "%d:%d" % (e.lineno, e.colno)
    except yaml.MarkedYAMLError as e:
        where = "%d:%d" % (e.problem_mark.line + 1,
                           e.problem_mark.column + 1)
    except (yaml.YAMLError, UnicodeDecodeError, ValueError):
        where = "?"
    if not ours:
        check(name + ": the referee parses it too", where, None)
        continue
    check(name + ": the referee rejects it too", where is not None, True)
    if name not in DIFFERENT_TOKEN and where != "?":
        check(name + ": at the same position", where,
              ":".join(ours[0].split(":")[1:3]))

print("1..%d" % n)
sys.exit(1 if failed else 0)
