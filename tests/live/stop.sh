#!/bin/sh
# SIGTERM, then SIGINT: every flow still open is written out (reason
# "shutdown") to the JSON file and committed to the audit store, and
# egressd exits 0 within 5 s.  Flows never idle out here (10 min).
. "${top_srcdir:-.}/tests/live/lib.sh"

cat >"$tmp/policy.conf" <<EOF
internal { 10.0.0.0/8 }
flow-idle-timeout udp 10m
group "cams" {
	hosts { 10.20.1.0/24 }
	allow to 10.20.0.5
}
deny to 198.51.100.0/24
EOF
# Its user's directory, as /var/lib/egressd would be.
u=$(id -un egressd 2>/dev/null || echo nobody)
mkdir "$tmp/out" && chown "$u:$(id -gn "$u")" "$tmp/out" || die "mkdir"
command -v sqlite3 >/dev/null 2>&1 || { echo "no sqlite3 shell: skip"; exit 77; }

# run SIGNAL COUNT: COUNT datagrams, each from a new socket (a flow each,
# but for a source port the kernel hands out again), then SIGNAL.
run() {
	sig=$1 want=$2 j=$tmp/out/$1.jsonl db=$tmp/out/$1.db
	start -j "$j" -w "$db"
	udp "$want"
	# SIGUSR1 until the stats line counts them all (the capture buffers).
	waitfor 10 "kill -USR1 $pid; sleep 0.4; grep -q 'stats: $want packets' '$tmp/err'" ||
	    fail "$sig: egressd did not count the $want datagrams"
	[ "$(records "$j")" = 0 ] || fail "$sig: flows ended before the signal"
	open=$(grep "stats: $want packets" "$tmp/err" | tail -n 1 |
	    sed -n 's/.* \([0-9]*\) live flows.*/\1/p')
	t0=$(now_us)
	kill -"$sig" "$pid"
	wait "$pid"
	rc=$?
	pid=
	ms=$(( ($(now_us) - t0) / 1000 ))
	[ "$rc" -eq 0 ] || fail "$sig: exit status $rc"
	[ "$ms" -le 5000 ] || fail "$sig: $ms ms to exit, more than 5 s"
	r=$(jq -s 'map(select(.event.kind == "event" and
	    .egressd.flow.reason == "shutdown")) | length' "$j")
	[ "$r" = "$open" ] && [ "$(records "$j")" = "$open" ] ||
	    fail "$sig: $r of $open open flows written out at shutdown"
	[ "$(packets "$j")" = "$want" ] ||
	    fail "$sig: $(packets "$j") of $want packets in the records"
	whole "$j" || fail "$sig: the JSON file does not end in a whole line"
	s=$(sqlite3 "$db" 'SELECT sum(records), sum(packets_out) FROM flows' 2>&1)
	[ "$s" = "$open|$want" ] ||
	    fail "$sig: the store holds records|packets $s, not $open|$want"
	echo "$sig: $open open flows ($want packets), exit $rc after $ms ms; $r records, the store: $s"
}

run TERM 2000
run INT 50
[ "$status" -eq 0 ] || cat "$tmp/err"
exit $status
