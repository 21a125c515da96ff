#!/bin/sh
#
# bench/expiry.sh: kernel drops while a mass of flows times out at once,
# live, with a steady stream of packets arriving meanwhile.
#
# In a network namespace made for it (root), egressd -i captures one end
# of a veth pair with -j to a file; tcpreplay sends a steady stream
# (100 UDP flows) at P packets/s into the other end, and a few seconds in,
# a burst of N one-packet UDP flows as fast as it can.  With UDP flows
# ending after T s idle, the burst's flows all end about T s later, while
# the stream goes on.  Each binary is run twice: stopped before the burst
# times out (the drops of the burst itself), and run through the expiry;
# the difference is what the mass expiry cost.  The kernel drops come from
# the stats line egressd logs at exit (the stream is stopped first).
#
# usage: bench/expiry.sh [-n FLOWS] [-p PPS] [-t TIMEOUT] [-B OTHER_EGRESSD]
# -B runs another build too (the code before a change), in the same run.

set -u
LC_ALL=C
export LC_ALL

flows=1000000
pps=100000
timeout=10
other=
while [ $# -gt 0 ]; do
	case $1 in
	-n)	flows=$2; shift 2 ;;
	-p)	pps=$2; shift 2 ;;
	-t)	timeout=$2; shift 2 ;;
	-B)	other=$2; shift 2 ;;
	*)	echo "usage: $0 [-n FLOWS] [-p PPS] [-t TIMEOUT] [-B EGRESSD]" >&2
		exit 2 ;;
	esac
done

die() {
	echo "expiry: $*" >&2
	exit 1
}

srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${top_builddir:-$srcdir}
egressd=$builddir/src/egressd
out=$builddir/bench/out
[ "$(id -u)" -eq 0 ] || die "needs root (a network namespace)"
for t in ip tcpreplay; do
	command -v $t >/dev/null 2>&1 || die "needs $t"
done
py=$(command -v /usr/bin/python3 || command -v python3) || die "needs python3"
[ -x "$egressd" ] || die "$egressd missing: build first"
mkdir -p "$out" || die "mkdir $out"

# The captures: N one-packet flows, and a stream of 100 flows.
burst=$out/expiry-burst-$flows.pcap
stream=$out/expiry-stream.pcap
if [ ! -s "$burst" ] || [ ! -s "$stream" ]; then
	echo "generating $burst and $stream" >&2
	"$py" - "$flows" "$burst" "$stream" <<'EOF' || die "generating"
import struct, sys
n, burst, stream = int(sys.argv[1]), sys.argv[2], sys.argv[3]

def csum(h):
    s = sum(struct.unpack("!10H", h))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return (~s) & 0xffff

def frame(src, dst, sport, dport):
    payload = b"x" * 18
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17,
        0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00" + ip + udp

def write(path, frames):
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", i // 1000000, i % 1000000,
                len(fr), len(fr)))
            f.write(fr)
    import os
    os.rename(path + ".tmp", path)

write(burst, (frame((10, 1 + (i >> 16), (i >> 8) & 255, i & 255),
    (198, 51, 100, 1 + i % 200), 40000 + i % 20000, 9) for i in range(n)))
write(stream, (frame((10, 200, 0, 1 + i % 100), (203, 0, 113, 1),
    5000 + i % 100, 5000) for i in range(10000)))
EOF
fi

ns=egressd-expiry-$$
tmp=$(mktemp -d) || die "mktemp"
chmod 755 "$tmp"
epid= spid=
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null
	[ -n "$epid" ] && kill "$epid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ip netns add "$ns" || die "cannot make a network namespace"
ip -n "$ns" link add cap0 type veth peer name rep0 &&
ip -n "$ns" link set cap0 up && ip -n "$ns" link set rep0 up ||
    die "cannot make the veth pair"
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 ||
    die "cannot turn IPv6 off"
cat >"$tmp/expiry.conf" <<EOF
internal { 10.0.0.0/8 }
flow-idle-timeout udp ${timeout}s
group "cams" {
	hosts { 10.0.0.0/8 }
	allow to { 203.0.113.1, 198.51.100.0/24 }
}
EOF

# one BINARY MODE: a run; prints "drops records seconds_of_burst".
# MODE burst: stopped before the burst's flows time out; full: after.
one() {
	bin=$1 mode=$2
	rm -f "$tmp/out.json"
	ip netns exec "$ns" "$bin" -d -i cap0 -c "$tmp/expiry.conf" \
	    -j "$tmp/out.json" 2>"$tmp/err" &
	epid=$!
	sleep 2
	ip netns exec "$ns" tcpreplay -q -K -i rep0 --pps="$pps" --loop=0 \
	    "$stream" >/dev/null 2>&1 &
	spid=$!
	sleep 3
	t0=$(date +%s%N)
	ip netns exec "$ns" tcpreplay -q -K -i rep0 --topspeed "$burst" \
	    >"$tmp/burst" 2>&1 || die "tcpreplay of the burst failed"
	t1=$(date +%s%N)
	if [ "$mode" = burst ]; then
		sleep 2
	else
		# The flows end T s after their packet, when packet time (the
		# stream's) passes it; then give expiry time to finish.
		sleep $((timeout + 12))
	fi
	kill "$spid"
	wait "$spid" 2>/dev/null
	spid=
	sleep 1
	kill -TERM "$epid"
	wait "$epid"
	epid=
	d=$(sed -n 's/.*stats: [0-9]* packets, \([0-9]*\) kernel drops.*/\1/p' \
	    "$tmp/err" | tail -n 1)
	r=$(wc -l <"$tmp/out.json")
	echo "${d:-?} $r $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')"
}

# report NAME BINARY
report() {
	set -- "$1" "$2" "$(one "$2" burst)" "$(one "$2" full)"
	b=${3%% *} f=${4%% *}
	printf '%-10s burst alone: %9s drops (burst took %s s); burst and expiry: %9s drops, %s records; expiry cost %s drops\n' \
	    "$1" "$b" "${3##* }" "$f" "$(echo "$4" | awk '{ print $2 }')" \
	    "$(awk -v a="$b" -v b="$f" 'BEGIN { print b - a }')"
}

echo "expiry: $flows one-packet UDP flows at once (--topspeed), ending" \
    "${timeout} s idle, while a stream of $pps packets/s goes on;" \
    "$(nproc) CPUs, load $(cut -d ' ' -f 1-3 /proc/loadavg)"
[ -n "$other" ] && report other "$other"
report this "$egressd"
