/*
 * Delivery to a syslog receiver (see sink_syslog.h).
 *
 * The sink keeps its own connection to the store and registers there as
 * outbox sink "syslog:NAME", so every alert stored from then on waits for
 * it.  A timer (every SL_TICK) reads what waits after the last alert
 * handed to the transport, formats it (syslog_msg.c) and writes it:
 *
 *   - a stream (tcp, tls) through a libevent bufferevent (libevent's
 *     OpenSSL bufferevent for TLS: libssl does the record layer), each
 *     message framed as "LENGTH SP MESSAGE" (RFC 6587 3.4.1, RFC 5425
 *     4.3).  Syslog over a stream has no acknowledgement: an alert is
 *     marked delivered once its bytes left our buffer and the connection
 *     then stayed up for SL_CONFIRM.  When it breaks, everything not yet
 *     marked is sent again after reconnecting, so a receiver may see the
 *     rare duplicate (same event.id) but misses nothing;
 *   - a datagram (udp, local) with send(2), marked delivered when sent
 *     and no error came back for it (see sl_dgram_failed).
 *
 * A host name is resolved once a connection attempt cycle, and its
 * addresses are tried in turn (a name with an IPv6 and an IPv4 address,
 * the receiver listening on one of them); the list is kept until the sink
 * goes down, and the retry resolves the name again.
 *
 * A failed connection is retried after 1 s, doubling to SL_BACKOFF_MAX.
 * When more than queue-limit alerts wait, the oldest are given up (their
 * delivery state becomes "dropped"; the alerts stay in the store), said
 * once a time the queue fills.
 *
 * Live, the sink works on the daemon's event loop (attach); offline, and
 * at the end of a live run, it runs a loop of its own at close until the
 * outbox is empty or `wait` has passed: what is left waits in the store
 * for the next run.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <jansson.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sqlite3.h>

#include "beacon.h"
#include "event.h"
#include "log.h"
#include "policy.h"
#include "sink.h"
#include "sink_json.h"
#include "sink_syslog.h"
#include "store.h"
#include "store_outbox.h"
#include "syslog_msg.h"
#include "util.h"
#include "xmalloc.h"

#define SL_TICK_US	100000		/* the timer */
#define SL_CONFIRM	1000000		/* us up after the bytes left */
#define SL_BACKOFF_MIN	1000000
#define SL_BACKOFF_MAX	60000000
#define SL_BATCH	256		/* alerts read at once */
#define SL_HIGH		(256 * 1024)	/* bytes buffered: read no more */
#define SL_RECORDS_MAX	10000		/* flow records and series waiting */
#define SL_COUNT_EVERY	1000000		/* us between queue counts */
#define SL_CONNECT_TIMEOUT 10

enum sl_state {
	SL_DOWN,
	SL_CONNECTING,
	SL_UP,
};

/* An alert written to a stream, not yet marked delivered. */
struct sl_flight {
	int64_t		seq;
	int64_t		at;		/* when its bytes left; 0: not yet */
	size_t		end;		/* bytes written up to its end */
};

struct sink_syslog {
	char			*name;		/* as configured */
	char			*outbox;	/* "syslog:NAME" */
	enum policy_syslog_transport transport;
	char			*host, *path;
	int			 port;
	enum syslog_fmt		 fmt;
	enum policy_syslog_send	 send;
	uint64_t		 queue_limit;
	int64_t			 wait;
	int			 live;
	char			 hostname[SYSLOG_MSG_HOSTMAX + 1];
	struct syslog_head	 head;

	sqlite3			*db;
	SSL_CTX			*ctx;
	struct event_base	*base;
	int			 own_base;
	struct event		*timer;
	struct bufferevent	*bev;		/* tcp, tls */
	int			 fd;		/* udp, local; -1: none */
	enum sl_state		 state;
	int64_t			 retry_at;	/* when down */
	int64_t			 backoff;
	struct addrinfo		*addrs;		/* the host's, this cycle */
	struct addrinfo		*addr;		/* the one tried or in use */
	int			 down_said;

	int64_t			 sent;		/* last seq handed over */
	int64_t			 acked;		/* last seq marked delivered */
	struct sl_flight	*flight;
	size_t			 nflight, cflight;
	size_t			 written;	/* stream bytes handed over */

