#!/bin/sh
# Beacon detection in a second thread gives what one thread gives: for
# captures with beacon alerts, approved (recorded) series, beacons and
# approved series carried by DNS look-ups, two files whose
# packet times overlap, twelve appliances alerting close together (with
# tcprewrite and mergecap), and a stream of beats dense enough to fill the
# queue between the two threads (more than its 1024 beats within two
# seconds of packet time), egressd --threads 2
# and --threads 1 write byte-identical JSON lines and summaries, and the
# alerts the scenarios call for are there.
set -u
srcdir=${top_srcdir:-.}
builddir=$(cd "${top_builddir:-.}" && pwd)
egressd=$builddir/src/egressd
pcapgen=$builddir/pcaps/pcapgen
dbs="--asn-db $srcdir/pcaps/asn.mmdb --country-db $srcdir/pcaps/country.mmdb"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

# run NAME ALERTS ARGS...: both ways, the same bytes, at least ALERTS
# beacon alerts.
run() {
	name=$1 want=$2 was=$fail
	fail=0
	shift 2
	for t in 1 2; do
		rm -f "$tmp/$t.json"	# -j appends
		# shellcheck disable=SC2086
		"$egressd" --threads $t $dbs "$@" -j "$tmp/$t.json" \
		    >"$tmp/$t.sum" 2>"$tmp/$t.err"
		echo $? >"$tmp/$t.rc"
		# the speed (the geo cache's hits count too: its sets are
		# picked under a fixed key, the same run after run)
		sed '/^run  /d' "$tmp/$t.sum" >"$tmp/$t.sum2"
	done
	for x in json sum2 err rc; do
		if ! cmp -s "$tmp/1.$x" "$tmp/2.$x"; then
			echo "FAIL: $name: --threads 1 and 2 differ ($x)"
			diff "$tmp/1.$x" "$tmp/2.$x" | head -5
			fail=1
		fi
	done
	got=$(grep -c '"action":"beacon"' "$tmp/2.json")
	if [ "$got" -lt "$want" ]; then
		echo "FAIL: $name: $got beacon alerts, want $want or more"
		fail=1
	fi
	[ $fail = 0 ] && echo "ok: $name: $(wc -l <"$tmp/2.json") JSON lines," \
	    "$got beacon alerts, the same both ways"
	[ $was = 0 ] || fail=1
}

for s in cs60-j25-m30 rotate-name cdn-asns rotate-asn split3 udp-keepalive; do
	"$pcapgen" beacon "$s" 1 "$tmp/$s.pcap" || exit 99
	run "$s" 1 -r "$tmp/$s.pcap"
done
"$pcapgen" beacon vendor-10s 1 "$tmp/vendor.pcap" || exit 99
run "vendor-10s, approved" 0 -c "$srcdir/tests/beacon/approved.conf" \
    -r "$tmp/vendor.pcap"
grep -q "approved (recorded)" "$tmp/2.sum" ||
    { echo "FAIL: vendor-10s: not recorded as approved"; fail=1; }
# Two files whose packet times overlap: time goes back at the second.
run "split3 then cs60-j25-m30, time going back" 1 \
    -r "$tmp/split3.pcap" "$tmp/cs60-j25-m30.pcap"
run "site-demo with its policy" 1 -c "$srcdir/conf/examples/site.conf" \
    -r "$srcdir/pcaps/site-demo.pcap"
# Beats from DNS look-ups: a C2 polled by TXT look-ups through the site's
# resolver (a beacon carried by DNS), in audit mode and with the site's
# policy; approved look-up series recorded (NTP pool names, a vendor's).
run "dns-beacon, audit mode" 1 -r "$srcdir/tests/detect/dns-beacon.pcap"
grep -q '"carrier":"dns"' "$tmp/2.json" ||
    { echo "FAIL: dns-beacon: no alert carried by DNS"; fail=1; }
run "dns-beacon with its policy" 1 -c "$srcdir/tests/detect/site.conf" \
    -r "$srcdir/tests/detect/dns-beacon.pcap"
run "ntp-site, approved look-ups" 0 -c "$srcdir/tests/detect/site.conf" \
    -r "$srcdir/tests/detect/ntp-site.pcap"
grep -q 'ntp.org (dns).*approved (recorded)' "$tmp/2.sum" ||
    { echo "FAIL: ntp-site: look-ups not recorded as approved"; fail=1; }

# Twelve appliances beaconing at once (the same scenario, twelve seeds,
# the appliance's address rewritten in each): alerts close together, so
# several wait in the queue at a time.
if command -v tcprewrite >/dev/null 2>&1 && command -v mergecap >/dev/null 2>&1
then
	i=1
	while [ $i -le 12 ]; do
		"$pcapgen" beacon cs60-j0-m0 $i "$tmp/b$i.pcap" || exit 99
		tcprewrite --pnat=10.20.1.21/32:10.20.3.$i/32,10.20.1.11/32:10.20.4.$i/32 \
		    --fixcsum --infile="$tmp/b$i.pcap" \
		    --outfile="$tmp/m$i.pcap" >/dev/null || exit 99
		i=$((i + 1))
	done
	mergecap -F pcap -w "$tmp/twelve.pcap" "$tmp"/m*.pcap || exit 99
	run "twelve appliances" 12 -r "$tmp/twelve.pcap"
fi

# A beacon among 1000 new flows a second (the queue fills and is drained
# where it fills, not only once a second).
"$pcapgen" bench-flows "$tmp/dense.pcap" -n 300000 -f 300000 || exit 99
"$pcapgen" beacon cs5-j20 1 "$tmp/cs5.pcap" || exit 99
if command -v mergecap >/dev/null 2>&1; then
	mergecap -F pcap -w "$tmp/mixed.pcap" "$tmp/dense.pcap" \
	    "$tmp/cs5.pcap" || exit 99
	run "cs5-j20 among 1000 flows a second" 1 -r "$tmp/mixed.pcap"
else
	run "1000 flows a second" 0 -r "$tmp/dense.pcap"
fi
exit $fail
