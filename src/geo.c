/*
 * Destination knowledge from MaxMind-format databases (GeoLite2-ASN,
 * GeoLite2-Country or -City, and the DB-IP and ip-location-db files with the
 * same record layout) through libmaxminddb.  Look-ups go through a bounded
 * set-associative cache with LRU replacement inside each set, so a busy
 * destination costs one database look-up.  A database replaced on disk (new
 * inode, size or mtime) is reopened by geo_reload; a file that fails to open
 * then keeps the old one.
 *
 * A cache way holds the whole answer but the organisation, which is kept
 * once per distinct name (there are far fewer organisations than
 * addresses) and pointed at, so that a hit reads one set and copies 24
 * bytes.  The address is hashed and compared as words put together in
 * registers (a key stored and read straight back waits for its stores).  The names live until geo_close(), across reloads: their number
 * is bounded by the distinct organisations of the databases opened.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <maxminddb.h>

#include "geo.h"
#include "hash.h"
#include "log.h"
#include "xmalloc.h"

enum geo_kind {
	GEO_ASN,
	GEO_COUNTRY,
	GEO_NKINDS
};

struct geo_db {
	char		*path;		/* NULL: none given */
	MMDB_s		 mmdb;
	int		 open;
	struct stat	 st;
};

/* A way of the look-up cache: an address and what the databases say. */
struct geo_way {
	uint64_t	 kw[2];		/* the address, as little-endian words */
	uint32_t	 age;
	uint8_t		 af;		/* 0: unused */
	struct geo_info	 info;
};

/* A set: its ways together, 192 bytes read by a probe. */
struct geo_set {
	struct geo_way	 way[GEO_WAYS];
};

/* The organisation names, each once: an open-addressed set of strings. */
struct geo_orgs {
	char		**slot;
	size_t		  mask;		/* slots - 1; at most half full */
	size_t		  n;
};

struct geo {
	struct geo_db	 db[GEO_NKINDS];
	struct hash_key	 hkey;
	uint32_t	 clock;
	struct geo_set	*sets;		/* GEO_SETS */
	struct geo_orgs	 orgs;
	struct geo_stats stats;
};

/* Does the database's type suit its use? */
static int
geo_type_ok(enum geo_kind kind, const char *type)
{
	if (type == NULL)
		return 0;
	if (kind == GEO_ASN)
		return strcasestr(type, "ASN") != NULL;
	return strcasestr(type, "Country") != NULL ||
	    strcasestr(type, "City") != NULL;
}

/* Open one database into db; -1 with a message in err. */
static int
geo_db_open(struct geo_db *db, enum geo_kind kind, char *err, size_t errlen)
{
	MMDB_s		mmdb;
	struct stat	st;
	int		rv;

	if (stat(db->path, &st) == -1) {
		snprintf(err, errlen, "%s: %s", db->path, strerror(errno));
		return -1;
	}
	if ((rv = MMDB_open(db->path, MMDB_MODE_MMAP, &mmdb)) !=
	    MMDB_SUCCESS) {
		snprintf(err, errlen, "%s: %s", db->path,
		    rv == MMDB_IO_ERROR ? strerror(errno) : MMDB_strerror(rv));
		return -1;
	}
	if (!geo_type_ok(kind, mmdb.metadata.database_type)) {
		snprintf(err, errlen, "%s: not %s database (its type is \"%s\")",
		    db->path, kind == GEO_ASN ? "an ASN" : "a country or city",
		    mmdb.metadata.database_type ? mmdb.metadata.database_type :
		    "none");
		MMDB_close(&mmdb);
		return -1;
	}
	if (db->open)
		MMDB_close(&db->mmdb);
	db->mmdb = mmdb;
	db->open = 1;
	db->st = st;
	return 0;
}

/*
 * Open the ASN and the country databases (either path may be NULL); NULL
 * with a message naming the file and the reason when one cannot be used.
 */
struct geo *
geo_open(const char *asn, const char *country, char *err, size_t errlen)
{
	struct geo	*g;
	int		 k;

	g = xcalloc(1, sizeof(*g));
	g->db[GEO_ASN].path = asn ? xstrdup(asn) : NULL;
	g->db[GEO_COUNTRY].path = country ? xstrdup(country) : NULL;
	for (k = 0; k < GEO_NKINDS; k++) {
		if (g->db[k].path != NULL &&
		    geo_db_open(&g->db[k], k, err, errlen) == -1) {
			geo_close(g);
			return NULL;
		}
	}
	hash_key_random(&g->hkey);
	g->sets = xcalloc(GEO_SETS, sizeof(*g->sets));
	g->orgs.mask = 255;
	g->orgs.slot = xcalloc(g->orgs.mask + 1, sizeof(*g->orgs.slot));
	return g;
}

