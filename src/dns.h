/*
 * dns.c: passive DNS message parsing (RFC 1035, 3596, 2181, 6891, 7766),
 * so that a flow can be named by what the appliance itself resolved.
 */
#ifndef EGRESSD_DNS_H
#define EGRESSD_DNS_H

#include <stddef.h>
#include <stdint.h>

/*
 * A name in presentation form and its NUL.  A wire name is at most 255
 * octets, which in the worst case (every octet as \DDD) is 1003
 * characters; 1025 is the traditional MAXDNAME and leaves room.
 */
#define DNS_NAME_MAX		1025
#define DNS_MAX_ANSWERS		256	/* A, AAAA and CNAME records kept */
#define DNS_NAMES_SIZE		8192	/* answer names, NUL-terminated */
#define DNS_MAX_HOPS		127	/* compression pointers in one name */

#define DNS_TYPE_A		1
#define DNS_TYPE_CNAME		5
#define DNS_TYPE_AAAA		28
#define DNS_TYPE_OPT		41
#define DNS_CLASS_IN		1

/*
 * Why a message could not be parsed; the names are the counters the
 * stats print.  X(enum, "name").
 */
#define DNS_ERRORS(X)							\
	X(DNS_OK,		"dns.ok")				\
	X(DNS_ESHORT,		"dns.short")				\
	X(DNS_EBADNAME,		"dns.bad_label")			\
	X(DNS_EPOINTER,		"dns.bad_pointer")			\
	X(DNS_ELOOP,		"dns.name_loop")			\
	X(DNS_ETOOLONG,		"dns.name_too_long")			\
	X(DNS_EBADCOUNT,	"dns.bad_qdcount")			\
	X(DNS_EBADRDATA,	"dns.bad_rdata")

#define DNS_ERROR_ENUM(e, s)	e,
enum dns_error {
	DNS_ERRORS(DNS_ERROR_ENUM)
	DNS_EMAX
};
#undef DNS_ERROR_ENUM

/*
 * One answer: A and AAAA fill af and addr, CNAME fills target.  Names
 * are offsets into dns_msg.names (use dns_rr_name() and dns_rr_target());
 * offset 0 is the empty string.
 */
struct dns_rr {
	uint16_t	 name;		/* owner */
	uint16_t	 target;	/* CNAME target, or 0 */
	uint16_t	 type;
	uint16_t	 class;		/* as on the wire, mDNS flush bit too */
	uint32_t	 ttl;		/* RFC 2181 8: top bit set reads as 0 */
	uint8_t		 af;		/* 4 (A), 6 (AAAA) or 0 (CNAME) */
	uint8_t		 addr[16];	/* network order, A in the first 4 */
};

/*
 * A parsed message: header, the question and the answers of interest.
 * About 18 KB, all inline: no allocation, no pointers into the packet,
 * so it may be copied and the packet freed.  Names are lowercase ASCII
 * from '!' to '~': '.' and '\' inside a label are escaped as "\." and
 * "\\", every other byte (space, controls, >= 0x7f) as "\DDD".  The root
 * is ".".  Names repeated across answers are stored once.
 */
struct dns_msg {
	uint16_t	 id;
	uint8_t		 qr, opcode, aa, tc, rd, ra, rcode;
	uint16_t	 qdcount, ancount, nscount, arcount;
	char		 qname[DNS_NAME_MAX];	/* "" when qdcount is 0 */
	uint16_t	 qtype, qclass;
	uint16_t	 nanswers;		/* kept in an[] */
	uint16_t	 answers_skipped;	/* other types or classes */
	uint16_t	 answers_dropped;	/* kept types with no room */
	struct dns_rr	 an[DNS_MAX_ANSWERS];
	uint16_t	 names_used;
	char		 names[DNS_NAMES_SIZE];
};

/*
 * Parse one DNS message (the UDP payload, or one message that
 * dns_tcp_next() framed).  The header, the first question and the answer
 * section are read; authority and additional records are not.  Returns
 * DNS_OK, or the first error, with out holding what was read before it.
 * On DNS_OK, nanswers + answers_skipped + answers_dropped == ancount.
 */
enum dns_error	 dns_parse(const uint8_t *, size_t, struct dns_msg *);

/*
 * DNS over TCP (RFC 7766 8): each message has a two-byte length in
 * front.  Returns the bytes that the first complete message takes, with
 * *msg and *msglen set to it, or 0 when buf does not hold a whole one.
 */
size_t		 dns_tcp_next(const uint8_t *, size_t, const uint8_t **,
		    size_t *);

const char	*dns_error_name(enum dns_error);

/* The owner name of an answer. */
static inline const char *
dns_rr_name(const struct dns_msg *m, const struct dns_rr *rr)
{
	return m->names + rr->name;
}

/* The target of a CNAME answer, or "". */
static inline const char *
dns_rr_target(const struct dns_msg *m, const struct dns_rr *rr)
{
	return m->names + rr->target;
}

#endif
