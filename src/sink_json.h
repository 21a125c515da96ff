/* sink_json.c: one JSON object per line, with ECS field names, through jansson. */
#ifndef EGRESSD_SINK_JSON_H
#define EGRESSD_SINK_JSON_H

#include <stdio.h>

#include "flow.h"

struct alert;
struct sink_json;

struct sink_json *sink_json_open(const char *);
void	sink_json_flow(struct sink_json *, const struct flow *,
	    enum flow_reason, const struct flow_meta *);
void	sink_json_alert(struct sink_json *, const struct alert *);
int	sink_json_close(struct sink_json *);

#endif
