/*
 * The application layer of a flow, read passively from its first bytes.
 * TCP: the client's first bytes are reassembled in order (retransmitted and
 * overlapping segments are trimmed, a gap ends the attempt) up to
 * APP_STREAM_MAX, until they make a whole TLS ClientHello (SNI, ALPN,
 * offered versions, JA4) or HTTP/1.x request (method, Host, path,
 * User-Agent), or clearly neither.  Buffers exist only while a hello or
 * request is incomplete, and all of them together are capped.  DNS feeds
 * passive DNS: over UDP, and over TCP in both directions, where a message
 * that spans segments is reassembled (under the same cap).  NTP and QUIC
 * are recognised by their headers; the ClientHello in a QUIC client's
 * first Initial packets is decrypted and read (quic.c), its CRYPTO data
 * kept under the same cap until whole.  The protocol is named from the
 * content, the port only confirming.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "decode.h"
#include "dns.h"
#include "flow.h"
#include "http.h"
#include "pdns.h"
#include "quic.h"
#include "tls.h"
#include "xmalloc.h"

#define TCP_SYN		0x02

static const char *app_names[] = {
	NULL, "dns", "tls", "http", "ntp", "rtsp", "quic", "dot", "doh"
};

static const char *app_counter_names[] = {
#define APP_NAME(e, s)	s,
	APP_COUNTERS(APP_NAME)
#undef APP_NAME
};

/* Public DNS-over-HTTPS services, by the name a client asks for (SNI). */
static const char *app_doh_names[] = {
	"dns.google", "dns.google.com", "cloudflare-dns.com",
	"mozilla.cloudflare-dns.com", "one.one.one.one",
	"1dot1dot1dot1.cloudflare-dns.com", "security.cloudflare-dns.com",
	"family.cloudflare-dns.com", "dns.quad9.net", "dns9.quad9.net",
	"dns10.quad9.net", "dns11.quad9.net", "doh.opendns.com",
	"dns.adguard.com", "dns.adguard-dns.com", "doh.cleanbrowsing.org",
	"dns.nextdns.io", "doh.dns.sb", "dns.alidns.com", "doh.pub",
	"dns.twnic.tw", "doh.mullvad.net", "dns.controld.com", NULL
};

/* A context with its own passive DNS table. */
struct app *
app_new(void)
{
	struct app	*a;

	a = xcalloc(1, sizeof(*a));
	a->pdns = pdns_new(PDNS_MAX_NAMES);
	a->hello = xmalloc(sizeof(*a->hello));
	a->req = xmalloc(sizeof(*a->req));
	a->msg = xmalloc(sizeof(*a->msg));
	return a;
}

/* Free the context. */
void
app_free(struct app *a)
{
	if (a == NULL)
		return;
	pdns_free(a->pdns);
	free(a->hello);
	free(a->req);
	free(a->msg);
	free(a);
}

/* Hand every DNS message parsed to cb (the DNS detectors), or none. */
void
app_set_dns_cb(struct app *a, app_dns_cb cb, void *arg)
{
	a->dns_cb = cb;
	a->dns_arg = arg;
}

/* The network.protocol name, or NULL. */
const char *
app_proto_name(enum app_proto p)
{
	return (size_t)p < sizeof(app_names) / sizeof(app_names[0]) ?
	    app_names[p] : NULL;
}

/* The word for where a name came from (NULL: none). */
const char *
app_name_source_name(enum app_name_source s)
{
	switch (s) {
	case APP_NAME_DNS:
		return "dns";
	case APP_NAME_TLS:
		return "tls";
	case APP_NAME_HTTP:
		return "http";
	case APP_NAME_NONE:
		break;
	}
	return NULL;
}

/* The printable name of a counter. */
const char *
app_counter_name(enum app_counter c)
{
	return c < APP_C_MAX ? app_counter_names[c] : "?";
}

/* Drop the DNS-over-TCP state of a flow. */
static void
app_dns_free(struct app *a, struct flow_app *fa)
{
	int	i;

	if (fa->dns == NULL)
		return;
	for (i = 0; i < 2; i++) {
		if (fa->dns[i].buf != NULL)
			a->buffered -= APP_DNS_MSG_MAX;
		free(fa->dns[i].buf);
	}
	free(fa->dns);
	fa->dns = NULL;
}

