/* Small helpers shared by the modules: address and time formatting, address classes. */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_SYS_RANDOM_H
#include <sys/random.h>
#endif

#include "hash.h"
#include "log.h"
#include "util.h"

/*
 * Each octet's decimal digits and a dot, so that one 4-byte copy and an
 * add write an octet of a dotted quad (a JSON record has two addresses):
 * "255." for three digits, else the digits, the dot, and in the fourth
 * byte how many bytes those are ("25.\3", "7.\0\2").
 */
#define UTIL_D(v, i)	((char)('0' + (v) / (i) % 10))
#define UTIL_OCT(v)	{						\
	    UTIL_D(v, (v) >= 100 ? 100 : (v) >= 10 ? 10 : 1),		\
	    (v) >= 100 ? UTIL_D(v, 10) : (v) >= 10 ? UTIL_D(v, 1) : '.', \
	    (v) >= 100 ? UTIL_D(v, 1) : (v) >= 10 ? '.' : 0,		\
	    (v) >= 100 ? '.' : (v) >= 10 ? 3 : 2 }
#define UTIL_OCT4(v)	UTIL_OCT(v), UTIL_OCT((v) + 1), UTIL_OCT((v) + 2), \
	    UTIL_OCT((v) + 3)
#define UTIL_OCT16(v)	UTIL_OCT4(v), UTIL_OCT4((v) + 4), UTIL_OCT4((v) + 8), \
	    UTIL_OCT4((v) + 12)
#define UTIL_OCT64(v)	UTIL_OCT16(v), UTIL_OCT16((v) + 16),		\
	    UTIL_OCT16((v) + 32), UTIL_OCT16((v) + 48)

static const char util_octets[256][4] = {
	UTIL_OCT64(0), UTIL_OCT64(64), UTIL_OCT64(128), UTIL_OCT64(192)
};

/*
 * The bytes of octet v and its dot: 4 for v >= 100 (whose fourth byte is
 * the dot), else the count kept in the fourth byte.
 */
static inline size_t
util_octet_len(unsigned v)
{
	return v >= 100 ? 4 : (size_t)util_octets[v][3];
}

/*
 * The dotted quad of a (4 bytes) at o, for IPv4 and the last 32 bits of
 * an IPv6 address alike; the end.  Writes a byte past it (a dot).
 */
static char *
util_quad_put(char *o, const uint8_t *a)
{
	int	i;

	for (i = 0; i < 4; i++) {
		memcpy(o, util_octets[a[i]], 4);
		o += util_octet_len(a[i]);
	}
	return o - 1;		/* the last dot is not the address's */
}

/*
 * An IPv6 address at o as RFC 5952 writes it (section 4): lower-case
 * hex without leading zeros, the longest run of two or more zero groups
 * (the first of equal runs) as "::", and, as inet_ntop(3) does, the last
 * 32 bits in dotted decimal after ::ffff: (RFC 5952, 5) or after six
 * zero groups.  Returns the end.
 */
static char *
util_addr6_put(char *o, const uint8_t *a)
{
	static const char	hex[] = "0123456789abcdef";
	unsigned		w[8];
	int			i, best = -1, blen = 0, cur = -1, clen = 0;

	for (i = 0; i < 8; i++) {
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (w[i] == 0) {
			if (cur == -1) {
				cur = i;
				clen = 0;
			}
			if (++clen > blen) {
				best = cur;
				blen = clen;
			}
		} else
			cur = -1;
	}
	if (blen < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (i == best) {
			*o++ = ':';
			if (i + blen == 8)
				*o++ = ':';
			i += blen - 1;
			continue;
		}
		if (i > 0)
			*o++ = ':';
		if (i == 6 && best == 0 &&
		    (blen == 6 || (blen == 5 && w[5] == 0xffff))) {
			return util_quad_put(o, a + 12);
		}
		if (w[i] >= 0x1000)
			*o++ = hex[w[i] >> 12];
		if (w[i] >= 0x100)
			*o++ = hex[w[i] >> 8 & 15];
		if (w[i] >= 0x10)
			*o++ = hex[w[i] >> 4 & 15];
		*o++ = hex[w[i] & 15];
	}
	return o;
}

/*
 * Write an IPv4 (af 4) or IPv6 (af 6) address at o, with no NUL, in at
 * most UTIL_ADDRSTRLEN - 1 bytes; IPv4 without printf.  Returns the end.
 * The bytes up to o + UTIL_ADDRSTRLEN may be written (a dotted quad
 * writes a dot past its end).
 */
char *
util_addr_put(char *o, uint8_t af, const uint8_t *addr)
{
	if (af == 4)
		return util_quad_put(o, addr);
	return util_addr6_put(o, addr);
}

/* Format an IPv4 (af 4) or IPv6 (af 6) address as a string in buf. */
const char *
util_addr_str(uint8_t af, const uint8_t *addr, char *buf, size_t len)
{
	char	tmp[UTIL_ADDRSTRLEN], *end;
	size_t	n;

	end = util_addr_put(tmp, af, addr);
	n = (size_t)(end - tmp);
	if (len == 0)
		return buf;
	if (n >= len)
		n = len - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
	return buf;
}

