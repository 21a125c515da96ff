#!/bin/sh
# What a sender on the wire could hide, tried live on a veth (issue 15):
#  1. The SPAN de-duplication trick, from an unprivileged socket: 20,000
#     datagrams with SO_NO_CHECK and IP_PMTUDISC_DO (IP ID 0, UDP checksum
#     0), their first 24 bytes the same, to a denied address.  The
#     previous code took them for mirror copies and recorded 52 packets
#     of them; every one must be counted, none as a copy.
#  2. GRE substitution: 200 GRE packets (transparent Ethernet bridging) to
#     a denied address, each carrying a made-up frame of an allowed
#     internal DNS query.  Tunnels are not entered unless told: the GRE
#     flow must be recorded whole and denied (with its alert), and the
#     made-up inner flow must not appear.
. "${top_srcdir:-.}/tests/live/lib.sh"
command -v setpriv >/dev/null 2>&1 || { echo "no setpriv: skip"; exit 77; }

start -j "$tmp/out.json"

# 1. As nobody, one socket, 20,000 datagrams.
nsx setpriv --reuid=65534 --regid=65534 --clear-groups "$py" - <<'EOF' ||
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 11, 1)		# SO_NO_CHECK
s.setsockopt(socket.IPPROTO_IP, 10, 2)		# IP_MTU_DISCOVER: DO
s.bind(("10.20.1.23", 40000))
head = b"\x17\x03\x03\x05\x00" + b"C" * 19	# the same 24 bytes each
for i in range(20000):
    s.sendto(head + struct.pack("!I", i) + b"p" * 1344, ("198.51.100.7", 443))
EOF
    die "the unprivileged sender failed"

# 2. As root in the namespace, a raw GRE socket.
nsx "$py" - <<'EOF' || die "the GRE sender failed"
import socket, struct
def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff
def ipv4(src, dst, proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64,
        proto, 0, socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload
query = b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00" \
    b"\x07example\x03org\x00\x00\x01\x00\x01"
udp = struct.pack("!HHHH", 5353, 53, 8 + len(query), 0) + query
inner = b"\x02\x00\x00\x00\x00\x05" + b"\x02\x00\x00\x00\x00\x23" + \
    b"\x08\x00" + ipv4("10.20.1.23", "10.20.0.5", 17, udp)
gre = struct.pack("!HH", 0, 0x6558) + inner
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)
for i in range(200):
    s.sendto(gre, ("198.51.100.8", 0))
EOF

# The UDP flow ends 1 s idle, its record 2 to 3 s later; the GRE flow
# (no UDP timeout of its own) is written at SIGTERM.
waitfor 10 "[ \"\$(jq -s 'map(select(.event.kind == \"event\" and
    .destination.ip == \"198.51.100.7\")) | length' '$tmp/out.json')\" -ge 1 ]" ||
    fail "no record of the datagrams 10 s after them"
stop
[ "$rc" -eq 0 ] || fail "exit status $rc"
drops=$(sed -n 's/.*stats: [0-9]* packets, \([0-9]*\) kernel drops.*/\1/p' \
    "$tmp/err" | tail -n 1)

sent=$(jq -s 'map(select(.event.kind == "event" and
    .destination.ip == "198.51.100.7" and .destination.port == 443) |
    .source.packets) | add // 0' "$tmp/out.json")
copies=$(jq -s 'map(select(.event.kind == "event" and
    .destination.ip == "198.51.100.7") | .egressd.flow.duplicates // 0) |
    add // 0' "$tmp/out.json")
echo "datagrams: $sent of 20000 counted, $copies taken for copies" \
    "(kernel drops: ${drops:-?})"
[ "$copies" -eq 0 ] || fail "$copies datagrams taken for mirror copies"
[ "$sent" -eq 20000 ] || [ "$sent" -ge $((20000 - ${drops:-0})) ] ||
    fail "$sent of 20000 datagrams counted"

gre=$(jq -s 'map(select(.event.kind == "event" and
    .destination.ip == "198.51.100.8")) | first' "$tmp/out.json")
gp=$(echo "$gre" | jq '.source.packets')
gt=$(echo "$gre" | jq -r '.network.transport')
gv=$(echo "$gre" | jq -r '.egressd.verdict')
echo "GRE flow: $gp packets, transport $gt, verdict $gv"
[ "$gp" = 200 ] || fail "the GRE flow holds $gp of 200 packets"
[ "$gt" = gre ] || fail "the GRE flow's transport is $gt"
[ "$gv" = denied ] || fail "the GRE flow's verdict is $gv"
[ "$(jq -s 'map(select(.event.action == "denied-destination" and
    .destination.ip == "198.51.100.8")) | length' "$tmp/out.json")" -ge 1 ] ||
    fail "no denied-destination alert for the GRE flow"
inner=$(jq -s 'map(select(.destination.ip == "10.20.0.5")) | length' \
    "$tmp/out.json")
[ "$inner" -eq 0 ] || fail "the made-up inner flow was recorded ($inner lines)"
[ "$status" -eq 0 ] || cat "$tmp/err"
exit $status
