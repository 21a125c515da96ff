#!/bin/sh
# Which captures are hashed before they are read: only one of a size the
# store holds or this run has begun (egressd -vv says which way each
# went); any other is read at once and hashed beside the reading, and
# its row still gets the file's SHA-256 (sha256sum's) and size.  Two
# different files of the same size are both read, in one run and in two;
# the same file given twice is recognised in one run and in the next;
# --force reads it again; standard input is not hashed.  With --threads
# 1 and 2 alike.
set -u
. "${top_srcdir:-.}/tests/store/common.sh"
need sqlite3 sha256sum
cd "$srcdir" || exit 99

# twin IN OUT: a copy of IN with its last byte (in its last packet's
# data) changed: the same size, a different hash.
twin() {
	cp "$1" "$2" || exit 99
	n=$(wc -c <"$2")
	last=$(tail -c 1 "$2" | od -An -tx1 | tr -d ' ')
	[ "$last" = 78 ] && ch=y || ch=x
	printf '%s' "$ch" | dd of="$2" bs=1 seek=$((n - 1)) conv=notrunc \
	    2>/dev/null || exit 99
}

# rows DB: each capture row as path|size|sha256|state.
rows() {
	q "$1" "SELECT path, size, sha256, state FROM captures ORDER BY id"
}

# row FILE STATE: the row a file read whole should have.
row() {
	echo "$1|$(wc -c <"$1" | tr -d ' ')|$(sha256sum "$1" | cut -d ' ' -f 1)|$2"
}

a=$tmp/a.pcap
b=$tmp/b.pcap
c=$tmp/c.pcap
cp pcaps/site-demo.pcap "$a" || exit 99
twin "$a" "$b"
cp pcaps/policy.pcap "$c" || exit 99
[ "$(wc -c <"$a")" = "$(wc -c <"$b")" ] || exit 99
cmp -s "$a" "$b" && exit 99
[ "$(wc -c <"$a")" = "$(wc -c <"$c")" ] && exit 99

for n in 1 2; do
	db=$tmp/t$n.db

	# A new store: a is new, hashed while read; its row is sha256sum's.
	"$egressd" -vv --threads $n -r "$a" -w "$db" >/dev/null \
	    2>"$tmp/err1" || fail "$n: a: exit $?"
	grep -q "a.pcap: no capture of [0-9]* bytes in the store or this run: new, hashed while it is read" \
	    "$tmp/err1" || fail "$n: a new capture was not read at once"
	row "$a" done >"$tmp/want"
	rows "$db" | diff -u "$tmp/want" - || fail "$n: a's row"

	# b, the same size: hashed first, not a, so read; then c, new.
	"$egressd" -vv --threads $n -r "$b" "$c" -w "$db" >/dev/null \
	    2>"$tmp/err2" || fail "$n: b c: exit $?"
	grep -q "b.pcap: a capture of [0-9]* bytes is in the store or this run: hashed before it is read" \
	    "$tmp/err2" || fail "$n: b, a's size, was not hashed first"
	grep -q "c.pcap: no capture of .*: new, hashed while it is read" \
	    "$tmp/err2" || fail "$n: c, a new size, was not read at once"
	grep -q "already\|given before" "$tmp/err2" &&
	    fail "$n: b or c taken for one read before: $(cat "$tmp/err2")"
	{ row "$a" done; row "$b" done; row "$c" done; } >"$tmp/want"
	rows "$db" | diff -u "$tmp/want" - || fail "$n: a b c rows"

	# All three again: each recognised, nothing added.
	q "$db" "SELECT sum(records) FROM flows" >"$tmp/rec1"
	for f in "$a" "$b" "$c"; do
		"$egressd" --threads $n -r "$f" -w "$db" >/dev/null \
		    2>"$tmp/err3" || fail "$n: again: exit $?"
		grep -q "$(basename "$f"): in .*t$n.db already (read by run [12]); not read again" \
		    "$tmp/err3" || fail "$n: $f not recognised: $(cat "$tmp/err3")"
	done
	q "$db" "SELECT sum(records) FROM flows" | diff - "$tmp/rec1" >/dev/null ||
	    fail "$n: reading known captures again added records"
	[ "$(q "$db" "SELECT count(*) FROM captures")" = 3 ] ||
	    fail "$n: capture rows added for known captures"

	# --force: read again, its records doubled.
	"$egressd" -v --threads $n -r "$a" -w "$db" --force >/dev/null \
	    2>"$tmp/err4" || fail "$n: --force: exit $?"
	grep -q "a.pcap: in .* already; read again (--force)" "$tmp/err4" ||
	    fail "$n: --force said: $(cat "$tmp/err4")"
	[ "$(q "$db" "SELECT count(*) FROM captures WHERE sha256 =
	    '$(sha256sum "$a" | cut -d ' ' -f 1)' AND state = 'done'")" = 2 ] ||
	    fail "$n: --force did not read a again"

	# One run, a new store: a, b (a's size, not a), a again (known).
	db=$tmp/one$n.db
	"$egressd" -vv --threads $n -r "$a" "$b" "$a" -w "$db" >/dev/null \
	    2>"$tmp/err5" || fail "$n: a b a: exit $?"
	[ "$(grep -c "hashed before it is read" "$tmp/err5")" = 2 ] ||
	    fail "$n: a b a: not b and the second a hashed first"
	[ "$(grep -c "given before in this run; not read twice" \
	    "$tmp/err5")" = 1 ] || fail "$n: a b a: the second a not known"
	{ row "$a" done; row "$b" done; } >"$tmp/want"
	rows "$db" | diff -u "$tmp/want" - || fail "$n: a b a rows"

	# Standard input: no hash, no size.
	db=$tmp/pipe$n.db
	"$egressd" --threads $n -r - -w "$db" <"$a" >/dev/null 2>&1 ||
	    fail "$n: -r -: exit $?"
	[ "$(rows "$db")" = "-|||done" ] ||
	    fail "$n: -r -: $(rows "$db")"

	# A FIFO: read, not hashed (hashing it first emptied it: the
	# previous code stored a capture of no packets).
	db=$tmp/fifo$n.db
	rm -f "$tmp/fifo"
	mkfifo "$tmp/fifo" || { echo "mkfifo failed"; exit 99; }
	cat "$a" >"$tmp/fifo" &
	"$egressd" --threads $n -r "$tmp/fifo" -w "$db" >/dev/null 2>&1 ||
	    fail "$n: a FIFO: exit $?"
	wait
	[ "$(rows "$db")" = "$tmp/fifo|||done" ] ||
	    fail "$n: a FIFO: $(rows "$db")"
	[ "$(q "$db" "SELECT packets FROM captures")" = \
	    "$(q "$tmp/pipe$n.db" "SELECT packets FROM captures")" ] ||
	    fail "$n: a FIFO: $(q "$db" "SELECT packets FROM captures") packets, not as -r -"
done

# The same flows with one thread or two.
for f in t one pipe; do
	for n in 1 2; do
		q "$tmp/$f$n.db" "SELECT a.address, d.address, f.hour,
		    f.transport, f.port, f.verdict, f.flows, f.records,
		    f.bytes_out, f.bytes_in FROM flows f
		    JOIN appliances a ON a.id = f.appliance
		    JOIN destinations d ON d.id = f.destination
		    ORDER BY 1, 2, 3, 4, 5, 6" >"$tmp/$f$n.flows"
	done
	[ -s "$tmp/${f}1.flows" ] || fail "$f: no flows"
	cmp -s "$tmp/${f}1.flows" "$tmp/${f}2.flows" ||
	    fail "$f: --threads 1 and 2 stored different flows"
done
exit $fail
