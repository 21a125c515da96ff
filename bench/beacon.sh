#!/bin/sh
#
# bench/beacon.sh: the beacon detector's per-beat cost and bytes per
# series, with address grouping only, with three groupings (address,
# name, ASN) and with all four (the service too), as egressd feeds them.
#
# usage: bench/beacon.sh [-n SERIES] [-b BEATS] [--quick]
#   -n SERIES  (appliance, destination) pairs (default 1000000)
#   -b BEATS   beats in all (default 100000000)
#   --quick    100000 pairs, 5000000 beats
# Run from the top of a build after make (or "make bench-beacon").

set -u
LC_ALL=C
export LC_ALL

n=1000000
b=100000000
while [ $# -gt 0 ]; do
	case $1 in
	-n)	n=$2; shift 2 ;;
	-b)	b=$2; shift 2 ;;
	--quick) n=100000 b=5000000; shift ;;
	*)	echo "usage: bench/beacon.sh [-n SERIES] [-b BEATS] [--quick]" >&2
		exit 2 ;;
	esac
done
builddir=${top_builddir:-$(cd "$(dirname "$0")/.." && pwd)}
loop=$builddir/bench/beaconloop
[ -x "$loop" ] || { echo "bench: $loop missing: run make first" >&2; exit 1; }

echo "beacon benchmark, $(date '+%Y-%m-%d %H:%M %Z'), $(nproc) CPUs:" \
    "$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
for g in 1 3 4; do
	"$loop" -n "$n" -b "$b" -g "$g" || exit 1
done
