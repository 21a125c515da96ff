/* sink_json.c: one JSON object per line, with ECS field names, through jansson. */
#ifndef EGRESSD_SINK_JSON_H
#define EGRESSD_SINK_JSON_H

struct sink_json;
struct sink_ops;

extern const struct sink_ops sink_json_ops;

struct sink_json *sink_json_open(const char *);

#endif
