# Shared by the live tests (sourced): a network namespace made for the
# test with a veth pair, cap0 (egressd captures there) and rep0 (the
# appliance side: 10.20.1.23, sending through a static neighbour so no ARP
# is needed), egressd started on cap0 as root (it drops to its user), and
# helpers to send traffic and wait.  Needs root and iproute2; a test that
# cannot set up says why and skips (77); a set-up step that fails after
# that fails the test.
set -u
srcdir=${top_srcdir:-.}
srcdir=$(cd "$srcdir" && pwd)
egressd=$(cd "${top_builddir:-.}" && pwd)/src/egressd
[ "$(id -u)" -eq 0 ] || { echo "not root: skip"; exit 77; }
command -v ip >/dev/null 2>&1 || { echo "no iproute2: skip"; exit 77; }
# Debian's python3 first: a version manager's shim takes a second to start.
py=$(command -v /usr/bin/python3 || command -v python3) ||
    { echo "no python3: skip"; exit 77; }
command -v jq >/dev/null 2>&1 || { echo "no jq: skip"; exit 77; }
ns=egressd-test-$$
tmp=$(mktemp -d) || exit 99
chmod 755 "$tmp"
pid=
status=0
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	[ -n "${cleanup_more:-}" ] && eval "$cleanup_more"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# fail MESSAGE: the test fails (and goes on).
fail() {
	echo "FAIL: $*"
	status=1
}

# die MESSAGE: a set-up step failed: the test fails now.
die() {
	echo "FAIL (set-up): $*"
	exit 1
}

# nsx COMMAND...: run in the test's namespace.
nsx() {
	ip netns exec "$ns" "$@"
}

# links: make the veth pair (again) and the sending side's address.
links() {
	ip -n "$ns" link add cap0 type veth peer name rep0 &&
	ip -n "$ns" link set cap0 up && ip -n "$ns" link set rep0 up &&
	ip -n "$ns" addr add 10.20.1.23/24 dev rep0 &&
	ip -n "$ns" route add 198.51.100.0/24 dev rep0 &&
	ip -n "$ns" neigh add 198.51.100.7 lladdr 02:00:00:00:00:07 \
	    dev rep0 nud permanent &&
	ip -n "$ns" neigh add 198.51.100.8 lladdr 02:00:00:00:00:08 \
	    dev rep0 nud permanent &&
	ip -n "$ns" neigh add 198.51.100.9 lladdr 02:00:00:00:00:09 \
	    dev rep0 nud permanent || die "cannot make the veth pair"
}

ip netns add "$ns" || { echo "cannot make a network namespace: skip"; exit 77; }
# No IPv6 on the test links: the kernel would send its own solicitations.
nsx sysctl -qw net.ipv6.conf.all.disable_ipv6=1 ||
    die "cannot turn IPv6 off in the namespace"
nsx sysctl -qw net.ipv6.conf.default.disable_ipv6=1 ||
    die "cannot turn IPv6 off in the namespace"
links

# A policy: 10.20.1.0/24 are cameras, 198.51.100.0/24 is denied, UDP flows
# end after 1 s idle (so their records, and alerts, come soon).
cat >"$tmp/policy.conf" <<EOF
internal { 10.0.0.0/8 }
flow-idle-timeout udp 1s
group "cams" {
	hosts { 10.20.1.0/24 }
	allow to 10.20.0.5
}
deny to 198.51.100.0/24
EOF

# start ARGS...: egressd -d -v -i cap0 ARGS in the background (pid),
# stderr to $tmp/err; waits until it captures.
start() {
	: >"$tmp/err"
	ip netns exec "$ns" "$egressd" -d -v -i cap0 -c "$tmp/policy.conf" \
	    "$@" 2>>"$tmp/err" &
	pid=$!
	waitfor 5 "grep -q 'capturing on cap0' '$tmp/err'" ||
	    { cat "$tmp/err"; die "egressd did not start"; }
}

# stop: SIGTERM, and its exit status in rc.
stop() {
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	pid=
}

# waitfor SECONDS COMMAND: poll COMMAND every 0.1 s; 0 once true.
waitfor() {
	n=$(($1 * 10))
	while [ "$n" -gt 0 ]; do
		eval "$2" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# udp COUNT [PORT [HOST [FROM]]]: COUNT UDP datagrams from 10.20.1.23 (or
# FROM, an address of rep0) to a denied address (198.51.100.7, or .HOST),
# each from a new socket (a flow each, unless the kernel hands out a
# source port again).
udp() {
	from=${4:-10.20.1.23}
	nsx "$py" - "$1" "${2:-9}" "${3:-7}" "$from" <<'EOF' || die "cannot send"
import socket, sys
n, port, host = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((sys.argv[4], 0))
    s.sendto(b"x" * 20, ("198.51.100." + host, port))
    s.close()
EOF
}

# packets FILE: the packets the flow records of FILE count.
packets() {
	jq -s 'map(select(.event.kind == "event") |
	    .source.packets + .destination.packets) | add // 0' "$1" 2>/dev/null
}

# records FILE: the flow records in FILE.
records() {
	jq -s 'map(select(.event.kind == "event")) | length' "$1" 2>/dev/null
}

# alerts FILE: the denied-destination alerts in FILE.
alerts() {
	jq -s 'map(select(.event.action == "denied-destination")) | length' \
	    "$1" 2>/dev/null
}

# now_us: the wall clock in microseconds.
now_us() {
	echo $(($(date +%s%N) / 1000))
}

# first_us FILE: the time of the first packet to 198.51.100.0/24 (us).
first_us() {
	jq -r 'select(.event.kind == "event" and
	    (.destination.ip | startswith("198.51.100."))) | .event.start' "$1" |
	    head -n 1 | "$py" -c 'import sys, datetime
t = sys.stdin.read().strip()
d = datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ")
d = d.replace(tzinfo=datetime.timezone.utc)
print(int(d.timestamp() * 1000000))'
}

# whole FILE: every line of FILE parses, and it ends with a newline.
whole() {
	[ ! -s "$1" ] && return 0
	[ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] || return 1
	jq -e . "$1" >/dev/null 2>&1
}

# lock_store DB SECONDS: another connection takes DB's write lock (BEGIN
# IMMEDIATE) and lets it go SECONDS later, in the background; returns once
# the lock is held.  lock_pid is the holder: wait for it.
lock_store() {
	rm -f "$tmp/locked"
	"$py" - "$1" "$tmp/locked" "$2" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[3]))
c.execute("COMMIT")
PY
	lock_pid=$!
	waitfor 5 "[ -e '$tmp/locked' ]" || die "cannot lock the store"
}

# stats_setup: the runtime and log directories, egressd's user's (as
# systemd's RuntimeDirectory= and LogsDirectory= make them), and a policy
# with stats every second to the stats socket $sock; the test adds its
# own lines to $tmp/policy.conf.  Sets u, g and sock.
stats_setup() {
	u=$(id -un egressd 2>/dev/null || echo nobody)
	g=$(id -gn "$u") || die "no group for $u"
	mkdir "$tmp/run" "$tmp/log" && chown "$u:$g" "$tmp/run" "$tmp/log" ||
	    die "mkdir"
	sock=$tmp/run/stats.sock
	cat >"$tmp/policy.conf" <<POL
internal { 10.0.0.0/8 }
flow-idle-timeout udp 1s
group "cams" {
	hosts { 10.20.1.0/24 }
}
deny to 198.51.100.0/24
stats-interval 1s
stats-socket "$sock"
POL
}
