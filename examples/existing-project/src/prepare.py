"""Drop rows with a missing value and write the rest (stdin to stdout)."""
import csv
import sys

rows = list(csv.reader(sys.stdin))
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(rows[0])
for r in rows[1:]:
    if all(v.strip() for v in r):
        out.writerow(r)
