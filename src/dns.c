/*
 * Passive DNS: the header, question and answers of one message, read
 * from bytes that anyone on the network may have written.
 *
 * All reads go through the pbuf cursor.  Names are followed through
 * compression pointers only backwards, never twice to the same place and
 * for at most DNS_MAX_HOPS hops, and are limited to 255 octets as on the
 * wire (RFC 1035 3.1).  What comes out is safe ASCII: escaped, lowercase,
 * bounded and NUL-terminated, whatever came in.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dns.h"
#include "pbuf.h"

#define DNS_HDR_LEN		12
#define DNS_WIRE_NAME_MAX	255	/* RFC 1035 3.1, length octets too */
#define DNS_LABEL_MAX		63

#define DNS_LABEL_MASK		0xc0
#define DNS_LABEL_NORMAL	0x00
#define DNS_LABEL_EXTENDED	0x40	/* RFC 6891 5, none in use */
#define DNS_LABEL_RESERVED	0x80
#define DNS_LABEL_POINTER	0xc0

#define DNS_CLASS_MDNS_FLUSH	0x8000	/* RFC 6762 10.2 cache-flush bit */
#define DNS_TTL_NEGATIVE	0x80000000U

_Static_assert(DNS_NAMES_SIZE <= UINT16_MAX, "names offsets are 16 bits");
_Static_assert(DNS_NAME_MAX >= 4 * (DNS_WIRE_NAME_MAX - 1) + 1,
    "a name with every octet escaped fits");

static const char *dns_error_names[] = {
#define DNS_ERROR_NAME(e, s)	s,
	DNS_ERRORS(DNS_ERROR_NAME)
#undef DNS_ERROR_NAME
};

/* The counter name of an error. */
const char *
dns_error_name(enum dns_error e)
{
	return (unsigned int)e < DNS_EMAX ? dns_error_names[e] : "dns.?";
}

/*
 * Append one label in presentation form: lowercase, '.' and '\' escaped
 * with a backslash, anything else outside '!'..'~' as \DDD (RFC 1035 5.1,
 * RFC 4343 for the case folding).  The caller has checked the room.
 */
static size_t
dns_label_text(const uint8_t *label, size_t len, char *out)
{
	size_t	 i, o = 0;
	uint8_t	 b;

	for (i = 0; i < len; i++) {
		b = label[i];
		if (b >= 'A' && b <= 'Z')
			out[o++] = (char)(b - 'A' + 'a');
		else if (b == '.' || b == '\\') {
			out[o++] = '\\';
			out[o++] = (char)b;
		} else if (b > ' ' && b < 0x7f)
			out[o++] = (char)b;
		else {
			out[o++] = '\\';
			out[o++] = (char)('0' + b / 100);
			out[o++] = (char)('0' + b / 10 % 10);
			out[o++] = (char)('0' + b % 10);
		}
	}
	return o;
}

/*
 * Follow a compression pointer at offset at to offset target (RFC 1035
 * 4.1.4).  A pointer must land after the header, before itself, and on
 * no offset this name has already been read from; seen[] holds those.
 */
static enum dns_error
dns_name_jump(const struct pbuf *msg, struct pbuf *c, size_t at,
    size_t target, size_t *seen, size_t *nseen)
{
	size_t	 i;

	if (target < DNS_HDR_LEN || target >= msg->len)
		return DNS_EPOINTER;
	for (i = 0; i < *nseen; i++)
		if (seen[i] == target)
			return DNS_ELOOP;
	if (target == at)
		return DNS_ELOOP;
	if (target > at)
		return DNS_EPOINTER;
	if (*nseen > DNS_MAX_HOPS)
		return DNS_ELOOP;
	seen[(*nseen)++] = target;
	*c = *msg;
	return pbuf_skip(c, target) == -1 ? DNS_EPOINTER : DNS_OK;
}

/*
 * Decode the name at *cur into out in presentation form and move *cur
 * past the name as it sits there (up to its first pointer).  msg is the
 * whole message, for pointers.  RFC 1035 4.1.4:
 *
 *	+--+--+--+--+--+--+--+--+
 *	| 0  0|  LENGTH 1..63   |  a label: LENGTH octets follow
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	| 1  1|                 OFFSET                  |  a pointer: ends
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	| 0  0  0  0  0  0  0  0|  the root: ends the name
 *	+--+--+--+--+--+--+--+--+
 *
 * The top bits 01 (extended, RFC 6891 5) and 10 are rejected.
 */
