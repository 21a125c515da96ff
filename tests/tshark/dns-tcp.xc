pcaps/dns-tcp.pcap
