/* req_items.c - FindItem, GetItem, CreateItem (items and response
 * objects), UpdateItem, DeleteItem, MoveItem, CopyItem and SendItem
 * request builders (see req_items.h; wire shapes in ews-protocol.md
 * sections 5.1-5.8). */
#include "soap/req_items.h"

#include <stdio.h>
#include <string.h>

#include "soap/ids.h"
#include "soap/internal.h"
#include "soap/query.h"

/* Exchange returns at most 1000 entries per page (EWSFindCountLimit);
 * larger pages "have no effect" (ews-protocol.md 5.1), so they are
 * refused rather than silently shortened. */
#define FIND_PAGE_MAX 1000
/* CalendarView windows are limited to two years (ErrorCalendarViewRange-
 * TooBig); 732 days leaves room for leap years. */
#define CALENDAR_VIEW_MAX_SECONDS (732LL * 86400LL)

static const char *const item_traversals[] = { "Shallow", "SoftDeleted", "Associated", NULL };
static const char *const conflict_resolutions[] = {
	"NeverOverwrite", "AutoResolve", "AlwaysOverwrite", NULL
};
static const char *const update_invitations[] = {
	"SendToNone", "SendOnlyToAll", "SendOnlyToChanged", "SendToAllAndSaveCopy",
	"SendToChangedAndSaveCopy", NULL
};
static const char *const task_occurrences[] = {
	"AllOccurrences", "SpecifiedOccurrenceOnly", NULL
};
static const char *const item_types[] = {
	"Item", "Message", "CalendarItem", "Contact", "Task", "MeetingMessage",
	"MeetingRequest", "MeetingResponse", "MeetingCancellation", "PostItem", NULL
};

/* m:SavedItemFolderId when f is set. */
static int put_saved_folder(buf *b, const soap_folder_ref *f, errinfo *err)
{
	int error;

	if (!f)
		return 0;
	buf_puts(b, "<m:SavedItemFolderId>");
	if ((error = soap_put_folder_ref(b, f, "saved_folder", err)) < 0)
		return error;
	buf_puts(b, "</m:SavedItemFolderId>");
	return 0;
}

static int put_view(buf *b, const soap_find_item_args *a, errinfo *err)
{
	long long s, e;
	int error;

	if (a->view != SOAP_VIEW_CALENDAR || a->max_entries != 0) {
		if (a->max_entries <= 0 || a->max_entries > FIND_PAGE_MAX)
			return errinfo_set(err, ERR_INVAL,
				"max_entries: must be between 1 and %d, got %d",
				FIND_PAGE_MAX, a->max_entries);
	}
	switch (a->view) {
	case SOAP_VIEW_INDEXED:
		if (a->offset < 0)
			return errinfo_set(err, ERR_INVAL, "offset: must not be negative, got %d",
					   a->offset);
		buf_printf(b, "<m:IndexedPageItemView MaxEntriesReturned=\"%d\" Offset=\"%d\" BasePoint=\"%s\"/>",
			   a->max_entries, a->offset, a->from_end ? "End" : "Beginning");
		return 0;
	case SOAP_VIEW_FRACTIONAL:
		if (a->denominator <= 0 || a->numerator < 0 || a->numerator > a->denominator)
			return errinfo_set(err, ERR_INVAL,
				"numerator/denominator: need 0 <= numerator <= denominator and denominator > 0");
		buf_printf(b, "<m:FractionalPageItemView MaxEntriesReturned=\"%d\" Numerator=\"%d\" Denominator=\"%d\"/>",
			   a->max_entries, a->numerator, a->denominator);
		return 0;
	case SOAP_VIEW_CALENDAR:
		if ((error = soap__datetime(a->cal_start, "start", &s, err)) < 0 ||
		    (error = soap__datetime(a->cal_end, "end", &e, err)) < 0)
			return error;
		if (e < s)
			return errinfo_set(err, ERR_INVAL, "end: is before start");
		if (e - s > CALENDAR_VIEW_MAX_SECONDS)
			return errinfo_set(err, ERR_INVAL,
				"end: a calendar view spans at most two years");
		if (a->restriction || a->nsort)
			return errinfo_set(err, ERR_INVAL,
				"restriction/sort: EWS allows neither with a calendar view");
		buf_puts(b, "<m:CalendarView");
		if (a->max_entries)
			buf_printf(b, " MaxEntriesReturned=\"%d\"", a->max_entries);
		if ((error = soap__attr(b, "StartDate", a->cal_start, "start", err)) < 0 ||
		    (error = soap__attr(b, "EndDate", a->cal_end, "end", err)) < 0)
			return error;
		buf_puts(b, "/>");
		return 0;
	}
	return errinfo_set(err, ERR_INVAL, "view: unknown view kind %d", (int)a->view);
}

