#!/bin/sh
# SIGHUP opens the JSON file again, so log rotation works (a rename and
# SIGHUP, then a real logrotate run when logrotate is installed); SIGUSR1
# logs the stats line; neither loses a record.  The previous code died on
# both (exit 129 and 138, no log line) and lost every buffered record.
. "${top_srcdir:-.}/tests/live/lib.sh"

# egressd gives up root: the directory is its user's, as /var/log/egressd
# would be, so it can make the file again.
u=$(id -un egressd 2>/dev/null || echo nobody)
g=$(id -gn "$u") || die "no group for $u"
mkdir "$tmp/log" && chown "$u:$g" "$tmp/log" || die "mkdir"
j=$tmp/log/events.jsonl
start -j "$j"
udp 100
sleep 0.5
kill -USR1 "$pid"
waitfor 3 "grep -q 'stats: 100 packets' '$tmp/err'" ||
    fail "no stats line after SIGUSR1"
kill -0 "$pid" 2>/dev/null || fail "SIGUSR1 ended egressd"

# Rotation by hand: rename, SIGHUP, new records go to a new file.
waitfor 5 "[ \"\$(packets '$j')\" = 100 ]" ||
    fail "the first 100 datagrams are not all in the file"
mv "$j" "$j.1" || die "mv"
kill -HUP "$pid"
waitfor 3 "grep -q 'SIGHUP' '$tmp/err'" || fail "no log line for SIGHUP"
kill -0 "$pid" 2>/dev/null || fail "SIGHUP ended egressd"
udp 50
waitfor 6 "[ -s '$j' ] && [ \"\$(packets '$j')\" = 50 ]" ||
    fail "after SIGHUP, the new file does not hold the 50 datagrams sent"

# logrotate, as a site runs it: rotate, then SIGHUP (postrotate).
rot=0
if command -v logrotate >/dev/null 2>&1; then
	cat >"$tmp/logrotate.conf" <<LR
$j {
	su $u $g
	rotate 3
	nocompress
	missingok
	postrotate
		kill -HUP $pid
	endscript
}
LR
	logrotate -f -s "$tmp/logrotate.state" "$tmp/logrotate.conf" ||
	    fail "logrotate failed"
	udp 30
	waitfor 6 "[ -s '$j' ] && [ \"\$(packets '$j')\" = 30 ]" ||
	    fail "after logrotate, the new file does not hold the 30 datagrams sent"
	rot=1
else
	echo "no logrotate: rename and SIGHUP only"
fi
stop
[ "$rc" -eq 0 ] || fail "exit status $rc"
total=0
for f in "$j" "$j".*; do
	[ -f "$f" ] || continue
	whole "$f" || fail "$f: not whole lines"
	total=$((total + $(packets "$f")))
done
sent=$((150 + 30 * rot))
[ "$total" -eq "$sent" ] || fail "$sent datagrams sent, $total in the files"
echo "$sent datagrams sent, $total in $(ls "$j"* | wc -l) files; exit $rc"
[ "$status" -eq 0 ] || cat "$tmp/err"
exit $status
