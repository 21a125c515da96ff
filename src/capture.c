/*
 * Capture input.  Files are opened with our own FILE and a 1 MiB stdio
 * buffer (libpcap's default 4 KiB reads cost about a third of the whole
 * read loop); pcap files are then read by libpcap (pcap_fopen_offline),
 * pcapng files by pcapng.c, which unlike libpcap takes interfaces of
 * different link types and snapshot lengths in one file.  A regular file
 * is read through filesum.c's stream, which can hash the bytes read for
 * the audit store (capture_sum) without reading the file twice; a pipe, a
 * FIFO or a device through an ordinary one.  Live capture is libpcap's,
 * non-blocking so the libevent loop owns the descriptor.
 */
#include "config.h"

#include <sys/stat.h>
#include <net/if.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#if defined(HAVE_STDIO_EXT_H) && defined(HAVE___FSETLOCKING)
#include <stdio_ext.h>
#endif
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "capture.h"
#include "filesum.h"
#include "pcapng.h"
#include "xmalloc.h"

struct capture {
	pcap_t		*pcap;		/* NULL: a pcapng file */
	struct pcapng	*ng;
	FILE		*fp;		/* of a file */
	struct filesum	*sum;		/* of a regular file */
	char		*buf;		/* stdio buffer of a file */
	int		 dlt;
	unsigned int	 ifindex;	/* live: of the interface, 0 unknown */
	int		 file;		/* read from a pcap file */
	capture_cb	 cb;
	void		*arg;
};

/*
 * libpcap's callback: hand the packet on with a microsecond time stamp.
 * A pcap file's seconds are an unsigned 32-bit count (1970 to 2106), which
 * libpcap hands on as a signed one: 0xf0000000 was 1961 in the summary
 * and 1970 in the records.  Read as the format says.
 */
static void
capture_handler(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct capture	*c = (struct capture *)user;
	int64_t		 ts, sec = (int64_t)h->ts.tv_sec;

	if (c->file)
		sec = (int64_t)(uint32_t)h->ts.tv_sec;
	ts = sec * 1000000 + (int64_t)h->ts.tv_usec;
	c->cb(c->arg, c->dlt, data, h->caplen, h->len, ts);
}

/*
 * The stream of a capture file: through filesum.c's for a regular file
 * whose hash may be wanted (*sum), an ordinary one otherwise (stdio reads
 * its own FILEs faster: glibc's generic fread for a cookie stream copies
 * a short read, a pcap record header, byte by byte); NULL with errno.
 */
static FILE *
capture_fopen(const char *path, int want_sum, struct filesum **sum)
{
	struct stat	 st;
	FILE		*fp;
	int		 fd, saved;

	*sum = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	if (!want_sum || fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		if ((fp = fdopen(fd, "rb")) == NULL) {
			saved = errno;
			close(fd);
			errno = saved;
		}
		return fp;
	}
	*sum = filesum_open(fd, (int64_t)st.st_size);
	if ((fp = filesum_stream(*sum)) == NULL) {
		saved = errno;
		filesum_free(*sum);
		*sum = NULL;
		errno = saved;
	}
	return fp;
}

/*
 * Open a capture file ("-" is standard input); NULL with a message in
 * err.  want_sum: its SHA-256 may be taken as it is read (capture_sum).
 */
struct capture *
capture_open_file(const char *path, int want_sum, char *err, size_t errlen)
{
	char		 perr[PCAP_ERRBUF_SIZE];
	struct capture	*c;
	struct filesum	*sum = NULL;
	FILE		*fp;
	int		 ch;

	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = capture_fopen(path, want_sum, &sum)) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->sum = sum;
	c->buf = xmalloc(CAPTURE_FILE_BUFSIZE);
	setvbuf(fp, c->buf, _IOFBF, CAPTURE_FILE_BUFSIZE);
#if defined(HAVE_STDIO_EXT_H) && defined(HAVE___FSETLOCKING)
	/*
	 * Only this thread reads the FILE: no lock around each of libpcap's
	 * two freads a packet (an atomic pair that cost about 20 ns a packet,
	 * a sixth of the time on the site benchmark).
	 */
	__fsetlocking(fp, FSETLOCKING_BYCALLER);
