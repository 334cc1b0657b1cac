/* req_folders.h - request builders for the folder operations.
 *
 * FindFolder, GetFolder, CreateFolder, DeleteFolder, UpdateFolder and
 * MoveFolder. Same contract as req_items.h: append one envelope to out,
 * 0 or ERR_INVAL (field named, out restored) / ERR_NOMEM; h may be NULL.
 */
#ifndef INCLUDE_soap_req_folders_h__
#define INCLUDE_soap_req_folders_h__

#include "core/buf.h"
#include "core/errinfo.h"
#include "soap/envelope.h"
#include "soap/types.h"

/* traversal: "Shallow" | "Deep" | "SoftDeleted"; NULL = "Shallow".
 * shape: folder shape (body_type/include_mime must be unset); fields such
 *   as "folder:DisplayName", "folder:TotalCount", "folder:UnreadCount",
 *   "folder:ChildFolderCount", "folder:FolderClass".
 * max_entries: > 0 adds IndexedPageFolderView with offset (>= 0);
 *   0 = no view (everything in one answer).
 * restriction: optional filter (e.g. folder:DisplayName contains).
 * parents: ParentFolderIds, 1..SOAP_BATCH_MAX. */
typedef struct soap_find_folder_args {
	const char *traversal;
	soap_shape shape;
	int max_entries;
	int offset;
	const soap_restriction *restriction;
	const soap_folder_ref *parents;
	size_t nparents;
} soap_find_folder_args;

int soap_find_folder_request(buf *out, const soap_header *h,
			     const soap_find_folder_args *a, errinfo *err);

/* folders: 1..SOAP_BATCH_MAX; one response message per folder. */
typedef struct soap_get_folder_args {
	soap_shape shape;
	const soap_folder_ref *folders;
	size_t nfolders;
} soap_get_folder_args;

int soap_get_folder_request(buf *out, const soap_header *h,
			    const soap_get_folder_args *a, errinfo *err);

/* display_name is required (non-empty). folder_class: "IPF.Note" (mail),
 * "IPF.Appointment", "IPF.Contact", "IPF.Task", ...; NULL = not sent
 * (Exchange then makes a mail folder). */
typedef struct soap_create_folder_args {
	soap_folder_ref parent;
	const char *display_name;
	const char *folder_class;
} soap_create_folder_args;

int soap_create_folder_request(buf *out, const soap_header *h,
			       const soap_create_folder_args *a, errinfo *err);

/* delete_type as for DeleteItem; NULL = "MoveToDeletedItems". */
typedef struct soap_delete_folder_args {
	const char *delete_type;
	const soap_folder_ref *folders;
	size_t nfolders;
} soap_delete_folder_args;

int soap_delete_folder_request(buf *out, const soap_header *h,
			       const soap_delete_folder_args *a, errinfo *err);

/* Renames one folder (SetFolderField folder:DisplayName). */
typedef struct soap_update_folder_args {
	soap_folder_ref folder;
	const char *display_name;
} soap_update_folder_args;

int soap_update_folder_request(buf *out, const soap_header *h,
			       const soap_update_folder_args *a, errinfo *err);

typedef struct soap_move_folder_args {
	soap_folder_ref to_folder;
	const soap_folder_ref *folders;
	size_t nfolders;
} soap_move_folder_args;

int soap_move_folder_request(buf *out, const soap_header *h,
			     const soap_move_folder_args *a, errinfo *err);

#endif
