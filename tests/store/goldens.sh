#!/bin/sh
# egressctl goldens: every command in every format (table, --csv,
# --json), the filters, and two stores read as one.  Store "site" is
# pcaps/site-demo.pcap in audit mode; store "policy" is pcaps/policy.pcap
# under tests/policy/alerts.conf, with a delivering sink registered
# before its alerts were stored and the first two marked delivered.
# The host and creation time in meta are set to fixed values.  UPDATE_GOLDEN=1
# rewrites tests/store/golden/*.ok (read the diff before committing).
set -u
. "${top_srcdir:-.}/tests/store/common.sh"
need sqlite3
golden=$srcdir/tests/store/golden

cd "$srcdir" || exit 99
"$egressd" -r pcaps/site-demo.pcap -w "$tmp/site.db" >/dev/null 2>"$tmp/err" ||
    { cat "$tmp/err"; exit 1; }
"$egressd" -r pcaps/link-raw.pcap -c tests/policy/alerts.conf \
    -w "$tmp/policy.db" >/dev/null 2>&1
q "$tmp/policy.db" "INSERT INTO outbox_sinks VALUES ('syslog:siem', 0)"
"$egressd" -r pcaps/policy.pcap -c tests/policy/alerts.conf \
    -w "$tmp/policy.db" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
q "$tmp/policy.db" "UPDATE deliveries SET state = 'delivered'
    WHERE alert IN (SELECT alert FROM deliveries ORDER BY alert LIMIT 2)"
for s in site policy; do
	q "$tmp/$s.db" "UPDATE meta SET value = 'sensor-$s' WHERE key = 'sensor';
	    UPDATE meta SET value = '2026-12-01T00:00:00.000000Z'
	    WHERE key = 'created'"
done

# The cases: golden file, store(s), arguments.
cat >"$tmp/cases" <<'CASES'
appliances site appliances
appliances policy appliances
destinations site destinations
destinations policy destinations
destinations policy destinations --verdict unapproved
destinations policy destinations --country KP
destinations site destinations --asn AS64500
destinations site destinations --appliance 10.20.1.12
destinations policy destinations --group faces
names site names
names policy names
alerts site alerts
alerts policy alerts
alerts policy alerts --undelivered
alerts policy alerts --action denied-destination
alerts policy alerts --since 2026-03-02T09:00:25Z --until 2026-03-02T09:01:00Z
alerts policy alerts --since 30s
beacons site beacons
beacons policy beacons
flows site flows --appliance 10.20.1.12
flows site flows --destination mqtt.vendor-cloud.example
flows policy flows
flows site flows --since 2026-03-02T08:00:00Z --until 2026-03-02T08:30:00Z --appliance 10.30.0.21
captures site captures
captures policy captures
stats site stats
stats policy stats
multi site,policy appliances
multi site,policy alerts
multi site,policy captures
multi site,policy stats
CASES

: >"$tmp/names"
while read -r file stores args; do
	grep -qx "$file" "$tmp/names" || echo "$file" >>"$tmp/names"
	w=
	for s in $(echo "$stores" | tr , ' '); do
		w="$w -w $tmp/$s.db"
	done
	for fmt in table csv json; do
		case $fmt in
		table)	f= ;;
		*)	f=--$fmt ;;
		esac
		echo "# egressctl $(echo "$stores" | sed 's/\([^,]*\)/-w \1.db/g; s/,/ /g') $f $args"
		# shellcheck disable=SC2086
		"$egressctl" $w $f $args 2>&1
		echo "# exit $?"
	done | sed 's/\r$//' >>"$tmp/$file.out"
done <"$tmp/cases"

while read -r file; do
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$tmp/$file.out" "$golden/$file.ok"
		echo "updated $golden/$file.ok"
	elif ! diff -u "$golden/$file.ok" "$tmp/$file.out"; then
		fail "egressctl $file differs from tests/store/golden/$file.ok"
	fi
done <"$tmp/names"
exit $fail
