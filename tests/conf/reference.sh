#!/bin/sh
# conf/egressd.conf, the commented reference: it parses (and -t prints
# nothing); it names every option that tests/conf/02.conf (which sets them
# all) sets, with the default the flow table really has; and a run with it
# gives every record and alert a verdict from it.
set -u
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
egressd=$(cd "$builddir" && pwd)/src/egressd
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$srcdir" || exit 99
fail=0

# -t says nothing when the configuration is good.
"$egressd" -t -c conf/egressd.conf >"$tmp/t.out" 2>&1
rc=$?
if [ $rc -ne 0 ] || [ -s "$tmp/t.out" ]; then
	echo "FAIL: egressd -t -c conf/egressd.conf: exit $rc, output:"
	cat "$tmp/t.out"
	fail=1
fi
"$egressd" -tv -c tests/conf/02.conf | awk '/^[a-z-]+ / &&
    $1 !~ /^(group|internal|resolvers|ntp-servers|deny)$/ { print $1 }' |
    sort -u >"$tmp/options"
[ -s "$tmp/options" ] || { echo "FAIL: no options in 02.conf"; fail=1; }
while read -r opt; do
	if ! grep -q "^#$opt " conf/egressd.conf; then
		echo "FAIL: conf/egressd.conf does not show option $opt"
		fail=1
	fi
done <"$tmp/options"
# The defaults shown are the flow table's (flow_config_default).
for d in "tcp-new 30s" "tcp 5m" "tcp-closed 10s" "udp 1m" "icmp 30s" \
    "other 1m"; do
	grep -q "^#flow-idle-timeout $d\$" conf/egressd.conf || {
		echo "FAIL: flow-idle-timeout $d not shown"; fail=1; }
done
grep -q '^#flow-active-timeout 5m$' conf/egressd.conf || {
	echo "FAIL: flow-active-timeout default"; fail=1; }
grep -q '^#max-flows 1000000$' conf/egressd.conf || {
	echo "FAIL: max-flows default"; fail=1; }

# A run with it: every record has a verdict from it.
"$egressd" -c conf/egressd.conf -r pcaps/site-demo.pcap -j "$tmp/b.json" \
    >"$tmp/b" 2>"$tmp/b.err"
rc=$?
n=$(grep -c . "$tmp/b.json")
v=$(grep -c '"verdict":"\(internal\|approved\|unapproved\|denied\)"' "$tmp/b.json")
if [ $rc -ne 0 ] || [ -s "$tmp/b.err" ] || [ "$n" -eq 0 ] || [ "$n" -ne "$v" ]; then
	echo "FAIL: a run with conf/egressd.conf: exit $rc, $v verdicts in $n lines"
	cat "$tmp/b.err"
	fail=1
fi
exit $fail
