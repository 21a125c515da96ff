#!/bin/sh
# A full disk is said at once, records that cannot wait are counted as
# lost (in the stats line), alerts go to the log meanwhile, capture goes
# on, and writing resumes when there is room, in whole lines.  The
# previous code said nothing until it exited ("write error"), while its
# stats line counted every record as written.
. "${top_srcdir:-.}/tests/live/lib.sh"

mkdir "$tmp/full" || die "mkdir"
mount -t tmpfs -o size=16m tmpfs "$tmp/full" ||
    { echo "cannot mount a tmpfs: skip"; exit 77; }
cleanup_more='umount "$tmp/full" 2>/dev/null'
j=$tmp/full/events.jsonl
start -j "$j"
udp 10
waitfor 6 "[ \"\$(packets '$j')\" = 10 ]" || fail "the first 10 are not in the file"
# Fill the file system: nothing more fits.
dd if=/dev/zero of="$tmp/full/filler" bs=64k 2>/dev/null
# 20,000 flows: about 12 MB of records, more than the 8 MiB kept waiting.
t0=$(now_us)
udp 20000 9 8
waitfor 8 "grep -q 'write failed' '$tmp/err'" ||
    fail "no message for the failed write"
echo "write failure said $(( ($(now_us) - t0) / 1000 )) ms after the datagrams were sent"
# A destination not seen before while the file takes nothing: a new
# denied-destination alert, which must reach the log.
udp 1 9 9
waitfor 6 "grep -q 'alert denied-destination (severity 9).*198.51.100.9' '$tmp/err'" ||
    fail "the alert did not go to the log while the file took nothing"
waitfor 8 "kill -USR1 $pid; sleep 0.3; grep 'stats:' '$tmp/err' | tail -n 1 | grep -q ' [1-9][0-9]* records lost'" ||
    fail "the stats line counts no lost records"
whole "$j" || fail "the file ends inside a line while the disk is full"
# Room again: what waited is written, and what comes next.
rm -f "$tmp/full/filler"
waitfor 6 "grep -q 'writing again' '$tmp/err'" ||
    fail "no message when writing resumed"
udp 50 99
waitfor 8 "[ \"\$(jq -s 'map(select(.destination.port == 99)) | length' '$j' 2>/dev/null)\" = 50 ]" ||
    fail "the 50 sent after the disk had room are not in the file"
stop
whole "$j" || fail "not whole lines"
lost=$(grep 'stats:' "$tmp/err" | tail -n 1 |
    sed -n 's/.* \([0-9]*\) records lost.*/\1/p')
made=$(grep 'stats:' "$tmp/err" | tail -n 1 |
    sed -n 's/.* \([0-9]*\) records, .*/\1/p')
# Records were lost: the exit status says so, and the last message.
[ "$rc" -eq 1 ] || fail "exit status $rc, not 1 (records were lost)"
grep -q "write error; $lost records lost" "$tmp/err" ||
    fail "no count of the lost records at exit"
got=$(records "$j")
# Lost lines are records or alerts; an alert lost is in the log.
alost=$(grep -c 'lost from the file' "$tmp/err")
echo "20,061 datagrams, $made records: $got in the file, $lost lines lost" \
    "and counted ($alost of them alerts, in the log)"
[ $((got + lost - alost)) -eq "$made" ] ||
    fail "in the file ($got) and lost ($lost - $alost) do not add up to $made"
grep -E 'write|lost' "$tmp/err" | head -n 5
[ "$status" -eq 0 ] || cat "$tmp/err" | tail -n 20
exit $status
