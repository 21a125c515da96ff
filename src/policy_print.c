/*
 * The configuration printed back in normal form (egressd -tv), as bgpd's
 * printconf.c does: the audit store's options, the syslog sinks, the
 * global options, the site's networks, the groups and the deny rules,
 * each as the grammar (parse.y) reads it, so that what is printed parses
 * again into the same policy.  Also a rule as text, for rule.name.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "log.h"
#include "policy.h"
#include "syslog_msg.h"
#include "util.h"

/* A string in double quotes, '"' and '\' escaped. */
static void
policy_print_quoted(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

/* An address, with "/len" unless it is one host. */
static void
policy_print_prefix(FILE *fp, const struct policy_prefix *p)
{
	char	buf[UTIL_ADDRSTRLEN];

	util_addr_str(p->af, p->addr, buf, sizeof(buf));
	if (p->plen == (p->af == 4 ? 32 : 128))
		fputs(buf, fp);
	else
		fprintf(fp, "%s/%u", buf, p->plen);
}

/* "{ a, b }", or "a" alone: the brace and comma of element i of n. */
static void
policy_print_sep(FILE *fp, size_t i, size_t n)
{
	if (n > 1)
		fputs(i == 0 ? "{ " : ", ", fp);
}

/* The closing brace of a list of n. */
static void
policy_print_end(FILE *fp, size_t n)
{
	if (n > 1)
		fputs(" }", fp);
}

/* A list of prefixes. */
static void
policy_print_prefixes(FILE *fp, const struct policy_prefix *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		policy_print_sep(fp, i, n);
		policy_print_prefix(fp, &p[i]);
	}
	policy_print_end(fp, n);
}

/* A transport by its config name. */
static void
policy_print_proto(FILE *fp, uint8_t proto)
{
	switch (proto) {
	case 1:
		fputs("icmp", fp);
		break;
	case 6:
		fputs("tcp", fp);
		break;
	case 17:
		fputs("udp", fp);
		break;
	case 58:
		fputs("icmp6", fp);
		break;
	case 132:
		fputs("sctp", fp);
		break;
	default:
		fprintf(fp, "%u", proto);
	}
}

/* A rule in normal form, without a newline. */
void
policy_print_rule(FILE *fp, const struct policy_rule *r)
{
	size_t	i;

	fputs(r->action == POLICY_ALLOW ? "allow to " : "deny to ", fp);
	switch (r->sel) {
	case POLICY_SEL_ADDR:
		policy_print_prefixes(fp, r->addrs, r->naddrs);
		break;
	case POLICY_SEL_ASN:
		fputs("asn ", fp);
		for (i = 0; i < r->nasns; i++) {
			policy_print_sep(fp, i, r->nasns);
			fprintf(fp, "%u", r->asns[i]);
		}
		policy_print_end(fp, r->nasns);
		break;
	case POLICY_SEL_COUNTRY:
		fputs("country ", fp);
		for (i = 0; i < r->ncountries; i++) {
			policy_print_sep(fp, i, r->ncountries);
			fputs(r->countries[i], fp);
		}
		policy_print_end(fp, r->ncountries);
		break;
	case POLICY_SEL_DOMAIN:
		fputs("domain ", fp);
		for (i = 0; i < r->ndomains; i++) {
			policy_print_sep(fp, i, r->ndomains);
			policy_print_quoted(fp, r->domains[i]);
		}
		policy_print_end(fp, r->ndomains);
		break;
	}
	if (r->nprotos > 0) {
		fputs(" proto ", fp);
		for (i = 0; i < r->nprotos; i++) {
			policy_print_sep(fp, i, r->nprotos);
			policy_print_proto(fp, r->protos[i]);
		}
		policy_print_end(fp, r->nprotos);
	}
	if (r->nports > 0) {
		fputs(" port ", fp);
		for (i = 0; i < r->nports; i++) {
			policy_print_sep(fp, i, r->nports);
			if (r->ports[i].lo == r->ports[i].hi)
				fprintf(fp, "%u", r->ports[i].lo);
			else
				fprintf(fp, "%u-%u", r->ports[i].lo,
				    r->ports[i].hi);
		}
		policy_print_end(fp, r->nports);
	}
}

/* A rule in normal form as a string, for rule.name. */
char *
policy_rule_text(const struct policy_rule *r)
{
	FILE	*fp;
	char	*s = NULL;
	size_t	 len = 0;

	if ((fp = open_memstream(&s, &len)) == NULL)
		fatal("open_memstream");
	policy_print_rule(fp, r);
	if (fclose(fp) != 0 || s == NULL)
		fatal("open_memstream");
	return s;
}

