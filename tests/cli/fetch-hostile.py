#!/usr/bin/env python3
"""fetch-hostile.py DIR: writes the hostile archives of fetch-extract.t into
DIR, one NAME.tar.gz per case, built with the standard library's tarfile
(an independent writer: nothing of ours makes these bytes)."""
import io
import os
import sys
import tarfile

OUT = sys.argv[1]


def member(name, kind=tarfile.REGTYPE, data=b"x", link=""):
    i = tarfile.TarInfo(name)
    i.type = kind
    i.linkname = link
    i.mode = 0o644
    i.mtime = 315532800
    if kind == tarfile.REGTYPE:
        i.size = len(data)
        return i, io.BytesIO(data)
    if kind == tarfile.DIRTYPE:
        i.mode = 0o755
    return i, None


def archive(name, *members, fmt=tarfile.PAX_FORMAT):
    with tarfile.open(os.path.join(OUT, name + ".tar.gz"), "w:gz",
                      format=fmt) as t:
        for info, data in members:
            t.addfile(info, data)


archive("dotdot", member("ok.txt"), member("../escaped.txt"))
archive("dotdot-deep", member("a/b/../../../escaped.txt"))
archive("absolute", member("/tmp/accel-fetch-escaped.txt"))
archive("symlink-abs", member("etc", tarfile.SYMTYPE, link="/etc"))
archive("symlink-up", member("d", tarfile.DIRTYPE),
        member("d/up", tarfile.SYMTYPE, link="../../outside"))
# Each link looks inside by its words; together they leave the root.
archive("symlink-chain", member("here", tarfile.SYMTYPE, link="."),
        member("d", tarfile.DIRTYPE),
        member("d/l", tarfile.SYMTYPE, link="../here/.."))
# Write through a link that points inside, to a file it would replace.
archive("symlink-through", member("d", tarfile.DIRTYPE),
        member("l", tarfile.SYMTYPE, link="d"), member("l/x.txt"))
archive("hardlink-up", member("h", tarfile.LNKTYPE, link="../outside"))
archive("hardlink-abs", member("h", tarfile.LNKTYPE, link="/etc/passwd"))
archive("hardlink-symlink", member("s", tarfile.SYMTYPE, link="d"),
        member("h", tarfile.LNKTYPE, link="s"))
archive("chardev", member("null", tarfile.CHRTYPE))
archive("blockdev", member("sda", tarfile.BLKTYPE))
archive("fifo", member("pipe", tarfile.FIFOTYPE))
archive("huge", member("small.txt"),
        member("big.bin", data=b"\0" * (2 << 20)))
archive("total", member("a.bin", data=b"\1" * (700 << 10)),
        member("b.bin", data=b"\2" * (700 << 10)))
archive("duplicate", member("w.txt", data=b"one"),
        member("./w.txt", data=b"two"))
archive("duplicate-kind", member("w", tarfile.DIRTYPE),
        member("w", data=b"file"))
