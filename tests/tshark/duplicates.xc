pcaps/duplicates.pcap
# SPAN duplicates (TTL one lower, another VLAN, or byte for byte, within
# 5 ms) are dropped by egressd and counted in decode.duplicate; tshark counts
# every copy.  The retransmission 300 ms later is counted by both.
< tcp 10.20.0.5 58770 10.20.1.11 554 12 660 6 420
< udp 10.20.0.5 50010 10.30.0.21 15000 0 0 16 16634
< udp 10.20.0.53 53 10.20.1.12 58499 2 170 2 138
> tcp 10.20.0.5 58770 10.20.1.11 554 6 330 3 210
> udp 10.20.0.5 50010 10.30.0.21 15000 0 0 8 8317
> udp 10.20.0.53 53 10.20.1.12 58499 1 85 1 69
