#!/bin/sh
# Stats: every stats-interval (1 s here) a log line with packets, kernel
# and interface drops, flows and alerts; egressctl stats --socket reads the
# live figures over the stats socket, which is egressd's user's and mode
# 0600; packets dropped while egressd is stopped (SIGSTOP, a small
# buffer-size, a flood) raise a capture-loss alert through the sinks.
. "${top_srcdir:-.}/tests/live/lib.sh"
egressctl=$(dirname "$egressd")/egressctl

stats_setup
cat >>"$tmp/policy.conf" <<EOF
buffer-size 1M
capture-loss-threshold 10
EOF
j=$tmp/log/events.jsonl
start -j "$j"
waitfor 3 "[ -S '$sock' ]" || fail "no stats socket"
own=$(stat -c '%U %a' "$sock")
[ "$own" = "$u 600" ] || fail "the stats socket is \"$own\", not \"$u 600\""

udp 30
waitfor 8 "'$egressctl' stats --socket '$sock' | grep -qx 'packets 30'" ||
    fail "egressctl stats: not packets 30: $("$egressctl" stats --socket "$sock" | tr '\n' ' ')"
"$egressctl" --json stats --socket "$sock" >"$tmp/stats.json" ||
    fail "egressctl --json stats --socket failed"
jq -e '.packets == 30 and .kernel_drops == 0 and .capturing == "yes" and
    .interface == "cap0" and (.alerts | type) == "number"' \
    "$tmp/stats.json" >/dev/null || fail "--json: $(cat "$tmp/stats.json")"
waitfor 5 "[ \$(grep -c 'stats: .* kernel drops, .* interface drops, .* live flows, .* alerts;' '$tmp/err') -ge 3 ]" ||
    fail "fewer than 3 stats lines in 5 s at stats-interval 1s"
# An owner-only socket: another user cannot read it.
su -s /bin/sh nobody -c "'$egressctl' stats --socket '$sock'" \
    >/dev/null 2>&1 && [ "$u" != nobody ] &&
    fail "a user other than $u read the stats socket"

# A flood while egressd is stopped: the 1 MB buffer overflows.
kill -STOP "$pid"
nsx "$py" - <<'PY' || die "cannot flood"
import socket, struct
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 48, 0, 0, 64, 17, 0,
    socket.inet_aton("10.20.1.23"), socket.inet_aton("198.51.100.7"))
ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
udp = struct.pack("!HHHH", 40001, 9, 28, 0) + b"f" * 20
frame = bytes.fromhex("020000000007" "020000000023" "0800") + ip + udp
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("rep0", 0))
for i in range(60000):
    s.send(frame)
PY
kill -CONT "$pid"
waitfor 8 "[ \$(jq -s 'map(select(.event.action == \"capture-loss\")) | length' '$j') -ge 1 ]" ||
    fail "no capture-loss alert after the flood"
grep -q 'packets dropped in .* s: capture-loss' "$tmp/err" ||
    fail "no capture-loss log line"
d=$("$egressctl" stats --socket "$sock" | sed -n 's/^kernel_drops //p')
[ "${d:-0}" -ge 10 ] || fail "egressctl stats: kernel_drops ${d:-none}"
stop
[ "$rc" -eq 0 ] || fail "exit status $rc"
[ ! -e "$sock" ] || fail "the stats socket is left behind"
msg=$(jq -r 'select(.event.action == "capture-loss") | .message' "$j" | head -n 1)
echo "stats socket $own; $d kernel drops; alert: $msg"
[ "$status" -eq 0 ] || cat "$tmp/err"
exit $status
