#!/bin/sh
# The SHA-256 of a capture hashed beside its reading (filesum.c) is the
# whole file's, sha256sum's, whatever the reading does: read to its end
# (the bytes taken from the reading, only what opening it read taken
# apart), cut in its last record, stopped by a broken record header with
# most of the file unread (the rest read by the hash), pcapng whole and
# cut, and a capture whose hash the writer wants before its end (batches
# of a few rows: the hash then reads the rest itself).  As root, a capture
# only root may read is hashed on the descriptor opened before egressd
# let root go, before its reading and beside it.  With --threads 1 and 2
# alike; a run that hangs fails.  Twelve files in one run are each stored
# with their hash, and peak within 8 MiB of one file (not compared in a
# sanitizer's build).
set -u
. "${top_srcdir:-.}/tests/store/common.sh"
need sqlite3 sha256sum timeout python3
cd "$srcdir" || exit 99

# sum FILE: size|sha256 as the store should hold them.
sum() {
	echo "$(wc -c <"$1" | tr -d ' ')|$(sha256sum "$1" | cut -d ' ' -f 1)"
}

# run N DB ARGS...: egressd -vv into DB, stderr in $tmp/err; its status.
run() {
	rthreads=$1 rdb=$2
	shift 2
	rm -f "$rdb" "$rdb-wal" "$rdb-shm"
	timeout 300 "$egressd" -vv --threads "$rthreads" -w "$rdb" "$@" \
	    >/dev/null 2>"$tmp/err"
}

# stored DB: size|sha256 of the one capture row.
stored() {
	q "$1" "SELECT size, sha256 FROM captures"
}

# apart FILE: the bytes the hash read apart from the reading (-vv).
apart() {
	sed -n "s|^egressd: .*$(basename "$1"): SHA-256 taken, \([0-9]*\) bytes of it read apart from the reading$|\1|p" \
	    "$tmp/err"
}

# A pcap file cut inside its last record, and one whose third record
# header says 4 GB (libpcap stops there, 2.7 MB unread).
whole=$tmp/whole.pcap
cut=$tmp/cut.pcap
broken=$tmp/broken.pcap
cp pcaps/site-demo.pcap "$whole" || exit 99
head -c $(($(wc -c <"$whole") - 7)) "$whole" >"$cut" || exit 99
python3 - "$whole" "$broken" <<'EOF' || exit 99
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
off = 24
for _ in range(2):
    off += 16 + struct.unpack_from("<I", b, off + 8)[0]
struct.pack_into("<I", b, off + 8, 0xfffffff0)
open(sys.argv[2], "wb").write(b)
EOF
ngcut=$tmp/ngcut.pcapng
head -c $(($(wc -c <pcaps/pcapng.pcapng) - 5)) pcaps/pcapng.pcapng \
    >"$ngcut" || exit 99
printf 'internal { 10.0.0.0/8, fd00::/8 }\ndatabase-batch-rows 5\n' \
    >"$tmp/small.conf"

for n in 1 2; do
	db=$tmp/s$n.db

	run $n "$db" -r "$whole" || fail "$n: whole: exit $?"
	grep -q "whole.pcap: .*new, hashed while it is read" "$tmp/err" ||
	    fail "$n: whole: not hashed beside the reading"
	[ "$(stored "$db")" = "$(sum "$whole")" ] ||
	    fail "$n: whole: stored $(stored "$db"), not $(sum "$whole")"
	a=$(apart "$whole")
	[ -n "$a" ] && [ "$a" -le 65536 ] ||
	    fail "$n: whole: ${a:-no} bytes read apart from the reading"

	run $n "$db" -r "$cut"
	[ $? = 1 ] || fail "$n: cut: exit not 1"
	grep -q "cut.pcap: .*the packets before it are kept" "$tmp/err" ||
	    fail "$n: cut: not said cut"
	[ "$(stored "$db")" = "$(sum "$cut")" ] ||
	    fail "$n: cut: stored $(stored "$db"), not $(sum "$cut")"

	run $n "$db" -r "$broken"
	[ $? = 1 ] || fail "$n: broken: exit not 1"
	[ "$(q "$db" "SELECT packets FROM captures")" = 2 ] ||
	    fail "$n: broken: not stopped at the third record"
	[ "$(stored "$db")" = "$(sum "$broken")" ] ||
	    fail "$n: broken: stored $(stored "$db"), not $(sum "$broken")"
	a=$(apart "$broken")
	[ -n "$a" ] && [ "$a" -ge 2000000 ] ||
	    fail "$n: broken: ${a:-no} bytes read apart, not the rest"

	run $n "$db" -r pcaps/pcapng.pcapng || fail "$n: pcapng: exit $?"
	[ "$(stored "$db")" = "$(sum pcaps/pcapng.pcapng)" ] ||
	    fail "$n: pcapng: stored $(stored "$db")"

	run $n "$db" -r "$ngcut"
	[ $? = 1 ] || fail "$n: pcapng cut: exit not 1"
	[ "$(stored "$db")" = "$(sum "$ngcut")" ] ||
	    fail "$n: pcapng cut: stored $(stored "$db")"

	# Wanted before its end: batches of 5 rows.
	run $n "$db" -c "$tmp/small.conf" -r "$whole" ||
	    fail "$n: small batches: exit $?"
	[ "$(grep -c "store: batch .* handed over" "$tmp/err")" -ge 4 ] ||
	    fail "$n: small batches: fewer than 4 batches"
	[ "$(stored "$db")" = "$(sum "$whole")" ] ||
	    fail "$n: small batches: stored $(stored "$db")"