/* Close the databases and free the cache. */
void
geo_close(struct geo *g)
{
	size_t	i;
	int	k;

	if (g == NULL)
		return;
	for (k = 0; k < GEO_NKINDS; k++) {
		if (g->db[k].open)
			MMDB_close(&g->db[k].mmdb);
		free(g->db[k].path);
	}
	free(g->sets);
	if (g->orgs.slot != NULL)
		for (i = 0; i <= g->orgs.mask; i++)
			free(g->orgs.slot[i]);
	free(g->orgs.slot);
	free(g);
}

/* The path of the ASN (0) or country (1) database, or NULL. */
const char *
geo_path(const struct geo *g, int kind)
{
	return kind >= 0 && kind < GEO_NKINDS ? g->db[kind].path : NULL;
}

/* Look-up counters. */
const struct geo_stats *
geo_stats(const struct geo *g)
{
	return &g->stats;
}

/*
 * Reopen every database whose file changed on disk; the cache is emptied
 * when one did.  Returns how many were reopened.
 */
int
geo_reload(struct geo *g)
{
	char		err[256];
	struct stat	st;
	int		k, n = 0;

	for (k = 0; k < GEO_NKINDS; k++) {
		struct geo_db	*db = &g->db[k];

		if (db->path == NULL || stat(db->path, &st) == -1)
			continue;
		if (st.st_dev == db->st.st_dev && st.st_ino == db->st.st_ino &&
		    st.st_size == db->st.st_size &&
		    st.st_mtime == db->st.st_mtime)
			continue;
		if (geo_db_open(db, k, err, sizeof(err)) == -1) {
			log_warnx("%s; keeping the database already open", err);
			db->st = st;	/* say it once per change */
			continue;
		}
		log_info("%s: reopened", db->path);
		n++;
	}
	if (n > 0) {
		memset(g->sets, 0, GEO_SETS * sizeof(*g->sets));
		g->stats.reloads += (uint64_t)n;
	}
	return n;
}

/*
 * Copy a database string: control characters and bytes that are not part of
 * valid UTF-8 become '?', so the result is safe for every output.
 */
static void
geo_copy_string(char *dst, size_t dstlen, const char *src, size_t len)
{
	const uint8_t	*s = (const uint8_t *)src;
	size_t		 i = 0, o = 0, n, k;

	while (i < len && o + 1 < dstlen) {
		if (s[i] < 0x80) {
			dst[o++] = (s[i] < 0x20 || s[i] == 0x7f) ? '?' :
			    (char)s[i];
			i++;
			continue;
		}
		n = (s[i] & 0xe0) == 0xc0 ? 2 : (s[i] & 0xf0) == 0xe0 ? 3 :
		    (s[i] & 0xf8) == 0xf0 ? 4 : 0;
		for (k = 1; n && k < n; k++)
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				n = 0;
		if (n == 2 && s[i] < 0xc2)
			n = 0;		/* overlong */
		if (n == 0 || o + n >= dstlen) {
			dst[o++] = '?';
			i++;
			continue;
		}
		memcpy(dst + o, s + i, n);
		o += n;
		i += n;
	}
	dst[o] = '\0';
}

/* The slot of an organisation name: its own, or the empty one it would take. */
static char **
geo_org_slot(struct geo_orgs *o, const struct hash_key *key, const char *s)
{
	size_t	i = hash_fast(key, s, strlen(s)) & o->mask;

	while (o->slot[i] != NULL && strcmp(o->slot[i], s) != 0)
		i = (i + 1) & o->mask;
	return &o->slot[i];
}

/* The kept copy of an organisation name. */
static const char *
geo_org(struct geo *g, const char *s)
{
	struct geo_orgs	 *o = &g->orgs, old;
	char		**p;
	size_t		  i;

	if (*s == '\0')
		return "";
	if ((p = geo_org_slot(o, &g->hkey, s)) != NULL && *p != NULL)
		return *p;
	if ((o->n + 1) * 2 > o->mask + 1) {
		old = *o;
		o->mask = old.mask * 2 + 1;
		o->slot = xcalloc(o->mask + 1, sizeof(*o->slot));
		for (i = 0; i <= old.mask; i++)
			if (old.slot[i] != NULL)
				*geo_org_slot(o, &g->hkey, old.slot[i]) =
				    old.slot[i];
		free(old.slot);
		p = geo_org_slot(o, &g->hkey, s);
	}
	o->n++;
	return *p = xstrdup(s);
}

