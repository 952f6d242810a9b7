#!/bin/sh
# help.t - every tool in $BIN has the same door (issue 16): --help prints
# what it does, its options and its exit statuses on stdout and exits 0;
# --version prints "accel-TOOL VERSION"; a usage error says what is wrong
# and points at --help on stderr, exit 2.  A new tool without them fails.
# The long options --help lists must appear in the tool's man page.
. "$(dirname "$0")/lib.sh"
VERSION=$(sed -n 's/^VERSION := //p' "$TOP/Makefile")

n=0
for b in "$BIN"/accel-*; do
	[ -x "$b" ] || continue
	n=$((n + 1))
	t=${b##*/}

	run "$b" --help
	check_status 0 "$t --help"
	check_stderr "" "$t --help"
	is "$t --help: the synopsis first" \
	    "$(head -1 "$T/out" | cut -d' ' -f1-2)" "usage: $t"
	for w in "Options:" "  --help " "  --version " "Exit status:" \
	    "  2   usage error" "See $t(1)."; do
		if grep -qF -- "$w" "$T/out"; then ok "$t --help: '$w'"
		else not_ok "$t --help: '$w'" "$(cat "$T/out")"; fi
	done
	is "$t --help: lines fit 80 columns" \
	    "$(awk 'length > 80' "$T/out")" ""
	man=$TOP/tools/$t.1
	for o in $(grep -o -- '--[a-z0-9-]*' "$T/out" | sort -u); do
		# man(7) writes \-\-name, mdoc(7) Fl -name
		if sed 's/\\-/-/g' "$man" |
		    grep -qF -e "$o" -e "Fl -${o#--}"; then
			ok "$t --help: $o is in $t.1"
		else
			not_ok "$t --help: $o is in $t.1"
		fi
	done

	run "$b" --version
	check_status 0 "$t --version"
	check_stdout "$t $VERSION
" "$t --version"
	check_stderr "" "$t --version"

	run "$b" --no-such-option
	check_status 2 "$t --no-such-option"
	check_stdout "" "$t --no-such-option"
	check_stderr "$t: unknown option '--no-such-option'
$t: try '$t --help'
" "$t --no-such-option"
done
is "tools found in \$BIN" "$([ "$n" -ge 8 ] && echo yes)" yes
done_testing
