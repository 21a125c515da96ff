#!/bin/sh
# The bundled databases come from their readable sources: regenerate them
# with pcaps/mkmmdb.pl and compare byte for byte; then check that egressd and
# mmdblookup (libmaxminddb's own tool) agree on every destination of the demo.
set -u
srcdir=${top_srcdir:-.}
egressd=$(cd "${top_builddir:-.}" && pwd)/src/egressd
perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null ||
    { echo "no libmaxmind-db-writer-perl: skip"; exit 77; }
command -v jq >/dev/null 2>&1 || { echo "no jq: skip"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
status=0
for k in asn country; do
	perl "$srcdir/pcaps/mkmmdb.pl" $k "$srcdir/pcaps/$k.txt" "$tmp/$k.mmdb" ||
	    exit 1
	if ! cmp -s "$tmp/$k.mmdb" "$srcdir/pcaps/$k.mmdb"; then
		echo "FAIL: pcaps/$k.mmdb is not what pcaps/$k.txt gives (make mmdb)"
		status=1
	fi
done
command -v mmdblookup >/dev/null 2>&1 || { echo "no mmdblookup: skip"; exit 77; }
"$egressd" -r "$srcdir/pcaps/site-demo.pcap" -j "$tmp/f.json" >/dev/null ||
    exit 1
jq -r 'select(.network.direction == "outbound") |
    [.destination.ip, .destination.as.number // "-",
     .destination.geo.country_iso_code // "-"] | @tsv' "$tmp/f.json" |
    sort -u >"$tmp/ours"
n=0
while IFS='	' read -r ip asn cc; do
	a=$(mmdblookup --file "$srcdir/pcaps/asn.mmdb" --ip "$ip" \
	    autonomous_system_number 2>/dev/null | awk 'NF { print $1; exit }')
	c=$(mmdblookup --file "$srcdir/pcaps/country.mmdb" --ip "$ip" \
	    country iso_code 2>/dev/null | awk 'NF { gsub("\"", ""); print $1; exit }')
	if [ "${a:--}" != "$asn" ] || [ "${c:--}" != "$cc" ]; then
		echo "FAIL: $ip: egressd AS $asn $cc, mmdblookup AS ${a:--} ${c:--}"
		status=1
	fi
	n=$((n + 1))
done <"$tmp/ours"
[ "$n" -gt 0 ] || { echo "FAIL: no outbound destination"; status=1; }
echo "$n destinations: egressd agrees with mmdblookup"
exit $status
