#!/bin/sh
# Retention: two days of office hours (pcapgen beacon office-hours: a
# call-home every 5 min from 08:00 to 18:00, DNS beside it) into a store
# that keeps 12 hours and one that keeps 90 days.  The first holds no
# flow row whose hour ended, and no alert, name, series, appliance or
# destination last seen, before the newest packet time less 12 hours;
# the second still holds them (so the test can fail).
set -u
. "${top_srcdir:-.}/tests/store/common.sh"
need sqlite3
"$pcapgen" beacon office-hours 1 "$tmp/oh.pcap" >/dev/null 2>&1 || exit 99
for keep in 12h 90d; do
	printf 'internal { 10.0.0.0/8 }\ndatabase-retention %s\ndatabase-batch-interval 10m\n' \
	    "$keep" >"$tmp/$keep.conf"
	"$egressd" -c "$tmp/$keep.conf" -r "$tmp/oh.pcap" -w "$tmp/$keep.db" \
	    >/dev/null 2>"$tmp/err" || fail "egressd ($keep): $(cat "$tmp/err")"
done
newest=$(q "$tmp/12h.db" "SELECT max(last_ts) FROM runs")
span=$(q "$tmp/12h.db" "SELECT (max(last_ts) - min(first_ts)) / 3600000000 FROM runs")
[ "$span" -ge 30 ] || fail "the capture spans $span h, not two days"
cut=$((newest - 12 * 3600 * 1000000))
old() {
	q "$1" "SELECT
	    (SELECT count(*) FROM flows WHERE hour <= $cut - 3600000000),
	    (SELECT count(*) FROM alerts WHERE ts < $cut),
	    (SELECT count(*) FROM names WHERE last_seen < $cut),
	    (SELECT count(*) FROM series WHERE last_seen < $cut),
	    (SELECT count(*) FROM appliances WHERE last_seen < $cut),
	    (SELECT count(*) FROM destinations WHERE last_seen < $cut)"
}
[ "$(old "$tmp/12h.db")" = "0|0|0|0|0|0" ] ||
    fail "rows older than 12 h kept (flows|alerts|names|series|appliances|destinations): $(old "$tmp/12h.db")"
set -- $(old "$tmp/90d.db" | tr '|' ' ')
[ "$1" -gt 0 ] && [ "$3" -gt 0 ] && [ "$6" -gt 0 ] ||
    fail "the 90-day store lacks old rows: $*"
n12=$(q "$tmp/12h.db" "SELECT count(*) FROM flows")
n90=$(q "$tmp/90d.db" "SELECT count(*) FROM flows")
[ "$n12" -gt 0 ] && [ "$n12" -lt "$n90" ] ||
    fail "flow rows: $n12 kept 12 h, $n90 kept 90 d"
[ "$(q "$tmp/12h.db" "PRAGMA integrity_check")" = ok ] || fail "integrity"
echo "12 h: $n12 flow rows; 90 d: $n90; old rows in the 90-day store: $*"
exit $fail
