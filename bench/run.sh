#!/bin/sh
#
# bench/run.sh: egressd against its baselines, in one run.
#
# Generates (once, cached in bench/out/) a site capture and a flow-heavy
# capture with pcaps/pcapgen, warms the page cache, then runs R interleaved
# rounds of: readloop -p (plain pcap_open_offline), readloop (1 MiB
# buffered FILE), hashloop (minimal 5-tuple table), egressd -r --no-beacons
# and egressd -r (both with the demo ASN and country databases), on each
# capture; and readloop -u and hashloop -u, the same baselines reading as
# egressd reads (buffered, with stdio's locking off), for ratios like for
# like.  Wall time comes from a nanosecond clock around each run, peak
# RSS from GNU time (/usr/bin/time -f %M).  The audit store: egressd -r
# -w into a new file each round (the capture's SHA-256 included: a new
# store has no capture of its size, so a thread takes it from the bytes
# the reading reads, the file read once), and the same reading the
# capture from a pipe (-r -: no SHA-256), with
# the rows each wrote a second, wall and CPU seconds.  Prints median packets/s, the
# ratios of egressd to the baselines, its peak RSS and its bytes per flow:
#   (peak RSS on a capture - peak RSS on a tiny capture)
#   / the peak of live flows egressd reports for that capture.
# The flow-heavy capture spreads its flows over 300 s, so few are live at
# once and the figure is dominated by what outlives a flow (the summary);
# a dense capture (bench-flows -n N -f 2.5N: it ends about 27 s into the
# 300 s its flows are spread over, so most are still live) gives the figure
# for a full table.
#
# Every egressd case runs again with -j to a file (the JSON lines feed a
# SIEM reads; the file is removed after each run), which gives what the
# feed costs: its share of the run, (with - without) / with, and the wall
# and CPU microseconds a line (records and alerts), with bench/jsonloop's
# figure for the sink alone.  -B OTHER runs the egressd cases of another
# build (the code before a change), the store's included, in the same
# interleaved rounds, for a before/after in one run.
#
# Run from the top of an in-tree build after ./configure && make, or with
# "make bench" (BENCH_FLAGS='-r 9' make bench).  Exits non-zero when a tool
# fails or the tools disagree on the packet count.

set -u
LC_ALL=C
TZ=UTC
export LC_ALL TZ

usage() {
	cat <<EOF
usage: bench/run.sh [-r ROUNDS] [-n SITE_PACKETS] [-f FLOWS] [-L PACKETS]
                    [-B OTHER_EGRESSD] [--quick]
  -r ROUNDS        interleaved rounds, median reported (default 5)
  -n SITE_PACKETS  packets of the site capture (default 5000000)
  -f FLOWS         flows of the flow-heavy capture (2000000 packets; default 250000)
  -L PACKETS       packets of the dense capture for the full-table
                   bytes-per-flow figure, egressd only (default 4000000;
                   0 to skip)
  -B EGRESSD       also run the egressd cases with another binary (before)
  --quick          small captures, one round: a smoke test
  --no-store       leave out the audit store runs (-w)
EOF
	exit 2
}

die() {
	echo "bench: $*" >&2
	exit 1
}

rounds=5
site_n=5000000
flows_n=2000000
flows_f=250000
large_n=4000000
tiny_n=2000
tiny_f=20
store=yes
old_egressd=
while [ $# -gt 0 ]; do
	case $1 in
	-r)	[ $# -ge 2 ] || usage; rounds=$2; shift 2 ;;
	-n)	[ $# -ge 2 ] || usage; site_n=$2; shift 2 ;;
	-f)	[ $# -ge 2 ] || usage; flows_f=$2; shift 2 ;;
	-L)	[ $# -ge 2 ] || usage; large_n=$2; shift 2 ;;
	-B)	[ $# -ge 2 ] || usage; old_egressd=$2; shift 2 ;;
	--quick)
		rounds=1 site_n=200000 flows_n=100000 flows_f=20000
		large_n=0; shift ;;
	--no-store) store=; shift ;;
	-h|--help) usage ;;
	*)	usage ;;
	esac
done
for v in "$rounds" "$site_n" "$flows_f" "$large_n"; do
	case $v in
	''|*[!0-9]*) die "not a number: $v" ;;
	esac
