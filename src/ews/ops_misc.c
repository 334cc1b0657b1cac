/* ops_misc.c - the operations that are not about items or folders:
 * availability, out-of-office, name resolution, people, distribution
 * lists, attachments, inbox rules, folder sync, server time zones and id
 * conversion (see ops.h). */
#include "ews/ops.h"

#include <string.h>

#include "ews/internal.h"

/* The shared tail of every wrapper here: header, build, post, read,
 * and return from the calling function. */
#define RUN_AND_RETURN(builder, args, call, check, reader) \
	do { \
		buf req_ = BUF_INIT(SOAP_REQUEST_MAX); \
		soap_header h_; \
		*out = NULL; \
		ews_ctx_header(&h_, ctx); \
		return ews__run(out, ctx, call, &req_, \
				builder(&req_, &h_, args, err), check, reader, err); \
	} while (0)

int ews_get_user_availability(json_t **out, const ews_ctx *ctx,
			      const soap_availability_args *a, errinfo *err)
{
	/* The body names other people: their errors are theirs, not the
	 * context's (mailbox_bound = 0). */
	static const ews_call call = { "GetUserAvailability", EWS_OP_READ, 0,
				       NULL };

	RUN_AND_RETURN(soap_get_user_availability_request, a, &call, EWS_CHECK_NONE,
	    soap_read_availability);
}

static int oof_delegate_refused(const ews_ctx *ctx, errinfo *err)
{
	if (ews_mailbox_access(ctx->mailbox) != EWS_ACCESS_DELEGATE)
		return 0;
	return errinfo_set(err, ERR_ACCESS,
			   "out-of-office settings of %s cannot be reached with "
			   "delegate access: Exchange serves them only to the "
			   "owner or an account impersonating the owner (set "
			   "EWS_IMPERSONATION_TYPE=impersonation)",
			   ews_mailbox_address(ctx->mailbox));
}

int ews_get_user_oof_settings(json_t **out, const ews_ctx *ctx, errinfo *err)
{
	static const ews_call call = { "GetUserOofSettings", EWS_OP_READ, 1,
				       NULL };
	soap_get_oof_args a = { ews_mailbox_address(ctx->mailbox) };
	int error;

	*out = NULL;
	error = oof_delegate_refused(ctx, err);
	if (error < 0)
		return error;
	RUN_AND_RETURN(soap_get_oof_request, &a, &call, EWS_CHECK_FIRST, soap_read_oof);
}

static int read_ok(json_t **out, const soap_response *r, errinfo *err)
{
	(void)r;
	*out = json_pack("{s:b}", "success", 1);
	return *out ? 0 : errinfo_set(err, ERR_NOMEM, "out of memory");
}

int ews_set_user_oof_settings(json_t **out, const ews_ctx *ctx,
			      const soap_set_oof_args *args, errinfo *err)
{
	static const ews_call call = { "SetUserOofSettings", EWS_OP_WRITE, 1,
		"read the settings back to see whether they changed" };
	soap_set_oof_args a = *args;
	int error;

	*out = NULL;
	error = oof_delegate_refused(ctx, err);
	if (error < 0)
		return error;
	a.mailbox = ews_mailbox_address(ctx->mailbox);
	RUN_AND_RETURN(soap_set_oof_request, &a, &call, EWS_CHECK_FIRST, read_ok);
}

int ews_resolve_names(json_t **out, const ews_ctx *ctx,
		      const soap_resolve_names_args *args, errinfo *err)
{
	static const ews_call call = { "ResolveNames", EWS_OP_READ, 0, NULL };
	soap_folder_ref folders[SOAP_BATCH_MAX];
	soap_resolve_names_args a = *args;
	int error;

	*out = NULL;
	error = ews__folders_for(folders, args->folders, args->nfolders, ctx,
				 "folders", err);
	if (error < 0)
		return error;
	a.folders = folders;
	/* The reader turns ErrorNameResolutionNoResults into an empty list
	 * and keeps the multiple-results warning; it reports other errors. */
	RUN_AND_RETURN(soap_resolve_names_request, &a, &call, EWS_CHECK_NONE,
	    soap_read_resolve_names);
}

int ews_find_people(json_t **out, const ews_ctx *ctx,
		    const soap_find_people_args *args, errinfo *err)
{
	static const ews_call call = { "FindPeople", EWS_OP_READ, 0, NULL };
	soap_find_people_args a = *args;
	soap_folder_ref folder;

	if (args->folder && strcmp(args->folder->distinguished
				   ? args->folder->distinguished : "",
				   "directory") != 0) {
		folder = ews__folder_for(args->folder, ctx);
		a.folder = &folder;
	}
	RUN_AND_RETURN(soap_find_people_request, &a, &call, EWS_CHECK_FIRST,
	    soap_read_find_people);
}

