pcaps/malformed.pcap
# Two deliberate defects: an IPv4 total length of 1500 in a 67-byte packet,
# which egressd counts as the 67 bytes on the wire (decode.ipv4.bad_len)
# while tshark adds the 1500 the header claims; and a GRE packet with the
# routing bit set, which egressd reports as a GRE flow while tshark follows
# it to the syslog datagram inside (67 bytes).
< udp 10.20.0.5 514 10.20.1.12 40514 0 0 5 1745
> udp 10.20.0.5 514 10.20.1.12 40514 0 0 4 245
