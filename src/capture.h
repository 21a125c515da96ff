/* capture.c: reading packets from capture files and from a live interface. */
#ifndef EGRESSD_CAPTURE_H
#define EGRESSD_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#define CAPTURE_FILE_BUFSIZE	(1024 * 1024)	/* stdio buffer for files */
#define CAPTURE_ERRLEN		512

/* One packet: link type, captured bytes, length on the wire, time in us. */
typedef void (*capture_cb)(void *, int, const uint8_t *, size_t, size_t,
    int64_t);

struct capture_live_opts {
	int		 snaplen;
	int		 promisc;
	int		 bufsize;	/* bytes */
	const char	*filter;	/* BPF, or NULL */
	const char	*filter_ip;	/* for a link without Ethernet
					   headers; NULL: filter */
};

struct capture;
struct filesum;

struct capture	*capture_open_file(const char *, int, char *, size_t);
struct capture	*capture_open_live(const char *,
		    const struct capture_live_opts *, char *, size_t);
int		 capture_dlt(const struct capture *);
int		 capture_ethernet(const struct capture *);
int		 capture_filter_check(const char *, char *, size_t);
int		 capture_is_pcapng(const struct capture *);
const char	*capture_dlt_name(const struct capture *);
int		 capture_fd(const struct capture *);
struct filesum	*capture_sum(const struct capture *);
int		 capture_read(struct capture *, capture_cb, void *, char *,
		    size_t);
int		 capture_dispatch(struct capture *, capture_cb, void *);
int		 capture_live_same(const struct capture *, const char *);
const char	*capture_error(struct capture *);
int		 capture_stats(struct capture *, uint64_t *, uint64_t *,
		    uint64_t *);
void		 capture_close(struct capture *);

#endif
