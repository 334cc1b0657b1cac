/* ops_mail.c - sending mail the right way for each access mode, and
 * replies/forwards/meeting answers (see ops.h).
 *
 * Delegates cannot use SendAndSaveCopy into the principal's Sent Items in
 * one step that Exchange documents for them, and SendOnly gives no copy
 * at all; Microsoft's recipe is a draft in the principal's Drafts (From =
 * principal) followed by SendItem saving to the principal's Sent Items
 * (ews-protocol.md 4.2). Impersonation acts as the owner, so one
 * CreateItem SendAndSaveCopy does it.
 */
#include "ews/ops.h"

#include <stdio.h>
#include <string.h>

#include "ews/internal.h"

static int send_direct(json_t **out, const ews_ctx *ctx,
		       const soap_message *m, errinfo *err)
{
	char hint[512];
	ews_call call = { "CreateItem", EWS_OP_WRITE, 1, hint };
	soap_create_message_args a = { 0 };
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	soap_folder_ref sent = ews__distinguished(ctx, "sentitems");
	json_t *ids = NULL;
	soap_header h;
	int error;

	snprintf(hint, sizeof(hint),
		 "the message may have been sent: check Sent Items of %s before "
		 "sending it again", ews_mailbox_address(ctx->mailbox));
	a.disposition = "SendAndSaveCopy";
	a.saved_folder = &sent;
	a.message = m;
	ews_ctx_header(&h, ctx);
	error = ews__run(&ids, ctx, &call, &req,
			 soap_create_message_request(&req, &h, &a, err),
			 EWS_CHECK_ALL_FAILED, soap_read_created_ids, err);
	json_decref(ids);
	if (error < 0)
		return error;
	*out = json_pack("{s:b, s:s, s:s}", "sent", 1, "mailbox",
			 ews_mailbox_address(ctx->mailbox), "method",
			 "create_item");
	return *out ? 0 : errinfo_set(err, ERR_NOMEM, "out of memory");
}

static int send_as_delegate(json_t **out, const ews_ctx *ctx,
			    const soap_message *msg, errinfo *err)
{
	const char *addr = ews_mailbox_address(ctx->mailbox);
	soap_mailbox from = { NULL, addr };
	soap_create_message_args ca = { 0 };
	soap_send_item_args sa = { 0 };
	soap_folder_ref drafts = ews__distinguished(ctx, "drafts");
	soap_folder_ref sent = ews__distinguished(ctx, "sentitems");
	soap_message m = *msg;
	soap_item_ref ref = { 0 };
	json_t *ids = NULL, *sent_json = NULL, *first;
	char hint[768];
	int error;

	if (!m.from)
		m.from = &from;
	ca.disposition = "SaveOnly";
	ca.saved_folder = &drafts;
	ca.message = &m;
	{
		errinfo e = ERRINFO_INIT;

		error = ews_create_message(&ids, ctx, &ca, &e);
		if (error == ERR_ACCESS) {
			/* Say which right is missing: a delegate sends through
			 * a draft in the principal's Drafts. */
			errinfo_set(err, error, "sending on behalf of %s needs "
				    "permission to create items in the Drafts "
				    "folder of %s (Author or higher on Inbox): %s",
				    addr, addr, e.msg);
			errinfo_set_ews_code(err, e.ews_code);
		} else if (error < 0 && err && !err->msg[0]) {
			*err = e;
		}
		if (error < 0)
			return error;
	}
	first = json_array_get(ids, 0);
	ref.id = json_string_value(json_object_get(first, "item_id"));
	ref.change_key = json_string_value(json_object_get(first, "change_key"));
	if (!ref.id) {
		json_decref(ids);
		return errinfo_set(err, ERR_PROTOCOL,
				   "CreateItem: Exchange returned no id for the "
				   "draft in Drafts of %s; nothing was sent", addr);
	}

	snprintf(hint, sizeof(hint),
		 "the message may have been sent: check Sent Items of %s; if it "
		 "is not there, the draft is still in Drafts of %s", addr, addr);
	{
		ews_call call = { "SendItem", EWS_OP_WRITE, 1, hint };
		buf req = BUF_INIT(SOAP_REQUEST_MAX);
		soap_header h;

		sa.save_copy = 1;
		sa.saved_folder = &sent;
		sa.ids = &ref;
		sa.nids = 1;
		ews_ctx_header(&h, ctx);
		error = ews__run(&sent_json, ctx, &call, &req,
				 soap_send_item_request(&req, &h, &sa, err),
				 EWS_CHECK_ALL_FAILED, soap_read_items, err);
	}
	json_decref(sent_json);
	if (error < 0 && error != ERR_OUTCOME_UNKNOWN && err) {
		/* The draft exists and was not sent: say where it is. */
		size_t n = strlen(err->msg);

		snprintf(err->msg + n, sizeof(err->msg) - n,
			 " (the unsent draft is in Drafts of %s)", addr);
	}
	if (error == 0) {
		*out = json_pack("{s:b, s:s, s:s, s:s}", "sent", 1, "mailbox",
				 addr, "method", "draft_and_send_item",
				 "draft_id", ref.id);
		if (!*out)
			error = errinfo_set(err, ERR_NOMEM, "out of memory");
	}
	json_decref(ids);
	return error;
}

int ews_send_message(json_t **out, const ews_ctx *ctx, const soap_message *m,
		     errinfo *err)
{
	*out = NULL;
	if (!m)
		return errinfo_set(err, ERR_INVAL, "message: missing");
	if (ews_mailbox_access(ctx->mailbox) == EWS_ACCESS_DELEGATE)
		return send_as_delegate(out, ctx, m, err);
	return send_direct(out, ctx, m, err);
}

int ews_respond(json_t **out, const ews_ctx *ctx, const soap_respond_args *args,
		errinfo *err)
{
	const char *addr = ews_mailbox_address(ctx->mailbox);
	soap_respond_args a = *args;
	soap_mailbox from = { NULL, addr };
	soap_folder_ref saved;
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	char hint[512];
	ews_call call = { "CreateItem", EWS_OP_WRITE, 1, hint };
	soap_header h;
	int save_only, meeting;

	*out = NULL;
	meeting = a.kind == SOAP_ACCEPT || a.kind == SOAP_TENTATIVE ||
		  a.kind == SOAP_DECLINE;
	if (!a.disposition)
		a.disposition = "SendAndSaveCopy";
	save_only = strcmp(a.disposition, "SaveOnly") == 0;
	if (args->saved_folder) {
		saved = ews__folder_for(args->saved_folder, ctx);
		a.saved_folder = &saved;
	} else if (strcmp(a.disposition, "SendOnly") != 0) {
		saved = ews__distinguished(ctx, save_only ? "drafts"
							  : "sentitems");
		a.saved_folder = &saved;
	}
	if (!a.from && !meeting &&
	    ews_mailbox_access(ctx->mailbox) == EWS_ACCESS_DELEGATE)
		a.from = &from;
	if (save_only)
		snprintf(hint, sizeof(hint),
			 "check Drafts of %s before creating it again", addr);
	else
		snprintf(hint, sizeof(hint),
			 "the %s may have been sent: check Sent Items of %s before "
			 "sending it again", meeting ? "meeting response"
						     : "message", addr);
	ews_ctx_header(&h, ctx);
	return ews__run(out, ctx, &call, &req, soap_respond_request(&req, &h, &a, err),
			EWS_CHECK_ALL_FAILED, soap_read_created_ids, err);
}
