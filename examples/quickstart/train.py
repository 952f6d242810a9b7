"""Logistic regression on a small CSV with only the Python standard library.

Runs the same under SageMaker, `accel-local` and plain `python3 train.py`:
hyperparameters arrive as command-line options (the training toolkit passes
them as --key value), paths come from the SM_* environment, and a
checkpoint in the SageMaker checkpoint directory lets an interrupted run
resume where it stopped.
"""
import argparse
import csv
import json
import math
import os
import random
import signal
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = os.environ.get("SAGEMAKER_BASE_DIR", "/opt/ml")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--learning_rate", type=float, default=0.01)
    p.add_argument("--batch_size", type=int, default=16)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--train", default=os.environ.get(
        "SM_CHANNEL_TRAIN", os.path.join(HERE, "data")))
    p.add_argument("--model_dir", default=os.environ.get("SM_MODEL_DIR", "model"))
    p.add_argument("--output_data_dir", default=os.environ.get(
        "SM_OUTPUT_DATA_DIR", "output"))
    p.add_argument("--checkpoint_dir", default=os.path.join(BASE, "checkpoints"))
    return p.parse_args()


def load(path):
    if os.path.isdir(path):
        path = os.path.join(path, "train.csv")
    with open(path, newline="") as f:
        rows = list(csv.reader(f))[1:]
    return [[float(v) for v in r[:-1]] for r in rows], [int(r[-1]) for r in rows]


def standardise(xs):
    n = len(xs)
    mean = [sum(col) / n for col in zip(*xs)]
    std = [math.sqrt(sum((v - m) ** 2 for v in col) / n) or 1.0
           for col, m in zip(zip(*xs), mean)]
    return mean, std


def predict(model, x):
    z = model["bias"] + sum(w * (v - m) / s for w, v, m, s in
                            zip(model["weights"], x, model["mean"], model["std"]))
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


def evaluate(model, xs, ys):
    tp = fp = fn = correct = 0
    for x, y in zip(xs, ys):
        guess = 1 if predict(model, x) >= 0.5 else 0
        correct += guess == y
        tp += guess == 1 and y == 1
        fp += guess == 1 and y == 0
        fn += guess == 0 and y == 1
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"accuracy": round(correct / len(ys), 4), "f1": round(f1, 4)}


def train_epoch(model, xs, ys, lr, batch, rng):
    order = list(range(len(xs)))
    rng.shuffle(order)
    for start in range(0, len(order), batch):
        idx = order[start:start + batch]
        gw = [0.0] * len(model["weights"])
        gb = 0.0
        for i in idx:
            err = predict(model, xs[i]) - ys[i]
            for j, (v, m, s) in enumerate(zip(xs[i], model["mean"], model["std"])):
                gw[j] += err * (v - m) / s
            gb += err
        model["weights"] = [w - lr * g / len(idx) for w, g in zip(model["weights"], gw)]
        model["bias"] -= lr * gb / len(idx)


def save_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f)
    os.replace(tmp, path)  # a checkpoint is whole or absent


def main():
    args = parse_args()
    xs, ys = load(args.train)
    cut = len(xs) * 4 // 5
    train_x, train_y, val_x, val_y = xs[:cut], ys[:cut], xs[cut:], ys[cut:]
    ckpt = os.path.join(args.checkpoint_dir, "checkpoint.json")
    if os.path.exists(ckpt):
        with open(ckpt) as f:
            state = json.load(f)
        print("resuming from checkpoint at epoch %d" % state["epoch"])
    else:
        mean, std = standardise(train_x)
        state = {"epoch": 0, "model": {"weights": [0.0] * len(mean), "bias": 0.0,
                                       "mean": mean, "std": std}}
    # SageMaker sends SIGTERM before stopping a job: keep the last epoch.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    rng = random.Random(args.seed + state["epoch"])
    for epoch in range(state["epoch"] + 1, args.epochs + 1):
        train_epoch(state["model"], train_x, train_y, args.learning_rate,
                    args.batch_size, rng)
        metrics = evaluate(state["model"], val_x, val_y)
        print("epoch %d: %s" % (epoch, metrics), flush=True)
        state["epoch"] = epoch
        save_json(ckpt, state)
    metrics = evaluate(state["model"], val_x, val_y)
    save_json(os.path.join(args.model_dir, "model.json"), state["model"])
    save_json(os.path.join(args.output_data_dir, "metrics.json"), metrics)
    print("model saved to %s" % args.model_dir)


if __name__ == "__main__":
    main()