#endif
	/*
	 * The first byte tells the formats apart: a pcapng Section Header
	 * Block begins 0x0a, a pcap header with its magic (a1 b2 c3 d4, or
	 * a1 b2 3c 4d for nanoseconds, in either byte order) never does.
	 */
	if ((ch = getc(fp)) != EOF)
		ungetc(ch, fp);
	c->fp = fp;
	if (ch == 0x0a) {
		if ((c->ng = pcapng_open(fp, err, errlen)) == NULL)
			goto fail;
		c->dlt = pcapng_first_dlt(c->ng);
		return c;
	}
	c->pcap = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_MICRO, perr);
	if (c->pcap == NULL) {
		snprintf(err, errlen, "%s", perr);
		goto fail;
	}
	c->dlt = pcap_datalink(c->pcap);
	c->file = 1;
	return c;

fail:
	fclose(fp);		/* stdin too: its buffer is freed */
	filesum_free(c->sum);
	free(c->buf);
	free(c);
	return NULL;
}

/* Open an interface for live capture, non-blocking; NULL with a message in err. */
struct capture *
capture_open_live(const char *ifname, const struct capture_live_opts *o,
    char *err, size_t errlen)
{
	char			 perr[PCAP_ERRBUF_SIZE];
	struct capture		*c;
	struct bpf_program	 prog;
	const char		*filter;
	int			 rv;

	c = xcalloc(1, sizeof(*c));
	if ((c->pcap = pcap_create(ifname, perr)) == NULL) {
		snprintf(err, errlen, "%s", perr);
		free(c);
		return NULL;
	}
	pcap_set_snaplen(c->pcap, o->snaplen);
	pcap_set_promisc(c->pcap, o->promisc);
	pcap_set_buffer_size(c->pcap, o->bufsize);
	pcap_set_timeout(c->pcap, 100);
	pcap_set_immediate_mode(c->pcap, 0);
	if ((rv = pcap_activate(c->pcap)) < 0) {
		snprintf(err, errlen, "%s", rv == PCAP_ERROR ?
		    pcap_geterr(c->pcap) : pcap_statustostr(rv));
		goto fail;
	}
	/* the link is known once active: it picks the filter */
	c->dlt = pcap_datalink(c->pcap);
	filter = capture_ethernet(c) || o->filter_ip == NULL ? o->filter :
	    o->filter_ip;
	if (filter != NULL) {
		if (pcap_compile(c->pcap, &prog, filter, 1,
		    PCAP_NETMASK_UNKNOWN) == -1 ||
		    pcap_setfilter(c->pcap, &prog) == -1) {
			snprintf(err, errlen, "filter: %s",
			    pcap_geterr(c->pcap));
			goto fail;
		}
		pcap_freecode(&prog);
	}
	if (pcap_setnonblock(c->pcap, 1, perr) == -1) {
		snprintf(err, errlen, "%s", perr);
		goto fail;
	}
	c->ifindex = if_nametoindex(ifname);
	return c;
fail:
	pcap_close(c->pcap);
	free(c);
	return NULL;
}

/*
 * Is the interface a live capture was opened on still the same one?  0
 * when it is gone or was made again under its name (a new index): the
 * capture sees nothing more and must be opened again.
 */
int
capture_live_same(const struct capture *c, const char *ifname)
{
	return c->ifindex == 0 || if_nametoindex(ifname) == c->ifindex;
}

/* What libpcap said of the last error. */
const char *
capture_error(struct capture *c)
{
	return pcap_geterr(c->pcap);
}

/*
 * The link type (DLT) of the capture: of its first interface for a
 * pcapng file, whose others may differ (-1: it describes none).
 */
int
capture_dlt(const struct capture *c)
{
	return c->dlt;
}

/* Do its frames carry Ethernet headers (MAC addresses, VLAN tags)? */
int
capture_ethernet(const struct capture *c)
{
	return c->dlt == DLT_EN10MB;
}

