# Shared by the syslog tests: a temporary directory, a test CA and server
# certificate made with openssl, and Debian's rsyslogd started on
# loopback with a configuration of its own (imtcp, imudp, imuxsock on a
# socket of ours; a second instance with a TLS listener through
# rsyslog-openssl or rsyslog-gnutls), writing every message as received
# (%rawmsg%) one a line.  Sourced, with "set -u" in force.
srcdir=$(cd "${top_srcdir:-.}" && pwd)
builddir=$(cd "${top_builddir:-.}" && pwd)
egressd=$builddir/src/egressd
readback=$builddir/tests/syslog/readback
tmp=$(mktemp -d "${TMPDIR:-/tmp}/egressd-syslog.XXXXXX") || exit 99
chmod 755 "$tmp"
fail=0

# fail MESSAGE: note a failure and go on.
fail() {
	echo "FAIL: $*"
	fail=1
}

# skip MESSAGE: the test cannot run here (automake's 77).
skip() {
	echo "SKIP: $*"
	exit 77
}

[ -x "$readback" ] || { echo "no $readback: make check builds it"; exit 99; }
RSYSLOGD=${RSYSLOGD:-$(command -v rsyslogd || echo /usr/sbin/rsyslogd)}
[ -x "$RSYSLOGD" ] || skip "rsyslogd is not installed (Debian: apt-get install rsyslog rsyslog-openssl)"
for t in openssl sqlite3 python3; do
	command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"
done
moddir=$(dirname "$(find /usr/lib -name imtcp.so 2>/dev/null | head -1)")
if [ -f "$moddir/lmnsd_ossl.so" ]; then
	tlsdriver=ossl
elif [ -f "$moddir/lmnsd_gtls.so" ]; then
	tlsdriver=gtls
else
	skip "no TLS driver for rsyslog (apt-get install rsyslog-openssl)"
fi

# Ports: picked from the process id, checked free on loopback.
port_free() {
	! (ss -Htanu 2>/dev/null || netstat -tanu 2>/dev/null) |
	    grep -q "[:.]$1 "
}
base=$((20000 + $$ % 20000))
while ! port_free "$base" || ! port_free $((base + 1)) ||
    ! port_free $((base + 2)); do
	base=$((base + 3))
done
TCP_PORT=$base
UDP_PORT=$((base + 1))
TLS_PORT=$((base + 2))
LOG_SOCK=$tmp/log.sock

# The test CA and the receiver's certificate (for 127.0.0.1).
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/ca.key" \
    -out "$tmp/ca.pem" -days 2 -subj "/CN=egressd test CA" 2>/dev/null &&
openssl req -newkey rsa:2048 -nodes -keyout "$tmp/srv.key" \
    -out "$tmp/srv.csr" -subj "/CN=localhost" 2>/dev/null &&
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$tmp/ext" &&
openssl x509 -req -in "$tmp/srv.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" \
    -CAcreateserial -out "$tmp/srv.pem" -days 2 -extfile "$tmp/ext" \
    2>/dev/null || { echo "openssl: cannot make the test CA"; exit 99; }

mkdir -p "$tmp/work" "$tmp/work-tls"
cat >"$tmp/rsyslog.conf" <<CONF
global(workDirectory="$tmp/work" maxMessageSize="64k")
module(load="imtcp")
module(load="imudp")
module(load="imuxsock" SysSock.Use="off")
input(type="imtcp" port="$TCP_PORT" address="127.0.0.1" ruleset="r")
input(type="imudp" port="$UDP_PORT" address="127.0.0.1" ruleset="r")
input(type="imuxsock" Socket="$LOG_SOCK" ruleset="r")
template(name="raw" type="string" string="%rawmsg%\n")
ruleset(name="r") {
	action(type="omfile" file="$tmp/received" template="raw"
	    flushOnTXEnd="on" asyncWriting="off")
}
CONF
cat >"$tmp/rsyslog-tls.conf" <<CONF
global(workDirectory="$tmp/work-tls" maxMessageSize="64k"
    defaultNetstreamDriver="$tlsdriver"
    defaultNetstreamDriverCAFile="$tmp/ca.pem"
    defaultNetstreamDriverCertFile="$tmp/srv.pem"
    defaultNetstreamDriverKeyFile="$tmp/srv.key")
