pcaps/link-loop.pcap