done
[ "$rounds" -ge 1 ] || die "need at least one round"

srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${top_builddir:-$srcdir}
pcapgen=$builddir/pcaps/pcapgen
egressd=$builddir/src/egressd
readloop=$builddir/bench/readloop
hashloop=$builddir/bench/hashloop
jsonloop=$builddir/bench/jsonloop
out=$builddir/bench/out
gnutime=/usr/bin/time

for p in "$pcapgen" "$egressd" "$readloop" "$hashloop" "$jsonloop" \
    ${old_egressd:+"$old_egressd"}; do
	[ -x "$p" ] || die "$p missing: run ./configure && make first"
done
[ -x "$gnutime" ] || die "$gnutime missing (Debian package: time)"
[ -z "$store" ] || command -v sqlite3 >/dev/null || die "sqlite3 missing (or --no-store)"
date +%N | grep -q '^[0-9]\{9\}$' || die "date +%N needs GNU date"

mkdir -p "$out" || die "cannot create $out"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/egressd-bench.XXXXXX") || die "mktemp"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
results=$tmp/results

# gen KIND FILE ARGS...: make a capture once; a failed run leaves nothing.
gen() {
	kind=$1 file=$2
	shift 2
	[ -s "$file" ] && return 0
	echo "generating $file ($kind $*)" >&2
	if ! "$pcapgen" "$kind" "$file.tmp" "$@" >"$tmp/gen.out" 2>&1; then
		cat "$tmp/gen.out" >&2
		rm -f "$file.tmp"
		die "pcapgen $kind failed"
	fi
	mv "$file.tmp" "$file" || die "cannot move $file.tmp"
}

# now_ns: a nanosecond wall clock.
now_ns() {
	date +%s%N
}

# run TOOL CAPTURE ROUND FILE: one timed run, appended to the results as
# "tool capture round seconds rss_kib packets flows cpu" (packets: - for
# egressd, whose summary goes to /dev/null; flows: hashloop's only).  An
# egressd case ending in j writes JSON lines to a file (removed after);
# one beginning with old runs the -B binary.
run() {
	tool=$1 cap=$2 round=$3 file=$4
	bin=$egressd base=$tool jf=
	case $base in
	old*)	bin=$old_egressd base=${base#old} ;;
	esac
	case $base in
	*j)	jf=$tmp/out.jsonl base=${base%j} ;;
	esac
	case $base in
	plain)		set -- "$readloop" -p "$file" ;;
	buffered)	set -- "$readloop" "$file" ;;
	unlocked)	set -- "$readloop" -u "$file" ;;
	hashloop)	set -- "$hashloop" "$file" ;;
	hashloopu)	set -- "$hashloop" -u "$file" ;;
	egressd)	set -- "$bin" --asn-db "$asndb" --country-db "$ccdb" \
			    -r "$file" ;;
	nobeacon)	set -- "$bin" --asn-db "$asndb" --country-db "$ccdb" \
			    --no-beacons -r "$file" ;;
	onethread)	set -- "$bin" --asn-db "$asndb" --country-db "$ccdb" \
			    --threads 1 -r "$file" ;;
	store)		set -- "$bin" --asn-db "$asndb" --country-db "$ccdb" \
			    -r "$file" -w "$tmp/store.db" ;;
	storepipe)	set -- "$bin" --asn-db "$asndb" --country-db "$ccdb" \
			    -r - -w "$tmp/store.db" ;;
	esac
	[ -n "$jf" ] && set -- "$@" -j "$jf"
	rm -f "$tmp/store.db" "$tmp/store.db-wal" "$tmp/store.db-shm"
	si=/dev/null
	[ "$base" = storepipe ] && si=$file
	isegressd=
	case $base in
	egressd|nobeacon|onethread|store|storepipe)
		so=/dev/null isegressd=1 ;;
	*)	so=$tmp/run.out ;;
	esac
	rm -f "$tmp/out.jsonl"
	t0=$(now_ns)
	"$gnutime" -f '%M %U %S' -o "$tmp/time" "$@" <"$si" >"$so" \
	    2>"$tmp/run.err"
	rc=$?
	t1=$(now_ns)
	rm -f "$tmp/out.jsonl"
	if [ $rc -ne 0 ]; then
		cat "$tmp/run.err" >&2
		die "$tool on $file failed (exit $rc)"
	fi
	rss=$(tail -n 1 "$tmp/time" | awk '{ print $1 }')
	cpu=$(tail -n 1 "$tmp/time" | awk '{ printf "%.2f", $2 + $3 }')
	pk=- nf=-
	if [ "${base#store}" != "$base" ]; then
		# rows written, in the flows column
		nf=$(sqlite3 "$tmp/store.db" "SELECT sum(n) FROM (
		    SELECT count(*) AS n FROM flows UNION ALL
		    SELECT count(*) FROM appliances UNION ALL
		    SELECT count(*) FROM destinations UNION ALL
		    SELECT count(*) FROM names UNION ALL
		    SELECT count(*) FROM alerts UNION ALL
		    SELECT count(*) FROM series UNION ALL
		    SELECT count(*) FROM counters UNION ALL
		    SELECT count(*) FROM captures)")
	elif [ -z "$isegressd" ]; then
		pk=$(awk '{ for (i = 1; i < NF; i++) if ($i == "packets")
		    print $(i + 1) }' "$tmp/run.out")
		expect=$(eval echo "\$pk_$cap")
		[ "$pk" = "$expect" ] ||
		    die "$tool read ${pk:-no} packets of $file, egressd $expect"
		[ "${tool%u}" = hashloop ] && nf=$(awk '{ for (i = 1; i < NF; i++)
		    if ($i == "flows") print $(i + 1) }' "$tmp/run.out")
	fi
	echo "$tool $cap $round $(awk -v a="$t0" -v b="$t1" \
	    'BEGIN { printf "%.6f", (b - a) / 1e9 }') $rss $pk $nf $cpu" \
	    >>"$results"
}

