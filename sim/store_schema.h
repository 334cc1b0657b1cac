/* store_schema.h - DDL and distinguished folders (see store_schema.c). */
#ifndef INCLUDE_sim_store_schema_h__
#define INCLUDE_sim_store_schema_h__

typedef struct sim_dist_folder {
	const char *dist;          /* EWS DistinguishedFolderId value */
	const char *name;          /* display name */
	const char *folder_class;
	int parent;                /* index in sim_dist_folders, -1 = none */
} sim_dist_folder;

extern const char sim_store_ddl[];
extern const sim_dist_folder sim_dist_folders[];  /* NULL-terminated */

#endif