/* A duration in the largest unit that divides it. */
static void
policy_print_duration(FILE *fp, int64_t us)
{
	static const struct {
		int64_t		 us;
		const char	*unit;
	} units[] = {
		{ 86400 * 1000000LL, "d" }, { 3600 * 1000000LL, "h" },
		{ 60 * 1000000LL, "m" }, { 1000000LL, "s" }, { 1000LL, "ms" },
	};
	size_t	i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (us % units[i].us == 0) {
			fprintf(fp, "%lld%s", (long long)(us / units[i].us),
			    units[i].unit);
			return;
		}
	fprintf(fp, "%lldus", (long long)us);
}

/* A byte count in the largest decimal unit that divides it. */
static void
policy_print_size(FILE *fp, uint64_t n)
{
	static const struct {
		uint64_t	 n;
		const char	*unit;
	} units[] = {
		{ 1000000000000ULL, "T" }, { 1000000000ULL, "G" },
		{ 1000000ULL, "M" }, { 1000ULL, "k" },
	};
	size_t	i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (n % units[i].n == 0) {
			fprintf(fp, "%llu%s", (unsigned long long)(n /
			    units[i].n), units[i].unit);
			return;
		}
	fprintf(fp, "%llu", (unsigned long long)n);
}

/* A string option, if set. */
static void
policy_print_str(FILE *fp, const char *key, const char *value)
{
	if (value == NULL)
		return;
	fprintf(fp, "%s ", key);
	policy_print_quoted(fp, value);
	fputc('\n', fp);
}

/* The detectors' options that are set. */
static void
policy_print_detect(FILE *fp, const struct policy_options *o)
{
	const struct { const char *name; const int64_t *v; } d[] = {
		{ "beacon-window", &o->beacon_window },
		{ "long-connection", &o->long_connection },
		{ "dns-tunnel-window", &o->dns_tunnel_window },
		{ "dns-poll-spread", &o->dns_poll_spread },
	};
	const struct { const char *name; const uint64_t *v; } n[] = {
		{ "dns-tunnel-names", &o->dns_tunnel_names },
		{ "dns-tunnel-encoded", &o->dns_tunnel_encoded },
		{ "dns-tunnel-answers", &o->dns_tunnel_answers },
		{ "dns-tunnel-label", &o->dns_tunnel_label },
		{ "dns-poll-count", &o->dns_poll_count },
	};
	size_t	i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		if (*d[i].v != 0) {
			fprintf(fp, "%s ", d[i].name);
			policy_print_duration(fp, *d[i].v);
			fputc('\n', fp);
		}
	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++)
		if (*n[i].v != 0)
			fprintf(fp, "%s %llu\n", n[i].name,
			    (unsigned long long)*n[i].v);
}

/* The global options that are set. */
static void
policy_print_options(FILE *fp, const struct policy_options *o)
{
	int	c;

	policy_print_str(fp, "interface", o->interface);
	policy_print_str(fp, "asn-db", o->asn_db);
	policy_print_str(fp, "country-db", o->country_db);
	policy_print_str(fp, "database", o->database);
	policy_print_str(fp, "json", o->json);
	for (c = 0; c < FLOW_C_MAX; c++)
		if (o->idle_timeout[c] != 0) {
			fprintf(fp, "flow-idle-timeout %s ",
			    policy_flow_class_name(c));
			policy_print_duration(fp, o->idle_timeout[c]);
			fputc('\n', fp);
		}
	if (o->active_timeout != 0) {
		fputs("flow-active-timeout ", fp);
		policy_print_duration(fp, o->active_timeout);
		fputc('\n', fp);
	}
	if (o->max_flows != 0)
		fprintf(fp, "max-flows %llu\n",
		    (unsigned long long)o->max_flows);
	if (o->unapproved_window != 0) {
		fputs("unapproved-window ", fp);
		policy_print_duration(fp, o->unapproved_window);
		fputc('\n', fp);
	}
	if (o->exfil_threshold != 0) {
		fputs("exfil-threshold ", fp);
		policy_print_size(fp, o->exfil_threshold);
		fputc('\n', fp);
	}
	if (o->exfil_window != 0) {
		fputs("exfil-window ", fp);
		policy_print_duration(fp, o->exfil_window);
		fputc('\n', fp);
	}
	policy_print_detect(fp, o);
	policy_print_str(fp, "user", o->user);
	if (o->run_as_root)
		fputs("run-as-root yes\n", fp);
	policy_print_str(fp, "filter", o->filter);
	if (o->buffer_size != 0) {
		fputs("buffer-size ", fp);
		policy_print_size(fp, o->buffer_size);
		fputc('\n', fp);
	}
	if (o->stats_interval != 0) {
		fputs("stats-interval ", fp);
		policy_print_duration(fp, o->stats_interval);
		fputc('\n', fp);
	}
	policy_print_str(fp, "stats-socket", o->stats_socket);
	if (o->capture_loss != 0)
		fprintf(fp, "capture-loss-threshold %llu\n",
		    (unsigned long long)o->capture_loss);
}

