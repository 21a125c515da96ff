#!/bin/sh
# Privileges and the capture filter.  Started as root, egressd runs as the
# configured user once the capture and the files are open: every uid and
# gid that user's, no supplementary group but its own, no effective
# capability and only CAP_NET_RAW permitted (to reopen the interface);
# a user that is root, or none, is refused; root stays only with
# run-as-root yes or --allow-root.  The filter built from the inventory
# keeps out hosts outside it; filter "..." overrides it.
. "${top_srcdir:-.}/tests/live/lib.sh"

base=$(cat "$tmp/policy.conf")
# conf LINES: the lib's policy, and LINES.
conf() {
	printf '%s\n%s\n' "$base" "$1" >"$tmp/policy.conf"
}
# field NAME: a line of egressd's /proc status.
field() {
	sed -n "s/^$1:[[:space:]]*//p" "/proc/$pid/status"
}

# The configured user: nobody (it exists everywhere).
nuid=$(id -u nobody) || die "no user nobody"
ngid=$(id -g nobody)
conf 'user "nobody"'
start
waitfor 3 "grep -q 'running as nobody' '$tmp/err'" || fail "not said: running as nobody"
[ "$(field Uid)" = "$(printf '%s\t%s\t%s\t%s' $nuid $nuid $nuid $nuid)" ] ||
    fail "uids: $(field Uid), not all $nuid"
[ "$(field Gid)" = "$(printf '%s\t%s\t%s\t%s' $ngid $ngid $ngid $ngid)" ] ||
    fail "gids: $(field Gid), not all $ngid"
[ "$(field Groups | tr -d " ")" = "$ngid" ] || fail "groups: $(field Groups), not $ngid"
[ "$(field CapEff)" = 0000000000000000 ] || fail "CapEff $(field CapEff)"
[ "$(field CapPrm)" = 0000000000002000 ] ||
    fail "CapPrm $(field CapPrm), not CAP_NET_RAW alone"
[ "$(field CapInh)" = 0000000000000000 ] || fail "CapInh $(field CapInh)"

# The filter built from the inventory: 10.20.1.0/24 and 10.0.0.0/8 are
# kept, a host outside both is not.
ip -n "$ns" addr add 203.0.113.5/24 dev rep0 || die "addr add"
udp 10
udp 7 9 7 203.0.113.5
sleep 1
kill -USR1 "$pid"
waitfor 5 "grep -q 'stats: 10 packets' '$tmp/err'" ||
    fail "the built filter: $(grep 'stats:' "$tmp/err" | tail -n 1)"
stop
[ "$rc" -eq 0 ] || fail "exit status $rc"

# filter overrides it: every UDP datagram.
conf 'user "nobody"
filter "udp"'
start
udp 10
udp 7 9 7 203.0.113.5
waitfor 5 "kill -USR1 $pid; sleep 0.3; grep -q 'stats: 17 packets' '$tmp/err'" ||
    fail "filter \"udp\": $(grep 'stats:' "$tmp/err" | tail -n 1)"
stop

# Root as the user, or a user that does not exist: refused, exit 1.
for who in root no-such-user-$$; do
	conf "user \"$who\""
	nsx "$egressd" -d -i cap0 -c "$tmp/policy.conf" 2>"$tmp/err2"
	rc=$?
	[ "$rc" -eq 1 ] || fail "user $who: exit status $rc, not 1"
	grep -q "user $who" "$tmp/err2" || fail "user $who: not said why"
done

# run-as-root yes, then --allow-root: root stays, and says so.
conf 'run-as-root yes'
start
grep -q 'running as root, as told' "$tmp/err" || fail "run-as-root: not said"
[ "$(field Uid | cut -f1)" = 0 ] || fail "run-as-root yes: uid $(field Uid)"
stop
conf ''
start --allow-root
[ "$(field Uid | cut -f1)" = 0 ] || fail "--allow-root: uid $(field Uid)"
stop
echo "as nobody: Uid $(printf '%s' "$nuid"), CapPrm 0x2000 only; filter built and overridden; root refused unless told"
[ "$status" -eq 0 ] || cat "$tmp/err"
exit $status
