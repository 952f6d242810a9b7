"""Write data/train.csv: 300 rows of two overlapping Gaussian classes in four
features, from a fixed seed, so the file is the same on every machine."""
import random

rng = random.Random(42)
rows = []
for i in range(300):
    label = i % 2
    centre = (0.5, -0.3, 0.4, 0.0) if label else (-0.3, 0.2, -0.5, 0.1)
    rows.append([round(rng.gauss(c, 1.0), 4) for c in centre] + [label])
rng.shuffle(rows)
with open("data/train.csv", "w") as f:
    f.write("x1,x2,x3,x4,label\n")
    for r in rows:
        f.write(",".join(str(v) for v in r) + "\n")
