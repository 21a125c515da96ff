pcaps/vxlan.pcap --vxlan
# The datagrams that carry the mirror are flows of their own (issue 15:
# nothing is hidden inside a tunnel); tshark counts only the innermost
# packet of each frame.
> udp 10.99.0.1 1344 10.99.0.2 4789 5 480 0 0
> udp 10.99.0.1 18570 10.99.0.2 4789 1 609 0 0
> udp 10.99.0.1 23288 10.99.0.2 4789 1 137 0 0
> udp 10.99.0.1 29198 10.99.0.2 4789 1 157 0 0
> udp 10.99.0.1 36800 10.99.0.2 4789 1 216 0 0
> udp 10.99.0.1 37066 10.99.0.2 4789 2 212 0 0
> udp 10.99.0.1 42976 10.99.0.2 4789 2 252 0 0
> udp 10.99.0.1 57882 10.99.0.2 4789 1 121 0 0