/*
 * Is the address in private space: RFC 1918, RFC 6598 (100.64/10) or
 * RFC 4193 (fc00::/7)?  Audit mode takes these hosts for appliances.
 */
int
util_addr_private(uint8_t af, const uint8_t *a)
{
	if (af == 4)
		return a[0] == 10 ||
		    (a[0] == 172 && (a[1] & 0xf0) == 16) ||
		    (a[0] == 192 && a[1] == 168) ||
		    (a[0] == 100 && (a[1] & 0xc0) == 64);
	return (a[0] & 0xfe) == 0xfc;
}

/*
 * Is the address one no packet to it leaves the link or the site by:
 * multicast (224/4, ff00::/8), the limited broadcast, "this network"
 * (0/8, ::), loopback (127/8, ::1) or link-local (169.254/16, fe80::/10)?
 */
int
util_addr_local(uint8_t af, const uint8_t *a)
{
	static const uint8_t	zero[15];

	if (af == 4)
		return (a[0] & 0xf0) == 0xe0 || a[0] == 0 || a[0] == 127 ||
		    (a[0] == 169 && a[1] == 254) ||
		    (a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255);
	return a[0] == 0xff || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||
	    (memcmp(a, zero, 15) == 0 && (a[15] == 0 || a[15] == 1));
}

/*
 * Is the address inside the site as audit mode sees it: private address
 * space, or an address nothing sent to leaves the site by?  Not a
 * destination to audit, never a call-home.
 */
int
util_addr_inside(uint8_t af, const uint8_t *a)
{
	return util_addr_private(af, a) || util_addr_local(af, a);
}

/* RFC 3339 UTC with microseconds: 2026-03-02T08:00:00.000000Z. */
void
util_time_str(int64_t us, char *buf, size_t len)
{
	time_t		 sec;
	int64_t		 frac;
	struct tm	 tm;

	sec = (time_t)(us / 1000000);
	frac = us % 1000000;
	if (frac < 0) {
		frac += 1000000;
		sec--;
	}
	if (gmtime_r(&sec, &tm) == NULL) {
		snprintf(buf, len, "1970-01-01T00:00:00.000000Z");
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06" PRId64 "Z",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, frac);
}

/* A byte count for people: 1234 -> "1.2 kB". */
void
util_bytes_str(uint64_t n, char *buf, size_t len)
{
	static const char	*unit[] = { "B", "kB", "MB", "GB", "TB", "PB" };
	uint64_t		 scale = 1, tenths;
	size_t			 i = 0;

	if (n < 1000) {
		snprintf(buf, len, "%" PRIu64 " B", n);
		return;
	}
	while (n / scale >= 1000 && i < 5) {
		scale *= 1000;
		i++;
	}
	/* Round to tenths as %.1f did: half up. */
	tenths = (n / (scale / 100) + 5) / 10;
	if (tenths >= 10000 && i < 5) {
		scale *= 1000;
		i++;
		tenths = (n / (scale / 100) + 5) / 10;
	}
	snprintf(buf, len, "%" PRIu64 ".%" PRIu64 " %s", tenths / 10,
	    tenths % 10, unit[i]);
}

/* Does this transport have ports (TCP, UDP, SCTP)? */
int
util_proto_has_ports(uint8_t proto)
{
	return proto == 6 || proto == 17 || proto == 132;
}

/* The ECS network.transport name of an IP protocol, or NULL. */
const char *
util_proto_name(uint8_t proto)
{
	switch (proto) {
	case 1:
		return "icmp";
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 58:
		return "ipv6-icmp";
	case 47:
		return "gre";
	case 50:
		return "esp";
	case 132:
		return "sctp";
	default:
		return NULL;
	}
}

/* Draw a fresh random hash key (getrandom, else /dev/urandom). */
void
hash_key_random(struct hash_key *key)
{
	uint8_t	buf[16];
	ssize_t	n = -1;
	int	fd;

#ifdef HAVE_GETRANDOM
	n = getrandom(buf, sizeof(buf), 0);
#endif
	if (n != (ssize_t)sizeof(buf)) {
		if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) == -1)
			fatal("open /dev/urandom");
		n = read(fd, buf, sizeof(buf));
		close(fd);
		if (n != (ssize_t)sizeof(buf))
			fatalx("cannot read random bytes for the hash key");
	}
	memcpy(&key->k0, buf, 8);
	memcpy(&key->k1, buf + 8, 8);
}

/* "60.0 s" / "15.0 min" / "1.00 h": a period in seconds, to read. */
void
util_period_str(double s, char *buf, size_t len)
{
	if (s < 120)
		snprintf(buf, len, "%.1f s", s);
	else if (s < 3600)
		snprintf(buf, len, "%.1f min", s / 60);
	else
		snprintf(buf, len, "%.2f h", s / 3600);
}

/*
 * Start a thread with every signal blocked (signals are the main
 * thread's: its libevent loop, its handlers); 0, or pthread_create's
 * error number.
 */
int
util_thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t	all, old;
	int		rv;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rv = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rv;
}
