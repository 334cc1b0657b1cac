/* read_other.h - the remaining EWS response payloads as JSON.
 *
 * Attachments, free/busy, out-of-office settings, name resolution, DL
 * expansion, personas, folder synchronisation, server time zones, id
 * conversion and inbox rules. Keys are snake_case; absent properties are
 * absent keys. Readers of single-answer operations return ERR_PROTOCOL
 * when the (first) message is an Error - the caller checks messages
 * first (reader.h) - except where noted; batch readers put
 * {"error": {...}} in place of a failed entry, as read_items.h does.
 */
#ifndef INCLUDE_soap_read_other_h__
#define INCLUDE_soap_read_other_h__

#include <jansson.h>

#include "core/errinfo.h"
#include "soap/reader.h"

/**
 * GetAttachment / CreateAttachment / DeleteAttachment: array, one entry
 * per message: {attachment_id, root_item_id, root_item_change_key, kind
 * ("file"|"item"|"reference"), name, content_type, content_id, size, is_inline,
 * last_modified, content (base64, GetAttachment of a file), item {...}
 * (an item attachment's item)}; DeleteAttachment gives {root_item_id,
 * root_item_change_key}.
 */
int soap_read_attachments(json_t **out, const soap_response *r, errinfo *err);

/**
 * GetUserAvailability: {"mailboxes": [one per requested mailbox, in
 * request order: {response_class, response_code, message_text?,
 * view_type?, merged_free_busy? (one digit per interval: 0 free,
 * 1 tentative, 2 busy, 3 OOF, 4 no data), events: [{start, end,
 * busy_type, id?, subject?, location?, is_meeting?, is_recurring?,
 * is_exception?, is_reminder_set?, is_private?}], working_hours?:
 * {time_zone_bias, periods: [{days, start_minutes, end_minutes}]}}],
 * "suggestions"?: [{date, day_quality, times: [{time, quality,
 * is_work_time}]}], "suggestions_error"?: {response_code, message_text}}.
 * Per-mailbox errors (ErrorMailRecipientNotFound, ErrorNoFreeBusyAccess)
 * stay per mailbox; event times are in the request's time zone, without
 * an offset, as Exchange sends them.
 */
int soap_read_availability(json_t **out, const soap_response *r,
			   errinfo *err);

/**
 * GetUserOofSettings: {state, external_audience, start?, end?,
 * internal_reply, external_reply, allow_external_oof?}.
 */
int soap_read_oof(json_t **out, const soap_response *r, errinfo *err);

/**
 * ResolveNames: {"resolutions": [{name, email, routing_type,
 * mailbox_type, item_id?, contact?: {display_name, given_name, surname,
 * company_name, job_title, department, email_addresses, phone_numbers,
 * ...}}], "multiple": bool (Warning ErrorNameResolutionMultipleResults),
 * "includes_last_item_in_range": bool}. ErrorNameResolutionNoResults is
 * not an error here: it gives an empty list.
 */
int soap_read_resolve_names(json_t **out, const soap_response *r,
			    errinfo *err);

/**
 * ExpandDL: {"members": [{name, email, routing_type, mailbox_type}],
 * "includes_last_item_in_range": bool, "total_items_in_view": n}.
 */
int soap_read_expand_dl(json_t **out, const soap_response *r, errinfo *err);

/**
 * FindPeople: {"personas": [{persona_id, persona_type, display_name,
 * given_name, surname, title, department, company_name,
 * office_location, email, email_name, emails?: [{name, email, ...}]}],
 * "total_number_of_people_in_view": n, "first_matching_row_index": n,
 * "first_loaded_row_index": n} (keys present when returned).
 */
int soap_read_find_people(json_t **out, const soap_response *r,
			  errinfo *err);

/**
 * SyncFolderItems: {"sync_state", "includes_last_item_in_range",
 * "changes": [{change: "create"|"update"|"delete"|"read_flag_change",
 * item: {...} (create/update), item_id + change_key (delete/read flag),
 * is_read (read flag)}]}. Unknown change kinds are skipped.
 */
int soap_read_sync_folder_items(json_t **out, const soap_response *r,
				errinfo *err);

/** GetServerTimeZones: {"time_zones": [{id, name}]}. */
int soap_read_server_time_zones(json_t **out, const soap_response *r,
				errinfo *err);

/** ConvertId: array per message: {id, format, mailbox} or {"error"}. */
int soap_read_convert_id(json_t **out, const soap_response *r, errinfo *err);

/**
 * GetInboxRules: {"outlook_rule_blob_exists": bool, "rules": [{rule_id,
 * display_name, priority, is_enabled, is_not_supported?, is_in_error?,
 * conditions?: {...}, exceptions?: {...}, actions?: {...}}]} where
 * conditions/actions use snake_case names of the schema elements
 * (contains_subject_strings: [..], from_addresses: [{name,email}],
 * move_to_folder: {folder_id|distinguished}, stop_processing_rules: bool,
 * ...).
 */
int soap_read_inbox_rules(json_t **out, const soap_response *r, errinfo *err);

/**
 * Ids created or returned by a write, one per message, in order: item
 * ops give {item_id, change_key}; CreateFolder/CopyFolder/MoveFolder give
 * {folder_id, change_key}; CreateAttachment gives {attachment_id,
 * root_item_id, root_item_change_key}; {} when the message carries no id
 * (a sent message); {"error": {...}} for failed entries.
 */
int soap_read_created_ids(json_t **out, const soap_response *r, errinfo *err);

#endif
