#!/bin/sh
# Names cross-check: every TLS SNI and HTTP Host that tshark decodes in a
# capture must be reported by egressd for the same conversation (client
# address and port, server address and port), and nothing more.
# Runs over every capture in pcaps/ (or the captures given as arguments).
set -u
srcdir=${top_srcdir:-.}
egressd=$(cd "${top_builddir:-.}" && pwd)/src/egressd
command -v tshark >/dev/null 2>&1 || { echo "no tshark: skip"; exit 77; }
command -v jq >/dev/null 2>&1 || { echo "no jq: skip"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
[ $# -gt 0 ] || set -- "$srcdir"/pcaps/*.pcap "$srcdir"/pcaps/*.pcapng
status=0
total=0
for cap in "$@"; do
	"$egressd" -r "$cap" -j "$tmp/f.json" >/dev/null 2>&1
	# egressd: client side is the initiator; records are by appliance side,
	# so print both orders of each conversation and let sort -u pair them.
	jq -r 'select(.tls.client.server_name != null) |
	    [.source.ip, .source.port, .destination.ip, .destination.port,
	     "sni", .tls.client.server_name] | @tsv' "$tmp/f.json" >"$tmp/ours"
	jq -r 'select(.url.domain != null) |
	    [.source.ip, .source.port, .destination.ip, .destination.port,
	     "host", .url.domain] | @tsv' "$tmp/f.json" >>"$tmp/ours"
	sort -u "$tmp/ours" -o "$tmp/ours"
	tshark -r "$cap" -n -Y 'tls.handshake.type == 1 and tls.handshake.extensions_server_name' \
	    -T fields -E separator=/t -E occurrence=l \
	    -e ip.src -e ipv6.src -e tcp.srcport -e ip.dst -e ipv6.dst -e tcp.dstport \
	    -e tls.handshake.extensions_server_name 2>/dev/null |
	    awk -F'\t' '{ print ($1 != "" ? $1 : $2) "\t" $3 "\t" ($4 != "" ? $4 : $5) "\t" $6 "\tsni\t" $7 }' \
	    >"$tmp/theirs"
	tshark -r "$cap" -n -o http.desegment_body:FALSE -Y 'http.request and http.host' -T fields -E separator=/t \
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
