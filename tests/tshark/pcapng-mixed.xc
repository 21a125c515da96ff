pcaps/pcapng-mixed.pcapng
