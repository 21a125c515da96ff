#!/bin/sh
# A beacon made by real software, not by pcapgen: in two network
# namespaces made for the test, a camera's address (10.20.1.21) runs
#   - a call-home loop: an HTTP GET with the Host "updates.beacon-test.example"
#     to 203.0.113.10 every second less up to 25% (Cobalt Strike's jitter),
#     30 times, through the kernel's TCP stack and Python's HTTP client;
#   - random traffic: HTTP GETs to 198.51.100.20 at Poisson times (mean
#     1 s), 30 of them;
# tcpdump records it, and the capture's clock is stretched 10 times (a
# 10 s beacon over five minutes: the detector wants two minutes of
# evidence; the packets, sizes and order are the kernel's).  egressd must
# raise one beacon alert, for the call-home, and none for the random
# traffic.  Nothing is sent outside the namespaces.  Needs root, iproute2,
# tcpdump, jq and python3; skipped (77) otherwise.  By hand:
#   sudo top_srcdir=. top_builddir=. sh tests/real/beacon.sh
# BEACON_KEEP=DIR keeps the captures, egressd's output and the logs in DIR.
set -u
srcdir=$(cd "${top_srcdir:-.}" && pwd)
builddir=$(cd "${top_builddir:-.}" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "not root: skip"; exit 77; }
for t in ip tcpdump jq python3; do
	command -v $t >/dev/null 2>&1 || { echo "no $t: skip"; exit 77; }
done
egressd=$builddir/src/egressd
[ -x "$egressd" ] || { echo "FAIL: no $egressd"; exit 99; }

