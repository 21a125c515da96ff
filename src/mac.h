/* mac.c: which configured MAC address each appliance address was seen sending from. */
#ifndef EGRESSD_MAC_H
#define EGRESSD_MAC_H

#include <stddef.h>
#include <stdint.h>

#define MAC_TABLE_MAX	65536		/* addresses remembered */

struct mac_table;

struct mac_table *mac_table_new(size_t);
void		 mac_table_free(struct mac_table *);
void		 mac_learn(struct mac_table *, uint8_t, const uint8_t *,
		    const uint8_t *);
const uint8_t	*mac_of(const struct mac_table *, uint8_t, const uint8_t *);
size_t		 mac_count(const struct mac_table *);

#endif