/*
 * The tunnel statements: the kinds entered from anywhere on one line, then
 * one line for each kind entered from listed sources only.
 */
static int
policy_print_tunnels(FILE *fp, const struct policy *p)
{
	const struct policy_tunnel	*t;
	size_t				 i, n = 0, k;

	for (i = 0; i < POLICY_TUNNEL_KINDS; i++)
		n += p->tunnels[i].given && p->tunnels[i].nfrom == 0;
	if (n > 0) {
		fputs("tunnel ", fp);
		for (i = 0, k = 0; i < POLICY_TUNNEL_KINDS; i++) {
			t = &p->tunnels[i];
			if (!t->given || t->nfrom > 0)
				continue;
			policy_print_sep(fp, k++, n);
			fputs(decode_tunnel_name(1u << i), fp);
		}
		policy_print_end(fp, n);
		fputc('\n', fp);
	}
	for (i = 0; i < POLICY_TUNNEL_KINDS; i++) {
		t = &p->tunnels[i];
		if (!t->given || t->nfrom == 0)
			continue;
		fprintf(fp, "tunnel %s from ", decode_tunnel_name(1u << i));
		policy_print_prefixes(fp, t->from, t->nfrom);
		fputc('\n', fp);
		n++;
	}
	return n > 0;
}

/* Is any global option set? */
static int
policy_options_set(const struct policy_options *o)
{
	int	c;

	for (c = 0; c < FLOW_C_MAX; c++)
		if (o->idle_timeout[c] != 0)
			return 1;
	return o->interface != NULL || o->asn_db != NULL ||
	    o->country_db != NULL || o->database != NULL || o->json != NULL ||
	    o->active_timeout != 0 || o->max_flows != 0 ||
	    o->unapproved_window != 0 || o->exfil_threshold != 0 ||
	    o->exfil_window != 0 || o->beacon_window != 0 ||
	    o->long_connection != 0 || o->dns_tunnel_window != 0 ||
	    o->dns_tunnel_names != 0 || o->dns_tunnel_encoded != 0 ||
	    o->dns_tunnel_answers != 0 || o->dns_tunnel_label != 0 ||
	    o->dns_poll_count != 0 || o->dns_poll_spread != 0 ||
	    o->user != NULL || o->run_as_root || o->filter != NULL ||
	    o->buffer_size != 0 || o->stats_interval != 0 ||
	    o->stats_socket != NULL || o->capture_loss != 0;
}

/* One group, with its members, labels and rules. */
static void
policy_print_group(FILE *fp, const struct policy_group *g)
{
	const struct policy_member	*m;
	size_t				 i;

	fputs("group ", fp);
	policy_print_quoted(fp, g->name);
	fputs(" {\n", fp);
	if (g->nmembers > 0) {
		fputs("\thosts { ", fp);
		for (i = 0; i < g->nmembers; i++) {
			m = &g->members[i];
			if (i > 0)
				fputs(", ", fp);
			if (m->is_mac)
				fprintf(fp, "%02x:%02x:%02x:%02x:%02x:%02x",
				    m->mac[0], m->mac[1], m->mac[2], m->mac[3],
				    m->mac[4], m->mac[5]);
			else
				policy_print_prefix(fp, &m->pfx);
		}
		fputs(" }\n", fp);
	}
	if (g->vendor != NULL || g->model != NULL) {
		fputc('\t', fp);
		if (g->vendor != NULL) {
			fputs("vendor ", fp);
			policy_print_quoted(fp, g->vendor);
		}
		if (g->model != NULL) {
			fputs(g->vendor != NULL ? " model " : "model ", fp);
			policy_print_quoted(fp, g->model);
		}
		fputc('\n', fp);
	}
	for (i = 0; i < g->nrules; i++) {
		fputc('\t', fp);
		policy_print_rule(fp, g->rules[i]);
		fputc('\n', fp);
	}
	fputs("}\n", fp);
}

