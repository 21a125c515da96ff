pcaps/erspan.pcap --tunnel gre,erspan
# One GRE packet has version 3, which no GRE standard defines: egressd does
# not decapsulate it (decode.gre.bad_version) and reports a GRE flow between
# the switch and the sensor; tshark decodes the DNS answer inside anyway.
< udp 10.20.0.53 53 10.20.1.12 40657 0 0 1 69
