#!/bin/sh
# Live capture end to end: replay the demo capture into one end of a veth
# pair inside a network namespace made for the test, capture on the other
# end with egressd -i and the example site policy, and beside it with
# tcpdump; stop egressd with SIGTERM and check that every IP packet
# replayed is in the flow records, that egressd gave up root, and that the
# flow records and alerts written live equal, byte for byte once sorted,
# those egressd -r writes for the packets tcpdump saw (the same packets
# with the same capture times: the live path and the offline path agree).
# Needs root, iproute2, tcpreplay, tcpdump, tshark and jq; skipped (77)
# otherwise.
set -u
srcdir=${top_srcdir:-.}
egressd=$(cd "${top_builddir:-.}" && pwd)/src/egressd
cap=$srcdir/pcaps/site-demo.pcap
conf=$srcdir/conf/examples/site.conf
[ "$(id -u)" -eq 0 ] || { echo "not root: skip"; exit 77; }
for t in ip tcpreplay tcpdump tshark jq; do
	command -v $t >/dev/null 2>&1 || { echo "no $t: skip"; exit 77; }
done
ns=egressd-test-$$
tmp=$(mktemp -d) || exit 99
chmod 755 "$tmp"
pid=
dump=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	[ -n "$dump" ] && kill "$dump" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$ns" || { echo "cannot make a network namespace: skip"; exit 77; }
# No IPv6 on the test links: the kernel would send its own neighbour and
# router solicitations, which egressd would rightly count.  Through /proc,
# so that the test needs no procps; a failure fails the test.
ip netns exec "$ns" sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6 &&
    echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6' ||
    { echo "FAIL: cannot turn IPv6 off in the test namespace"; exit 1; }
ip -n "$ns" link add cap0 type veth peer name rep0 &&
ip -n "$ns" link set cap0 up && ip -n "$ns" link set rep0 up || exit 1

# tcpdump keeps nanoseconds, as egressd asks the kernel for them: both
# then hold each packet's one capture time.
ip netns exec "$ns" tcpdump --time-stamp-precision=nano -q -i cap0 -s 0 \
    -U -w "$tmp/seen.pcap" 2>"$tmp/dump.err" &
dump=$!
touch "$tmp/out.json" && chmod 666 "$tmp/out.json"
ip netns exec "$ns" "$egressd" -c "$conf" -d -i cap0 -j "$tmp/out.json" \
    2>"$tmp/err" &
pid=$!
sleep 1
uid=$(awk '/^Uid:/ { print $2 }' /proc/$pid/status 2>/dev/null)
ip netns exec "$ns" tcpreplay -q -i rep0 --pps=20000 "$cap" >"$tmp/replay" 2>&1 ||
    { echo "FAIL: tcpreplay"; cat "$tmp/replay"; exit 1; }
sleep 1
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
kill -INT "$dump"
wait "$dump"
dump=
sent=$(tshark -r "$cap" -Y 'ip or ipv6' 2>/dev/null | wc -l)
seen=$(tshark -r "$tmp/seen.pcap" -Y 'ip or ipv6' 2>/dev/null | wc -l)
got=$(jq -s 'map(select(.event.kind == "event") | .source.packets + .destination.packets) | add // 0' "$tmp/out.json")
alerts=$(jq -s 'map(select(.event.kind == "alert")) | length' "$tmp/out.json")
echo "replayed $sent IP packets; tcpdump saw $seen; flow records count $got; $alerts alerts; egressd ran as uid $uid, exit $rc"
status=0
[ "$rc" -eq 0 ] || { echo "FAIL: exit status $rc"; cat "$tmp/err"; status=1; }
[ "$uid" != 0 ] && [ -n "$uid" ] || { echo "FAIL: still root while capturing"; status=1; }
[ "$got" -eq "$sent" ] || { echo "FAIL: $sent IP packets replayed, $got in flow records"; status=1; }
[ "$seen" -eq "$sent" ] || { echo "FAIL: $sent IP packets replayed, tcpdump saw $seen"; status=1; }
# The site policy raises alerts on this capture: an equality of records
# alone would not show that alerts agree.
[ "$alerts" -gt 0 ] || { echo "FAIL: no alert raised live"; status=1; }
"$egressd" -c "$conf" -r "$tmp/seen.pcap" -j "$tmp/off.json" >/dev/null 2>"$tmp/off.err" ||
    { echo "FAIL: egressd -r on what tcpdump saw"; cat "$tmp/off.err"; status=1; }
jq -cS . "$tmp/out.json" | sort >"$tmp/live.sorted"
jq -cS . "$tmp/off.json" | sort >"$tmp/off.sorted"
if ! cmp -s "$tmp/live.sorted" "$tmp/off.sorted"; then
	echo "FAIL: live records and alerts differ from egressd -r's on the same packets:"
	diff "$tmp/live.sorted" "$tmp/off.sorted" | head -10
	status=1
fi
exit $status
