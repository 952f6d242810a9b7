"""Print how many rows of each label the prepared data has."""
import collections
import csv
import sys

with open(sys.argv[1], newline="") as f:
    labels = collections.Counter(r[-1] for r in list(csv.reader(f))[1:])
for label, n in sorted(labels.items()):
    print(f"label {label}: {n} rows")
