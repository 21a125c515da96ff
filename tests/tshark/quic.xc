pcaps/quic.pcap
