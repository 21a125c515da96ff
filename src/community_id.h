/* community_id.h */
