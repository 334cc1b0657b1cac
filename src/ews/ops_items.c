/* ops_items.c - item operations: FindItem, GetItem, UpdateItem,
 * DeleteItem, MoveItem, CopyItem, SendItem and CreateItem for messages,
 * calendar items, contacts and tasks (see ops.h). */
#include "ews/ops.h"

#include <string.h>

#include "ews/internal.h"

int ews_find_item(json_t **out, const ews_ctx *ctx,
		  const soap_find_item_args *args, errinfo *err)
{
	static const ews_call call = { "FindItem", EWS_OP_READ, 1, NULL };
	soap_folder_ref folders[SOAP_BATCH_MAX];
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	soap_find_item_args a = *args;
	soap_header h;
	int error;

	*out = NULL;
	error = ews__folders_for(folders, args->folders, args->nfolders, ctx,
				 "folders", err);
	if (error < 0)
		return error;
	a.folders = folders;
	ews_ctx_header(&h, ctx);
	return ews__run(out, ctx, &call, &req, soap_find_item_request(&req, &h, &a, err),
			EWS_CHECK_FIRST, soap_read_find_item, err);
}

int ews_get_item(json_t **out, const ews_ctx *ctx,
		 const soap_get_item_args *a, errinfo *err)
{
	static const ews_call call = { "GetItem", EWS_OP_READ, 1, NULL };
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	soap_header h;

	*out = NULL;
	ews_ctx_header(&h, ctx);
	return ews__run(out, ctx, &call, &req, soap_get_item_request(&req, &h, a, err),
			EWS_CHECK_ALL_FAILED, soap_read_items, err);
}

int ews_update_item(json_t **out, const ews_ctx *ctx,
		    const soap_update_item_args *args, errinfo *err)
{
	static const ews_call call = { "UpdateItem", EWS_OP_WRITE, 1,
		"re-read the item to see whether the change was applied" };
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	soap_update_item_args a = *args;
	soap_folder_ref saved;
	soap_header h;

	*out = NULL;
	if (args->saved_folder) {
		saved = ews__folder_for(args->saved_folder, ctx);
		a.saved_folder = &saved;
	}
	ews_ctx_header(&h, ctx);
	return ews__run(out, ctx, &call, &req, soap_update_item_request(&req, &h, &a, err),
			EWS_CHECK_ALL_FAILED, soap_read_items, err);
}

int ews_delete_item(json_t **out, const ews_ctx *ctx,
		    const soap_delete_item_args *a, errinfo *err)
{
	static const ews_call call = { "DeleteItem", EWS_OP_WRITE, 1,
		"look the item up again to see whether it is still there" };
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	soap_header h;

	*out = NULL;
	ews_ctx_header(&h, ctx);
	return ews__run(out, ctx, &call, &req, soap_delete_item_request(&req, &h, a, err),
			EWS_CHECK_ALL_FAILED, soap_read_items, err);
}

static int move_or_copy(json_t **out, const ews_ctx *ctx,
			const soap_move_item_args *args, int copy, errinfo *err)
{
	static const ews_call move_call = { "MoveItem", EWS_OP_WRITE, 1,
		"look in the destination folder before moving again" };
	static const ews_call copy_call = { "CopyItem", EWS_OP_WRITE, 1,
		"look in the destination folder before copying again" };
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	soap_move_item_args a = *args;
	soap_header h;

	*out = NULL;
	a.to_folder = ews__folder_for(&args->to_folder, ctx);
	ews_ctx_header(&h, ctx);
	return ews__run(out, ctx, copy ? &copy_call : &move_call, &req,
			copy ? soap_copy_item_request(&req, &h, &a, err)
			     : soap_move_item_request(&req, &h, &a, err),
			EWS_CHECK_ALL_FAILED, soap_read_items, err);
}

int ews_move_item(json_t **out, const ews_ctx *ctx,
		  const soap_move_item_args *a, errinfo *err)
{
	return move_or_copy(out, ctx, a, 0, err);
}

int ews_copy_item(json_t **out, const ews_ctx *ctx,
		  const soap_move_item_args *a, errinfo *err)
{
	return move_or_copy(out, ctx, a, 1, err);
}

