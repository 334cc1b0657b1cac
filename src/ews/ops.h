/* ops.h - EWS operations on a mailbox context, one wrapper per operation
 * (named after it: ews_find_item <-> FindItem), plus the helpers the tools
 * need to send mail the right way for each access mode.
 *
 * Every wrapper takes the soap layer's argument struct for its operation
 * (soap/req_*.h) and:
 *   - gives every distinguished folder id the context's mailbox
 *     (t:Mailbox; needed for delegate access, harmless and recommended
 *     otherwise: it avoids ErrorMissingEmailAddress for accounts without a
 *     mailbox of their own, ews-protocol.md 4.1);
 *   - builds the request with the soap builder and the context's headers;
 *   - posts it as a read or a write (call.h: retries, safety rules);
 *   - maps Exchange's answer: when every response message is an Error the
 *     call fails with the first one (for a single id that is the item's
 *     error); otherwise the JSON keeps per-item errors per item;
 *   - returns the soap reader's JSON (read_*.h), which the caller owns
 *     (json_decref).
 * All return 0 or a negative ERR_* with err filled (ews_code, MessageText).
 */
#ifndef INCLUDE_ews_ops_h__
#define INCLUDE_ews_ops_h__

#include <jansson.h>

#include "core/errinfo.h"
#include "ews/client.h"
#include "soap/soap.h"

/* ---- items (ops_items.c) ----------------------------------------------- */

int ews_find_item(json_t **out, const ews_ctx *ctx,
		  const soap_find_item_args *a, errinfo *err);
int ews_get_item(json_t **out, const ews_ctx *ctx,
		 const soap_get_item_args *a, errinfo *err);
int ews_update_item(json_t **out, const ews_ctx *ctx,
		    const soap_update_item_args *a, errinfo *err);
int ews_delete_item(json_t **out, const ews_ctx *ctx,
		    const soap_delete_item_args *a, errinfo *err);
int ews_move_item(json_t **out, const ews_ctx *ctx,
		  const soap_move_item_args *a, errinfo *err);
int ews_copy_item(json_t **out, const ews_ctx *ctx,
		  const soap_move_item_args *a, errinfo *err);
/* SendItem of existing drafts. With save_copy and no saved_folder the
 * copy goes to the context's Sent Items (not the caller's). */
int ews_send_item(json_t **out, const ews_ctx *ctx,
		  const soap_send_item_args *a, errinfo *err);

/* CreateItem for a message as given (disposition, folder). A SaveOnly
 * message without a folder goes to the context's Drafts; in delegate mode
 * From defaults to the context's mailbox. Returns the created ids
 * (soap_read_created_ids). For sending, prefer ews_send_message. */
int ews_create_message(json_t **out, const ews_ctx *ctx,
		       const soap_create_message_args *a, errinfo *err);

/* A calendar item in the context's calendar (unless saved_folder says
 * otherwise). send_invitations NULL: "SendToAllAndSaveCopy" when the item
 * has attendees, else "SendToNone". */
int ews_create_calendar_item(json_t **out, const ews_ctx *ctx,
			     const soap_create_calendar_args *a, errinfo *err);
/* A contact / task in the context's contacts / tasks folder. */
int ews_create_contact(json_t **out, const ews_ctx *ctx,
		       const soap_create_contact_args *a, errinfo *err);
int ews_create_task(json_t **out, const ews_ctx *ctx,
		    const soap_create_task_args *a, errinfo *err);

/* ---- mail sending (ops_mail.c) ----------------------------------------- */

/**
 * Sends m from the context's mailbox, keeping a copy in its Sent Items:
 *  - self / impersonation: CreateItem SendAndSaveCopy, SavedItemFolderId =
 *    the mailbox's sentitems;
 *  - delegate: CreateItem SaveOnly into the target's Drafts with From =
 *    target, then SendItem with SavedItemFolderId = the target's sentitems
 *    (Exchange has no other way to save a delegate's copy there).
 * *out: {"sent": true, "mailbox", "method": "create_item" |
 * "draft_and_send_item", "draft_id"? (delegate)}. A lost answer gives
 * ERR_OUTCOME_UNKNOWN telling where to look; the send is never repeated.
 */
