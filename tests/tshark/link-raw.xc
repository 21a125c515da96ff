pcaps/link-raw.pcap