# summary CAPTURE FILE: run egressd once, keep its summary next to the
# capture, and note its packet count, peak of live flows and flow count.
summary() {
	cap=$1 file=$2 sum=${2%.pcap}.summary
	rm -f "$tmp/lines.jsonl"
	"$egressd" --asn-db "$asndb" --country-db "$ccdb" -r "$file" \
	    -j "$tmp/lines.jsonl" >"$sum" 2>"$tmp/run.err" || {
		cat "$tmp/run.err" >&2
		die "egressd on $file failed"
	}
	[ -s "$tmp/run.err" ] && sed "s/^/bench: egressd $cap: /" \
	    "$tmp/run.err" >&2
	pk=$(awk '$1 == "packets" { print $2 }' "$sum")
	peak=$(awk '$1 == "flows" { for (i = 1; i < NF; i++)
	    if ($i == "peak") print $(i + 1) }' "$sum")
	nflows=$(awk '$1 == "flows" { print $2 }' "$sum")
	[ -n "$pk" ] && [ -n "$peak" ] ||
	    die "cannot read the egressd summary of $file"
	look=$(awk '$1 == "geo.lookups" { print $2 }' "$sum")
	hits=$(awk '$1 == "geo.cache_hits" { print $2 }' "$sum")
	lines=$(wc -l <"$tmp/lines.jsonl")
	rm -f "$tmp/lines.jsonl"
	eval "pk_$cap=\$pk peak_$cap=\$peak flows_$cap=\$nflows" \
	    "look_$cap=\${look:-0} hits_$cap=\${hits:-0} lines_$cap=\$lines"
}

