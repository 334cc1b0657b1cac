/* read_items.c - items of EWS responses as JSON (see read_items.h).
 *
 * One table maps the simple properties of all item types (ItemType,
 * MessageType, CalendarItemType, ContactItemType, TaskType and the
 * meeting message types) to JSON keys; element names do not clash across
 * those types, so the table applies to any item element. Structured
 * properties (ids, mailboxes, attendees, attachments, dictionaries) have
 * their own small readers below. */
#include "soap/read_items.h"

#include <stdlib.h>
#include <string.h>

#include "soap/read_util.h"

typedef enum { K_TEXT, K_BOOL, K_INT, K_REAL } kind;

static const struct {
	const char *elem;
	const char *key;
	kind k;
} simple[] = {
	{ "ItemClass", "item_class", K_TEXT },
	{ "Subject", "subject", K_TEXT },
	{ "Sensitivity", "sensitivity", K_TEXT },
	{ "DateTimeReceived", "received", K_TEXT },
	{ "Size", "size", K_INT },
	{ "Importance", "importance", K_TEXT },
	{ "IsDraft", "is_draft", K_BOOL },
	{ "DateTimeSent", "sent", K_TEXT },
	{ "DateTimeCreated", "created", K_TEXT },
	{ "ReminderIsSet", "reminder_is_set", K_BOOL },
	{ "ReminderMinutesBeforeStart", "reminder_minutes", K_INT },
	{ "DisplayCc", "display_cc", K_TEXT },
	{ "DisplayTo", "display_to", K_TEXT },
	{ "HasAttachments", "has_attachments", K_BOOL },
	{ "LastModifiedTime", "last_modified", K_TEXT },
	{ "Preview", "preview", K_TEXT },
	/* message */
	{ "InternetMessageId", "internet_message_id", K_TEXT },
	{ "IsRead", "is_read", K_BOOL },
	{ "ConversationTopic", "conversation_topic", K_TEXT },
	/* calendar and meeting messages */
	{ "Start", "start", K_TEXT },
	{ "End", "end", K_TEXT },
	{ "IsAllDayEvent", "is_all_day", K_BOOL },
	{ "LegacyFreeBusyStatus", "legacy_free_busy", K_TEXT },
	{ "Location", "location", K_TEXT },
	{ "IsMeeting", "is_meeting", K_BOOL },
	{ "IsCancelled", "is_cancelled", K_BOOL },
	{ "IsRecurring", "is_recurring", K_BOOL },
	{ "CalendarItemType", "calendar_item_type", K_TEXT },
	{ "MyResponseType", "my_response_type", K_TEXT },
	{ "MeetingRequestType", "meeting_request_type", K_TEXT },
	{ "ResponseType", "response_type", K_TEXT },
	/* contact */
	{ "FileAs", "file_as", K_TEXT },
	{ "DisplayName", "display_name", K_TEXT },
	{ "GivenName", "given_name", K_TEXT },
	{ "MiddleName", "middle_name", K_TEXT },
	{ "Nickname", "nickname", K_TEXT },
	{ "CompanyName", "company_name", K_TEXT },
	{ "Department", "department", K_TEXT },
	{ "JobTitle", "job_title", K_TEXT },
	{ "OfficeLocation", "office_location", K_TEXT },
	{ "Surname", "surname", K_TEXT },
	/* task */
	{ "CompleteDate", "complete_date", K_TEXT },
	{ "DueDate", "due_date", K_TEXT },
	{ "IsComplete", "is_complete", K_BOOL },
	{ "PercentComplete", "percent_complete", K_REAL },
	{ "StartDate", "start_date", K_TEXT },
	{ "Status", "status", K_TEXT },
};

static const struct {
	const char *elem;
	const char *type;
} item_types[] = {
	{ "Message", "message" }, { "CalendarItem", "calendar_item" },
	{ "Contact", "contact" }, { "Task", "task" },
	{ "MeetingRequest", "meeting_request" }, { "MeetingResponse", "meeting_response" },
	{ "MeetingCancellation", "meeting_cancellation" },
	{ "MeetingMessage", "meeting_message" }, { "PostItem", "post_item" },
	{ "DistributionList", "distribution_list" }, { "Item", "item" },
};

