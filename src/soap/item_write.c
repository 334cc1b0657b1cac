/* item_write.c - t:Message, t:CalendarItem, t:Contact, t:Task and
 * t:FileAttachment writers (see item_write.h).
 *
 * Each writer emits the ItemType part (Subject, Body, Attachments,
 * Categories, Importance, reminders) and then its own part, both in the
 * schema's sequence order; the order comments cite t:ItemType,
 * t:MessageType, t:CalendarItemType, t:ContactItemType and t:TaskType of
 * types.xsd. */
#include "soap/item_write.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/b64.h"
#include "soap/ids.h"
#include "soap/internal.h"

static const char *const legacy_free_busy[] = {
	"Free", "Tentative", "Busy", "OOF", "WorkingElsewhere", "NoData", NULL
};
static const char *const task_statuses[] = {
	"NotStarted", "InProgress", "Completed", "WaitingOnOthers", "Deferred", NULL
};
static const char *const phone_keys[] = {
	"AssistantPhone", "BusinessFax", "BusinessPhone", "BusinessPhone2",
	"Callback", "CarPhone", "CompanyMainPhone", "HomeFax", "HomePhone",
	"HomePhone2", "Isdn", "MobilePhone", "OtherFax", "OtherTelephone",
	"Pager", "PrimaryPhone", "RadioPhone", "Telex", "TtyTddPhone",
	"BusinessMobile", "IPPhone", "Mms", "Msn", NULL
};

int soap_put_file_attachment(buf *b, const soap_file_attachment *a,
			     const char *field, errinfo *err)
{
	char sub[128];
	int error;

	soap__fmt(sub, sizeof(sub), "%s.name", field);
	if ((error = soap__required(a->name, sub, err)) < 0)
		return error;
	if (a->len && !a->data)
		return errinfo_set(err, ERR_INVAL, "%s.data: content pointer is NULL", field);
	buf_puts(b, "<t:FileAttachment>");
	if ((error = soap__elem(b, "t:Name", a->name, sub, err)) < 0)
		return error;
	soap__fmt(sub, sizeof(sub), "%s.content_type", field);
	if ((error = soap__elem(b, "t:ContentType", a->content_type, sub, err)) < 0)
		return error;
	soap__fmt(sub, sizeof(sub), "%s.content_id", field);
	if ((error = soap__elem(b, "t:ContentId", a->content_id, sub, err)) < 0)
		return error;
	soap__bool(b, "t:IsInline", a->is_inline);
	buf_puts(b, "<t:Content>");
	if ((error = b64_encode(b, a->data, a->len, err)) < 0)
		return error;
	buf_puts(b, "</t:Content></t:FileAttachment>");
	return 0;
}

/* t:Body with its BodyType attribute (HTML or Text). */
static int put_body(buf *b, const char *elem, const char *body,
		    const char *body_type, const char *field, errinfo *err)
{
	const char *type = body_type ? body_type : "Text";
	char sub[64];
	int error;

	if (!body)
		return 0;
	soap__fmt(sub, sizeof(sub), "%s_type", field);
	if ((error = soap__enum(type, soap__body_types, sub, err)) < 0)
		return error;
	buf_printf(b, "<%s BodyType=\"%s\">", elem, type);
	if ((error = soap__put_text(b, body, field, err)) < 0)
		return error;
	buf_printf(b, "</%s>", elem);
	return 0;
}

static int put_strings(buf *b, const char *elem, const char *const *v,
		       size_t n, const char *field, errinfo *err)
{
	char sub[64];
	size_t i;
	int error;

	if (n == 0)
		return 0;
	if (!v)
		return errinfo_set(err, ERR_INVAL, "%s: list pointer is NULL", field);
	buf_printf(b, "<%s>", elem);
	for (i = 0; i < n; i++) {
		soap__field_idx(sub, sizeof(sub), field, i);
		if ((error = soap__elem_req(b, "t:String", v[i], sub, err)) < 0)
			return error;
	}
	buf_printf(b, "</%s>", elem);
	return 0;
}

