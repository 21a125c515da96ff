pcaps/vxlan.pcap