int ews_send_message(json_t **out, const ews_ctx *ctx, const soap_message *m,
		     errinfo *err);

/**
 * Reply, reply-all or forward (a->kind) keeping the conversation thread,
 * or a meeting answer (accept/tentative/decline). Defaults filled in per
 * mode: disposition SendAndSaveCopy; saved_folder = the context's
 * sentitems (drafts for SaveOnly); From = the target in delegate mode.
 * *out: the created ids (empty object for sent responses).
 */
int ews_respond(json_t **out, const ews_ctx *ctx, const soap_respond_args *a,
		errinfo *err);

/* ---- folders (ops_folders.c) ------------------------------------------- */

int ews_find_folder(json_t **out, const ews_ctx *ctx,
		    const soap_find_folder_args *a, errinfo *err);
int ews_get_folder(json_t **out, const ews_ctx *ctx,
		   const soap_get_folder_args *a, errinfo *err);
/* The folder writes forget the context's cached folder paths. */
int ews_create_folder(json_t **out, const ews_ctx *ctx,
		      const soap_create_folder_args *a, errinfo *err);
int ews_delete_folder(json_t **out, const ews_ctx *ctx,
		      const soap_delete_folder_args *a, errinfo *err);
int ews_update_folder(json_t **out, const ews_ctx *ctx,
		      const soap_update_folder_args *a, errinfo *err);
int ews_move_folder(json_t **out, const ews_ctx *ctx,
		    const soap_move_folder_args *a, errinfo *err);

/* ---- people, calendars, settings (ops_misc.c) -------------------------- */

/* Free/busy of a->mailboxes (per-mailbox errors stay per mailbox). */
int ews_get_user_availability(json_t **out, const ews_ctx *ctx,
			      const soap_availability_args *a, errinfo *err);

/* OOF of the context's mailbox (the body names it). Delegate contexts are
 * refused before any request: Exchange serves another user's OOF only to
 * that user or someone impersonating them (ews-protocol.md 4.4). */
int ews_get_user_oof_settings(json_t **out, const ews_ctx *ctx, errinfo *err);
/* a->mailbox is ignored: the context's mailbox is used. */
int ews_set_user_oof_settings(json_t **out, const ews_ctx *ctx,
			      const soap_set_oof_args *a, errinfo *err);

/* ErrorNameResolutionNoResults is an empty list, not an error. */
int ews_resolve_names(json_t **out, const ews_ctx *ctx,
		      const soap_resolve_names_args *a, errinfo *err);
int ews_find_people(json_t **out, const ews_ctx *ctx,
		    const soap_find_people_args *a, errinfo *err);
int ews_expand_dl(json_t **out, const ews_ctx *ctx,
		  const soap_expand_dl_args *a, errinfo *err);

int ews_get_attachment(json_t **out, const ews_ctx *ctx,
		       const soap_get_attachment_args *a, errinfo *err);
int ews_create_attachment(json_t **out, const ews_ctx *ctx,
			  const soap_create_attachment_args *a, errinfo *err);
int ews_delete_attachment(json_t **out, const ews_ctx *ctx,
			  const soap_delete_attachment_args *a, errinfo *err);

/* Inbox rules of the context's mailbox (a->mailbox ignored). */
int ews_get_inbox_rules(json_t **out, const ews_ctx *ctx, errinfo *err);
int ews_update_inbox_rules(json_t **out, const ews_ctx *ctx,
			   const soap_update_inbox_rules_args *a, errinfo *err);

int ews_sync_folder_items(json_t **out, const ews_ctx *ctx,
			  const soap_sync_folder_items_args *a, errinfo *err);
int ews_get_server_time_zones(json_t **out, const ews_ctx *ctx,
			      const soap_get_server_time_zones_args *a,
			      errinfo *err);
int ews_convert_id(json_t **out, const ews_ctx *ctx,
		   const soap_convert_id_args *a, errinfo *err);

#endif
