#!/bin/sh
# Type=notify: egressd under a stand-in for systemd's notification socket
# (a Python datagram listener) says READY=1 once it captures, STATUS= with
# its packet and drop counts, RELOADING=1 (with MONOTONIC_USEC) and READY=1
# again around a SIGHUP, WATCHDOG=1 at half of WATCHDOG_USEC, and
# STOPPING=1 on SIGTERM, in that order.  The previous code said nothing.
. "${top_srcdir:-.}/tests/live/lib.sh"

sock=$tmp/notify.sock
"$py" - "$sock" "$tmp/notes" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o777)	# egressd gives up root before it stops
with open(sys.argv[2], "a", buffering=1) as out:
    while True:
        m = s.recv(4096).decode("utf-8", "replace")
        out.write(m.replace("\n", " ") + "\n")
PY
lpid=$!
cleanup_more="kill $lpid 2>/dev/null"
waitfor 5 "[ -S '$sock' ]" || die "the listener did not start"

NOTIFY_SOCKET=$sock WATCHDOG_USEC=1000000
export NOTIFY_SOCKET WATCHDOG_USEC
start
unset NOTIFY_SOCKET WATCHDOG_USEC
waitfor 3 "grep -q '^READY=1' '$tmp/notes'" || fail "no READY=1"
udp 20
waitfor 8 "grep -q 'STATUS=capturing on cap0: 20 packets, 0 kernel drops' '$tmp/notes'" ||
    fail "no STATUS= with 20 packets and 0 drops"
kill -HUP "$pid"
waitfor 3 "grep -q '^RELOADING=1 MONOTONIC_USEC=[0-9]' '$tmp/notes'" ||
    fail "no RELOADING=1 with MONOTONIC_USEC after SIGHUP"
waitfor 3 "[ \$(grep -c '^READY=1' '$tmp/notes') -ge 2 ]" ||
    fail "no READY=1 after the reload"
waitfor 3 "[ \$(grep -c '^WATCHDOG=1' '$tmp/notes') -ge 4 ]" ||
    fail "fewer than 4 WATCHDOG=1 in 3 s at WATCHDOG_USEC=1 s"
stop
[ "$rc" -eq 0 ] || fail "exit status $rc"
sleep 0.2
# The order: READY, STATUS, RELOADING, READY, and STOPPING last.
order=$(sed -e 's/=.*//' "$tmp/notes" | grep -v WATCHDOG | uniq | tr '\n' ' ')
case $order in
"READY STATUS RELOADING READY "*"STOPPING ") ;;
*) fail "notifications out of order: $order" ;;
esac
[ "$(tail -n 1 "$tmp/notes" | cut -d= -f1)" = STOPPING ] ||
    fail "the last notification is not STOPPING=1"
echo "$(wc -l <"$tmp/notes") notifications: $order; $(grep -c '^WATCHDOG' "$tmp/notes") watchdog"
[ "$status" -eq 0 ] || { cat "$tmp/notes"; cat "$tmp/err"; }
exit $status
