#!/bin/sh
# Real traffic, real captures: the kernel's own TCP/IP stack talks across
# three network namespaces made for the test, tcpdump and dumpcap record it
# in several ways at once, and every capture goes through the tshark
# cross-checks: per TCP/UDP conversation, the packets and IP bytes each way
# that egressd reports must equal tshark's (tests/tshark/crosscheck.sh);
# every TLS server name and HTTP Host tshark decodes must be egressd's for
# the same conversation (names.sh); and every DNS answer tshark decodes
# must name the flows that follow it (dnsnames.sh).  The names come from a
# DNS server (UDP, and TCP when an answer is too big), a TLS server with a
# certificate made for the test, and HTTP, all in traffic.py.
#
#   site (10.x, fd00::) --s0/r0--> router --r1/o1 (MTU 1280)--> outside
#     s0/r0 also carries VLAN 20 (802.1Q) for 10.20.0.0/24, fd00:20::/64;
#     a tun "VPN" (tun0, raw IP, MTU 1280) links site and outside directly.
#   outside: 192.0.2.1, 198.51.100.1, 203.0.113.1, 2001:db8:{0,1,2}::1
#   router: blackhole 198.51.100.99 and 2001:db8:1::99 (a SYN nobody
#     answers), unreachable 198.51.100.98 and 2001:db8:1::98 (ICMP errors).
#
# Captures: Ethernet with fragments (ether), the VLAN trunk (vlan), the trunk
# cut to 96 bytes (snap96), VLAN 20 alone with nanosecond stamps (nano), the
# tun device (raw, LINKTYPE_RAW), -i any as Linux cooked v2 and v1 (sll2,
# sll) and a three-interface pcapng from dumpcap (pcapng).  -i any is taken
# only in the outside namespace, where each packet crosses one interface: in
# the router it would see every packet twice (in and out), which egressd
# drops as a SPAN duplicate and tshark counts.
#
# Nothing is sent outside these namespaces.  Needs root, iproute2, tcpdump,
# tshark (with dumpcap), jq, openssl and python3; VLAN tags come from 802.1Q
# sub-interfaces, or where the kernel lacks 8021q from a tc BPF program built
# with clang.  Skipped (77) otherwise.  By hand, after ./configure && make:
#   sudo top_srcdir=. top_builddir=. sh tests/real/real.sh
# REAL_KEEP=DIR keeps the captures in DIR.  REAL_PROBES=1 adds two cases
# egressd does not handle yet: bursts of identical datagrams (taken for SPAN
# duplicates) and a pcapng whose interfaces differ in link type (mixed).
set -u
srcdir=$(cd "${top_srcdir:-.}" && pwd)
builddir=$(cd "${top_builddir:-.}" && pwd)
here=$srcdir/tests/real
[ "$(id -u)" -eq 0 ] || { echo "not root: skip"; exit 77; }
for t in ip tc tcpdump tshark dumpcap jq openssl python3 sysctl; do
	command -v $t >/dev/null 2>&1 || { echo "no $t: skip"; exit 77; }
done
[ -x "$builddir/src/egressd" ] || { echo "FAIL: no $builddir/src/egressd"; exit 99; }