int ews_expand_dl(json_t **out, const ews_ctx *ctx,
		  const soap_expand_dl_args *a, errinfo *err)
{
	static const ews_call call = { "ExpandDL", EWS_OP_READ, 0, NULL };

	RUN_AND_RETURN(soap_expand_dl_request, a, &call, EWS_CHECK_FIRST,
	    soap_read_expand_dl);
}

int ews_get_attachment(json_t **out, const ews_ctx *ctx,
		       const soap_get_attachment_args *a, errinfo *err)
{
	static const ews_call call = { "GetAttachment", EWS_OP_READ, 1, NULL };

	RUN_AND_RETURN(soap_get_attachment_request, a, &call, EWS_CHECK_ALL_FAILED,
	    soap_read_attachments);
}

int ews_create_attachment(json_t **out, const ews_ctx *ctx,
			  const soap_create_attachment_args *a, errinfo *err)
{
	static const ews_call call = { "CreateAttachment", EWS_OP_WRITE, 1,
		"get the item to see whether the attachment is there before "
		"adding it again" };

	RUN_AND_RETURN(soap_create_attachment_request, a, &call, EWS_CHECK_ALL_FAILED,
	    soap_read_attachments);
}

int ews_delete_attachment(json_t **out, const ews_ctx *ctx,
			  const soap_delete_attachment_args *a, errinfo *err)
{
	static const ews_call call = { "DeleteAttachment", EWS_OP_WRITE, 1,
		"get the item to see whether the attachment is gone" };

	RUN_AND_RETURN(soap_delete_attachment_request, a, &call, EWS_CHECK_ALL_FAILED,
	    soap_read_attachments);
}

int ews_get_inbox_rules(json_t **out, const ews_ctx *ctx, errinfo *err)
{
	static const ews_call call = { "GetInboxRules", EWS_OP_READ, 1, NULL };
	soap_get_inbox_rules_args a = { ews_mailbox_address(ctx->mailbox) };

	RUN_AND_RETURN(soap_get_inbox_rules_request, &a, &call, EWS_CHECK_FIRST,
	    soap_read_inbox_rules);
}

int ews_update_inbox_rules(json_t **out, const ews_ctx *ctx,
			   const soap_update_inbox_rules_args *args,
			   errinfo *err)
{
	static const ews_call call = { "UpdateInboxRules", EWS_OP_WRITE, 1,
		"list the rules before changing them again" };
	soap_update_inbox_rules_args a = *args;
	soap_rule_op ops[SOAP_BATCH_MAX];
	soap_rule_actions actions[SOAP_BATCH_MAX];
	soap_folder_ref copy_to[SOAP_BATCH_MAX], move_to[SOAP_BATCH_MAX];
	size_t i;

	*out = NULL;
	if (args->nops > SOAP_BATCH_MAX)
		return errinfo_set(err, ERR_INVAL,
				   "ops: at most %d rule operations per request",
				   SOAP_BATCH_MAX);
	/* Folders named in rule actions belong to the context's mailbox. */
	for (i = 0; i < args->nops; i++) {
		ops[i] = args->ops[i];
		if (!ops[i].actions)
			continue;
		actions[i] = *ops[i].actions;
		if (actions[i].copy_to_folder) {
			copy_to[i] = ews__folder_for(actions[i].copy_to_folder, ctx);
			actions[i].copy_to_folder = &copy_to[i];
		}
		if (actions[i].move_to_folder) {
			move_to[i] = ews__folder_for(actions[i].move_to_folder, ctx);
			actions[i].move_to_folder = &move_to[i];
		}
		ops[i].actions = &actions[i];
	}
	a.ops = ops;
	a.mailbox = ews_mailbox_address(ctx->mailbox);
	RUN_AND_RETURN(soap_update_inbox_rules_request, &a, &call, EWS_CHECK_FIRST,
	    read_ok);
}

int ews_sync_folder_items(json_t **out, const ews_ctx *ctx,
			  const soap_sync_folder_items_args *args, errinfo *err)
{
	static const ews_call call = { "SyncFolderItems", EWS_OP_READ, 1, NULL };
	soap_sync_folder_items_args a = *args;

	a.folder = ews__folder_for(&args->folder, ctx);
	RUN_AND_RETURN(soap_sync_folder_items_request, &a, &call, EWS_CHECK_FIRST,
	    soap_read_sync_folder_items);
}

int ews_get_server_time_zones(json_t **out, const ews_ctx *ctx,
			      const soap_get_server_time_zones_args *a,
			      errinfo *err)
{
	static const ews_call call = { "GetServerTimeZones", EWS_OP_READ, 0,
				       NULL };

	RUN_AND_RETURN(soap_get_server_time_zones_request, a, &call, EWS_CHECK_FIRST,
	    soap_read_server_time_zones);
}

int ews_convert_id(json_t **out, const ews_ctx *ctx,
		   const soap_convert_id_args *a, errinfo *err)
{
	static const ews_call call = { "ConvertId", EWS_OP_READ, 0, NULL };

	RUN_AND_RETURN(soap_convert_id_request, a, &call, EWS_CHECK_ALL_FAILED,
	    soap_read_convert_id);
}
