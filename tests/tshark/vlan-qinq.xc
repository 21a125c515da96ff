pcaps/vlan-qinq.pcap
# One frame carries five VLAN tags; egressd walks at most 4
# (decode.vlan.too_deep) and does not attribute it; tshark does.
< udp 10.20.0.53 53 10.20.1.13 60983 0 0 1 69
