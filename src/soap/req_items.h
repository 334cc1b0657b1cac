/* req_items.h - request builders for the item operations.
 *
 * FindItem, GetItem, CreateItem (messages, calendar items, contacts,
 * tasks, and the response objects ReplyToItem / ReplyAllToItem /
 * ForwardItem / AcceptItem / TentativelyAcceptItem / DeclineItem),
 * UpdateItem, DeleteItem, MoveItem, CopyItem and SendItem.
 *
 * Every builder has the shape
 *     int soap_<op>_request(buf *out, const soap_header *h,
 *                           const soap_<op>_args *a, errinfo *err);
 * It appends one complete SOAP envelope to out (normally empty) and
 * returns 0, or ERR_INVAL with err naming the bad field (out is then
 * restored to its previous length) or ERR_NOMEM when out's cap is passed.
 * h may be NULL (Exchange2016, no impersonation, no time zone). All
 * pointers in the args are borrowed. Element order follows the schema
 * (ews-protocol.md section 5); the unit tests validate every builder's
 * output against Microsoft's XSDs.
 */
#ifndef INCLUDE_soap_req_items_h__
#define INCLUDE_soap_req_items_h__

#include "core/buf.h"
#include "core/errinfo.h"
#include "soap/envelope.h"
#include "soap/item_write.h"
#include "soap/types.h"

/* ---- FindItem ---------------------------------------------------------- */

typedef enum soap_item_view {
	SOAP_VIEW_INDEXED = 0,   /* IndexedPageItemView: max_entries + offset */
	SOAP_VIEW_FRACTIONAL,    /* FractionalPageItemView */
	SOAP_VIEW_CALENDAR       /* CalendarView: start/end, expands series */
} soap_item_view;

/* traversal: "Shallow" | "SoftDeleted" | "Associated"; NULL = "Shallow".
 * max_entries: page size (> 0; required for the paged views, optional for
 *   CalendarView where 0 leaves MaxEntriesReturned out).
 * offset / from_end: IndexedPageItemView Offset (>= 0) and BasePoint
 *   (Beginning, or End when from_end).
 * numerator / denominator: FractionalPageItemView position (0 <= n <= d,
 *   d > 0).
 * cal_start / cal_end: CalendarView StartDate/EndDate (xs:dateTime,
 *   end >= start). EWS allows neither a restriction nor a sort order with
 *   a CalendarView; both are refused here with ERR_INVAL.
 * folders: ParentFolderIds, 1..SOAP_BATCH_MAX entries.
 * query_string: AQS search (m:QueryString, Exchange 2013+); NULL = none. */
typedef struct soap_find_item_args {
	const char *traversal;
	soap_shape shape;
	soap_item_view view;
	int max_entries;
	int offset;
	int from_end;
	int numerator;
	int denominator;
	const char *cal_start;
	const char *cal_end;
	const soap_restriction *restriction;
	const soap_sort *sort;
	size_t nsort;
	const soap_folder_ref *folders;
	size_t nfolders;
	const char *query_string;
} soap_find_item_args;

int soap_find_item_request(buf *out, const soap_header *h,
			   const soap_find_item_args *a, errinfo *err);

/* ---- GetItem ----------------------------------------------------------- */

/* ids: 1..SOAP_BATCH_MAX items; one response message per id, in order. */
typedef struct soap_get_item_args {
	soap_shape shape;
	const soap_item_ref *ids;
	size_t nids;
} soap_get_item_args;

int soap_get_item_request(buf *out, const soap_header *h,
			  const soap_get_item_args *a, errinfo *err);

/* ---- CreateItem -------------------------------------------------------- */

/* disposition: "SaveOnly" | "SendOnly" | "SendAndSaveCopy" (required).
 * saved_folder: SavedItemFolderId (Drafts for SaveOnly, Sent Items for
 *   SendAndSaveCopy; for delegates the principal's folder); NULL = none.
 *   SendOnly with a saved_folder is refused (EWS ignores or rejects it). */
typedef struct soap_create_message_args {
	const char *disposition;
	const soap_folder_ref *saved_folder;
	const soap_message *message;
} soap_create_message_args;

