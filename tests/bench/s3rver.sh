# tests/bench/s3rver.sh - a second, fast S3 for the benchmarks (sourced).
#
#   . "$TOP/tests/bench/s3rver.sh"
#   s3rver_start DIR        # starts it on 127.0.0.1, a port the kernel picks
#   ... S3RVER_URL, S3RVER_KEY (access key id = secret) ...
#   S3RVER_EXTRA_KEY_ID=... S3RVER_EXTRA_SECRET=... s3rver_start DIR
#                           # also accepts that key (tests/bench/s3rver-run.js)
#   s3rver_stop             # the caller's EXIT trap calls it too
#
# s3rver (S3 in Node, serving files from DIR) streams objects and ranges
# from disk, where moto copies the whole object for every ranged GET: on
# moto a fetch measures moto.  The pinned version is installed with npm into
# build/s3rver on first use.  It is a benchmark peer only, never a test's
# referee: where it parts from S3 (below), a test would be wrong to rely on
# it.  Seen with 3.7.1:
#   - multipart uploads get the MD5 of the whole object as their ETag, not
#     S3's MD5-of-part-MD5s "-N" form (accel-fetch then verifies the whole
#     MD5, which S3 never lets it do for a multipart object);
#   - signatures are checked (SigV4, with the key pairs it knows: its fixed
#     S3RVER/S3RVER, plus the one s3rver-run.js adds);
#   - ranges, HeadObject and ListObjectsV2 pages answer as S3 does for what
#     accel-fetch sends (single ranges, continuation tokens).
S3RVER_VERSION=3.7.1
S3RVER_KEY=S3RVER

s3rver_install() {
	_s3b=$TOP/build/s3rver/node_modules/.bin/s3rver
	if [ -x "$_s3b" ] && [ "$("$_s3b" --version 2>/dev/null)" = "$S3RVER_VERSION" ]; then
		return 0
	fi
	command -v npm >/dev/null 2>&1 || {
		echo "s3rver.sh: npm is missing (Debian: apt-get install npm)" >&2
		return 1
	}
	mkdir -p "$TOP/build/s3rver"
	npm install --prefix "$TOP/build/s3rver" --no-audit --no-fund \
	    --loglevel=error "s3rver@$S3RVER_VERSION" >&2
}

s3rver_start() {
	s3rver_install || return 1
	_s3d=$1
	mkdir -p "$_s3d/data"
	node "$TOP/tests/bench/s3rver-run.js" "$_s3d/data" >"$_s3d/log" 2>&1 &
	S3RVER_PID=$!
	_i=0
	until grep -q '^S3rver listening on' "$_s3d/log"; do
		_i=$((_i + 1))
		if [ $_i -gt 600 ] || ! kill -0 "$S3RVER_PID" 2>/dev/null; then
			echo "s3rver.sh: s3rver did not start:" >&2
			cat "$_s3d/log" >&2
			return 1
		fi
		sleep 0.05
	done
	S3RVER_URL=http://$(sed -n 's/^S3rver listening on //p' "$_s3d/log")
}

s3rver_stop() {
	[ -n "${S3RVER_PID:-}" ] && kill "$S3RVER_PID" 2>/dev/null
	S3RVER_PID=
}
