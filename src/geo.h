/* geo.c: ASN, organisation and country of an address, from MaxMind-format databases. */
#ifndef EGRESSD_GEO_H
#define EGRESSD_GEO_H

#include <stddef.h>
#include <stdint.h>

#define GEO_ORG_MAX	128
#define GEO_SETS	4096		/* cache: sets of GEO_WAYS entries */
#define GEO_WAYS	4

struct geo_info {
	uint32_t	 asn;			/* 0: unknown */
	char		 country[3];		/* ISO 3166 alpha-2, or "" */
	char		 reg_country[3];
	const char	*org;	/* printable, valid UTF-8, never NULL; lasts
				   as long as the struct geo */
};

struct geo_stats {
	uint64_t	lookups;
	uint64_t	hits;
	uint64_t	reloads;
};

struct geo;

struct geo	*geo_open(const char *, const char *, char *, size_t);
void		 geo_close(struct geo *);
int		 geo_lookup(struct geo *, uint8_t, const uint8_t *,
		    struct geo_info *);
int		 geo_reload(struct geo *);
const char	*geo_path(const struct geo *, int);
const struct geo_stats *geo_stats(const struct geo *);

#endif