module(load="imtcp" streamDriver.name="$tlsdriver" streamDriver.mode="1"
    streamDriver.authMode="anon")
input(type="imtcp" port="$TLS_PORT" address="127.0.0.1" ruleset="r")
template(name="raw" type="string" string="%rawmsg%\n")
ruleset(name="r") {
	action(type="omfile" file="$tmp/received-tls" template="raw"
	    flushOnTXEnd="on" asyncWriting="off")
}
CONF

# rs_start [tls]: start an rsyslogd and wait until it listens.
rs_start() {
	suffix=${1:+-$1}
	"$RSYSLOGD" -n -f "$tmp/rsyslog$suffix.conf" -i "$tmp/rsyslog$suffix.pid" \
	    >>"$tmp/rsyslogd$suffix.log" 2>&1 &
	echo $! >"$tmp/rs$suffix.pid"
	port=$TCP_PORT
	[ -n "$suffix" ] && port=$TLS_PORT
	i=0
	while port_free "$port"; do
		i=$((i + 1))
		[ $i -gt 100 ] && { cat "$tmp/rsyslogd$suffix.log";
		    echo "rsyslogd did not start"; exit 99; }
		sleep 0.1
	done
}

# rs_stop [tls]: stop it (TERM) and wait for it to exit.
rs_stop() {
	suffix=${1:+-$1}
	pid=$(cat "$tmp/rs$suffix.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f "$tmp/rs$suffix.pid"
}

cleanup() {
	rs_stop
	rs_stop tls
	[ -n "${egressd_pid:-}" ] && kill -9 "$egressd_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap "rs_stop; rs_stop tls; echo kept $tmp" EXIT

# ids DB: the store's alerts as "ID TIMESTAMP", in the order raised.
ids() {
	sqlite3 -batch "$1" "SELECT id || ' ' || json_extract(ecs,
	    '\$.\"@timestamp\"') FROM alerts ORDER BY seq"
}

# first_seen FILE: the ids of a readback in the order first received.
first_seen() {
	awk '!seen[$0]++' "$1"
}

# lines FILE: its number of lines (0 if there is none).
lines() {
	if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi
}

# backlog DB: BACKLOG more alerts waiting for the sink "siem" in the
# store DB, copies of those there (each with an id of its own).
backlog() {
	sqlite3 -batch "$1" "
	WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n
	    WHERE x < $BACKLOG / 35 + 1)
	INSERT INTO alerts (id, run, ts, action, severity, rule, message,
	    source_ip, network_type, ecs)
	SELECT printf('%016x', 1048576 + x * 64 + a.seq), a.run, a.ts, a.action,
	    a.severity, a.rule, a.message, a.source_ip, a.network_type,
	    json_set(a.ecs, '\$.event.id', printf('%016x', 1048576 + x * 64 + a.seq))
	FROM n, (SELECT * FROM alerts ORDER BY seq) a ORDER BY x, a.seq;
	INSERT INTO deliveries (sink, alert, state)
	SELECT 'syslog:siem', seq, 'pending' FROM alerts
	WHERE seq > (SELECT max(alert) FROM deliveries);" || exit 99
}

# delivered DB SINK FORMAT FILE: every alert of the store DB arrived at
# SINK in FILE (read back as FORMAT), first arrivals in the order raised
# (a resent alert may come twice: same id), and all are marked delivered
# to SINK; n is how many there are, dup how many came twice.
delivered() {
	ids "$1" >"$tmp/want"
	n=$(lines "$tmp/want")
	"$readback" "$3" "$1" "$4" >"$tmp/$2.ids" ||
	    fail "$2: $(grep BAD "$tmp/$2.ids" | head -3)"
	first_seen "$tmp/$2.ids" >"$tmp/$2.first"
	cmp -s "$tmp/want" "$tmp/$2.first" ||
	    fail "$2: $(lines "$tmp/$2.first") of $n alerts arrived, or not in order"
	left=$(sqlite3 -batch "$1" "SELECT count(*) FROM deliveries
	    WHERE sink = 'syslog:$2' AND state != 'delivered'")
	[ "$left" -eq 0 ] || fail "$2: $left alerts not marked delivered"
	dup=$(($(lines "$tmp/$2.ids") - $(lines "$tmp/$2.first")))
}