/* Drop a flow's stream buffer, TCP or QUIC. */
static void
app_buf_free(struct app *a, struct flow_app *fa)
{
	if (fa->quic != NULL) {
		a->buffered -= sizeof(*fa->quic);
		free(fa->quic);
		fa->quic = NULL;
	}
	if (fa->buf == NULL)
		return;
	a->buffered -= APP_STREAM_MAX;
	free(fa->buf);
	fa->buf = NULL;
	fa->len = 0;
}

/* Forget what a flow carried, when the flow ends. */
void
app_flow_free(struct app *a, struct flow *f)
{
	struct flow_app	*fa = f->app;

	if (fa == NULL)
		return;
	app_buf_free(a, fa);
	app_dns_free(a, fa);
	free(fa->sni);
	free(fa->ja4);
	free(fa->tls_version);
	free(fa->alpn);
	free(fa->http_method);
	free(fa->http_host);
	free(fa->http_path);
	free(fa->http_ua);
	free(fa);
	f->app = NULL;
}

/* A copy of s, or NULL for an empty string. */
static char *
app_strdup(const char *s)
{
	return s[0] != '\0' ? xstrdup(s) : NULL;
}

/* Is this SNI a public DNS-over-HTTPS service? */
static int
app_is_doh(const char *sni)
{
	int	i;

	for (i = 0; app_doh_names[i] != NULL; i++)
		if (strcasecmp(sni, app_doh_names[i]) == 0)
			return 1;
	return 0;
}

/* Keep what a ClientHello says; over QUIC the flow stays "quic". */
static void
app_take_hello(struct flow_app *fa, const struct tls_hello *h, uint16_t dport,
    int quic)
{
	char		 ja4[TLS_JA4_LEN];
	const char	*v;
	uint16_t	 ver = h->version_max ? h->version_max :
			    h->legacy_version;

	if (h->sni_present && h->sni[0] != '\0')
		fa->sni = xstrdup(h->sni);
	if (tls_ja4(h, quic ? 'q' : 't', 0, ja4, sizeof(ja4)) == 0)
		fa->ja4 = xstrdup(ja4);
	if ((v = tls_version_name(ver)) != NULL)
		fa->tls_version = xstrdup(v);
	if (h->alpn_present && h->nalpn > 0)
		fa->alpn = app_strdup(h->alpn[0]);
	if (fa->sni != NULL && app_is_doh(fa->sni))
		fa->proto = APP_DOH;		/* over TLS or HTTP/3 */
	else if (quic)
		fa->proto = APP_QUIC;
	else if (dport == 853 ||
	    (fa->alpn != NULL && strcmp(fa->alpn, "dot") == 0))
		fa->proto = APP_DOT;
	else
		fa->proto = APP_TLS;
}

/*
 * Keep what an HTTP request says, as soon as its lines are read: a field
 * once kept stays (the parser reads left to right, so a field it has read
 * is the same with more bytes; of two Host fields the first is kept).
 */
static void
app_take_request(struct flow_app *fa, const struct http_request *r)
{
	fa->proto = APP_HTTP;
	if (fa->http_method == NULL)
		fa->http_method = app_strdup(r->method);
	if (fa->http_host == NULL)
		fa->http_host = app_strdup(r->host);
	if (fa->http_path == NULL)
		fa->http_path = app_strdup(r->path);
	if (fa->http_ua == NULL)
		fa->http_ua = app_strdup(r->user_agent);
}

/* Is the first line an RTSP request ("DESCRIBE rtsp://... RTSP/1.0")? */
static int
app_is_rtsp(const uint8_t *p, size_t len)
{
	size_t	i;

	for (i = 0; i < len && i < 2048; i++) {
		if (p[i] == '\n')
			return i >= 9 && memcmp(p + i - 9, "RTSP/1.0\r", 9) == 0;
	}
	return 0;
}

/* The flow's application record, made on first use. */
static struct flow_app *
app_get(struct flow *f)
{
	if (f->app == NULL)
		f->app = xcalloc(1, sizeof(*f->app));
	return f->app;
}

/*
 * Look at the client bytes so far: 1 when done with them (a complete
 * hello or request, or neither), 0 when more are needed.
 */
