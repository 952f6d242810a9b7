# ignore-git.py - git as the referee for .accelignore: random trees and
# random gitignore patterns; for each, the files in accel-request's archive
# must be exactly the files `git ls-files --others --exclude-standard` lists
# with the same patterns in .gitignore.
#
#   python3 ignore-git.py ACCEL_REQUEST CONFIG SCRATCH CASES SEED
import os
import random
import shutil
import subprocess
import sys
import tarfile

NAMES = ["a", "b", "c", "ab", "ba", "d1", "x.log", "y.py", "z.pyc", ".h"]
PARTS = ["a", "b", "c", "ab", "*", "?", "**", "[ab]", "[!a]", "x*", "*.log",
         "d?", "*.py[co]", ".*", "b*"]
FIXED = ["*.log\n!keep.log\n", "*\n!*/\n!*.py\n", "a/\n!a/b\n", "**/b\n",
         "/a/**\n", "a/**/c\n", "*/b\n", "[a-c]*\n!b\n"]


def tree(r, root):
    files = []
    for _ in range(r.randrange(1, 14)):
        depth = r.randrange(1, 4)
        path = "/".join(r.choice(NAMES) for _ in range(depth))
        files.append(path)
    for f in files:
        full = os.path.join(root, f)
        parent = os.path.dirname(full)
        if os.path.isfile(parent) or any(os.path.isfile(os.path.join(
                root, *f.split("/")[:i])) for i in range(1, f.count("/") + 1)):
            continue
        if os.path.isdir(full):
            continue
        os.makedirs(parent, exist_ok=True)
        with open(full, "w") as fh:
            fh.write("x\n")


def pattern(r):
    n = r.randrange(1, 4)
    p = "/".join(r.choice(PARTS) for _ in range(n))
    if r.random() < 0.25:
        p = "/" + p
    if r.random() < 0.2:
        p += "/"
    if r.random() < 0.25:
        p = "!" + p
    return p


def archive_files(path):
    with tarfile.open(path) as t:
        return sorted(m.name for m in t.getmembers() if m.isfile())


def git_files(root):
    out = subprocess.run(
        ["git", "-c", "core.excludesFile=/dev/null", "ls-files", "--others",
         "--exclude-standard", "-z"], cwd=root, check=True,
        capture_output=True).stdout.decode()
    return sorted(f for f in out.split("\0") if f)


def main():
    tool, config, scratch, cases, seed = sys.argv[1:6]
    r = random.Random(int(seed))
    bad = 0
    for i in range(int(cases)):
        root = os.path.join(scratch, "t%d" % i)
        os.makedirs(root)
        tree(r, root)
        if i < len(FIXED):
            rules = FIXED[i]
        else:
            rules = "".join(pattern(r) + "\n" for _ in range(r.randrange(1, 6)))
        rules += "!/train.py\n"
        for name in (".gitignore", ".accelignore"):
            with open(os.path.join(root, name), "w") as fh:
                fh.write(rules)
        with open(os.path.join(root, "train.py"), "w") as fh:
            fh.write("print(1)\n")
        subprocess.run(["git", "init", "-q", root], check=True)
        out = os.path.join(scratch, "o%d" % i, "request.json")
        res = subprocess.run([tool, "-c", config, "-o", out, "train.py"],
                             cwd=root, capture_output=True)
        if res.returncode != 0:
            print("case %d: accel-request failed: %s" % (i, res.stderr))
            bad += 1
            continue
        ours = archive_files(os.path.join(os.path.dirname(out),
                                          "sourcedir.tar.gz"))
        theirs = git_files(root)
        if ours != theirs:
            bad += 1
            print("case %d: rules %r" % (i, rules))
            print("  only ours: %s" % sorted(set(ours) - set(theirs)))
            print("  only git:  %s" % sorted(set(theirs) - set(ours)))
        shutil.rmtree(root)
    print("%d cases, %d differ" % (int(cases), bad))
    sys.exit(1 if bad else 0)


main()