static int set_real(json_t *o, const char *key, const xmlNode *n)
{
	xmlChar *s = soap__content(n);
	char *end;
	double v;
	int rc = 0;

	if (!s)
		return 0;
	v = strtod((const char *)s, &end);
	if (end != (char *)s && *end == '\0')
		rc = json_object_set_new(o, key, json_real(v)) < 0 ? -1 : 0;
	xmlFree(s);
	return rc;
}

static int set_simple(json_t *o, const xmlNode *c)
{
	size_t i;

	for (i = 0; i < sizeof(simple) / sizeof(simple[0]); i++) {
		if (strcmp((const char *)c->name, simple[i].elem) != 0)
			continue;
		switch (simple[i].k) {
		case K_TEXT: return soap__set_text(o, simple[i].key, c);
		case K_BOOL: return soap__set_child_bool(o, simple[i].key, c->parent,
							 simple[i].elem);
		case K_INT: return soap__set_child_int(o, simple[i].key, c->parent,
						       simple[i].elem);
		case K_REAL: return set_real(o, simple[i].key, c);
		}
	}
	return 0;
}

/* From/Sender/Organizer/ReceivedBy: the wrapped single t:Mailbox. */
static int set_single_mailbox(json_t *o, const char *key, const xmlNode *c)
{
	xmlNode *mb = soap__child(c, "Mailbox");

	if (!mb)
		return 0;
	return json_object_set_new(o, key, soap__mailbox_json(mb)) < 0 ? -1 : 0;
}

static int set_attendees(json_t *o, const char *key, const xmlNode *c)
{
	json_t *arr = json_array();
	xmlNode *a;

	if (!arr)
		return -1;
	for (a = soap__first_elem(c); a; a = soap__next_elem(a)) {
		json_t *p;

		if (!soap__is(a, "Attendee"))
			continue;
		p = soap__mailbox_json(soap__child(a, "Mailbox"));
		if (!p || soap__set_child_text(p, "response", a, "ResponseType") < 0 ||
		    soap__set_child_text(p, "last_response_time", a, "LastResponseTime") < 0 ||
		    soap__append(arr, p) < 0) {
			json_decref(p);
			json_decref(arr);
			return -1;
		}
	}
	return json_object_set_new(o, key, arr) < 0 ? -1 : 0;
}

/* Dictionary entries (EmailAddresses, PhoneNumbers): [{key, <valkey>}]. */
static int set_entries(json_t *o, const char *key, const char *valkey, const xmlNode *c)
{
	json_t *arr = json_array();
	xmlNode *e;

	if (!arr)
		return -1;
	for (e = soap__first_elem(c); e; e = soap__next_elem(e)) {
		json_t *p;

		if (!soap__is(e, "Entry"))
			continue;
		p = json_object();
		if (!p || soap__set_attr_text(p, "key", e, "Key") < 0 ||
		    soap__set_text(p, valkey, e) < 0 || soap__append(arr, p) < 0) {
			json_decref(p);
			json_decref(arr);
			return -1;
		}
	}
	return json_object_set_new(o, key, arr) < 0 ? -1 : 0;
}

static int set_strings(json_t *o, const char *key, const xmlNode *c)
{
	json_t *arr = json_array();
	xmlNode *s;

	if (!arr)
		return -1;
	for (s = soap__first_elem(c); s; s = soap__next_elem(s)) {
		xmlChar *t;

		if (!soap__is(s, "String"))
			continue;
		t = soap__content(s);
		if (!t || soap__append(arr, json_string((const char *)t)) < 0) {
			xmlFree(t);
			json_decref(arr);
			return -1;
		}
		xmlFree(t);
	}
	return json_object_set_new(o, key, arr) < 0 ? -1 : 0;
}