static enum dns_error
dns_name_decode(const struct pbuf *msg, struct pbuf *cur, char *out,
    size_t outsz)
{
	struct pbuf	 c = *cur, label;
	size_t		 seen[DNS_MAX_HOPS + 2];
	size_t		 nseen = 0, wire = 1, o = 0, at;
	int		 jumped = 0;
	uint8_t		 len, lo;
	enum dns_error	 e;

	if (outsz < 2)
		return DNS_ETOOLONG;
	seen[nseen++] = (size_t)(c.p - msg->p);
	for (;;) {
		at = (size_t)(c.p - msg->p);
		if (pbuf_get_u8(&c, &len) == -1)
			return DNS_ESHORT;
		if (len == 0)
			break;
		switch (len & DNS_LABEL_MASK) {
		case DNS_LABEL_EXTENDED:
		case DNS_LABEL_RESERVED:
			return DNS_EBADNAME;
		case DNS_LABEL_POINTER:
			if (pbuf_get_u8(&c, &lo) == -1)
				return DNS_ESHORT;
			if (!jumped) {
				*cur = c;
				jumped = 1;
			}
			e = dns_name_jump(msg, &c, at,
			    ((size_t)(len & ~DNS_LABEL_MASK) << 8) | lo,
			    seen, &nseen);
			if (e != DNS_OK)
				return e;
			continue;
		}
		wire += 1 + len;
		if (wire > DNS_WIRE_NAME_MAX)
			return DNS_ETOOLONG;
		if (o + 1 + 4 * (size_t)len + 1 > outsz)
			return DNS_ETOOLONG;
		if (pbuf_sub(&c, len, &label) == -1)
			return DNS_ESHORT;
		if (o > 0)
			out[o++] = '.';
		o += dns_label_text(label.p, label.len, out + o);
	}
	if (!jumped)
		*cur = c;
	if (o == 0)
		out[o++] = '.';
	out[o] = '\0';
	return DNS_OK;
}

/* Decode a name; on an error out is "", not a part of the name. */
static enum dns_error
dns_name(const struct pbuf *msg, struct pbuf *cur, char *out, size_t outsz)
{
	enum dns_error	 e;

	if ((e = dns_name_decode(msg, cur, out, outsz)) != DNS_OK && outsz > 0)
		out[0] = '\0';
	return e;
}

/* Keep a name in the message's name store once; 0, or -1 if full. */
static int
dns_name_store(struct dns_msg *m, const char *name, uint16_t *off)
{
	size_t	 o, n;

	for (o = 1; o < m->names_used; o += strlen(m->names + o) + 1) {
		if (strcmp(m->names + o, name) == 0) {
			*off = (uint16_t)o;
			return 0;
		}
	}
	n = strlen(name) + 1;
	if (n > sizeof(m->names) - m->names_used)
		return -1;
	memcpy(m->names + m->names_used, name, n);
	*off = m->names_used;
	m->names_used += (uint16_t)n;
	return 0;
}

/*
 * One resource record of the answer section, RFC 1035 4.1.3; A
 * (RFC 1035 3.4.1), AAAA (RFC 3596 2.2) and CNAME (RFC 1035 3.3.1) in
 * class IN are kept, the others counted.
 *
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	/                     NAME                      /
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	|                     TYPE                      |
 *	|                     CLASS                     |
 *	|                      TTL                      |
 *	|                                               |
 *	|                   RDLENGTH                    |
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	/                     RDATA                     /
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 */
static enum dns_error
dns_answer(const struct pbuf *msg, struct pbuf *c, struct dns_msg *m)
{
	char		 name[DNS_NAME_MAX], target[DNS_NAME_MAX];
	struct pbuf	 rdata;
	struct dns_rr	*rr;
	uint16_t	 type, class, rdlen;
	uint32_t	 ttl;
	enum dns_error	 e;

	if ((e = dns_name(msg, c, name, sizeof(name))) != DNS_OK)
		return e;
	if (pbuf_get_u16(c, &type) == -1 ||
	    pbuf_get_u16(c, &class) == -1 ||
	    pbuf_get_u32(c, &ttl) == -1 ||
	    pbuf_get_u16(c, &rdlen) == -1 ||
	    pbuf_sub(c, rdlen, &rdata) == -1)
		return DNS_ESHORT;

	if ((class & ~DNS_CLASS_MDNS_FLUSH) != DNS_CLASS_IN ||
	    (type != DNS_TYPE_A && type != DNS_TYPE_AAAA &&
	    type != DNS_TYPE_CNAME)) {
		m->answers_skipped++;
		return DNS_OK;
	}
	target[0] = '\0';
	switch (type) {
	case DNS_TYPE_A:
		if (rdata.len != 4)
			return DNS_EBADRDATA;
		break;
	case DNS_TYPE_AAAA:
		if (rdata.len != 16)
			return DNS_EBADRDATA;
		break;
	case DNS_TYPE_CNAME:
		if ((e = dns_name(msg, &rdata, target, sizeof(target))) !=
		    DNS_OK)
			return e;
		if (rdata.len != 0)
			return DNS_EBADRDATA;
		break;
	}

	if (m->nanswers >= DNS_MAX_ANSWERS) {
		m->answers_dropped++;
		return DNS_OK;
	}
	rr = &m->an[m->nanswers];
	memset(rr, 0, sizeof(*rr));
	if (dns_name_store(m, name, &rr->name) == -1 ||
	    (target[0] != '\0' &&
	    dns_name_store(m, target, &rr->target) == -1)) {
		memset(rr, 0, sizeof(*rr));
		m->answers_dropped++;
		return DNS_OK;
	}
	rr->type = type;
	rr->class = class;
	rr->ttl = (ttl & DNS_TTL_NEGATIVE) ? 0 : ttl;
	if (type == DNS_TYPE_A) {
		rr->af = 4;
		memcpy(rr->addr, rdata.p, 4);
	} else if (type == DNS_TYPE_AAAA) {
		rr->af = 6;
		memcpy(rr->addr, rdata.p, 16);
	}
	m->nanswers++;
	return DNS_OK;
}

