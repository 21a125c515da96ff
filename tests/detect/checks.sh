#!/bin/sh
# The detection path on small crafted captures (tests/detect/mkcaps.py
# writes them; tests/detect/site.conf is their site's policy): what must
# not alert (a browser's DNS, OCSP and CRL checks with pooled idle
# connections, update checks at random minutes, mDNS and SSDP), what must
# be recorded and not alerted once approved (NTP to the site's server, the
# pool's look-ups and servers, a vendor heartbeat and its look-ups), and
# what must be found (a C2 polled by DNS, a DNS tunnel, a long connection),
# a hub whose sessions rotate over the addresses of one looked-up name
# (one call-home, one alert a day, named by its registered domain), and a
# capture of one direction (the hub's connections are beats by their
# server's SYN/ACK; connections from outside to a camera are none), a
# look-up retried of a second resolver (one check-in, not two), and a C2
# polled through DNS faster than every 2 s.
# A stager that polls one name, asking again at once after each answer
# (SERVFAIL after the resolver's 1 or 2 s timeout), is a dns-poll alert;
# clients without a cache that ask a name again after its answer a few
# times a check-in, or for each of 40 requests of their own lengths, are
# none.
# An IRC bot whose server pushes other users' lines at random: its PONGs,
# answering the server's PING every 90 s, are its check-ins, not the
# lines it only ACKs; a camera's push channel, where it never sends data,
# still beats by the far end's pushes.
# Two timers to two ports of one server are two service series, each
# named with its port in the summary and kept as a row of its own by the
# store (-w) and egressctl.
# Each capture runs in audit mode and with the policy; jq reads the alerts.
set -u
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
egressd=$(cd "$builddir" && pwd)/src/egressd
command -v jq >/dev/null 2>&1 || { echo "no jq: skip"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$srcdir/tests/detect" || exit 99
fail=0

# run NAME MODE: egressd on NAME.pcap, audit mode or with site.conf;
# leaves $tmp/NAME-MODE.json and .sum.
run() {
	conf=
	[ "$2" = policy ] && conf="-c site.conf"
	# shellcheck disable=SC2086
	"$egressd" -r "$1.pcap" $conf -j "$tmp/$1-$2.json" \
	    >"$tmp/$1-$2.sum" 2>"$tmp/$1-$2.err" || {
		echo "FAIL: $1 ($2): egressd failed"; cat "$tmp/$1-$2.err"
		fail=1
	}
}

# expect NAME MODE WHAT JQ-FILTER WANT: the filter, over the run's JSON
# lines as an array, gives WANT.
expect() {
	got=$(jq -s -c "$4" "$tmp/$1-$2.json")
	if [ "$got" != "$5" ]; then
		echo "FAIL: $1 ($2): $3: got $got, want $5"
		fail=1
	else
		echo "ok: $1 ($2): $3"
	fi
}

# recorded NAME MODE KEY: the summary records KEY's series as approved.
recorded() {
	if grep -q "^10\.20\.1\.30 .* $3 .*approved (recorded)\$" \
	    "$tmp/$1-$2.sum"; then
		echo "ok: $1 ($2): $3 recorded"
	else
		echo "FAIL: $1 ($2): $3 not recorded as approved"
		sed -n '/^beacons/,/^$/p' "$tmp/$1-$2.sum"
		fail=1
	fi
}

detectors='[.[] | select(.event.action == "beacon" or
    .event.action == "strobe" or .event.action == "dns-tunnel" or
    .event.action == "dns-poll" or
    .event.action == "long-connection")] | length'

for c in browser-dns ocsp-crl updates mdns-ssdp re-resolve; do
	for m in audit policy; do
		run $c $m
		expect $c $m "no beacon, tunnel or long connection" \
		    "$detectors" 0
	done
done
expect mdns-ssdp policy "no alert at all" 'length > 0 and
    ([.[] | select(.event.kind == "alert")] | length == 0)' true

for c in ntp-site vendor-hb; do
	run $c policy
	expect $c policy "no alert at all" \
	    '[.[] | select(.event.kind == "alert")] | length' 0
done
recorded ntp-site policy 192.0.2.123
recorded ntp-site policy 212.96.160.147
recorded ntp-site policy "ntp.org (dns)"
recorded vendor-hb policy 203.0.113.50
recorded vendor-hb policy "vendor-cloud.com (dns)"

for m in audit policy; do
	run dns-beacon $m
	expect dns-beacon $m "one beacon alert, carried by DNS" \
	    '[.[] | select(.event.action == "beacon") |
	    [.egressd.beacon.carrier, .dns.question.registered_domain,
	    .egressd.callhome]]' '[["dns","update-check.net","update-check.net"]]'
	run dns-tunnel $m
	expect dns-tunnel $m "one dns-tunnel alert" \
	    '[.[] | select(.event.action == "dns-tunnel") |
	    [.dns.question.registered_domain, .egressd.dns_tunnel.encoded >= 10]]' \
	    '[["tun-zone.com",true]]'
	run long-conn $m
	expect long-conn $m "one long-connection alert past the hour" \
	    '[.[] | select(.event.action == "long-connection") |
	    [.destination.ip, .destination.port, .event.duration >= 3600e9,
	    .source.bytes > 0]]' '[["203.0.113.77",8883,true,true]]'
