#!/bin/sh
# fetch-extract.t - accel-fetch with file:// sources: extraction compared
# with tar(1) on the same archive, the model directory replaced in one
# step, accel-local's status.json, and a corpus of hostile archives (built
# by python3's tarfile in fetch-hostile.py), each refused with a message
# naming the entry, nothing written outside the target and the previous
# model left as it was.
. "$TOP/tests/cli/lib.sh"

W=$T/work
mkdir -p "$W/src/sub" "$T/ref"
printf 'weights\n' >"$W/src/w.bin"
printf 'config\n' >"$W/src/sub/c.json"
ln -s ../w.bin "$W/src/sub/link"
ln "$W/src/w.bin" "$W/src/hard"
tar -C "$W/src" -czf "$T/m.tar.gz" .
tar -C "$T/ref" -xzf "$T/m.tar.gz"

# tree DIR: a listing with types, link targets and contents
tree() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | while read -r f; do
		if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"
		elif [ -d "$f" ]; then echo "$f/"
		else echo "$f $(cksum <"$f")"; fi
	done)
}

cd "$W" || exit 1
run "$BIN/accel-fetch" -o model "file://$T/m.tar.gz"
check_status 0 "file:// archive"
check_stderr "" "file:// archive"
is "same tree as tar -xzf" "$(tree model)" "$(tree "$T/ref")"
is "hard link kept" "$(stat -c %i model/hard)" "$(stat -c %i model/w.bin)"
is "nothing left beside" "$(ls -A "$W" | tr '\n' ' ')" "model src "

# The -o path is a name, never a pattern: directories that a glob of
# PATH.new.?????? would match are not touched; a killed run's temp dir
# (PATH.new.XXXXXX holding accel-fetch's marker) is removed, and only that.
G=$T/glob
mkdir -p "$G/photos.new.2024q1" "$G/model1.new.abc123" \
    "$G/model[12].new.Ab12Cd" "$G/model[12].new.Zz99zz" \
    "$G/model[12].new.Ab12Cd7"
echo keep >"$G/photos.new.2024q1/p.jpg"
echo keep >"$G/model1.new.abc123/w.bin"
for d in Ab12Cd Ab12Cd7; do
	echo stale >"$G/model[12].new.$d/accel-fetch-temp"
done
(cd "$G" && "$BIN/accel-fetch" -o '*' "file://$T/m.tar.gz" &&
    "$BIN/accel-fetch" -o 'model[12]' "file://$T/m.tar.gz") >"$T/out" \
    2>"$T/err"
status=$?
check_status 0 "glob characters in -o"
check_stderr "" "glob characters in -o"
is "glob -o: only our stale temp dir removed" "$(ls -A "$G" | tr '\n' ' ')" \
    "* model1.new.abc123 model[12] model[12].new.Ab12Cd7 model[12].new.Zz99zz photos.new.2024q1 "
is "glob -o: others' files kept" \
    "$(cat "$G/photos.new.2024q1/p.jpg" "$G/model1.new.abc123/w.bin")" \
    "keep
