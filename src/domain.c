/*
 * Registered domains, by the Public Suffix List (https://publicsuffix.org),
 * through libpsl: the name a party registered under a public suffix, the
 * unit a domain's owner controls ("vendor.example" of
 * "a.b.vendor.example", "city.example.co.uk" of "x.city.example.co.uk";
 * the private section too, so two customers of a cloud that lists its
 * customer suffixes, "x.cloudfront.net" and "y.cloudfront.net", are two
 * domains).  The list is the newest of the one built into libpsl and the
 * system's (Debian's publicsuffix package), read once when opened, before
 * privileges are dropped.  Names are as dns.c gives them: lower case, no
 * trailing dot.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libpsl.h>

#include "domain.h"
#include "xmalloc.h"

struct domain {
	psl_ctx_t	*latest;	/* ours to free, or NULL */
	const psl_ctx_t	*psl;		/* what is asked */
};

/* The Public Suffix List, or NULL when libpsl has none at all. */
struct domain *
domain_open(void)
{
	struct domain	*d;

	d = xcalloc(1, sizeof(*d));
	d->latest = psl_latest(NULL);
	d->psl = d->latest != NULL ? d->latest : psl_builtin();
	if (d->psl == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

/* Free the list. */
void
domain_close(struct domain *d)
{
	if (d == NULL)
		return;
	psl_free(d->latest);
	free(d);
}

/*
 * The registered domain of a name, a pointer into it: the name itself
 * when it is a public suffix (a wildcard rule makes every
 * "x.compute.cloud.example" one); NULL for a single label.
 */
const char *
domain_registered(const struct domain *d, const char *name)
{
	const char	*r;

	if (strchr(name, '.') == NULL)
		return NULL;
	if ((r = psl_registrable_domain(d->psl, name)) != NULL)
		return r;
	return name;
}

/*
 * Is the name's top-level label a suffix the list names (not one only the
 * default rule "*" makes)?  A name under no listed suffix (".lan",
 * ".internal", a made-up one) can be answered only by a server that is
 * told of it, never through the public tree.
 */
int
domain_listed(const struct domain *d, const char *name)
{
	const char	*tld = strrchr(name, '.');

	tld = tld != NULL ? tld + 1 : name;
	if (*tld == '\0')
		return 0;
	return psl_is_public_suffix2(d->psl, tld,
	    PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE);
}
