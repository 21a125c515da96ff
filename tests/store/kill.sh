#!/bin/sh
# kill -9 during a heavy write (a flow-heavy capture, every destination
# unapproved so every flow is an alert too, batches of 2,000 rows), at
# several moments.  Each time the store must pass PRAGMA integrity_check,
# hold whole batches only (the run's totals, updated in each batch's
# transaction, equal what the tables hold), hold exactly the first k
# batches of a complete run of the same capture (batches are decided by
# the packet path alone, so the same in both runs: egressd -vv logs the
# totals after each commit), and lose no more than the batches not yet
# committed: the one being filled, STORE_QUEUE_MAX (2) waiting and the
# one being written.  Then egressd refuses to read the capture again
# without --force, and egressctl reads the store.
set -u
. "${top_srcdir:-.}/tests/store/common.sh"
need sqlite3
"$pcapgen" bench-flows "$tmp/heavy.pcap" -n 300000 -f 40000 >/dev/null ||
    exit 99
printf 'internal { 10.0.0.0/8, fd00::/8 }\ndatabase-batch-rows 2000\ndatabase-batch-interval 1d\n' \
    >"$tmp/heavy.conf"

"$egressd" -vv -c "$tmp/heavy.conf" -r "$tmp/heavy.pcap" -w "$tmp/full.db" \
    >/dev/null 2>"$tmp/full.log" || { cat "$tmp/full.log"; exit 1; }
sed -n 's/.*committed: \([0-9]*\) batches, \([0-9]*\) records, \([0-9]*\) alerts in all/\1 \2 \3/p' \
    "$tmp/full.log" >"$tmp/commits"
total=$(wc -l <"$tmp/commits")
[ "$total" -ge 10 ] || fail "only $total batches in the complete run"

for delay in 0.05 0.6 1.0 1.4 1.8 2.5; do
	db=$tmp/k.db
	rm -f "$db" "$db-wal" "$db-shm"
	"$egressd" -vv -c "$tmp/heavy.conf" -r "$tmp/heavy.pcap" -w "$db" \
	    >/dev/null 2>"$tmp/k.log" &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [ ! -f "$db" ]; then
		echo "killed after $delay s: before the store was created"
		continue
	fi
	ic=$(q "$db" "PRAGMA integrity_check" 2>&1)
	[ "$ic" = ok ] || { fail "$delay s: integrity_check: $ic"; continue; }
	if [ "$(q "$db" "PRAGMA user_version")" = 0 ]; then
		echo "killed after $delay s: before the schema was committed"
		continue
	fi
	set -- $(q "$db" "SELECT batches, records, alerts FROM runs WHERE id = 1" |
	    tr '|' ' ')
	b=${1:-0} r=${2:-0} a=${3:-0}
	[ "$(q "$db" "SELECT coalesce(sum(records), 0) FROM flows")" = "$r" ] ||
	    fail "$delay s: flows hold $(q "$db" "SELECT sum(records) FROM flows") records, the run says $r"
	[ "$(q "$db" "SELECT count(*) FROM alerts")" = "$a" ] ||
	    fail "$delay s: $(q "$db" "SELECT count(*) FROM alerts") alerts, the run says $a"
	if [ "$b" -gt 0 ] && ! grep -qx "$b $r $a" "$tmp/commits"; then
		fail "$delay s: $b batches, $r records, $a alerts is not a prefix of the complete run"
	fi
	handed=$(sed -n 's/.*store: batch \([0-9]*\) handed over.*/\1/p' \
	    "$tmp/k.log" | tail -n 1)
	handed=${handed:-0}
	[ "$b" -ge $((handed - 3)) ] ||
	    fail "$delay s: $handed batches handed over, only $b committed"
	echo "killed after $delay s: $b of $total batches committed ($handed handed over), integrity ok"
	if [ "$b" -gt 0 ] && [ "$b" -lt "$total" ]; then
		"$egressd" -c "$tmp/heavy.conf" -r "$tmp/heavy.pcap" -w "$db" \
		    >/dev/null 2>"$tmp/again.log"
		grep -q "read only in part" "$tmp/again.log" ||
		    fail "$delay s: a capture read in part was read again: $(cat "$tmp/again.log")"
	fi
	"$egressctl" -w "$db" stats >/dev/null 2>"$tmp/ctl.err" ||
	    fail "$delay s: egressctl stats: $(cat "$tmp/ctl.err")"
done
exit $fail
