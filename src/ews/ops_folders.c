/* ops_folders.c - folder operations: FindFolder, GetFolder, CreateFolder,
 * DeleteFolder, UpdateFolder, MoveFolder (see ops.h). Every folder write
 * forgets the context's cached display-name paths, since a rename, move
 * or delete can invalidate any of them. */
#include "ews/ops.h"

#include "ews/internal.h"

int ews_find_folder(json_t **out, const ews_ctx *ctx,
		    const soap_find_folder_args *args, errinfo *err)
{
	static const ews_call call = { "FindFolder", EWS_OP_READ, 1, NULL };
	soap_folder_ref parents[SOAP_BATCH_MAX];
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	soap_find_folder_args a = *args;
	soap_header h;
	int error;

	*out = NULL;
	error = ews__folders_for(parents, args->parents, args->nparents, ctx,
				 "parents", err);
	if (error < 0)
		return error;
	a.parents = parents;
	ews_ctx_header(&h, ctx);
	return ews__run(out, ctx, &call, &req, soap_find_folder_request(&req, &h, &a, err),
			EWS_CHECK_FIRST, soap_read_find_folder, err);
}

int ews_get_folder(json_t **out, const ews_ctx *ctx,
		   const soap_get_folder_args *args, errinfo *err)
{
	static const ews_call call = { "GetFolder", EWS_OP_READ, 1, NULL };
	soap_folder_ref folders[SOAP_BATCH_MAX];
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	soap_get_folder_args a = *args;
	soap_header h;
	int error;

	*out = NULL;
	error = ews__folders_for(folders, args->folders, args->nfolders, ctx,
				 "folders", err);
	if (error < 0)
		return error;
	a.folders = folders;
	ews_ctx_header(&h, ctx);
	return ews__run(out, ctx, &call, &req, soap_get_folder_request(&req, &h, &a, err),
			EWS_CHECK_ALL_FAILED, soap_read_folders, err);
}

/* Posts a folder write and forgets cached paths, whatever the outcome. */
static int folder_write(json_t **out, const ews_ctx *ctx,
			const ews_call *call, buf *req, int built,
			ews_reader_fn read, errinfo *err)
{
	int error = ews__run(out, ctx, call, req, built, EWS_CHECK_ALL_FAILED,
			     read, err);

	ews_mailbox__folders_clear(ctx->mailbox);
	return error;
}

int ews_create_folder(json_t **out, const ews_ctx *ctx,
		      const soap_create_folder_args *args, errinfo *err)
{
	static const ews_call call = { "CreateFolder", EWS_OP_WRITE, 1,
		"list the parent folder before creating it again" };
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	soap_create_folder_args a = *args;
	soap_header h;

	*out = NULL;
	a.parent = ews__folder_for(&args->parent, ctx);
	ews_ctx_header(&h, ctx);
	return folder_write(out, ctx, &call, &req, soap_create_folder_request(&req, &h, &a, err),
			    soap_read_folders, err);
}

int ews_delete_folder(json_t **out, const ews_ctx *ctx,
		      const soap_delete_folder_args *args, errinfo *err)
{
	static const ews_call call = { "DeleteFolder", EWS_OP_WRITE, 1,
		"list the folders before deleting again" };
	soap_folder_ref folders[SOAP_BATCH_MAX];
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	soap_delete_folder_args a = *args;
	soap_header h;
	int error;

	*out = NULL;
	error = ews__folders_for(folders, args->folders, args->nfolders, ctx,
				 "folders", err);
	if (error < 0)
		return error;
	a.folders = folders;
	ews_ctx_header(&h, ctx);
	return folder_write(out, ctx, &call, &req, soap_delete_folder_request(&req, &h, &a, err),
			    soap_read_folders, err);
}

int ews_update_folder(json_t **out, const ews_ctx *ctx,
		      const soap_update_folder_args *args, errinfo *err)
{
	static const ews_call call = { "UpdateFolder", EWS_OP_WRITE, 1,
		"get the folder to see whether it was renamed" };
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	soap_update_folder_args a = *args;
	soap_header h;

	*out = NULL;
	a.folder = ews__folder_for(&args->folder, ctx);
	ews_ctx_header(&h, ctx);
	return folder_write(out, ctx, &call, &req, soap_update_folder_request(&req, &h, &a, err),
			    soap_read_folders, err);
}

int ews_move_folder(json_t **out, const ews_ctx *ctx,
		    const soap_move_folder_args *args, errinfo *err)
{
	static const ews_call call = { "MoveFolder", EWS_OP_WRITE, 1,
		"list the destination folder before moving again" };
	soap_folder_ref folders[SOAP_BATCH_MAX];
	buf req = BUF_INIT(SOAP_REQUEST_MAX);
	soap_move_folder_args a = *args;
	soap_header h;
	int error;

	*out = NULL;
	error = ews__folders_for(folders, args->folders, args->nfolders, ctx,
				 "folders", err);
	if (error < 0)
		return error;
	a.folders = folders;
	a.to_folder = ews__folder_for(&args->to_folder, ctx);
	ews_ctx_header(&h, ctx);
	return folder_write(out, ctx, &call, &req, soap_move_folder_request(&req, &h, &a, err),
			    soap_read_folders, err);
}
