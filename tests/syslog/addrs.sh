#!/bin/sh
# A host name with two addresses, the receiver on the second: in a mount
# namespace of its own, /etc/hosts names localhost ::1 and then 127.0.0.1
# (as a fresh Debian 12 does), and rsyslogd listens on 127.0.0.1 alone.
# A UDP sink and a TCP sink to "localhost" must each deliver every alert,
# in order, all marked delivered: the UDP sink moves on from ::1 when the
# refusal comes back (it sent to ::1 for ever before), the TCP sink when
# its connection is refused.  And a UDP sink sending flow records as well
# to a port where nothing listens gives them up and exits 0 (a refused
# record freed the kept records twice and aborted).
set -u
if [ -z "${EGRESSD_ADDRS_NS:-}" ]; then
	[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (unshare -m)"; exit 77; }
	unshare -m true 2>/dev/null ||
	    { echo "SKIP: cannot unshare a mount namespace"; exit 77; }
	EGRESSD_ADDRS_NS=1 exec unshare -m sh "$0" "$@"
fi
. "${top_srcdir:-.}/tests/syslog/common.sh"

printf '::1 localhost\n127.0.0.1 localhost\n' >"$tmp/hosts"
mount --bind "$tmp/hosts" /etc/hosts || exit 99
[ "$(getent ahosts localhost | awk 'NR == 1 { print $1 }')" = ::1 ] ||
    skip "localhost does not resolve to ::1 first here"
ip -6 addr show dev lo 2>/dev/null | grep -q '::1/128' ||
    skip "no ::1 on loopback"

rs_start
cat >"$tmp/e.conf" <<CONF
syslog "udp" { transport udp; host "localhost"; port $UDP_PORT
	format rfc5424; hostname "udp"; wait 10s }
syslog "tcp" { transport tcp; host "localhost"; port $TCP_PORT
	format rfc5424; hostname "tcp"; wait 10s }
CONF
db=$tmp/e.db
"$egressd" -r "$srcdir/pcaps/site-demo.pcap" -c "$tmp/e.conf" -w "$db" \
    >/dev/null 2>"$tmp/err" || fail "egressd: exit $?: $(cat "$tmp/err")"
[ -s "$tmp/err" ] && fail "egressd said: $(cat "$tmp/err")"
sleep 0.5
rs_stop
for sink in udp tcp; do
	awk -v h="$sink" '$3 == h' "$tmp/received" >"$tmp/$sink.msgs"
	delivered "$db" "$sink" rfc5424 "$tmp/$sink.msgs"
done
[ "$n" -ge 30 ] || fail "only $n alerts in the store"

# records to nobody: one alert kept (queue-limit 1), its refusal comes
# back while the records are being sent
cat >"$tmp/none.conf" <<CONF
syslog "none" { transport udp; host 127.0.0.1; port $UDP_PORT
	send everything; queue-limit 1; wait 2s }
CONF
"$egressd" -r "$srcdir/pcaps/link-raw.pcap" -c "$tmp/none.conf" \
    -w "$tmp/none.db" >/dev/null 2>"$tmp/err2" ||
    fail "records to nobody: exit $?: $(tail -1 "$tmp/err2")"
grep -q 'flow records or series not sent' "$tmp/err2" ||
    fail "records to nobody: not said: $(cat "$tmp/err2")"
[ $fail -eq 0 ] && echo "PASS: $n alerts to localhost (::1, then" \
    "127.0.0.1) over UDP and TCP, all delivered in order; records to" \
    "nobody given up"
exit $fail