static int
app_inspect(struct app *a, struct flow *f, const uint8_t *p, size_t len,
    uint16_t dport)
{
	struct tls_hello	*h = a->hello;
	struct http_request	*r = a->req;
	int			 tr, hr;

	tr = tls_client_hello(p, len, h);
	if (tr == TLS_HELLO_OK) {
		a->counters[APP_C_TLS_HELLOS]++;
		app_take_hello(app_get(f), h, dport, 0);
	} else if (tr == TLS_HELLO_BAD) {
		a->counters[APP_C_TLS_BAD]++;
		app_get(f)->proto = APP_TLS;
	}
	if (tr != TLS_HELLO_NOT)
		return tr != TLS_HELLO_MORE;
	hr = http_request_parse(p, len, r);
	if (hr == HTTP_OK) {
		a->counters[APP_C_HTTP_REQUESTS]++;
		app_take_request(app_get(f), r);
		/* a certificate's checking, whole header section read */
		f->app->pki = (uint8_t)http_pki(r);
	} else if (hr == HTTP_BAD)
		a->counters[APP_C_HTTP_BAD]++;
	if (hr != HTTP_OK && hr != HTTP_NOT &&
	    (r->host[0] != '\0' || r->user_agent[0] != '\0')) {
		/*
		 * Not whole (yet), or malformed after the lines that name
		 * the host: the name is taken now, so that a header section
		 * longer than the buffer, never finished or made malformed
		 * on purpose hides nothing it has already said.
		 */
		if (f->app == NULL || f->app->proto != APP_HTTP)
			a->counters[APP_C_HTTP_PARTIAL]++;
		app_take_request(app_get(f), r);
	}
	if (hr == HTTP_MORE)
		return 0;
	if (hr == HTTP_NOT && app_is_rtsp(p, len))
		app_get(f)->proto = APP_RTSP;
	return 1;
}

/* One DNS message of a flow: names for the passive DNS table. */
static void
app_dns(struct app *a, struct flow *f, const struct pkt *p,
    const uint8_t *msg, size_t len)
{
	struct dns_msg	*m = a->msg;

	if (dns_parse(msg, len, m) != DNS_OK) {
		a->counters[APP_C_DNS_BAD]++;
		return;
	}
	a->counters[APP_C_DNS_MESSAGES]++;
	a->counters[APP_C_DNS_NOT_KEPT] += m->answers_dropped;
	app_get(f)->proto = APP_DNS;
	if (a->dns_cb != NULL)
		a->dns_cb(a->dns_arg, f, p, m);
	if (!m->qr)
		pdns_query(a->pdns, p->af, p->src, p->dst, m, p->ts);
	else if (pdns_answer(a->pdns, p->af, p->dst, p->src, m, p->ts) == -1)
		a->counters[APP_C_DNS_UNSOLICITED]++;
}

static void	app_quic(struct app *, struct flow *, int,
		    const struct pkt *);

/* A UDP payload of side dir: DNS, NTP or QUIC. */
static void
app_udp(struct app *a, struct flow *f, int dir, const struct pkt *p)
{
	const uint8_t	*d = p->payload;
	size_t		 n = p->payload_len;
	uint8_t		 ver;

	if (p->sport == 53 || p->dport == 53 || p->sport == 5353 ||
	    p->dport == 5353) {
		app_dns(a, f, p, d, n);
		return;
	}
	if (f->app != NULL && f->app->proto == APP_QUIC) {
		app_quic(a, f, dir, p);
		return;
	}
	if (f->app != NULL && f->app->proto != APP_NONE)
		return;
	/* NTP (RFC 5905): | LI(2) VN(3) Mode(3) | ... 48 bytes. */
	ver = (uint8_t)((d[0] >> 3) & 7);
	if ((p->sport == 123 || p->dport == 123) && n >= 48 && ver >= 1 &&
	    ver <= 4) {
		app_get(f)->proto = APP_NTP;
		return;
	}
	/* QUIC (RFC 9000) long header: | 1 1 T(2) ... | version(32) |. */
	if ((p->sport == 443 || p->dport == 443) && n >= 1200 &&
	    (d[0] & 0xc0) == 0xc0 && (d[1] | d[2] | d[3] | d[4]) != 0) {
		app_get(f)->proto = APP_QUIC;
		app_quic(a, f, dir, p);
	}
}