# med TOOL CAPTURE FIELD: the median of a results column (4 seconds, 5 rss,
# 8 CPU seconds, user and system, of every thread).
med() {
	awk -v t="$1" -v c="$2" -v f="$3" '$1 == t && $2 == c { print $f }' \
	    "$results" | sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		if (NR % 2) print v[(NR + 1) / 2]
		else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# spread TOOL CAPTURE: (max - min) / median of the seconds, in percent.
spread() {
	awk -v t="$1" -v c="$2" '$1 == t && $2 == c { print $4 }' \
	    "$results" | sort -n | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.0f", (m > 0 ? 100 * (v[NR] - v[1]) / m : 0) }'
}

# Both databases on, as a site runs it: the demo's, generated by the build.
asndb=$srcdir/pcaps/asn.mmdb
ccdb=$srcdir/pcaps/country.mmdb
for f in "$asndb" "$ccdb"; do
	[ -r "$f" ] || die "cannot read $f"
done

site=$out/site-$site_n.pcap
flows=$out/flows-$flows_n-$flows_f.pcap
tiny=$out/tiny-$tiny_n-$tiny_f.pcap
gen bench-site "$site" -n "$site_n"
gen bench-flows "$flows" -n "$flows_n" -f "$flows_f"
gen bench-flows "$tiny" -n "$tiny_n" -f "$tiny_f"
large=
if [ "$large_n" -gt 0 ]; then
	large_f=$((large_n * 5 / 2))
	large=$out/flows-$large_n-$large_f.pcap
	gen bench-flows "$large" -n "$large_n" -f "$large_f"
fi

stamp0=$(ls -l --time-style=+%s.%N "$egressd" "$readloop" "$hashloop" \
    ${old_egressd:+"$old_egressd"})

# Warm the page cache, and check egressd reads every packet.
for f in "$site" "$flows" "$tiny" ${large:+"$large"}; do
	cat "$f" >/dev/null || die "cannot read $f"
done
summary site "$site"
summary flows "$flows"
summary tiny "$tiny"
[ "$pk_site" = "$site_n" ] ||
    die "egressd read $pk_site packets of $site, pcapgen wrote $site_n"
[ "$pk_flows" = "$flows_n" ] ||
    die "egressd read $pk_flows packets of $flows, pcapgen wrote $flows_n"
if [ -n "$large" ]; then
	summary large "$large"
	[ "$pk_large" = "$large_n" ] ||
	    die "egressd read $pk_large packets of $large, pcapgen wrote $large_n"
fi

load0=$(cut -d ' ' -f 1-3 /proc/loadavg)
: >"$results"
r=1
while [ "$r" -le "$rounds" ]; do
	echo "round $r of $rounds" >&2
	for cap in site flows; do
		eval "file=\$$cap"
		for tool in plain buffered unlocked hashloop hashloopu \
		    nobeacon egressd onethread nobeaconj egressdj onethreadj \
		    ${store:+store storepipe} \
		    ${old_egressd:+oldnobeacon oldegressd oldonethread} \
		    ${old_egressd:+oldnobeaconj oldegressdj oldonethreadj} \
		    ${old_egressd:+${store:+oldstore oldstorepipe}}; do
			run "$tool" "$cap" "$r" "$file"
		done
	done
	run egressd tiny "$r" "$tiny"
	[ -n "$large" ] && run egressd large "$r" "$large"
	"$jsonloop" -n 1000000 | awk -v r="$r" '{ print "jsonloop - " r, $8,
	    "- - -", $10 }' >>"$results"
	r=$((r + 1))
done

cp "$results" "$out/results.txt"
[ "$(ls -l --time-style=+%s.%N "$egressd" "$readloop" "$hashloop" \
    ${old_egressd:+"$old_egressd"})" = \
    "$stamp0" ] || die "a tool was rebuilt during the run; run again"

# Report.
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo
echo "egressd benchmark, $(date '+%Y-%m-%d %H:%M %Z'), $(nproc) CPUs:" \
    "${cpu:-unknown CPU}, $(uname -sr)"
rev=$(git -C "$srcdir" describe --always --dirty 2>/dev/null) || rev=
echo "egressd $("$egressd" --version | awk '{ print $2 }')${rev:+ (git $rev)}," \
    "built $(date -r "$egressd" '+%Y-%m-%d %H:%M'); $rounds round(s)," \
    "median wall time per run (spread = (max - min) / median);" \
    "load average before: $load0"
for cap in site flows; do
	eval "file=\$$cap pk=\$pk_$cap nf=\$flows_$cap pf=\$peak_$cap"
	printf '%-6s %s: %s packets, %s MB; flows: egressd %s (peak %s live),' \
	    "$cap" "${file#"$builddir"/}" "$pk" \
	    $(($(wc -c <"$file") / 1000000)) "$nf" "$pf"
	echo " hashloop $(med hashloop "$cap" 7)"
	eval "look=\$look_$cap hits=\$hits_$cap"
	echo "       ASN/country look-ups: $look, cache hits $hits" \
	    "($(awk -v l="$look" -v h="$hits" \
	    'BEGIN { printf "%.2f", (l > 0 ? 100 * h / l : 0) }')%)"
