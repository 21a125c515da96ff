#!/bin/sh
# Cross-check that does not trust our own goldens: per TCP/UDP conversation,
# the packets and IP bytes each way that egressd reports must equal what
# tshark's dissection of the same capture adds up to.
#
# A .xc file names the capture (line 1, relative to the source tree, then
# any egressd options it needs, e.g. --vxlan); any further lines are
# conversations known to differ, each after a "# why" comment, in the
# output format below.  Later IP fragments carry no ports,
# so both sides attribute them to the ports of their first fragment.
#
# Output line per conversation (endpoints in sorted order, VLANs merged):
#   proto addrA portA addrB portB pkts(A->B) bytes(A->B) pkts(B->A) bytes(B->A)
#
# XC_DEDUP=1, for captures recorded live (tests/real/real.sh): a stack may
# itself send a segment twice within 5 ms, byte for byte in egressd's key
# (an IPv6 duplicate ACK whose checksum the capture saw before offload),
# and egressd drops the copy as a SPAN duplicate.  Then the conversations
# may differ by the packets egressd dropped, and only by them: egressd's
# counts each way at most tshark's, bytes short only where packets are, and
# the packets short no more than its decode.duplicate counter (which also
# counts copies outside TCP and UDP).
set -u
xc=$1
. "$(dirname "$0")/common.sh"
# shellcheck disable=SC2046
set -- $(sed -n '1p' "$xc")
cap=$1
shift
case $cap in /*) ;; *) cap=$srcdir/$cap ;; esac

# Fold directional records into one line per conversation.
fold='
{
	k1 = $2 " " $3; k2 = $4 " " $5
	if (k1 < k2) { key = $1 " " k1 " " k2; d = 0 }
	else { key = $1 " " k2 " " k1; d = 1 }
	pab[key] += d ? $8 : $6; bab[key] += d ? $9 : $7
	pba[key] += d ? $6 : $8; bba[key] += d ? $7 : $9
}
END { for (k in pab) print k, pab[k], bab[k], pba[k], bba[k] }'

"$egressd" "$@" -r "$cap" -j "$tmp/flows.json" >"$tmp/summary" 2>"$tmp/err"
jq -r 'select(.event.action == "flow" and
    (.network.transport == "tcp" or .network.transport == "udp")) |
    [.network.transport, .source.ip, .source.port, .destination.ip,
     .destination.port, .source.packets, .source.bytes,
     .destination.packets, .destination.bytes] | @tsv' "$tmp/flows.json" |
    awk -F'\t' "$fold" | sort >"$tmp/ours"

tshark -r "$cap" -n -o ip.defragment:FALSE -o ipv6.defragment:FALSE \
    -T fields -E separator=/t -E occurrence=l \
    -e ip.src -e ip.dst -e ip.len -e ip.id -e ip.flags.mf -e ip.frag_offset \
    -e ip.proto -e ipv6.src -e ipv6.dst -e ipv6.plen -e ipv6.fraghdr.offset \
    -e ipv6.fraghdr.more -e ipv6.fraghdr.ident -e ipv6.fraghdr.nxt \
    -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport \
    -e icmp.type -e icmpv6.type -e frame.protocols 2>"$tmp/tshark.err" |
awk -F'\t' '
function yes(v) { return v == "1" || v == "True" || v == "true" }
# Where the last "name" layer is in a protocol stack a:b:c, 0 if nowhere.
function last(stack, name,	n, i, l, at) {
	n = split(stack, l, ":")
	at = 0
	for (i = 1; i <= n; i++)
		if (l[i] == name)
			at = i
	return at
}
{
	if ($19 != "" || $20 != "") next	# ICMP, or an error quoting a packet
	# IPv6 in an IPv4 tunnel (or the reverse): the innermost IP counts,
	# as its fields are the last occurrences the other columns hold
	inner6 = $8 != "" && ($1 == "" || last($21, "ipv6") > last($21, "ip"))
	if ($1 != "" && !inner6) {
		src = $1; dst = $2; len = $3; id = $4; more = yes($5)
		off = $6 + 0; nxt = $7
	} else if ($8 != "") {
		src = $8; dst = $9; len = 40 + $10; id = $13; more = yes($12)
		off = $11 + 0; nxt = $14
	} else
		next
	if ($15 != "") { proto = "tcp"; sp = $15; dp = $16 }
	else if ($17 != "") { proto = "udp"; sp = $17; dp = $18 }
	else if (off > 0 && (nxt == 6 || nxt == 17)) {
		proto = nxt == 6 ? "tcp" : "udp"
		fk = src " " dst " " id " " nxt
		if (fk in fsp) { sp = fsp[fk]; dp = fdp[fk] } else { sp = 0; dp = 0 }
	} else
		next
	if (off == 0 && more) {
		fk = src " " dst " " id " " (proto == "tcp" ? 6 : 17)
		fsp[fk] = sp; fdp[fk] = dp
	}
	printf "%s\t%s\t%s\t%s\t%s\t1\t%d\t0\t0\n", proto, src, sp, dst, dp, len
}' | awk -F'\t' "$fold" | sort >"$tmp/theirs"

# Lines only in one of the two, marked < (tshark) or > (egressd).
n=$(wc -l <"$tmp/theirs")
dups=$(awk '$1 == "decode.duplicate" { print $2 }' "$tmp/summary")
if [ "${XC_DEDUP:-0}" = 1 ] && [ "${dups:-0}" -gt 0 ]; then
	# Keep the conversations that differ only by dropped copies out
	# of the comparison, if together they account for every copy.
	awk -v dups="$dups" '
	NR == FNR { t[$1 " " $2 " " $3 " " $4 " " $5] = $0; next }
	{
		k = $1 " " $2 " " $3 " " $4 " " $5
		if (!(k in t)) { print; next }
		split(t[k], o, " ")
		dp = o[6] - $6; db = o[7] - $7; dq = o[8] - $8; dc = o[9] - $9
		if (dp < 0 || dq < 0 || (dp == 0) != (db == 0) ||
		    (dq == 0) != (dc == 0) || db < 0 || dc < 0) { print; next }
		if (dp + dq == 0)
			next		# no copy dropped: compared exactly
		short += dp + dq
		drop[k] = 1
	}
	END {
		if (short > dups)
			print "# " short " packets short, " dups " dropped"
		for (k in drop)
			print "# keep " k
	}' "$tmp/theirs" "$tmp/ours" >"$tmp/dupcheck"
	if grep -q '^# .* packets short' "$tmp/dupcheck"; then
		echo "FAIL: $cap: $(grep 'packets short' "$tmp/dupcheck" | \
		    cut -c3-) as SPAN duplicates"
		exit 1
	fi
	grep '^# keep ' "$tmp/dupcheck" | cut -c8- >"$tmp/dropped"
	for f in theirs ours; do
		awk 'NR == FNR { d[$0] = 1; next }
		    !(($1 " " $2 " " $3 " " $4 " " $5) in d)' \
		    "$tmp/dropped" "$tmp/$f" >"$tmp/$f.kept"
		mv "$tmp/$f.kept" "$tmp/$f"
	done
	echo "($dups packets dropped as SPAN duplicates, in" \
	    "$(wc -l <"$tmp/dropped") conversations)"
fi
diff "$tmp/theirs" "$tmp/ours" | grep '^[<>]' | sort >"$tmp/diff"
sed -n '2,$p' "$xc" | grep -v '^#' | grep -v '^$' | sort >"$tmp/expected"
if ! cmp -s "$tmp/diff" "$tmp/expected"; then
	echo "FAIL: $cap: conversations differ from tshark (< tshark, > egressd):"
	diff "$tmp/expected" "$tmp/diff"
	exit 1
fi
if [ "$n" -eq 0 ]; then
	echo "FAIL: $cap: tshark saw no TCP/UDP conversation"
	exit 1
fi
m=0
[ -f "$tmp/dropped" ] && m=$(wc -l <"$tmp/dropped")
# tshark's conversations on the known list differ: not "exactly"
k=$(grep '^<' "$tmp/expected" | cut -d' ' -f2-6 | sort -u | wc -l)
echo "$cap: $n conversations agree with tshark, $((n - m - k)) exactly and $m" \
    "short only by the SPAN copies egressd dropped ($(wc -l <"$tmp/expected")" \
    "known differences)"
exit 0
