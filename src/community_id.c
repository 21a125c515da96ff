/* community_id.c */
