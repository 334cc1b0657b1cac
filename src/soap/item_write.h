/* item_write.h - the item element writers: t:Message, t:CalendarItem,
 * t:Contact and t:Task.
 *
 * Each writer emits the children in the order of the schema's
 * xs:sequence (ItemType part first, then the derived type's part), which
 * is where hand-written EWS XML usually goes wrong. Unset fields are left
 * out. Text goes through soap_put_text(); a value XML cannot carry fails
 * the writer with ERR_INVAL naming the field ("subject: contains a control
 * character XML cannot carry"). Used by CreateItem (req_items.h).
 */
#ifndef INCLUDE_soap_item_write_h__
#define INCLUDE_soap_item_write_h__

#include "core/buf.h"
#include "core/errinfo.h"
#include "soap/types.h"

/* A message to create (draft or send).
 * body_type: "HTML" | "Text"; NULL = "Text" (only used when body is set).
 * importance: "Low" | "Normal" | "High"; NULL = not sent.
 * from: the sender address for "send on behalf"/"send as" (delegate
 *   access); NULL = the mailbox's owner. Sender is never written (Exchange
 *   sets it). */
typedef struct soap_message {
	const char *subject;
	const char *body;
	const char *body_type;
	const soap_file_attachment *attachments;
	size_t nattachments;
	const char *const *categories;
	size_t ncategories;
	const char *importance;
	const soap_mailbox *to;
	size_t nto;
	const soap_mailbox *cc;
	size_t ncc;
	const soap_mailbox *bcc;
	size_t nbcc;
	soap_tristate read_receipt;     /* IsReadReceiptRequested */
	const soap_mailbox *from;
	soap_tristate is_read;
	const soap_mailbox *reply_to;
	size_t nreply_to;
} soap_message;

/* An appointment or meeting. start/end are xs:dateTime values (send UTC,
 * "2024-05-02T08:00:00Z"); both are required. Attendees make it a meeting
 * (CreateItem's send_invitations decides whether invitations go out).
 * legacy_free_busy: Free | Tentative | Busy | OOF | WorkingElsewhere |
 *   NoData; NULL = not sent (Exchange: Busy).
 * reminder_minutes is written only when reminder_is_set is SOAP_TRUE.
 * start_tz / end_tz: Windows zone ids for StartTimeZone/EndTimeZone
 *   (Exchange 2010+; decides how recurrences and all-day events are
 *   anchored); NULL = not sent. */
typedef struct soap_calendar_item {
	const char *subject;
	const char *body;
	const char *body_type;
	const soap_file_attachment *attachments;
	size_t nattachments;
	const char *const *categories;
	size_t ncategories;
	const char *importance;
	soap_tristate reminder_is_set;
	int reminder_minutes;
	const char *start;
	const char *end;
	soap_tristate is_all_day;
	const char *legacy_free_busy;
	const char *location;
	const soap_mailbox *required;
	size_t nrequired;
	const soap_mailbox *optional;
	size_t noptional;
	const soap_mailbox *resources;
	size_t nresources;
	const char *start_tz;
	const char *end_tz;
} soap_calendar_item;

/* One phone number: key is a t:PhoneNumberKeyType value (BusinessPhone,
 * HomePhone, MobilePhone, BusinessFax, ...). */
typedef struct soap_phone {
	const char *key;
	const char *number;
} soap_phone;

/* A contact. emails[i] becomes Entry Key="EmailAddress<i+1>" (at most 3).
 * body holds notes (Text). At least one of display_name, given_name,
 * surname, file_as, company_name or an email must be set. */
typedef struct soap_contact {
	const char *body;
	const char *const *categories;
	size_t ncategories;
	const char *file_as;
	const char *display_name;
	const char *given_name;
	const char *middle_name;
	const char *nickname;
	const char *company_name;
	const char *const *emails;
	size_t nemails;
	const soap_phone *phones;
	size_t nphones;
	const char *department;
	const char *job_title;
	const char *office_location;
	const char *surname;
} soap_contact;

/* A task. due_date/start_date are xs:dateTime. status: NotStarted |
 * InProgress | Completed | WaitingOnOthers | Deferred; NULL = not sent.
 * percent_complete (0..100) is written when has_percent_complete. */
typedef struct soap_task {
	const char *subject;
	const char *body;
	const char *body_type;
	const char *const *categories;
	size_t ncategories;
	const char *importance;
	const char *due_date;
	int has_percent_complete;
	double percent_complete;
	const char *start_date;
	const char *status;
} soap_task;

/** Appends t:Message for m. @return 0 or ERR_INVAL naming the field. */
int soap_put_message(buf *b, const soap_message *m, errinfo *err);

/** Appends t:CalendarItem for c. @return 0 or ERR_INVAL naming the field
 *  (also: end before start, missing start/end, bad dateTime). */
int soap_put_calendar_item(buf *b, const soap_calendar_item *c, errinfo *err);

/** Appends t:Contact for c. @return 0 or ERR_INVAL naming the field. */
int soap_put_contact(buf *b, const soap_contact *c, errinfo *err);

/** Appends t:Task for t. @return 0 or ERR_INVAL naming the field. */
int soap_put_task(buf *b, const soap_task *t, errinfo *err);

/**
 * Appends one t:FileAttachment (Name, ContentType, ContentId, IsInline,
 * Content as base64). field names it in errors ("attachments[0]").
 * @return 0 or ERR_INVAL (missing name, bad text).
 */
int soap_put_file_attachment(buf *b, const soap_file_attachment *a,
			     const char *field, errinfo *err);

#endif