static int put_attachments(buf *b, const soap_file_attachment *v, size_t n,
			   errinfo *err)
{
	char sub[64];
	size_t i;
	int error;

	if (n == 0)
		return 0;
	if (!v)
		return errinfo_set(err, ERR_INVAL, "attachments: list pointer is NULL");
	buf_puts(b, "<t:Attachments>");
	for (i = 0; i < n; i++) {
		soap__field_idx(sub, sizeof(sub), "attachments", i);
		if ((error = soap_put_file_attachment(b, &v[i], sub, err)) < 0)
			return error;
	}
	buf_puts(b, "</t:Attachments>");
	return 0;
}

static int put_importance(buf *b, const char *importance, errinfo *err)
{
	int error;

	if (!importance)
		return 0;
	if ((error = soap__enum(importance, soap__importances, "importance", err)) < 0)
		return error;
	buf_printf(b, "<t:Importance>%s</t:Importance>", importance);
	return 0;
}

static int put_attendees(buf *b, const char *elem, const soap_mailbox *v,
			 size_t n, const char *field, errinfo *err)
{
	char sub[64];
	size_t i;
	int error;

	if (n == 0)
		return 0;
	if (!v)
		return errinfo_set(err, ERR_INVAL, "%s: list pointer is NULL", field);
	buf_printf(b, "<%s>", elem);
	for (i = 0; i < n; i++) {
		soap__field_idx(sub, sizeof(sub), field, i);
		buf_puts(b, "<t:Attendee>");
		if ((error = soap_put_mailbox(b, &v[i], sub, err)) < 0)
			return error;
		buf_puts(b, "</t:Attendee>");
	}
	buf_printf(b, "</%s>", elem);
	return 0;
}

int soap_put_message(buf *b, const soap_message *m, errinfo *err)
{
	int error;

	if (!m)
		return errinfo_set(err, ERR_INVAL, "message: is required");
	if (m->nto + m->ncc + m->nbcc > 500)
		return errinfo_set(err, ERR_INVAL,
			"recipients: at most 500 recipients per message, got %zu",
			m->nto + m->ncc + m->nbcc);
	buf_puts(b, "<t:Message>");
	/* t:ItemType part */
	if ((error = soap__elem(b, "t:Subject", m->subject, "subject", err)) < 0 ||
	    (error = put_body(b, "t:Body", m->body, m->body_type, "body", err)) < 0 ||
	    (error = put_attachments(b, m->attachments, m->nattachments, err)) < 0 ||
	    (error = put_strings(b, "t:Categories", m->categories, m->ncategories,
				 "categories", err)) < 0 ||
	    (error = put_importance(b, m->importance, err)) < 0)
		return error;
	/* t:MessageType part: To, Cc, Bcc, IsReadReceiptRequested, From,
	 * IsRead, ReplyTo. Sender is Exchange's to set. */
	if ((error = soap_put_mailbox_list(b, "t:ToRecipients", m->to, m->nto, "to", err)) < 0 ||
	    (error = soap_put_mailbox_list(b, "t:CcRecipients", m->cc, m->ncc, "cc", err)) < 0 ||
	    (error = soap_put_mailbox_list(b, "t:BccRecipients", m->bcc, m->nbcc, "bcc", err)) < 0)
		return error;
	soap__bool(b, "t:IsReadReceiptRequested", m->read_receipt);
	if (m->from) {
		buf_puts(b, "<t:From>");
		if ((error = soap_put_mailbox(b, m->from, "from", err)) < 0)
			return error;
		buf_puts(b, "</t:From>");
	}
	soap__bool(b, "t:IsRead", m->is_read);
	if ((error = soap_put_mailbox_list(b, "t:ReplyTo", m->reply_to, m->nreply_to,
					   "reply_to", err)) < 0)
		return error;
	buf_puts(b, "</t:Message>");
	return 0;
}

