#!/bin/sh
# gaps.sh FILE FILTER [MERGE]: the check-ins a person counts with tshark.
# Every packet that matches the tshark display filter FILTER is read; a
# packet that comes MERGE seconds (default 2) or more after the previous
# matching packet starts a new check-in (a burst closer than that is one).
# Prints each check-in (seconds from the first, gap to the previous, its
# packets and bytes, the source of its first packet) and then the figures
# tests/real/callhomes.tsv records:
#   n        check-ins
#   period   the median gap
#   jitter   range/median: (max gap - min gap) / median gap; stdev/mean
#            of the gaps; and "timer" range/median: the same over the gaps
#            between 0.5 and 1.6 times the median only (an extra event,
#            such as a task's follow-up request, and a missed check-in or an
#            outage left out), with how many gaps it left out
#   span     first to last check-in
# GAPS_SKIP=K ignores gaps longer than K times the median in the first
# figures too (an outage, a missed check-in) and says how many it ignored.
# Example: sh tests/real/gaps.sh c.pcap 'ip.addr==10.0.0.5 && tcp.port==4433'
set -u
[ $# -ge 2 ] || { echo "usage: gaps.sh FILE FILTER [MERGE]" >&2; exit 2; }
file=$1 filter=$2 merge=${3:-2}
tshark -n -r "$file" -Y "$filter" -T fields -E separator=/t \
    -e frame.time_epoch -e frame.len -e ip.src -e ipv6.src 2>/dev/null |
awk -F'\t' -v merge="$merge" -v skip="${GAPS_SKIP:-0}" '
function flush() {
	if (n > 0)
		printf("%4d %12.3f %10s %6d %9d  %s\n", n, st - t0,
		    (n > 1) ? sprintf("%.3f", st - pst) : "-", pk, by, who)
}
{
	t = $1 + 0; src = $3 != "" ? $3 : $4
	if (n == 0 || t - last >= merge) {
		flush()
		if (n == 0) t0 = t; else { g[n] = t - st; pst = st }
		n++; st = t; pk = 0; by = 0; who = src
	}
	pk++; by += $2; last = t
}
END {
	if (n == 0) { print "no packet matches"; exit 1 }
	flush()
	m = n - 1
	if (m < 1) { print "n=1"; exit 0 }
	for (i = 1; i <= m; i++) s[i] = g[i]
	# sort the gaps (insertion sort: a few hundred at most)
	for (i = 2; i <= m; i++) { v = s[i]; for (j = i - 1; j >= 1 && s[j] > v; j--) s[j+1] = s[j]; s[j+1] = v }
	med = (m % 2) ? s[(m+1)/2] : (s[m/2] + s[m/2+1]) / 2
	k = 0; sum = 0; sq = 0; mn = 1e18; mx = 0; ign = 0
	for (i = 1; i <= m; i++) {
		if (skip > 0 && s[i] > skip * med) { ign++; continue }
		k++; sum += s[i]; sq += s[i]^2
		if (s[i] < mn) mn = s[i]; if (s[i] > mx) mx = s[i]
	}
	mean = sum / k; sd = sqrt(sq / k - mean^2 > 0 ? sq / k - mean^2 : 0)
	printf("n=%d period(median gap)=%.3f mean=%.3f min=%.3f max=%.3f range/median=%.3f stdev/mean=%.3f span=%.1f", \
	    n, med, mean, mn, mx, (mx - mn) / med, sd / mean, st - t0)
	if (ign) printf " (ignored %d gaps > %s x median)", ign, skip
	tn = 0; tmn = 1e18; tmx = 0
	for (i = 1; i <= m; i++)
		if (s[i] >= 0.5 * med && s[i] <= 1.6 * med) {
			tn++; if (s[i] < tmn) tmn = s[i]; if (s[i] > tmx) tmx = s[i]
		}
	printf(" timer_range/median=%.3f (%d of %d gaps left out)\n",
	    (tmx - tmn) / med, m - tn, m)
}'
