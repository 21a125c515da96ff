#!/bin/sh
# Captures that are not ours: the test captures other projects ship in
# Debian packages, written by other tools on other machines.
#   golang-github-gopacket-gopacket-dev (and the older google/gopacket):
#     gopacket's pcap files (DNS, Ethernet, a loopback capture) and the
#     pcapng test suite, little- and big-endian (several interfaces of
#     different link types and snapshot lengths in one file, nanosecond
#     and binary time stamp resolutions, custom and statistics blocks, a
#     section of an unknown version);
#   pathspider: its test captures (TCP options, ECN, DSCP, TFO, ICMP
#     errors quoting packets, a capture of real traffic, random bytes);
#   python3-libtrace: anonymised IPv4 and IPv6 traces of real networks,
#     ICMP samples (gzip'd, some twice: unpacked here);
#   python3-dpkt: HTTP, DNS, a DSL uplink (PPPoE, and L2TP inside it),
#     DNS cut short;
#   pcapfix: captures damaged on purpose;
#   sip-tester: RTP streams; pktanon: a sample;
#   ruby-pcaprub: a telnet session captured on a real network.
# For each: egressd reads it without a message (or with the one expected),
# raises no alert but the call-homes listed with their reason (callhomes),
# decodes as many packets as tshark finds, and every TCP/UDP conversation
# has tshark's packet and IP-byte totals (crosscheck.sh).  In the captures
# listed below as holding copies, a conversation may be short by the copies
# egressd dropped as SPAN duplicates, and all together by no more than it
# counted (XC_DEDUP=1); everywhere else the totals must be equal.
#
# Skips (77) when none of the packages is installed; .ci/run installs
# them and sets EGRESSD_FOREIGN=require, which makes that a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

caps=
for d in /usr/share/gocode/src/github.com/gopacket/gopacket \
    /usr/share/gocode/src/github.com/google/gopacket; do
	[ -d "$d" ] || continue
	caps="$caps $(find "$d/pcap" "$d/pcapgo" -type f \
	    \( -name '*.pcap' -o -name '*.pcapng' \) 2>/dev/null | sort)"