done
echo
printf '%-28s %16s %16s\n' "packets/s (M)" site flows
for tool in plain buffered unlocked hashloop hashloopu nobeacon egressd \
    onethread ${store:+store storepipe}; do
	case $tool in
	plain)		name="readloop, pcap_open_offline" ;;
	buffered)	name="readloop, 1 MiB buffer" ;;
	unlocked)	name="readloop -u, and unlocked" ;;
	hashloop)	name="hashloop (5-tuple table)" ;;
	hashloopu)	name="hashloop -u, unlocked" ;;
	nobeacon)	name="egressd -r --no-beacons" ;;
	egressd)	name="egressd -r" ;;
	onethread)	name="egressd -r --threads 1" ;;
	store)		name="egressd -r -w (new store)" ;;
	storepipe)	name="egressd -r - -w (no SHA-256)" ;;
	esac
	line=$(printf '%-28s' "$name")
	for cap in site flows; do
		eval "pk=\$pk_$cap"
		s=$(med "$tool" "$cap" 4)
		line="$line$(awk -v p="$pk" -v s="$s" -v d="$(spread "$tool" \
		    "$cap")" 'BEGIN { printf "%9.2f (%3d%%)", p / s / 1e6, d }')"
	done
	echo "$line"
done
ratio() {
	awk -v a="$(med "$1" "$3" 4)" -v b="$(med "$2" "$3" 4)" \
	    'BEGIN { printf "%15.0f%%", 100 * b / a }'
}
# drop NOBEACON EGRESSD READLOOP CAPTURE: points the ratio to the read loop
# loses with beacon detection on.
drop() {
	awk -v n="$(med "$1" "$4" 4)" -v e="$(med "$2" "$4" 4)" \
	    -v r="$(med "$3" "$4" 4)" \
	    'BEGIN { printf "%14.1f pt", 100 * r / n - 100 * r / e }'
}
echo "ratios to the baselines as the issues define them (buffered FILE):"
printf '%-28s %s %s  (goals >= 60%% / 50%%; 55%% / 45%% with dissectors)\n' \
    "  --no-beacons / hashloop" \
    "$(ratio nobeacon hashloop site)" "$(ratio nobeacon hashloop flows)"
printf '%-28s %s %s\n' "  egressd -r / hashloop" \
    "$(ratio egressd hashloop site)" "$(ratio egressd hashloop flows)"
printf '%-28s %s %s\n' "  --no-beacons / readloop" \
    "$(ratio nobeacon buffered site)" "$(ratio nobeacon buffered flows)"
printf '%-28s %s %s\n' "  egressd -r / readloop" \
    "$(ratio egressd buffered site)" "$(ratio egressd buffered flows)"
printf '%-28s %s %s  (goal <= 5 points)\n' "  drop with beacons on" \
    "$(drop nobeacon egressd buffered site)" \
    "$(drop nobeacon egressd buffered flows)"
printf '%-28s %s %s\n' "  the same, --threads 1" \
    "$(drop nobeacon onethread buffered site)" \
    "$(drop nobeacon onethread buffered flows)"
echo "like for like: the baselines reading as egressd reads (-u, unlocked):"
printf '%-28s %s %s\n' "  --no-beacons / hashloop -u" \
    "$(ratio nobeacon hashloopu site)" "$(ratio nobeacon hashloopu flows)"
printf '%-28s %s %s\n' "  egressd -r / hashloop -u" \
    "$(ratio egressd hashloopu site)" "$(ratio egressd hashloopu flows)"
printf '%-28s %s %s\n' "  --no-beacons / readloop -u" \
    "$(ratio nobeacon unlocked site)" "$(ratio nobeacon unlocked flows)"
printf '%-28s %s %s\n' "  drop with beacons on" \
    "$(drop nobeacon egressd unlocked site)" \
    "$(drop nobeacon egressd unlocked flows)"
