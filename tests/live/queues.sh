#!/bin/sh
# Queues in the stats: the store's rows waiting to be committed and each
# syslog sink's alerts waiting in the outbox, in the stats line, in
# egressctl stats (plain and --json) and in the service manager's STATUS.
# The syslog receiver is away (nothing listens), so every alert waits:
# the outbox queue equals the alerts raised.  A second connection holds
# the store's write lock: the store queue grows, and falls to 0 when the
# lock is let go.  The previous code showed neither queue.
. "${top_srcdir:-.}/tests/live/lib.sh"
egressctl=$(dirname "$egressd")/egressctl

stats_setup
nsx ip link set lo up || die "cannot bring lo up"
db=$tmp/log/store.db
cat >>"$tmp/policy.conf" <<EOF
syslog "siem" { transport tcp; host 127.0.0.1; port 9; wait 0s }
EOF

# The service manager's stand-in: a datagram listener, a line a message.
nsock=$tmp/notify.sock
"$py" - "$nsock" "$tmp/notes" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o777)
with open(sys.argv[2], "a", buffering=1) as out:
    while True:
        out.write(s.recv(4096).decode("utf-8", "replace").replace("\n", " ")
            + "\n")
PY
lpid=$!
cleanup_more="kill $lpid 2>/dev/null"
waitfor 5 "[ -S '$nsock' ]" || die "the listener did not start"

# fig NAME: a figure of egressctl stats (plain).
fig() {
	"$egressctl" stats --socket "$sock" | sed -n "s/^$1 //p"
}

NOTIFY_SOCKET=$nsock
export NOTIFY_SOCKET
start -w "$db"
unset NOTIFY_SOCKET
waitfor 3 "[ -S '$sock' ]" || die "no stats socket"
udp 5
# Every alert is committed, then waits for the receiver.
waitfor 8 "k=\$(fig alerts); [ \"\${k:-0}\" -ge 1 ] &&
    [ \"\$(fig 'syslog_queue\\.siem')\" = \"\$k\" ] &&
    [ \"\$(fig store_queue)\" = 0 ]" ||
    fail "not every alert waiting for siem: $("$egressctl" stats --socket "$sock" | tr '\n' ' ')"
a=$(fig alerts)
"$egressctl" --json stats --socket "$sock" >"$tmp/stats.json" ||
    fail "egressctl --json stats failed"
jq -e --argjson a "$a" '.store_queue == 0 and .["syslog_queue.siem"] == $a' \
    "$tmp/stats.json" >/dev/null || fail "--json: $(cat "$tmp/stats.json")"
waitfor 3 "grep -q 'stats: .*; queues: store 0 rows, syslog siem $a alerts\$' '$tmp/err'" ||
    fail "no stats line with the queues: $(grep 'stats:' "$tmp/err" | tail -n 1)"
waitfor 8 "grep -q 'STATUS=capturing on cap0: .*; queues: store 0 rows, syslog siem $a alerts' '$tmp/notes'" ||
    fail "no STATUS= with the queues: $(grep STATUS "$tmp/notes" | tail -n 1)"

# The store locked by another writer: rows wait; let go, they are written.
lock_store "$db" 6
udp 5 9 8
waitfor 4 "[ \"\$(fig store_queue)\" -ge 1 ]" ||
    fail "the store is locked and no rows wait: store_queue $(fig store_queue)"
sleep 1.5
held=$(fig store_queue)
[ "${held:-0}" -ge 1 ] || fail "the store is locked and no rows wait 1.5 s later"
waitfor 3 "grep 'stats:' '$tmp/err' | tail -n 1 | grep -q 'queues: store [1-9][0-9]* rows'" ||
    fail "the stats line shows no rows waiting while the store is locked"
wait "$lock_pid"
waitfor 8 "k=\$(fig alerts); [ \"\$(fig store_queue)\" = 0 ] &&
    [ \"\$(fig 'syslog_queue\\.siem')\" = \"\$k\" ]" ||
    fail "after the lock: $("$egressctl" stats --socket "$sock" | tr '\n' ' ')"
a2=$(fig alerts)
[ "$a2" -gt "$a" ] || fail "no alert for 198.51.100.8 ($a2 alerts, $a before)"
stop
[ "$rc" -eq 0 ] || fail "exit status $rc"
echo "$a then $a2 alerts waiting for siem; $held store rows waiting while" \
    "locked, 0 after"
[ "$status" -eq 0 ] || cat "$tmp/err"
exit $status
