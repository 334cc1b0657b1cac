/* sim_int.h - the internals shared by ews-sim's modules: the server
 * context, one EWS request's state, the HTTP reply the EWS layer hands
 * back to the HTTP front, and the operation handlers.
 *
 * Concurrency: the HTTP front serves connections on several threads; every
 * EWS operation runs under ctx->lock, so the store and the per-request
 * logic see one consistent mailbox state at a time (Exchange serialises
 * per mailbox; the sim, being small, serialises globally).
 */
#ifndef INCLUDE_sim_int_h__
#define INCLUDE_sim_int_h__

#include <pthread.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "core/buf.h"
#include "core/tz.h"
#include "sim/faults.h"
#include "sim/ntlm.h"
#include "sim/org.h"
#include "sim/props.h"
#include "sim/rights.h"
#include "sim/stats.h"
#include "sim/store.h"
#include "sim/tokens.h"
#include "sim/util.h"

#define SIM_BODY_MAX (32u * 1024u * 1024u)   /* request body cap */
#define SIM_REPLY_MAX (64u * 1024u * 1024u)  /* response body cap */

typedef struct sim_ctx {
	sim_org *org;
	sim_store *store;
	pthread_mutex_t lock;
	sim_stats *stats;
	sim_faults *faults;
	sim_tokens *tokens;
	sim_ntlm_server *ntlm;
	long latency_ms;
	int quiet;
	long generate;
} sim_ctx;

/* Who sent an HTTP request (after authentication). */
typedef struct sim_caller {
	int user;              /* user index (Basic/NTLM), or -1 */
	int app;               /* org app index (app-only bearer), or -1 */
	char name[320];        /* for stats and the access log */
} sim_caller;

typedef enum sim_reply_action {
	SIM_REPLY_NORMAL = 0,
	SIM_REPLY_TRUNCATE,    /* send half the body, then drop the connection */
	SIM_REPLY_RESET        /* drop the connection without an answer */
} sim_reply_action;

typedef struct sim_reply {
	int status;
	buf body;
	const char *content_type;
	char retry_after[24];
	int www_bearer;        /* 401: Bearer error="invalid_token" */
	sim_reply_action action;
	char op[64];           /* operation name for the access log */
} sim_reply;

/* One EWS request. */
typedef struct sim_req {
	sim_ctx *ctx;
	const sim_caller *caller;
	int actor;             /* effective user: impersonated or caller */
	int impersonating;
	char op[64];
	buf *out;              /* the operation element goes here */
	sim_status fault;      /* request-level fault (SOAP fault) */
	int wrote;             /* a write changed the store */
	int written;           /* user index of the first mailbox a write
				* was allowed into, -1 if none yet */
	int sent;              /* messages sent by this request */
	const tz_zone *tz;     /* TimeZoneContext zone: how times without a
				* zone are read (NULL: UTC) */
	const char *tz_id;     /* its Windows id (table spelling), or NULL */
} sim_req;

/* Handles one POST /EWS/Exchange.asmx. Fills *out (status, body, action).
 * anchor is the X-AnchorMailbox header (may be NULL). */
void sim_ews_handle(sim_reply *out, sim_ctx *ctx, const sim_caller *caller,
		    const char *body, size_t len, const char *anchor);

/* Response message framing: <m:NAME ResponseClass="..."> with
 * MessageText/ResponseCode/DescriptiveLinkKey, and its end tag. */
void sim_rm_open(buf *b, const char *name, const sim_status *st);
void sim_rm_close(buf *b, const char *name);

/* ---- helpers shared by operations (ops_common.c) ---- */

/* Mailbox id (user index + 1) of a user index. */
#define SIM_MBX(user) ((user) + 1)
#define SIM_USER(mbx) ((mbx) - 1)

/* Remembers owner as the mailbox a write goes to (the first one allowed;
 * reads are not noted), for writes.by_mailbox in /sim/stats. */
void sim_note_written(sim_req *r, int owner, sim_action act);
/* Resolves a folder id element (t:FolderId or t:DistinguishedFolderId with
 * optional t:Mailbox) for action act. 0 and *out, or -1 with st set:
 * ErrorInvalidIdMalformed, ErrorNonExistentMailbox, ErrorFolderNotFound
 * (missing, or not visible to the actor), ErrorAccessDenied (visible but
 * act not allowed). */
int sim_folder_resolve(sim_folder *out, sim_req *r, const xmlNode *id_el,
		       sim_action act, sim_status *st);
/* The first folder id child of a container (ParentFolderIds, ...). */
xmlNode *sim_folder_id_child(const xmlNode *container);
/* Permission category of a folder (walks up to a distinguished ancestor). */
int sim_folder_category(sim_req *r, const sim_folder *f);
/* Checks act on folder f for the actor: 0 or -1 with st set. */
int sim_folder_check(sim_req *r, const sim_folder *f, sim_action act,
		     sim_status *st);