int ews_send_item(json_t **out, const ews_ctx *ctx,
		  const soap_send_item_args *args, errinfo *err)
{
	static const ews_call call = { "SendItem", EWS_OP_WRITE, 1,
		"the draft may have been sent: check Sent Items and Drafts "
		"before sending it again" };
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	soap_send_item_args a = *args;
	soap_folder_ref saved;
	soap_header h;

	*out = NULL;
	if (a.save_copy) {
		/* Without a folder the copy would land in the *caller's*
		 * Sent Items, not the mailbox's (ews-protocol.md 5.8). */
		saved = args->saved_folder
			? ews__folder_for(args->saved_folder, ctx)
			: ews__distinguished(ctx, "sentitems");
		a.saved_folder = &saved;
	}
	ews_ctx_header(&h, ctx);
	return ews__run(out, ctx, &call, &req, soap_send_item_request(&req, &h, &a, err),
			EWS_CHECK_ALL_FAILED, soap_read_items, err);
}

int ews_create_message(json_t **out, const ews_ctx *ctx,
		       const soap_create_message_args *args, errinfo *err)
{
	static const ews_call call = { "CreateItem", EWS_OP_WRITE, 1,
		"check Drafts and Sent Items before creating it again" };
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	soap_create_message_args a = *args;
	soap_message m;
	soap_mailbox from = { 0 };
	soap_folder_ref saved;
	soap_header h;

	*out = NULL;
	if (args->saved_folder) {
		saved = ews__folder_for(args->saved_folder, ctx);
		a.saved_folder = &saved;
	} else if (args->disposition &&
		   strcmp(args->disposition, "SaveOnly") == 0) {
		saved = ews__distinguished(ctx, "drafts");
		a.saved_folder = &saved;
	}
	if (args->message && !args->message->from &&
	    ews_mailbox_access(ctx->mailbox) == EWS_ACCESS_DELEGATE) {
		/* A delegate's draft is from the principal (send on behalf). */
		m = *args->message;
		from.email = ews_mailbox_address(ctx->mailbox);
		m.from = &from;
		a.message = &m;
	}
	ews_ctx_header(&h, ctx);
	return ews__run(out, ctx, &call, &req, soap_create_message_request(&req, &h, &a, err),
			EWS_CHECK_ALL_FAILED, soap_read_created_ids, err);
}

static int has_attendees(const soap_calendar_item *c)
{
	return c && (c->nrequired || c->noptional || c->nresources);
}

int ews_create_calendar_item(json_t **out, const ews_ctx *ctx,
			     const soap_create_calendar_args *args, errinfo *err)
{
	static const ews_call call = { "CreateItem", EWS_OP_WRITE, 1,
		"look at the calendar (and the attendees' invitations) before "
		"creating it again" };
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	soap_create_calendar_args a = *args;
	soap_folder_ref saved;
	soap_header h;

	*out = NULL;
	/* Without a folder a delegate's item lands in its own calendar. */
	saved = args->saved_folder ? ews__folder_for(args->saved_folder, ctx)
				   : ews__distinguished(ctx, "calendar");
	a.saved_folder = &saved;
	if (!a.send_invitations)
		a.send_invitations = has_attendees(args->item)
			? "SendToAllAndSaveCopy" : "SendToNone";
	ews_ctx_header(&h, ctx);
	return ews__run(out, ctx, &call, &req, soap_create_calendar_request(&req, &h, &a, err),
			EWS_CHECK_ALL_FAILED, soap_read_created_ids, err);
}

int ews_create_contact(json_t **out, const ews_ctx *ctx,
		       const soap_create_contact_args *args, errinfo *err)
{
	static const ews_call call = { "CreateItem", EWS_OP_WRITE, 1,
		"search the contacts before creating it again" };
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	soap_create_contact_args a = *args;
	soap_folder_ref saved;
	soap_header h;

	*out = NULL;
	saved = args->saved_folder ? ews__folder_for(args->saved_folder, ctx)
				   : ews__distinguished(ctx, "contacts");
	a.saved_folder = &saved;
	ews_ctx_header(&h, ctx);
	return ews__run(out, ctx, &call, &req, soap_create_contact_request(&req, &h, &a, err),
			EWS_CHECK_ALL_FAILED, soap_read_created_ids, err);
}

int ews_create_task(json_t **out, const ews_ctx *ctx,
		    const soap_create_task_args *args, errinfo *err)
{
	static const ews_call call = { "CreateItem", EWS_OP_WRITE, 1,
		"list the tasks before creating it again" };
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	soap_create_task_args a = *args;
	soap_folder_ref saved;
	soap_header h;

	*out = NULL;
	saved = args->saved_folder ? ews__folder_for(args->saved_folder, ctx)
				   : ews__distinguished(ctx, "tasks");
	a.saved_folder = &saved;
	ews_ctx_header(&h, ctx);
	return ews__run(out, ctx, &call, &req, soap_create_task_request(&req, &h, &a, err),
			EWS_CHECK_ALL_FAILED, soap_read_created_ids, err);
}
