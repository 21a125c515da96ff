#!/bin/sh
# The interface goes away and comes back: egressd says why it lost the
# capture, opens it again (every second, then less often, up to 10 s:
# it keeps CAP_NET_RAW for that after giving up root) and counts what is
# sent once it is back; flows and beacon state stay.  First a link taken
# down and up, then the interface deleted and made again.  The previous
# code logged "capture read failed", without a reason, and saw nothing
# more for good.
. "${top_srcdir:-.}/tests/live/lib.sh"

# capturing: wait until every capture lost is open again (nothing is
# seen in between: a blind spot the log and the stats line report).
capturing() {
	waitfor 15 "[ \$(grep -c 'capture lost' '$tmp/err') = \$(grep -c 'capturing again' '$tmp/err') ]" ||
	    fail "not capturing again 15 s after the interface came back"
}

j=$tmp/events.jsonl
start -j "$j"
udp 20
waitfor 6 "[ \"\$(packets '$j')\" = 20 ]" || echo "the first 20 are not in the file yet"
ip -n "$ns" link set cap0 down || die "link down"
sleep 1
ip -n "$ns" link set cap0 up || die "link up"
sleep 1
capturing
udp 20
waitfor 15 "[ \"\$(packets '$j')\" = 40 ]" ||
    fail "after the link went down and up: $(packets "$j") of 40 counted"
ip -n "$ns" link del cap0 || die "link del"
sleep 1.5
links
sleep 1
capturing
udp 20
waitfor 15 "[ \"\$(packets '$j')\" = 60 ]" ||
    fail "after the interface was deleted and made again: $(packets "$j") of 60 counted"
stop
[ "$rc" -eq 0 ] || fail "exit status $rc"
[ "$(packets "$j")" = 60 ] || fail "$(packets "$j") of 60 counted in all"
grep -q 'cap0: capture lost: [A-Za-z]' "$tmp/err" ||
    fail "no message saying why the capture was lost"
grep -q 'cap0: capturing again' "$tmp/err" || fail "no message on reopening"
echo "60 datagrams sent around a link down/up and a delete/re-create," \
    "$(packets "$j") counted; egressd said:"
grep -E 'capture lost|capturing again|reopens' "$tmp/err" | sed 's/^/  /'
[ "$status" -eq 0 ] || cat "$tmp/err"
exit $status