json_t *soap__attachment_json(const xmlNode *a)
{
	json_t *p = json_object();
	xmlNode *id = soap__child(a, "AttachmentId");

	if (!p)
		return NULL;
	if (json_object_set_new(p, "kind", json_string(soap__is(a, "ItemAttachment") ? "item" :
			soap__is(a, "ReferenceAttachment") ? "reference" : "file")) < 0 ||
	    soap__set_attr_text(p, "attachment_id", id, "Id") < 0 ||
	    soap__set_attr_text(p, "root_item_id", id, "RootItemId") < 0 ||
	    soap__set_attr_text(p, "root_item_change_key", id, "RootItemChangeKey") < 0 ||
	    soap__set_child_text(p, "name", a, "Name") < 0 ||
	    soap__set_child_text(p, "content_type", a, "ContentType") < 0 ||
	    soap__set_child_text(p, "content_id", a, "ContentId") < 0 ||
	    soap__set_child_int(p, "size", a, "Size") < 0 ||
	    soap__set_child_text(p, "last_modified", a, "LastModifiedTime") < 0 ||
	    soap__set_child_bool(p, "is_inline", a, "IsInline") < 0) {
		json_decref(p);
		return NULL;
	}
	return p;
}

static int set_attachments(json_t *o, const xmlNode *c)
{
	json_t *arr = json_array();
	xmlNode *a;

	if (!arr)
		return -1;
	for (a = soap__first_elem(c); a; a = soap__next_elem(a))
		if (soap__append(arr, soap__attachment_json(a)) < 0) {
			json_decref(arr);
			return -1;
		}
	return json_object_set_new(o, "attachments", arr) < 0 ? -1 : 0;
}

static int set_structured(json_t *o, const xmlNode *c)
{
	const char *n = (const char *)c->name;

	if (strcmp(n, "ItemId") == 0)
		return soap__set_attr_text(o, "item_id", c, "Id") < 0 ||
		       soap__set_attr_text(o, "change_key", c, "ChangeKey") < 0 ? -1 : 0;
	if (strcmp(n, "ParentFolderId") == 0)
		return soap__set_attr_text(o, "parent_folder_id", c, "Id");
	if (strcmp(n, "ConversationId") == 0)
		return soap__set_attr_text(o, "conversation_id", c, "Id");
	if (strcmp(n, "AssociatedCalendarItemId") == 0)
		return soap__set_attr_text(o, "associated_calendar_item_id", c, "Id");
	if (strcmp(n, "Body") == 0)
		return soap__set_text(o, "body", c) < 0 ||
		       soap__set_attr_text(o, "body_type", c, "BodyType") < 0 ? -1 : 0;
	if (strcmp(n, "Categories") == 0)
		return set_strings(o, "categories", c);
	if (strcmp(n, "Attachments") == 0)
		return set_attachments(o, c);
	if (strcmp(n, "From") == 0)
		return set_single_mailbox(o, "from", c);
	if (strcmp(n, "Sender") == 0)
		return set_single_mailbox(o, "sender", c);
	if (strcmp(n, "Organizer") == 0)
		return set_single_mailbox(o, "organizer", c);
	if (strcmp(n, "ToRecipients") == 0)
		return json_object_set_new(o, "to", soap__mailbox_list_json(c)) < 0 ? -1 : 0;
	if (strcmp(n, "CcRecipients") == 0)
		return json_object_set_new(o, "cc", soap__mailbox_list_json(c)) < 0 ? -1 : 0;
	if (strcmp(n, "BccRecipients") == 0)
		return json_object_set_new(o, "bcc", soap__mailbox_list_json(c)) < 0 ? -1 : 0;
	if (strcmp(n, "ReplyTo") == 0)
		return json_object_set_new(o, "reply_to", soap__mailbox_list_json(c)) < 0 ? -1 : 0;
	if (strcmp(n, "RequiredAttendees") == 0)
		return set_attendees(o, "required_attendees", c);
	if (strcmp(n, "OptionalAttendees") == 0)
		return set_attendees(o, "optional_attendees", c);
	if (strcmp(n, "Resources") == 0)
		return set_attendees(o, "resources", c);
	if (strcmp(n, "EmailAddresses") == 0)
		return set_entries(o, "email_addresses", "email", c);
	if (strcmp(n, "PhoneNumbers") == 0)
		return set_entries(o, "phone_numbers", "number", c);
	return set_simple(o, c);
}