/*
 * A segment of n bytes at d with sequence number seq, on a side whose next
 * byte is *expect: the bytes already seen (a retransmission, an overlap)
 * are cut from the front and *expect moves past the rest.  1 with new
 * bytes left, 0 with none, -1 when a byte before them is missing.
 */
static int
app_seq_next(uint32_t *expect, uint32_t seq, const uint8_t **d, size_t *n)
{
	uint32_t	off = seq - *expect;		/* modulo 2^32 */
	size_t		skip;

	if (off != 0 && off < 0x80000000U)
		return -1;
	skip = off == 0 ? 0 : (size_t)(0U - off);	/* already seen */
	if (skip >= *n)
		return 0;
	*d += skip;
	*n -= skip;
	*expect += (uint32_t)*n;
	return 1;
}

/* Read the whole messages at the start of d; how many bytes they took. */
static size_t
app_tcp_dns_msgs(struct app *a, struct flow *f, const struct pkt *p,
    const uint8_t *d, size_t n)
{
	const uint8_t	*msg;
	size_t		 used, len, total = 0;

	while ((used = dns_tcp_next(d + total, n - total, &msg, &len)) > 0) {
		app_dns(a, f, p, msg, len);
		total += used;
	}
	return total;
}

/*
 * DNS over TCP, one segment of side dir: messages are read in sequence
 * order, a retransmission trimmed; one that goes on into later segments
 * waits in a buffer of its own (at most APP_DNS_MSG_MAX, under the cap of
 * all buffers).  A missing byte ends the reading of that side: the framing
 * cannot be found again.
 */
static void
app_tcp_dns(struct app *a, struct flow *f, int dir, const struct pkt *p)
{
	struct flow_app		*fa = app_get(f);
	struct app_dns_stream	*ds;
	const uint8_t		*d = p->payload;
	size_t			 n = p->payload_len, used, need;
	int			 r;

	if (fa->dns == NULL)
		fa->dns = xcalloc(2, sizeof(*fa->dns));
	ds = &fa->dns[dir];
	if (ds->state == APP_DS_DONE)
		return;
	if (ds->state == APP_DS_NEW) {
		ds->state = APP_DS_READ;
		ds->seq = p->tcp_seq;
	}
	if ((r = app_seq_next(&ds->seq, p->tcp_seq, &d, &n)) == -1) {
		a->counters[APP_C_DNS_TCP_GAP]++;
		goto done;
	}
	if (r == 0)
		return;
	if (ds->buf != NULL) {
		/* Complete the waiting message first: its length, then it. */
		for (;;) {
			need = ds->len < 2 ? 2 : 2 + ((size_t)ds->buf[0] << 8 |
			    ds->buf[1]);
			if (ds->len >= need || n == 0)
				break;
			used = need - ds->len < n ? need - ds->len : n;
			memcpy(ds->buf + ds->len, d, used);
			ds->len += (uint32_t)used;
			d += used;
			n -= used;
		}
		if (app_tcp_dns_msgs(a, f, p, ds->buf, ds->len) == 0)
			return;			/* still short: n is 0 */
		free(ds->buf);
		ds->buf = NULL;
		ds->len = 0;
		a->buffered -= APP_DNS_MSG_MAX;
	}
	used = app_tcp_dns_msgs(a, f, p, d, n);
	d += used;
	n -= used;
	if (n == 0)
		return;
	/* The start of a message that goes on in the next segments. */
	if (a->buffered + APP_DNS_MSG_MAX > APP_BUFFERS_MAX) {
		a->counters[APP_C_BUFFERS_FULL]++;
		goto done;
	}
	ds->buf = xmalloc(APP_DNS_MSG_MAX);
	a->buffered += APP_DNS_MSG_MAX;
	memcpy(ds->buf, d, n);
	ds->len = (uint32_t)n;
	return;
done:
	ds->state = APP_DS_DONE;
	if (ds->buf != NULL) {
		free(ds->buf);
		ds->buf = NULL;
		ds->len = 0;
		a->buffered -= APP_DNS_MSG_MAX;
	}
}