	struct syslog_buf	 msg;		/* one message */
	struct sink_json	*json;		/* flow records' lines */
	char			**records;	/* formatted, waiting */
	size_t			*record_len;
	size_t			 nrecords;
	uint64_t		 lost;		/* records not sent */
	uint64_t		 dropped;	/* alerts given up (queue) */
	uint64_t		 waiting;	/* alerts, as last counted */
	int64_t			 counted_at;
	int			 full;		/* the queue is full (said) */
	int			 failed;	/* the store could not be read */
};

static void	sl_connect(struct sink_syslog *);
static void	sl_connect_failed(struct sink_syslog *, const char *);
static void	sl_pump(struct sink_syslog *);

/* The wall clock in us. */
static int64_t
sl_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Where the sink sends, for the log. */
static const char *
sl_peer(struct sink_syslog *s, char *buf, size_t len)
{
	if (s->transport == POLICY_SYSLOG_LOCAL)
		snprintf(buf, len, "%s", s->path);
	else
		snprintf(buf, len, "%s:%d", s->host, s->port);
	return buf;
}

/* Mark delivered everything up to seq; 0, or -1 (the next tick again). */
static int
sl_acked(struct sink_syslog *s, int64_t seq)
{
	uint64_t	n;

	if (seq <= s->acked)
		return 0;
	if (store_outbox_delivered(s->db, s->outbox, s->acked, seq,
	    sl_now()) == -1) {
		/* the store's writer holds the lock: the next tick */
		if (sqlite3_errcode(s->db) != SQLITE_BUSY)
			log_warnx("syslog %s: store: %s", s->name,
			    sqlite3_errmsg(s->db));
		return -1;
	}
	n = (uint64_t)sqlite3_changes(s->db);
	s->waiting = s->waiting > n ? s->waiting - n : 0;
	s->acked = seq;
	return 0;
}

/* The connection closed, if there is one. */
static void
sl_close(struct sink_syslog *s)
{
	if (s->bev != NULL) {
		bufferevent_free(s->bev);
		s->bev = NULL;
	}
	if (s->fd != -1) {
		close(s->fd);
		s->fd = -1;
	}
}

/* The cycle over: the host's addresses forgotten (the next resolves). */
static void
sl_addrs_free(struct sink_syslog *s)
{
	if (s->addrs != NULL)
		freeaddrinfo(s->addrs);
	s->addrs = NULL;
	s->addr = NULL;
}

/*
 * The connection is gone: what was not marked delivered goes again, after
 * the back-off.
 */
static void
sl_down(struct sink_syslog *s, const char *why)
{
	char	peer[300];

	sl_close(s);
	sl_addrs_free(s);
	s->nflight = 0;
	s->written = 0;
	s->sent = s->acked;
	s->lost += s->nrecords;
	while (s->nrecords > 0)
		free(s->records[--s->nrecords]);
	if (s->backoff == 0)
		s->backoff = SL_BACKOFF_MIN;
	else if ((s->backoff *= 2) > SL_BACKOFF_MAX)
		s->backoff = SL_BACKOFF_MAX;
	s->retry_at = sl_now() + s->backoff;
	if (!s->down_said || s->state == SL_UP)
		log_warnx("syslog %s: %s: %s; trying again in %" PRId64 " s, "
		    "alerts wait in the store", s->name, sl_peer(s, peer,
		    sizeof(peer)), why, s->backoff / 1000000);
	s->down_said = 1;
	s->state = SL_DOWN;
}

/* Up: say so if it was down, and start sending. */
static void
sl_up(struct sink_syslog *s)
{
	char	peer[300];

	if (s->down_said)
		log_warnx("syslog %s: %s: connected, delivering again", s->name,
		    sl_peer(s, peer, sizeof(peer)));
	s->down_said = 0;
	s->state = SL_UP;
	sl_pump(s);
}

/* The reason a TLS connection failed, from OpenSSL's queue. */
static void
sl_tls_error(struct sink_syslog *s, char *buf, size_t len)
{
	unsigned long	e;
	long		vr;
	SSL		*ssl;

	buf[0] = '\0';
	while ((e = bufferevent_get_openssl_error(s->bev)) != 0)
		ERR_error_string_n(e, buf, len);
	ssl = bufferevent_openssl_get_ssl(s->bev);
	if (ssl != NULL && (vr = SSL_get_verify_result(ssl)) != X509_V_OK)
		snprintf(buf, len, "certificate: %s",
		    X509_verify_cert_error_string(vr));
}

