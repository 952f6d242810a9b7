"""A nearest-centroid classifier: one mean vector per label.

Runs under SageMaker and `make train-local` alike: the data is in the code
(data/train.csv, made by `make data/train.csv`), the model goes to
SM_MODEL_DIR.
"""
import argparse
import csv
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

p = argparse.ArgumentParser()
p.add_argument("--decimals", type=int, default=4)
p.add_argument("--model_dir", default=os.environ.get("SM_MODEL_DIR", "model"))
args = p.parse_args()

with open(os.path.join(HERE, "..", "data", "train.csv"), newline="") as f:
    rows = list(csv.reader(f))[1:]
sums, counts = {}, {}
for r in rows:
    x, y = [float(v) for v in r[:-1]], r[-1]
    sums[y] = [a + b for a, b in zip(sums.get(y, [0.0] * len(x)), x)]
    counts[y] = counts.get(y, 0) + 1
centroids = {y: [round(s / counts[y], args.decimals) for s in sums[y]]
             for y in sorted(sums)}
print(f"centroids: {json.dumps(centroids, sort_keys=True)}")
os.makedirs(args.model_dir, exist_ok=True)
with open(os.path.join(args.model_dir, "centroids.json"), "w") as f:
    json.dump(centroids, f, sort_keys=True)
    f.write("\n")
