#!/bin/sh
# A link without Ethernet headers (the "any" device: Linux cooked
# frames): the capture filter built from the inventory has no VLAN or MAC
# terms there, which libpcap refuses on such a link (the previous code
# built one filter for every link, and egressd did not start: "no VLAN
# support for Linux cooked").  An inventory with a MAC member says that
# such members match nothing on it.  The filter still keeps the
# inventory's hosts only: a denied destination of an appliance is
# recorded and alerted; a host outside the inventory is not seen.
. "${top_srcdir:-.}/tests/live/lib.sh"

cat >"$tmp/policy.conf" <<POL
internal { 10.20.0.0/16 }
flow-idle-timeout udp 1s
group "cams" {
	hosts { 10.20.1.0/24 02:00:00:00:00:42 }
}
deny to 198.51.100.0/24
POL
u=$(id -un egressd 2>/dev/null || echo nobody)
mkdir "$tmp/log" && chown "$u" "$tmp/log" || die "mkdir"
j=$tmp/log/events.jsonl
: >"$tmp/err"
ip netns exec "$ns" "$egressd" -d -v -i any -c "$tmp/policy.conf" -j "$j" \
    2>>"$tmp/err" &
pid=$!
waitfor 5 "grep -q 'capturing on any' '$tmp/err'" ||
    { cat "$tmp/err"; die "egressd did not start on the any device"; }
grep -q 'capture filter: .*net 10.20.1.0/24' "$tmp/err" ||
    fail "no filter built from the inventory: $(grep 'filter' "$tmp/err")"
grep 'capture filter:' "$tmp/err" | grep -q 'vlan\|ether' &&
    fail "VLAN or MAC terms on a cooked link: $(grep 'capture filter' "$tmp/err")"
grep -q 'any: LINUX_SLL2\{0,1\} frames carry no MAC address' "$tmp/err" ||
    fail "no word on the MAC member: $(grep -i mac "$tmp/err")"
ip -n "$ns" addr add 192.0.2.5/24 dev rep0 || die "addr add"
udp 3
udp 4 9 7 192.0.2.5
# three flows, one alert (the destination's suppression window)
waitfor 8 "[ \"\$(records '$j')\" -ge 3 ]" ||
    fail "flow records: $(records "$j") of 3"
[ "$(alerts "$j")" -eq 1 ] || fail "denied-destination alerts: $(alerts "$j"), not 1"
stop
[ "$rc" -eq 0 ] || fail "exit status $rc"
n=$(jq -s 'map(select(.event.kind == "event" and .source.ip == "10.20.1.23")) | length' "$j")
o=$(jq -s 'map(select(.source.ip == "192.0.2.5")) | length' "$j")
[ "$n" -ge 3 ] || fail "$n flow records of the appliance, not 3 or more"
[ "$o" -eq 0 ] || fail "$o records of a host outside the inventory"
echo "any: $(grep -o 'capturing on any.*' "$tmp/err" | head -n 1); $n records, $(alerts "$j") alerts, $o outside"
[ "$status" -eq 0 ] || cat "$tmp/err"
exit $status
