/* policy_index.c: the first rule of a list that matches, without a scan. */
#ifndef EGRESSD_POLICY_INDEX_H
#define EGRESSD_POLICY_INDEX_H

#include <stddef.h>

struct policy_index;
struct policy_query;
struct policy_result;
struct policy_rule;

struct policy_index *policy_index_new(struct policy_rule *const *, size_t);
void		 policy_index_free(struct policy_index *);
long		 policy_index_first(const struct policy_index *,
		    const struct policy_query *, struct policy_result *);

#endif