/* Stop reading a flow's client bytes and free its buffer. */
static void
app_stream_done(struct app *a, struct flow *f)
{
	f->app_flags |= FLOW_APP_DONE;
	if (f->app != NULL)
		app_buf_free(a, f->app);
}

/*
 * A datagram of a QUIC flow: the client's first ones are read for the
 * ClientHello in their Initial packets, with a CRYPTO buffer taken under
 * the cap of all buffers, until the hello is whole, a packet does not
 * open or is malformed, or APP_QUIC_DATAGRAMS have not been enough.
 */
static void
app_quic(struct app *a, struct flow *f, int dir, const struct pkt *p)
{
	struct flow_app	*fa = app_get(f);
	int		 rc;

	if (dir != f->init || (f->app_flags & FLOW_APP_DONE))
		return;
	if (fa->quic == NULL) {
		if (a->buffered + sizeof(*fa->quic) > APP_BUFFERS_MAX) {
			a->counters[APP_C_BUFFERS_FULL]++;
			app_stream_done(a, f);
			return;
		}
		fa->quic = xcalloc(1, sizeof(*fa->quic));
		a->buffered += sizeof(*fa->quic);
	}
	rc = quic_client_initial(fa->quic, p->payload, p->payload_len,
	    a->hello);
	switch (rc) {
	case QUIC_OK:
		a->counters[APP_C_QUIC_HELLOS]++;
		app_take_hello(fa, a->hello, p->dport, 1);
		break;
	case QUIC_MORE:
		if (fa->quic->datagrams < APP_QUIC_DATAGRAMS)
			return;
		a->counters[APP_C_QUIC_INCOMPLETE]++;
		break;
	case QUIC_NOT:
		/* A short header once the handshake moved on, or not v1/v2. */
		if (fa->quic->packets > 0)
			a->counters[APP_C_QUIC_INCOMPLETE]++;
		else
			a->counters[APP_C_QUIC_OTHER]++;
		break;
	case QUIC_UNDECRYPTABLE:
		a->counters[APP_C_QUIC_UNDECRYPTABLE]++;
		break;
	default:
		a->counters[APP_C_QUIC_BAD]++;
		break;
	}
	app_stream_done(a, f);
}

/*
 * Client bytes of a TCP flow, in sequence order (the next sequence number
 * is kept in the flow itself).  The first segment is inspected where it
 * lies; a buffer is taken only when more bytes are needed.
 */
static void
app_tcp_client(struct app *a, struct flow *f, const struct pkt *p)
{
	struct flow_app	*fa;
	const uint8_t	*d = p->payload;
	size_t		 n = p->payload_len, room;
	int		 r;

	if (!(f->app_flags & FLOW_APP_SEQ)) {
		f->app_flags |= FLOW_APP_SEQ;
		f->app_seq = p->tcp_seq;
	}
	if ((r = app_seq_next(&f->app_seq, p->tcp_seq, &d, &n)) == -1) {
		a->counters[APP_C_STREAM_GAP]++;	/* a byte is missing */
		app_stream_done(a, f);
		return;
	}
	if (r == 0)
		return;
	if (f->app == NULL || f->app->buf == NULL) {
		if (app_inspect(a, f, d, n, p->dport)) {
			app_stream_done(a, f);
			return;
		}
		if (a->buffered + APP_STREAM_MAX > APP_BUFFERS_MAX) {
			a->counters[APP_C_BUFFERS_FULL]++;
			app_stream_done(a, f);
			return;
		}
		fa = app_get(f);
		fa->buf = xmalloc(APP_STREAM_MAX);
		fa->len = 0;
		a->buffered += APP_STREAM_MAX;
	}
	fa = f->app;
	room = APP_STREAM_MAX - fa->len;
	if (n > room)
		n = room;
	memcpy(fa->buf + fa->len, d, n);
	fa->len += (uint32_t)n;
	if (app_inspect(a, f, fa->buf, fa->len, p->dport))
		app_stream_done(a, f);
	else if (fa->len == APP_STREAM_MAX) {
		a->counters[APP_C_STREAM_FULL]++;
		app_stream_done(a, f);
	}
}

/*
 * A packet of a flow that the decoder dropped as a SPAN copy: counted to
 * the flow (egressd.flow.duplicates), so that a flow whose packets are
 * mostly "copies" shows.
 */
