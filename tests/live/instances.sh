#!/bin/sh
# Two instances, one configuration (the template unit's case: one
# instance per mirror interface, one egressd.conf): each is given its own
# stats socket by --stats-socket, in place of the configuration's
# stats-socket, which neither makes.  Both sockets answer at once with
# their own interface's figures; SIGTERM removes each.  (The previous code
# had no --stats-socket: both bound the configuration's path, and the
# second took it from the first.)
. "${top_srcdir:-.}/tests/live/lib.sh"
egressctl=$(dirname "$egressd")/egressctl

stats_setup
# a second link for the second instance
ip -n "$ns" link add cap1 type veth peer name rep1 &&
ip -n "$ns" link set cap1 up && ip -n "$ns" link set rep1 up ||
    die "cannot make the second veth pair"
s0=$tmp/run/cap0.sock
s1=$tmp/run/cap1.sock
: >"$tmp/err1"
start --stats-socket "$s0"
ip netns exec "$ns" "$egressd" -d -v -i cap1 -c "$tmp/policy.conf" \
    --stats-socket "$s1" 2>>"$tmp/err1" &
pid1=$!
cleanup_more='kill "$pid1" 2>/dev/null'
waitfor 5 "grep -q 'capturing on cap1' '$tmp/err1'" ||
    { cat "$tmp/err1"; die "the second instance did not start"; }
waitfor 3 "[ -S '$s0' ] && [ -S '$s1' ]" || fail "not both stats sockets"
[ -e "$sock" ] && fail "the configuration's stats-socket was made too"

udp 30
waitfor 8 "'$egressctl' stats --socket '$s0' | grep -qx 'packets 30'" ||
    fail "cap0's socket: $("$egressctl" stats --socket "$s0" 2>&1 | grep packets)"
"$egressctl" stats --socket "$s0" | grep -qx 'interface cap0' ||
    fail "cap0's socket does not name cap0"
"$egressctl" stats --socket "$s1" >"$tmp/s1" 2>&1 ||
    fail "cap1's socket: $(cat "$tmp/s1")"
grep -qx 'interface cap1' "$tmp/s1" || fail "cap1's socket does not name cap1"
grep -qx 'packets 0' "$tmp/s1" ||
    fail "cap1 saw what was sent on cap0: $(grep packets "$tmp/s1")"

kill -TERM "$pid1"
wait "$pid1"
rc1=$?
stop
[ "$rc" -eq 0 ] && [ "$rc1" -eq 0 ] || fail "exit status $rc and $rc1"
[ ! -e "$s0" ] && [ ! -e "$s1" ] || fail "a stats socket is left behind"
# A stats socket without live capture is a usage error.
"$egressd" --stats-socket "$s0" -r "$srcdir/pcaps/site-demo.pcap" \
    >/dev/null 2>"$tmp/usage" && fail "--stats-socket with -r was accepted"
grep -q -- '--stats-socket is for live capture' "$tmp/usage" ||
    fail "no clear error for --stats-socket with -r: $(head -n 1 "$tmp/usage")"
echo "sockets $(basename "$s0") and $(basename "$s1"); exit $rc, $rc1"
[ "$status" -eq 0 ] || { cat "$tmp/err" "$tmp/err1"; }
exit $status
