#!/bin/sh
#
# bench/syslog.sh: alerts per second delivered to Debian's rsyslogd on
# loopback over TCP (octet counting) and over TLS (rsyslog-openssl or
# -gnutls), from the store's outbox as egressd delivers them.  A store
# holds N alerts waiting (copies of pcaps/site-demo.pcap's, each with an
# id of its own, the same backlog tests/syslog/restart.sh builds); one
# egressd run delivers them; the figure is N over the time from egressd's
# start to the N-th message in rsyslogd's file, best of R rounds, for
# each format.  rsyslogd writes every message to a file (%rawmsg%), so
# the figure is the pair's, bounded by the slower.
#
# As root, bench/syslog-live.sh follows: the time from a beacon's
# decisive packet to its alert at rsyslogd, live (-l RUNS, default 3).
#
# usage: bench/syslog.sh [-n ALERTS] [-r ROUNDS] [-l RUNS]
#        (default 20000, 3, 3)
set -u
LC_ALL=C
export LC_ALL
N=20000
R=3
L=3
while [ $# -gt 0 ]; do
	case $1 in
	-n) N=$2; shift 2 ;;
	-r) R=$2; shift 2 ;;
	-l) L=$2; shift 2 ;;
	*) echo "usage: $0 [-n ALERTS] [-r ROUNDS] [-l RUNS]" >&2; exit 2 ;;
	esac
done
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/tests/syslog/common.sh"

now() { date +%s.%N; }

# backlog DB NAME: a store whose outbox holds N alerts for syslog NAME.
backlog() {
	rm -f "$1"
	printf 'syslog "%s" { transport tcp; host 127.0.0.1; port 9; wait 0s }\n' \
	    "$2" >"$tmp/mk.conf"
	"$egressd" -r "$srcdir/pcaps/site-demo.pcap" -c "$tmp/mk.conf" \
	    -w "$1" >/dev/null 2>&1
	sqlite3 -batch "$1" "
	WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n
	    WHERE x < $N / 35 + 1)
	INSERT INTO alerts (id, run, ts, action, severity, rule, message,
	    source_ip, network_type, ecs)
	SELECT printf('%016x', 1048576 + x * 64 + a.seq), a.run, a.ts,
	    a.action, a.severity, a.rule, a.message, a.source_ip,
	    a.network_type, json_set(a.ecs, '\$.event.id',
	    printf('%016x', 1048576 + x * 64 + a.seq))
	FROM n, (SELECT * FROM alerts ORDER BY seq) a ORDER BY x, a.seq;
	INSERT INTO deliveries (sink, alert, state)
	SELECT 'syslog:$2', seq, 'pending' FROM alerts
	WHERE seq > (SELECT max(alert) FROM deliveries);
	DELETE FROM deliveries WHERE alert > (SELECT min(alert) + $N - 1
	    FROM deliveries)"
}

# one TRANSPORT FORMAT: seconds to deliver N alerts, best of R.
one() {
	best=
	for r in $(seq "$R"); do
		backlog "$tmp/b.db" bench
		file=$tmp/received
		if [ "$1" = tls ]; then
			file=$tmp/received-tls
			printf 'syslog "bench" { transport tls; host 127.0.0.1; port %s; ca "%s"; format %s; wait 120s }\n' \
			    "$TLS_PORT" "$tmp/ca.pem" "$2" >"$tmp/b.conf"
			rs_start tls
		else
			printf 'syslog "bench" { transport tcp; host 127.0.0.1; port %s; format %s; wait 120s }\n' \
			    "$TCP_PORT" "$2" >"$tmp/b.conf"
			rs_start
		fi
		rm -f "$file"
		t0=$(now)
		"$egressd" -r "$srcdir/pcaps/link-raw.pcap" -c "$tmp/b.conf" \
		    -w "$tmp/b.db" >/dev/null 2>&1 &
		pid=$!
		while [ "$(lines "$file")" -lt "$N" ]; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.01
		done
		t1=$(now)
		wait "$pid"
		if [ "$1" = tls ]; then rs_stop tls; else rs_stop; fi
		got=$(lines "$file")
		[ "$got" -ge "$N" ] || { echo "only $got of $N arrived" >&2; }
		s=$(echo "$t1 - $t0" | bc -l)
		if [ -z "$best" ] || [ "$(echo "$s < $best" | bc -l)" = 1 ]; then
			best=$s
		fi
	done
	printf '%-4s %-8s %6d alerts  %6.3f s  %8.0f alerts/s\n' "$1" "$2" \
	    "$N" "$best" "$(echo "$N / $best" | bc -l)"
}

echo "bench/syslog.sh: $N alerts from the outbox to rsyslogd on loopback," \
    "best of $R ($(nproc) CPUs)"
for t in tcp tls; do
	for f in rfc5424 cef json; do
		one "$t" "$f"
	done
done
if [ "$(id -u)" -eq 0 ]; then
	sh "$top_srcdir/bench/syslog-live.sh" -r "$L"
else
	echo "bench/syslog-live.sh: not root, not run"
fi