done

# Only root may read it; egressd runs as its own user once it is open.
if [ "$(id -u)" = 0 ] && id egressd >/dev/null 2>&1; then
	priv=$tmp/priv.pcap
	cp "$whole" "$priv" && chmod 600 "$priv" || exit 99
	db=$tmp/priv.db
	run 2 "$db" -r "$priv" || fail "root's: exit $?"
	grep -q "running as egressd" "$tmp/err" ||
	    fail "root's: egressd did not let root go"
	[ "$(stored "$db")" = "$(sum "$priv")" ] ||
	    fail "root's: stored $(stored "$db"), not $(sum "$priv")"
	# Its size known now: hashed before it is read, and known.
	timeout 300 "$egressd" -vv -w "$db" -r "$priv" >/dev/null 2>"$tmp/err" ||
	    fail "root's again: exit $?"
	grep -q "priv.pcap: in .*priv.db already (read by run 1)" \
	    "$tmp/err" || fail "root's again: not known: $(cat "$tmp/err")"
else
	echo "not root, or no egressd user: the privilege case is not run"
fi

# Many files in one run: each is hashed and stored, and what reading and
# hashing one took (its stdio buffer, its ring) goes once it is read, so
# twelve 2.7 MB files peak about where one does (they held 40 MB more).
python3 - "$whole" "$tmp/many" <<'EOF' || exit 99
import os, struct, sys
b = open(sys.argv[1], "rb").read()
recs, off = [], 24
while off + 16 <= len(b):
    end = off + 16 + struct.unpack_from("<I", b, off + 8)[0]
    recs.append(end)
    off = end
os.mkdir(sys.argv[2])
for i in range(12):
    open("%s/m%02d.pcap" % (sys.argv[2], i), "wb").write(
        b[:recs[len(recs) - 1 - 7 * i]])
EOF
# A sanitizer's build keeps what is freed (ASan's quarantine): its peaks
# say nothing of egressd's, so they are not compared there.
peak=1
grep -q __asan_init "$egressd" && peak=0
python3 - "$egressd" "$tmp/many" "$peak" <<'EOF' >"$tmp/peaks" || fail "many files: $(cat "$tmp/peaks")"
import glob, resource, subprocess, sys
egressd, d, peak = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
files = sorted(glob.glob(d + "/m*.pcap"))
peaks = []
for n, db in ((1, d + "/one.db"), (12, d + "/all.db")):
    r = subprocess.run([egressd, "-w", db, "-r"] + files[:n],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode != 0:
        sys.exit("exit %d with %d files" % (r.returncode, n))
    # the largest child so far: the second run's, when it is the larger
    peaks.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(peaks[0], peaks[1])
sys.exit(0 if not peak or peaks[1] - peaks[0] < 8 * 1024 else 1)
EOF
for f in "$tmp"/many/m*.pcap; do sum "$f"; done | sort >"$tmp/want"
q "$tmp/many/all.db" "SELECT size, sha256 FROM captures" | sort >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" ||
    fail "many files: stored $(wc -l <"$tmp/got") hashes, not sha256sum's"
exit $fail
