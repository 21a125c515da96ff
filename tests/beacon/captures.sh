#!/bin/sh
# The beacon scenario matrix as captures, end to end: for every scenario of
# "pcapgen beacon list" and every seed, pcapgen writes the capture (one site,
# one behaviour of appliance 10.20.1.21, a little background from camera
# .11), egressd reads it with the demo ASN and country databases, and jq
# checks the outcome:
#   alert     at least one beacon alert from the appliance (with the
#             grouping the scenario names, when it names one);
#   none      no beacon alert from the appliance;
#   approved  (with tests/beacon/approved.conf) no beacon alert, and the
#             summary's beacons section records the series as approved.
# In every run a beacon alert from any other host is a false alert.
# Prints the matrix (scenario, seeds, detected, median check-ins to detect
# = egressd.beacon.beats of the first alert, false alerts) and the totals;
# exits 1 when an expectation fails, except the known failures below,
# which are printed as "known, not counted" with their reason.
#
# DHCP renewals are not a scenario: DHCP is a broadcast exchange with a
# server on the local link, never an outside address, so it makes no beats.
#
# BEACAP_SEEDS="1 2 3" changes the seeds (default 1 to 5).
set -u
srcdir=${top_srcdir:-.}
builddir=$(cd "${top_builddir:-.}" && pwd)
egressd=$builddir/src/egressd
pcapgen=$builddir/pcaps/pcapgen
conf=$srcdir/tests/beacon/approved.conf
dbs="--asn-db $srcdir/pcaps/asn.mmdb --country-db $srcdir/pcaps/country.mmdb"
seeds=${BEACAP_SEEDS:-1 2 3 4 5}
command -v jq >/dev/null 2>&1 || { echo "no jq: skip"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# Known failures, "scenario:seed", and why (none at present; the one miss
# seen, 50% jitter with 30% missed, falls within the 1 in 5 every scenario
# to find is allowed).  They are run and shown; they do not fail the test.
known=""

# The reason a scenario's runs are known to fail.
known_reason() {
	case $1 in
	cs60-j50-m30)
		echo "the statistic's tail: 50% jitter with 30% missed is found" \
		    "in about 19 runs of 20 within 6 h; the same times fed" \
		    "straight to beacon_beat() do not alert either" ;;
	esac
}

# Is scenario:seed a known failure?
is_known() {
	case " $known " in
	*" $1:$2 "*) return 0 ;;
	esac
	return 1
}

# The median of the numbers on stdin, or "-".
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-";
	    else if (NR % 2) print v[(NR + 1) / 2];
	    else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

status=0
tolerated=
runs=0
alert_runs=0
detected_runs=0
false_total=0
false_known=0
known_runs=0
: >"$tmp/allbeats"
: >"$tmp/knownlist"
printf '%-15s %-8s %-5s %5s %8s %9s %-8s %5s  %s\n' scenario expect group \
    seeds detected "med.beats" "found by" false result