void
app_duplicate(struct app *a, struct flow *f)
{
	struct flow_app	*fa = app_get(f);

	(void)a;
	if (fa->copies < UINT32_MAX)
		fa->copies++;
}

/*
 * Were most of a flow's packets dropped as SPAN copies (more copies than
 * packets counted)?  0 if not, 1 if so, 2 if some were also past what a
 * mirror makes (a packet seen more than DEDUP_COPIES + 1 times within the
 * window): a mirror port that triples every packet makes the first, none
 * makes the second.
 */
int
app_mostly_copies(const struct flow *f)
{
	const struct flow_app	*fa = f->app;

	if (fa == NULL || fa->copies <= f->pkts[0] + f->pkts[1])
		return 0;
	return fa->excess > 0 ? 2 : 1;
}

/*
 * One packet of a flow, sent by side dir of its key.  Nothing is allocated
 * for a flow until something is found in it or its first bytes need a
 * buffer.
 */
void
app_packet(struct app *a, struct flow *f, int dir, const struct pkt *p)
{
	if (p->copy) {
		struct flow_app	*fa = app_get(f);

		if (fa->excess < UINT32_MAX)
			fa->excess++;
	}
	if (p->frag == DECODE_FRAG_LATER)
		return;
	if (p->proto == 6 && (p->tcp_flags & TCP_SYN) && dir == f->init) {
		f->app_flags |= FLOW_APP_SEQ;
		f->app_seq = p->tcp_seq + 1;
		return;
	}
	if (p->payload_len == 0)
		return;
	if (p->proto == 17) {
		app_udp(a, f, dir, p);
		return;
	}
	if (p->proto != 6)
		return;
	if (p->sport == 53 || p->dport == 53) {
		app_tcp_dns(a, f, dir, p);
		return;
	}
	if (dir == f->init && !(f->app_flags & FLOW_APP_DONE))
		app_tcp_client(a, f, p);
}

/* Is a name an address literal ("10.0.0.5", "[fd00::1]") rather than a domain? */
static int
app_is_literal(const char *name)
{
	uint8_t	buf[16];

	return name[0] == '[' || inet_pton(AF_INET, name, buf) == 1 ||
	    inet_pton(AF_INET6, name, buf) == 1;
}

/*
 * The name of a flow's destination: what its appliance had resolved when
 * it opened the flow (passive DNS; the CNAME chain after it in *cname),
 * else the name it told the server (the TLS SNI, else the HTTP Host; an
 * address literal is no name).  *src says which.  NULL, *src
 * APP_NAME_NONE and *cname NULL when there is none.  a may be NULL (no
 * passive DNS).  The strings last until the tables change.
 */
const char *
app_flow_name(struct app *a, const struct flow *f, enum app_name_source *src,
    const char **cname)
{
	const struct flow_app	*fa = f->app;
	struct pdns_name	 pn;

	*cname = NULL;
	*src = APP_NAME_DNS;
	if (a != NULL && pdns_lookup(a->pdns, f->key.af,
	    f->key.addr[f->appliance], f->key.addr[!f->appliance], f->start,
	    &pn)) {
		*cname = pn.cname;
		return pn.name;
	}
	*src = APP_NAME_TLS;
	if (fa != NULL && fa->sni != NULL && !app_is_literal(fa->sni))
		return fa->sni;
	*src = APP_NAME_HTTP;
	if (fa != NULL && fa->http_host != NULL &&
	    !app_is_literal(fa->http_host))
		return fa->http_host;
	*src = APP_NAME_NONE;
	return NULL;
}

/*
 * The name its appliance's DNS answers had given a flow's destination
 * before the flow opened, even when the answer had expired by then: what
 * names the call-home of a flow that has no name of its own (an appliance
 * that keeps the addresses a name resolved to and connects to them hours
 * later), never the flow's name nor the policy's evidence.  NULL when
 * there is none; a may be NULL.  The string lasts until the table changes.
 */
const char *
app_flow_name_expired(struct app *a, const struct flow *f)
{
	struct pdns_name	pn;

	if (a == NULL || !pdns_lookup_expired(a->pdns, f->key.af,
	    f->key.addr[f->appliance], f->key.addr[!f->appliance], f->start,
	    &pn))
		return NULL;
	return pn.name;
}
