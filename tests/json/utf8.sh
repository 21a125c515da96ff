#!/bin/sh
# A string that is not UTF-8 must never stop the JSON lines or break one.
# The policy's file name is the operator's, any bytes: a config named
# "s<0xff>.conf" made every record's egressd.rule invalid UTF-8, jansson
# refused it and egressd died at the first record ("json: out of memory",
# exit 1, an empty file).  Now the byte is U+FFFD, every line parses, and
# the run is the demo's.
set -u
srcdir=${top_srcdir:-.}
egressd=$(cd "${top_builddir:-.}" && pwd)/src/egressd
command -v jq >/dev/null 2>&1 || { echo "no jq: skip"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
conf=$(printf '%s/s\377.conf' "$tmp")
cp "$srcdir/conf/examples/site.conf" "$conf" || exit 99
(cd "$srcdir" && "$egressd" -r pcaps/site-demo.pcap -c "$conf" \
    -j "$tmp/out.json") >"$tmp/summary" 2>"$tmp/err"
rc=$?
status=0
[ "$rc" -eq 0 ] || { echo "FAIL: exit $rc"; cat "$tmp/err"; status=1; }
lines=$(wc -l <"$tmp/out.json")
parsed=$(jq -c . "$tmp/out.json" 2>/dev/null | wc -l)
[ "$lines" -gt 0 ] && [ "$parsed" -eq "$lines" ] ||
    { echo "FAIL: $lines lines, $parsed parse"; status=1; }
want=$(printf 's\357\277\275.conf:')
rules=$(jq -r 'select(.egressd.rule != null) | .egressd.rule' \
    "$tmp/out.json" | grep -c "$want")
[ "$rules" -gt 0 ] || { echo "FAIL: no egressd.rule with U+FFFD"; status=1; }
echo "$lines lines, all parse; $rules name the file with U+FFFD"
exit $status
