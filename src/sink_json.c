/* sink_json.c */
