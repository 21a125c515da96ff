#!/bin/sh
# Names cross-check: every TLS SNI (over TCP, or in QUIC Initials, which
# tshark decrypts itself) and HTTP Host (over TCP: not SSDP's HTTP over
# UDP, which egressd does not read as HTTP) that tshark decodes in a
# capture must be reported by egressd for the same conversation (client
# address and port, server address and port), and nothing more.  Frames cut
# by the snapshot length are left out: tshark reads the start of a name from
# them, egressd takes no name it cannot read whole.
# Runs over every capture in pcaps/ (or the captures given as arguments).
set -u
. "$(dirname "$0")/common.sh"
[ $# -gt 0 ] || set -- "$srcdir"/pcaps/*.pcap "$srcdir"/pcaps/*.pcapng
status=0
total=0
for cap in "$@"; do
	rm -f "$tmp/f.json"	# -j appends
	# shellcheck disable=SC2046
	"$egressd" $(capture_opts "$cap") -r "$cap" -j "$tmp/f.json" \
	    >/dev/null 2>&1
	# egressd: records are by appliance side; the client is the source
	# unless the flow came in from outside.
	jq -r 'def client: if .network.direction == "inbound" then
	    [.destination.ip, .destination.port, .source.ip, .source.port]
	    else [.source.ip, .source.port, .destination.ip,
	    .destination.port] end;
	    (select(.tls.client.server_name != null) |
	     client + ["sni", .tls.client.server_name]),
	    (select(.url.domain != null) | client + ["host", .url.domain]) |
	    @tsv' "$tmp/f.json" >"$tmp/ours"
	sort -u "$tmp/ours" -o "$tmp/ours"
	tshark -r "$cap" -n -Y 'tls.handshake.type == 1 and tls.handshake.extensions_server_name and frame.cap_len == frame.len' \
	    -T fields -E separator=/t -E occurrence=l \
	    -e ip.src -e ipv6.src -e tcp.srcport -e udp.srcport -e ip.dst \
	    -e ipv6.dst -e tcp.dstport -e udp.dstport \
	    -e tls.handshake.extensions_server_name 2>/dev/null |
	    awk -F'\t' '{ print ($1 != "" ? $1 : $2) "\t" ($3 != "" ? $3 : $4) "\t" ($5 != "" ? $5 : $6) "\t" ($7 != "" ? $7 : $8) "\tsni\t" $9 }' \
	    >"$tmp/theirs"
	tshark -r "$cap" -n -o http.desegment_body:FALSE -Y 'http.request and http.host and tcp and frame.cap_len == frame.len' -T fields -E separator=/t \
	    -E occurrence=l -e ip.src -e ipv6.src -e tcp.srcport -e ip.dst -e ipv6.dst \
	    -e tcp.dstport -e http.host 2>/dev/null |
	    awk -F'\t' '{ h = tolower($7); sub(/:[0-9]+$/, "", h);
	        print ($1 != "" ? $1 : $2) "\t" $3 "\t" ($4 != "" ? $4 : $5) "\t" $6 "\thost\t" h }' \
	    >>"$tmp/theirs"
	sort -u "$tmp/theirs" -o "$tmp/theirs"
	n=$(wc -l <"$tmp/theirs")
	total=$((total + n))
	if ! cmp -s "$tmp/ours" "$tmp/theirs"; then
		echo "FAIL: $cap: names differ from tshark (< tshark, > egressd)"
		diff "$tmp/theirs" "$tmp/ours"
		status=1
	fi
done
echo "$total TLS server names and HTTP hosts agree with tshark"
exit $status
