/* bufopen.h: the buffered capture path both benchmark baselines read through. */
#ifndef EGRESSD_BENCH_BUFOPEN_H
#define EGRESSD_BENCH_BUFOPEN_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#if defined(HAVE_STDIO_EXT_H) && defined(HAVE___FSETLOCKING)
#include <stdio_ext.h>
#endif

#include <pcap/pcap.h>

#define BENCH_BUFSIZE	(1024 * 1024)	/* as egressd's capture.c */

/*
 * Open a capture file with our own FILE and a BENCH_BUFSIZE stdio buffer
 * (buf) handed to pcap_fopen_offline; NULL with a message in err.  With
 * unlocked, stdio's lock around each fread is turned off as well, as
 * egressd turns it off (the path the baselines are defined on keeps it).
 */
static inline pcap_t *
bench_open_buffered(const char *path, char *buf, int unlocked, char *err)
{
	FILE	*fp;
	pcap_t	*pc;

	if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(err, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
		return NULL;
	}
	if (setvbuf(fp, buf, _IOFBF, BENCH_BUFSIZE) != 0) {
		snprintf(err, PCAP_ERRBUF_SIZE, "setvbuf failed");
		fclose(fp);
		return NULL;
	}
	if (unlocked) {
#if defined(HAVE_STDIO_EXT_H) && defined(HAVE___FSETLOCKING)
		__fsetlocking(fp, FSETLOCKING_BYCALLER);
#else
		snprintf(err, PCAP_ERRBUF_SIZE, "no __fsetlocking here");
		fclose(fp);
		return NULL;
#endif
	}
	if ((pc = pcap_fopen_offline(fp, err)) == NULL)
		fclose(fp);
	return pc;
}

#endif