done
for m in audit policy; do
	run rotating-hub $m
	hub='[.[] | select(.event.action == "beacon" and
	    .source.ip == "10.20.1.50")]'
	expect rotating-hub $m "the hub's alerts name its call-home" \
	    "$hub"' | map([.egressd.callhome, .destination.domain]) | unique' \
	    '[["lockhub-cloud.com","a3k7x9q2m1-ats.iot.eu-west-1.lockhub-cloud.com"]]'
	expect rotating-hub $m "one alert a day, not one per address" \
	    "$hub"' | map(.["@timestamp"] | sub("\\.[0-9]+Z$"; "Z") |
	    fromdate) | [length, ([range(1; length) as $i |
	    .[$i] - .[$i - 1] >= 86400] | all)]' '[3,true]'
	expect rotating-hub $m "each later alert counts the addresses folded" \
	    "$hub"' | .[1:] | map([.egressd.count,
	    (.egressd.beacon.new_addresses | length)])' '[[7,6],[7,6]]'
	expect rotating-hub $m "a camera that never looked it up: its address" \
	    '[.[] | select(.event.action == "beacon" and
	    .source.ip == "10.20.1.30") | [.egressd.callhome,
	    .destination.domain]]' '[["203.0.113.103",null]]'
done
for m in audit policy; do
	run one-sided $m
	expect one-sided $m "the far side's SYN/ACKs are the hub's check-ins" \
	    '[.[] | select(.event.action == "beacon") | [.source.ip,
	    .destination.ip, .destination.port, .egressd.beacon.beats,
	    (.egressd.beacon.period_s * 10 | round)]]' \
	    '[["10.20.1.50","203.0.113.60",1883,6,91]]'
	if grep -q "^  beacon.beats  *59\$" "$tmp/one-sided-$m.sum"; then
		echo "ok: one-sided ($m): connections from outside make no beat"
	else
		echo "FAIL: one-sided ($m): beats other than the hub's 59"
		grep "beacon.beats" "$tmp/one-sided-$m.sum"
		fail=1
	fi
done
# A look-up asked again of another resolver (the first silent, or not)
# and an outage's loop of retries are the check-in they retry: one
# series at the hub's 10 minutes, not "every 4 s".  A poll through DNS of
# a new name every 2 s +-15% is a beacon at its own period: merged
# within 2 s, it was no rhythm at all.
for m in audit policy; do
	run resolver-pair $m
	expect resolver-pair $m "a second resolver's look-up: 10 minutes" \
	    '[.[] | select(.event.action == "beacon") | [.source.ip,
	    .egressd.beacon.carrier, .egressd.callhome,
	    (.egressd.beacon.period_s / 60 | round)]]' \
	    '[["10.20.1.50","dns","doorcloud.cn",10]]'
	run dns-poll $m
	expect dns-poll $m "a poll of new names every 2 s, carried by DNS" \
	    '[.[] | select(.event.action == "beacon") | [.source.ip,
	    .egressd.beacon.carrier, .dns.question.registered_domain,
	    (.egressd.beacon.period_s | round)]]' \
	    '[["10.20.1.40","dns","cmd-relay.net",2]]'
done
for m in audit policy; do
	run txt-poll $m
	expect txt-poll $m "one name polled after each answer: dns-poll" \
	    '[.[] | select(.event.action == "dns-poll") | [.source.ip,
	    .dns.question.name, .egressd.callhome, .egressd.dns_poll.polls,
	    .egressd.dns_poll.query_type]]' \
	    '[["10.20.1.40","c.1-1.7731.ns.cmd-zone.org","cmd-zone.org",16,16]]'
done
irc='[["10.20.1.30","203.0.113.31",1234,30],'
irc=$irc'["10.20.1.50","198.51.100.66",6667,90]]'
for m in audit policy; do
	run irc-bot $m
	expect irc-bot $m "the bot's PONGs every 90 s, the pushes every 30 s" \
	    '[.[] | select(.event.action == "beacon") | [.source.ip,
	    .destination.ip, .destination.port,
	    (.egressd.beacon.period_s | round)]]' "$irc"
done
if grep -q "^long connections: 1\$" "$tmp/long-conn-policy.sum"; then
	echo "ok: long-conn (policy): the summary's section"
else
	echo "FAIL: long-conn (policy): no long connections section"
	fail=1
fi
# The store keys a series by its words (beacon_key_str): two services of
# one address were one row, the later overwriting the earlier.
run two-services policy
svc='service  *203\.0\.113\.90 port'
for p in 123/udp 443/tcp; do
	if grep -q "^10\.20\.1\.30  *$svc $p " "$tmp/two-services-policy.sum"
	then
		echo "ok: two-services (policy): summary names port $p"
	else
		echo "FAIL: two-services (policy): no service series on $p"
		sed -n '/^beacons/,/^$/p' "$tmp/two-services-policy.sum"
		fail=1
	fi
done
"$egressd" -r two-services.pcap -c site.conf -w "$tmp/svc.db" >/dev/null \
    2>"$tmp/svc.err" || { echo "FAIL: two-services -w"; cat "$tmp/svc.err"
	fail=1; }
got=$("${egressd%/egressd}/egressctl" -w "$tmp/svc.db" beacons --json |
    jq -s -c '[.[] | select(.by == "service") | [.key, (.period_s |
    round)]] | sort')
want='[["203.0.113.90 port 123/udp",64],["203.0.113.90 port 443/tcp",150]]'
if [ "$got" = "$want" ]; then
	echo "ok: two-services: the store keeps both service series"
else
	echo "FAIL: two-services: store series $got, want $want"
	fail=1
fi
exit $fail
