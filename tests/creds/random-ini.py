"""random-ini.py DIR N SEED: N random config files in DIR, built from the
fragments that make botocore's reader interesting (comments, indentation,
nested blocks, blank lines, DEFAULT, quoted profile names, both
delimiters, CR and CRLF line ends).  Same seed, same files."""
import os
import random
import sys

HEADERS = ["[default]", "[DEFAULT]", "[profile dev]", "[dev]",
           "[profile \"a b\"]", "[profile 'x y' z]", "[services s]",
           "[sso-session o]", "[profile  dev ]", "[profile]", "[a]]",
           "[ spaced ]", "[profile default]", "[p\"]"]
KEYS = ["region", "Region", "s3", "x", "aws_access_key_id", "k:y"]
VALUES = ["us-east-1", "", "a=b", "1 ; note", "1 # note", "v:w", " pad ",
          "\"q\""]
INDENT = ["", " ", "  ", "\t", "    "]
ENDS = ["\n", "\n", "\n", "\r\n", "\r"]


def line(r, used):
    kind = r.random()
    ind = r.choice(INDENT)
    if kind < 0.03:
        return r.choice(["garbage", "= 1", "[]"])   # errors, rarely
    if kind < 0.15:
        header = r.choice(HEADERS)
        if header in used and r.random() < 0.9:
            return ind + "# skipped repeat"
        used.add(header)
        return header
    if kind < 0.25:
        return ind + r.choice(["#", ";"]) + " c"
    if kind < 0.35:
        return ind
    delim = r.choice(["=", " = ", ":", " : "])
    key = r.choice(KEYS)
    if r.random() < 0.7:
        key += str(r.randint(0, 999))      # mostly unique keys
    return ind + key + delim + r.choice(VALUES)


def main():
    out, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    r = random.Random(seed)
    for i in range(n):
        used = set()
        text = "[default]\n" if r.random() < 0.8 else ""
        if text:
            used.add("[default]")
        for _ in range(r.randint(1, 12)):
            text += line(r, used) + r.choice(ENDS)
        with open(os.path.join(out, "r%04d.ini" % i), "w",
                  newline="") as f:
            f.write(text)


main()
