/* read_items.h - item payloads of EWS responses as JSON.
 *
 * JSON keys are snake_case; times are passed through as Exchange returned
 * them (ISO 8601); absent properties are absent keys (never null), so a
 * tool can tell "not returned" from "empty".
 *
 * Item object (keys present when the response has the property):
 *   item_id, change_key, item_type ("message", "calendar_item", "contact",
 *   "task", "meeting_request", "meeting_response", "meeting_cancellation",
 *   "item" ...), item_class, parent_folder_id, subject, from {name,email},
 *   sender {name,email}, to / cc / bcc / reply_to [{name,email}],
 *   received, sent, created, last_modified, is_read, is_draft,
 *   has_attachments, importance, sensitivity, preview, body, body_type,
 *   attachments [{attachment_id, name, content_type, size, is_inline,
 *   content_id, last_modified, kind ("file"|"item"|"reference")}],
 *   categories [..], conversation_id, conversation_topic,
 *   internet_message_id, display_to, display_cc, size, reminder_is_set,
 *   reminder_minutes;
 *   meeting messages: meeting_request_type, response_type,
 *   associated_calendar_item_id (plus the calendar keys below);
 *   calendar: start, end, location, is_all_day, organizer {name,email},
 *   required_attendees / optional_attendees / resources
 *   [{email, name, response, last_response_time?}], my_response_type, is_meeting,
 *   is_cancelled, is_recurring, legacy_free_busy, calendar_item_type;
 *   contact: display_name, given_name, middle_name, surname, nickname,
 *   file_as, company_name, job_title, department, office_location,
 *   email_addresses [{key, email}], phone_numbers [{key, number}];
 *   task: due_date, start_date, complete_date, status, percent_complete,
 *   is_complete.
 *
 * Batch shape (GetItem, CreateItem, UpdateItem, MoveItem, CopyItem,
 * SendItem, DeleteItem): a JSON array with one object per response
 * message, in request order. A successful message gives the item object
 * (the first item the message carries; {} when it carries none, e.g. a
 * CreateItem that sent a message, a DeleteItem); an error gives
 * {"error": {"response_class", "response_code", "message_text"}}.
 */
#ifndef INCLUDE_soap_read_items_h__
#define INCLUDE_soap_read_items_h__

#include <jansson.h>
#include <libxml/tree.h>

#include "core/errinfo.h"
#include "soap/reader.h"

/**
 * Converts one item element (t:Message, t:CalendarItem, t:Contact,
 * t:Task, t:MeetingRequest ...) to a JSON object.
 * @param[out] out new object (caller json_decref()s); NULL on failure.
 * @return 0 or ERR_NOMEM.
 */
int soap_item_to_json(json_t **out, const xmlNode *item, errinfo *err);

/**
 * FindItem: {"items": [...], "total_items_in_view": n,
 * "includes_last_item_in_range": bool, "indexed_paging_offset": n (when
 * sent)} from the first response message.
 * @return 0; ERR_PROTOCOL if the message is an Error (err carries its
 *         code: check messages first) or the response is not FindItem's;
 *         ERR_NOMEM.
 */
int soap_read_find_item(json_t **out, const soap_response *r, errinfo *err);

/**
 * The batch shape described above, for any of the item operations.
 * @return 0, ERR_PROTOCOL (a fault, or no response messages), ERR_NOMEM.
 */
int soap_read_items(json_t **out, const soap_response *r, errinfo *err);

/** Convenience: the JSON error object of a message ({"response_class",
 *  "response_code", "message_text"}); NULL on allocation failure. */
json_t *soap_msg_error_json(const soap_msg *m);

#endif
