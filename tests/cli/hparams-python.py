# hparams-python.py - the referee for how script-argument values are encoded;
# it writes random and edge-case number strings (NUL-separated) to argv[1] and the
# encoding Python gives each one, json.dumps(accelerate._infer_type(s)) with
# exactly True/False as booleans, one per line, to argv[2].
import json
import random
import struct
import sys


def infer_type(s):		# accelerate src/accelerate/utils/launch.py
    try:
        s = float(s)
        if s // 1 == s:
            return int(s)
        return s
    except ValueError:
        return s


def encode(s):
    v = infer_type(s)
    if v == "True":
        v = True
    elif v == "False":
        v = False
    return json.dumps(v)


def random_double(r):
    bits = r.getrandbits(64)
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def cases(r):
    edge = ["0", "-0", "+0", "0.0", "-0.0", ".0", "0.", "00", "1e308",
            "1.7976931348623157e308", "1.7976931348623159e308", "1e309",
            "5e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
            "4.9e-324", "1e-400", "9007199254740992", "9007199254740993",
            "9007199254740991.5", "4503599627370495.5", "4503599627370496.5",
            "9223372036854775807", "9223372036854775808",
            "18446744073709551615", "18446744073709551616", "1e22", "1e23",
            "0.1", "0.2", "0.3", "1e16", "1e15", "123456789012345678",
            "inf", "-inf", "+inf", "Infinity", "-INFINITY", "nan", "-NaN",
            "iNf", "infinite", "nanx", "True", "False", "true", "None",
            "null", "1_000", "1__000", "_1", "1_", "1_e5", "1e5_",
            "1.5_5", " 7 ", "\t8\n", "\v9\f", "\r10\r", "\x1c11", "0x1A",
            "0o7", "0b1", "1j", "١٢٣", "３.５", "\u20035\u3000", "\u00a06",
            "²", "½", "1e+", "1e-", "+", "-", ".", "", "e", "E5", "1E5",
            "1.e5", ".1e5", "1.5E-5", "--1", "+-1", "1.2.3", "1e5.5",
            "0.000001", "0.0000001", "1e-05", "1e-4", "12345.6789e-3"]
    yield from edge
    for _ in range(2500):		# doubles of every magnitude
        x = random_double(r)
        yield repr(x)
        yield "%.17g" % x
    for _ in range(1500):		# integers of every size, around 2^53
        n = r.getrandbits(r.randrange(1, 80)) * r.choice([1, -1])
        yield str(n)
        yield str(2 ** 53 + r.randrange(-8, 9))
    for _ in range(1500):		# decimals, short and long, exponents
        whole = str(r.getrandbits(r.randrange(0, 70)))
        frac = "".join(r.choice("0123456789") for _ in range(r.randrange(0, 25)))
        s = r.choice(["", "-", "+"]) + whole + r.choice([".", ""]) + frac
        if r.random() < 0.5:
            s += r.choice("eE") + r.choice(["", "+", "-"]) + \
                str(r.randrange(0, 400))
        yield s
    # bytes that are not UTF-8, as sys.argv decodes them (surrogateescape)
    raw = [b"\xff", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\x80", b"\xc3\xa9",
           b"\xf0\x9f\x98\x80", b"\xf4\x90\x80\x80", b"1", b"e", b".", b"\x7f",
           b"\x80", b"\xc3", b"a\"\\"]
    for _ in range(1500):
        b = b"".join(r.choice(raw) for _ in range(r.randrange(1, 5)))
        yield b.decode("utf-8", "surrogateescape")
    alphabet = "0123456789._eE+- \tinfatyINFNAT_x"
    for _ in range(2500):		# noise near the grammar
        yield "".join(r.choice(alphabet) for _ in range(r.randrange(0, 12)))


def main():
    r = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 4)
    values = list(cases(r))
    with open(sys.argv[1], "wb") as f:
        for v in values:
            f.write(v.encode("utf-8", "surrogateescape") + b"\0")
    with open(sys.argv[2], "w") as f:
        for v in values:
            f.write(encode(v) + "\n")
    print(len(values))


main()
