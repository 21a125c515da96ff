/*
 * libFuzzer target for the DNS parser: the input is parsed as one
 * message (as over UDP), and then as a DNS over TCP stream, message after
 * message, as dns_tcp_next() frames them.
 *
 * Besides the sanitizers, each parse is checked: the error is a known
 * one, every name is NUL-terminated inside its buffer and holds only
 * lowercase printable ASCII, the answers kept are no more than their
 * room and agree with ANCOUNT, each answer is what its type says, and a
 * second parse of the same bytes gives the very same result.
 */
#include "config.h"

#include "fuzz.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"



/* A name: NUL within size, then only '!'..'~' and no upper case. */
static void
check_name(const char *s, size_t size, int empty_ok)
{
	const char	*nul;
	const char	*p;

	nul = memchr(s, '\0', size);
	FUZZ_ASSERT(nul != NULL);
	FUZZ_ASSERT(empty_ok || nul != s);
	for (p = s; p < nul; p++) {
		FUZZ_ASSERT(*p > ' ' && *p < 0x7f);
		FUZZ_ASSERT(*p < 'A' || *p > 'Z');
	}
}

/* Everything a parse may leave in a struct dns_msg. */
static void
check_msg(const struct dns_msg *m, enum dns_error e)
{
	const struct dns_rr	*rr;
	uint16_t		 i;

	FUZZ_ASSERT((unsigned int)e < DNS_EMAX);
	FUZZ_ASSERT(dns_error_name(e) != NULL);
	check_name(m->qname, sizeof(m->qname), 1);
	if (e == DNS_OK && m->qdcount > 0)
		FUZZ_ASSERT(m->qname[0] != '\0');
	FUZZ_ASSERT(m->nanswers <= DNS_MAX_ANSWERS);
	FUZZ_ASSERT(m->names_used >= 1 && m->names_used <= DNS_NAMES_SIZE);
	FUZZ_ASSERT(m->names[0] == '\0');
	FUZZ_ASSERT((uint32_t)m->nanswers + m->answers_skipped +
	    m->answers_dropped <= m->ancount);
	if (e == DNS_OK)
		FUZZ_ASSERT((uint32_t)m->nanswers + m->answers_skipped +
		    m->answers_dropped == m->ancount);
	for (i = 0; i < m->nanswers; i++) {
		rr = &m->an[i];
		FUZZ_ASSERT(rr->name > 0 && rr->name < m->names_used);
		FUZZ_ASSERT(rr->target < m->names_used);
		check_name(m->names + rr->name, m->names_used - rr->name, 0);
		check_name(m->names + rr->target,
		    m->names_used - rr->target, 1);
		FUZZ_ASSERT(rr->ttl <= 0x7fffffffU);
		FUZZ_ASSERT((rr->class & 0x7fff) == DNS_CLASS_IN);
		switch (rr->type) {
		case DNS_TYPE_A:
			FUZZ_ASSERT(rr->af == 4 && rr->target == 0);
			break;
		case DNS_TYPE_AAAA:
			FUZZ_ASSERT(rr->af == 6 && rr->target == 0);
			break;
		case DNS_TYPE_CNAME:
			FUZZ_ASSERT(rr->af == 0 && rr->target > 0);
			break;
		default:
			FUZZ_ASSERT(rr->type == DNS_TYPE_A ||
			    rr->type == DNS_TYPE_AAAA ||
			    rr->type == DNS_TYPE_CNAME);
		}
	}
}

/*
 * Do two parses agree on everything a reader may look at?  The header and
 * counts, the question, the answers kept and the name store in use (the
 * rest of the arrays is not cleared between parses).
 */
static int
same_msg(const struct dns_msg *a, const struct dns_msg *b)
{
	uint16_t	i;

	if (memcmp(a, b, offsetof(struct dns_msg, qname)) != 0 ||
	    strcmp(a->qname, b->qname) != 0 || a->qtype != b->qtype ||
	    a->qclass != b->qclass || a->nanswers != b->nanswers ||
	    a->answers_skipped != b->answers_skipped ||
	    a->answers_dropped != b->answers_dropped ||
	    a->names_used != b->names_used ||
	    memcmp(a->names, b->names, a->names_used) != 0)
		return 0;
	for (i = 0; i < a->nanswers; i++)
		if (memcmp(&a->an[i], &b->an[i], sizeof(a->an[i])) != 0)
			return 0;
	return 1;
}

/* Parse one message twice and check both. */
static void
parse_one(const uint8_t *buf, size_t len, struct dns_msg *a,
    struct dns_msg *b)
{
	enum dns_error	 e;

	e = dns_parse(buf, len, a);
	check_msg(a, e);
	FUZZ_ASSERT(dns_parse(buf, len, b) == e);
	FUZZ_ASSERT(same_msg(a, b));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_msg	*a, *b;
	const uint8_t	*p = data, *msg;
	size_t		 left = size, used, msglen;

	a = malloc(sizeof(*a));
	b = malloc(sizeof(*b));
	if (a == NULL || b == NULL)
		abort();

	parse_one(data, size, a, b);

	while ((used = dns_tcp_next(p, left, &msg, &msglen)) > 0) {
		FUZZ_ASSERT(used == msglen + 2 && used <= left);
		FUZZ_ASSERT(msg == p + 2);
		parse_one(msg, msglen, a, b);
		p += used;
		left -= used;
	}
	FUZZ_ASSERT(left < 2 || left - 2 < (size_t)(p[0] << 8 | p[1]));

	free(a);
	free(b);
	return 0;
}
