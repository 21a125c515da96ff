#!/bin/sh
# SIGHUP reads the configuration again.  A broken one is refused with
# every error logged (file:line) and the old one stays: a destination it
# approves stays approved.  A valid changed one is swapped in whole: the
# same destination, now denied, is denied for new flows, with its alert;
# a flow open across both reloads stays one flow (one record, every
# packet).  The previous code only reopened the outputs.  Then flow
# timeouts changed by a reload apply at once, to an open flow too.
. "${top_srcdir:-.}/tests/live/lib.sh"

conf=$tmp/policy.conf
cat >"$conf" <<EOF
internal { 10.0.0.0/8 }
flow-idle-timeout udp 2s
group "cams" {
	hosts { 10.20.1.0/24 }
	allow to 198.51.100.8
}
EOF
# The JSON file's directory is egressd's user's (SIGHUP reopens it).
u=$(id -un egressd 2>/dev/null || echo nobody)
mkdir "$tmp/log" && chown "$u:$(id -gn "$u")" "$tmp/log" || die "mkdir"
j=$tmp/log/events.jsonl
start -j "$j"

# verdict PORT: the verdicts of the records of flows to 198.51.100.8:PORT.
verdict() {
	jq -r "select(.event.kind == \"event\" and .destination.port == $1) |
	    .egressd.verdict" "$j" 2>/dev/null | sort -u | tr '\n' ' '
}

# A long flow: from 10.20.1.23:40000 to 198.51.100.8:7, a datagram every
# 0.5 s for 9 s, across both reloads (its idle timeout is 2 s).
nsx "$py" - <<'PY' &
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.20.1.23", 40000))
for i in range(18):
    s.sendto(b"long", ("198.51.100.8", 7))
    time.sleep(0.5)
PY
long=$!

udp 1 1001 8
waitfor 8 "[ \"\$(verdict 1001)\" = 'approved ' ]" ||
    fail "before any reload, 198.51.100.8 is not approved: $(verdict 1001)"

# A broken configuration: two errors, both logged; the old one stays.
cat >"$conf" <<EOF
internal { 10.0.0.0/8 }
flow-idle-timeout udp 2s
group "cams" {
	hosts { 10.20.1.0/24 }
	allow to 198.51.100.8
}
deny to 198.51.100.300
no-such-option yes
EOF
kill -HUP "$pid"
waitfor 3 "grep -q 'has errors: the configuration in use stays' '$tmp/err'" ||
    fail "no log line refusing the broken configuration"
grep -q "reload: $conf:7: " "$tmp/err" || fail "the error at line 7 is not logged"
grep -q "reload: $conf:8: " "$tmp/err" || fail "the error at line 8 is not logged"
kill -0 "$pid" 2>/dev/null || fail "a broken configuration ended egressd"
udp 1 1002 8
waitfor 8 "[ \"\$(verdict 1002)\" = 'approved ' ]" ||
    fail "after the broken reload, 198.51.100.8 is not approved: $(verdict 1002)"

# A valid changed one: 198.51.100.8 is now denied.
cat >"$conf" <<EOF
internal { 10.0.0.0/8 }
flow-idle-timeout udp 2s
group "cams" {
	hosts { 10.20.1.0/24 }
	allow to 198.51.100.8
}
deny to 198.51.100.8
EOF
kill -HUP "$pid"
waitfor 3 "grep -q 'reload: $conf read' '$tmp/err'" ||
    fail "no log line for the new configuration"
udp 1 1003 8
waitfor 8 "[ \"\$(verdict 1003)\" = 'denied ' ]" ||
    fail "after the reload, a new flow to 198.51.100.8 is not denied: $(verdict 1003)"
waitfor 3 "[ \$(jq -s 'map(select(.event.action == \"denied-destination\" and .destination.ip == \"198.51.100.8\")) | length' '$j') -ge 1 ]" ||
    fail "no denied-destination alert for the new flow"
wait "$long"
waitfor 8 "[ \"\$(jq -s 'map(select(.event.kind == \"event\" and .source.port == 40000)) | length' '$j')\" = 1 ]" ||
    fail "the long flow's record did not come 2 s after its last datagram"

# Flow timeouts apply at once, to open flows too: at 60 s a new flow's
# record does not come 2 s after its datagram; back at 1 s, it comes.
# (The previous code kept the timeouts of the start.)
sed 's/udp 2s/udp 60s/' "$conf" >"$conf.new" && mv "$conf.new" "$conf" ||
    die "cannot write the configuration"
kill -HUP "$pid"
waitfor 3 "[ \$(grep -c 'reload: $conf read' '$tmp/err') -ge 2 ]" ||
    fail "no log line for the configuration with a 60 s timeout"
udp 1 1004 8
sleep 4
[ -z "$(verdict 1004)" ] ||
    fail "the flow idle timeout of 60 s is not applied: a record 4 s after"
sed 's/udp 60s/udp 1s/' "$conf" >"$conf.new" && mv "$conf.new" "$conf" ||
    die "cannot write the configuration"
kill -HUP "$pid"
waitfor 4 "[ \"\$(verdict 1004)\" = 'denied ' ]" ||
    fail "the flow idle timeout of 1 s is not applied to the open flow"
grep -q 'flow timeouts or max-flows changed' "$tmp/err" &&
    fail "a changed flow timeout is still said to wait for the next start"
stop
[ "$rc" -eq 0 ] || fail "exit status $rc"
n=$(jq -s 'map(select(.event.kind == "event" and .source.port == 40000)) | length' "$j")
p=$(jq -s 'map(select(.event.kind == "event" and .source.port == 40000) |
    .source.packets) | add' "$j")
[ "$n" = 1 ] && [ "$p" = 18 ] ||
    fail "the flow open across the reloads: $n records, $p of 18 packets"
echo "verdicts: $(verdict 1001)/ $(verdict 1002)/ $(verdict 1003); the long flow: $n record, $p packets"
[ "$status" -eq 0 ] || cat "$tmp/err"
exit $status
