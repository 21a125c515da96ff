#!/bin/sh
# Captures that are not ours: the test captures other projects ship in
# Debian packages, written by other tools on other machines.
#   golang-github-gopacket-gopacket-dev (and the older google/gopacket):
#     gopacket's pcap files (DNS, Ethernet, a loopback capture) and the
#     pcapng test suite, little- and big-endian (several interfaces of
#     different link types and snapshot lengths in one file, nanosecond
#     and binary time stamp resolutions, custom and statistics blocks, a
#     section of an unknown version);
#   ruby-pcaprub: a telnet session captured on a real network.
# For each: egressd reads it without a message (or with the one expected),
# decodes as many packets as tshark finds, and every TCP/UDP conversation
# has tshark's packet and IP-byte totals (crosscheck.sh).
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
telnet=/usr/share/doc/ruby-pcaprub/examples/telnet-raw.pcap.gz
if [ -f "$telnet" ]; then
	gzip -dc "$telnet" >"$tmp/telnet-raw.pcap" || exit 99
	caps="$caps $tmp/telnet-raw.pcap"
fi
if [ -z "$(echo $caps)" ]; then
	if [ "${EGRESSD_FOREIGN:-}" = require ]; then
		echo "FAIL: no foreign captures (install" \
		    "golang-github-gopacket-gopacket-dev)"
		exit 1
	fi
	echo "no foreign captures installed: skip"
	exit 77
fi

fail=0 ncap=0 nconv=0
for cap in $caps; do
	ncap=$((ncap + 1))
	name=$(basename "$cap")
	want_rc=0 want_err= dedup=0
	: >"$tmp/known"
	case $name in
	test901.pcapng)
		# A second section of pcapng version 2.0: tshark stops
		# there too.
		want_rc=1
		want_err="egressd: $cap: pcapng version 2.0 is not supported; the packets before it are kept"
		;;
	test300.pcapng|test301.pcapng)
		# The client's stack sent its RST twice at the same
		# instant, byte for byte (IP id 0): egressd drops the copy
		# as a SPAN duplicate, and counts it.
		dedup=1
		;;
	test202.pcapng)
		# The suite writes the same packets again, byte for byte
		# and within 5 ms (three of them in Simple Packet Blocks,
		# which take the time of the packet before): dropped as
		# SPAN duplicates, and counted.
		dedup=1
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

	"$egressd" -r "$cap" >"$tmp/summary" 2>"$tmp/err"
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
	if [ "$(tshark -r "$cap" -n -Y 'tcp or udp' 2>/dev/null |
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
	n=$(tail -n 1 "$tmp/xc.out" | sed -n 's/.*: \([0-9]*\) conversations agree.*/\1/p')
	nconv=$((nconv + ${n:-0}))
done
echo "$ncap foreign captures, $nconv conversations cross-checked"
exit $fail