S=egr$$site R=egr$$rtr O=egr$$out
tmp=$(mktemp -d) || exit 99
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	for n in $S $R $O; do ip netns del $n 2>/dev/null; done
	if [ -n "${REAL_KEEP:-}" ]; then
		mkdir -p "$REAL_KEEP" && cp "$tmp"/*.pcap* "$REAL_KEEP"/ 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 99' HUP INT TERM
# Run in the background in a namespace, output to $tmp/$1.log.
bg() {
	name=$1 ns=$2
	shift 2
	ip netns exec "$ns" "$@" >"$tmp/$name.log" 2>&1 &
	pids="$pids $!"
}
# Wait (10 s at most) for each named log to say its word.
ready() {
	word=$1
	shift
	for name; do
		i=0
		until grep -q "$word" "$tmp/$name.log" 2>/dev/null; do
			i=$((i + 1))
			[ $i -lt 100 ] || { echo "FAIL: $name not ready:"; cat "$tmp/$name.log"; exit 1; }
			sleep 0.1
		done
	done
}
die() { echo "FAIL: $*"; exit 1; }

# --- the namespaces and their links ------------------------------------------
for n in $S $R $O; do
	ip netns add $n || { echo "cannot make network namespaces: skip"; exit 77; }
	ip netns exec $n sh -c '
	    sysctl -qw net.ipv6.conf.all.accept_dad=0
	    sysctl -qw net.ipv6.conf.default.accept_dad=0
	    sysctl -qw net.ipv6.conf.default.router_solicitations=0
	    sysctl -qw net.ipv4.conf.all.arp_ignore=1' || die "sysctl in $n"
	ip -n $n link set lo up
done
ip netns exec $R sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 ||
    die "no forwarding"
ip -n $R link add r0 type veth peer name s0 netns $S &&
ip -n $R link add r1 type veth peer name o1 netns $O &&
ip -n $R link set r1 mtu 1280 && ip -n $O link set o1 mtu 1280 || die "veth"
ip -n $S link set s0 up && ip -n $R link set r0 up || die "link up"

# VLAN 20 between site and router, tagged on s0/r0: 802.1Q sub-interfaces,
# or else macvlans whose frames a tc BPF program tags and untags (for kernels
# without 8021q, like CI's), or else, untagged, a veth pair of its own.
bpf_vlan() {
	command -v clang >/dev/null 2>&1 || return 1
	clang -O2 -target bpf -c "$here/vlan-tag.c" -o "$tmp/vlan-tag.o" \
	    2>"$tmp/clang.log" || return 1
	ip -n $S link add link s0 name s20 address 02:00:00:00:20:02 type macvlan mode bridge &&
	ip -n $R link add link r0 name r20 address 02:00:00:00:20:01 type macvlan mode bridge ||
	    return 1
	for x in "$S s0" "$R r0"; do
		set -- $x
		ip netns exec $1 tc qdisc add dev $2 clsact &&
		ip netns exec $1 tc filter add dev $2 egress bpf da obj "$tmp/vlan-tag.o" sec egress &&
		ip netns exec $1 tc filter add dev $2 ingress bpf da obj "$tmp/vlan-tag.o" sec ingress ||
		    return 1
	done 2>"$tmp/tc.log"
}
if ip -n $S link add link s0 name s0.20 type vlan id 20 2>/dev/null; then
	ip -n $R link add link r0 name r0.20 type vlan id 20 || die "vlan"
	sv=s0.20 rv=r0.20 tags="802.1Q sub-interfaces"
elif bpf_vlan; then
	sv=s20 rv=r20 tags="macvlans tagged by tc BPF (no 8021q)"
else
	for x in "$S s0 s20" "$R r0 r20"; do
		set -- $x
		ip -n $1 link del $3 2>/dev/null
		ip netns exec $1 tc qdisc del dev $2 clsact 2>/dev/null
	done
	ip -n $R link add r20 type veth peer name s20 netns $S || die "veth"
	sv=s20 rv=r20 tags=
	echo "note: no 802.1Q sub-interfaces, no tc BPF: VLAN 20 untagged"
fi
ip -n $S link set $sv up && ip -n $R link set $rv up &&
ip -n $R link set r1 up && ip -n $O link set o1 up || die "link up"

# The tun "VPN" between site and outside.
bg tun $S python3 "$here/traffic.py" tun tun0 $O
ready relaying tun
for n in $S $O; do
	ip -n $n link set tun0 mtu 1280 up || die "tun0"
done

a() { ip -n $1 addr add $3 dev $2 || die "address $3 on $2 in $1"; }
a $S s0 10.1.0.2/24;	a $S s0 fd00:1::2/64
a $S $sv 10.20.0.2/24;	a $S $sv fd00:20::2/64
a $S tun0 10.99.0.2/32;	a $S tun0 fd00:99::2/128
a $R r0 10.1.0.1/24;	a $R r0 fd00:1::1/64
a $R $rv 10.20.0.1/24;	a $R $rv fd00:20::1/64
a $R r1 192.0.2.254/24;	a $R r1 2001:db8::fe/64
a $O o1 192.0.2.1/24;	a $O o1 2001:db8::1/64
a $O lo 198.51.100.1/32; a $O lo 2001:db8:1::1/128
a $O tun0 203.0.113.1/32; a $O tun0 2001:db8:2::1/128
r() {
	n=$1 f=
	shift
	[ "$1" = -6 ] && { f=-6; shift; }
	ip $f -n $n route add "$@" || die "route $f $* in $n"
}
r $S default via 10.1.0.1
r $S 198.51.100.0/24 via 10.20.0.1 dev $sv
r $S 203.0.113.0/24 dev tun0 src 10.99.0.2
r $S -6 default via fd00:1::1
r $S -6 2001:db8:1::/64 via fd00:20::1 dev $sv
r $S -6 2001:db8:2::/64 dev tun0 src fd00:99::2
r $R 198.51.100.0/24 via 192.0.2.1
r $R -6 2001:db8:1::/64 via 2001:db8::1
r $R blackhole 198.51.100.99/32
r $R -6 blackhole 2001:db8:1::99/128
r $R unreachable 198.51.100.98/32
r $R -6 unreachable 2001:db8:1::98/128
r $O 10.0.0.0/8 via 192.0.2.254
r $O -6 fd00::/8 via 2001:db8::fe
r $O 10.99.0.2/32 dev tun0 src 203.0.113.1
r $O -6 fd00:99::2/128 dev tun0 src 2001:db8:2::1

# --- captures ------------------------------------------------------------------
# name namespace filter-that-must-match link-type, then the capture command.
caps=
cap() {
	caps="$caps $1"
	echo "$4" >"$tmp/$1.want"
	echo "$3" >"$tmp/$1.filter"
	name=$1 ns=$2
	shift 4
	bg $name $ns "$@"
}
td="tcpdump -n -U -Z root"
frags='ip.flags.mf == 1 || ipv6.fraghdr'
cap ether $R "$frags" EN10MB $td -i r1 -w "$tmp/ether.pcap"
if [ -n "$tags" ]; then
	cap vlan $R "vlan.id == 20" EN10MB $td -i r0 -w "$tmp/vlan.pcap"
	cap snap96 $S "vlan.id == 20 && frame.cap_len < frame.len" EN10MB \
	    $td -i s0 -s 96 -w "$tmp/snap96.pcap"
else
	cap vlan $R "$frags" EN10MB $td -i r0 -w "$tmp/vlan.pcap"
	cap snap96 $S "frame.cap_len < frame.len" EN10MB \
	    $td -i s0 -s 96 -w "$tmp/snap96.pcap"
fi
cap nano $S "$frags" EN10MB $td -i $sv --time-stamp-precision nano -w "$tmp/nano.pcap"
cap raw $S "$frags" RAW $td -i tun0 -w "$tmp/raw.pcap"
cap sll2 $O "$frags" LINUX_SLL2 $td -i any -y LINUX_SLL2 -w "$tmp/sll2.pcap"
cap sll $O "$frags" LINUX_SLL $td -i any -y LINUX_SLL -w "$tmp/sll.pcap"
cap pcapng $O "frame.interface_id == 1" EN10MB \
    dumpcap -q -i o1 -i lo -w "$tmp/pcapng.pcapng"
if [ -n "${REAL_PROBES:-}" ]; then
	cap mixed $O "frame.interface_id == 2" EN10MB \
	    dumpcap -q -i o1 -i lo -i tun0 -w "$tmp/mixed.pcapng"
fi
for c in $caps; do
	case $c in
	pcapng|mixed) ready "Capturing on" $c ;;
	*) ready "listening on" $c ;;
	esac
done

# --- traffic -------------------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -subj /CN=real.example -days 1 -keyout "$tmp/key.pem" \
    -out "$tmp/cert.pem" >/dev/null 2>&1 || die "openssl: no certificate"
bg serve-out $O python3 "$here/traffic.py" serve "$tmp/cert.pem" "$tmp/key.pem"
bg serve-site $S python3 "$here/traffic.py" serve
ready serving serve-out serve-site
A=192.0.2.1 B=198.51.100.1 C=203.0.113.1
A6=2001:db8::1 B6=2001:db8:1::1 C6=2001:db8:2::1
site_plan="
	http,$A,200000 http,$B,200000 http,$C,200000
	http,$A6,200000 http,$B6,200000 http,$C6,200000
	echo,$A,10 echo,$B6,10 echo,$C,5 abort,$A6,3 abort,$B,3
	refused,$A refused,$A6 refused,$C6
	nosyn,198.51.100.99 nosyn,2001:db8:1::99
	unreach,198.51.100.98 unreach,2001:db8:1::98
	udp,$A,5 udp,$B,5 udp,$C,5 udp,$A6,5 udp,$B6,5 udp,$C6,5
	udpempty,$A udpempty,$B6
	udpbig,$A udpbig,$B udpbig,$C udpbig,$A6 udpbig,$B6 udpbig,$C6
	udpclosed,$A udpclosed,$B6
	v6opts,$A6,hop v6opts,$B6,dst
	ping,$A ping,$A6 ping,$B6 ping,$C
	name,$B,web-a.real.example:tls name,$B,web-c.real.example:http
	name,$B6,web-b.real.example:tls:6 name,$B,pool.real.example:tls
	name,$B6,pool.real.example:http:6 tls,$C,direct.real.example
	tls,$A6,direct6.real.example"
out_plan="
	http,10.1.0.2,50000 echo,10.20.0.2,5 udp,fd00:1::2,3 udp,fd00:20::2,3
	udp,10.99.0.2,3 http,fd00:99::2,30000 udpbig,10.1.0.2
	http,127.0.0.1,20000 echo,::1,3 udp,127.0.0.1,3 udpbig,::1"
if [ -n "${REAL_PROBES:-}" ]; then
	site_plan="$site_plan same,$A,3 same,$B6,3"
	out_plan="$out_plan same,127.0.0.1,3"
fi
ip netns exec $S python3 "$here/traffic.py" client $site_plan 2>"$tmp/site.err" &
site=$!
ip netns exec $O python3 "$here/traffic.py" client $out_plan 2>"$tmp/out.err"
out=$?
wait $site
site=$?
sleep 0.5	# the last FINs and ACKs
[ $site -eq 0 ] && [ $out -eq 0 ] ||
    { cat "$tmp/site.err" "$tmp/out.err"; die "the traffic did not go as planned"; }

# Stop the captures; tcpdump and dumpcap write out what they hold.
for p in $pids; do kill -TERM "$p" 2>/dev/null; done
for p in $pids; do wait "$p" 2>/dev/null; done
pids=

# --- the cross-check -----------------------------------------------------------
status=0
for c in $caps; do
	f=$(ls "$tmp/$c".pcap*)
	lt=$(tcpdump -nr "$f" -c 1 2>&1 >/dev/null | sed -n 's/.*link-type \([^ ]*\).*/\1/p')
	want=$(cat "$tmp/$c.want")
	if [ "$lt" != "$want" ]; then
		echo "FAIL: $c: link type $lt, not $want"
		status=1
		continue
	fi
	n=$(tshark -r "$f" -Y "$(cat "$tmp/$c.filter")" 2>/dev/null | wc -l)
	if [ "$n" -eq 0 ]; then
		echo "FAIL: $c: nothing matches $(cat "$tmp/$c.filter")"
		status=1
		continue
	fi
	echo "$f" >"$tmp/$c.xc"
	if XC_DEDUP=1 top_builddir=$builddir \
	    sh "$srcdir/tests/tshark/crosscheck.sh" "$tmp/$c.xc" \
	    >"$tmp/$c.xc.out" 2>&1; then
		n=$(sed -n 's/.*: \([0-9]*\) conversations agree.*/\1/p' "$tmp/$c.xc.out")
		echo "$c: $n conversations agree with tshark ($lt, $(tshark -r "$f" 2>/dev/null | wc -l) frames)"
	else
		sed "s|$tmp/||" "$tmp/$c.xc.out"
		status=1
	fi
	for check in names.sh dnsnames.sh; do
		if top_srcdir=$srcdir top_builddir=$builddir \
		    sh "$srcdir/tests/tshark/$check" "$f" >"$tmp/$c.names" 2>&1; then
			echo "$c: $(tail -n 1 "$tmp/$c.names")"
		else
			sed "s|$tmp/||" "$tmp/$c.names"
			status=1
		fi
	done
done
[ -n "$tags" ] && echo "VLAN 20 tags from $tags"
exit $status
