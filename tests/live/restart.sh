#!/bin/sh
# The JSON file is appended to, never truncated: a start that fails
# (-i nosuch0) leaves it as it was, and a restart (systemd's
# Restart=on-failure) keeps every record of the run before.  The previous
# code truncated it at every start, failed or not.
. "${top_srcdir:-.}/tests/live/lib.sh"

j=$tmp/events.jsonl
start -j "$j"
udp 40
waitfor 6 "[ \"\$(packets '$j')\" = 40 ]" || fail "first run: not all 40 in the file"
stop
[ "$rc" -eq 0 ] || fail "first run: exit status $rc"
size=$(wc -c <"$j")
# A start that cannot capture: exit 1, the file untouched.
nsx "$egressd" -d -i nosuch0 -c "$tmp/policy.conf" -j "$j" 2>"$tmp/err2"
rc=$?
[ "$rc" -eq 1 ] || fail "-i nosuch0: exit status $rc, not 1"
[ "$(wc -c <"$j")" -eq "$size" ] ||
    fail "-i nosuch0 changed the file ($size bytes, now $(wc -c <"$j"))"
# The same with an output that can be opened but a source that cannot.
start -j "$j"
udp 25
waitfor 6 "[ \"\$(packets '$j')\" = 65 ]" || fail "second run: not all 65 in the file"
stop
[ "$rc" -eq 0 ] || fail "second run: exit status $rc"
whole "$j" || fail "not whole lines"
echo "40 + 25 datagrams in two runs, $(packets "$j") in the file;" \
    "a failed start between them left its $size bytes alone"
[ "$status" -eq 0 ] || cat "$tmp/err" "$tmp/err2"
exit $status
