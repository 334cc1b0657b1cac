/* store.h - the SQLite store of ews-sim: mailboxes, the folder tree,
 * items, attachments, OOF settings, inbox rules and deletion tombstones
 * for SyncFolderItems.
 *
 * An item keeps the values the sim filters and sorts on in typed columns
 * (received, start, end, subject, is_read) and every EWS property in one
 * JSON object keyed by element name (props; see props.h), so a page of
 * 50 messages is one indexed range scan whatever the folder size.
 *
 * Not thread-safe by itself: the sim holds its request lock around every
 * use. All SQL uses bound parameters.
 */
#ifndef INCLUDE_sim_store_h__
#define INCLUDE_sim_store_h__

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/errinfo.h"

typedef struct sim_store sim_store;

typedef struct sim_folder {
	int64_t id;
	int mailbox;
	int64_t parent;        /* 0 for the root */
	char dist[40];         /* distinguished name ("inbox"), "" if none */
	char *name;            /* owned */
	char *folder_class;    /* owned: IPF.Note, IPF.Appointment, ... */
	int64_t ck;
} sim_folder;

typedef struct sim_item {
	int64_t id;
	int mailbox;
	int64_t folder;
	char kind[32];         /* Message, CalendarItem, Contact, Task,
				* MeetingRequest, MeetingResponse, ... */
	int64_t received;      /* epoch seconds */
	int64_t start, end;    /* calendar items; 0 otherwise */
	int is_read;
	int64_t ck;            /* change key version */
	int64_t modseq;        /* change sequence for SyncFolderItems */
	json_t *props;         /* owned: element name -> value */
} sim_item;

typedef struct sim_item_list {
	sim_item *v;
	size_t n;
	size_t total;          /* rows in the view (page queries) */
} sim_item_list;

typedef struct sim_attachment {
	int64_t id;
	int64_t item;
	char *name;
	char *content_type;
	char *content_id;
	void *data;
	size_t size;
	int is_inline;
	json_t *item_props;    /* an item attachment's item, or NULL */
	char item_kind[32];
} sim_attachment;

typedef struct sim_tombstone {
	int64_t item;
	int64_t modseq;
} sim_tombstone;

int sim_store_open(sim_store **out, const char *path, errinfo *err);
void sim_store_close(sim_store *st);

/* Transactions (nestable by counting; only the outermost one commits). */
int sim_store_begin(sim_store *st, errinfo *err);
int sim_store_commit(sim_store *st, errinfo *err);
/* Rows changed since the store was opened (triggers included): a write
 * operation changed the mailbox iff this grew while it ran. */
long long sim_store_changes(sim_store *st);
void sim_store_rollback(sim_store *st);

/* Deletes every row (POST /sim/reset). */
int sim_store_wipe(sim_store *st, errinfo *err);

/* Creates the mailbox row and its distinguished folders if missing. */
int sim_store_mailbox_ensure(sim_store *st, int mailbox, const char *smtp,
			     errinfo *err);

/* OOF and rules documents of a mailbox (JSON text), *out heap or NULL. */
int sim_store_mailbox_get(char **out, sim_store *st, int mailbox,
			  const char *column, errinfo *err);
int sim_store_mailbox_set(sim_store *st, int mailbox, const char *column,
			  const char *value, errinfo *err);

void sim_folder_dispose(sim_folder *f);
/* 0, ERR_NOTFOUND, or another ERR_*. */
int sim_store_folder_get(sim_folder *out, sim_store *st, int64_t id,
			 errinfo *err);
int sim_store_folder_dist(sim_folder *out, sim_store *st, int mailbox,
			  const char *dist, errinfo *err);
/* Children of parent (all descendants with deep != 0), in name order.
 * *out is a heap array of n folders (sim_folder_list_free). */
int sim_store_folder_children(sim_folder **out, size_t *n, sim_store *st,
			      int64_t parent, int deep, errinfo *err);
void sim_folder_list_free(sim_folder *v, size_t n);
/* Child of parent with this display name (any case): 1 found, 0 not. */
int sim_store_folder_name_exists(sim_store *st, int64_t parent,
				 const char *name, errinfo *err);
int sim_store_folder_create(int64_t *id_out, sim_store *st, int mailbox,
			    int64_t parent, const char *dist, const char *name,
			    const char *folder_class, errinfo *err);
/* Rewrites name/parent/class of f and increments its change key. */
int sim_store_folder_update(sim_store *st, sim_folder *f, errinfo *err);
/* Deletes the folder, its subfolders and their items. */
int sim_store_folder_delete(sim_store *st, int64_t id, errinfo *err);
int sim_store_folder_counts(int64_t *total, int64_t *unread, int64_t *children,
			    sim_store *st, int64_t id, errinfo *err);

void sim_item_dispose(sim_item *it);
void sim_item_list_dispose(sim_item_list *l);
int sim_store_item_get(sim_item *out, sim_store *st, int64_t id,
		       errinfo *err);
/* Inserts it (id, ck = 1 and modseq are assigned). */
int sim_store_item_insert(sim_store *st, sim_item *it, errinfo *err);
/* Saves it (columns and props from it), ck + 1, new modseq. */
int sim_store_item_update(sim_store *st, sim_item *it, errinfo *err);
int sim_store_item_delete(sim_store *st, int64_t id, errinfo *err);

/* Sort columns for page queries. */
typedef enum sim_sort_col {
	SIM_SORT_RECEIVED = 0,
	SIM_SORT_SUBJECT,
	SIM_SORT_START,
	SIM_SORT_ID
} sim_sort_col;

/* A page of a folder ordered by col (ties by id), and the folder's total
 * (kept by triggers, so neither depends on the folder size). */
int sim_store_item_page(sim_item_list *out, sim_store *st, int64_t folder,
			sim_sort_col col, int descending, long offset,
			long limit, errinfo *err);
/* Every item of a folder (restrictions are evaluated by the caller). */
int sim_store_item_all(sim_item_list *out, sim_store *st, int64_t folder,
		       errinfo *err);
/* Calendar items of a folder overlapping [start, end), by start. */
int sim_store_item_range(sim_item_list *out, sim_store *st, int64_t folder,
			 int64_t start, int64_t end, errinfo *err);
/* Items changed after modseq (by modseq), and tombstones after it. */
int sim_store_item_changes(sim_item_list *out, sim_tombstone **tomb,
			   size_t *ntomb, sim_store *st, int64_t folder,
			   int64_t after, errinfo *err);
int64_t sim_store_modseq(sim_store *st);

void sim_attachment_dispose(sim_attachment *a);
int sim_store_att_insert(sim_store *st, sim_attachment *a, errinfo *err);
int sim_store_att_get(sim_attachment *out, sim_store *st, int64_t id,
		      errinfo *err);
int sim_store_att_list(sim_attachment **out, size_t *n, sim_store *st,
		       int64_t item, errinfo *err);
void sim_attachment_list_free(sim_attachment *v, size_t n);
int sim_store_att_delete(sim_store *st, int64_t id, errinfo *err);

/* The query plan text of the page query (for the index test). */
int sim_store_explain_page(char **out, sim_store *st, errinfo *err);

#endif
