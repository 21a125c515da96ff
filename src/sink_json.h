/* sink_json.h */
