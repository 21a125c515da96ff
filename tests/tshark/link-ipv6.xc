pcaps/link-ipv6.pcap
