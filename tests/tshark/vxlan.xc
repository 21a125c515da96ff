pcaps/vxlan.pcap --vxlan
