#!/bin/sh
# Every format over every transport, several sinks at once, against
# Debian's rsyslogd on loopback: alerts of pcaps/site-demo.pcap and of a
# capture whose names carry ']', '"', '\', '|', '=', newlines, a fake
# syslog header, NUL and invalid UTF-8 (hostile.py).  Every message
# rsyslogd received must read back (readback: parsed by its format's
# grammar, each field equal to the stored alert's ECS field), no name may
# start a new message or field, and each sink must have delivered every
# alert of the store, in order.
set -u
. "${top_srcdir:-.}/tests/syslog/common.sh"

python3 "$srcdir/tests/syslog/hostile.py" "$srcdir/tests/store/hostile.py" \
    "$tmp/hostile.pcap" || exit 99
rs_start
rs_start tls
cat >"$tmp/egressd.conf" <<CONF
syslog "tcp-5424" { transport tcp; host 127.0.0.1; port $TCP_PORT
	format rfc5424; hostname "tcp-5424"; send everything }
syslog "tcp-cef" { transport tcp; host 127.0.0.1; port $TCP_PORT
	format cef; hostname "tcp-cef" }
syslog "tcp-json" { transport tcp; host 127.0.0.1; port $TCP_PORT
	format json; hostname "tcp-json" }
syslog "udp-cef" { transport udp; host 127.0.0.1; port $UDP_PORT
	format cef; hostname "udp-cef" }
syslog "udp-5424" { transport udp; host 127.0.0.1; port $UDP_PORT
	format rfc5424; hostname "udp-5424" }
syslog "local-json" { transport local; path "$LOG_SOCK"
	format json; hostname "local-json" }
syslog "tls-5424" { transport tls; host 127.0.0.1; port $TLS_PORT
	ca "$tmp/ca.pem"; format rfc5424; hostname "tls-5424" }
syslog "tls-cef" { transport tls; host "localhost"; port $TLS_PORT
	ca "$tmp/ca.pem"; format cef; hostname "tls-cef" }
CONF
db=$tmp/e.db
for cap in "$srcdir/pcaps/site-demo.pcap" "$tmp/hostile.pcap"; do
	"$egressd" -r "$cap" -c "$tmp/egressd.conf" -w "$db" >/dev/null \
	    2>"$tmp/err" || fail "egressd -r $cap: exit $?: $(cat "$tmp/err")"
	[ -s "$tmp/err" ] && fail "egressd said: $(cat "$tmp/err")"
done
sleep 0.5
rs_stop
rs_stop tls
ids "$db" >"$tmp/want"
nalerts=$(lines "$tmp/want")
[ "$nalerts" -ge 40 ] || fail "only $nalerts alerts in the store"
sqlite3 -batch "$db" "SELECT count(*) FROM alerts WHERE domain LIKE '%]%'
    OR domain LIKE '%|%' OR domain LIKE '%=%'" >"$tmp/n"
[ "$(cat "$tmp/n")" -ge 3 ] || fail "the hostile names raised no alerts"

for sink in tcp-5424 tcp-cef tcp-json udp-cef udp-5424 local-json tls-5424 \
    tls-cef; do
	fmt=${sink#*-}
	[ "$fmt" = 5424 ] && fmt=rfc5424
	file=$tmp/received
	case $sink in tls-*) file=$tmp/received-tls ;; esac
	# the sink's messages: hostname is the third header field
	awk -v h="$sink" '$3 == h' "$file" >"$tmp/$sink.msgs"
	if [ "$sink" != tcp-5424 ]; then
		"$readback" "$fmt" "$db" "$tmp/$sink.msgs" >"$tmp/$sink.ids" ||
		    fail "$sink: $(grep BAD "$tmp/$sink.ids" | head -3)"
	else
		"$readback" "$fmt" - "$tmp/$sink.msgs" >"$tmp/x" ||
		    fail "$sink: $(grep BAD "$tmp/x" | head -3)"
		# send everything: the flow records come as well
		grep -c '^<1[0-9]*>1 [^ ]* tcp-5424 egressd [0-9]* flow ' \
		    "$tmp/tcp-5424.msgs" >"$tmp/nflows"
		[ "$(cat "$tmp/nflows")" -gt 100 ] ||
		    fail "tcp-5424: $(cat "$tmp/nflows") flow records"
		grep -q ' beacon-series \[egressd@32473 ' "$tmp/$sink.msgs" ||
		    fail "tcp-5424: no beacon series"
		# a series by address says where it calls
		grep -q ' beacon-series \[egressd@32473 [^]]* dst="203\.0\.113\.50" ' \
		    "$tmp/$sink.msgs" ||
		    fail "tcp-5424: no beacon series names its destination"
		# flow records and series are no alerts: read back alerts
		awk '$6 != "flow" && $6 != "beacon-series"' "$tmp/$sink.msgs" \
		    >"$tmp/$sink.alerts"
		"$readback" rfc5424 "$db" "$tmp/$sink.alerts" >"$tmp/$sink.ids" ||
		    fail "$sink: $(grep BAD "$tmp/$sink.ids" | head -3)"
	fi
	first_seen "$tmp/$sink.ids" >"$tmp/$sink.first"
	cmp -s "$tmp/want" "$tmp/$sink.first" ||
	    fail "$sink: $(lines "$tmp/$sink.first") of $nalerts alerts, or not in order"
	n=$(sqlite3 -batch "$db" "SELECT count(*) FROM deliveries
	    WHERE sink = 'syslog:$sink' AND state = 'delivered'")
	[ "$n" -eq "$nalerts" ] || fail "$sink: $n of $nalerts marked delivered"
done
# a message is one line: as many lines as messages sent
n=$(awk '$3 != "tcp-5424"' "$tmp/received" "$tmp/received-tls" | wc -l)
[ "$n" -eq $((nalerts * 7)) ] ||
    fail "$n lines received for $((nalerts * 7)) alert messages"
[ $fail -eq 0 ] && echo "PASS: $nalerts alerts, 8 sinks, every message read back"
exit $fail