keep"
is "glob -o: models in place" "$(tree "$G/*")$(tree "$G/model[12]")" \
    "$(tree "$T/ref")$(tree "$T/ref")"

# The model directory is replaced as a whole, not merged.
printf 'old\n' >model/stale.txt
run "$BIN/accel-fetch" -o model/ "file://$T/m.tar.gz"
check_status 0 "refetch"
is "replaced, not merged" "$(tree model)" "$(tree "$T/ref")"

# accel-local's status.json (file:// ModelArtifacts) and --output.
J=$T/job
mkdir -p "$J/src"
cat >"$J/src/train.sh" <<'EOF2'
echo trained >"$SM_MODEL_DIR/model.txt"
echo metrics >"$SM_OUTPUT_DATA_DIR/metrics.txt"
EOF2
tar -C "$J/src" -czf "$J/sourcedir.tar.gz" train.sh
cat >"$J/request.json" <<'JSON'
{"TrainingJobName": "fetch-test",
 "AlgorithmSpecification": {"TrainingInputMode": "File", "TrainingImage": "img"},
 "ResourceConfig": {"InstanceCount": 1, "InstanceType": "local", "VolumeSizeInGB": 30},
 "HyperParameters": {"sagemaker_program": "\"train.sh\""}}
JSON
if "$BIN/accel-local" -o "$J/local" "$J/request.json" >"$T/local.out" \
    2>&1; then
	run "$BIN/accel-fetch" -o "$J/model" --output "$J/local/status.json"
	check_status 0 "accel-local status.json"
	check_stderr "" "accel-local status.json"
	is "model from accel-local" "$(cat "$J/model/model.txt")" trained
	is "output.tar.gz under output/" "$(cat "$J/model/output/metrics.txt")" \
	    metrics
else
	not_ok "accel-local runs" "$(tail -5 "$T/local.out")"
fi

# Hostile archives: every one refused, the old model untouched.
H=$T/hostile
mkdir -p "$H"
python3 "$TOP/tests/cli/fetch-hostile.py" "$H" || not_ok "corpus built"
rm -rf model && mkdir model && printf 'keep\n' >model/keep.txt
before=$(tree "$W")
refused() {	# refused CASE MESSAGE
	run "$BIN/accel-fetch" --max-entry 1M --max-total 1M -o model \
	    "file://$H/$1.tar.gz"
	check_status 1 "$1"
	check_stderr "accel-fetch: $H/$1.tar.gz: archive refused: $2
" "$1"
	is "$1: nothing written, old model kept" "$(tree "$W")" "$before"
}
refused dotdot "'../escaped.txt': '..' in the path"
refused dotdot-deep "'a/b/../../../escaped.txt': '..' in the path"
refused absolute "'/tmp/accel-fetch-escaped.txt': absolute path"
refused symlink-abs "'etc': symbolic link pointing outside the target"
refused symlink-up "'d/up': symbolic link pointing outside the target"
refused symlink-chain "'d/l': symbolic link resolving outside the target"
refused symlink-through "'l/x.txt': path through a symbolic link"
refused hardlink-up "'h': hard link to a path outside the target"
refused hardlink-abs "'h': hard link to a path outside the target"
refused hardlink-symlink "'h': hard link to something other than a regular file of the archive"
refused chardev "'null': device file"
refused blockdev "'sda': device file"
refused fifo "'pipe': FIFO"
refused huge "'big.bin': entry over the size cap"
refused total "'b.bin': archive over the total size cap"
refused duplicate "'w.txt': duplicate name"
refused duplicate-kind "'w': duplicate name"
[ ! -e "$T/escaped.txt" ] && [ ! -e "$T/outside" ] &&
    [ ! -e /tmp/accel-fetch-escaped.txt ]
is "nothing escaped" $? 0

# Not an archive; not there; usage.
printf 'plain text\n' >"$T/plain.tar.gz"
run "$BIN/accel-fetch" -o model "file://$T/plain.tar.gz"
check_status 1 "not an archive"
run "$BIN/accel-fetch" -o model "file://$T/none.tar.gz"
check_status 1 "missing file"
check_stderr "accel-fetch: cannot open '$T/none.tar.gz': No such file or directory
" "missing file"
run "$BIN/accel-fetch" -o model "http://example.test/m.tar.gz"
check_status 1 "unknown scheme"
run "$BIN/accel-fetch"
check_status 2 "no argument"
check_stderr "accel-fetch: no STATUS.json or URI given
accel-fetch: try 'accel-fetch --help'
" "no argument"
run "$BIN/accel-fetch" -j 0 x
check_status 2 "bad -j"
check_stderr "accel-fetch: -j wants 1 to 16 threads, not '0'
accel-fetch: try 'accel-fetch --help'
" "bad -j"
is "old model still there" "$(tree "$W")" "$before"
done_testing
