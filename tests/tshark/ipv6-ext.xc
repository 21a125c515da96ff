pcaps/ipv6-ext.pcap
# One packet has a chain of ten extension headers; egressd walks at most 8
# (decode.ipv6.ext_too_deep) and does not attribute it; tshark does.
< udp fd00:20::11 52461 fd00:20::5 514 2 357 0 0
> udp fd00:20::11 52461 fd00:20::5 514 1 183 0 0
