/* app.c: the application layer of each flow: its protocol and the names it carries. */
#ifndef EGRESSD_APP_H
#define EGRESSD_APP_H

#include <stddef.h>
#include <stdint.h>

#define APP_STREAM_MAX		16384	/* first client bytes reassembled */
#define APP_BUFFERS_MAX		(64 * 1024 * 1024)	/* all flows together */

enum app_proto {
	APP_NONE,
	APP_DNS,
	APP_TLS,
	APP_HTTP,
	APP_NTP,
	APP_RTSP,
	APP_QUIC,
	APP_DOT,		/* DNS over TLS */
	APP_DOH,		/* DNS over HTTPS, by the resolver's name */
};

/* Where the name of a flow's destination came from. */
enum app_name_source {
	APP_NAME_NONE,
	APP_NAME_DNS,		/* the appliance resolved it (passive DNS) */
	APP_NAME_TLS,		/* TLS or QUIC ClientHello SNI */
	APP_NAME_HTTP,		/* HTTP Host */
};

/* What is known of a flow's application layer; allocated on its first payload. */
/*
 * One direction of DNS over TCP (RFC 7766): the next sequence number, and
 * the start of a message that has not all arrived yet.
 */
struct app_dns_stream {
	uint32_t	 seq;
	uint8_t		 state;		/* APP_DS_* */
	uint8_t		*buf;		/* a partial message, with its length */
	uint32_t	 len;
};

#define APP_DS_NEW	0		/* no byte seen yet */
#define APP_DS_READ	1
#define APP_DS_DONE	2		/* a gap: no longer read */

#define APP_DNS_MSG_MAX	(2 + 65535)	/* length prefix and message */
#define APP_QUIC_DATAGRAMS	8	/* client datagrams read for a hello */

struct quic_stream;

struct flow_app {
	uint8_t		 proto;		/* enum app_proto */
	struct app_dns_stream *dns;	/* [2], by side; DNS over TCP only */
	uint8_t		*buf;		/* client bytes while incomplete */
	uint32_t	 len;
	struct quic_stream *quic;	/* QUIC Initial CRYPTO data, likewise */
	char		*sni;		/* tls.client.server_name */
	char		*ja4;		/* tls.client.ja4 */
	char		*tls_version;	/* highest offered, "1.3" */
	char		*alpn;		/* first offered */
	char		*http_method;
	char		*http_host;
	char		*http_path;
	char		*http_ua;
	uint8_t		 pki;		/* enum http_pki of its request */
	uint32_t	 copies;	/* SPAN copies of its packets dropped */
	uint32_t	 excess;	/* copies past those a mirror makes */
};

#define APP_COUNTERS(X)							\
	X(APP_C_DNS_MESSAGES,	"app.dns.messages")			\
	X(APP_C_DNS_BAD,	"app.dns.malformed")			\
	X(APP_C_DNS_UNSOLICITED, "app.dns.unsolicited_answers")		\
	X(APP_C_TLS_HELLOS,	"app.tls.client_hellos")		\
	X(APP_C_TLS_BAD,	"app.tls.malformed")			\
	X(APP_C_HTTP_REQUESTS,	"app.http.requests")			\
	X(APP_C_HTTP_BAD,	"app.http.malformed")			\
	X(APP_C_HTTP_PARTIAL,	"app.http.named_before_end")		\
	X(APP_C_STREAM_GAP,	"app.stream.gaps")			\
	X(APP_C_DNS_TCP_GAP,	"app.dns.tcp_gaps")			\
	X(APP_C_DNS_NOT_KEPT,	"app.dns.answers_not_kept")		\
	X(APP_C_STREAM_FULL,	"app.stream.incomplete_at_limit")	\
	X(APP_C_BUFFERS_FULL,	"app.stream.memory_cap")		\
	X(APP_C_QUIC_HELLOS,	"app.quic.client_hellos")		\
	X(APP_C_QUIC_UNDECRYPTABLE, "app.quic.undecryptable")		\
	X(APP_C_QUIC_BAD,	"app.quic.malformed")			\
	X(APP_C_QUIC_INCOMPLETE, "app.quic.incomplete")			\
	X(APP_C_QUIC_OTHER,	"app.quic.other_versions")

#define APP_ENUM(e, s)	e,
enum app_counter {
	APP_COUNTERS(APP_ENUM)
	APP_C_MAX
};
#undef APP_ENUM

struct flow;
struct pkt;
struct pdns;

struct dns_msg;
struct http_request;
struct tls_hello;

/* Every DNS message parsed: its flow, the packet, the message. */
typedef void (*app_dns_cb)(void *, const struct flow *, const struct pkt *,
    const struct dns_msg *);

struct app {
	struct pdns	*pdns;
	app_dns_cb	 dns_cb;	/* or NULL */
	void		*dns_arg;
	/* Parser results, reused from message to message (they are large). */
	struct tls_hello	*hello;
	struct http_request	*req;
	struct dns_msg		*msg;
	size_t		 buffered;	/* bytes in all stream buffers */
	uint64_t	 counters[APP_C_MAX];
};

struct app	*app_new(void);
void		 app_free(struct app *);
void		 app_packet(struct app *, struct flow *, int,
		    const struct pkt *);
void		 app_flow_free(struct app *, struct flow *);
void		 app_set_dns_cb(struct app *, app_dns_cb, void *);
void		 app_duplicate(struct app *, struct flow *);
int		 app_mostly_copies(const struct flow *);
const char	*app_flow_name(struct app *, const struct flow *,
		    enum app_name_source *, const char **);
const char	*app_flow_name_expired(struct app *, const struct flow *);
const char	*app_proto_name(enum app_proto);
const char	*app_name_source_name(enum app_name_source);
const char	*app_counter_name(enum app_counter);

#endif