"$pcapgen" beacon list >"$tmp/list" || exit 99
while IFS='	' read -r name expect group app what; do
	n=0 det=0 false=0 fails="" knowns="" passed="" misses=""
	: >"$tmp/beats"
	: >"$tmp/groups"
	for seed in $seeds; do
		n=$((n + 1))
		runs=$((runs + 1))
		cap=$tmp/cap.pcap
		if ! "$pcapgen" beacon "$name" "$seed" "$cap"; then
			fails="$fails $seed(pcapgen)"
			continue
		fi
		rm -f "$tmp/out.json"	# -j appends
		set -- -r "$cap" -j "$tmp/out.json"
		[ "$expect" = approved ] && set -- "$@" -c "$conf"
		# shellcheck disable=SC2086
		if ! "$egressd" "$@" $dbs >"$tmp/summary" 2>"$tmp/err" ||
		    [ -s "$tmp/err" ]; then
			cat "$tmp/err"
			fails="$fails $seed(egressd)"
			continue
		fi
		jq -r --arg app "$app" 'select(.event.kind == "alert" and
		    .event.action == "beacon") | [(if .source.ip == $app
		    then "app" else "other" end), .egressd.beacon.group_by,
		    .egressd.beacon.beats, .source.ip] | @tsv' \
		    "$tmp/out.json" >"$tmp/alerts"
		mine=$(awk '$1 == "app"' "$tmp/alerts" | wc -l)
		other=$(awk '$1 == "other"' "$tmp/alerts" | wc -l)
		ok=1
		false=$((false + other))
		[ "$other" -eq 0 ] || ok=0
		case $expect in
		alert)
			alert_runs=$((alert_runs + 1))
			first=$(awk -v g="$group" '$1 == "app" &&
			    (g == "-" || $2 == g) { print $3, $2; exit }' \
			    "$tmp/alerts")
			if [ -n "$first" ]; then
				det=$((det + 1))
				echo "${first% *}" >>"$tmp/beats"
				echo "${first#* }" >>"$tmp/groups"
			else
				ok=0
			fi ;;
		none)
			false=$((false + mine))
			[ "$mine" -eq 0 ] || ok=0 ;;
		approved)
			false=$((false + mine))
			[ "$mine" -eq 0 ] || ok=0
			if grep -q "^$app .*approved (recorded)\$" \
			    "$tmp/summary"; then
				det=$((det + 1))
			else
				ok=0
			fi ;;
		esac
		if [ "$ok" -eq 1 ]; then
			is_known "$name" "$seed" && passed="$passed $seed"
			continue
		fi
		if is_known "$name" "$seed"; then
			knowns="$knowns $seed"
			known_runs=$((known_runs + 1))
			[ "$expect" = alert ] || false_known=$((false_known +
			    mine))
		elif [ "$other" -eq 0 ] && { [ "$expect" = alert ] ||
		    { [ "$expect" = approved ] && [ "$mine" -eq 0 ]; }; }; then
			misses="$misses $seed"	# not found (in time)
		else
			fails="$fails $seed"
		fi
	done
	# Finding is statistical: a scenario to find may miss one seed in
	# five (the in-repo matrix asks 95% of 20); a false alert never.
	nm=$(echo $misses | wc -w)
	if [ "$nm" -gt $((n / 5)) ]; then
		fails="$fails$misses"
	elif [ "$nm" -gt 0 ]; then
		tolerated="$tolerated $name:$misses"
	fi
	cat "$tmp/beats" >>"$tmp/allbeats"
	[ "$expect" = alert ] && detected_runs=$((detected_runs + det))
	false_total=$((false_total + false))
	case $expect in
	none)	shown=- ;;
	*)	shown="$det/$n" ;;
	esac
	result=ok
	[ -n "$misses" ] && [ -z "$fails" ] &&
	    result="ok (not found in seed$misses: within 1 in 5)"
	if [ -n "$knowns" ]; then
		result="known, not counted (seed$knowns)"
		echo "$name:$(known_reason "$name")" >>"$tmp/knownlist"
	fi
	[ -n "$passed" ] && result="$result; known failure passed" \
	    "(seed$passed): update the list"
	if [ -n "$fails" ]; then
		result="FAIL (seed$fails)"
		status=1
	fi
	by=$(sort -u "$tmp/groups" | paste -sd, -)
	printf '%-15s %-8s %-5s %5s %8s %9s %-8s %5s  %s\n' "$name" \
	    "$expect" "$group" "$n" "$shown" "$(median <"$tmp/beats")" \
	    "${by:--}" "$false" "$result"
done <"$tmp/list"

echo
echo "runs: $runs; must alert: $detected_runs of $alert_runs detected" \
    "($(awk -v d="$detected_runs" -v a="$alert_runs" \
    'BEGIN { printf "%.1f%%", a ? 100 * d / a : 0 }'))"
echo "false alerts: $false_total ($false_known of them known);" \
    "median check-ins to detect: $(median <"$tmp/allbeats")"
echo "misses within 1 seed in 5:${tolerated:- none}"
echo "known failures, not counted: $known_runs runs"
sort -u "$tmp/knownlist" | while IFS=: read -r name why; do
	echo "  $name: $why"
done
[ "$status" -eq 0 ] || echo "FAIL: an expectation failed (see above)"
exit $status