int soap_put_calendar_item(buf *b, const soap_calendar_item *c, errinfo *err)
{
	int error;

	if (!c)
		return errinfo_set(err, ERR_INVAL, "event: is required");
	if ((error = soap__datetime(c->start, "start", NULL, err)) < 0 ||
	    (error = soap__datetime(c->end, "end", NULL, err)) < 0 ||
	    (error = soap__time_range(c->start, c->end, "end", err)) < 0)
		return error;
	if (c->reminder_is_set == SOAP_TRUE &&
	    (c->reminder_minutes < 0 || c->reminder_minutes > 2 * 7 * 24 * 60 * 52))
		return errinfo_set(err, ERR_INVAL,
			"reminder_minutes: %d is out of range (0 .. 524160)", c->reminder_minutes);
	if (c->legacy_free_busy &&
	    (error = soap__enum(c->legacy_free_busy, legacy_free_busy,
				"legacy_free_busy", err)) < 0)
		return error;
	if (c->start_tz && (error = soap__required(c->start_tz, "start_timezone", err)) < 0)
		return error;
	if (c->end_tz && (error = soap__required(c->end_tz, "end_timezone", err)) < 0)
		return error;

	buf_puts(b, "<t:CalendarItem>");
	if ((error = soap__elem(b, "t:Subject", c->subject, "subject", err)) < 0 ||
	    (error = put_body(b, "t:Body", c->body, c->body_type, "body", err)) < 0 ||
	    (error = put_attachments(b, c->attachments, c->nattachments, err)) < 0 ||
	    (error = put_strings(b, "t:Categories", c->categories, c->ncategories,
				 "categories", err)) < 0 ||
	    (error = put_importance(b, c->importance, err)) < 0)
		return error;
	soap__bool(b, "t:ReminderIsSet", c->reminder_is_set);
	if (c->reminder_is_set == SOAP_TRUE)
		buf_printf(b, "<t:ReminderMinutesBeforeStart>%d</t:ReminderMinutesBeforeStart>",
			   c->reminder_minutes);
	/* t:CalendarItemType part */
	if ((error = soap__elem(b, "t:Start", c->start, "start", err)) < 0 ||
	    (error = soap__elem(b, "t:End", c->end, "end", err)) < 0)
		return error;
	soap__bool(b, "t:IsAllDayEvent", c->is_all_day);
	if (c->legacy_free_busy)
		buf_printf(b, "<t:LegacyFreeBusyStatus>%s</t:LegacyFreeBusyStatus>",
			   c->legacy_free_busy);
	if ((error = soap__elem(b, "t:Location", c->location, "location", err)) < 0 ||
	    (error = put_attendees(b, "t:RequiredAttendees", c->required, c->nrequired,
				   "required_attendees", err)) < 0 ||
	    (error = put_attendees(b, "t:OptionalAttendees", c->optional, c->noptional,
				   "optional_attendees", err)) < 0 ||
	    (error = put_attendees(b, "t:Resources", c->resources, c->nresources,
				   "resources", err)) < 0)
		return error;
	if (c->start_tz) {
		buf_puts(b, "<t:StartTimeZone");
		if ((error = soap__attr(b, "Id", c->start_tz, "start_timezone", err)) < 0)
			return error;
		buf_puts(b, "/>");
	}
	if (c->end_tz) {
		buf_puts(b, "<t:EndTimeZone");
		if ((error = soap__attr(b, "Id", c->end_tz, "end_timezone", err)) < 0)
			return error;
		buf_puts(b, "/>");
	}
	buf_puts(b, "</t:CalendarItem>");
	return 0;
}

