#!/bin/sh
# Run every libFuzzer target of a build for a while.
#
#	fuzz/run.sh BUILDDIR SECONDS
#
# BUILDDIR was configured with --enable-sanitizers --enable-fuzzing and
# built.  For each BUILDDIR/fuzz/fuzz_NAME: replay the saved reproducers
# fuzz/crashes/NAME-* (fixed bugs must stay fixed), build the seed corpus
# in BUILDDIR/fuzz/corpus-NAME, fuzz for SECONDS, and print one line.
# Exits 1 if any target crashed, leaked, hung or ran out of memory; the
# input that did it is in BUILDDIR/fuzz/artifacts-NAME/ and the whole
# output in BUILDDIR/fuzz/NAME.log.
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 BUILDDIR SECONDS" >&2
	exit 2
fi
top=$(cd "$(dirname "$0")/.." && pwd) || exit 2
build=$(cd "$1" && pwd) || exit 2
secs=$2
case $secs in
''|*[!0-9]*) echo "run.sh: SECONDS must be a number" >&2; exit 2 ;;
esac

# The seed corpus of one target: the files in fuzz/seeds-NAME/, if any,
# and what its case below makes.
seed() {
	name=$1
	corpus=$2
	if [ -d "$top/fuzz/seeds-$name" ]; then
		cp "$top/fuzz/seeds-$name"/* "$corpus"/ 2>/dev/null
	fi
	case $name in
	decode)
		set --
		for d in "$top/pcaps" "$build/pcaps" "$top/tests/blind"; do
			[ "$d" = "$build/pcaps" ] && [ "$build" = "$top" ] &&
			    continue
			for f in "$d"/*.pcap "$d"/*.pcapng; do
				[ -f "$f" ] && set -- "$@" "$f"
			done
		done
		"$build/fuzz/seeds" decode "$corpus" "$@"
		;;
	pcapng)
		# ours, and gopacket's test suite where its package is in
		for f in "$top"/pcaps/*.pcapng \
		    /usr/share/gocode/src/github.com/gopacket/gopacket/pcapgo/tests/*/*.pcapng; do
			[ -f "$f" ] && cp "$f" \
			    "$corpus/$(basename "$(dirname "$f")")-${f##*/}"
		done
		;;
	json)
		# a head (which fields), then names split at NUL bytes
		printf '\377\377\377\012\024\001\013\313\000\161\007\006\001\273\024\005\003\000\100\007\001\002\105\003api.example\000t13d\000TLSv1.3\000h2\000GET\000host\000/p\000ua\000api.example\000a,b\000grp\000rule\000file.conf\000Org' \
		    >"$corpus/json-all"
		printf '\001\001\101\012\024\001\013\313\000\161\007\021\000\065\000\001\001\000\000\000\000\000\000\000\000\377\376\300\200\355\240\200\n"\\' \
		    >"$corpus/json-bad-utf8"
		;;
	syslog)
		# action/severity, then names split at NUL bytes
		printf '\215a]b"c\\d\nx.example\000r|u=le\000g\000ch\000q\377.example\000Org\302\205\000msg\r\n<13>1 x' \
		    >"$corpus/syslog-hostile"
		printf '{"@timestamp":"2026-01-01T00:00:00.000000Z","event":{"action":"a b","severity":9},"message":"x\\u0000y"}' \
		    >"$corpus/syslog-line"
		;;
	conf)
		for f in "$top"/tests/conf/*.conf "$top"/conf/egressd.conf; do
			[ -f "$f" ] && cp "$f" "$corpus/conf-${f##*/}"
		done
		;;
	esac
}

# The value of "key: value" in the last libFuzzer status line of a log.
last_status() {
	grep -E '^#[0-9]+' "$2" | grep "$1:" | tail -n 1 |
	    sed -n "s/.*[[:space:]]$1: *\([0-9a-zA-Z]*\).*/\1/p"
}

