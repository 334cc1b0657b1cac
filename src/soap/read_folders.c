/* read_folders.c - folders of EWS responses as JSON (see read_folders.h). */
#include "soap/read_folders.h"

#include <string.h>

#include "soap/read_items.h"
#include "soap/read_util.h"

static const struct {
	const char *elem;
	const char *type;
} folder_types[] = {
	{ "Folder", "folder" }, { "CalendarFolder", "calendar_folder" },
	{ "ContactsFolder", "contacts_folder" }, { "TasksFolder", "tasks_folder" },
	{ "SearchFolder", "search_folder" },
};

int soap_folder_to_json(json_t **out, const xmlNode *folder, errinfo *err)
{
	json_t *o = json_object();
	const char *type = "folder";
	xmlNode *id = soap__child(folder, "FolderId");
	size_t i;

	*out = NULL;
	if (!o)
		return errinfo_set(err, ERR_NOMEM, "out of memory reading a folder");
	for (i = 0; i < sizeof(folder_types) / sizeof(folder_types[0]); i++)
		if (soap__is(folder, folder_types[i].elem))
			type = folder_types[i].type;
	if (json_object_set_new(o, "folder_type", json_string(type)) < 0 ||
	    soap__set_attr_text(o, "folder_id", id, "Id") < 0 ||
	    soap__set_attr_text(o, "change_key", id, "ChangeKey") < 0 ||
	    soap__set_attr_text(o, "parent_folder_id", soap__child(folder, "ParentFolderId"), "Id") < 0 ||
	    soap__set_child_text(o, "folder_class", folder, "FolderClass") < 0 ||
	    soap__set_child_text(o, "display_name", folder, "DisplayName") < 0 ||
	    soap__set_child_int(o, "total_count", folder, "TotalCount") < 0 ||
	    soap__set_child_int(o, "child_folder_count", folder, "ChildFolderCount") < 0 ||
	    soap__set_child_int(o, "unread_count", folder, "UnreadCount") < 0) {
		json_decref(o);
		return errinfo_set(err, ERR_NOMEM, "out of memory reading a folder");
	}
	*out = o;
	return 0;
}

int soap_read_find_folder(json_t **out, const soap_response *r, errinfo *err)
{
	const soap_msg *m;
	json_t *res = NULL, *folders = NULL, *f;
	xmlNode *root, *c;
	int error;

	*out = NULL;
	if ((error = soap__first_ok(&m, r, "FindFolder", err)) < 0)
		return error;
	root = soap__child(m->node, "RootFolder");
	if (!root)
		return errinfo_set(err, ERR_PROTOCOL, "FindFolder: the response has no RootFolder");
	res = json_object();
	folders = json_array();
	if (!res || !folders)
		goto nomem;
	for (c = soap__first_elem(soap__child(root, "Folders")); c; c = soap__next_elem(c)) {
		if ((error = soap_folder_to_json(&f, c, err)) < 0)
			goto cleanup;
		if (soap__append(folders, f) < 0)
			goto nomem;
	}
	error = json_object_set_new(res, "folders", folders);
	folders = NULL;
	if (error < 0 ||
	    soap__set_attr_int(res, "total_items_in_view", root, "TotalItemsInView") < 0 ||
	    soap__set_attr_bool(res, "includes_last_item_in_range", root,
				"IncludesLastItemInRange") < 0 ||
	    soap__set_attr_int(res, "indexed_paging_offset", root, "IndexedPagingOffset") < 0)
		goto nomem;
	*out = res;
	return 0;
nomem:
	error = errinfo_set(err, ERR_NOMEM, "out of memory reading FindFolder");
cleanup:
	json_decref(folders);
	json_decref(res);
	return error;
}

int soap_read_folders(json_t **out, const soap_response *r, errinfo *err)
{
	return soap__read_batch(out, r, "Folders", soap_folder_to_json, "folders", err);
}
