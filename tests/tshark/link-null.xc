pcaps/link-null.pcap
