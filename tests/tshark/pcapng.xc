pcaps/pcapng.pcapng