# A final-stats value (-print_final_stats) from a log.
final_stat() {
	sed -n "s/^stat::$1: *//p" "$2" | tail -n 1
}

# What went wrong, in a few words, from a failed run's log.
failure() {
	s=$(grep -m 1 '^SUMMARY: ' "$1" | sed 's/^SUMMARY: //')
	if grep -q 'ERROR: libFuzzer: timeout' "$1"; then
		echo "timeout"
	elif grep -q 'ERROR: libFuzzer: out-of-memory' "$1"; then
		echo "out of memory"
	elif grep -q 'invariant failed' "$1"; then
		grep -m 1 'invariant failed' "$1"
	elif [ -n "$s" ]; then
		echo "$s"
	else
		grep -m 1 'ERROR: ' "$1" || echo "exit status $3"
	fi
}

# Print the report part of a failed run's log, indented.
excerpt() {
	sed -n '/ERROR\|runtime error\|invariant failed/,$p' "$1" |
	    grep -v '^MS: \|^stat::\|^base unit' | head -n 60 |
	    sed 's/ (BuildId: [0-9a-f]*)//; s/^/    /'
}

ntargets=0
nfailed=0
for bin in "$build"/fuzz/fuzz_*; do
	case $bin in
	*.o|*.c|*.h|*.log) continue ;;
	esac
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	name=${bin##*/fuzz_}
	ntargets=$((ntargets + 1))
	corpus=$build/fuzz/corpus-$name
	art=$build/fuzz/artifacts-$name/
	log=$build/fuzz/$name.log
	mkdir -p "$corpus" "$art"
	export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
	export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"

	set --
	for f in "$top"/fuzz/crashes/"$name"-*; do
		[ -f "$f" ] && set -- "$@" "$f"
	done
	nrepro=$#
	if [ $# -gt 0 ] && ! "$bin" -runs=1 "$@" >"$log" 2>&1; then
		echo "fuzz_$name: FAIL replaying fuzz/crashes:" \
		    "$(failure "$log" 1)"
		excerpt "$log"
		nfailed=$((nfailed + 1))
		continue
	fi

	if ! seed "$name" "$corpus" >"$build/fuzz/$name-seeds.log" 2>&1; then
		echo "fuzz_$name: FAIL building the seed corpus, see" \
		    "$build/fuzz/$name-seeds.log"
		nfailed=$((nfailed + 1))
		continue
	fi
	nseeds=$(ls "$corpus" | wc -l)

	set --
	[ -f "$top/fuzz/fuzz_$name.dict" ] &&
	    set -- -dict="$top/fuzz/fuzz_$name.dict"
	"$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
	    -print_final_stats=1 -artifact_prefix="$art" "$@" "$corpus" \
	    >"$log" 2>&1
	rc=$?
	runs=$(final_stat number_of_executed_units "$log")
	speed=$(final_stat average_exec_per_sec "$log")
	rss=$(final_stat peak_rss_mb "$log")
	cov=$(last_status cov "$log")
	ft=$(last_status ft "$log")
	corp=$(last_status corp "$log")
	if [ $rc -eq 0 ]; then
		echo "fuzz_$name: ok, ${runs:-?} runs in ${secs} s" \
		    "(${speed:-?} exec/s), cov ${cov:-?} ft ${ft:-?}," \
		    "corpus ${corp:-?} (from ${nseeds} files)," \
		    "rss ${rss:-?} MB, ${nrepro} reproducers replayed"
		continue
	fi
	nfailed=$((nfailed + 1))
	unit=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" |
	    tail -n 1)
	echo "fuzz_$name: FAIL ($(failure "$log" $rc)) after ${runs:-?} runs;" \
	    "input ${unit:-none saved}; log $log"
	excerpt "$log"
done

if [ $ntargets -eq 0 ]; then
	echo "run.sh: no fuzz targets in $build/fuzz" \
	    "(configure with --enable-sanitizers --enable-fuzzing)" >&2
	exit 1
fi
[ $nfailed -eq 0 ] || exit 1
exit 0
