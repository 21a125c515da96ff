#!/bin/sh
# The receiver goes away and comes back, and no alert is lost.  A first
# run finds rsyslogd down: its alerts wait in the store.  A backlog of
# BACKLOG more is added to the outbox (copies of those alerts, each with
# an id of its own), then a second run on another capture delivers over
# TCP; rsyslogd is stopped mid-delivery and started again two seconds
# later.  Every alert must arrive, first arrivals in the order raised
# (a resent alert may come twice: same id), and all be marked delivered.
set -u
. "${top_srcdir:-.}/tests/syslog/common.sh"
BACKLOG=${BACKLOG:-30000}

cat >"$tmp/down.conf" <<CONF
syslog "siem" { transport tcp; host 127.0.0.1; port $TCP_PORT; wait 0s }
CONF
cat >"$tmp/up.conf" <<CONF
syslog "siem" { transport tcp; host 127.0.0.1; port $TCP_PORT; wait 60s }
CONF
db=$tmp/e.db
"$egressd" -r "$srcdir/pcaps/site-demo.pcap" -c "$tmp/down.conf" -w "$db" \
    >/dev/null 2>"$tmp/err1"
grep -q 'alerts not delivered yet: they wait in the store' "$tmp/err1" ||
    fail "a run with the receiver down did not say so: $(cat "$tmp/err1")"
backlog "$db"

rs_start
"$egressd" -r "$srcdir/tests/detect/dns-tunnel.pcap" -c "$tmp/up.conf" \
    -w "$db" >/dev/null 2>"$tmp/err2" &
egressd_pid=$!
i=0
while [ "$(lines "$tmp/received")" -lt $((BACKLOG / 5)) ]; do
	i=$((i + 1))
	[ $i -gt 600 ] && { fail "nothing arrived"; break; }
	sleep 0.05
done
rs_stop
at=$(lines "$tmp/received")
sleep 2
rs_start
wait "$egressd_pid" || fail "egressd: exit $?"
egressd_pid=
sleep 0.5
rs_stop
grep -q 'the receiver closed the connection\|Broken pipe\|reset' \
    "$tmp/err2" || fail "the lost connection was not said: $(cat "$tmp/err2")"
grep -q 'connected, delivering again' "$tmp/err2" ||
    fail "the new connection was not said"

delivered "$db" siem rfc5424 "$tmp/received"
[ $fail -eq 0 ] && echo "PASS: $n alerts, rsyslogd stopped after $at" \
    "and started again; all arrived in order ($dup sent twice)"
exit $fail
