pcaps/tcp-states.pcap
