pcaps/policy.pcap