int soap_create_message_request(buf *out, const soap_header *h,
				const soap_create_message_args *a,
				errinfo *err);

/* send_invitations: "SendToNone" | "SendOnlyToAll" |
 *   "SendToAllAndSaveCopy"; NULL = "SendToNone".
 * saved_folder: the calendar to create in (a principal's calendar for
 *   delegates; without it the item lands in the caller's own calendar). */
typedef struct soap_create_calendar_args {
	const char *send_invitations;
	const soap_folder_ref *saved_folder;
	const soap_calendar_item *item;
} soap_create_calendar_args;

int soap_create_calendar_request(buf *out, const soap_header *h,
				 const soap_create_calendar_args *a,
				 errinfo *err);

/* saved_folder: the contacts folder; NULL = the caller's default. */
typedef struct soap_create_contact_args {
	const soap_folder_ref *saved_folder;
	const soap_contact *contact;
} soap_create_contact_args;

int soap_create_contact_request(buf *out, const soap_header *h,
				const soap_create_contact_args *a,
				errinfo *err);

/* saved_folder: the tasks folder; NULL = the caller's default. */
typedef struct soap_create_task_args {
	const soap_folder_ref *saved_folder;
	const soap_task *task;
} soap_create_task_args;

int soap_create_task_request(buf *out, const soap_header *h,
			     const soap_create_task_args *a, errinfo *err);

/* ---- Response objects (CreateItem with a reply/forward/meeting answer) -- */

typedef enum soap_response_kind {
	SOAP_REPLY = 0,          /* t:ReplyToItem */
	SOAP_REPLY_ALL,          /* t:ReplyAllToItem */
	SOAP_FORWARD,            /* t:ForwardItem (needs to) */
	SOAP_ACCEPT,             /* t:AcceptItem */
	SOAP_TENTATIVE,          /* t:TentativelyAcceptItem */
	SOAP_DECLINE             /* t:DeclineItem */
} soap_response_kind;

/* reference: the original message / meeting request (Id + ChangeKey).
 * disposition: "SaveOnly" | "SendOnly" | "SendAndSaveCopy";
 *   NULL = "SendAndSaveCopy".
 * saved_folder: where the sent copy goes (principal's sentitems for a
 *   delegate); NULL = none.
 * body / body_type: for replies and forwards the text is NewBodyContent,
 *   placed above the quoted original; for meeting answers it is the
 *   response's Body. NULL body = none. body_type NULL = "Text".
 * to/cc/bcc: extra recipients (ForwardItem requires at least one to).
 * from: principal for delegate sends; NULL = none. */
typedef struct soap_respond_args {
	soap_response_kind kind;
	soap_item_ref reference;
	const char *disposition;
	const soap_folder_ref *saved_folder;
	const char *body;
	const char *body_type;
	const soap_mailbox *to;
	size_t nto;
	const soap_mailbox *cc;
	size_t ncc;
	const soap_mailbox *bcc;
	size_t nbcc;
	const soap_mailbox *from;
} soap_respond_args;

int soap_respond_request(buf *out, const soap_header *h,
			 const soap_respond_args *a, errinfo *err);

/* ---- UpdateItem -------------------------------------------------------- */

typedef enum soap_update_op {
	SOAP_UPDATE_SET = 0,     /* t:SetItemField */
	SOAP_UPDATE_APPEND,      /* t:AppendToItemField (e.g. item:Body) */
	SOAP_UPDATE_DELETE       /* t:DeleteItemField */
} soap_update_op;

/* One property change. field is the FieldURI ("item:Subject",
 * "message:IsRead", "calendar:Start", "item:Categories",
 * "calendar:RequiredAttendees" ...); field_index makes it an
 * IndexedFieldURI ("contacts:EmailAddress" + "EmailAddress1",
 * "contacts:PhoneNumber" + "MobilePhone"). The new value (unused for
 * DELETE) is taken from the member that fits the property:
 *   value        - plain text/boolean/number/dateTime properties, and
 *                  indexed entries;
 *   value + body_type - item:Body ("HTML" | "Text", NULL = "Text");
 *   strings      - item:Categories;
 *   mailboxes    - message:ToRecipients/CcRecipients/BccRecipients/ReplyTo,
 *                  message:From, calendar:RequiredAttendees/
 *                  OptionalAttendees/Resources.
 * The property element is named after the FieldURI's local part and
 * wrapped in the change's item_type element. */
