#!/bin/sh
# ini-botocore.t - our config reader against botocore's configloader: every
# ini seed file and 300 random files (fixed seed) must give the same
# sections, keys, values, nested blocks and profile map, or be refused by
# both.  Referee: tests/creds/botocore-ini.py (the machine's botocore).
. "$TOP/tests/cli/lib.sh"

python3 -c 'import botocore' 2>/dev/null || {
	not_ok "botocore importable"; done_testing; exit; }

mkdir "$T/rand"
python3 "$TOP/tests/creds/random-ini.py" "$T/rand" 300 20261126
ls "$TOP"/tests/fuzz/corpus/ini/* "$T"/rand/* > "$T/files"
# shellcheck disable=SC2046
"$TOP/build/tests/unit-ini" $(cat "$T/files") > "$T/ours"
# shellcheck disable=SC2046
python3 "$TOP/tests/creds/botocore-ini.py" $(cat "$T/files") > "$T/theirs"
is "one answer per file" "$(wc -l < "$T/ours")" "$(wc -l < "$T/files")"

agree=0
n=0
while IFS= read -r f; do
	n=$((n + 1))
	ours=$(sed -n "${n}p" "$T/ours")
	theirs=$(sed -n "${n}p" "$T/theirs")
	if [ "$ours" = "$theirs" ]; then
		agree=$((agree + 1))
		case $f in "$TOP"/*) ok "same as botocore: ${f##*/}" ;; esac
	else
		not_ok "same as botocore: ${f##*/}" "ours:   $ours" \
		    "theirs: $theirs" "file: $(od -c "$f" | head -8)"
	fi
done < "$T/files"
is "files agreeing with botocore" "$agree" "$n"
done_testing