/* A stream's events: connected, or gone. */
static void
sl_event(struct bufferevent *bev, short what, void *arg)
{
	struct sink_syslog	*s = arg;
	char			 why[256];

	if (what & BEV_EVENT_CONNECTED) {
		sl_up(s);
		return;
	}
	if (what & BEV_EVENT_EOF)
		snprintf(why, sizeof(why), "the receiver closed the "
		    "connection");
	else if (what & BEV_EVENT_TIMEOUT)
		snprintf(why, sizeof(why), "timed out");
	else {
		snprintf(why, sizeof(why), "%s",
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
		if (s->transport == POLICY_SYSLOG_TLS) {
			char	tls[200];

			sl_tls_error(s, tls, sizeof(tls));
			if (tls[0] != '\0')
				snprintf(why, sizeof(why), "TLS: %s", tls);
		}
	}
	if (s->state == SL_CONNECTING)
		sl_connect_failed(s, why);
	else
		sl_down(s, why);
}

/* The receiver says nothing; what it says anyway is thrown away. */
static void
sl_read(struct bufferevent *bev, void *arg)
{
	struct evbuffer	*in = bufferevent_get_input(bev);

	evbuffer_drain(in, evbuffer_get_length(in));
}

/* The stream's buffer ran low: note which alerts left, send more. */
static void
sl_write(struct bufferevent *bev, void *arg)
{
	struct sink_syslog	*s = arg;
	size_t			 left, i;
	int64_t			 now = sl_now();

	left = evbuffer_get_length(bufferevent_get_output(bev));
	for (i = 0; i < s->nflight; i++)
		if (s->flight[i].at == 0 && s->flight[i].end + left <=
		    s->written)
			s->flight[i].at = now;
	sl_pump(s);
}

/* The TLS context: verify the server against ca, present cert if set. */
static SSL_CTX *
sl_tls_ctx(const struct policy_syslog *c, char *err, size_t len)
{
	SSL_CTX		*ctx;
	unsigned long	 e;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		goto fail;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (c->ca != NULL) {
		if (SSL_CTX_load_verify_locations(ctx, c->ca, NULL) != 1)
			goto fail;
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1)
		goto fail;
	if (c->cert != NULL &&
	    (SSL_CTX_use_certificate_chain_file(ctx, c->cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, c->key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1))
		goto fail;
	return ctx;
fail:
	e = ERR_get_error();
	snprintf(err, len, "syslog %s: TLS: %s", c->name,
	    e != 0 ? ERR_reason_error_string(e) : "cannot set up");
	ERR_clear_error();
	SSL_CTX_free(ctx);
	return NULL;
}

/* A TLS session for one connection, checking the server's name. */
static SSL *
sl_tls_new(struct sink_syslog *s)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;
	SSL		*ssl;

	if ((ssl = SSL_new(s->ctx)) == NULL)
		return NULL;
	if (inet_pton(AF_INET, s->host, &a4) == 1 ||
	    inet_pton(AF_INET6, s->host, &a6) == 1)
		X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), s->host);
	else {
		SSL_set_tlsext_host_name(ssl, s->host);
		SSL_set1_host(ssl, s->host);
	}
	return ssl;
}

/*
 * The host's addresses for this cycle, resolved if there are none yet;
 * 0, or -1 (why in err).
 */
static int
sl_resolve(struct sink_syslog *s, int socktype, char *err, size_t len)
{
	struct addrinfo	 hints;
	char		 port[8];
	int		 rc;

	if (s->addrs != NULL)
		return 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = socktype;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%d", s->port);
	if ((rc = getaddrinfo(s->host, port, &hints, &s->addrs)) != 0) {
		snprintf(err, len, "%s", gai_strerror(rc));
		s->addrs = NULL;
		return -1;
	}
	s->addr = s->addrs;
	return 0;
}

