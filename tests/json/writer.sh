#!/bin/sh
# With a second thread, full buffers of JSON lines are written by a writer
# thread while the next records are made (sink_json_thread, fdwrite.c);
# with --threads 1, by the one thread.  Both ways give the same file, the
# same messages and the same exit status, when writing works and when it
# fails: to a regular file and through a pipe (about 18 MB, dozens of
# buffers); to /dev/full (every write fails: each record is counted lost,
# the failure said once); and, as root, to a small tmpfs that fills
# part-way through a buffer the thread writes (the file ends on a whole
# line, what was not written waits and is then lost and counted, and the
# file plus what was lost is every record).  A writer thread whose failed
# write went unreported, or whose unwritten lines were dropped or written
# cut, makes the counts or the bytes differ.
set -u
srcdir=${top_srcdir:-.}
builddir=$(cd "${top_builddir:-.}" && pwd)
egressd=$builddir/src/egressd
pcapgen=$builddir/pcaps/pcapgen
dbs="--asn-db $srcdir/pcaps/asn.mmdb --country-db $srcdir/pcaps/country.mmdb"
tmp=$(mktemp -d) || exit 99
mnt=
trap '[ -n "$mnt" ] && umount "$mnt" 2>/dev/null; rm -rf "$tmp"' EXIT
status=0 bad=0

fail() {
	echo "FAIL: $*"
	status=1 bad=1
}

# ok WORDS: said when the part had no failure; the next part begins.
ok() {
	[ $bad = 0 ] && echo "ok: $*"
	bad=0
}

"$pcapgen" bench-flows "$tmp/flows.pcap" -n 200000 -f 25000 || exit 99

# run T OUT: egressd --threads T writing its lines to OUT; the summary,
# the messages and the exit status in $tmp/T.*.
run() {
	# shellcheck disable=SC2086
	"$egressd" --threads "$1" $dbs --no-beacons -r "$tmp/flows.pcap" \
	    -j "$2" >"$tmp/$1.sum" 2>"$tmp/$1.err"
	echo $? >"$tmp/$1.rc"
	sed '/^run  /d' "$tmp/$1.sum" >"$tmp/$1.sum2"
}

# same NAME: the two runs' summaries, messages and exit statuses agree.
same() {
	for x in sum2 err rc; do
		cmp -s "$tmp/1.$x" "$tmp/2.$x" ||
		    { fail "$1: --threads 1 and 2 differ ($x)";
		      diff "$tmp/1.$x" "$tmp/2.$x" | head -n 5; }
	done
}

# A regular file.
for t in 1 2; do
	run $t "$tmp/$t.json"
done
same "a file"
cmp -s "$tmp/1.json" "$tmp/2.json" ||
    fail "a file: --threads 1 and 2 wrote different bytes"
[ "$(cat "$tmp/1.rc")" = 0 ] || fail "a file: exit $(cat "$tmp/1.rc")"
records=$(wc -l <"$tmp/1.json")
bytes=$(wc -c <"$tmp/1.json")
[ "$bytes" -gt $((16 * 256 * 1024)) ] ||
    fail "a file: $bytes bytes, too few to fill many buffers"
ok "a file: $records records, $bytes bytes, the same both ways"

# Standard output, through a pipe (no summary then).
for t in 1 2; do
	# shellcheck disable=SC2086
	"$egressd" --threads $t $dbs --no-beacons -r "$tmp/flows.pcap" -j - \
	    2>"$tmp/$t.err" | cat >"$tmp/$t.out"
	cmp -s "$tmp/$t.out" "$tmp/1.json" ||
	    fail "standard output: --threads $t: not the file's bytes"
done
cmp -s "$tmp/1.err" "$tmp/2.err" ||
    fail "standard output: --threads 1 and 2 differ (err)"
ok "standard output: the file's bytes both ways"

# /dev/full: every write fails.
if [ -w /dev/full ]; then
	for t in 1 2; do
		run $t /dev/full
	done
	same "/dev/full"
	[ "$(cat "$tmp/2.rc")" = 1 ] ||
	    fail "/dev/full: exit $(cat "$tmp/2.rc"), not 1"
	[ "$(grep -c 'write failed' "$tmp/2.err")" = 1 ] ||
	    fail "/dev/full: the failed write not said once"
	grep -q "write error; $records records lost" "$tmp/2.err" ||
	    fail "/dev/full: not every record counted lost"
	grep -Eq "sink.json.lost +$records\$" "$tmp/2.sum" ||
	    fail "/dev/full: the summary does not count every record lost"
	ok "/dev/full: $records records lost and counted, both ways"
else
	echo "no /dev/full: that part skipped"
fi

# A file system that fills inside a buffer: 1 MiB, about 4 buffers.
mkdir "$tmp/full" || exit 99
if mount -t tmpfs -o size=1m tmpfs "$tmp/full" 2>/dev/null; then
	mnt=$tmp/full
	for t in 1 2; do
		rm -f "$mnt/out.json"
		run $t "$mnt/out.json"
		mv "$mnt/out.json" "$tmp/$t.full"
	done
	same "a full disk"
	cmp -s "$tmp/1.full" "$tmp/2.full" ||
	    fail "a full disk: --threads 1 and 2 wrote different bytes"
	[ "$(cat "$tmp/2.rc")" = 1 ] ||
	    fail "a full disk: exit $(cat "$tmp/2.rc"), not 1"
	got=$(wc -l <"$tmp/2.full")
	[ -s "$tmp/2.full" ] && [ "$(tail -c 1 "$tmp/2.full" | od -An -c |
	    tr -d ' ')" = '\n' ] || fail "a full disk: not whole lines"
	head -n "$got" "$tmp/1.json" | cmp -s - "$tmp/2.full" ||
	    fail "a full disk: the lines written are not the first records"
	lost=$(sed -n 's/.*write error; \([0-9]*\) records lost.*/\1/p' \
	    "$tmp/2.err")
	[ -n "$lost" ] && [ $((got + lost)) -eq "$records" ] ||
	    fail "a full disk: $got written and ${lost:-no} lost, not $records"
	ok "a full disk: $got records written, ${lost:-?} lost and" \
	    "counted, the same both ways"
else
	echo "cannot mount a tmpfs (not root?): that part skipped"
fi
exit $status
