#!/bin/sh
# Judge the beacon detector by real traffic: for every line of
# tests/real/callhomes.tsv whose capture is present under
# ${EGRESSD_CAPTURES:-/work/captures}, run egressd on the capture and decide
# from its JSON alerts whether it found the call-home (expected alert),
# recorded it as approved (expected approved), or kept quiet (expected
# none).  The captures are public ones, measured by hand with tshark
# (tests/real/SOURCES.md); none of them is in the repository.
#
# How egressd is run: for a line with an appliance, with a policy made for
# it, whose only group is that appliance and whose internal network is the
# appliance alone, so that its every peer (often a private address in a
# lab capture) is an outside destination:
#     internal { APPLIANCE/32 }
#     group "appliance" { hosts { APPLIANCE } }
# plus, for the approved lines of the appliance, "ntp-servers { DEST }"
# (port 123) or "allow to DEST" in the group.  Every other host of the
# capture is then outside the site: with a policy, only a member of a group
# or a host of the internal networks is an appliance whose flows and
# look-ups the detectors judge (alert_appliance), so a flow between two
# other hosts (test7-malicious: 192.168.2.1 to 192.168.2.12) raises no
# beacon, where it did when the side that opened a flow was taken for the
# appliance.  The alerts are still read for the line's appliance only.  A line whose appliance is
# "*" runs in audit mode (no policy: every private host is an appliance).
# One run per capture and appliance, with the demo ASN and country
# databases; a .gz capture is decompressed to a temporary file first.
#
# Decisions, from the beacon and DNS alerts (event.action "beacon",
# "dns-tunnel" or "dns-poll") of the run:
#   found     an alert whose source.ip is the appliance and whose
#             destination.ip or destination.domain is the line's
#             destination or name; "beats" is egressd.beacon.beats of the
#             first such alert (check-ins to detect; for a tunnel, the
#             unique names it had counted, and "found(tunnel)"; for a
#             poll of one name, the re-asks, and "found(poll)"; a tunnel
#             first and a poll too, "found(tunnel,poll)")
#   missed    none (expected alert)
#   approved  expected approved: no such alert, and the summary's beacons
#             section records the appliance's series as "approved"
#   unrecorded expected approved: no alert, but no periodic series
#             recorded either (the detector did not find the timer)
#   quiet     expected none: no alert from the appliance (to the
#             destination, or to anything when it is "*")
#   FALSE     expected none or approved, and an alert came
# Every other beacon alert of a run (to a destination no alert or approved
# line of the capture and appliance names) is a false alert, listed.
#
# Prints the table and the totals (found N of M, false alerts K).  Exit 0,
# or 77 when no capture is present.  Not part of "make check": a tool for
# the detector's developers.  Usage, from the top of a build:
#   sh tests/real/callhomes.sh [-k DIR] [ID ...]
# -k DIR keeps each run's policy, JSON and summary in DIR; IDs pick lines.
set -u
srcdir=$(cd "${top_srcdir:-.}" && pwd)
builddir=$(cd "${top_builddir:-.}" && pwd)
egressd=${EGRESSD:-$builddir/src/egressd}
caps=${EGRESSD_CAPTURES:-/work/captures}
tsv=$srcdir/tests/real/callhomes.tsv
dbs="--asn-db $srcdir/pcaps/asn.mmdb --country-db $srcdir/pcaps/country.mmdb"
keep=
if [ "${1:-}" = -k ]; then
	keep=$2
	shift 2
	mkdir -p "$keep" || exit 99
fi
for t in jq awk; do
	command -v $t >/dev/null 2>&1 || { echo "no $t: skip"; exit 77; }