/* A datagram socket connected to addr (len bytes); the fd, or -1. */
static int
sl_dgram_open(const struct sockaddr *addr, socklen_t len)
{
	int	fd, saved;

	if ((fd = socket(addr->sa_family, SOCK_DGRAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0)) == -1)
		return -1;
	if (connect(fd, addr, len) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/*
 * Open a datagram socket to the receiver: the local socket, or the
 * first of the host's addresses from the one in turn that takes it (an
 * IPv6 address on a host without IPv6 does not); 0, or -1 (why in err).
 */
static int
sl_dgram(struct sink_syslog *s, char *err, size_t len)
{
	struct sockaddr_un	 un;

	if (s->transport == POLICY_SYSLOG_LOCAL) {
		memset(&un, 0, sizeof(un));
		un.sun_family = AF_UNIX;
		if (strlen(s->path) >= sizeof(un.sun_path)) {
			snprintf(err, len, "path too long");
			return -1;
		}
		memcpy(un.sun_path, s->path, strlen(s->path) + 1);
		if ((s->fd = sl_dgram_open((struct sockaddr *)&un,
		    sizeof(un))) == -1) {
			snprintf(err, len, "%s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if (sl_resolve(s, SOCK_DGRAM, err, len) == -1)
		return -1;
	for (; s->addr != NULL; s->addr = s->addr->ai_next) {
		if ((s->fd = sl_dgram_open(s->addr->ai_addr,
		    s->addr->ai_addrlen)) != -1)
			return 0;
		snprintf(err, len, "%s", strerror(errno));
	}
	return -1;
}

/*
 * A datagram's send failed, or an error came back for one sent (err).
 *
 * A datagram has no connection to fail: connect(2) only picks the route,
 * and the one sign that nobody takes datagrams at an address is an
 * error the kernel reports on a later send or as the socket's pending
 * error (an ICMP port or host unreachable: a receiver that listens on
 * 127.0.0.1 alone, reached as "localhost" at ::1).  So any such error
 * moves the sink to the host's next address, as a stream's failed
 * connection does, and what was not marked delivered goes again there
 * (which datagram drew the error is not known).  A datagram whose error
 * comes after it was marked (a slow ICMP, a network that sends none) is
 * lost, as UDP syslog may lose any.  The move is made at the next tick,
 * not here, where the outbox may be being read; after the last address
 * the sink is down until its retry.
 */
static void
sl_dgram_failed(struct sink_syslog *s, const char *why)
{
	sl_close(s);
	s->sent = s->acked;
	if (s->addr != NULL && s->addr->ai_next != NULL) {
		s->addr = s->addr->ai_next;
		s->state = SL_DOWN;
		s->retry_at = 0;
		return;
	}
	sl_down(s, why);
}

/* A datagram socket's pending error (0: none), taken off the socket. */
static int
sl_dgram_error(struct sink_syslog *s)
{
	int		e = 0;
	socklen_t	len = sizeof(e);

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
		return errno;
	return e;
}

/* Connect (again): a datagram socket at once, a stream in the loop. */
static void
sl_connect(struct sink_syslog *s)
{
	char		 err[256];
	SSL		*ssl;
	struct timeval	 tv = { SL_CONNECT_TIMEOUT, 0 };

	if (s->transport == POLICY_SYSLOG_LOCAL ||
	    s->transport == POLICY_SYSLOG_UDP) {
		if (sl_dgram(s, err, sizeof(err)) == -1)
			sl_down(s, err);
		else
			sl_up(s);
		return;
	}
	if (sl_resolve(s, SOCK_STREAM, err, sizeof(err)) == -1) {
		sl_down(s, err);
		return;
	}
	if (s->transport == POLICY_SYSLOG_TLS) {
		if ((ssl = sl_tls_new(s)) == NULL) {
			sl_down(s, "TLS: no session");
			return;
		}
		s->bev = bufferevent_openssl_socket_new(s->base, -1, ssl,
		    BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
	} else
		s->bev = bufferevent_socket_new(s->base, -1,
		    BEV_OPT_CLOSE_ON_FREE);
	if (s->bev == NULL) {
		sl_down(s, "cannot make a connection");
		return;
	}
	bufferevent_setcb(s->bev, sl_read, sl_write, sl_event, s);
	bufferevent_set_timeouts(s->bev, NULL, &tv);
	bufferevent_enable(s->bev, EV_READ | EV_WRITE);
	s->state = SL_CONNECTING;
	if (bufferevent_socket_connect(s->bev, s->addr->ai_addr,
	    (int)s->addr->ai_addrlen) == -1)
		sl_connect_failed(s, strerror(errno));
}

/*
 * A connection could not be made: the host's next address is tried at
 * once, and after the last the sink is down until its retry.
 */
static void
sl_connect_failed(struct sink_syslog *s, const char *why)
{
	if (s->state == SL_CONNECTING && s->addr != NULL &&
	    s->addr->ai_next != NULL) {
		sl_close(s);
		s->addr = s->addr->ai_next;
		sl_connect(s);
		return;
	}
	sl_down(s, why);
}

/*
 * Hand one message to the transport; 0, 1 if a datagram socket is full
 * (try again later), or -1 with the reason in why (see sl_failed).
 */
static int
sl_send(struct sink_syslog *s, const char *m, size_t len, char *why,
    size_t whylen)
{
	char	num[24];
	int	n;

	if (s->bev != NULL) {
		n = snprintf(num, sizeof(num), "%zu ", len);
		if (bufferevent_write(s->bev, num, (size_t)n) == -1 ||
		    bufferevent_write(s->bev, m, len) == -1) {
			snprintf(why, whylen, "cannot buffer");
			return -1;
		}
		s->written += (size_t)n + len;
		return 0;
	}
	if (send(s->fd, m, len, MSG_NOSIGNAL) == (ssize_t)len)
		return 0;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
		return 1;
	snprintf(why, whylen, "%s", strerror(errno));
	return -1;
}

/* A message could not be handed over: a stream is down, a datagram moves. */
static void
sl_failed(struct sink_syslog *s, const char *why)
{
	if (s->bev != NULL)
		sl_down(s, why);
	else
		sl_dgram_failed(s, why);
}

/* A line made into a message in s->msg; 0, or -1 if it is not one. */
static int
sl_format(struct sink_syslog *s, const char *line, size_t len)
{
	s->msg.len = 0;
	return syslog_msg(s->fmt, &s->head, line, len, &s->msg);
}

/* One alert from the outbox: sent, or the reading stops (1). */
static int
sl_alert(void *arg, int64_t seq, const char *ecs, size_t len)
{
	struct sink_syslog	*s = arg;
	char			 stub[160], why[256];

	if (ecs == NULL) {	/* stored before schema 3: what is known */
		len = (size_t)snprintf(stub, sizeof(stub), "{\"event\":{"
		    "\"kind\":\"alert\",\"action\":\"stored-before-v3\"},"
		    "\"egressd\":{\"alert_seq\":%" PRId64 "}}", seq);
		ecs = stub;
	}
	if (sl_format(s, ecs, len) == -1) {
		log_warnx("syslog %s: alert %" PRId64 " in the store is not a "
		    "JSON object: skipped", s->name, seq);
		s->sent = seq;
		return 0;
	}
	switch (sl_send(s, s->msg.p, s->msg.len, why, sizeof(why))) {
	case -1:
		sl_failed(s, why);
		return 1;
	case 1:
		return 1;
	}
	s->sent = seq;
	if (s->bev != NULL) {
		s->flight = xreallocarray(s->flight, s->nflight + 1,
		    sizeof(*s->flight));
		s->flight[s->nflight].seq = seq;
		s->flight[s->nflight].at = 0;
		s->flight[s->nflight].end = s->written;
		s->nflight++;
		if (evbuffer_get_length(bufferevent_get_output(s->bev)) >=
		    SL_HIGH)
			return 1;
	}
	return 0;
}

/*
 * A stream: mark delivered the alerts whose bytes left at least
 * SL_CONFIRM ago, the connection up since.
 */
static void
sl_confirm(struct sink_syslog *s, int64_t now, int all)
{
	size_t	i, n;

	for (n = 0; n < s->nflight; n++)
		if (s->flight[n].at == 0 ||
		    (!all && now - s->flight[n].at < SL_CONFIRM))
			break;
	if (n == 0 || sl_acked(s, s->flight[n - 1].seq) == -1)
		return;		/* not marked: kept for the next tick */
	for (i = n; i < s->nflight; i++)
		s->flight[i - n] = s->flight[i];
	s->nflight -= n;
}

/* Send what waits: alerts first, then records; as much as there is room. */
static void
sl_pump(struct sink_syslog *s)
{
	size_t	i, n;
	int	got, e, rc = 0;
	char	why[256];

	if (s->state != SL_UP)
		return;
	if (s->bev != NULL && evbuffer_get_length(bufferevent_get_output(
	    s->bev)) >= SL_HIGH)
		return;
	do {
		got = store_outbox_next(s->db, s->outbox, s->sent, SL_BATCH,
		    sl_alert, s);
		if (got == -1) {
			if (!s->failed)
				log_warnx("syslog %s: store: %s", s->name,
				    sqlite3_errmsg(s->db));
			s->failed = 1;
			return;
		}
		s->failed = 0;
		if (s->state != SL_UP)
			return;
		if (s->bev == NULL && (e = sl_dgram_error(s)) != 0) {
			sl_dgram_failed(s, strerror(e));
			return;
		}
		if (s->bev == NULL)
			sl_acked(s, s->sent);	/* datagrams: sent is done */
	} while (got == SL_BATCH && (s->bev == NULL ||
	    evbuffer_get_length(bufferevent_get_output(s->bev)) < SL_HIGH));
	for (i = 0; i < s->nrecords; i++)
		if ((rc = sl_send(s, s->records[i], s->record_len[i], why,
		    sizeof(why))) != 0)
			break;
	if (i > 0) {	/* sent: out of the list (maybe none kept) */
		for (n = 0; n < i; n++)
			free(s->records[n]);
		memmove(s->records, s->records + i, (s->nrecords - i) *
		    sizeof(*s->records));
		memmove(s->record_len, s->record_len + i, (s->nrecords - i) *
		    sizeof(*s->record_len));
		s->nrecords -= i;
	}
	if (rc == -1)
		sl_failed(s, why);
}

/* More than queue-limit alerts wait: give up the oldest, say it once. */
static void
sl_queue(struct sink_syslog *s, int64_t now)
{
	int64_t	n;

	if (now - s->counted_at < SL_COUNT_EVERY)
		return;
	s->counted_at = now;
	if (store_outbox_count(s->db, s->outbox, s->acked, &n) == -1)
		return;
	s->waiting = (uint64_t)n;
	if ((uint64_t)n <= s->queue_limit) {
		if (s->full && (uint64_t)n < s->queue_limit / 2)
			s->full = 0;
		return;
	}
	n -= (int64_t)s->queue_limit;
	if (store_outbox_drop(s->db, s->outbox, n, now) == -1)
		return;
	s->dropped += (uint64_t)n;
	s->waiting = s->queue_limit;
	if (!s->full)
		log_warnx("syslog %s: the queue is full (%" PRIu64 " alerts "
		    "wait): the oldest are given up, not sent (they stay in "
		    "the store); %" PRIu64 " so far", s->name, s->queue_limit,
		    s->dropped);
	s->full = 1;
}

/* Every SL_TICK: reconnect when due, confirm, send what is new. */
static void
sl_tick(evutil_socket_t fd, short what, void *arg)
{
	struct sink_syslog	*s = arg;
	int64_t			 now = sl_now();

	sl_queue(s, now);
	if (s->state == SL_DOWN && now >= s->retry_at)
		sl_connect(s);
	if (s->state != SL_UP)
		return;
	if (s->bev != NULL) {
		sl_confirm(s, now, 0);
		if (s->nflight == 0 && s->backoff != 0)
			s->backoff = 0;		/* it works again */
	} else
		s->backoff = 0;
	sl_pump(s);
}

/* Run on a loop: the timer, and the first connection. */
static void
sl_start(struct sink_syslog *s, struct event_base *base)
{
	struct timeval	tv = { 0, SL_TICK_US };

	s->base = base;
	s->timer = event_new(base, -1, EV_PERSIST, sl_tick, s);
	if (s->timer == NULL)
		fatalx("event_new failed");
	event_add(s->timer, &tv);
	s->state = SL_DOWN;
	s->retry_at = 0;
}

/* Off the loop: the connection closed, nothing marked is lost. */
static void
sl_stop(struct sink_syslog *s)
{
	sl_close(s);
	sl_addrs_free(s);
	if (s->timer != NULL)
		event_free(s->timer);
	s->timer = NULL;
	s->nflight = 0;
	s->written = 0;
	s->sent = s->acked;
	s->state = SL_DOWN;
	if (s->own_base)
		event_base_free(s->base);
	s->base = NULL;
	s->own_base = 0;
}

/* Live: work on the daemon's loop. */
static void
sink_syslog_attach(void *arg, struct event_base *base)
{
	sl_start(arg, base);
}

/* Live, the loop about to be freed. */
static void
sink_syslog_detach(void *arg)
{
	struct sink_syslog	*s = arg;

	if (s->base != NULL)
		sl_stop(s);
}

/*
 * Keep a record's message, or count it lost: live, when there is no
 * connection or no room; offline (sent at the end), when there is no
 * room.
 */
static void
sl_record(struct sink_syslog *s, const char *line, size_t len)
{
	if ((s->live && s->state != SL_UP) || s->nrecords >= SL_RECORDS_MAX) {
		s->lost++;
		return;
	}
	if (sl_format(s, line, len) == -1)
		return;
	s->records = xreallocarray(s->records, s->nrecords + 1,
	    sizeof(*s->records));
	s->record_len = xreallocarray(s->record_len, s->nrecords + 1,
	    sizeof(*s->record_len));
	s->records[s->nrecords] = xstrndup(s->msg.p, s->msg.len);
	s->record_len[s->nrecords++] = s->msg.len;
}

/* send everything: a flow record, through the JSON lines writer. */
static void
sink_syslog_flow(void *arg, const struct event_flow *e)
{
	struct sink_syslog	*s = arg;
	const char		*line;
	size_t			 len;

	if (s->send != POLICY_SYSLOG_ALL)
		return;
	sink_json_ops.flow(s->json, e);
	line = sink_json_lines(s->json, &len);
	sl_record(s, line, len);
}

/*
 * send alerts-and-series: a beacon series as it stands, as an ECS event
 * of its own (event.action "beacon-series").
 */
static void
sink_syslog_series(void *arg, const struct event_series *e)
{
	struct sink_syslog		*s = arg;
	const struct beacon_report	*r = e->report;
	char				 addr[UTIL_ADDRSTRLEN], ts[64];
	char				 key[300], dst[UTIL_ADDRSTRLEN];
	char				*line;
	json_t				*j, *d;
	time_t				 t;
	struct tm			 tm;

	if (s->send == POLICY_SYSLOG_ALERTS)
		return;
	t = (time_t)(r->last_seen / 1000000);
	gmtime_r(&t, &tm);
	snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(r->last_seen % 1000000));
	util_addr_str(r->af, r->appliance, addr, sizeof(addr));
	j = json_pack("{s:s, s:{s:s, s:s, s:i}, s:{s:s}, s:{s:{s:f, s:f,"
	    " s:I, s:I, s:f, s:s, s:s, s:s*}, s:s}}", "@timestamp", ts, "event",
	    "kind", "event", "action", "beacon-series", "severity", 1,
	    "source", "ip", addr, "egressd", "beacon", "period_s",
	    r->period_s, "jitter", r->jitter, "beats", (json_int_t)r->beats,
	    "missed", (json_int_t)r->missed, "score", r->score, "group_by",
	    beacon_group_name(r->group_by), "key", beacon_key_str(r, e->name,
	    key, sizeof(key)), "name", e->name, "verdict",
	    policy_verdict_name(e->verdict));
	if (j == NULL)
		return;
	/* where it calls, as ECS says it, when the series has one place */
	if (r->group_by == BEACON_G_ADDRESS ||
	    r->group_by == BEACON_G_SERVICE) {
		util_addr_str(r->af, r->addr, dst, sizeof(dst));
		d = json_pack("{s:s}", "ip", dst);
		if (d != NULL && r->group_by == BEACON_G_SERVICE) {
			json_object_set_new(d, "port",
			    json_integer(BEACON_SVC_PORT(r->svc)));
			json_object_set_new(j, "network", json_pack("{s:s}",
			    "transport",
			    util_proto_name(BEACON_SVC_PROTO(r->svc))));
		}
		if (d != NULL)
			json_object_set_new(j, "destination", d);
	} else if (r->group_by == BEACON_G_ASN)
		json_object_set_new(j, "destination", json_pack("{s:{s:I}}",
		    "as", "number", (json_int_t)r->asn));
	if ((line = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER)) !=
	    NULL)
		sl_record(s, line, strlen(line));
	free(line);
	json_decref(j);
}

/* Records that were not sent, and alerts given up. */
static uint64_t
sink_syslog_lost(void *arg)
{
	struct sink_syslog	*s = arg;

	return s->lost + s->dropped;
}

/* The alerts waiting in the outbox for this sink, counted each second. */
static void
sink_syslog_queue(void *arg, struct sink_queue *q)
{
	struct sink_syslog	*s = arg;

	q->kind = "syslog";
	q->name = s->name;
	q->unit = "alerts";
	q->n = s->waiting;
}

/*
 * At the end: deliver what waits, on a loop of our own, until the outbox
 * is empty or `wait` has passed (live: at most SINK_SYSLOG_LIVE_WAIT).
 */
static void
sl_drain(struct sink_syslog *s)
{
	int64_t	deadline, wait = s->wait, n = 0, now;
	char	peer[300];

	if (s->live && wait > SINK_SYSLOG_LIVE_WAIT)
		wait = SINK_SYSLOG_LIVE_WAIT;
	deadline = sl_now() + wait;
	if ((s->base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	s->own_base = 1;
	sl_start(s, s->base);
	for (;;) {
		event_base_loop(s->base, EVLOOP_ONCE);
		now = sl_now();
		if (s->state == SL_UP && s->nflight > 0 && s->bev != NULL &&
		    evbuffer_get_length(bufferevent_get_output(s->bev)) == 0 &&
		    now - s->flight[s->nflight - 1].at >= SL_CONFIRM)
			sl_confirm(s, now, 1);
		if (store_outbox_count(s->db, s->outbox, s->acked, &n) == -1)
			break;
		if ((n == 0 && s->nrecords == 0) || now >= deadline)
			break;
	}
	if (n > 0)
		log_warnx("syslog %s: %s: %" PRId64 " alerts not delivered yet:"
		    " they wait in the store for the next run", s->name,
		    sl_peer(s, peer, sizeof(peer)), n);
	s->lost += s->nrecords;
	sl_stop(s);
}

/* Deliver what is left (bounded), close. */
static int
sink_syslog_close(void *arg)
{
	struct sink_syslog	*s = arg;

	if (s == NULL)
		return 0;
	if (s->base != NULL)
		sl_stop(s);
	sl_drain(s);
	while (s->nrecords > 0)
		free(s->records[--s->nrecords]);
	if (s->lost > 0)
		log_warnx("syslog %s: %" PRIu64 " flow records or series not "
		    "sent", s->name, s->lost);
	free(s->records);
	free(s->record_len);
	free(s->flight);
	syslog_buf_free(&s->msg);
	sink_json_ops.close(s->json);
	SSL_CTX_free(s->ctx);
	sqlite3_close(s->db);
	free(s->name);
	free(s->outbox);
	free(s->host);
	free(s->path);
	free(s);
	return 0;
}

/*
 * A syslog sink for configuration c, delivering from the store at dbpath
 * (open already, by the store's sink); live or offline.  NULL with the
 * reason in err.
 */
struct sink_syslog *
sink_syslog_open(const struct policy_syslog *c, const char *dbpath, int live,
    char *err, size_t len)
{
	struct sink_syslog	*s;
	char			 serr[STORE_ERRLEN];

	s = xcalloc(1, sizeof(*s));
	s->fd = -1;
	s->name = xstrdup(c->name);
	s->outbox = xcalloc(1, strlen(c->name) + 8);
	snprintf(s->outbox, strlen(c->name) + 8, "syslog:%s", c->name);
	s->transport = c->transport;
	s->host = c->host != NULL ? xstrdup(c->host) : NULL;
	s->path = xstrdup(c->path != NULL ? c->path : "/dev/log");
	s->port = c->port;
	s->fmt = (enum syslog_fmt)c->format;
	s->send = c->send;
	s->queue_limit = c->queue_limit;
	s->wait = c->wait;
	s->live = live;
	if (c->hostname != NULL)
		snprintf(s->hostname, sizeof(s->hostname), "%s", c->hostname);
	else if (gethostname(s->hostname, sizeof(s->hostname)) == -1)
		s->hostname[0] = '\0';
	s->hostname[sizeof(s->hostname) - 1] = '\0';
	s->head.hostname = s->hostname[0] != '\0' ? s->hostname : NULL;
	s->head.pid = (int)getpid();
	s->head.facility = c->facility;
	s->json = sink_json_memory();
	if (c->transport == POLICY_SYSLOG_TLS &&
	    (s->ctx = sl_tls_ctx(c, err, len)) == NULL)
		goto fail;
	if ((s->db = store_open(dbpath, STORE_WRITE, serr,
	    sizeof(serr))) == NULL) {
		snprintf(err, len, "syslog %s: %s", c->name, serr);
		goto fail;
	}
	/* live, never hold the loop long: a busy store is tried again */
	sqlite3_busy_timeout(s->db, live ? 100 : 5000);
	if (store_outbox_register(s->db, s->outbox, sl_now()) == -1) {
		snprintf(err, len, "syslog %s: %s: %s", c->name, dbpath,
		    sqlite3_errmsg(s->db));
		goto fail;
	}
	return s;
fail:
	sqlite3_close(s->db);
	SSL_CTX_free(s->ctx);
	sink_json_ops.close(s->json);
	free(s->name);
	free(s->outbox);
	free(s->host);
	free(s->path);
	free(s);
	return NULL;
}

const struct sink_ops sink_syslog_ops = {
	.name = "syslog",
	.flow = sink_syslog_flow,
	.series = sink_syslog_series,
	.lost = sink_syslog_lost,
	.attach = sink_syslog_attach,
	.detach = sink_syslog_detach,
	.queue = sink_syslog_queue,
	.close = sink_syslog_close,
};
