#!/bin/sh
# A receiver away and a queue-limit of 10: the oldest alerts past the
# limit are given up (state "dropped", kept in the store), said in one
# log line; when the receiver is back, the 10 newest are delivered.  And
# a syslog sink with no store is refused with a clear error.
set -u
. "${top_srcdir:-.}/tests/syslog/common.sh"

cat >"$tmp/e.conf" <<CONF
syslog "siem" { transport tcp; host 127.0.0.1; port $TCP_PORT
	queue-limit 10; wait 2s }
CONF
db=$tmp/e.db
"$egressd" -r "$srcdir/pcaps/site-demo.pcap" -c "$tmp/e.conf" -w "$db" \
    >/dev/null 2>"$tmp/err1" || fail "egressd: exit $?"
n=$(grep -c 'the queue is full (10 alerts wait)' "$tmp/err1")
[ "$n" -eq 1 ] || fail "the full queue was said $n times: $(cat "$tmp/err1")"
total=$(sqlite3 -batch "$db" "SELECT count(*) FROM alerts")
dropped=$(sqlite3 -batch "$db" "SELECT count(*) FROM deliveries
    WHERE state = 'dropped'")
[ "$dropped" -eq $((total - 10)) ] ||
    fail "$dropped of $total given up, expected $((total - 10))"
rs_start
"$egressd" -r "$srcdir/pcaps/link-raw.pcap" -c "$tmp/e.conf" -w "$db" \
    >/dev/null 2>"$tmp/err2" || fail "egressd: exit $?"
sleep 0.5
rs_stop
sqlite3 -batch "$db" "SELECT a.id || ' ' || json_extract(a.ecs,
    '\$.\"@timestamp\"') FROM alerts a JOIN deliveries d
    ON d.alert = a.seq WHERE d.state != 'dropped' ORDER BY a.seq" >"$tmp/want"
"$readback" rfc5424 "$db" "$tmp/received" >"$tmp/got" ||
    fail "$(grep BAD "$tmp/got" | head -3)"
cmp -s "$tmp/want" "$tmp/got" ||
    fail "received $(lines "$tmp/got"), expected the $(lines "$tmp/want") kept"

# no store: refused, saying why
"$egressd" -r "$srcdir/pcaps/site-demo.pcap" -c "$tmp/e.conf" >/dev/null \
    2>"$tmp/err3" && fail "a syslog sink without a store was accepted"
grep -q 'syslog "siem" sends alerts from the audit store, and there is none' \
    "$tmp/err3" || fail "no clear error: $(cat "$tmp/err3")"
[ $fail -eq 0 ] && echo "PASS: $dropped given up at a queue-limit of 10," \
    "the rest delivered; no store refused"
exit $fail
