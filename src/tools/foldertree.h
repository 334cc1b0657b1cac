/* foldertree.h - a folder tree from one flat FindFolder answer.
 *
 * list_folders asks Exchange once for every folder below a parent (a Deep
 * FindFolder carrying each folder's ParentFolderId) and builds the tree
 * here: children under their parent, down to the depth asked for, with
 * the folders Outlook does not show left out unless asked for. Pure
 * functions over the soap reader's folder objects (read_folders.h),
 * unit-tested in tests/unit/tools/test_foldertree.c.
 */
#ifndef INCLUDE_tools_foldertree_h__
#define INCLUDE_tools_foldertree_h__

#include <jansson.h>
#include <stddef.h>

typedef struct tools_foldertree_opts {
	int depth;            /* levels below the root to include (>= 1) */
	int include_hidden;   /* keep system and non-user folders */
	int include_counts;   /* total_count / unread_count in each node */
} tools_foldertree_opts;

/* Non-zero for a folder a mail user does not see: a class other than
 * IPF.Note, IPF.Appointment, IPF.Contact or IPF.Task (a missing class
 * counts as a plain folder), or one of Exchange's system folders (Sync
 * Issues, Yammer Root, ExternalContacts, PersonMetadata, Social Activity
 * Notifications, Recoverable Items, and the {GUID}-named ones). */
int tools_foldertree_hidden(const json_t *folder);

/* Builds the tree below root (a folder object; its own fields become the
 * top node) from folders, a flat array of folder objects in any order.
 * A folder whose parent is root, or whose parent is not in the array, is
 * a child of root; others go under their parent. Hidden folders are left
 * out with everything below them. Node: {folder_id, name, folder_class,
 * child_folder_count, total_count?, unread_count?, children: [...]}.
 * *out is a new object (caller decrefs), *count the folders placed below
 * root. 0, or -1 when out of memory. */
int tools_foldertree_build(json_t **out, size_t *count, const json_t *root,
			   const json_t *folders, const tools_foldertree_opts *opts);

#endif
