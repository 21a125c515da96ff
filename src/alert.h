/*
 * alert.c: what an alert says, and what makes two alerts the same: the
 * stable id, and the suppression windows and marks kept per (kind,
 * appliance, key).
 */
#ifndef EGRESSD_ALERT_H
#define EGRESSD_ALERT_H

#include <stdint.h>

#include "app.h"
#include "policy.h"
#include "util.h"

struct beacon_report;
struct event_flow;
struct geo_info;
struct mac_table;

/*
 * event.severity, ECS (a number the source defines): ours run from 1 to 10,
 * 10 the most urgent.
 */
#define ALERT_SEV_DENIED	9	/* a denied destination */
#define ALERT_SEV_BEACON	8	/* periodic call-home, not approved */
#define ALERT_SEV_DNS_TUNNEL	8	/* data carried in DNS names */
#define ALERT_SEV_DNS_POLL	8	/* one name polled after each answer */
#define ALERT_SEV_DNS_BYPASS	7
#define ALERT_SEV_COPIES	7	/* traffic passed off as SPAN copies */
#define ALERT_SEV_EXFIL		7
#define ALERT_SEV_LONG		5	/* a connection open for hours */
#define ALERT_SEV_CAPTURE_LOSS	6	/* the sensor missed packets */
#define ALERT_SEV_UNAPPROVED	5
#define ALERT_SEV_UNKNOWN	4	/* a host of no group talks outside */

#define ALERT_MSG_MAX		512
#define ALERT_KEY_MAX		300	/* a key's characters (a name, an address) */

#define ALERT_MAX_STATES	100000	/* windows and marks, LRU */
#define ALERT_STATE_BUCKETS	16384	/* their hash chains */

/* event.action */
enum alert_action {
	ALERT_DENIED,		/* denied-destination */
	ALERT_UNAPPROVED,	/* unapproved-destination */
	ALERT_DNS_BYPASS,	/* dns-bypass */
	ALERT_EXFIL,		/* exfil-volume */
	ALERT_UNKNOWN,		/* unknown-appliance */
	ALERT_BEACON,		/* beacon */
	ALERT_STROBE,		/* strobe */
	ALERT_DNS_TUNNEL,	/* dns-tunnel */
	ALERT_LONG,		/* long-connection */
	ALERT_CAPTURE_LOSS,	/* capture-loss */
	ALERT_COPIES,		/* duplicate-flood */
	ALERT_DNS_POLL,		/* dns-poll */
};

/* What carried a beacon's check-ins: egressd.beacon.carrier. */
enum alert_carrier {
	ALERT_CARRIER_NONE,
	ALERT_CARRIER_CONNECTION,	/* connections, or inside one */
	ALERT_CARRIER_DNS,		/* DNS look-ups, through any resolver */
};

/* An address an alert lists. */
struct alert_addr {
	uint8_t		af;
	uint8_t		addr[16];
};

/* What a dns-tunnel alert saw under the domain, within the window. */
struct alert_tunnel {
	uint64_t	names;		/* unique names */
	uint64_t	encoded;	/* of those, with a long or random label */
	uint64_t	answers;	/* TXT, NULL, CNAME or MX answers */
	int64_t		window;		/* us */
	unsigned int	longest;	/* the longest label seen */
};

/*
 * What a dns-poll alert saw: one name and type asked again and again,
 * each time soon after the answer to the last.
 */
struct alert_poll {
	uint64_t	polls;		/* re-asks in the run */
	int64_t		after_min;	/* answer to next query, us */
	int64_t		after_max;
	int64_t		first;		/* the run's first query, us */
	uint16_t	qtype;
};

/* One alert; the pointers stay valid for the call that hands it out. */
struct alert {
	enum alert_action		 action;
	int				 severity;
	const char			*rule;		/* rule.name */
	char				 message[ALERT_MSG_MAX];
	int64_t				 ts;		/* @timestamp, us */
	uint64_t			 id;		/* event.id, stable */
	uint64_t			 flow_id;	/* 0: none */
	uint8_t				 af;
	const uint8_t			*src;		/* the appliance */
	const uint8_t			*dst;		/* NULL: none */
	uint8_t				 proto;		/* 0: unknown */
	uint16_t			 dport;		/* 0: none */
	const struct geo_info		*geo;		/* NULL: unknown */
	const char			*domain;	/* NULL: none */
	enum app_name_source		 name_source;
	enum policy_verdict		 verdict;	/* egressd.verdict */
	const char			*group;		/* egressd.group */
	const char			*rule_file;	/* egressd.rule, or NULL */
	int				 rule_line;
	uint64_t			 count;		/* contacts it stands
							   for; 0: one */
	const struct beacon_report	*beacon;	/* beacon alerts */
	/* what beacon, dns-tunnel and long-connection alerts add */
	enum alert_carrier		 carrier;	/* beacon, strobe */
	const char			*callhome;	/* egressd.callhome: what
							   names the call-home */
	const struct alert_addr		*addrs;		/* new addresses since the
							   last alert */
	size_t				 naddrs;
	uint64_t			 addrs_more;	/* not listed */
	const char			*dns_name;	/* dns.question.name */
	const char			*dns_domain;	/* .registered_domain */
	const struct alert_tunnel	*tunnel;	/* dns-tunnel */
	const struct alert_poll		*poll;		/* dns-poll */
	int64_t				 duration;	/* long-connection, us */
	uint64_t			 bytes_out, bytes_in;
};

/* What an alert on a flow record says of its two ends, for its message. */
struct alert_ends {
	char	dst[UTIL_ADDRSTRLEN];	/* the destination's address */
	char	who[ALERT_MSG_MAX];	/* "ADDR (group G)" */
	char	where[ALERT_MSG_MAX];	/* "NAME at ADDR (ASN ORG, CC)" */
};

/* What the windows have done. */
struct alert_stats {
	uint64_t	suppressed;	/* contacts an alert window covered */
	uint64_t	states_evicted;
};

struct alert_windows;

const char	*alert_action_name(enum alert_action);
void		 alert_flow(struct alert *, struct alert_ends *,
		    const struct event_flow *, enum alert_action, int);
uint64_t	 alert_id(const char *, uint8_t, const uint8_t *, const char *);
struct alert_windows *alert_windows_new(void);
void		 alert_windows_free(struct alert_windows *);
int		 alert_window(struct alert_windows *, const char *, uint8_t,
		    const uint8_t *, const char *, int64_t, int64_t,
		    uint64_t *);
int		*alert_mark(struct alert_windows *, const char *, uint8_t,
		    const uint8_t *, const char *);
const struct alert_stats *alert_stats(const struct alert_windows *);
int		 alert_appliance(const struct policy *,
		    const struct mac_table *, uint8_t, const uint8_t *);

#endif
