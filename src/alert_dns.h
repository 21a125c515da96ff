/*
 * alert_dns.c: what the appliances look up.  Their DNS queries, through
 * any resolver, as beats of the series of each registered domain (the
 * beacon detector judges them, alert_beacon.c raises the alerts), the
 * dns-tunnel alert: data carried in the names under one domain, and the
 * dns-poll alert: one name asked again at once after each answer.
 */
#ifndef EGRESSD_ALERT_DNS_H
#define EGRESSD_ALERT_DNS_H

#include <stdint.h>

struct alert_beacon;
struct alert_windows;
struct domain;
struct event_counters;
struct flow;
struct geo;
struct mac_table;
struct pkt;
struct policy;
struct sinks;
struct dns_msg;

/* The tunnel detector's defaults (dns-tunnel-* options). */
#define ALERT_DNS_WINDOW	(300 * 1000000LL)	/* its time constant */
#define ALERT_DNS_NAMES		100	/* unique names within it */
#define ALERT_DNS_ENCODED	10	/* of those, with an encoded label */
#define ALERT_DNS_ANSWERS	10	/* TXT, NULL, CNAME or MX answers */
#define ALERT_DNS_LABEL		24	/* characters of a long label */
#define ALERT_DNS_RANDOM_LABEL	16	/* a random label: at least this long */
#define ALERT_DNS_RANDOM_BITS	3.9	/* and this entropy a character */
#define ALERT_DNS_SETS		8192	/* domains followed: 4 a set */
#define ALERT_DNS_TUNNEL_EVERY	(3600 * 1000000LL)	/* one alert a domain,
							   at most, in this */

/* What the DNS detectors read and where their alerts go. */
struct alert_dns_in {
	const struct policy	*policy;	/* NULL: audit mode */
	const struct mac_table	*macs;		/* or NULL */
	struct geo		*geo;		/* or NULL */
	const struct domain	*domains;
	struct alert_windows	*windows;
	struct sinks		*sinks;
	struct alert_beacon	*beacons;	/* NULL: --no-beacons */
};

struct alert_dns;

struct alert_dns *alert_dns_new(const struct alert_dns_in *);
void		 alert_dns_free(struct alert_dns *);
void		 alert_dns_set_policy(struct alert_dns *,
		    const struct policy *);
void		 alert_dns_message(void *, const struct flow *,
		    const struct pkt *, const struct dns_msg *);
void		 alert_dns_counters(struct alert_dns *,
		    struct event_counters *);
double		 alert_dns_entropy(const char *, size_t);

#endif
