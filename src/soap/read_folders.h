/* read_folders.h - folder payloads of EWS responses as JSON.
 *
 * Folder object: folder_id, change_key, parent_folder_id, display_name,
 * folder_class, folder_type ("folder", "calendar_folder",
 * "contacts_folder", "tasks_folder", "search_folder"), total_count,
 * unread_count, child_folder_count (present when returned).
 */
#ifndef INCLUDE_soap_read_folders_h__
#define INCLUDE_soap_read_folders_h__

#include <jansson.h>
#include <libxml/tree.h>

#include "core/errinfo.h"
#include "soap/reader.h"

/** One folder element to JSON. @return 0 or ERR_NOMEM. */
int soap_folder_to_json(json_t **out, const xmlNode *folder, errinfo *err);

/**
 * FindFolder: {"folders": [...], "total_items_in_view": n,
 * "includes_last_item_in_range": bool, "indexed_paging_offset": n}.
 * @return 0; ERR_PROTOCOL for an Error message or a foreign response.
 */
int soap_read_find_folder(json_t **out, const soap_response *r, errinfo *err);

/**
 * GetFolder, CreateFolder, UpdateFolder, MoveFolder, CopyFolder,
 * DeleteFolder: one object per response message, in order - the folder
 * object ({} when none is carried) or {"error": {...}} (read_items.h).
 * @return 0, ERR_PROTOCOL (fault / no messages), ERR_NOMEM.
 */
int soap_read_folders(json_t **out, const soap_response *r, errinfo *err);

#endif