done
for f in /usr/lib/python3/dist-packages/pathspider/tests/data/*.pcap \
    /usr/share/doc/python3-libtrace/examples/*.pcap* \
    /usr/share/doc/python3-dpkt/examples/data/*.pcap \
    /usr/share/doc/pcapfix/examples/*.pcap \
    /usr/share/sip-tester/*.pcap \
    /usr/share/doc/pktanon/examples/profiles/*.pcap \
    /usr/share/doc/ruby-pcaprub/examples/telnet-raw.pcap.gz; do
	[ -f "$f" ] || continue
	case $f in
	*.gz)
		# egressd reads no gzip: unpack, as often as it was packed
		out=$tmp/$(basename "$f" .gz)
		gzip -dc "$f" >"$out" || exit 99
		while gzip -t "$out" 2>/dev/null; do
			gzip -dc "$out" >"$out.tmp" && mv "$out.tmp" "$out" ||
			    exit 99
		done
		caps="$caps $out"
		;;
	*)	caps="$caps $f" ;;
	esac
done
if [ -z "$(echo $caps)" ]; then
	if [ "${EGRESSD_FOREIGN:-}" = require ]; then
		echo "FAIL: no foreign captures (install" \
		    "golang-github-gopacket-gopacket-dev)"
		exit 1
	fi
	echo "no foreign captures installed: skip"
	exit 77
fi

fail=0 ncap=0 nexact=0 nshort=0
for cap in $caps; do
	ncap=$((ncap + 1))
	name=$(basename "$cap")
	want_rc=0 want_err= dedup=0 callhomes=
	: >"$tmp/known"
	case $name in
	real.pcap)
		# pathspider's hour of a real network, recorded on a mirror
		# port that shows packets two or three times, tens of
		# microseconds apart
		dedup=1
		# Two BitTorrent clients ask for their DHT bootstrap routers
		# (router.utorrent.com, router.bittorrent.com) every 300.0 s
		# on their own timer (the answers, NXDOMAIN here, say nothing
		# of 5 minutes): periodic look-ups, a call-home carried by
		# DNS to the client's vendor, found since look-ups are beats.
		callhomes='looks up (utorrent|bittorrent)\.com \(dns\) every 5\.0 min'
		;;
	test300.pcapng|test301.pcapng)
		# the client's stack sent its RST twice at the same instant,
		# byte for byte (IP id 0)
		dedup=1
		;;
	test202.pcapng)
		# the suite writes the same packets again, byte for byte and
		# within 1 ms (some in Simple Packet Blocks, which take the
		# time of the packet before)
		dedup=1
		;;
	mss_ipv6.pcap)
		# an IPv6 segment (no IP id) sent twice within 1 ms
		dedup=1
		;;
	test901.pcapng)
		# A second section of pcapng version 2.0: tshark stops
		# there too.
		want_rc=1
		want_err="egressd: $cap: pcapng version 2.0 is not supported; the packets before it are kept"
		;;
	test_damaged.pcap)
		# pcapfix's damaged file: a record claims 16,896 bytes
		# where 8,756 are left (tshark stops there too)
		want_rc=1
		want_err="egressd: $cap: truncated dump file; tried to read 16896 captured bytes, only got 8756; the packets before it are kept"
		;;
	test_without_pcap_header.pcap)
		want_rc=1
		want_err="egressd: $cap: unknown file format"
		;;
	truncated_dns_2.pcap)
		want_rc=1
		want_err="egressd: $cap: truncated dump file; tried to read 16 header bytes, only got 7; the packets before it are kept"
		;;
	nb6-http.pcap)
		# L2TP (UDP 1701) carrying PPP carrying IPv6, inside the
		# PPPoE session: egressd reports the tunnel as one UDP
		# conversation (its ICMPv6 packet included), tshark the
		# IPv6 TCP connection inside it.
		cat >"$tmp/known" <<-EOF
		< tcp 2606:f200:0:7:bad:f00d:d00d:1 80 2a00:5e80:101:212d:504:7b1:2572:db22 37034 4 677 6 522
		< udp 109.6.1.72 1701 95.136.242.99 1701 4 192 4 194
		> udp 109.6.1.72 1701 95.136.242.99 1701 9 1133 10 944
		EOF
		;;
	telnet-raw.pcap)
		# 25 segments whose IPv4 total length is a byte or two more
		# than the frame, which was not cut by the snapshot length:
		# egressd counts the bytes the frame carried
		# (decode.ipv4.bad_len), tshark the length the header claims.
		cat >"$tmp/known" <<-EOF
		< tcp 192.168.0.1 23 192.168.0.2 1254 113 7626 159 8563
		> tcp 192.168.0.1 23 192.168.0.2 1254 113 7626 159 8535
		EOF
		;;
	esac

	rm -f "$tmp/events.json"
	"$egressd" -r "$cap" -j "$tmp/events.json" >"$tmp/summary" \
	    2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne "$want_rc" ]; then
		echo "FAIL: $cap: exit $rc, expected $want_rc"
		cat "$tmp/err"
		fail=1
		continue
	fi
	if [ "$(cat "$tmp/err")" != "$want_err" ]; then
		echo "FAIL: $cap: unexpected messages:"
		cat "$tmp/err"
		fail=1
		continue
	fi
	# None of them calls home but the call-homes listed: no other alert
	# (in pathspider's hour of a real
	# network, a switch's IGMP query to 224.0.0.1 every 2.1 min was
	# taken for a beacon before multicast counted as inside the site).
	if [ -s "$tmp/events.json" ] &&
	    [ "$(jq -r 'select(.event.kind == "alert") | .message' \
	    "$tmp/events.json" | { if [ -n "$callhomes" ]; then
	    grep -Ev "$callhomes"; else cat; fi; } | grep -c .)" -ne 0 ]; then
		echo "FAIL: $cap: alerts on traffic that calls nowhere:"
		jq -c 'select(.event.kind == "alert") | .message' \
		    "$tmp/events.json"
		fail=1
		continue
	fi
	# Packets: tshark also lists custom blocks, which have no link type.
	ours=$(awk '$1 == "decode.packets" { print $2 }' "$tmp/summary")
	theirs=$(tshark -r "$cap" -n -T fields -e frame.encap_type \
	    2>/dev/null | grep -c .)
	if [ "${ours:-0}" != "$theirs" ]; then
		echo "FAIL: $cap: egressd decoded ${ours:-0} packets," \
		    "tshark read $theirs"
		fail=1
		continue
	fi
	# Conversations, where tshark sees any.
	if [ "$(tshark -r "$cap" -n -Y '(tcp or udp) and not icmp and
	    not icmpv6' 2>/dev/null |
	    grep -c .)" -eq 0 ]; then
		echo "$cap: $theirs packets, no TCP/UDP"
		continue
	fi
	{
		echo "$cap"
		cat "$tmp/known"
	} >"$tmp/x.xc"
	if ! XC_DEDUP=$dedup sh "$here/crosscheck.sh" "$tmp/x.xc" \
	    >"$tmp/xc.out" 2>&1; then
		cat "$tmp/xc.out"
		fail=1
		continue
	fi
	tail -n 1 "$tmp/xc.out"
	n=$(tail -n 1 "$tmp/xc.out" |
	    sed -n 's/.*, \([0-9]*\) exactly and \([0-9]*\) short.*/\1 \2/p')
	nexact=$((nexact + ${n% *}))
	nshort=$((nshort + ${n#* }))
done
echo "$ncap foreign captures: $nexact conversations agree with tshark" \
    "exactly, $nshort short only by the SPAN copies egressd dropped"
exit $fail