printf '%-28s %s %s\n' "  the same, --threads 1" \
    "$(drop nobeacon onethread unlocked site)" \
    "$(drop nobeacon onethread unlocked flows)"
speedup() {
	awk -v a="$(med "$1" "$3" 4)" -v b="$(med "$2" "$3" 4)" \
	    'BEGIN { printf "%15.2fx", a / b }'
}
printf '%-28s %s %s\n' "buffered / plain readloop" \
    "$(speedup plain buffered site)" "$(speedup plain buffered flows)"
printf '%-28s %s %s\n' "unlocked / buffered readloop" \
    "$(speedup buffered unlocked site)" "$(speedup buffered unlocked flows)"
if [ -n "$store" ]; then
	echo "the audit store (-w), like for like (read loop -u):"
	printf '%-28s %s %s\n' "  egressd -r / readloop -u" \
	    "$(ratio egressd unlocked site)" "$(ratio egressd unlocked flows)"
	printf '%-28s %s %s\n' "  -r -w / readloop -u" \
	    "$(ratio store unlocked site)" "$(ratio store unlocked flows)"
	printf '%-28s %s %s  (goal <= 10 points)\n' "  points lost with -w" \
	    "$(drop egressd store unlocked site)" \
	    "$(drop egressd store unlocked flows)"
	printf '%-28s %s %s\n' "  the same without SHA-256" \
	    "$(drop egressd storepipe unlocked site)" \
	    "$(drop egressd storepipe unlocked flows)"
	if [ -n "$old_egressd" ]; then
		printf '%-28s %s %s\n' "  before: -r / readloop -u" \
		    "$(ratio oldegressd unlocked site)" \
		    "$(ratio oldegressd unlocked flows)"
		printf '%-28s %s %s\n' "  before: -r -w / readloop -u" \
		    "$(ratio oldstore unlocked site)" \
		    "$(ratio oldstore unlocked flows)"
		printf '%-28s %s %s\n' "  before: points lost, -w" \
		    "$(drop oldegressd oldstore unlocked site)" \
		    "$(drop oldegressd oldstore unlocked flows)"
		printf '%-28s %s %s\n' "  before: without SHA-256" \
		    "$(drop oldegressd oldstorepipe unlocked site)" \
		    "$(drop oldegressd oldstorepipe unlocked flows)"
	fi
	for tool in store storepipe; do
		printf '%-28s' "  rows written/s, $tool"
		for cap in site flows; do
			awk -v r="$(med "$tool" "$cap" 7)" \
			    -v s="$(med "$tool" "$cap" 4)" \
			    'BEGIN { printf "%10.0f (%5d)", r / s, r }'
		done
		echo
	done
	# wall and CPU seconds of the store cases (before, now)
	printf '%-28s %16s %16s\n' "  wall s / CPU s" site flows
	for tool in egressd store storepipe ${old_egressd:+oldegressd} \
	    ${old_egressd:+oldstore oldstorepipe}; do
		printf '%-28s' "    $tool"
		for cap in site flows; do
			printf '%16s' "$(med "$tool" "$cap" 4 | awk '{
			    printf "%.2f", $1 }') / $(med "$tool" "$cap" 8)"
		done
		echo
	done
fi
echo
# The second thread's work is not free: what egressd costs in CPU time.
printf '%-28s %16s %16s\n' "CPU s per run (user+sys)" site flows
for tool in nobeacon egressd onethread; do
	case $tool in
	nobeacon)	name="egressd -r --no-beacons" ;;
	egressd)	name="egressd -r (2 threads)" ;;
	onethread)	name="egressd -r --threads 1" ;;
	esac
	printf '%-28s %16.2f %16.2f\n' "$name" "$(med "$tool" site 8)" \
	    "$(med "$tool" flows 8)"
done
echo
# The JSON lines: each case with -j to a file against the same without.
echo "JSON lines to a file (-j): $lines_site lines (site), $lines_flows (flows);" \
    "share of the run = (with - without) / with (goal <= 15% on flows)"
printf '%-30s %28s %28s\n' "" "site" "flows"
printf '%-30s %28s %28s\n' "" "Mp/s -j  share  us/line cpu" \
    "Mp/s -j  share  us/line cpu"
