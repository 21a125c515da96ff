#!/bin/sh
# A denied-destination alert reaches the JSON file at once, while egressd
# runs, and the file only ever holds whole lines.  The previous code kept
# records and alerts in a 4 KiB stdio buffer: the alert was not in the
# file until SIGTERM, and the file ended in the middle of a record.
. "${top_srcdir:-.}/tests/live/lib.sh"

start -j "$tmp/out.json"
# One datagram to the denied address: its flow's record raises the alert.
# The flow ends 1 s idle, and live, packet time follows the wall clock
# 1 s behind, in steps of a second: the record is due 2 to 3 s after the
# packet; its alert must be in the file within a second of that (5 s in
# all, for a busy machine; the previous code: not before SIGTERM).
udp 1
if waitfor 8 "[ \"\$(alerts '$tmp/out.json' 2>/dev/null)\" = 1 ]"; then
	t1=$(now_us)
	ms=$(( (t1 - $(first_us "$tmp/out.json")) / 1000 ))
	echo "alert in the file $ms ms after its packet"
	[ "$ms" -le 5000 ] || fail "the alert took more than 5 s"
else
	fail "no alert in the file 8 s after its packet"
fi
# Records keep coming: sample the file while it grows.
bad=0
for i in 1 2 3 4 5 6 7 8; do
	udp 150 >/dev/null
	sleep 0.7
	whole "$tmp/out.json" || bad=$((bad + 1))
done
[ "$bad" -eq 0 ] ||
    fail "the file ended inside a line (or held one that does not parse) $bad times in 8"
n=$(wc -l <"$tmp/out.json")
stop
[ "$rc" -eq 0 ] || fail "exit status $rc"
whole "$tmp/out.json" || fail "the file does not end in a whole line"
echo "$n lines while running, ended inside a line $bad times in 8; exit $rc"
[ "$status" -eq 0 ] || cat "$tmp/err"
exit $status
