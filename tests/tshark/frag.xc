pcaps/frag.pcap