int soap_find_item_request(buf *out, const soap_header *h,
			   const soap_find_item_args *a, errinfo *err)
{
	const char *traversal;
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "FindItem: arguments are required");
	traversal = a->traversal ? a->traversal : "Shallow";
	if ((error = soap__enum(traversal, item_traversals, "traversal", err)) < 0)
		return error;
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_printf(out, "<m:FindItem Traversal=\"%s\">", traversal);
	if ((error = soap_put_shape(out, "m:ItemShape", &a->shape, 1, err)) < 0 ||
	    (error = put_view(out, a, err)) < 0 ||
	    (error = soap_put_restriction(out, a->restriction, err)) < 0 ||
	    (error = soap_put_sort(out, a->sort, a->nsort, err)) < 0 ||
	    (error = soap__folder_list(out, "m:ParentFolderIds", a->folders, a->nfolders,
				     "folders", err)) < 0)
		goto cleanup;
	if (a->query_string &&
	    (error = soap__elem_req(out, "m:QueryString", a->query_string, "query", err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:FindItem>");
cleanup:
	return soap__request_finish(out, mark, error, "FindItem", err);
}

int soap_get_item_request(buf *out, const soap_header *h,
			  const soap_get_item_args *a, errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "GetItem: arguments are required");
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_puts(out, "<m:GetItem>");
	if ((error = soap_put_shape(out, "m:ItemShape", &a->shape, 1, err)) < 0 ||
	    (error = soap__item_list(out, "m:ItemIds", a->ids, a->nids, "item_ids", err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:GetItem>");
cleanup:
	return soap__request_finish(out, mark, error, "GetItem", err);
}

int soap_create_message_request(buf *out, const soap_header *h,
				const soap_create_message_args *a,
				errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "CreateItem: arguments are required");
	if ((error = soap__enum(a->disposition, soap__dispositions, "disposition", err)) < 0)
		return error;
	if (strcmp(a->disposition, "SendOnly") == 0 && a->saved_folder)
		return errinfo_set(err, ERR_INVAL,
			"saved_folder: SendOnly keeps no copy, so it takes no folder");
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_printf(out, "<m:CreateItem MessageDisposition=\"%s\">", a->disposition);
	if ((error = put_saved_folder(out, a->saved_folder, err)) < 0)
		goto cleanup;
	buf_puts(out, "<m:Items>");
	if ((error = soap_put_message(out, a->message, err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:Items></m:CreateItem>");
cleanup:
	return soap__request_finish(out, mark, error, "CreateItem", err);
}

int soap_create_calendar_request(buf *out, const soap_header *h,
				 const soap_create_calendar_args *a,
				 errinfo *err)
{
	const char *inv;
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "CreateItem: arguments are required");
	inv = a->send_invitations ? a->send_invitations : "SendToNone";
	if ((error = soap__enum(inv, soap__invitations, "send_invitations", err)) < 0)
		return error;
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_printf(out, "<m:CreateItem SendMeetingInvitations=\"%s\">", inv);
	if ((error = put_saved_folder(out, a->saved_folder, err)) < 0)
		goto cleanup;
	buf_puts(out, "<m:Items>");
	if ((error = soap_put_calendar_item(out, a->item, err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:Items></m:CreateItem>");
cleanup:
	return soap__request_finish(out, mark, error, "CreateItem", err);
}

int soap_create_contact_request(buf *out, const soap_header *h,
				const soap_create_contact_args *a,
				errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "CreateItem: arguments are required");
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_puts(out, "<m:CreateItem>");
	if ((error = put_saved_folder(out, a->saved_folder, err)) < 0)
		goto cleanup;
	buf_puts(out, "<m:Items>");
	if ((error = soap_put_contact(out, a->contact, err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:Items></m:CreateItem>");
cleanup:
	return soap__request_finish(out, mark, error, "CreateItem", err);
}

int soap_create_task_request(buf *out, const soap_header *h,
			     const soap_create_task_args *a, errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "CreateItem: arguments are required");
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_puts(out, "<m:CreateItem>");
	if ((error = put_saved_folder(out, a->saved_folder, err)) < 0)
		goto cleanup;
	buf_puts(out, "<m:Items>");
	if ((error = soap_put_task(out, a->task, err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:Items></m:CreateItem>");
cleanup:
	return soap__request_finish(out, mark, error, "CreateItem", err);
}

/* ---- response objects -------------------------------------------------- */

static const char *response_elem(soap_response_kind k)
{
	switch (k) {
	case SOAP_REPLY: return "t:ReplyToItem";
	case SOAP_REPLY_ALL: return "t:ReplyAllToItem";
	case SOAP_FORWARD: return "t:ForwardItem";
	case SOAP_ACCEPT: return "t:AcceptItem";
	case SOAP_TENTATIVE: return "t:TentativelyAcceptItem";
	case SOAP_DECLINE: return "t:DeclineItem";
	}
	return NULL;
}

static int put_body_elem(buf *b, const char *elem, const char *body,
			 const char *body_type, errinfo *err)
{
	const char *type = body_type ? body_type : "Text";
	int error;

	if (!body)
		return 0;
	if ((error = soap__enum(type, soap__body_types, "body_type", err)) < 0)
		return error;
	buf_printf(b, "<%s BodyType=\"%s\">", elem, type);
	if ((error = soap__put_text(b, body, "body", err)) < 0)
		return error;
	buf_printf(b, "</%s>", elem);
	return 0;
}

static int put_recipients_and_from(buf *b, const soap_respond_args *a, errinfo *err)
{
	int error;

	if ((error = soap_put_mailbox_list(b, "t:ToRecipients", a->to, a->nto, "to", err)) < 0 ||
	    (error = soap_put_mailbox_list(b, "t:CcRecipients", a->cc, a->ncc, "cc", err)) < 0 ||
	    (error = soap_put_mailbox_list(b, "t:BccRecipients", a->bcc, a->nbcc, "bcc", err)) < 0)
		return error;
	if (a->from) {
		buf_puts(b, "<t:From>");
		if ((error = soap_put_mailbox(b, a->from, "from", err)) < 0)
			return error;
		buf_puts(b, "</t:From>");
	}
	return 0;
}

int soap_respond_request(buf *out, const soap_header *h,
			 const soap_respond_args *a, errinfo *err)
{
	const char *elem, *disp;
	int smart;
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "CreateItem: arguments are required");
	elem = response_elem(a->kind);
	if (!elem)
		return errinfo_set(err, ERR_INVAL, "kind: unknown response kind %d", (int)a->kind);
	smart = a->kind == SOAP_REPLY || a->kind == SOAP_REPLY_ALL || a->kind == SOAP_FORWARD;
	disp = a->disposition ? a->disposition : "SendAndSaveCopy";
	if ((error = soap__enum(disp, soap__dispositions, "disposition", err)) < 0)
		return error;
	if (a->kind == SOAP_FORWARD && a->nto == 0)
		return errinfo_set(err, ERR_INVAL, "to: a forward needs at least one recipient");
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_printf(out, "<m:CreateItem MessageDisposition=\"%s\">", disp);
	if ((error = put_saved_folder(out, a->saved_folder, err)) < 0)
		goto cleanup;
	buf_printf(out, "<m:Items><%s>", elem);
	if (smart) {
		/* t:SmartResponseType: ..., To/Cc/Bcc, From, ReferenceItemId,
		 * NewBodyContent */
		if ((error = put_recipients_and_from(out, a, err)) < 0 ||
		    (error = soap_put_item_ref(out, "t:ReferenceItemId", &a->reference,
					       "reference_item_id", err)) < 0 ||
		    (error = put_body_elem(out, "t:NewBodyContent", a->body, a->body_type,
					   err)) < 0)
			goto cleanup;
	} else {
		/* t:WellKnownResponseObjectType: Body, To/Cc/Bcc, From,
		 * ReferenceItemId */
		if ((error = put_body_elem(out, "t:Body", a->body, a->body_type, err)) < 0 ||
		    (error = put_recipients_and_from(out, a, err)) < 0 ||
		    (error = soap_put_item_ref(out, "t:ReferenceItemId", &a->reference,
					       "reference_item_id", err)) < 0)
			goto cleanup;
	}
	buf_printf(out, "</%s></m:Items></m:CreateItem>", elem);
cleanup:
	return soap__request_finish(out, mark, error, "CreateItem", err);
}

/* ---- UpdateItem -------------------------------------------------------- */

/* How a property's new value is written inside the wrapper element. */
typedef enum value_kind {
	VAL_TEXT, VAL_BODY, VAL_STRINGS, VAL_MAILBOXES, VAL_MAILBOX, VAL_ATTENDEES,
	VAL_TIMEZONE
} value_kind;

static const struct {
	const char *uri;
	value_kind kind;
} field_kinds[] = {
	{ "item:Body", VAL_BODY },
	{ "item:Categories", VAL_STRINGS },
	{ "message:ToRecipients", VAL_MAILBOXES },
	{ "message:CcRecipients", VAL_MAILBOXES },
	{ "message:BccRecipients", VAL_MAILBOXES },
	{ "message:ReplyTo", VAL_MAILBOXES },
	{ "message:From", VAL_MAILBOX },
	{ "message:Sender", VAL_MAILBOX },
	{ "calendar:Organizer", VAL_MAILBOX },
	{ "calendar:RequiredAttendees", VAL_ATTENDEES },
	{ "calendar:OptionalAttendees", VAL_ATTENDEES },
	{ "calendar:Resources", VAL_ATTENDEES },
	{ "calendar:StartTimeZone", VAL_TIMEZONE },
	{ "calendar:EndTimeZone", VAL_TIMEZONE },
};

static value_kind kind_of(const char *uri)
{
	size_t i;

	for (i = 0; i < sizeof(field_kinds) / sizeof(field_kinds[0]); i++)
		if (strcmp(uri, field_kinds[i].uri) == 0)
			return field_kinds[i].kind;
	return VAL_TEXT;
}

/* Container element of an indexed property (contacts:EmailAddress ->
 * EmailAddresses), or NULL if the writer does not support it. */
static const char *indexed_container(const char *uri)
{
	if (strcmp(uri, "contacts:EmailAddress") == 0)
		return "EmailAddresses";
	if (strcmp(uri, "contacts:PhoneNumber") == 0)
		return "PhoneNumbers";
	if (strcmp(uri, "contacts:ImAddress") == 0)
		return "ImAddresses";
	return NULL;
}

static const char *wrapper_for(const char *uri)
{
	if (strncmp(uri, "message:", 8) == 0)
		return "Message";
	if (strncmp(uri, "calendar:", 9) == 0)
		return "CalendarItem";
	if (strncmp(uri, "contacts:", 9) == 0)
		return "Contact";
	if (strncmp(uri, "task:", 5) == 0)
		return "Task";
	return "Item";
}

/* The property element with the new value, e.g. <t:IsRead>true</t:IsRead>. */
static int put_field_value(buf *b, const soap_field_change *f, const char *field,
			   errinfo *err)
{
	const char *name = strchr(f->field, ':') + 1;
	const char *container;
	char sub[96];
	size_t i;
	int error;

	if (f->field_index) {
		container = indexed_container(f->field);
		if (!container)
			return errinfo_set(err, ERR_INVAL,
				"%s: indexed updates are supported for contacts:EmailAddress, contacts:PhoneNumber and contacts:ImAddress only",
				field);
		soap__fmt(sub, sizeof(sub), "%s.value", field);
		if ((error = soap__required(f->value, sub, err)) < 0)
			return error;
		buf_printf(b, "<t:%s><t:Entry", container);
		if ((error = soap__attr(b, "Key", f->field_index, field, err)) < 0)
			return error;
		buf_putc(b, '>');
		if ((error = soap__put_text(b, f->value, sub, err)) < 0)
			return error;
		buf_printf(b, "</t:Entry></t:%s>", container);
		return 0;
	}
	switch (kind_of(f->field)) {
	case VAL_BODY:
		soap__fmt(sub, sizeof(sub), "%s.value", field);
		if ((error = soap__required(f->value, sub, err)) < 0)
			return error;
		return put_body_elem(b, "t:Body", f->value, f->body_type, err);
	case VAL_STRINGS:
		soap__fmt(sub, sizeof(sub), "%s.strings", field);
		if ((error = soap__count(f->nstrings, 1000, sub, err)) < 0)
			return error;
		if (!f->strings)
			return errinfo_set(err, ERR_INVAL, "%s: list pointer is NULL", sub);
		buf_printf(b, "<t:%s>", name);
		for (i = 0; i < f->nstrings; i++) {
			char s2[128];
			soap__field_idx(s2, sizeof(s2), sub, i);
			if ((error = soap__elem_req(b, "t:String", f->strings[i], s2, err)) < 0)
				return error;
		}
		buf_printf(b, "</t:%s>", name);
		return 0;
	case VAL_MAILBOXES:
	case VAL_MAILBOX:
	case VAL_ATTENDEES:
		soap__fmt(sub, sizeof(sub), "%s.mailboxes", field);
		if ((error = soap__count(f->nmailboxes, 500, sub, err)) < 0)
			return error;
		if (kind_of(f->field) == VAL_MAILBOX && f->nmailboxes != 1)
			return errinfo_set(err, ERR_INVAL, "%s: takes exactly one mailbox", sub);
		if (!f->mailboxes)
			return errinfo_set(err, ERR_INVAL, "%s: list pointer is NULL", sub);
		buf_printf(b, "<t:%s>", name);
		for (i = 0; i < f->nmailboxes; i++) {
			char s2[128];
			int att = kind_of(f->field) == VAL_ATTENDEES;
			soap__field_idx(s2, sizeof(s2), sub, i);
			if (att)
				buf_puts(b, "<t:Attendee>");
			if ((error = soap_put_mailbox(b, &f->mailboxes[i], s2, err)) < 0)
				return error;
			if (att)
				buf_puts(b, "</t:Attendee>");
		}
		buf_printf(b, "</t:%s>", name);
		return 0;
	case VAL_TIMEZONE:
		soap__fmt(sub, sizeof(sub), "%s.value", field);
		if ((error = soap__required(f->value, sub, err)) < 0)
			return error;
		buf_printf(b, "<t:%s", name);
		if ((error = soap__attr(b, "Id", f->value, sub, err)) < 0)
			return error;
		buf_puts(b, "/>");
		return 0;
	case VAL_TEXT:
		break;
	}
	soap__fmt(sub, sizeof(sub), "%s.value", field);
	if (!f->value)
		return errinfo_set(err, ERR_INVAL, "%s: is required", sub);
	buf_printf(b, "<t:%s>", name);
	if ((error = soap__put_text(b, f->value, sub, err)) < 0)
		return error;
	buf_printf(b, "</t:%s>", name);
	return 0;
}

static int put_item_change(buf *b, const soap_item_change *c, const char *field,
			   errinfo *err)
{
	const char *wrapper;
	char sub[96];
	size_t i;
	int error;

	soap__fmt(sub, sizeof(sub), "%s.fields", field);
	if ((error = soap__count(c->nfields, 1000, sub, err)) < 0)
		return error;
	if (!c->fields)
		return errinfo_set(err, ERR_INVAL, "%s: list pointer is NULL", sub);
	if (!soap_field_uri_is_valid(c->fields[0].field)) {
		soap__fmt(sub, sizeof(sub), "%s.fields[0].field", field);
		return soap_put_field_path(b, c->fields[0].field, NULL, sub, err);
	}
	wrapper = c->item_type ? c->item_type : wrapper_for(c->fields[0].field);
	soap__fmt(sub, sizeof(sub), "%s.item_type", field);
	if ((error = soap__enum(wrapper, item_types, sub, err)) < 0)
		return error;
	buf_puts(b, "<t:ItemChange>");
	soap__fmt(sub, sizeof(sub), "%s.item", field);
	if ((error = soap_put_item_ref(b, "t:ItemId", &c->item, sub, err)) < 0)
		return error;
	buf_puts(b, "<t:Updates>");
	for (i = 0; i < c->nfields; i++) {
		const soap_field_change *f = &c->fields[i];
		const char *op;

		soap__fmt(sub, sizeof(sub), "%s.fields[%zu]", field, i);
		switch (f->op) {
		case SOAP_UPDATE_SET: op = "t:SetItemField"; break;
		case SOAP_UPDATE_APPEND: op = "t:AppendToItemField"; break;
		case SOAP_UPDATE_DELETE: op = "t:DeleteItemField"; break;
		default:
			return errinfo_set(err, ERR_INVAL, "%s.op: unknown update operation %d",
					   sub, (int)f->op);
		}
		buf_printf(b, "<%s>", op);
		if ((error = soap_put_field_path(b, f->field, f->field_index, sub, err)) < 0)
			return error;
		if (f->op != SOAP_UPDATE_DELETE) {
			buf_printf(b, "<t:%s>", wrapper);
			if ((error = put_field_value(b, f, sub, err)) < 0)
				return error;
			buf_printf(b, "</t:%s>", wrapper);
		}
		buf_printf(b, "</%s>", op);
	}
	buf_puts(b, "</t:Updates></t:ItemChange>");
	return 0;
}

int soap_update_item_request(buf *out, const soap_header *h,
			     const soap_update_item_args *a, errinfo *err)
{
	const char *conflict;
	char sub[64];
	size_t mark, i;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "UpdateItem: arguments are required");
	conflict = a->conflict_resolution ? a->conflict_resolution : "AutoResolve";
	if ((error = soap__enum(conflict, conflict_resolutions, "conflict_resolution", err)) < 0 ||
	    (a->disposition &&
	     (error = soap__enum(a->disposition, soap__dispositions, "disposition", err)) < 0) ||
	    (a->send_invitations_or_cancellations &&
	     (error = soap__enum(a->send_invitations_or_cancellations, update_invitations,
				 "send_invitations_or_cancellations", err)) < 0) ||
	    (error = soap__count(a->nchanges, SOAP_BATCH_MAX, "changes", err)) < 0)
		return error;
	if (!a->changes)
		return errinfo_set(err, ERR_INVAL, "changes: list pointer is NULL");
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_printf(out, "<m:UpdateItem ConflictResolution=\"%s\"", conflict);
	if (a->disposition)
		buf_printf(out, " MessageDisposition=\"%s\"", a->disposition);
	if (a->send_invitations_or_cancellations)
		buf_printf(out, " SendMeetingInvitationsOrCancellations=\"%s\"",
			   a->send_invitations_or_cancellations);
	buf_putc(out, '>');
	if ((error = put_saved_folder(out, a->saved_folder, err)) < 0)
		goto cleanup;
	buf_puts(out, "<m:ItemChanges>");
	for (i = 0; i < a->nchanges; i++) {
		soap__field_idx(sub, sizeof(sub), "changes", i);
		if ((error = put_item_change(out, &a->changes[i], sub, err)) < 0)
			goto cleanup;
	}
	buf_puts(out, "</m:ItemChanges></m:UpdateItem>");
cleanup:
	return soap__request_finish(out, mark, error, "UpdateItem", err);
}

/* ---- DeleteItem / MoveItem / CopyItem / SendItem ----------------------- */

int soap_delete_item_request(buf *out, const soap_header *h,
			     const soap_delete_item_args *a, errinfo *err)
{
	const char *type, *cancel, *occ;
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "DeleteItem: arguments are required");
	type = a->delete_type ? a->delete_type : "MoveToDeletedItems";
	cancel = a->send_meeting_cancellations ? a->send_meeting_cancellations : "SendToNone";
	occ = a->affected_task_occurrences ? a->affected_task_occurrences : "AllOccurrences";
	if ((error = soap__enum(type, soap__delete_types, "delete_type", err)) < 0 ||
	    (error = soap__enum(cancel, soap__invitations, "send_meeting_cancellations", err)) < 0 ||
	    (error = soap__enum(occ, task_occurrences, "affected_task_occurrences", err)) < 0)
		return error;
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_printf(out, "<m:DeleteItem DeleteType=\"%s\" SendMeetingCancellations=\"%s\" AffectedTaskOccurrences=\"%s\">",
		   type, cancel, occ);
	if ((error = soap__item_list(out, "m:ItemIds", a->ids, a->nids, "item_ids", err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:DeleteItem>");
cleanup:
	return soap__request_finish(out, mark, error, "DeleteItem", err);
}

static int move_copy(buf *out, const soap_header *h, const soap_move_item_args *a,
		     const char *op, errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "%s: arguments are required", op);
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_printf(out, "<m:%s><m:ToFolderId>", op);
	if ((error = soap_put_folder_ref(out, &a->to_folder, "to_folder", err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:ToFolderId>");
	if ((error = soap__item_list(out, "m:ItemIds", a->ids, a->nids, "item_ids", err)) < 0)
		goto cleanup;
	soap__bool(out, "m:ReturnNewItemIds", a->return_new_ids);
	buf_printf(out, "</m:%s>", op);
cleanup:
	return soap__request_finish(out, mark, error, op, err);
}

int soap_move_item_request(buf *out, const soap_header *h,
			   const soap_move_item_args *a, errinfo *err)
{
	return move_copy(out, h, a, "MoveItem", err);
}

int soap_copy_item_request(buf *out, const soap_header *h,
			   const soap_move_item_args *a, errinfo *err)
{
	return move_copy(out, h, a, "CopyItem", err);
}

int soap_send_item_request(buf *out, const soap_header *h,
			   const soap_send_item_args *a, errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "SendItem: arguments are required");
	if (!a->save_copy && a->saved_folder)
		return errinfo_set(err, ERR_INVAL,
			"saved_folder: only meaningful when a copy is saved (save_copy)");
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_printf(out, "<m:SendItem SaveItemToFolder=\"%s\">",
		   a->save_copy ? "true" : "false");
	if ((error = soap__item_list(out, "m:ItemIds", a->ids, a->nids, "item_ids", err)) < 0 ||
	    (error = put_saved_folder(out, a->saved_folder, err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:SendItem>");
cleanup:
	return soap__request_finish(out, mark, error, "SendItem", err);
}