S=egb$$site O=egb$$out
tmp=$(mktemp -d) || exit 99
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	for n in $S $O; do ip netns del $n 2>/dev/null; done
	if [ -n "${BEACON_KEEP:-}" ]; then
		mkdir -p "$BEACON_KEEP" && cp "$tmp"/* "$BEACON_KEEP"/ 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 99' HUP INT TERM
die() { echo "FAIL: $*"; exit 1; }

for n in $S $O; do
	ip netns add $n || { echo "cannot make network namespaces: skip"; exit 77; }
	ip -n $n link set lo up
done
ip -n $S link add s0 type veth peer name o0 netns $O || die "veth"
ip -n $S addr add 10.20.1.21/24 dev s0 &&
ip -n $O addr add 10.20.1.1/24 dev o0 &&
ip -n $O addr add 203.0.113.10/32 dev o0 &&
ip -n $O addr add 198.51.100.20/32 dev o0 &&
ip -n $S link set s0 up && ip -n $O link set o0 up &&
ip -n $S route add default via 10.20.1.1 || die "addresses"

# Two HTTP servers outside (one process, one thread each).
cat >"$tmp/server.py" <<'EOF'
import http.server, sys, threading
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"ok\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
for addr in sys.argv[1:]:
    s = http.server.HTTPServer((addr, 8080), H)
    threading.Thread(target=s.serve_forever, daemon=True).start()
print("serving", flush=True)
threading.Event().wait()
EOF
ip netns exec $O python3 "$tmp/server.py" 203.0.113.10 198.51.100.20 \
    >"$tmp/server.log" 2>&1 &
pids="$pids $!"
i=0
until grep -q serving "$tmp/server.log" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || die "server not ready: $(cat "$tmp/server.log")"
	sleep 0.1
done

ip netns exec $O tcpdump --immediate-mode -U -n -s 0 -i o0 -w "$tmp/real.pcap" \
    >"$tmp/tcpdump.log" 2>&1 &
tpid=$!
pids="$pids $tpid"
i=0
until grep -q "listening on" "$tmp/tcpdump.log" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || die "tcpdump not ready: $(cat "$tmp/tcpdump.log")"
	sleep 0.1
done

# The appliance: the call-home loop and the random traffic, side by side.
cat >"$tmp/client.py" <<'EOF'
import http.client, random, sys, threading, time
def get(addr, host):
    c = http.client.HTTPConnection(addr, 8080, timeout=5)
    c.request("GET", "/check-in", headers={"Host": host})
    c.getresponse().read()
    c.close()
def beacon():
    r = random.Random(7)
    for _ in range(30):
        get("203.0.113.10", "updates.beacon-test.example")
        time.sleep(1.0 - 0.25 * r.random())
def noise():
    r = random.Random(11)
    for _ in range(30):
        time.sleep(r.expovariate(1.0))
        get("198.51.100.20", "www.random-test.example")
t = [threading.Thread(target=f) for f in (beacon, noise)]
for x in t:
    x.start()
for x in t:
    x.join()
print("done", flush=True)
EOF
ip netns exec $S python3 "$tmp/client.py" >"$tmp/client.log" 2>&1 ||
    die "client: $(cat "$tmp/client.log")"
sleep 1
kill -INT $tpid
wait $tpid 2>/dev/null

# Stretch the capture's clock 10 times (classic pcap, either byte order,
# microsecond or nanosecond stamps).
python3 - "$tmp/real.pcap" "$tmp/slow.pcap" <<'EOF' || die "stretching the capture"
import struct, sys
data = open(sys.argv[1], "rb").read()
magic = data[:4]
e = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
unit = 10**9 if magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d") else 10**6
out = bytearray(data[:24])
off, t0 = 24, None
while off + 16 <= len(data):
    sec, frac, incl, orig = struct.unpack(e + "IIII", data[off:off + 16])
    t = sec * unit + frac
    t0 = t if t0 is None else t0
    t = t0 + (t - t0) * 10
    out += struct.pack(e + "IIII", t // unit, t % unit, incl, orig)
    out += data[off + 16:off + 16 + incl]
    off += 16 + incl
open(sys.argv[2], "wb").write(out)
EOF

"$egressd" --asn-db "$srcdir/pcaps/asn.mmdb" \
    --country-db "$srcdir/pcaps/country.mmdb" -r "$tmp/slow.pcap" \
    -j "$tmp/out.json" >"$tmp/summary" 2>"$tmp/err" ||
    die "egressd: $(cat "$tmp/err")"
[ -s "$tmp/err" ] && die "egressd wrote to stderr: $(cat "$tmp/err")"
flows=$(jq -c 'select(.event.action == "flow" and
    .source.ip == "10.20.1.21")' "$tmp/out.json" | wc -l)
[ "$flows" -ge 60 ] || die "$flows flows from the appliance, want 60"
jq -c 'select(.event.action == "beacon" or .event.action == "strobe")' \
    "$tmp/out.json" >"$tmp/alerts"
n=$(wc -l <"$tmp/alerts")
[ "$n" -eq 1 ] || die "$n beacon alerts, want 1: $(cat "$tmp/alerts")"
jq -e 'select(.destination.ip == "203.0.113.10" and
    .source.ip == "10.20.1.21" and .egressd.beacon.period_s > 8 and
    .egressd.beacon.period_s < 10.5)' "$tmp/alerts" >/dev/null ||
    die "not the call-home: $(cat "$tmp/alerts")"
# The name comes from the HTTP Host a round trip after the connection's
# first packet; the alert carries it all the same.
jq -e 'select(.destination.domain == "updates.beacon-test.example" and
    .egressd.destination.name_source == "http")' "$tmp/alerts" >/dev/null ||
    die "the alert does not name updates.beacon-test.example"
echo "ok: $flows flows; the call-home found:" \
    "$(jq -r .message "$tmp/alerts")"
echo "ok: no alert for the random traffic to 198.51.100.20"

# A policy that approves the call-home by that name: recorded, not alerted.
cat >"$tmp/approved.conf" <<'EOF'
internal	{ 10.0.0.0/8 }
group "camera" {
	hosts	{ 10.20.1.21 }
	allow to domain "updates.beacon-test.example" proto tcp port 8080
}
EOF
"$egressd" -c "$tmp/approved.conf" --asn-db "$srcdir/pcaps/asn.mmdb" \
    --country-db "$srcdir/pcaps/country.mmdb" -r "$tmp/slow.pcap" \
    -j "$tmp/out2.json" >"$tmp/summary2" 2>"$tmp/err" ||
    die "egressd -c: $(cat "$tmp/err")"
n=$(jq -c 'select(.event.action == "beacon")' "$tmp/out2.json" | wc -l)
[ "$n" -eq 0 ] || die "$n beacon alerts for an approved call-home"
grep -q "approved (recorded)" "$tmp/summary2" ||
    die "the approved call-home is not recorded in the summary"
echo "ok: approved by its name, the call-home is recorded, not alerted"