done
[ -x "$egressd" ] || { echo "no $egressd: build it first"; exit 99; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# The lines asked for, whose capture is here.
grep -v '^#' "$tsv" | awk -F'\t' 'NF >= 13' >"$tmp/all"
if [ $# -gt 0 ]; then
	for id in "$@"; do
		awk -F'\t' -v id="$id" '$1 == id' "$tmp/all"
	done >"$tmp/lines"
else
	cp "$tmp/all" "$tmp/lines"
fi
: >"$tmp/present"
while IFS='	' read -r id cap rest; do
	if [ -f "$caps/$cap" ]; then
		printf '%s\t%s\t%s\n' "$id" "$cap" "$rest" >>"$tmp/present"
	fi
done <"$tmp/lines"
total=$(wc -l <"$tmp/lines")
present=$(wc -l <"$tmp/present")
if [ "$present" -eq 0 ]; then
	echo "no capture of tests/real/callhomes.tsv under $caps: skip" \
	    "(EGRESSD_CAPTURES names the directory; SOURCES.md says where" \
	    "each comes from)"
	exit 77
fi

# run CAPTURE APPLIANCE: egressd on the capture with the appliance's
# policy; leaves $tmp/run/out.json and $tmp/run/summary.
run() {
	cap=$1 app=$2
	rm -rf "$tmp/run"
	mkdir "$tmp/run"
	file=$caps/$cap
	case $cap in
	*.gz)	gzip -dc "$file" >"$tmp/run/capture" || return 1
		file=$tmp/run/capture ;;
	esac
	set -- -r "$file" -j "$tmp/run/out.json"
	if [ "$app" != "*" ]; then
		case $app in
		*:*)	plen=128 ;;
		*)	plen=32 ;;
		esac
		{
			echo "internal { $app/$plen }"
			awk -F'\t' -v cap="$cap" -v app="$app" '$2 == cap &&
			    $3 == app && $13 == "approved" && $7 == 123 {
			    print "ntp-servers { " $4 " }" }' "$tmp/present"
			echo "group \"appliance\" {"
			echo "	hosts { $app }"
			awk -F'\t' -v cap="$cap" -v app="$app" '$2 == cap &&
			    $3 == app && $13 == "approved" && $7 != 123 {
			    print "\tallow to " $4 }' "$tmp/present"
			echo "}"
		} >"$tmp/run/policy.conf"
		set -- "$@" -c "$tmp/run/policy.conf"
	fi
	# shellcheck disable=SC2086
	"$egressd" "$@" $dbs >"$tmp/run/summary" 2>"$tmp/run/err"
	st=$?
	if [ -n "$keep" ]; then
		d=$keep/$(echo "$cap" | tr '/' '_')-$(echo "$app" | tr ':*' '_A')
		mkdir -p "$d" && cp "$tmp/run/out.json" "$tmp/run/summary" \
		    "$tmp/run/err" "$d"/ 2>/dev/null
		[ -f "$tmp/run/policy.conf" ] && cp "$tmp/run/policy.conf" "$d"/
	fi
	[ "$st" -eq 0 ] || { sed 's/^/    egressd: /' "$tmp/run/err"; return 1; }
	jq -r 'select(.event.action == "beacon" or
	    .event.action == "dns-tunnel" or .event.action == "dns-poll") |
	    [.source.ip,
	    (.destination.ip // "-"), (.destination.domain // "-"),
	    (.egressd.beacon.beats // .egressd.dns_tunnel.names //
	    .egressd.dns_poll.polls),
	    (.egressd.beacon.period_s // 0),
	    (.egressd.beacon.jitter // 0),
	    (.egressd.beacon.group_by //
	    if .event.action == "dns-poll" then "poll" else "tunnel" end),
	    (.destination.port // "-"),
	    (.egressd.beacon.carrier // "dns")] | @tsv' \
	    "$tmp/run/out.json" >"$tmp/run/alerts"
}

# matches APP DEST NAME: the alerts of the run from APP to DEST or NAME
# ("*": to anything), first first.
matches() {
	awk -F'\t' -v app="$1" -v dst="$2" -v name="$3" '
	    function tail(s, t) { return length(s) >= length(t) &&
		substr(s, length(s) - length(t) + 1) == t }
	    (app == "*" || $1 == app) && (dst == "*" || $2 == dst ||
	    (name != "-" && $3 != "-" && (tail($3, "." name) ||
	    $3 == name)))' "$tmp/run/alerts"
}

printf '%-14s %-9s %-16s %10s %6s %6s  %-10s %5s %9s  %s\n' id expected \
    carrier period jitter checks result beats "egressd.P" kind
found=0 nalert=0 appr=0 nappr=0 quiet=0 nnone=0 false=0 failed=0
: >"$tmp/falselist"
: >"$tmp/done"
# one run per capture and appliance, its lines in file order
cut -f2,3 "$tmp/present" | awk '!seen[$0]++' >"$tmp/runs"
while IFS='	' read -r cap app; do
	if ! run "$cap" "$app"; then
		failed=$((failed + 1))
		echo "$cap ($app): egressd failed" >>"$tmp/falselist"
		continue
	fi
	awk -F'\t' -v cap="$cap" -v app="$app" '$2 == cap && $3 == app' \
	    "$tmp/present" >"$tmp/mine"
	while IFS='	' read -r id _c _a dst name proto dport carrier per \
	    jr jc n exp kind _rest; do
		m=$(matches "$app" "$dst" "$name" | head -1)
		beats=- ep=- res=
		if [ -n "$m" ]; then
			beats=$(echo "$m" | cut -f4)
			ep=$(echo "$m" | cut -f5 | awk '{ printf "%.1f", $1 }')
		fi
		case $exp in
		alert)
			nalert=$((nalert + 1))
			if [ -n "$m" ]; then
				res=found
				case $(echo "$m" | cut -f7) in
				tunnel)
					res="found(tunnel)"
					matches "$app" "$dst" "$name" |
					    cut -f7 | grep -qx poll &&
					    res="found(tunnel,poll)" ;;
				poll)	res="found(poll)" ;;
				esac
				found=$((found + 1))
			else
				res=missed
			fi ;;
		approved)
			nappr=$((nappr + 1))
			if [ -n "$m" ]; then
				res=FALSE
				false=$((false + 1))
			elif grep -q "^$app .*approved (recorded)\$" \
			    "$tmp/run/summary"; then
				res=approved
				appr=$((appr + 1))
			else
				res=unrecorded
			fi ;;
		none)
			nnone=$((nnone + 1))
			c=$(matches "$app" "$dst" "$name" | wc -l)
			if [ "$c" -gt 0 ]; then
				res="FALSE($c)"
				false=$((false + c))
				matches "$app" "$dst" "$name" | awk -F'\t' \
				    -v id="$id" '{ printf "%s: %s -> %s %s " \
				    "port %s, every %.1f s, %s beats (%s)\n",
				    id, $1, $2, $3, $8, $5, $4, $7 }' \
				    >>"$tmp/falselist"
				echo "$cap	$app	*" >>"$tmp/done"
			else
				res=quiet
				quiet=$((quiet + 1))
			fi ;;
		esac
		printf '%-14s %-9s %-16s %10s %6s %6s  %-10s %5s %9s  %s\n' \
		    "$id" "$exp" "$carrier" "$per" "$jr" "$n" "$res" \
		    "$beats" "$ep" "$kind"
	done <"$tmp/mine"
	# the run's other alerts: false, unless a line of this run names them
	# (a "none" line counted its own already)
	grep -qxF "$cap	$app	*" "$tmp/done" && continue
	awk -F'\t' 'NR == FNR { d[$4] = 1; if ($5 != "-") n[$5] = 1
	    app = $3; next }
	    function named(s, k, l) {
		for (k in n) {
			l = length(s) - length(k)
			if (s == k || (l > 0 && substr(s, l) == "." k))
				return 1
		}
		return 0
	    }
	    (app == "*" || $1 == app) && !($2 in d) && !named($3) {
		printf "%s -> %s %s port %s, every %.1f s, %s beats (%s)\n",
		$1, $2, $3, $8, $5, $4, $7 }' "$tmp/mine" "$tmp/run/alerts" |
	    sed "s|^|$(head -1 "$tmp/mine" | cut -f1): |" >"$tmp/other"
	c=$(wc -l <"$tmp/other")
	false=$((false + c))
	cat "$tmp/other" >>"$tmp/falselist"
done <"$tmp/runs"

echo
echo "lines: $present of $total with their capture present (under $caps)"
echo "found $found of $nalert call-homes;" \
    "approved $appr of $nappr; quiet $quiet of $nnone benign"
echo "false alerts: $false"
[ -s "$tmp/falselist" ] && sed 's/^/  /' "$tmp/falselist"
[ "$failed" -eq 0 ] || echo "egressd failed on $failed runs"
exit 0
