/* Unit tests for the ASN and country look-ups, on the demo databases in pcaps/. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "geo.h"
#include "test.h"

static char asn_path[1024], cc_path[1024];

static void
paths(void)
{
	const char	*top = getenv("top_srcdir");

	if (top == NULL)
		top = ".";
	snprintf(asn_path, sizeof(asn_path), "%s/pcaps/asn.mmdb", top);
	snprintf(cc_path, sizeof(cc_path), "%s/pcaps/country.mmdb", top);
}

static void
test_lookup(void)
{
	struct geo	*g;
	struct geo_info	 gi;
	char		 err[256];
	uint8_t		 a4[4] = { 203, 0, 113, 7 }, none[4] = { 8, 8, 8, 8 };
	uint8_t		 a6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xbe, 0xef };
	uint8_t		 kp[4] = { 203, 0, 113, 200 };

	g = geo_open(asn_path, cc_path, err, sizeof(err));
	CHECK(g != NULL);
	if (g == NULL) {
		fprintf(stderr, "%s\n", err);
		return;
	}
	CHECK_EQ(geo_lookup(g, 4, a4, &gi), 1);
	CHECK_EQ(gi.asn, 64500);
	CHECK_STR(gi.org, "Example Vendor Cloud Ltd");
	CHECK_STR(gi.country, "US");
	CHECK_STR(gi.reg_country, "CN");
	CHECK_EQ(geo_lookup(g, 4, kp, &gi), 1);
	CHECK_EQ(gi.asn, 64501);
	CHECK_STR(gi.country, "KP");
	CHECK_STR(gi.reg_country, "KP");
	a6[15] = 0x10;
	CHECK_EQ(geo_lookup(g, 6, a6, &gi), 1);
	CHECK_EQ(gi.asn, 64504);
	CHECK_STR(gi.country, "JP");
	CHECK_EQ(geo_lookup(g, 4, none, &gi), 0);
	CHECK_EQ(gi.asn, 0);
	CHECK_STR(gi.country, "");
	/* The same addresses again come from the cache. */
	CHECK_EQ(geo_lookup(g, 4, a4, &gi), 1);
	CHECK_EQ(geo_lookup(g, 4, none, &gi), 0);
	CHECK_EQ(geo_stats(g)->lookups, 6);
	CHECK_EQ(geo_stats(g)->hits, 2);
	CHECK_EQ(geo_reload(g), 0);
	geo_close(g);

	/* Only one database: the other fields stay empty. */
	g = geo_open(NULL, cc_path, err, sizeof(err));
	CHECK(g != NULL);
	if (g != NULL) {
		CHECK_EQ(geo_lookup(g, 4, a4, &gi), 1);
		CHECK_EQ(gi.asn, 0);
		CHECK_STR(gi.country, "US");
		geo_close(g);
	}
}

static void
test_errors(void)
{
	char	err[256];

	CHECK(geo_open("/nonexistent/asn.mmdb", NULL, err, sizeof(err)) ==
	    NULL);
	CHECK(strstr(err, "No such file") != NULL);
	/* A country database where an ASN database is wanted. */
	CHECK(geo_open(cc_path, NULL, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "not an ASN database") != NULL);
	CHECK(geo_open(NULL, asn_path, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "not a country or city database") != NULL);
}

/* A database replaced on disk is reopened, and the cache forgets. */
static void
test_reload(void)
{
	char		 dir[] = "/tmp/egressd-geo-XXXXXX", path[1100];
	char		 cmd[8192], err[256];
	struct geo	*g;
	struct geo_info	 gi;
	uint8_t		 a4[4] = { 203, 0, 113, 7 };

	if (mkdtemp(dir) == NULL)
		return;
	snprintf(path, sizeof(path), "%s/db.mmdb", dir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", cc_path, path);
	CHECK_EQ(system(cmd), 0);
	g = geo_open(NULL, path, err, sizeof(err));
	CHECK(g != NULL);
	if (g == NULL)
		return;
	CHECK_EQ(geo_lookup(g, 4, a4, &gi), 1);
	/* An ASN database put in its place is the wrong type: kept as is. */
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s.new' && mv '%s.new' '%s'",
	    asn_path, path, path, path);
	CHECK_EQ(system(cmd), 0);
	CHECK_EQ(geo_reload(g), 0);
	CHECK_EQ(geo_lookup(g, 4, a4, &gi), 1);
	CHECK_STR(gi.country, "US");
	/* A good one replacing it is taken. */
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s.new' && mv '%s.new' '%s'",
	    cc_path, path, path, path);
	CHECK_EQ(system(cmd), 0);
	CHECK_EQ(geo_reload(g), 1);
	CHECK_EQ(geo_stats(g)->reloads, 1);
	CHECK_EQ(geo_lookup(g, 4, a4, &gi), 1);
	CHECK_EQ(geo_stats(g)->hits, 1);	/* the first, before the reload */
	geo_close(g);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	paths();
	test_lookup();
	test_errors();
	test_reload();
	return test_done("test_geo");
}
