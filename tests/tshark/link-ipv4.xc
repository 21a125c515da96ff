pcaps/link-ipv4.pcap
