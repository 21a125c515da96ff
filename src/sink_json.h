/*
 * sink_json.c: one JSON object per line, with ECS field names, written
 * straight into one buffer and appended to the file in whole lines.
 */
#ifndef EGRESSD_SINK_JSON_H
#define EGRESSD_SINK_JSON_H

#include <stddef.h>

struct sink_json;
struct sink_ops;

extern const struct sink_ops sink_json_ops;

struct sink_json *sink_json_open(const char *);
void		 sink_json_live(struct sink_json *);
void		 sink_json_thread(struct sink_json *);
struct sink_json *sink_json_memory(void);
const char	*sink_json_lines(struct sink_json *, size_t *);

#endif