/*
 * The question, RFC 1035 4.1.2: QNAME, then QTYPE and QCLASS (16 bits
 * each).
 */
static enum dns_error
dns_question(const struct pbuf *msg, struct pbuf *c, char *qname,
    size_t qnamesz, uint16_t *qtype, uint16_t *qclass)
{
	enum dns_error	 e;

	if ((e = dns_name(msg, c, qname, qnamesz)) != DNS_OK)
		return e;
	if (pbuf_get_u16(c, qtype) == -1 || pbuf_get_u16(c, qclass) == -1)
		return DNS_ESHORT;
	return DNS_OK;
}

/*
 * A message, RFC 1035 4.1.1:
 *
 *	  0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	|                      ID                       |
 *	|QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
 *	|                    QDCOUNT                    |
 *	|                    ANCOUNT                    |
 *	|                    NSCOUNT                    |
 *	|                    ARCOUNT                    |
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	  question, answer, authority, additional
 *
 * QDCOUNT is 0 or 1 (RFC 9619); more is DNS_EBADCOUNT, with the first
 * question read.  The extended RCODE of an EDNS OPT record (RFC 6891
 * 6.1.3) is in the additional section, which is not read.
 */
enum dns_error
dns_parse(const uint8_t *buf, size_t len, struct dns_msg *m)
{
	struct pbuf	 msg, c;
	uint16_t	 flags, i;
	enum dns_error	 e;

	/* The header and counts only: the 10 KB of name store and answers are
	 * written before they are read (an[] up to nanswers, names up to
	 * names_used). */
	memset(m, 0, offsetof(struct dns_msg, qname));
	m->qname[0] = '\0';
	m->qtype = m->qclass = 0;
	m->nanswers = m->answers_skipped = m->answers_dropped = 0;
	m->names[0] = '\0';
	m->names_used = 1;		/* offset 0 is "" */
	pbuf_init(&msg, buf, len);
	c = msg;
	if (pbuf_get_u16(&c, &m->id) == -1 ||
	    pbuf_get_u16(&c, &flags) == -1 ||
	    pbuf_get_u16(&c, &m->qdcount) == -1 ||
	    pbuf_get_u16(&c, &m->ancount) == -1 ||
	    pbuf_get_u16(&c, &m->nscount) == -1 ||
	    pbuf_get_u16(&c, &m->arcount) == -1)
		return DNS_ESHORT;
	m->qr = (uint8_t)(flags >> 15);
	m->opcode = (flags >> 11) & 0x0f;
	m->aa = (flags >> 10) & 1;
	m->tc = (flags >> 9) & 1;
	m->rd = (flags >> 8) & 1;
	m->ra = (flags >> 7) & 1;
	m->rcode = flags & 0x0f;

	if (m->qdcount > 0) {
		e = dns_question(&msg, &c, m->qname, sizeof(m->qname),
		    &m->qtype, &m->qclass);
		if (e != DNS_OK)
			return e;
		if (m->qdcount > 1)
			return DNS_EBADCOUNT;
	}
	for (i = 0; i < m->ancount; i++)
		if ((e = dns_answer(&msg, &c, m)) != DNS_OK)
			return e;
	return DNS_OK;
}

/*
 * DNS over TCP, RFC 1035 4.2.2 and RFC 7766 8:
 *
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	|                    LENGTH                     |
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	/               message (LENGTH octets)         /
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 */
size_t
dns_tcp_next(const uint8_t *buf, size_t len, const uint8_t **msg,
    size_t *msglen)
{
	struct pbuf	 c, body;
	uint16_t	 n;

	pbuf_init(&c, buf, len);
	if (pbuf_get_u16(&c, &n) == -1 || pbuf_sub(&c, n, &body) == -1)
		return 0;
	*msg = body.p;
	*msglen = body.len;
	return 2 + (size_t)n;
}
