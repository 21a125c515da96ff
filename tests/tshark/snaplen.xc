pcaps/snaplen.pcap
