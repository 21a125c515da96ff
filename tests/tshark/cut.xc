pcaps/cut.pcap
