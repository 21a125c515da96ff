#!/bin/sh
#
# bench/syslog-live.sh: the time from a beacon's decisive packet to its
# alert arriving at rsyslogd, live.  In a network namespace of its own
# (tests/live/lib.sh: a veth pair, egressd -i cap0), egressd runs with a
# store and a TCP syslog sink to Debian's rsyslogd on the namespace's
# loopback; tcpreplay sends pcapgen's cs5-j20 beacon (5 s, jitter 20%) at
# its own timing into rep0, cut just after the packet that decides the
# alert (about 66 s of traffic).  The alert's @timestamp is that packet's
# capture time (the kernel's clock); rsyslogd records when the message
# arrived (timegenerated, microseconds, the same clock).  The figure is
# the difference, the median of R runs (root only).  A run whose alert
# does not come is said, with the packets egressd captured, and counted.
#
# usage: bench/syslog-live.sh [-r RUNS]   (default 3)
set -u
R=3
while [ $# -gt 0 ]; do
	case $1 in
	-r) R=$2; shift 2 ;;
	*) echo "usage: $0 [-r RUNS]" >&2; exit 2 ;;
	esac
done
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
. "$top_srcdir/tests/live/lib.sh"
pcapgen=$(cd "$top_builddir" && pwd)/pcaps/pcapgen
RSYSLOGD=${RSYSLOGD:-$(command -v rsyslogd || echo /usr/sbin/rsyslogd)}
[ -x "$RSYSLOGD" ] || { echo "no rsyslogd: skip"; exit 77; }
for t in tcpreplay editcap tcpdump; do
	command -v $t >/dev/null 2>&1 || { echo "no $t: skip"; exit 77; }
done

u=$(id -un egressd 2>/dev/null || echo nobody)
g=$(id -gn "$u") || die "no group for $u"
mkdir "$tmp/log" "$tmp/work" && chown "$u:$g" "$tmp/log" || die "mkdir"
nsx ip link set lo up || die "cannot bring lo up"
port=10514

# The beacon, cut after the decisive packet (found offline).
"$pcapgen" beacon cs5-j20 1 "$tmp/full.pcap" || die "pcapgen"
"$egressd" -r "$tmp/full.pcap" -j "$tmp/off.jsonl" >/dev/null 2>&1
at=$(jq -r 'select(.event.action == "beacon") | ."@timestamp"' \
    "$tmp/off.jsonl" | head -n 1)
[ -n "$at" ] || die "no beacon alert offline"
hms=$(echo "$at" | sed 's/.*T\(.*\)Z/\1/')
n=$(tcpdump -tttt -nr "$tmp/full.pcap" 2>/dev/null | awk -v t="$hms" \
    '{ if ($2 <= t) n = NR } END { print n }')
editcap -r "$tmp/full.pcap" "$tmp/beacon.pcap" "1-$((n + 1))" ||
    die "editcap"
cut=$(tcpdump -nr "$tmp/beacon.pcap" 2>/dev/null | wc -l)
span=$(tcpdump -tt -nr "$tmp/beacon.pcap" 2>/dev/null | awk \
    'NR == 1 { a = $1 } { b = $1 } END { printf "%.0f", b - a }')

cat >"$tmp/rsyslog.conf" <<EOF
global(workDirectory="$tmp/work" maxMessageSize="64k")
module(load="imtcp")
input(type="imtcp" port="$port" address="127.0.0.1" ruleset="r")
template(name="t" type="string"
    string="%timegenerated:::date-rfc3339% %msgid% %rawmsg%\n")
ruleset(name="r") {
	action(type="omfile" file="$tmp/received" template="t"
	    flushOnTXEnd="on" asyncWriting="off")
}
EOF
ip netns exec "$ns" "$RSYSLOGD" -n -f "$tmp/rsyslog.conf" \
    -i "$tmp/rsyslog.pid" >>"$tmp/rsyslogd.log" 2>&1 &
rpid=$!
cleanup_more='kill "$rpid" 2>/dev/null'
waitfor 10 "nsx ss -Htln | grep -q '127.0.0.1:$port '" ||
    die "rsyslogd did not start"

cat >"$tmp/policy.conf" <<EOF
internal { 10.0.0.0/8 }
syslog "siem" { transport tcp; host 127.0.0.1; port $port; wait 3s }
EOF

echo "bench/syslog-live.sh: beacon cs5-j20 cut after its decisive packet" \
    "($cut packets, $span s at its own timing), $R runs ($(nproc) CPUs)"
: >"$tmp/ms"
miss=0
for r in $(seq "$R"); do
	# rsyslogd keeps its file open: this run's lines are those after k
	k=$(cat "$tmp/received" 2>/dev/null | wc -l)
	rm -f "$tmp/log/store.db"*
	start -w "$tmp/log/store.db"
	nsx tcpreplay -q -i rep0 "$tmp/beacon.pcap" >/dev/null 2>&1 ||
	    die "tcpreplay"
	if ! waitfor 10 "tail -n +$((k + 1)) '$tmp/received' 2>/dev/null |
	    grep -q ' beacon '"; then
		kill -USR1 "$pid"
		sleep 0.5
		stop
		echo "run $r: no beacon alert at rsyslogd in 10 s;" \
		    "$(grep 'stats:' "$tmp/err" | tail -n 1); received:" \
		    "$(tail -n +$((k + 1)) "$tmp/received" 2>/dev/null |
		    cut -d' ' -f2 | tr '\n' ' ')"
		miss=$((miss + 1))
		continue
	fi
	stop
	line=$(tail -n +$((k + 1)) "$tmp/received" | grep ' beacon ' |
	    head -n 1)
	ms=$("$py" - "$line" <<'PY'
import datetime, json, re, sys
line = sys.argv[1]
got = datetime.datetime.fromisoformat(line.split(" ", 1)[0])
ts = re.search(r'^\S+ \S+ <\d+>1 (\S+) ', line).group(1)
sent = datetime.datetime.fromisoformat(ts.replace("Z", "+00:00"))
print("%.0f" % ((got - sent).total_seconds() * 1000))
PY
)
	echo "run $r: $ms ms"
	echo "$ms" >>"$tmp/ms"
done
[ -s "$tmp/ms" ] || die "no run delivered a beacon alert"
med=$(sort -n "$tmp/ms" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
echo "decisive packet to rsyslogd: median $med ms of $R" \
    "(min $(sort -n "$tmp/ms" | head -n 1), max $(sort -n "$tmp/ms" | tail -n 1));" \
    "$miss runs without the alert"
exit $status