/* Is it a pcapng file (whose interfaces may have other link types)? */
int
capture_is_pcapng(const struct capture *c)
{
	return c->ng != NULL;
}

/* The libpcap name of the link type. */
const char *
capture_dlt_name(const struct capture *c)
{
	const char	*n = c->dlt < 0 ? "none" :
			    pcap_datalink_val_to_name(c->dlt);

	return n != NULL ? n : "unknown";
}

/* The descriptor to wait on for a live capture. */
int
capture_fd(const struct capture *c)
{
	return pcap_get_selectable_fd(c->pcap);
}

/*
 * The SHA-256 of a regular capture file, taken on the descriptor it was
 * opened with (filesum.c); NULL for standard input, a FIFO or a device,
 * or when it was not wanted.
 */
struct filesum *
capture_sum(const struct capture *c)
{
	return c->sum;
}

/*
 * Read a whole file, calling cb for each packet: 0 at its end, -1 with a
 * message in err when it breaks off (packets before the break were read).
 * Either way the reading is over: a hash taken beside it reads the rest.
 */
int
capture_read(struct capture *c, capture_cb cb, void *arg, char *err,
    size_t errlen)
{
	struct pcapng_pkt	p;
	int			n, rv = 0;

	if (c->ng != NULL) {
		while ((n = pcapng_next(c->ng, &p, err, errlen)) == 1)
			cb(arg, p.dlt, p.data, p.caplen, p.len, p.ts);
		rv = n;
	} else {
		c->cb = cb;
		c->arg = arg;
		while ((n = pcap_dispatch(c->pcap, -1, capture_handler,
		    (u_char *)c)) > 0)
			;
		if (n != 0) {
			snprintf(err, errlen, "%s", n == PCAP_ERROR ?
			    pcap_geterr(c->pcap) : "read interrupted");
			rv = -1;
		}
	}
	if (c->sum != NULL)
		filesum_end(c->sum);
	return rv;
}

/* Read what a live capture has ready; the count, or -1 on error. */
int
capture_dispatch(struct capture *c, capture_cb cb, void *arg)
{
	c->cb = cb;
	c->arg = arg;
	return pcap_dispatch(c->pcap, -1, capture_handler, (u_char *)c);
}

/*
 * Packets received so far, dropped by the kernel (no room in the buffer)
 * and by the interface (its driver's count), live only.
 */
int
capture_stats(struct capture *c, uint64_t *recv, uint64_t *drop,
    uint64_t *ifdrop)
{
	struct pcap_stat	st;

	if (pcap_stats(c->pcap, &st) == -1)
		return -1;
	*recv = st.ps_recv;
	*drop = st.ps_drop;
	*ifdrop = st.ps_ifdrop;
	return 0;
}

/*
 * Does a BPF filter compile (for Ethernet, as -t checks it before any
 * interface is open)?  0, or -1 with libpcap's reason in err.
 */
int
capture_filter_check(const char *filter, char *err, size_t errlen)
{
	struct bpf_program	 prog;
	pcap_t			*p;
	int			 rv = 0;

	if ((p = pcap_open_dead(DLT_EN10MB, 262144)) == NULL) {
		snprintf(err, errlen, "pcap_open_dead failed");
		return -1;
	}
	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) == -1) {
		snprintf(err, errlen, "%s", pcap_geterr(p));
		rv = -1;
	} else
		pcap_freecode(&prog);
	pcap_close(p);
	return rv;
}

/* Close the capture and free its buffer. */
void
capture_close(struct capture *c)
{
	if (c == NULL)
		return;
	if (c->ng != NULL) {
		pcapng_close(c->ng);
		fclose(c->fp);		/* stdin too: its buffer is freed */
	} else {
		pcap_close(c->pcap);
		/* libpcap leaves stdin open, with our buffer, freed below */
		if (c->fp == stdin)
			fclose(stdin);
	}
	filesum_free(c->sum);
	free(c->buf);
	free(c);
}
