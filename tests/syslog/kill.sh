#!/bin/sh
# egressd killed with -9 mid-delivery and started again: the alerts it had
# not marked delivered are delivered by the next run, first arrivals in
# the order raised, none missing; the store passes integrity_check.
set -u
. "${top_srcdir:-.}/tests/syslog/common.sh"
BACKLOG=${BACKLOG:-30000}

cat >"$tmp/e.conf" <<CONF
syslog "siem" { transport tls; host 127.0.0.1; port $TLS_PORT
	ca "$tmp/ca.pem"; format cef; wait 60s }
CONF
db=$tmp/e.db
# a store with a backlog waiting for "siem" (no receiver yet)
sed 's/wait 60s/wait 0s/' "$tmp/e.conf" >"$tmp/down.conf"
"$egressd" -r "$srcdir/pcaps/site-demo.pcap" -c "$tmp/down.conf" -w "$db" \
    >/dev/null 2>/dev/null
sqlite3 -batch "$db" "
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n
    WHERE x < $BACKLOG / 35 + 1)
INSERT INTO alerts (id, run, ts, action, severity, rule, message,
    source_ip, network_type, ecs)
SELECT printf('%016x', 1048576 + x * 64 + a.seq), a.run, a.ts, a.action,
    a.severity, a.rule, a.message, a.source_ip, a.network_type,
    json_set(a.ecs, '\$.event.id', printf('%016x', 1048576 + x * 64 + a.seq))
FROM n, (SELECT * FROM alerts ORDER BY seq) a ORDER BY x, a.seq;
INSERT INTO deliveries (sink, alert, state)
SELECT 'syslog:siem', seq, 'pending' FROM alerts
WHERE seq > (SELECT max(alert) FROM deliveries);" || exit 99

rs_start tls
"$egressd" -r "$srcdir/tests/detect/dns-tunnel.pcap" -c "$tmp/e.conf" \
    -w "$db" >/dev/null 2>"$tmp/err1" &
egressd_pid=$!
i=0
while [ "$(lines "$tmp/received-tls")" -lt $((BACKLOG / 3)) ]; do
	i=$((i + 1))
	[ $i -gt 600 ] && { fail "nothing arrived"; break; }
	sleep 0.05
done
kill -9 "$egressd_pid"
wait "$egressd_pid" 2>/dev/null
egressd_pid=
at=$(lines "$tmp/received-tls")
[ "$(sqlite3 -batch "$db" "PRAGMA integrity_check")" = ok ] ||
    fail "integrity_check after kill -9"
before=$(sqlite3 -batch "$db" "SELECT count(*) FROM deliveries
    WHERE sink = 'syslog:siem' AND state = 'pending'")
[ "$before" -gt 0 ] || fail "nothing was left to deliver after kill -9"
"$egressd" -r "$srcdir/tests/detect/long-conn.pcap" -c "$tmp/e.conf" \
    -w "$db" >/dev/null 2>"$tmp/err2" || fail "egressd: exit $?"
sleep 0.5
rs_stop tls

ids "$db" >"$tmp/want"
n=$(lines "$tmp/want")
"$readback" cef "$db" "$tmp/received-tls" >"$tmp/got" ||
    fail "$(grep BAD "$tmp/got" | head -3)"
first_seen "$tmp/got" >"$tmp/first"
cmp -s "$tmp/want" "$tmp/first" ||
    fail "$(lines "$tmp/first") of $n alerts arrived, or not in order"
left=$(sqlite3 -batch "$db" "SELECT count(*) FROM deliveries
    WHERE sink = 'syslog:siem' AND state != 'delivered'")
[ "$left" -eq 0 ] || fail "$left alerts not marked delivered"
dup=$(($(lines "$tmp/got") - $(lines "$tmp/first")))
[ $fail -eq 0 ] && echo "PASS: $n alerts over TLS, egressd killed after" \
    "$at, $before left; all arrived in order ($dup sent twice)"
exit $fail
