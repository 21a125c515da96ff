pcaps/link-sll2.pcap