typedef struct soap_field_change {
	soap_update_op op;
	const char *field;
	const char *field_index;
	const char *value;
	const char *body_type;
	const char *const *strings;
	size_t nstrings;
	const soap_mailbox *mailboxes;
	size_t nmailboxes;
} soap_field_change;

/* item_type: "Message" | "CalendarItem" | "Contact" | "Task" | "Item";
 * NULL = derived from the first field's prefix (message: -> Message,
 * calendar: -> CalendarItem, contacts: -> Contact, task: -> Task, else
 * Item). EWS wants the wrapper to match the item's real type. */
typedef struct soap_item_change {
	soap_item_ref item;
	const char *item_type;
	const soap_field_change *fields;
	size_t nfields;
} soap_item_change;

/* conflict_resolution: "NeverOverwrite" | "AutoResolve" |
 *   "AlwaysOverwrite"; NULL = "AutoResolve".
 * disposition: MessageDisposition (required by EWS for messages);
 *   NULL = not sent.
 * send_invitations_or_cancellations: for calendar items ("SendToNone" |
 *   "SendOnlyToAll" | "SendOnlyToChanged" | "SendToAllAndSaveCopy" |
 *   "SendToChangedAndSaveCopy"); NULL = not sent.
 * saved_folder: SavedItemFolderId; NULL = none.
 * changes: 1..SOAP_BATCH_MAX items, each with >= 1 field change. */
typedef struct soap_update_item_args {
	const char *conflict_resolution;
	const char *disposition;
	const char *send_invitations_or_cancellations;
	const soap_folder_ref *saved_folder;
	const soap_item_change *changes;
	size_t nchanges;
} soap_update_item_args;

int soap_update_item_request(buf *out, const soap_header *h,
			     const soap_update_item_args *a, errinfo *err);

/* ---- DeleteItem / MoveItem / CopyItem / SendItem ----------------------- */

/* delete_type: "HardDelete" | "SoftDelete" | "MoveToDeletedItems";
 *   NULL = "MoveToDeletedItems".
 * send_meeting_cancellations: "SendToNone" | "SendOnlyToAll" |
 *   "SendToAllAndSaveCopy"; NULL = "SendToNone" (required by EWS for
 *   calendar items, harmless otherwise).
 * affected_task_occurrences: "AllOccurrences" | "SpecifiedOccurrenceOnly";
 *   NULL = "AllOccurrences" (same reasoning, for tasks). */
typedef struct soap_delete_item_args {
	const char *delete_type;
	const char *send_meeting_cancellations;
	const char *affected_task_occurrences;
	const soap_item_ref *ids;
	size_t nids;
} soap_delete_item_args;

int soap_delete_item_request(buf *out, const soap_header *h,
			     const soap_delete_item_args *a, errinfo *err);

/* Shared by MoveItem and CopyItem. return_new_ids: ReturnNewItemIds
 * (Exchange 2010 SP1+); SOAP_UNSET = not sent. */
typedef struct soap_move_item_args {
	soap_folder_ref to_folder;
	const soap_item_ref *ids;
	size_t nids;
	soap_tristate return_new_ids;
} soap_move_item_args;

int soap_move_item_request(buf *out, const soap_header *h,
			   const soap_move_item_args *a, errinfo *err);
int soap_copy_item_request(buf *out, const soap_header *h,
			   const soap_move_item_args *a, errinfo *err);

/* save_copy: SaveItemToFolder (required attribute).
 * saved_folder: where the copy goes when save_copy (the principal's
 *   sentitems for delegates); NULL = the caller's Sent Items. Refused
 *   when save_copy is 0. ids need their current ChangeKey. */
typedef struct soap_send_item_args {
	int save_copy;
	const soap_folder_ref *saved_folder;
	const soap_item_ref *ids;
	size_t nids;
} soap_send_item_args;

int soap_send_item_request(buf *out, const soap_header *h,
			   const soap_send_item_args *a, errinfo *err);

#endif
