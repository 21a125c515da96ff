tests/blind/mpls.pcap
# MPLS (RFC 3032) unicast and multicast, in a VLAN, IPv4 and IPv6 under
# one to three labels, a pseudowire control word (RFC 4385: not IP; tshark
# finds no IP in it either).  A stack of 17 labels is past the 16 egressd
# walks (decode.mpls.too_deep); tshark reads the datagram under it.
< udp 10.20.1.90 45005 198.51.100.95 9 20 640 0 0
