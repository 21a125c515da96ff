#!/bin/sh
# Live capture end to end: replay the demo capture into one end of a veth
# pair inside a network namespace made for the test, capture on the other
# end with egressd -i, stop it with SIGTERM and check that every IP packet
# replayed is in the flow records, and that egressd gave up root.
# Needs root, iproute2 and tcpreplay; skipped (77) otherwise.
set -u
srcdir=${top_srcdir:-.}
egressd=$(cd "${top_builddir:-.}" && pwd)/src/egressd
cap=$srcdir/pcaps/site-demo.pcap
[ "$(id -u)" -eq 0 ] || { echo "not root: skip"; exit 77; }
command -v ip >/dev/null 2>&1 || { echo "no iproute2: skip"; exit 77; }
command -v tcpreplay >/dev/null 2>&1 || { echo "no tcpreplay: skip"; exit 77; }
ns=egressd-test-$$
tmp=$(mktemp -d) || exit 99
chmod 755 "$tmp"
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
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

touch "$tmp/out.json" && chmod 666 "$tmp/out.json"
ip netns exec "$ns" "$egressd" -d -i cap0 -j "$tmp/out.json" 2>"$tmp/err" &
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
sent=$(tshark -r "$cap" -Y 'ip or ipv6' 2>/dev/null | wc -l)
got=$(jq -s 'map(.source.packets + .destination.packets) | add // 0' "$tmp/out.json")
echo "replayed $sent IP packets; flow records count $got; egressd ran as uid $uid, exit $rc"
status=0
[ "$rc" -eq 0 ] || { echo "FAIL: exit status $rc"; cat "$tmp/err"; status=1; }
[ "$uid" != 0 ] && [ -n "$uid" ] || { echo "FAIL: still root while capturing"; status=1; }
[ "$got" -eq "$sent" ] || { echo "FAIL: $sent IP packets replayed, $got in flow records"; status=1; }
exit $status
