#!/bin/sh
#
# bench/jshare.sh: the JSON lines feed's share of a run, on one CPU.
#
# Runs egressd over a capture (default: bench/run.sh's flow-heavy one,
# made by "make bench" first) pinned to CPU 0, in R interleaved rounds of
# seven cases: --no-beacons, the default and --threads 1, each without
# -j, with -j /dev/null (--no-beacons and the default) and with -j to a
# file (removed after each run).  Prints, for each case with -j, the
# medians of the CPU time (user + system of every thread, GNU time) with
# and without, and the median and quartiles of each round's paired share
# (with - without) / with.  Run from the top of an in-tree build on a
# machine with nothing else running: a second CPU's load shows up in the
# shares as noise.

set -u
LC_ALL=C
export LC_ALL

rounds=11
cap=bench/out/flows-2000000-250000.pcap
while getopts r:c: opt; do
	case $opt in
	r)	rounds=$OPTARG ;;
	c)	cap=$OPTARG ;;
	*)	echo "usage: bench/jshare.sh [-r ROUNDS] [-c CAPTURE]" >&2
		exit 2 ;;
	esac
done
srcdir=$(dirname "$0")/..
egressd=./src/egressd
[ -x "$egressd" ] || { echo "jshare: no $egressd: build first" >&2; exit 1; }
[ -r "$cap" ] || { echo "jshare: no $cap: run make bench first" >&2; exit 1; }
command -v taskset >/dev/null || { echo "jshare: taskset missing" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "jshare: GNU time missing" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

cat "$cap" >/dev/null
for r in $(seq 1 "$rounds"); do
	for c in nb nbn nbj eg egn egj t1 t1j; do
		case $c in
		nb*)	set -- --no-beacons ;;
		t1*)	set -- --threads 1 ;;
		*)	set -- ;;
		esac
		case $c in
		*n)	set -- "$@" -j /dev/null ;;
		*j)	set -- "$@" -j "$tmp/out.jsonl" ;;
		esac
		rm -f "$tmp/out.jsonl"
		/usr/bin/time -f '%U %S' -o "$tmp/time" taskset -c 0 \
		    "$egressd" --asn-db "$srcdir/pcaps/asn.mmdb" \
		    --country-db "$srcdir/pcaps/country.mmdb" -r "$cap" "$@" \
		    >/dev/null 2>"$tmp/err" || {
			cat "$tmp/err" >&2
			exit 1
		}
		echo "$r $c $(awk '{ print $1 + $2 }' "$tmp/time")" \
		    >>"$tmp/results"
	done
done
rm -f "$tmp/out.jsonl"

awk '
function med(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{ cpu[$1, $2] = $3; if ($1 > rounds) rounds = $1 }
END {
	split("nbn nbj egn egj t1j", cases, " ")
	name["nbn"] = "--no-beacons -j /dev/null"
	name["nbj"] = "--no-beacons -j FILE"
	name["egn"] = "-j /dev/null"
	name["egj"] = "-j FILE"
	name["t1j"] = "--threads 1 -j FILE"
	printf "%-28s %8s %8s %8s %15s\n", "case (CPU s, medians)",
	    "without", "with", "share", "quartiles"
	for (k = 1; k <= 5; k++) {
		c = cases[k]; b = substr(c, 1, 2)
		for (r = 1; r <= rounds; r++) {
			w[r] = cpu[r, b]; x[r] = cpu[r, c]
			s[r] = 100 * (cpu[r, c] - cpu[r, b]) / cpu[r, c]
		}
		mw = med(w, rounds); mx = med(x, rounds); ms = med(s, rounds)
		printf "%-28s %8.3f %8.3f %7.1f%%   %5.1f..%.1f%%\n", name[c],
		    mw, mx, ms, s[int((rounds + 3) / 4)],
		    s[int((3 * rounds + 3) / 4)]
	}
}' "$tmp/results"
