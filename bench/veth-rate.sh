#!/bin/sh
#
# bench/veth-rate.sh: live capture through a veth at tcpreplay's rates.
# In a network namespace of its own (tests/live/lib.sh), egressd -i cap0
# (no outputs but its log) while tcpreplay sends pcapgen's bench-site
# capture (200,000 packets, looped L times) into rep0 at full speed, then
# at each rate given; for each, the rate tcpreplay reached and the
# packets and kernel drops of egressd's last stats line (root only).
#
# usage: bench/veth-rate.sh [-l LOOPS] [PPS ...]   (default 10; full speed)
set -u
L=10
while [ $# -gt 0 ]; do
	case $1 in
	-l) L=$2; shift 2 ;;
	-*) echo "usage: $0 [-l LOOPS] [PPS ...]" >&2; exit 2 ;;
	*) break ;;
	esac
done
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
. "$top_srcdir/tests/live/lib.sh"
pcapgen=$(cd "$top_builddir" && pwd)/pcaps/pcapgen
command -v tcpreplay >/dev/null 2>&1 || { echo "no tcpreplay: skip"; exit 77; }
"$pcapgen" bench-site "$tmp/site.pcap" -n 200000 >/dev/null 2>&1 ||
    die "pcapgen"
printf 'internal { 10.0.0.0/8 }\n' >"$tmp/policy.conf"
echo "bench/veth-rate.sh: 200,000 packets x $L through a veth ($(nproc) CPUs)"
for rate in top "$@"; do
	o=--topspeed
	[ "$rate" = top ] || o=--pps=$rate
	start
	got=$(nsx tcpreplay -l "$L" "$o" -i rep0 "$tmp/site.pcap" 2>&1 |
	    sed -n 's/.*Rated: .*, \([0-9.]*\) pps.*/\1/p')
	sleep 1
	stop
	printf '%-8s sent at %8.0f pps; egressd: %s\n' "$rate" "${got:-0}" \
	    "$(grep 'stats:' "$tmp/err" | tail -n 1 | cut -d, -f1-2 |
	    sed 's/.*stats: //')"
done
exit $status
