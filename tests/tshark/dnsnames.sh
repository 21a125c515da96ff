#!/bin/sh
# DNS names cross-check: the names egressd gives destinations from DNS
# must be what tshark decodes.  For every DNS answer tshark sees, each
# address in it is a (client, address, name) triple.  Then, on egressd's
# flow records:
#  - a record named from DNS must carry a triple tshark saw before the
#    record began (no name is invented, none goes to the wrong appliance
#    or address, none comes from an answer the connection did not use);
#  - a record of a flow the appliance opened, after tshark saw the
#    address answered to it, must be named from DNS.
# Answers to no query, which egressd ignores on purpose, are not in the
# captures; answers in frames cut by the snapshot length are left out
# (tshark reads their first records, egressd no part of a cut message).  Runs over every capture in pcaps/ (or those given).
set -u
. "$(dirname "$0")/common.sh"
[ $# -gt 0 ] || set -- "$srcdir"/pcaps/*.pcap "$srcdir"/pcaps/*.pcapng
status=0
answers=0
named=0
for cap in "$@"; do
	rm -f "$tmp/f.json"	# -j appends
	# shellcheck disable=SC2046
	"$egressd" $(capture_opts "$cap") -r "$cap" -j "$tmp/f.json" \
	    >/dev/null 2>&1
	# tshark: one line per address answered: client, address, the name
	# asked for, time.  Elastic JSON keeps several messages in one
	# segment apart.  With a tunnel, the inner header is taken (IPv6 over
	# an IPv4 tunnel; the captures have no IPv4 over IPv6).
	tshark -r "$cap" -n -Y 'dns.flags.response == 1 and frame.cap_len == frame.len' -T ek 2>/dev/null |
	    jq -r 'def arr: if type == "array" then . else [.] end;
	    select(.layers.dns != null) |
	    .layers.frame.frame_frame_time_epoch as $t |
	    (if .layers.ipv6 != null then (.layers.ipv6 | arr | last |
	     .ipv6_ipv6_dst) else (.layers.ip | arr | last | .ip_ip_dst)
	     end) as $c |
	    .layers.dns | arr[] | select(.dns_dns_flags_response == true) |
	    (.dns_dns_qry_name | arr | .[0] | ascii_downcase) as $q |
	    (((.dns_dns_a // []) | arr) + ((.dns_dns_aaaa // []) | arr))[] |
	    [$c, ., $q, $t] | @tsv' | sort -u >"$tmp/theirs"
	answers=$((answers + $(wc -l <"$tmp/theirs")))
	jq -r 'select(.event.action == "flow") |
	    [.source.ip, .destination.ip, .network.direction,
	     (if .egressd.destination.name_source == "dns"
	      then .destination.domain else "-" end),
	     ((.event.start[0:19] + "Z" | fromdate) +
	      (.event.start[20:26] | tonumber) / 1e6 | tostring)]
	    | @tsv' "$tmp/f.json" >"$tmp/ours"
	# Invented: a DNS name tshark never saw answered to that client for
	# that address before the record began.
	awk -F'\t' 'NR == FNR { k = $1 "\t" $2 "\t" $3
		if (!(k in t) || $4 < t[k]) t[k] = $4; next }
	    $4 != "-" && (!(($1 "\t" $2 "\t" $4) in t) ||
	    t[$1 "\t" $2 "\t" $4] > $5) { print "invented: " $0 }' \
	    "$tmp/theirs" "$tmp/ours" >"$tmp/bad"
	# Missing: tshark saw the answer before the flow began, egressd gave
	# the flow no DNS name.
	awk -F'\t' 'NR == FNR { k = $1 "\t" $2
		if (!(k in t) || $4 < t[k]) t[k] = $4; next }
	    $3 != "inbound" && ($1 "\t" $2) in t && t[$1 "\t" $2] <= $5 &&
	    $4 == "-" {
		print "missing: " $0 }' "$tmp/theirs" "$tmp/ours" >>"$tmp/bad"
	named=$((named + $(awk -F'\t' '$4 != "-"' "$tmp/ours" | wc -l)))
	if [ -s "$tmp/bad" ]; then
		echo "FAIL: $cap: DNS names differ from tshark"
		cat "$tmp/bad"
		status=1
	fi
done
echo "$answers answered addresses from tshark; $named flow records named from DNS, all agreeing"
exit $status
