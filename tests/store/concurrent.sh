#!/bin/sh
# A writer and readers at once: while egressd writes a flow-heavy capture
# in batches, egressctl reads the store again and again (every read must
# succeed, and what it sees only grows), and a reader holds one read
# transaction open for the whole run (WAL: it never blocks the writer,
# so egressd finishes and stores everything; a rollback journal would
# have it wait on the lock and fail).
set -u
. "${top_srcdir:-.}/tests/store/common.sh"
need sqlite3 python3
"$pcapgen" bench-flows "$tmp/heavy.pcap" -n 300000 -f 40000 >/dev/null ||
    exit 99
printf 'database-batch-rows 2000\ndatabase-batch-interval 1d\n' >"$tmp/c.conf"
db=$tmp/c.db
# The store exists before the readers start: a first, small capture.
"$egressd" -c "$tmp/c.conf" -r "$srcdir/pcaps/site-demo.pcap" -w "$db" \
    >/dev/null 2>&1 || exit 99

# The long reader: a read transaction open until told to stop.
python3 - "$db" "$tmp/stop" "$tmp/long.out" <<'PY' &
import os, sqlite3, sys, time
db, stop, out = sys.argv[1:4]
c = sqlite3.connect("file:" + db + "?mode=ro", uri=True, isolation_level=None)
c.execute("BEGIN")
n0 = c.execute("SELECT count(*) FROM flows").fetchone()[0]
while not os.path.exists(stop):
    time.sleep(0.05)
n1 = c.execute("SELECT count(*) FROM flows").fetchone()[0]
c.execute("COMMIT")
open(out, "w").write("%d %d\n" % (n0, n1))
PY
long=$!

"$egressd" -c "$tmp/c.conf" -r "$tmp/heavy.pcap" -w "$db" >/dev/null \
    2>"$tmp/w.err" &
writer=$!
prev=0 reads=0
while kill -0 "$writer" 2>/dev/null; do
	n=$("$egressctl" -w "$db" --csv stats 2>"$tmp/r.err" |
	    sed -n 's/^flows.records,//p')
	if [ -z "$n" ]; then
		fail "egressctl failed beside the writer: $(cat "$tmp/r.err")"
		break
	fi
	[ "$n" -ge "$prev" ] || fail "records went from $prev to $n"
	prev=$n reads=$((reads + 1))
done
wait "$writer" || fail "egressd: exit $?: $(cat "$tmp/w.err")"
touch "$tmp/stop"
wait "$long" || fail "the long reader failed"
set -- $(cat "$tmp/long.out" 2>/dev/null)
[ "${1:-x}" = "${2:-y}" ] ||
    fail "the long reader's snapshot moved: ${1:-?} then ${2:-?} rows"
total=$(q "$db" "SELECT sum(records) FROM runs")
[ "$(q "$db" "SELECT sum(records) FROM flows")" = "$total" ] ||
    fail "the store holds $(q "$db" "SELECT sum(records) FROM flows") records, the runs $total"
[ "$(q "$db" "SELECT batches FROM runs WHERE id = 2")" -gt 10 ] ||
    fail "too few batches to have read between them"
echo "$reads reads beside the writer, the last saw $prev records of $total"
[ "$reads" -ge 3 ] || fail "only $reads reads while egressd wrote"
exit $fail