int soap_item_to_json(json_t **out, const xmlNode *item, errinfo *err)
{
	json_t *o = json_object();
	const char *type = NULL;
	xmlNode *c;
	size_t i;

	*out = NULL;
	if (!o)
		return errinfo_set(err, ERR_NOMEM, "out of memory reading an item");
	for (i = 0; i < sizeof(item_types) / sizeof(item_types[0]); i++)
		if (soap__is(item, item_types[i].elem))
			type = item_types[i].type;
	if (json_object_set_new(o, "item_type", json_string(type ? type : "item")) < 0)
		goto nomem;
	for (c = soap__first_elem(item); c; c = soap__next_elem(c))
		if (set_structured(o, c) < 0)
			goto nomem;
	*out = o;
	return 0;
nomem:
	json_decref(o);
	return errinfo_set(err, ERR_NOMEM, "out of memory reading an item");
}

json_t *soap_msg_error_json(const soap_msg *m)
{
	json_t *e = json_object(), *w = json_object();

	if (!e || !w)
		goto fail;
	if (json_object_set_new(e, "response_class",
				json_string(m->response_class ? m->response_class : "Error")) < 0 ||
	    json_object_set_new(e, "response_code",
				json_string(soap_msg_effective_code(m))) < 0 ||
	    (m->message_text &&
	     json_object_set_new(e, "message_text", json_string(m->message_text)) < 0) ||
	    json_object_set_new(w, "error", e) < 0)
		goto fail;
	return w;
fail:
	json_decref(e);
	json_decref(w);
	return NULL;
}

int soap_read_find_item(json_t **out, const soap_response *r, errinfo *err)
{
	const soap_msg *m;
	json_t *res = NULL, *items = NULL;
	xmlNode *root, *list, *c;
	int error;

	*out = NULL;
	if ((error = soap__first_ok(&m, r, "FindItem", err)) < 0)
		return error;
	root = soap__child(m->node, "RootFolder");
	if (!root)
		return errinfo_set(err, ERR_PROTOCOL, "FindItem: the response has no RootFolder");
	res = json_object();
	items = json_array();
	if (!res || !items)
		goto nomem;
	list = soap__child(root, "Items");
	for (c = soap__first_elem(list); c; c = soap__next_elem(c)) {
		json_t *it;
		if ((error = soap_item_to_json(&it, c, err)) < 0)
			goto cleanup;
		if (soap__append(items, it) < 0)
			goto nomem;
	}
	if (json_object_set_new(res, "items", items) < 0) {
		items = NULL;
		goto nomem;
	}
	items = NULL;
	if (soap__set_attr_int(res, "total_items_in_view", root, "TotalItemsInView") < 0 ||
	    soap__set_attr_bool(res, "includes_last_item_in_range", root,
				"IncludesLastItemInRange") < 0 ||
	    soap__set_attr_int(res, "indexed_paging_offset", root, "IndexedPagingOffset") < 0 ||
	    soap__set_attr_int(res, "numerator_offset", root, "NumeratorOffset") < 0 ||
	    soap__set_attr_int(res, "absolute_denominator", root, "AbsoluteDenominator") < 0)
		goto nomem;
	*out = res;
	return 0;
nomem:
	error = errinfo_set(err, ERR_NOMEM, "out of memory reading FindItem");
cleanup:
	json_decref(items);
	json_decref(res);
	return error;
}

int soap_read_items(json_t **out, const soap_response *r, errinfo *err)
{
	return soap__read_batch(out, r, "Items", soap_item_to_json, "items", err);
}
