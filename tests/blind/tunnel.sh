#!/bin/sh
# Issue 15, items 2 and 3: nothing is hidden inside or behind a tunnel.
#  - GRE (TEB) sent by an appliance to a denied address with a made-up
#    DNS query to the site's resolver inside: by default it is a GRE flow
#    to that address with every byte, and no DNS flow; entered (--tunnel
#    gre) the GRE flow stays, the inner packet is a flow beside it.
#  - GRE four deep: a flow (of the outermost datagram by default; with
#    --tunnel gre, of the fourth one, too deep, counted).
#  - IPv6 with nine extension headers: a flow of its addresses and the
#    header egressd stopped at, counted.
. "$(dirname "$0")/common.sh"

run forged -r "$blind/gre-forged.pcap"
check "forged GRE: a GRE flow to the denied address" \
    "$(flows forged '.network.transport == "gre" and
        .destination.ip == "198.51.100.66" and .source.packets == 200 and
        .source.bytes == 19200')" 1
check "forged GRE: no made-up DNS flow" \
    "$(flows forged '.destination.port == 53')" 0
cat >"$tmp/deny.conf" <<'CONF'
group "cams" {
	hosts 10.20.1.0/24
}
deny to 198.51.100.66
CONF
run forged-deny -c "$tmp/deny.conf" -r "$blind/gre-forged.pcap"
check "forged GRE under a deny rule: denied" \
    "$(flows forged-deny '.egressd.verdict == "denied"')" 1
run forged-on --tunnel gre -r "$blind/gre-forged.pcap"
check "forged GRE entered: the GRE flow stays" \
    "$(flows forged-on '.network.transport == "gre" and
        .source.packets == 200')" 1
check "forged GRE entered: the inner packets beside it" \
    "$(flows forged-on '.destination.port == 53' )" 4

run deep -r "$blind/gre-deep.pcap"
check "GRE four deep: packets in flows" "$(counter deep decode.flow_packets)" 100
check "GRE four deep: the outer GRE flow" \
    "$(flows deep '.network.transport == "gre" and
        .destination.ip == "198.51.100.74" and .source.packets == 100')" 1
run deep-on --tunnel gre -r "$blind/gre-deep.pcap"
check "GRE four deep, entered: counted too deep" \
    "$(counter deep-on decode.gre.too_deep)" 100
check "GRE four deep, entered: four GRE flows" \
    "$(flows deep-on '.network.transport == "gre" and
        .source.packets == 100')" 4

run ext9 -r "$blind/ipv6-ext9.pcap"
check "IPv6, nine extension headers: a flow of its addresses" \
    "$(flows ext9 '.source.ip == "fd00::62" and
        .destination.ip == "2001:db8::62" and .network.transport == 60 and
        .source.packets == 100 and .source.bytes == 15600')" 1
check "IPv6, nine extension headers: counted" \
    "$(counter ext9 decode.ipv6.ext_too_deep)" 100
exit $fail