# jline TOOL PREFIX CAPTURE: "Mpps share us cpu-us" of TOOL with -j.
jline() {
	eval "pk=\$pk_$3 ln=\$lines_$3"
	awk -v p="$pk" -v n="$ln" -v a="$(med "$2$1" "$3" 4)" \
	    -v b="$(med "$2$1j" "$3" 4)" -v ca="$(med "$2$1" "$3" 8)" \
	    -v cb="$(med "$2$1j" "$3" 8)" 'BEGIN {
		printf "%8.2f %5.1f%% %7.2f %5.2f", p / b / 1e6,
		    100 * (b - a) / b, 1e6 * (b - a) / n, 1e6 * (cb - ca) / n }'
}
for pre in "" ${old_egressd:+old}; do
	for tool in nobeacon egressd onethread; do
		case $tool in
		nobeacon)	name="--no-beacons" ;;
		egressd)	name="(2 threads)" ;;
		onethread)	name="--threads 1" ;;
		esac
		[ -n "$pre" ] && name="before: $name" || name="now: $name"
		printf '%-30s %28s %28s\n' "  $name" "$(jline $tool "$pre" site)" \
		    "$(jline $tool "$pre" flows)"
	done
done
if [ -n "$old_egressd" ]; then
	echo "  before / now, wall us a line (CPU us a line):"
	# ratio1 TOOL CAPTURE: before/now of the -j cost, wall and CPU.
	ratio1() {
		awk -v a="$(med "old$1" $2 4)" -v b="$(med "old${1}j" $2 4)" \
		    -v x="$(med "$1" $2 4)" -v y="$(med "${1}j" $2 4)" \
		    -v ca="$(med "old$1" $2 8)" -v cb="$(med "old${1}j" $2 8)" \
		    -v cx="$(med "$1" $2 8)" -v cy="$(med "${1}j" $2 8)" 'BEGIN {
			w = y - x > 0 ? sprintf("%.1fx", (b - a) / (y - x)) : "-"
			c = cy - cx > 0 ? sprintf("%.1fx", (cb - ca) / (cy - cx)) : "-"
			printf "%s (%s)", w, c }'
	}
	for tool in nobeacon egressd onethread; do
		printf '%-30s %28s %28s\n' "    $tool" "$(ratio1 $tool site)" \
		    "$(ratio1 $tool flows)"
	done
	echo "  (the before binary: $old_egressd)"
fi
printf '  the sink alone (bench/jsonloop: a flow record with TLS and names,\n'
printf '  its Community ID included): %.0f ns a line (wall), %.0f ns of CPU\n' \
    "$(med jsonloop - 4)" "$(med jsonloop - 8)"
echo
printf '%-28s %16s %16s\n' "peak RSS (MiB)" site flows
for tool in hashloop egressd ${store:+store}; do
	printf '%-28s %16.1f %16.1f\n' "$tool" \
	    "$(awk -v k="$(med "$tool" site 5)" 'BEGIN { print k / 1024 }')" \
	    "$(awk -v k="$(med "$tool" flows 5)" 'BEGIN { print k / 1024 }')"
done
echo
rss_tiny=$(med egressd tiny 5)
bpf() {
	awk -v r="$(med egressd "$1" 5)" -v t="$rss_tiny" -v f="$2" \
	    'BEGIN { printf "%.0f", (f > 0 ? (r - t) * 1024 / f : 0) }'
}
echo "bytes per flow (egressd), goal <= 512:"
printf '  flows capture (summary dominated): (%s - %s KiB) / %s peak live flows = %s\n' \
    "$(med egressd flows 5)" "$rss_tiny" "$peak_flows" \
    "$(bpf flows "$peak_flows")"
if [ -n "$large" ]; then
	printf '  dense capture (full table):       (%s - %s KiB) / %s peak live flows = %s\n' \
	    "$(med egressd large 5)" "$rss_tiny" "$peak_large" \
	    "$(bpf large "$peak_large")"
	printf '  (dense: %s packets, %s flows, egressd %.2f M packets/s)\n' \
	    "$large_n" "$flows_large" "$(awk -v p="$large_n" \
	    -v s="$(med egressd large 4)" 'BEGIN { print p / s / 1e6 }')"
fi
