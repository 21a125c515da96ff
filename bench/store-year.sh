#!/bin/sh
#
# bench/store-year.sh: how the audit store grows, and its size after a
# simulated year.  egressd writes one hour of bench-site (200 appliances:
# video to NVRs, DNS, NTP, TLS, access control, call-homes; pcapgen
# bench-site) into a store; the flow rows of its busiest hour are then
# repeated for every hour of a year (the same appliances and
# destinations, hour after hour: what a sensor sees), into copies of that
# store through the same schema, one holding 365 days and one holding
# the 90 days the default retention keeps.  Prints rows and bytes per
# appliance per day and the sizes.  Alerts, names and beacon series are
# left as the capture gave them: their growth is the site's (an alert is
# about 600 bytes).
#
# usage: bench/store-year.sh [-n PACKETS]    (default 5000000)
set -u
LC_ALL=C
export LC_ALL
n=5000000
[ "${1:-}" = -n ] && n=$2
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${top_builddir:-$srcdir}
egressd=$builddir/src/egressd
out=$builddir/bench/out
site=$out/site-$n.pcap
tmp=$(mktemp -d "${TMPDIR:-/tmp}/egressd-year.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
command -v sqlite3 >/dev/null || { echo "sqlite3 missing" >&2; exit 1; }
mkdir -p "$out"
[ -s "$site" ] || "$builddir/pcaps/pcapgen" bench-site "$site" -n "$n" \
    >/dev/null || exit 1
"$egressd" --asn-db "$srcdir/pcaps/asn.mmdb" \
    --country-db "$srcdir/pcaps/country.mmdb" -r - -w "$tmp/day.db" \
    <"$site" >/dev/null || exit 1
q() { sqlite3 -batch "$1" "$2"; }
apps=$(q "$tmp/day.db" "SELECT count(*) FROM appliances")
hours=$(q "$tmp/day.db" "SELECT printf('%.2f', (max(last_ts) - min(first_ts)) / 3600e6) FROM runs")
recs=$(q "$tmp/day.db" "SELECT sum(records) FROM flows")
busiest=$(q "$tmp/day.db" "SELECT hour FROM flows GROUP BY hour ORDER BY count(*) DESC LIMIT 1")
perhour=$(q "$tmp/day.db" "SELECT count(*) FROM flows WHERE hour = $busiest")
echo "bench-site, $n packets: $apps appliances, $hours h of packet time," \
    "$recs flow records, $perhour flow rows in its busiest hour"
awk -v r="$recs" -v h="$hours" -v a="$apps" -v p="$perhour" 'BEGIN {
	printf "rows per appliance per day: %.0f a finished flow each, %.0f rolled up per hour\n",
	    r / h * 24 / a, p * 24 / a }'

# year DAYS FILE: the store with DAYS days of the busiest hour's rows.
year() {
	cp "$tmp/day.db" "$2"
	q "$2" "PRAGMA journal_mode = WAL;
	    CREATE TEMP TABLE one AS SELECT * FROM flows WHERE hour = $busiest;
	    DELETE FROM flows;
	    WITH RECURSIVE h(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM h
	        WHERE k < $1 * 24 - 1)
	    INSERT INTO flows (hour, appliance, destination, transport, port,
	        verdict, flows, records, packets_out, bytes_out, packets_in,
	        bytes_in, first_seen, last_seen, group_name, rule, name,
	        protocol)
	    SELECT hour + k * 3600000000, appliance, destination, transport,
	        port, verdict, flows, records, packets_out, bytes_out,
	        packets_in, bytes_in, first_seen + k * 3600000000,
	        last_seen + k * 3600000000, group_name, rule, name, protocol
	    FROM h, one ORDER BY k, appliance, destination;
	    PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
}
year 365 "$tmp/year.db"
year 90 "$tmp/keep90.db"
for f in year keep90; do
	eval "size_$f=$(wc -c <"$tmp/$f.db")"
	eval "rows_$f=$(q "$tmp/$f.db" "SELECT count(*) FROM flows")"
done
awk -v s="$size_year" -v r="$rows_year" -v a="$apps" -v k="$size_keep90" \
    -v kr="$rows_keep90" 'BEGIN {
	printf "a simulated year: %d flow rows, %.1f MB; %.0f bytes a row (indexes included)\n",
	    r, s / 1e6, s / r
	printf "growth: %.1f kB per appliance per day\n", s / 365 / a / 1e3
	printf "with the default retention (90 d): %d rows, %.1f MB, where it stays (freed pages are reused)\n",
	    kr, k / 1e6 }'