/* A list statement ("internal { ... }"), if it has anything. */
static void
policy_print_list(FILE *fp, const char *key, const struct policy_prefix *p,
    size_t n)
{
	if (n == 0)
		return;
	fprintf(fp, "%s ", key);
	if (n == 1)
		fputs("{ ", fp);
	policy_print_prefixes(fp, p, n);
	if (n == 1)
		fputs(" }", fp);
	fputc('\n', fp);
}

/* A string setting of a block, indented, if set. */
static void
policy_print_key_quoted(FILE *fp, const char *key, const char *value)
{
	if (value == NULL)
		return;
	fputc('\t', fp);
	policy_print_str(fp, key, value);
}

/* A keyword and its duration, on a line of its own. */
static void
policy_print_key_duration(FILE *fp, const char *key, int64_t us)
{
	fprintf(fp, "%s ", key);
	policy_print_duration(fp, us);
	fputc('\n', fp);
}

/* The audit store's options that are set. */
static void
policy_print_store(FILE *fp, const struct policy_options *o)
{
	if (o->database_retention != 0)
		policy_print_key_duration(fp, "database-retention",
		    o->database_retention);
	if (o->database_batch_rows != 0)
		fprintf(fp, "database-batch-rows %llu\n",
		    (unsigned long long)o->database_batch_rows);
	if (o->database_batch_interval != 0)
		policy_print_key_duration(fp, "database-batch-interval",
		    o->database_batch_interval);
}

/* The syslog sinks, every setting written out. */
static void
policy_print_syslog(FILE *fp, const struct policy *p)
{
	static const char *const transports[] = { "local", "udp", "tcp",
	    "tls" };
	static const char *const sends[] = { "alerts", "alerts-and-series",
	    "everything" };
	static const char *const facilities[] = { "kern", "user", "mail",
	    "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
	    "authpriv", "ftp", "ntp", "audit", "alert", "clock", "local0",
	    "local1", "local2", "local3", "local4", "local5", "local6",
	    "local7" };
	const struct policy_syslog	*sl;
	size_t				 i;

	for (i = 0; i < p->nsyslogs; i++) {
		sl = p->syslogs[i];
		fprintf(fp, "syslog \"%s\" {\n", sl->name);
		fprintf(fp, "\ttransport %s\n", transports[sl->transport]);
		policy_print_key_quoted(fp, "host", sl->host);
		if (sl->port != 0)
			fprintf(fp, "\tport %d\n", sl->port);
		policy_print_key_quoted(fp, "path", sl->path);
		fprintf(fp, "\tformat %s\n", syslog_fmt_name(
		    (enum syslog_fmt)sl->format));
		fprintf(fp, "\tsend %s\n", sends[sl->send]);
		policy_print_key_quoted(fp, "ca", sl->ca);
		policy_print_key_quoted(fp, "cert", sl->cert);
		policy_print_key_quoted(fp, "key", sl->key);
		policy_print_key_quoted(fp, "hostname", sl->hostname);
		fprintf(fp, "\tfacility %s\n", facilities[sl->facility]);
		fprintf(fp, "\tqueue-limit %llu\n",
		    (unsigned long long)sl->queue_limit);
		fputc('\t', fp);
		policy_print_key_duration(fp, "wait", sl->wait);
		fputs("}\n", fp);
	}
}

/*
 * The policy in normal form: the store's options, the syslog sinks,
 * options, site networks, groups, denies; no macros or includes, every
 * list in the order written, addresses and names in one spelling.  It
 * parses again to the same policy.
 */
void
policy_print(FILE *fp, const struct policy *p)
{
	size_t	i;
	int	blank;

	policy_print_store(fp, &p->opts);
	policy_print_syslog(fp, p);
	policy_print_options(fp, &p->opts);
	blank = policy_print_tunnels(fp, p);
	policy_print_list(fp, "internal", p->internal, p->ninternal);
	policy_print_list(fp, "resolvers", p->resolvers, p->nresolvers);
	policy_print_list(fp, "ntp-servers", p->ntp, p->nntp);
	blank |= policy_options_set(&p->opts) || p->ninternal > 0 ||
	    p->nresolvers > 0 || p->nntp > 0;
	for (i = 0; i < p->ngroups; i++) {
		if (blank)
			fputc('\n', fp);
		policy_print_group(fp, p->groups[i]);
		blank = 1;
	}
	if (p->ndenies > 0 && blank)
		fputc('\n', fp);
	for (i = 0; i < p->ndenies; i++) {
		policy_print_rule(fp, p->denies[i]);
		fputc('\n', fp);
	}
}