/* Resolves a t:ItemId-like element (Id attribute) to a stored item, for
 * act, checking the actor's rights on its folder. check_ck != 0 compares
 * the ChangeKey attribute when present (stale -> ErrorIrresolvableConflict). */
int sim_item_resolve(sim_item *out, sim_req *r, const xmlNode *id_el,
		     sim_action act, int check_ck, sim_status *st);

/* Writes an item for a response with attachments if the shape needs them. */
int sim_item_emit(sim_req *r, const sim_item *it, const sim_shape *shape);

/* Item attachment flag + HasAttachments refresh after attachment changes. */
int sim_item_touch(sim_req *r, sim_item *it, sim_status *st);

/* The folder-id element of a folder (FolderId with ChangeKey). */
void sim_write_folder_id(buf *b, const sim_folder *f);

/* ---- operations: each returns 0 (per-message results written to r->out)
 * or -1 for a request-level fault in r->fault ---- */
typedef int (*sim_op_fn)(sim_req *r, const xmlNode *op);

int sim_op_find_item(sim_req *r, const xmlNode *op);
int sim_op_get_item(sim_req *r, const xmlNode *op);
int sim_op_create_item(sim_req *r, const xmlNode *op);
int sim_op_update_item(sim_req *r, const xmlNode *op);
int sim_op_delete_item(sim_req *r, const xmlNode *op);
int sim_op_move_item(sim_req *r, const xmlNode *op);
int sim_op_copy_item(sim_req *r, const xmlNode *op);
int sim_op_send_item(sim_req *r, const xmlNode *op);
int sim_op_find_folder(sim_req *r, const xmlNode *op);
int sim_op_get_folder(sim_req *r, const xmlNode *op);
int sim_op_create_folder(sim_req *r, const xmlNode *op);
int sim_op_delete_folder(sim_req *r, const xmlNode *op);
int sim_op_update_folder(sim_req *r, const xmlNode *op);
int sim_op_move_folder(sim_req *r, const xmlNode *op);
int sim_op_get_user_availability(sim_req *r, const xmlNode *op);
int sim_op_get_oof(sim_req *r, const xmlNode *op);
int sim_op_set_oof(sim_req *r, const xmlNode *op);
int sim_op_resolve_names(sim_req *r, const xmlNode *op);
int sim_op_find_people(sim_req *r, const xmlNode *op);
int sim_op_expand_dl(sim_req *r, const xmlNode *op);
int sim_op_get_attachment(sim_req *r, const xmlNode *op);
int sim_op_create_attachment(sim_req *r, const xmlNode *op);
int sim_op_delete_attachment(sim_req *r, const xmlNode *op);
int sim_op_get_inbox_rules(sim_req *r, const xmlNode *op);
int sim_op_update_inbox_rules(sim_req *r, const xmlNode *op);
int sim_op_sync_folder_items(sim_req *r, const xmlNode *op);
int sim_op_get_server_time_zones(sim_req *r, const xmlNode *op);
int sim_op_convert_id(sim_req *r, const xmlNode *op);

/* ---- delivery (delivery.c) ---- */

/* Checks and completes a message about to be sent by the actor: From
 * (default: the actor; another user needs send-as or send-on-behalf, else
 * ErrorSendAsDenied), Sender (the actor for send-on-behalf), at least one
 * recipient, DateTimeSent, InternetMessageId, IsDraft false. 0 or -1. */
int sim_send_prepare(sim_req *r, sim_item *msg, sim_status *st);
/* Sends a meeting message of kind (MeetingRequest, MeetingCancellation)
 * for the organizer's calendar item to its attendees. 0 or -1. */
int sim_send_meeting(sim_req *r, const sim_item *cal, const char *kind,
		     sim_status *st);
/* Sends message msg (props complete; From set) from the actor's point of
 * view: delivers to org recipients' Inboxes (meeting requests also to
 * calendars) with a copy of each of the natts attachments atts (NULL when
 * 0) and HasAttachments set to match, triggers OOF replies. Does not save
 * the sender's copy. 0, or -1 with st set. */
int sim_deliver(sim_req *r, const sim_item *msg, const sim_attachment *atts,
		size_t natts, sim_status *st);
/* sim_deliver for a message that is stored (a draft sent by SendItem or
 * UpdateItem): its own attachments travel with it. */
int sim_deliver_stored(sim_req *r, const sim_item *msg, sim_status *st);
/* Stores a copy of each of the natts attachments atts on item (a row id
 * of the store). 0, or -1 with st set (ErrorInternalServerError). */
int sim_attachments_copy(sim_req *r, int64_t item,
			 const sim_attachment *atts, size_t natts,
			 sim_status *st);
/* The organizer's calendar item of a meeting (by UID); 0 found. */
int sim_find_by_uid(sim_item *out, sim_req *r, int mailbox, const char *uid);

/* ---- seed content and generation (seed.c, generate.c) ---- */
int sim_seed_org(sim_ctx *ctx, errinfo *err);
int sim_generate(sim_ctx *ctx, long n, errinfo *err);

#endif