/* A two-letter country code at path in an entry, or "". */
static void
geo_iso_code(MMDB_entry_s *e, const char *map, char out[3])
{
	MMDB_entry_data_s	d;

	out[0] = '\0';
	if (MMDB_get_value(e, &d, map, "iso_code", NULL) != MMDB_SUCCESS ||
	    !d.has_data || d.type != MMDB_DATA_TYPE_UTF8_STRING ||
	    d.data_size != 2)
		return;
	if (d.utf8_string[0] < 'A' || d.utf8_string[0] > 'Z' ||
	    d.utf8_string[1] < 'A' || d.utf8_string[1] > 'Z')
		return;
	out[0] = d.utf8_string[0];
	out[1] = d.utf8_string[1];
	out[2] = '\0';
}

/* Look an address up in one database; 0 and *e filled if it has an entry. */
static int
geo_db_find(struct geo_db *db, uint8_t af, const uint8_t *addr,
    MMDB_entry_s *e)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	MMDB_lookup_result_s	 r;
	int			 merr;

	if (!db->open)
		return -1;
	if (af == 4) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		memcpy(&sin.sin_addr, addr, 4);
		r = MMDB_lookup_sockaddr(&db->mmdb, (struct sockaddr *)&sin,
		    &merr);
	} else {
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		memcpy(&sin6.sin6_addr, addr, 16);
		r = MMDB_lookup_sockaddr(&db->mmdb, (struct sockaddr *)&sin6,
		    &merr);
	}
	if (merr != MMDB_SUCCESS || !r.found_entry)
		return -1;
	*e = r.entry;
	return 0;
}

/* Ask the databases themselves. */
static void
geo_query(struct geo *g, uint8_t af, const uint8_t *addr,
    struct geo_info *info)
{
	MMDB_entry_s		e;
	MMDB_entry_data_s	d;
	char			org[GEO_ORG_MAX];

	memset(info, 0, sizeof(*info));
	org[0] = '\0';
	if (geo_db_find(&g->db[GEO_ASN], af, addr, &e) == 0) {
		if (MMDB_get_value(&e, &d, "autonomous_system_number", NULL) ==
		    MMDB_SUCCESS && d.has_data && d.type ==
		    MMDB_DATA_TYPE_UINT32)
			info->asn = d.uint32;
		if (MMDB_get_value(&e, &d, "autonomous_system_organization",
		    NULL) == MMDB_SUCCESS && d.has_data &&
		    d.type == MMDB_DATA_TYPE_UTF8_STRING)
			geo_copy_string(org, sizeof(org), d.utf8_string,
			    d.data_size);
	}
	info->org = geo_org(g, org);
	if (geo_db_find(&g->db[GEO_COUNTRY], af, addr, &e) == 0) {
		geo_iso_code(&e, "country", info->country);
		geo_iso_code(&e, "registered_country", info->reg_country);
	}
}

/*
 * An address as the words the cache keeps, and its set.  The set is picked
 * under a fixed key, not the run's random one: which addresses share a set,
 * so which are evicted and the geo.cache_hits the summary prints, is then
 * the same run after run (with a random key a large capture printed a
 * slightly different count each time).  Addresses an attacker picks to
 * share a set only cost misses: a lookup is never dearer than without the
 * cache, and what it returns never depends on the cache.
 */
static const struct hash_key geo_cache_key = {
	0x67656f2d63616368ULL, 0x652d736574732d31ULL	/* "geo-cache-sets-1" */
};

static size_t
geo_key(uint8_t af, const uint8_t *addr, uint64_t kw[2])
{
	uint64_t	w[3];

	hash_addr_words(af, addr, kw);
	w[0] = kw[0];
	w[1] = kw[1];
	w[2] = af;
	return hash_fast_w(&geo_cache_key, w, 3) % GEO_SETS;
}

/*
 * What the databases say of an address (af 4 or 6), through a cache of
 * GEO_SETS sets of GEO_WAYS, least recently used out first; 1 if they know
 * anything, else 0 with *info empty.
 */
int
geo_lookup(struct geo *g, uint8_t af, const uint8_t *addr,
    struct geo_info *info)
{
	uint64_t	 kw[2];
	struct geo_way	*w;
	size_t		 i, victim = 0;

	g->stats.lookups++;
	w = g->sets[geo_key(af, addr, kw)].way;
	for (i = 0; i < GEO_WAYS; i++) {
		if (w[i].af == af && w[i].kw[0] == kw[0] &&
		    w[i].kw[1] == kw[1]) {
			g->stats.hits++;
			w[i].age = ++g->clock;
			*info = w[i].info;
			return info->asn != 0 || info->country[0] != '\0';
		}
		if (w[i].af == 0 || w[i].age < w[victim].age)
			victim = i;
	}
	geo_query(g, af, addr, info);
	w[victim].kw[0] = kw[0];
	w[victim].kw[1] = kw[1];
	w[victim].af = af;
	w[victim].age = ++g->clock;
	w[victim].info = *info;
	return info->asn != 0 || info->country[0] != '\0';
}
