#!/bin/sh
# Re-reading: the same capture into the same store adds nothing (it is
# known by its SHA-256; egressd says so and exits 0), --force reads it
# again and the rolled-up counts double; two captures in one -r give the
# same store as in two runs; the same capture twice in one -r is read
# once.  And the writer's thread changes nothing: --threads 1 and 2 give
# the same rows.
set -u
. "${top_srcdir:-.}/tests/store/common.sh"
need sqlite3
cd "$srcdir" || exit 99

# dump DB: every row but the wall-clock columns, in a fixed order.
dump() {
	for t in appliances destinations names flows alerts deliveries \
	    series counters; do
		echo "== $t"
		q "$1" "SELECT * FROM $t ORDER BY 1, 2, 3, 4"
	done
	echo "== captures"
	q "$1" "SELECT run, path, size, sha256, first_ts, last_ts, packets,
	    state FROM captures ORDER BY id"
	echo "== runs"
	q "$1" "SELECT id, mode, source, audit, first_ts, last_ts, batches,
	    records, alerts, dropped FROM runs ORDER BY id"
}

a=pcaps/site-demo.pcap
b=pcaps/policy.pcap
"$egressd" -r "$a" -w "$tmp/one.db" >/dev/null 2>"$tmp/err1" ||
    fail "first read: exit $?"
[ -s "$tmp/err1" ] && fail "first read said: $(cat "$tmp/err1")"
dump "$tmp/one.db" >"$tmp/before"
"$egressd" -r "$a" -w "$tmp/one.db" >/dev/null 2>"$tmp/err2" ||
    fail "second read: exit $?"
grep -q "site-demo.pcap: in .*one.db already (read by run 1); not read again (--force reads it)" \
    "$tmp/err2" || fail "second read did not say it knew the capture: $(cat "$tmp/err2")"
dump "$tmp/one.db" | sed '/^== runs/,$d' >"$tmp/after"
sed '/^== runs/,$d' "$tmp/before" | diff -u - "$tmp/after" >/dev/null ||
    fail "reading the same capture again changed the store"
[ "$(q "$tmp/one.db" "SELECT count(*) FROM captures")" = 1 ] ||
    fail "a second capture row"

"$egressd" -r "$a" -w "$tmp/one.db" --force >/dev/null 2>"$tmp/err3" ||
    fail "--force: exit $?"
r1=$(q "$tmp/one.db" "SELECT sum(records), sum(bytes_out), count(*) FROM flows")
one=$(sed -n '/^== flows/,/^== alerts/p' "$tmp/before" | awk -F'|' 'NF > 5 { r += $9; b += $11; n++ } END { print r, b, n }')
set -- $(echo "$r1" | tr '|' ' ') $one
[ "$1" = $(($4 * 2)) ] && [ "$2" = $(($5 * 2)) ] && [ "$3" = "$6" ] ||
    fail "--force: records, bytes, rows $1 $2 $3; once: $4 $5 $6"
[ "$(q "$tmp/one.db" "SELECT count(*) FROM alerts")" = 4 ] ||
    fail "--force: not two copies of the two alerts"

# Two captures in one run and in two runs: the same rows.
"$egressd" -r "$a" "$b" -w "$tmp/both.db" >/dev/null 2>&1
"$egressd" -r "$a" -w "$tmp/two.db" >/dev/null 2>&1
"$egressd" -r "$b" -w "$tmp/two.db" >/dev/null 2>&1
for f in both two; do
	q "$tmp/$f.db" "SELECT a.address, d.address, f.hour, f.transport,
	    f.port, f.verdict, f.flows, f.records, f.packets_out, f.bytes_out,
	    f.packets_in, f.bytes_in FROM flows f
	    JOIN appliances a ON a.id = f.appliance
	    JOIN destinations d ON d.id = f.destination ORDER BY 1, 2, 3, 4, 5"
done >"$tmp/flows"
sed -n "1,$(($(wc -l <"$tmp/flows") / 2))p" "$tmp/flows" >"$tmp/f1"
sed -n "$(($(wc -l <"$tmp/flows") / 2 + 1)),\$p" "$tmp/flows" >"$tmp/f2"
diff -u "$tmp/f1" "$tmp/f2" >/dev/null ||
    fail "two captures in one run differ from the same in two runs"
[ "$(q "$tmp/both.db" "SELECT count(*) FROM captures WHERE state = 'done'")" = 2 ] ||
    fail "not two captures done"

# The same file twice in one -r: read once.
"$egressd" -r "$a" "$a" -w "$tmp/twice.db" >/dev/null 2>"$tmp/err4"
grep -q "given before in this run" "$tmp/err4" ||
    fail "the same capture twice in one run was not noticed"
[ "$(q "$tmp/twice.db" "SELECT sum(records) FROM flows")" = \
    "$(q "$tmp/one.db" "SELECT sum(records) / 2 FROM flows")" ] ||
    fail "the same capture twice in one run was counted twice"

# One thread or two: the same rows.
for n in 1 2; do
	"$egressd" --threads $n -r "$a" "$b" -w "$tmp/t$n.db" >/dev/null 2>&1
	dump "$tmp/t$n.db" >"$tmp/t$n"
done
diff -u "$tmp/t1" "$tmp/t2" || fail "--threads 1 and 2 give different stores"
exit $fail
