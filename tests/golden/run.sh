#!/bin/sh
# Golden-output regression test: run egressd with the arguments in a .gt
# file and compare exit status, summary, stderr and JSON lines with the
# checked-in .ok file beside it.  With UPDATE_GOLDEN=1 the .ok file is
# rewritten instead (and a person reads the diff before committing it).
#
# .gt file: one line of egressd arguments; paths are relative to the source
# tree; "-j" is added by the runner.
set -u
gt=$1
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
egressd=$(cd "$builddir" && pwd)/src/egressd
name=${gt%.gt}
ok=$name.ok
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

args=$(sed -n '1p' "$gt")
# shellcheck disable=SC2086
(cd "$srcdir" && exec "$egressd" $args -j "$tmp/out.json") \
    >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
{
	echo "# egressd $args"
	echo "# exit $rc"
	echo "# stdout"
	# The speed of the run is the one line that may differ between runs.
	sed '/^run  /d' "$tmp/stdout"
	echo "# stderr"
	cat "$tmp/stderr"
	echo "# json"
	cat "$tmp/out.json" 2>/dev/null
} >"$tmp/result"

if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
	cp "$tmp/result" "$ok"
	echo "updated $ok"
	exit 0
fi
if [ ! -f "$ok" ]; then
	echo "missing $ok (run make update-golden)"
	exit 1
fi
if ! diff -u "$ok" "$tmp/result"; then
	echo "FAIL: output differs from $ok"
	exit 1
fi
# A crash or a sanitizer report is never expected.
if [ "$rc" -gt 1 ]; then
	echo "FAIL: exit status $rc"
	exit 1
fi
exit 0
