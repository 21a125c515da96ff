#!/bin/sh
# A full disk (as root: a small tmpfs made here).  egressd reads
# pcaps/site-demo.pcap from a pipe into a store on it; the disk fills
# after the store is open and before the packets come.  egressd must say clearly that it cannot
# write, go on reading (its summary is whole), and, once the disk has
# room again (or is writable), say so and write what it kept: every
# alert, and every flow record either stored or counted as dropped
# (runs.dropped; flow rows are let go once two batches wait, alerts
# never).  The store passes integrity_check and egressd exits 0.
set -u
. "${top_srcdir:-.}/tests/store/common.sh"
need sqlite3 python3
[ "$(id -u)" = 0 ] || skip "needs root to mount a tmpfs"
mnt=$tmp/mnt
mkdir "$mnt"
mount -t tmpfs -o size=4m tmpfs "$mnt" 2>/dev/null || skip "cannot mount a tmpfs"
trap 'umount "$mnt" 2>/dev/null; rm -rf "$tmp"' EXIT
cap=$srcdir/pcaps/site-demo.pcap

# The capture in two parts, cut between packets at 60%.
python3 - "$cap" "$tmp/head" "$tmp/tail" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
off, recs = 24, []
while off + 16 <= len(d):
    n = struct.unpack_from("<I", d, off + 8)[0]
    recs.append(off)
    off += 16 + n
cut = recs[len(recs) * 6 // 10]
open(sys.argv[2], "wb").write(d[:cut])
open(sys.argv[3], "wb").write(d[cut:])
PY

# The reference: the same capture through a pipe, on a disk with room.
"$egressd" -r - -w "$tmp/ref.db" <"$cap" >"$tmp/ref.out" 2>/dev/null ||
    exit 99
ref_records=$(q "$tmp/ref.db" "SELECT sum(records) FROM flows")
ref_alerts=$(q "$tmp/ref.db" "SELECT group_concat(id) FROM (SELECT id FROM alerts ORDER BY seq)")

# wait_for FILE PATTERN: until a line matches, at most 30 s.
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 300 ] && return 1
		sleep 0.1
	done
}

for mode in full; do
	db=$mnt/$mode.db
	rm -f "$mnt"/*
	"$egressd" -r "$srcdir/pcaps/link-raw.pcap" -w "$db" >/dev/null 2>&1 ||
	    { fail "$mode: cannot make the store"; continue; }
	rm -f "$tmp/go1" "$tmp/go2"
	{
		while [ ! -e "$tmp/go1" ]; do sleep 0.05; done
		cat "$tmp/head"
		while [ ! -e "$tmp/go2" ]; do sleep 0.05; done
		cat "$tmp/tail"
	} | "$egressd" -r - -w "$db" >"$tmp/$mode.out" 2>"$tmp/$mode.err" &
	pid=$!
	i=0
	while [ "$(q "$db" "SELECT count(*) FROM runs" 2>/dev/null)" != 2 ]; do
		i=$((i + 1))
		[ $i -gt 300 ] && break
		sleep 0.1
	done
	dd if=/dev/zero of="$mnt/fill" bs=4096 >/dev/null 2>&1
	touch "$tmp/go1"
	wait_for "$tmp/$mode.err" "cannot write" ||
	    fail "$mode: no line says the store cannot be written"
	rm -f "$mnt/fill"
	touch "$tmp/go2"
	wait "$pid"
	rc=$?
	[ $rc = 0 ] || fail "$mode: egressd exit $rc: $(cat "$tmp/$mode.err")"
	grep -q "writing again" "$tmp/$mode.err" ||
	    fail "$mode: no line says writing resumed"
	cat "$tmp/$mode.err"
	sed '/^run  /d' "$tmp/$mode.out" >"$tmp/a"
	sed '/^run  /d' "$tmp/ref.out" >"$tmp/b"
	diff -u "$tmp/b" "$tmp/a" >/dev/null ||
	    fail "$mode: the summary differs from a run without the fault"
	[ "$(q "$db" "PRAGMA integrity_check")" = ok ] ||
	    fail "$mode: integrity_check"
	set -- $(q "$db" "SELECT records, dropped FROM runs WHERE id = 2" |
	    tr '|' ' ')
	[ "$(q "$db" "SELECT sum(records) FROM flows")" = \
	    "$(q "$db" "SELECT sum(records) FROM runs")" ] ||
	    fail "$mode: the flow rows do not hold what the runs say"
	[ $((${1:-0} + ${2:-0})) = "$ref_records" ] ||
	    fail "$mode: ${1:-?} records stored and ${2:-?} dropped, $ref_records read"
	[ "$(q "$db" "SELECT group_concat(id) FROM (SELECT id FROM alerts
	    WHERE run = 2 ORDER BY seq)")" = "$ref_alerts" ] ||
	    fail "$mode: the alerts differ from a run without the fault"
	echo "$mode: ${1:-?} records stored, ${2:-?} let go, every alert kept"
done
exit $fail