int soap_put_contact(buf *b, const soap_contact *c, errinfo *err)
{
	char sub[64];
	size_t i;
	int error;

	if (!c)
		return errinfo_set(err, ERR_INVAL, "contact: is required");
	if (!c->display_name && !c->given_name && !c->surname && !c->file_as &&
	    !c->company_name && c->nemails == 0)
		return errinfo_set(err, ERR_INVAL,
			"contact: give at least a name, a company or an email address");
	if (c->nemails > 3)
		return errinfo_set(err, ERR_INVAL,
			"emails: a contact holds at most 3 email addresses, got %zu", c->nemails);
	if ((c->nemails && !c->emails) || (c->nphones && !c->phones))
		return errinfo_set(err, ERR_INVAL, "contact: list pointer is NULL");
	for (i = 0; i < c->nphones; i++) {
		soap__field_idx(sub, sizeof(sub), "phones", i);
		strncat(sub, ".key", sizeof(sub) - strlen(sub) - 1);
		if ((error = soap__enum(c->phones[i].key, phone_keys, sub, err)) < 0)
			return error;
	}

	buf_puts(b, "<t:Contact>");
	if ((error = put_body(b, "t:Body", c->body, NULL, "notes", err)) < 0 ||
	    (error = put_strings(b, "t:Categories", c->categories, c->ncategories,
				 "categories", err)) < 0)
		return error;
	/* t:ContactItemType part, in order */
	if ((error = soap__elem(b, "t:FileAs", c->file_as, "file_as", err)) < 0 ||
	    (error = soap__elem(b, "t:DisplayName", c->display_name, "display_name", err)) < 0 ||
	    (error = soap__elem(b, "t:GivenName", c->given_name, "given_name", err)) < 0 ||
	    (error = soap__elem(b, "t:MiddleName", c->middle_name, "middle_name", err)) < 0 ||
	    (error = soap__elem(b, "t:Nickname", c->nickname, "nickname", err)) < 0 ||
	    (error = soap__elem(b, "t:CompanyName", c->company_name, "company_name", err)) < 0)
		return error;
	if (c->nemails) {
		buf_puts(b, "<t:EmailAddresses>");
		for (i = 0; i < c->nemails; i++) {
			soap__field_idx(sub, sizeof(sub), "emails", i);
			if ((error = soap__required(c->emails[i], sub, err)) < 0)
				return error;
			buf_printf(b, "<t:Entry Key=\"EmailAddress%zu\">", i + 1);
			if ((error = soap__put_text(b, c->emails[i], sub, err)) < 0)
				return error;
			buf_puts(b, "</t:Entry>");
		}
		buf_puts(b, "</t:EmailAddresses>");
	}
	if (c->nphones) {
		buf_puts(b, "<t:PhoneNumbers>");
		for (i = 0; i < c->nphones; i++) {
			soap__field_idx(sub, sizeof(sub), "phones", i);
			if ((error = soap__required(c->phones[i].number, sub, err)) < 0)
				return error;
			buf_printf(b, "<t:Entry Key=\"%s\">", c->phones[i].key);
			if ((error = soap__put_text(b, c->phones[i].number, sub, err)) < 0)
				return error;
			buf_puts(b, "</t:Entry>");
		}
		buf_puts(b, "</t:PhoneNumbers>");
	}
	if ((error = soap__elem(b, "t:Department", c->department, "department", err)) < 0 ||
	    (error = soap__elem(b, "t:JobTitle", c->job_title, "job_title", err)) < 0 ||
	    (error = soap__elem(b, "t:OfficeLocation", c->office_location,
				"office_location", err)) < 0 ||
	    (error = soap__elem(b, "t:Surname", c->surname, "surname", err)) < 0)
		return error;
	buf_puts(b, "</t:Contact>");
	return 0;
}

int soap_put_task(buf *b, const soap_task *t, errinfo *err)
{
	int error;

	if (!t)
		return errinfo_set(err, ERR_INVAL, "task: is required");
	if ((error = soap__required(t->subject, "subject", err)) < 0)
		return error;
	if (t->due_date && (error = soap__datetime(t->due_date, "due_date", NULL, err)) < 0)
		return error;
	if (t->start_date &&
	    (error = soap__datetime(t->start_date, "start_date", NULL, err)) < 0)
		return error;
	if (t->status && (error = soap__enum(t->status, task_statuses, "status", err)) < 0)
		return error;
	if (t->has_percent_complete &&
	    (isnan(t->percent_complete) || t->percent_complete < 0 ||
	     t->percent_complete > 100))
		return errinfo_set(err, ERR_INVAL,
			"percent_complete: must be between 0 and 100");

	buf_puts(b, "<t:Task>");
	if ((error = soap__elem(b, "t:Subject", t->subject, "subject", err)) < 0 ||
	    (error = put_body(b, "t:Body", t->body, t->body_type, "body", err)) < 0 ||
	    (error = put_strings(b, "t:Categories", t->categories, t->ncategories,
				 "categories", err)) < 0 ||
	    (error = put_importance(b, t->importance, err)) < 0)
		return error;
	/* t:TaskType part: DueDate, PercentComplete, StartDate, Status */
	if ((error = soap__elem(b, "t:DueDate", t->due_date, "due_date", err)) < 0)
		return error;
	if (t->has_percent_complete)
		buf_printf(b, "<t:PercentComplete>%g</t:PercentComplete>", t->percent_complete);
	if ((error = soap__elem(b, "t:StartDate", t->start_date, "start_date", err)) < 0)
		return error;
	if (t->status)
		buf_printf(b, "<t:Status>%s</t:Status>", t->status);
	buf_puts(b, "</t:Task>");
	return 0;
}
