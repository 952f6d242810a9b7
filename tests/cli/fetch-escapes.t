#!/bin/sh
# fetch-escapes.t - names we did not write (archive entries, URIs and
# fields of a status.json) reach accel-fetch's messages quoted, never raw:
# control bytes as \ooo or C escapes (as git quotes paths), C1 controls,
# direction overrides and bytes that are not UTF-8 too; printable ASCII and
# valid UTF-8 are kept.  A terminal escape in a refused entry's name must
# not reach stderr.
. "$TOP/tests/cli/lib.sh"

cd "$T" || exit 1
python3 - "$T" <<'EOF'
import io, sys, tarfile
def archive(path, names):
    with tarfile.open(path, "w:gz", format=tarfile.GNU_FORMAT) as t:
        for n in names:
            data = b"x\n"
            i = tarfile.TarInfo(n)
            i.size = len(data)
            t.addfile(i, io.BytesIO(data))
d = sys.argv[1]
# the issue's title-setting OSC sequence, in a name refused for '..'
archive(d + "/osc.tar.gz", ["../\x1b]0;PWNED\x07.txt"])
# a C1 CSI (U+009B), a right-to-left override (U+202E), a lone 0xff
# byte and a tab, in a name refused as a duplicate; UTF-8 kept
archive(d + "/c1.tar.gz", ["caf\u00e9\u009b2J\u202egnp.exe\udcff\t",
                           "caf\u00e9\u009b2J\u202egnp.exe\udcff\t"])
EOF
[ -s osc.tar.gz ] && [ -s c1.tar.gz ]
is "hostile archives built" $? 0

esc=$(printf '\033')
raw() {	# raw NAME: no ESC, BEL, C1 CSI or RLO byte sequence on stderr
	if grep -q "$esc\|$(printf '\007')\|$(printf '\302\233')\|$(printf '\342\200\256')" "$T/err"
	then not_ok "$1: nothing raw on stderr" "$(od -c "$T/err" | head)"
	else ok "$1: nothing raw on stderr"; fi
}

run "$BIN/accel-fetch" -o model "file://$T/osc.tar.gz"
check_status 1 "OSC in an entry name"
check_stderr "accel-fetch: $T/osc.tar.gz: archive refused: '../\\033]0;PWNED\\a.txt': '..' in the path
" "OSC in an entry name"
raw "OSC in an entry name"

run "$BIN/accel-fetch" -o model "file://$T/c1.tar.gz"
check_status 1 "C1, RLO, not UTF-8"
check_stderr "accel-fetch: $T/c1.tar.gz: archive refused: 'café\\302\\2332J\\342\\200\\256gnp.exe\\377\\t': duplicate name
" "C1, RLO, not UTF-8"
raw "C1, RLO, not UTF-8"

# status.json is the service's answer: its URI and status are quoted too.
printf '{"TrainingJobStatus": "Failed\\u001b[2J",
 "ModelArtifacts": {}}\n' >nomodel.json
run "$BIN/accel-fetch" -o model nomodel.json
check_status 1 "status with an escape"
check_stderr "accel-fetch: nomodel.json: no ModelArtifacts.S3ModelArtifacts (job status 'Failed\\033[2J')
" "status with an escape"
raw "status with an escape"
printf '{"ModelArtifacts": {"S3ModelArtifacts": "http://\\u001b]0;PWNED\\u0007"}}\n' \
    >baduri.json
run "$BIN/accel-fetch" -o model baduri.json
check_status 1 "URI with an escape"
check_stderr "accel-fetch: bad URI 'http://\\033]0;PWNED\\a': not s3:// or file://
" "URI with an escape"
raw "URI with an escape"
is "no model, nothing beside" "$(ls -d model* 2>/dev/null)" ""
done_testing
