pcaps/site-demo.pcap
