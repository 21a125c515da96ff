#!/usr/bin/env python3
# hostile.py STORE_HOSTILE OUT.pcap: the capture of tests/store/hostile.py
# (its packet builders, run here) with names aimed at syslog: ']', '"',
# '\', '|', '=', newlines, a fake syslog header, NUL and bytes that are
# not UTF-8, in DNS answers, a TLS SNI and HTTP Hosts.
import sys

src = open(sys.argv[1]).read().replace('\nmain(sys.argv[1])\n', '\n')
g = {'__name__': 'hostile'}
exec(compile(src, sys.argv[1], 'exec'), g)
g['DNS_NAMES'] = [
    [b'sd]close"quote', b'example'],
    [b'cef|bar|CEF:0|x', b'example'],
    [b'eq=sign\\back dst=6.6.6.6', b'example'],
    [b'new\nline<13>1 - - - - - [x@1 a="b"]', b'example'],
    [b'bad\xff\xfeutf8', b'example'],
    [b'nul\x00byte', b'example'],
]
g['SNI'] = b'sni]"|=\\\n\xff.example'
g['HOSTS'] = [b'host]|="\x01.example', b'h,comma "quoted".example']
g['main'](sys.argv[2])
