/* req_folders.c - FindFolder, GetFolder, CreateFolder, DeleteFolder,
 * UpdateFolder and MoveFolder request builders (see req_folders.h; wire
 * shapes in ews-protocol.md section 5.10). */
#include "soap/req_folders.h"

#include "soap/ids.h"
#include "soap/internal.h"
#include "soap/query.h"

#define FOLDER_PAGE_MAX 1000

static const char *const folder_traversals[] = { "Shallow", "Deep", "SoftDeleted", NULL };

int soap_find_folder_request(buf *out, const soap_header *h,
			     const soap_find_folder_args *a, errinfo *err)
{
	const char *traversal;
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "FindFolder: arguments are required");
	traversal = a->traversal ? a->traversal : "Shallow";
	if ((error = soap__enum(traversal, folder_traversals, "traversal", err)) < 0)
		return error;
	if (a->max_entries < 0 || a->max_entries > FOLDER_PAGE_MAX)
		return errinfo_set(err, ERR_INVAL, "max_entries: must be between 1 and %d, got %d",
				   FOLDER_PAGE_MAX, a->max_entries);
	if (a->offset < 0)
		return errinfo_set(err, ERR_INVAL, "offset: must not be negative, got %d", a->offset);
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_printf(out, "<m:FindFolder Traversal=\"%s\">", traversal);
	if ((error = soap_put_shape(out, "m:FolderShape", &a->shape, 0, err)) < 0)
		goto cleanup;
	if (a->max_entries > 0)
		buf_printf(out, "<m:IndexedPageFolderView MaxEntriesReturned=\"%d\" Offset=\"%d\" BasePoint=\"Beginning\"/>",
			   a->max_entries, a->offset);
	if ((error = soap_put_restriction(out, a->restriction, err)) < 0 ||
	    (error = soap__folder_list(out, "m:ParentFolderIds", a->parents, a->nparents,
				       "parent_folders", err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:FindFolder>");
cleanup:
	return soap__request_finish(out, mark, error, "FindFolder", err);
}

int soap_get_folder_request(buf *out, const soap_header *h,
			    const soap_get_folder_args *a, errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "GetFolder: arguments are required");
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_puts(out, "<m:GetFolder>");
	if ((error = soap_put_shape(out, "m:FolderShape", &a->shape, 0, err)) < 0 ||
	    (error = soap__folder_list(out, "m:FolderIds", a->folders, a->nfolders,
				       "folders", err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:GetFolder>");
cleanup:
	return soap__request_finish(out, mark, error, "GetFolder", err);
}

int soap_create_folder_request(buf *out, const soap_header *h,
			       const soap_create_folder_args *a, errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "CreateFolder: arguments are required");
	if ((error = soap__required(a->display_name, "display_name", err)) < 0 ||
	    (a->folder_class &&
	     (error = soap__required(a->folder_class, "folder_class", err)) < 0))
		return error;
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_puts(out, "<m:CreateFolder><m:ParentFolderId>");
	if ((error = soap_put_folder_ref(out, &a->parent, "parent_folder", err)) < 0)
		goto cleanup;
	/* t:FolderType: FolderClass comes before DisplayName. */
	buf_puts(out, "</m:ParentFolderId><m:Folders><t:Folder>");
	if ((error = soap__elem(out, "t:FolderClass", a->folder_class, "folder_class", err)) < 0 ||
	    (error = soap__elem(out, "t:DisplayName", a->display_name, "display_name", err)) < 0)
		goto cleanup;
	buf_puts(out, "</t:Folder></m:Folders></m:CreateFolder>");
cleanup:
	return soap__request_finish(out, mark, error, "CreateFolder", err);
}

int soap_delete_folder_request(buf *out, const soap_header *h,
			       const soap_delete_folder_args *a, errinfo *err)
{
	const char *type;
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "DeleteFolder: arguments are required");
	type = a->delete_type ? a->delete_type : "MoveToDeletedItems";
	if ((error = soap__enum(type, soap__delete_types, "delete_type", err)) < 0)
		return error;
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_printf(out, "<m:DeleteFolder DeleteType=\"%s\">", type);
	if ((error = soap__folder_list(out, "m:FolderIds", a->folders, a->nfolders,
				       "folders", err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:DeleteFolder>");
cleanup:
	return soap__request_finish(out, mark, error, "DeleteFolder", err);
}

int soap_update_folder_request(buf *out, const soap_header *h,
			       const soap_update_folder_args *a, errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "UpdateFolder: arguments are required");
	if ((error = soap__required(a->display_name, "display_name", err)) < 0)
		return error;
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_puts(out, "<m:UpdateFolder><m:FolderChanges><t:FolderChange>");
	if ((error = soap_put_folder_ref(out, &a->folder, "folder", err)) < 0)
		goto cleanup;
	buf_puts(out, "<t:Updates><t:SetFolderField><t:FieldURI FieldURI=\"folder:DisplayName\"/><t:Folder>");
	if ((error = soap__elem(out, "t:DisplayName", a->display_name, "display_name", err)) < 0)
		goto cleanup;
	buf_puts(out, "</t:Folder></t:SetFolderField></t:Updates></t:FolderChange>"
		 "</m:FolderChanges></m:UpdateFolder>");
cleanup:
	return soap__request_finish(out, mark, error, "UpdateFolder", err);
}

int soap_move_folder_request(buf *out, const soap_header *h,
			     const soap_move_folder_args *a, errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "MoveFolder: arguments are required");
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_puts(out, "<m:MoveFolder><m:ToFolderId>");
	if ((error = soap_put_folder_ref(out, &a->to_folder, "to_folder", err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:ToFolderId>");
	if ((error = soap__folder_list(out, "m:FolderIds", a->folders, a->nfolders,
				       "folders", err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:MoveFolder>");
cleanup:
	return soap__request_finish(out, mark, error, "MoveFolder", err);
}
