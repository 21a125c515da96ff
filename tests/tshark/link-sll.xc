pcaps/link-sll.pcap
