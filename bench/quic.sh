#!/bin/sh
#
# bench/quic.sh: what reading a client's QUIC Initial costs, with
# bench/quicloop on the bundled pcaps/quic.pcap: nanoseconds per Initial
# to derive its keys, to open it (header protection and AES-128-GCM),
# and both (a flow's first Initial).  Given the build directory of
# another version (say the commit before a change, built apart), runs
# both loops in the same run, rounds interleaved, and prints the ratio.
#
# usage: bench/quic.sh [-r ROUNDS] [-n LOOPS] [OTHER_BUILDDIR]
#   -r ROUNDS  interleaved rounds, median reported (default 5)
#   -n LOOPS   passes over the capture's Initials per round (default 2000)
# Run from the top of a build after make (or "make bench-quic", with
# BENCH_FLAGS='/path/to/other/build').

set -u
LC_ALL=C
export LC_ALL

rounds=5
loops=2000
while [ $# -gt 0 ]; do
	case $1 in
	-r)	rounds=$2; shift 2 ;;
	-n)	loops=$2; shift 2 ;;
	-*)	echo "usage: bench/quic.sh [-r ROUNDS] [-n LOOPS]" \
		    "[OTHER_BUILDDIR]" >&2
		exit 2 ;;
	*)	break ;;
	esac
done
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${top_builddir:-$srcdir}
capture=$srcdir/pcaps/quic.pcap
set -- "this:$builddir/bench/quicloop" ${1:+"other:$1/bench/quicloop"}
for t in "$@"; do
	[ -x "${t#*:}" ] || {
		echo "bench: ${t#*:} missing: run make there first" >&2
		exit 1
	}
done
tmp=$(mktemp "${TMPDIR:-/tmp}/egressd-quic.XXXXXX") || exit 1
trap 'rm -f "$tmp"' EXIT

echo "QUIC Initial benchmark, $(date '+%Y-%m-%d %H:%M %Z'), $(nproc) CPUs:" \
    "$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
r=1
while [ "$r" -le "$rounds" ]; do
	for t in "$@"; do
		out=$("${t#*:}" -n "$loops" "$capture") || {
			echo "bench: ${t#*:} failed" >&2
			exit 1
		}
		echo "${t%%:*} $out" >>"$tmp"
	done
	r=$((r + 1))
done

# med NAME FIELD: the median of a field of quicloop's line over the rounds.
med() {
	awk -v t="$1" -v f="$2" '$1 == t {
		for (i = 2; i < NF; i++) if ($i == f) print $(i + 1) }' "$tmp" |
	    sort -n | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]
		else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

printf '%-6s %9s %9s %11s  (ns per Initial, median of %s rounds)\n' \
    "" keys open initial "$rounds"
for t in "$@"; do
	printf '%-6s %9s %9s %11s  %s\n' "${t%%:*}" "$(med "${t%%:*}" keys_ns)" \
	    "$(med "${t%%:*}" open_ns)" "$(med "${t%%:*}" initial_ns)" \
	    "$(awk -v t="${t%%:*}" '$1 == t { print $3, "Initials,",
		$13, "plaintext bytes"; exit }' "$tmp")"
done
if [ $# -eq 2 ]; then
	awk -v a="$(med this initial_ns)" -v b="$(med other initial_ns)" \
	    'BEGIN { printf "this / other: %.3f of the time per Initial\n",
		a / b }'
	[ "$(awk '$1 == "this" { print $NF; exit }' "$tmp")" = \
	    "$(awk '$1 == "other" { print $NF; exit }' "$tmp")" ] || {
		echo "bench: the two builds opened different plaintext" >&2
		exit 1
	}
fi
