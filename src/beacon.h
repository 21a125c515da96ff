/*
 * beacon.c: periodic call-home ("beacon") detection, streaming, per
 * (appliance, destination) series grouped by address, name, ASN and
 * service (the address and the port it is called on).
 *
 * How the caller feeds it (the flow path):
 *   - a beat is a connection start (TCP SYN or the first packet of a new
 *     UDP/ICMP flow from the appliance), or the first packet after an idle
 *     gap inside a long-lived flow (a keep-alive on one 5-tuple, a TLS
 *     session that polls inside itself);
 *   - call beacon_beat() once per beat with the appliance, the destination
 *     address, the name the appliance resolved for it (else the SNI or
 *     HTTP Host, else NULL), the destination ASN (0 when unknown), the
 *     packet time in microseconds, the quiet of its flow before it when
 *     the beat ends one inside a flow (microseconds since the flow's last
 *     packet, 0 otherwise: where a check-in that lasted, an exchange
 *     inside one connection, ended) and the bytes the appliance sent in
 *     it (0 when not known yet: only used as a supporting signal);
 *   - then call beacon_alert() (before the next beacon_beat(), which
 *     forgets it): it returns 1 when this beat made a series periodic (or
 *     a strobe) for the first time, with the most specific such series
 *     (address, then name, then ASN) in the report, unless a more
 *     specific series of the same beat alerted before (the same beacon
 *     seen more coarsely: counted in stats.suppressed).  The caller fills
 *     the destination fields of its alert (the name, the ASN's
 *     organisation, the country) from the beat it just fed, and lets
 *     policy decide whether to alert or only record;
 *   - beacon_foreach() lists every periodic series and strobe for the
 *     summary and the audit store; a name series carries only the keyed
 *     hash of the name and the address of its last beat, so the summary
 *     names it from its own destination records.
 * beacon_new(max, max_app) caps the series in all and per appliance (the
 * least recently used goes first, counted in stats.evicted and
 * stats.evicted_appliance); a series evicted and seen again starts over, and
 * may alert again.
 * A connection's retries and a check-in made of several connections need
 * no care from the caller: events closer than BEACON_MERGE_US to the
 * previous event of a series are one beat.  A DNS query of the appliance
 * may be fed as a beat of the name alone (dst NULL, asn 0, svc 0);
 * alert_beacon.c keys those as a series of their own (the domain's
 * look-ups), never merged with the connections.  A series fed nothing but
 * look-ups merges them only within BEACON_MERGE_LOOKUP_US: a query
 * repeated after its answer is a new check-in, so the caller must leave a
 * resolver's retries out (alert_dns.c does).
 * Packet time is the only clock; the results do not depend on the random
 * hash key, so a capture always gives the same verdicts.
 */
#ifndef EGRESSD_BEACON_H
#define EGRESSD_BEACON_H

#include <stddef.h>
#include <stdint.h>

#define BEACON_MERGE_US		(2 * 1000000LL)	/* events closer: one beat */
#define BEACON_MERGE_LOOKUP_US	(500 * 1000LL)	/* the same, of look-ups */
#define BEACON_RING		16		/* gaps kept per series */
#define BEACON_MAX_SERIES	1000000		/* default global cap */
#define BEACON_MAX_PER_APPLIANCE	4096		/* default per-appliance cap */

/* How a series is keyed, from the most specific to the least. */
enum beacon_group {
	BEACON_G_ADDRESS,
	BEACON_G_NAME,
	BEACON_G_ASN,
	BEACON_G_SERVICE,	/* address and port: reported last */
	BEACON_G_MAX
};

/*
 * A service: the transport and the port of the destination's side, as
 * beacon_beat() takes it (0: none, as for ICMP or a look-up).
 */
#define BEACON_SVC(proto, port)	((uint32_t)(proto) << 16 | (uint16_t)(port))
#define BEACON_SVC_PROTO(svc)	((uint8_t)((svc) >> 16))
#define BEACON_SVC_PORT(svc)	((uint16_t)(svc))

enum beacon_verdict {
	BEACON_V_NONE,		/* not (yet) periodic */
	BEACON_V_PERIODIC,
	BEACON_V_STROBE		/* more than one event a second, regular */
};

/* What a series looks like now. */
struct beacon_report {
	enum beacon_group	group_by;
	enum beacon_verdict	verdict;
	uint8_t			af;		/* 4 or 6 */
	uint8_t			appliance[16];	/* the appliance */
	uint8_t			addr[16];	/* destination of the last beat */
	uint64_t		name_hash;	/* BEACON_G_NAME: keyed name hash */
	uint32_t		asn;		/* BEACON_G_ASN */
	uint32_t		svc;		/* BEACON_G_SERVICE: BEACON_SVC */
	double			period_s;	/* one-beat period, robust */
	double			jitter;		/* (longest - shortest) / longest */
					/* strobe: mean event gap, its CV */
	double			score;		/* evidence, nats: 12 (11) */
	double			size_cv;	/* spread of bytes per beat, or -1 */
	uint32_t		beats;		/* merged beats seen */
	uint32_t		missed;		/* beats the period says are missing */
	uint32_t		events;		/* raw events (before merging) */
	int64_t			first_seen;	/* us */
	int64_t			last_seen;	/* us */
	int64_t			periodic_since;	/* us: when it was found */
};

struct beacon_stats {
	uint64_t	events;		/* beacon_beat calls */
	uint64_t	beats;		/* series beats after merging */
	uint64_t	series;		/* live series */
	uint64_t	created;
	uint64_t	evicted;	/* global cap */
	uint64_t	evicted_appliance;	/* per-appliance cap */
	uint64_t	periodic;	/* series found periodic */
	uint64_t	strobes;
	uint64_t	alerts;		/* reports handed out by beacon_alert */
	uint64_t	suppressed;	/* periodic, a more specific one had alerted */
	uint64_t	first_seen;	/* keys seen once, no series yet */
	uint64_t	first_lost;	/* of those, given way before a second */
};

struct beacon;

struct beacon	*beacon_new(size_t, size_t);
void		 beacon_free(struct beacon *);
void		 beacon_beat(struct beacon *, uint8_t, const uint8_t *,
		    const uint8_t *, const char *, uint32_t, uint32_t, int64_t,
		    int64_t, uint64_t);
int		 beacon_alert(struct beacon *, struct beacon_report *);
int		 beacon_lookup(struct beacon *, uint8_t, const uint8_t *,
		    enum beacon_group, const uint8_t *, const char *, uint32_t,
		    struct beacon_report *);
void		 beacon_foreach(struct beacon *,
		    void (*)(const struct beacon_report *, void *), void *);
uint64_t	 beacon_name_hash(const struct beacon *, const char *);
const char	*beacon_group_name(enum beacon_group);
const char	*beacon_key_str(const struct beacon_report *, const char *,
		    char *, size_t);
const char	*beacon_svc_str(uint8_t, const uint8_t *, uint32_t, char *,
		    size_t);
const struct beacon_stats *beacon_stats(const struct beacon *);
size_t		 beacon_series_size(void);

#endif
