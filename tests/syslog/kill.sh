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
backlog "$db"

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

delivered "$db" siem cef "$tmp/received-tls"
[ $fail -eq 0 ] && echo "PASS: $n alerts over TLS, egressd killed after" \
    "$at, $before left; all arrived in order ($dup sent twice)"
exit $fail
