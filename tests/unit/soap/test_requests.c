/* test_requests.c - every request builder of src/soap, in the four access
 * modes, validated against Microsoft's EWS schema in-process, plus XPath
 * checks of key content and the negative cases (bad text, bad versions,
 * schema limits). Without the schema only the validation is skipped
 * (soaptest.h). */
#include <stdlib.h>
#include <string.h>

#include "soaptest.h"
#include "soap/soap.h"

/* ---- the four access modes --------------------------------------------- */

typedef struct mode {
	const char *name;
	const char *impersonate;     /* header identity, NULL = none */
	const char *mailbox;         /* Mailbox on distinguished folder ids */
	const char *timezone;
} mode;

static const mode modes[] = {
	/* the service account's own mailbox */
	{ "primary", NULL, NULL, NULL },
	/* ApplicationImpersonation on-premises */
	{ "impersonation", "alice@contoso.com", NULL, "W. Europe Standard Time" },
	/* delegate: no header, the principal named in the body */
	{ "delegate", NULL, "alice@contoso.com", NULL },
	/* app-only OAuth: impersonation on every call, mailbox always named */
	{ "app-only", "room1@contoso.com", "room1@contoso.com", "UTC" },
};

/* A distinguished folder in the current mode. */
static soap_folder_ref dist(const mode *m, const char *name)
{
	soap_folder_ref f = { .distinguished = name, .mailbox = m->mailbox };
	return f;
}

typedef int (*builder)(buf *out, const soap_header *h, const mode *m, errinfo *err);

/* ---- builders: one (or more) per operation ----------------------------- */

static const char *const msg_fields[] = { "item:Subject", "item:DateTimeReceived",
					  "message:From", "message:IsRead", "item:Preview" };

static int b_find_item_paged(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_restriction inner_or[] = {
		{ .op = SOAP_R_EQ, .field = "item:Importance", .value = "High" },
		{ .op = SOAP_R_NE, .field = "item:Importance", .value = "Low" },
	};
	soap_restriction not_child[] = { { .op = SOAP_R_EXISTS, .field = "item:Categories" } };
	soap_restriction all[] = {
		{ .op = SOAP_R_GE, .field = "item:DateTimeReceived", .value = "2024-01-01T00:00:00Z" },
		{ .op = SOAP_R_LT, .field = "item:DateTimeReceived", .value = "2025-01-01T00:00:00Z" },
		{ .op = SOAP_R_GT, .field = "item:Size", .value = "10" },
		{ .op = SOAP_R_LE, .field = "item:Size", .value = "100000" },
		{ .op = SOAP_R_CONTAINS, .field = "item:Subject", .value = "invoice <&> \"x\"" },
		{ .op = SOAP_R_CONTAINS, .field = "message:From", .value = "bob",
		  .containment_mode = "Prefixed", .containment_comparison = "Exact" },
		{ .op = SOAP_R_EQ, .field = "message:IsRead", .value = "false" },
		{ .op = SOAP_R_EQ, .field = "contacts:EmailAddress", .field_index = "EmailAddress1",
		  .value = "bob@contoso.com" },
		{ .op = SOAP_R_OR, .children = inner_or, .nchildren = 2 },
		{ .op = SOAP_R_NOT, .children = not_child, .nchildren = 1 },
	};
	soap_restriction root = { .op = SOAP_R_AND, .children = all,
				  .nchildren = sizeof(all) / sizeof(all[0]) };
	soap_sort sort[] = { { "item:DateTimeReceived", 1 }, { "item:Subject", 0 } };
	soap_folder_ref folders[] = { dist(m, "inbox"), { .id = "AAMkFolderX=", .change_key = "AQAAAA==" } };
	soap_find_item_args a = {
		.shape = { .base = "IdOnly", .fields = msg_fields, .nfields = 5 },
		.view = SOAP_VIEW_INDEXED, .max_entries = 50, .offset = 100,
		.restriction = &root, .sort = sort, .nsort = 2,
		.folders = folders, .nfolders = 2,
	};
	return soap_find_item_request(out, h, &a, err);
}

static int b_find_item_fractional(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_folder_ref f = dist(m, "junkemail");
	soap_find_item_args a = {
		.traversal = "SoftDeleted", .shape = { .base = "Default" },
		.view = SOAP_VIEW_FRACTIONAL, .max_entries = 10, .numerator = 1, .denominator = 4,
		.folders = &f, .nfolders = 1,
	};
	return soap_find_item_request(out, h, &a, err);
}

static int b_find_item_calendar(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	static const char *const f[] = { "item:Subject", "calendar:Start", "calendar:End",
					 "calendar:Location", "calendar:Organizer" };
	soap_folder_ref cal = dist(m, "calendar");
	soap_find_item_args a = {
		.shape = { .base = "IdOnly", .fields = f, .nfields = 5 },
		.view = SOAP_VIEW_CALENDAR, .max_entries = 200,
		.cal_start = "2024-05-01T00:00:00Z", .cal_end = "2024-05-08T00:00:00+02:00",
		.folders = &cal, .nfolders = 1,
	};
	return soap_find_item_request(out, h, &a, err);
}

static int b_find_item_query(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_folder_ref f = dist(m, "msgfolderroot");
	soap_find_item_args a = {
		.shape = { .base = "AllProperties" }, .max_entries = 25,
		.from_end = 1, .folders = &f, .nfolders = 1, .query_string = "subject:\"Q3 & Q4\"",
	};
	return soap_find_item_request(out, h, &a, err);
}

static int b_get_item(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	static const char *const f[] = { "item:Categories", "item:HasAttachments",
					 "item:Attachments", "message:InternetMessageId" };
	soap_item_ref ids[] = { { "AAMkADk0AAA=", "CQAAABYAAAA=" }, { "AAMkADk0AAB=", NULL } };
	soap_get_item_args a = {
		.shape = { .base = "Default", .body_type = "HTML", .include_mime = SOAP_FALSE,
			   .fields = f, .nfields = 4 },
		.ids = ids, .nids = 2,
	};
	(void)m;
	return soap_get_item_request(out, h, &a, err);
}

static const unsigned char hello[] = "hello world";

static int b_create_message(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	static const char *const cats[] = { "Finance", "Q3" };
	soap_mailbox to[] = { { NULL, "bob@contoso.com" }, { "Dave D.", "dave@contoso.com" } };
	soap_mailbox cc[] = { { "Carol", "carol@contoso.com" } };
	soap_mailbox bcc[] = { { NULL, "audit@contoso.com" } };
	soap_mailbox reply_to[] = { { NULL, "team@contoso.com" } };
	soap_mailbox from = { NULL, m->mailbox ? m->mailbox : "svc@contoso.com" };
	soap_file_attachment att[] = {
		{ .name = "report.txt", .content_type = "text/plain", .data = hello, .len = 11 },
		{ .name = "logo.png", .content_type = "image/png", .content_id = "logo@1",
		  .is_inline = SOAP_TRUE, .data = hello, .len = 5 },
	};
	soap_message msg = {
		.subject = "Q3 <report> & \"numbers\" \xE2\x80\x94 \xC3\x9C\x62\x65rsicht \xE2\x9C\x93",
		.body = "<p>See attached &amp; enjoy</p>", .body_type = "HTML",
		.attachments = att, .nattachments = 2, .categories = cats, .ncategories = 2,
		.importance = "High", .to = to, .nto = 2, .cc = cc, .ncc = 1, .bcc = bcc, .nbcc = 1,
		.read_receipt = SOAP_FALSE, .from = m->mailbox ? &from : NULL,
		.is_read = SOAP_TRUE, .reply_to = reply_to, .nreply_to = 1,
	};
	soap_folder_ref sent = dist(m, "sentitems");
	soap_create_message_args a = { "SendAndSaveCopy", &sent, &msg };
	return soap_create_message_request(out, h, &a, err);
}

static int b_create_draft(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_mailbox to[] = { { NULL, "bob@contoso.com" } };
	soap_message msg = { .subject = "Draft", .body = "text", .to = to, .nto = 1 };
	soap_folder_ref drafts = dist(m, "drafts");
	soap_create_message_args a = { "SaveOnly", &drafts, &msg };
	return soap_create_message_request(out, h, &a, err);
}

static int b_create_sendonly(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_mailbox to[] = { { NULL, "bob@contoso.com" } };
	soap_message msg = { .subject = "Ping", .to = to, .nto = 1 };
	soap_create_message_args a = { "SendOnly", NULL, &msg };
	(void)m;
	return soap_create_message_request(out, h, &a, err);
}

static int b_create_calendar(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_mailbox req[] = { { "Bob", "bob@contoso.com" } };
	soap_mailbox opt[] = { { NULL, "carol@contoso.com" } };
	soap_mailbox res[] = { { NULL, "room1@contoso.com" } };
	soap_calendar_item c = {
		.subject = "Planning", .body = "Agenda to follow", .importance = "Normal",
		.reminder_is_set = SOAP_TRUE, .reminder_minutes = 15,
		.start = "2024-05-02T08:00:00Z", .end = "2024-05-02T09:00:00Z",
		.is_all_day = SOAP_FALSE, .legacy_free_busy = "Busy", .location = "Room 1",
		.required = req, .nrequired = 1, .optional = opt, .noptional = 1,
		.resources = res, .nresources = 1,
		.start_tz = "W. Europe Standard Time", .end_tz = "W. Europe Standard Time",
	};
	soap_folder_ref cal = dist(m, "calendar");
	soap_create_calendar_args a = { "SendToAllAndSaveCopy", &cal, &c };
	return soap_create_calendar_request(out, h, &a, err);
}

static int b_create_contact(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	static const char *const emails[] = { "bob@fabrikam.com", "bob.smith@example.org" };
	soap_phone phones[] = { { "MobilePhone", "+45 12 34 56 78" },
				{ "BusinessPhone", "+45 87 65 43 21" } };
	soap_contact c = {
		.body = "Met at the fair", .file_as = "Smith, Bob", .display_name = "Bob Smith",
		.given_name = "Bob", .middle_name = "J", .nickname = "Bobby",
		.company_name = "Fabrikam", .emails = emails, .nemails = 2,
		.phones = phones, .nphones = 2, .department = "Purchasing",
		.job_title = "Buyer", .office_location = "HQ", .surname = "Smith",
	};
	soap_folder_ref f = dist(m, "contacts");
	soap_create_contact_args a = { &f, &c };
	return soap_create_contact_request(out, h, &a, err);
}

static int b_create_task(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_task t = {
		.subject = "File expense report", .body = "Before Friday", .importance = "High",
		.due_date = "2024-06-01T00:00:00Z", .has_percent_complete = 1,
		.percent_complete = 25, .start_date = "2024-05-27T00:00:00Z", .status = "InProgress",
	};
	soap_folder_ref f = dist(m, "tasks");
	soap_create_task_args a = { &f, &t };
	return soap_create_task_request(out, h, &a, err);
}

static int respond(buf *out, const soap_header *h, const mode *m, soap_response_kind k,
		   errinfo *err)
{
	soap_mailbox to[] = { { NULL, "dave@contoso.com" } };
	soap_mailbox from = { NULL, m->mailbox ? m->mailbox : "svc@contoso.com" };
	soap_folder_ref sent = dist(m, "sentitems");
	soap_respond_args a = {
		.kind = k, .reference = { "AAMkADk0AAA=", "CQAAABYAAAA=" },
		.saved_folder = &sent, .body = "Thanks, will do. <b>ok</b>",
		.body_type = k == SOAP_FORWARD ? "HTML" : NULL,
		.to = k == SOAP_FORWARD || k == SOAP_REPLY_ALL ? to : NULL,
		.nto = k == SOAP_FORWARD || k == SOAP_REPLY_ALL ? 1 : 0,
		.from = m->mailbox ? &from : NULL,
	};
	return soap_respond_request(out, h, &a, err);
}

static int b_reply(buf *o, const soap_header *h, const mode *m, errinfo *e) { return respond(o, h, m, SOAP_REPLY, e); }
static int b_reply_all(buf *o, const soap_header *h, const mode *m, errinfo *e) { return respond(o, h, m, SOAP_REPLY_ALL, e); }
static int b_forward(buf *o, const soap_header *h, const mode *m, errinfo *e) { return respond(o, h, m, SOAP_FORWARD, e); }
static int b_accept(buf *o, const soap_header *h, const mode *m, errinfo *e) { return respond(o, h, m, SOAP_ACCEPT, e); }
static int b_tentative(buf *o, const soap_header *h, const mode *m, errinfo *e) { return respond(o, h, m, SOAP_TENTATIVE, e); }
static int b_decline(buf *o, const soap_header *h, const mode *m, errinfo *e) { return respond(o, h, m, SOAP_DECLINE, e); }

static int b_update_item(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	static const char *const cats[] = { "Finance" };
	soap_mailbox att[] = { { "Bob", "bob@contoso.com" }, { NULL, "carol@contoso.com" } };
	soap_field_change mfields[] = {
		{ .op = SOAP_UPDATE_SET, .field = "message:IsRead", .value = "true" },
		{ .op = SOAP_UPDATE_SET, .field = "item:Categories", .strings = cats, .nstrings = 1 },
		{ .op = SOAP_UPDATE_SET, .field = "item:Subject", .value = "Re: <x> & y" },
		{ .op = SOAP_UPDATE_APPEND, .field = "item:Body", .value = "PS: thanks", .body_type = "Text" },
		{ .op = SOAP_UPDATE_SET, .field = "message:ToRecipients", .mailboxes = att, .nmailboxes = 2 },
		{ .op = SOAP_UPDATE_DELETE, .field = "item:ReminderDueBy" },
	};
	soap_field_change cal_fields[] = {
		{ .op = SOAP_UPDATE_SET, .field = "calendar:Start", .value = "2024-05-02T10:00:00Z" },
		{ .op = SOAP_UPDATE_SET, .field = "calendar:End", .value = "2024-05-02T11:00:00Z" },
		{ .op = SOAP_UPDATE_SET, .field = "calendar:Location", .value = "Room 2" },
		{ .op = SOAP_UPDATE_SET, .field = "calendar:RequiredAttendees", .mailboxes = att, .nmailboxes = 2 },
		{ .op = SOAP_UPDATE_SET, .field = "calendar:StartTimeZone", .value = "UTC" },
	};
	soap_field_change contact_fields[] = {
		{ .op = SOAP_UPDATE_SET, .field = "contacts:EmailAddress", .field_index = "EmailAddress1",
		  .value = "new@contoso.com" },
		{ .op = SOAP_UPDATE_SET, .field = "contacts:PhoneNumber", .field_index = "MobilePhone",
		  .value = "+1 555 0100" },
		{ .op = SOAP_UPDATE_DELETE, .field = "contacts:EmailAddress", .field_index = "EmailAddress2" },
		{ .op = SOAP_UPDATE_SET, .field = "contacts:JobTitle", .value = "Lead" },
	};
	soap_field_change task_fields[] = {
		{ .op = SOAP_UPDATE_SET, .field = "task:PercentComplete", .value = "50" },
		{ .op = SOAP_UPDATE_SET, .field = "task:Status", .value = "InProgress" },
	};
	soap_item_change changes[] = {
		{ { "AAMkADk0AAA=", "CQAAABYAAAA=" }, "Message", mfields, 6 },
		{ { "AAMkCal1=", "DwAAAB=" }, NULL, cal_fields, 5 },
		{ { "AAMkCon1=", "EQAAAB=" }, NULL, contact_fields, 4 },
		{ { "AAMkTask1=", NULL }, NULL, task_fields, 2 },
	};
	soap_folder_ref saved = dist(m, "drafts");
	soap_update_item_args a = {
		.conflict_resolution = "AlwaysOverwrite", .disposition = "SaveOnly",
		.send_invitations_or_cancellations = "SendToChangedAndSaveCopy",
		.saved_folder = &saved, .changes = changes, .nchanges = 4,
	};
	return soap_update_item_request(out, h, &a, err);
}

static int b_delete_item(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_item_ref ids[] = { { "AAMkADk0AAA=", "CQAAABYAAAA=" } };
	soap_delete_item_args a = { .delete_type = "SoftDelete", .ids = ids, .nids = 1 };
	(void)m;
	return soap_delete_item_request(out, h, &a, err);
}

static int b_move_item(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_item_ref ids[] = { { "AAMkADk0AAA=", NULL }, { "AAMkADk0AAB=", NULL } };
	soap_move_item_args a = { dist(m, "deleteditems"), ids, 2, SOAP_TRUE };
	return soap_move_item_request(out, h, &a, err);
}

static int b_copy_item(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_item_ref ids[] = { { "AAMkADk0AAA=", NULL } };
	soap_move_item_args a = { { .id = "AAMkFolder=", .change_key = "AQAAAA==" }, ids, 1, SOAP_UNSET };
	(void)m;
	return soap_copy_item_request(out, h, &a, err);
}

static int b_send_item(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_item_ref ids[] = { { "AAMkDraft=", "CQAAABYAAAA=" } };
	soap_folder_ref sent = dist(m, "sentitems");
	soap_send_item_args a = { 1, &sent, ids, 1 };
	return soap_send_item_request(out, h, &a, err);
}

static int b_find_folder(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	static const char *const f[] = { "folder:DisplayName", "folder:FolderClass",
					 "folder:ChildFolderCount", "folder:TotalCount",
					 "folder:UnreadCount" };
	soap_restriction r = { .op = SOAP_R_CONTAINS, .field = "folder:DisplayName", .value = "Proj" };
	soap_folder_ref root = dist(m, "msgfolderroot");
	soap_find_folder_args a = {
		.traversal = "Deep", .shape = { .base = "IdOnly", .fields = f, .nfields = 5 },
		.max_entries = 100, .offset = 0, .restriction = &r, .parents = &root, .nparents = 1,
	};
	return soap_find_folder_request(out, h, &a, err);
}

static int b_get_folder(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_folder_ref f[] = { dist(m, "calendar"), dist(m, "inbox"), dist(m, "archivemsgfolderroot"),
				{ .id = "AAMkFolder=" } };
	soap_get_folder_args a = { .shape = { .base = "Default" }, .folders = f, .nfolders = 4 };
	return soap_get_folder_request(out, h, &a, err);
}

static int b_create_folder(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_create_folder_args a = { dist(m, "inbox"), "Projects & <Plans>", "IPF.Note" };
	return soap_create_folder_request(out, h, &a, err);
}

static int b_delete_folder(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_folder_ref f[] = { { .id = "AAMkFolder=", .change_key = "AQAAAA==" } };
	soap_delete_folder_args a = { "HardDelete", f, 1 };
	(void)m;
	return soap_delete_folder_request(out, h, &a, err);
}

static int b_update_folder(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_update_folder_args a = { { .id = "AAMkFolder=", .change_key = "AQAAAA==" }, "Projects 2024" };
	(void)m;
	return soap_update_folder_request(out, h, &a, err);
}

static int b_move_folder(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_folder_ref f[] = { { .id = "AAMkFolder=" } };
	soap_move_folder_args a = { dist(m, "deleteditems"), f, 1 };
	return soap_move_folder_request(out, h, &a, err);
}

static int b_availability(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_availability_mailbox mb[] = {
		{ "bob@contoso.com", NULL, SOAP_FALSE },
		{ "room1@contoso.com", "Room", SOAP_UNSET },
	};
	soap_suggestions_options s = {
		.good_threshold = 25, .max_results_per_day = 10, .meeting_duration_minutes = 60,
		.min_quality = "Good", .window_start = "2024-05-02T00:00:00Z",
		.window_end = "2024-05-04T00:00:00Z",
	};
	soap_availability_args a = {
		.mailboxes = mb, .nmailboxes = 2, .start = "2024-05-02T00:00:00Z",
		.end = "2024-05-03T00:00:00Z", .interval_minutes = 15, .requested_view = "Detailed",
		.suggestions = &s,
	};
	(void)m;
	return soap_get_user_availability_request(out, h, &a, err);
}

static int b_availability_cet(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_legacy_tz cet = { -60, { 0, "03:00:00", 5, 10, "Sunday" },
			       { -60, "02:00:00", 5, 3, "Sunday" } };
	soap_availability_mailbox mb[] = { { "bob@contoso.com", "Required", SOAP_UNSET } };
	soap_availability_args a = {
		.tz = &cet, .mailboxes = mb, .nmailboxes = 1,
		.start = "2024-05-02T00:00:00", .end = "2024-05-03T00:00:00",
	};
	(void)m;
	return soap_get_user_availability_request(out, h, &a, err);
}

static int b_get_oof(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_get_oof_args a = { m->impersonate ? m->impersonate : "svc@contoso.com" };
	return soap_get_oof_request(out, h, &a, err);
}

static int b_set_oof(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_set_oof_args a = {
		.mailbox = m->impersonate ? m->impersonate : "svc@contoso.com",
		.state = "Scheduled", .external_audience = "Known",
		.start = "2024-07-01T00:00:00Z", .end = "2024-07-15T00:00:00Z",
		.internal_reply = "<p>On holiday until 15 July.</p>",
		.external_reply = "On holiday & away.",
	};
	return soap_set_oof_request(out, h, &a, err);
}

static int b_resolve_names(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_folder_ref f = dist(m, "contacts");
	soap_resolve_names_args a = {
		.entry = "bob", .full_contact_data = 1, .search_scope = "ActiveDirectoryContacts",
		.contact_data_shape = "IdOnly", .folders = &f, .nfolders = 1,
	};
	return soap_resolve_names_request(out, h, &a, err);
}

static int b_find_people(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	static const char *const f[] = { "persona:DisplayName", "persona:EmailAddress" };
	soap_folder_ref dir = { .distinguished = "directory" };
	soap_find_people_args a = {
		.shape = { .base = "IdOnly", .fields = f, .nfields = 2 },
		.max_entries = 20, .offset = 0, .folder = &dir, .query = "bob",
	};
	(void)m;
	return soap_find_people_request(out, h, &a, err);
}

static int b_expand_dl(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_expand_dl_args a = { "sales@contoso.com" };
	(void)m;
	return soap_expand_dl_request(out, h, &a, err);
}

static int b_get_attachment(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	static const char *const ids[] = { "AAMkAtt1=", "AAMkAtt2=" };
	soap_get_attachment_args a = { ids, 2, "Text", SOAP_FALSE };
	(void)m;
	return soap_get_attachment_request(out, h, &a, err);
}

static int b_create_attachment(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_file_attachment f[] = { { .name = "report.txt", .content_type = "text/plain",
				       .data = hello, .len = 11 } };
	soap_create_attachment_args a = { { "AAMkADk0AAA=", "CQAAABYAAAA=" }, f, 1 };
	(void)m;
	return soap_create_attachment_request(out, h, &a, err);
}

static int b_delete_attachment(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	static const char *const ids[] = { "AAMkAtt1=" };
	soap_delete_attachment_args a = { ids, 1 };
	(void)m;
	return soap_delete_attachment_request(out, h, &a, err);
}

static int b_get_inbox_rules(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_get_inbox_rules_args a = { m->mailbox ? m->mailbox : m->impersonate };
	return soap_get_inbox_rules_request(out, h, &a, err);
}

static int b_update_inbox_rules(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	static const char *const subj[] = { "invoice", "bill" };
	static const char *const body[] = { "payment" };
	static const char *const cats[] = { "Finance" };
	soap_mailbox from[] = { { "Vendor", "billing@vendor.example" } };
	soap_rule_predicates cond = {
		.contains_body = body, .ncontains_body = 1, .contains_subject = subj,
		.ncontains_subject = 2, .from = from, .nfrom = 1, .has_attachments = SOAP_TRUE,
		.importance = "High", .sent_to_me = SOAP_TRUE,
	};
	soap_rule_predicates exc = { .contains_sender = body, .ncontains_sender = 1 };
	soap_folder_ref target = { .id = "AAMkFolder=" };
	soap_rule_actions act = {
		.assign_categories = cats, .nassign_categories = 1, .mark_importance = "High",
		.mark_as_read = SOAP_TRUE, .move_to_folder = &target, .stop_processing = SOAP_TRUE,
	};
	soap_folder_ref junk = dist(m, "junkemail");
	soap_rule_actions act2 = { .copy_to_folder = &junk, .forward_to = from, .nforward_to = 1 };
	soap_rule_op ops[] = {
		{ SOAP_RULE_CREATE, NULL, "Invoices to folder", 1, 1, &cond, &exc, &act },
		{ SOAP_RULE_SET, "AQAAAAAAAAE=", "Copy junk", 2, 0, NULL, NULL, &act2 },
		{ SOAP_RULE_DELETE, "AQAAAAAAAAA=", NULL, 0, 0, NULL, NULL, NULL },
	};
	soap_update_inbox_rules_args a = { m->mailbox, SOAP_TRUE, ops, 3 };
	return soap_update_inbox_rules_request(out, h, &a, err);
}

static int b_sync_folder_items(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_item_ref ignore[] = { { "AAMkIgn1=", NULL } };
	soap_sync_folder_items_args a = {
		.shape = { .base = "IdOnly" }, .folder = dist(m, "inbox"),
		.sync_state = "H4sIAAAAAAAEAO29B2AcSZYlJi9tynt", .ignore = ignore, .nignore = 1,
		.max_changes = 512, .scope = "NormalItems",
	};
	return soap_sync_folder_items_request(out, h, &a, err);
}

static int b_get_server_time_zones(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	static const char *const ids[] = { "W. Europe Standard Time", "Pacific Standard Time" };
	soap_get_server_time_zones_args a = { ids, 2, 0 };
	(void)m;
	return soap_get_server_time_zones_request(out, h, &a, err);
}

static int b_get_all_time_zones(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	(void)m;
	return soap_get_server_time_zones_request(out, h, NULL, err);
}

static int b_convert_id(buf *out, const soap_header *h, const mode *m, errinfo *err)
{
	soap_alternate_id ids[] = { { "AAAAAA==", "EntryId", "alice@contoso.com" },
				    { "AAMkADk0AAA=", "EwsId", "alice@contoso.com" } };
	soap_convert_id_args a = { "EwsId", ids, 2 };
	(void)m;
	return soap_convert_id_request(out, h, &a, err);
}

static const struct {
	const char *name;
	builder fn;
	const char *body_elem;   /* local name of the soap:Body child */
} cases[] = {
	{ "find_item_paged", b_find_item_paged, "FindItem" },
	{ "find_item_fractional", b_find_item_fractional, "FindItem" },
	{ "find_item_calendar", b_find_item_calendar, "FindItem" },
	{ "find_item_query", b_find_item_query, "FindItem" },
	{ "get_item", b_get_item, "GetItem" },
	{ "create_message", b_create_message, "CreateItem" },
	{ "create_draft", b_create_draft, "CreateItem" },
	{ "create_sendonly", b_create_sendonly, "CreateItem" },
	{ "create_calendar", b_create_calendar, "CreateItem" },
	{ "create_contact", b_create_contact, "CreateItem" },
	{ "create_task", b_create_task, "CreateItem" },
	{ "reply", b_reply, "CreateItem" },
	{ "reply_all", b_reply_all, "CreateItem" },
	{ "forward", b_forward, "CreateItem" },
	{ "accept", b_accept, "CreateItem" },
	{ "tentative", b_tentative, "CreateItem" },
	{ "decline", b_decline, "CreateItem" },
	{ "update_item", b_update_item, "UpdateItem" },
	{ "delete_item", b_delete_item, "DeleteItem" },
	{ "move_item", b_move_item, "MoveItem" },
	{ "copy_item", b_copy_item, "CopyItem" },
	{ "send_item", b_send_item, "SendItem" },
	{ "find_folder", b_find_folder, "FindFolder" },
	{ "get_folder", b_get_folder, "GetFolder" },
	{ "create_folder", b_create_folder, "CreateFolder" },
	{ "delete_folder", b_delete_folder, "DeleteFolder" },
	{ "update_folder", b_update_folder, "UpdateFolder" },
	{ "move_folder", b_move_folder, "MoveFolder" },
	{ "availability", b_availability, "GetUserAvailabilityRequest" },
	{ "availability_cet", b_availability_cet, "GetUserAvailabilityRequest" },
	{ "get_oof", b_get_oof, "GetUserOofSettingsRequest" },
	{ "set_oof", b_set_oof, "SetUserOofSettingsRequest" },
	{ "resolve_names", b_resolve_names, "ResolveNames" },
	{ "find_people", b_find_people, "FindPeople" },
	{ "expand_dl", b_expand_dl, "ExpandDL" },
	{ "get_attachment", b_get_attachment, "GetAttachment" },
	{ "create_attachment", b_create_attachment, "CreateAttachment" },
	{ "delete_attachment", b_delete_attachment, "DeleteAttachment" },
	{ "get_inbox_rules", b_get_inbox_rules, "GetInboxRules" },
	{ "update_inbox_rules", b_update_inbox_rules, "UpdateInboxRules" },
	{ "sync_folder_items", b_sync_folder_items, "SyncFolderItems" },
	{ "get_server_time_zones", b_get_server_time_zones, "GetServerTimeZones" },
	{ "get_all_time_zones", b_get_all_time_zones, "GetServerTimeZones" },
	{ "convert_id", b_convert_id, "ConvertId" },
};

/* Every builder x every mode: valid against the schema, the right body
 * element, the header the mode asks for, and in the modes that name the
 * mailbox, a Mailbox on every distinguished folder id. */
static void test_all_builders_all_modes(void **state)
{
	size_t c, k;
	char label[128], expr[256];

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		for (k = 0; k < sizeof(modes) / sizeof(modes[0]); k++) {
			const mode *m = &modes[k];
			soap_header h = SOAP_HEADER_INIT;
			buf out = BUF_INIT(SOAP_REQUEST_MAX);
			errinfo err = ERRINFO_INIT;
			xmlDocPtr doc;
			int rc;

			h.impersonate = m->impersonate;
			h.timezone_id = m->timezone;
			snprintf(label, sizeof(label), "%s/%s", cases[c].name, m->name);
			rc = cases[c].fn(&out, &h, m, &err);
			if (rc != 0)
				print_error("%s: builder failed: %s\n", label, err.msg);
			assert_int_equal(rc, 0);
			assert_int_equal(soaptest_validate(out.ptr, out.len, label), 0);

			doc = soaptest_parse(out.ptr, out.len);
			assert_non_null(doc);
			assert_string_equal(soaptest_xpath(doc, "local-name(/soap:Envelope/soap:Body/*)"),
					    cases[c].body_elem);
			assert_string_equal(soaptest_xpath(doc, "string(//t:RequestServerVersion/@Version)"),
					    "Exchange2016");
			if (m->impersonate) {
				assert_string_equal(soaptest_xpath(doc,
					"string(/soap:Envelope/soap:Header/t:ExchangeImpersonation/t:ConnectingSID/t:PrimarySmtpAddress)"),
					m->impersonate);
			} else {
				assert_string_equal(soaptest_xpath(doc, "count(//t:ExchangeImpersonation)"), "0");
			}
			if (m->timezone) {
				assert_string_equal(soaptest_xpath(doc,
					"string(//t:TimeZoneContext/t:TimeZoneDefinition/@Id)"), m->timezone);
			}
			if (m->mailbox) {
				snprintf(expr, sizeof(expr),
					 "count(//t:DistinguishedFolderId[@Id!='directory' and not(t:Mailbox/t:EmailAddress='%s')])",
					 m->mailbox);
				if (strcmp(soaptest_xpath(doc, expr), "0") != 0)
					print_error("%s: distinguished folder without the mailbox\n", label);
				assert_string_equal(soaptest_xpath(doc, expr), "0");
			}
			xmlFreeDoc(doc);
			buf_dispose(&out);
		}
	}
}

/* The harness itself must be able to fail: Microsoft-invalid samples
 * (wrong element order, two views, Exchange2019, empty impersonation)
 * are rejected by the same validator. */
static void test_validator_rejects_invalid_samples(void **state)
{
	static const char *const bad[] = {
		"samples/createitem-message-wrong-order.invalid.xml",
		"samples/finditem-two-views.invalid.xml",
		"samples/header-bad-version.invalid.xml",
		"samples/header-empty-impersonation.invalid.xml",
	};
	size_t i, len;

	(void)state;
	soaptest_require_schema();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *xml = testutil_read_file(testutil_schema_path(bad[i]), &len);
		xmlDocPtr doc;

		assert_non_null(xml);
		doc = soaptest_parse(xml, len);
		assert_non_null(doc);
		assert_int_not_equal(soaptest_validate_doc(doc, bad[i]), 0);
		xmlFreeDoc(doc);
		free(xml);
	}
}

/* ---- content checks ------------------------------------------------------ */

static xmlDocPtr build_doc(builder fn, const mode *m, buf *out)
{
	soap_header h = SOAP_HEADER_INIT;
	errinfo err = ERRINFO_INIT;

	h.impersonate = m->impersonate;
	assert_int_equal(fn(out, &h, m, &err), 0);
	return soaptest_parse(out->ptr, out->len);
}

static void test_escaping_round_trips(void **state)
{
	buf out = BUF_INIT(SOAP_REQUEST_MAX);
	xmlDocPtr doc;

	(void)state;
	doc = build_doc(b_create_message, &modes[0], &out);
	assert_non_null(doc);
	/* the escaped bytes on the wire ... */
	assert_non_null(strstr(out.ptr, "Q3 &lt;report&gt; &amp; &quot;numbers&quot;"));
	/* ... and the parsed value is exactly the caller's text, non-ASCII
	 * included (UTF-8 passes through unescaped). */
	assert_string_equal(soaptest_xpath(doc, "string(//t:Message/t:Subject)"),
			    "Q3 <report> & \"numbers\" \xE2\x80\x94 \xC3\x9C\x62\x65rsicht \xE2\x9C\x93");
	assert_non_null(strstr(out.ptr, "\xC3\x9C\x62\x65rsicht"));
	assert_string_equal(soaptest_xpath(doc, "string(//t:Message/t:Body)"),
			    "<p>See attached &amp; enjoy</p>");
	assert_string_equal(soaptest_xpath(doc, "string(//t:Message/t:Body/@BodyType)"), "HTML");
	/* the attachment bytes are base64 */
	assert_string_equal(soaptest_xpath(doc,
		"string(//t:FileAttachment[t:Name='report.txt']/t:Content)"), "aGVsbG8gd29ybGQ=");
	assert_string_equal(soaptest_xpath(doc, "string(//t:ToRecipients/t:Mailbox[2]/t:Name)"),
			    "Dave D.");
	assert_string_equal(soaptest_xpath(doc, "string(//m:CreateItem/@MessageDisposition)"),
			    "SendAndSaveCopy");
	xmlFreeDoc(doc);
	buf_dispose(&out);

	/* restriction constants are attributes: quotes and angle brackets */
	doc = build_doc(b_find_item_paged, &modes[0], &out);
	assert_string_equal(soaptest_xpath(doc,
		"string(//t:Contains[t:FieldURI/@FieldURI='item:Subject']/t:Constant/@Value)"),
		"invoice <&> \"x\"");
	assert_string_equal(soaptest_xpath(doc, "string(//m:IndexedPageItemView/@Offset)"), "100");
	assert_string_equal(soaptest_xpath(doc, "string(//m:SortOrder/t:FieldOrder[1]/@Order)"),
			    "Descending");
	xmlFreeDoc(doc);
	buf_dispose(&out);
}

static void test_delegate_shapes(void **state)
{
	buf out = BUF_INIT(SOAP_REQUEST_MAX);
	xmlDocPtr doc;

	(void)state;
	/* delegate send: From = principal, copy in the principal's Sent Items */
	doc = build_doc(b_create_message, &modes[2], &out);
	assert_string_equal(soaptest_xpath(doc, "string(//t:Message/t:From/t:Mailbox/t:EmailAddress)"),
			    "alice@contoso.com");
	assert_string_equal(soaptest_xpath(doc,
		"string(//m:SavedItemFolderId/t:DistinguishedFolderId[@Id='sentitems']/t:Mailbox/t:EmailAddress)"),
		"alice@contoso.com");
	xmlFreeDoc(doc);
	buf_dispose(&out);

	/* reply by a delegate carries From before ReferenceItemId */
	doc = build_doc(b_reply, &modes[2], &out);
	assert_string_equal(soaptest_xpath(doc, "local-name(//t:ReplyToItem/t:From/following-sibling::*[1])"),
			    "ReferenceItemId");
	assert_string_equal(soaptest_xpath(doc, "string(//t:ReplyToItem/t:NewBodyContent)"),
			    "Thanks, will do. <b>ok</b>");
	xmlFreeDoc(doc);
	buf_dispose(&out);
}

static void test_public_folder_root_has_no_mailbox(void **state)
{
	soap_folder_ref f = { .distinguished = "publicfoldersroot", .mailbox = "alice@contoso.com" };
	buf out = BUF_INIT(4096);
	errinfo err = ERRINFO_INIT;

	(void)state;
	assert_int_equal(soap_put_folder_ref(&out, &f, "folder", &err), 0);
	assert_string_equal(out.ptr, "<t:DistinguishedFolderId Id=\"publicfoldersroot\"/>");
	buf_dispose(&out);
}

static void test_supported_versions(void **state)
{
	static const char *const ok[] = { "Exchange2016", "Exchange2013_SP1", "Exchange2010_SP2" };
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		soap_header h = SOAP_HEADER_INIT;
		buf out = BUF_INIT(SOAP_REQUEST_MAX);
		errinfo err = ERRINFO_INIT;
		xmlDocPtr doc;

		h.server_version = ok[i];
		assert_int_equal(b_get_item(&out, &h, &modes[0], &err), 0);
		assert_int_equal(soaptest_validate(out.ptr, out.len, ok[i]), 0);
		doc = soaptest_parse(out.ptr, out.len);
		assert_string_equal(soaptest_xpath(doc, "string(//t:RequestServerVersion/@Version)"), ok[i]);
		xmlFreeDoc(doc);
		buf_dispose(&out);
	}
}

static void test_optional_headers(void **state)
{
	soap_header h = SOAP_HEADER_INIT;
	buf out = BUF_INIT(SOAP_REQUEST_MAX);
	errinfo err = ERRINFO_INIT;
	xmlDocPtr doc;

	(void)state;
	h.server_version = NULL;   /* NULL means Exchange2016 */
	h.impersonate = "alice@contoso.com";
	h.timezone_id = "Pacific Standard Time";
	h.datetime_precision = "Milliseconds";
	h.mailbox_culture = "de-DE";
	assert_int_equal(b_find_item_paged(&out, &h, &modes[1], &err), 0);
	assert_int_equal(soaptest_validate(out.ptr, out.len, "optional-headers"), 0);
	doc = soaptest_parse(out.ptr, out.len);
	assert_string_equal(soaptest_xpath(doc, "string(//t:RequestServerVersion/@Version)"), "Exchange2016");
	assert_string_equal(soaptest_xpath(doc, "string(//t:DateTimePrecision)"), "Milliseconds");
	assert_string_equal(soaptest_xpath(doc, "string(//t:MailboxCulture)"), "de-DE");
	assert_string_equal(soaptest_xpath(doc, "count(/soap:Envelope/soap:Header/*)"), "5");
	xmlFreeDoc(doc);
	buf_dispose(&out);
}

/* ---- negative cases ------------------------------------------------------- */

static void test_versions_refused(void **state)
{
	static const char *const bad[] = { "Exchange2019", "V2018_01_08", "Exchange2007", "", "2016" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		soap_header h = SOAP_HEADER_INIT;
		buf out = BUF_INIT(SOAP_REQUEST_MAX);
		errinfo err = ERRINFO_INIT;

		h.server_version = bad[i];
		assert_int_equal(b_get_item(&out, &h, &modes[0], &err), ERR_INVAL);
		assert_int_equal(out.len, 0);
		assert_non_null(strstr(err.msg, "server_version"));
		buf_dispose(&out);
	}
	{
		soap_header h = SOAP_HEADER_INIT;
		buf out = BUF_INIT(4096);
		errinfo err = ERRINFO_INIT;

		h.server_version = "Exchange2019";
		assert_int_equal(soap_envelope_begin(&out, &h, &err), ERR_INVAL);
		assert_non_null(strstr(err.msg, "'Exchange2019' is not a valid RequestServerVersion"));
		buf_dispose(&out);
	}
	assert_false(soap_version_is_supported("Exchange2019"));
	assert_true(soap_version_is_supported("Exchange2013_SP1"));
}

static void test_bad_headers_refused(void **state)
{
	soap_header h = SOAP_HEADER_INIT;
	buf out = BUF_INIT(4096);
	errinfo err = ERRINFO_INIT;

	(void)state;
	h.impersonate = "";
	assert_int_equal(soap_envelope_begin(&out, &h, &err), ERR_INVAL);
	assert_non_null(strstr(err.msg, "impersonation: the ConnectingSID address is empty"));
	assert_int_equal(out.len, 0);

	errinfo_clear(&err);
	h.impersonate = "alice\x01@contoso.com";
	assert_int_equal(soap_envelope_begin(&out, &h, &err), ERR_INVAL);
	assert_non_null(strstr(err.msg, "impersonation: contains a control character"));
	assert_int_equal(out.len, 0);

	errinfo_clear(&err);
	h.impersonate = NULL;
	h.datetime_precision = "Nanoseconds";
	assert_int_equal(soap_envelope_begin(&out, &h, &err), ERR_INVAL);
	assert_non_null(strstr(err.msg, "datetime_precision: 'Nanoseconds' is not one of Seconds, Milliseconds"));
	buf_dispose(&out);
}

static int create_with_subject(const char *subject, buf *out, errinfo *err)
{
	soap_mailbox to[] = { { NULL, "bob@contoso.com" } };
	soap_message msg = { .subject = subject, .body = "x", .to = to, .nto = 1 };
	soap_create_message_args a = { "SendOnly", NULL, &msg };
	return soap_create_message_request(out, NULL, &a, err);
}

static void test_bad_text_names_field(void **state)
{
	static const struct {
		const char *subject;
		const char *want;
	} rows[] = {
		{ "hello\x01world", "subject: contains a control character XML cannot carry" },
		{ "bell\a", "subject: contains a control character XML cannot carry" },
		{ "broken \xC3 utf8", "subject: is not valid UTF-8" },
		{ "overlong \xC0\xAF", "subject: is not valid UTF-8" },
		{ "surrogate \xED\xA0\x80", "subject: is not valid UTF-8" },
		{ "nonchar \xEF\xBF\xBF", "subject: is not valid UTF-8 or contains a character XML cannot carry" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		buf out = BUF_INIT(SOAP_REQUEST_MAX);
		errinfo err = ERRINFO_INIT;

		buf_puts(&out, "KEEP");
		assert_int_equal(create_with_subject(rows[i].subject, &out, &err), ERR_INVAL);
		if (strncmp(err.msg, rows[i].want, strlen(rows[i].want)) != 0)
			print_error("row %zu: got '%s'\n", i, err.msg);
		assert_true(strncmp(err.msg, rows[i].want, strlen(rows[i].want)) == 0);
		/* the buffer is back to what it held before */
		assert_string_equal(buf_cstr(&out), "KEEP");
		buf_dispose(&out);
	}
}

static void test_schema_limits_refused(void **state)
{
	soap_availability_mailbox mb[SOAP_AVAILABILITY_MAX + 1];
	soap_availability_args a = { .mailboxes = mb, .start = "2024-05-02T00:00:00Z",
				      .end = "2024-05-03T00:00:00Z" };
	buf out = BUF_INIT(SOAP_REQUEST_MAX);
	errinfo err = ERRINFO_INIT;
	size_t i;

	(void)state;
	for (i = 0; i <= SOAP_AVAILABILITY_MAX; i++)
		mb[i] = (soap_availability_mailbox){ "bob@contoso.com", NULL, SOAP_UNSET };
	a.nmailboxes = SOAP_AVAILABILITY_MAX;
	assert_int_equal(soap_get_user_availability_request(&out, NULL, &a, &err), 0);
	assert_int_equal(soaptest_validate(out.ptr, out.len, "availability-100"), 0);
	buf_clear(&out);

	a.nmailboxes = SOAP_AVAILABILITY_MAX + 1;
	assert_int_equal(soap_get_user_availability_request(&out, NULL, &a, &err), ERR_INVAL);
	assert_string_equal(err.msg, "mailboxes: at most 100 entries per request, got 101");
	assert_int_equal(out.len, 0);

	errinfo_clear(&err);
	a.nmailboxes = 0;
	assert_int_equal(soap_get_user_availability_request(&out, NULL, &a, &err), ERR_INVAL);
	assert_string_equal(err.msg, "mailboxes: at least one entry is required");
	buf_dispose(&out);
}

static void test_argument_errors(void **state)
{
	buf out = BUF_INIT(SOAP_REQUEST_MAX);
	errinfo err = ERRINFO_INIT;
	soap_folder_ref bad = { .distinguished = "inbx" };
	soap_folder_ref both = { .distinguished = "inbox", .id = "x" };
	soap_folder_ref inbox = { .distinguished = "inbox" };
	soap_restriction r = { .op = SOAP_R_EQ, .field = "item:Subject", .value = "x" };
	soap_restriction deep[SOAP_RESTRICTION_DEPTH_MAX + 2];
	size_t i;

	(void)state;
	/* unknown distinguished folder */
	{
		soap_find_item_args a = { .max_entries = 10, .folders = &bad, .nfolders = 1 };
		assert_int_equal(soap_find_item_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_non_null(strstr(err.msg, "folders[0]: 'inbx' is not a distinguished folder name"));
	}
	errinfo_clear(&err);
	{
		soap_find_item_args a = { .max_entries = 10, .folders = &both, .nfolders = 1 };
		assert_int_equal(soap_find_item_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_non_null(strstr(err.msg, "folders[0]: give either"));
	}
	/* calendar view with a restriction */
	errinfo_clear(&err);
	{
		soap_find_item_args a = { .view = SOAP_VIEW_CALENDAR, .cal_start = "2024-05-01T00:00:00Z",
					  .cal_end = "2024-05-02T00:00:00Z", .restriction = &r,
					  .folders = &inbox, .nfolders = 1 };
		assert_int_equal(soap_find_item_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_non_null(strstr(err.msg, "neither with a calendar view"));
	}
	/* calendar view end before start / more than two years / bad date */
	errinfo_clear(&err);
	{
		soap_find_item_args a = { .view = SOAP_VIEW_CALENDAR, .cal_start = "2024-05-02T00:00:00Z",
					  .cal_end = "2024-05-01T00:00:00Z", .folders = &inbox, .nfolders = 1 };
		assert_int_equal(soap_find_item_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_string_equal(err.msg, "end: is before start");
		errinfo_clear(&err);
		a.cal_end = "2027-05-01T00:00:00Z";
		assert_int_equal(soap_find_item_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_string_equal(err.msg, "end: a calendar view spans at most two years");
		errinfo_clear(&err);
		a.cal_end = "2024-02-30T00:00:00Z";
		assert_int_equal(soap_find_item_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_non_null(strstr(err.msg, "end: '2024-02-30T00:00:00Z' is not an ISO 8601 date-time"));
	}
	/* paging */
	errinfo_clear(&err);
	{
		soap_find_item_args a = { .max_entries = 0, .folders = &inbox, .nfolders = 1 };
		assert_int_equal(soap_find_item_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_non_null(strstr(err.msg, "max_entries: must be between 1 and 1000, got 0"));
		errinfo_clear(&err);
		a.max_entries = 10;
		a.offset = -1;
		assert_int_equal(soap_find_item_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_non_null(strstr(err.msg, "offset: must not be negative"));
	}
	/* bad field URI and bad base shape */
	errinfo_clear(&err);
	{
		static const char *const f[] = { "item:Subject\"/><x" };
		soap_find_item_args a = { .shape = { .fields = f, .nfields = 1 }, .max_entries = 5,
					  .folders = &inbox, .nfolders = 1 };
		assert_int_equal(soap_find_item_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_non_null(strstr(err.msg, "shape.fields[0]"));
		errinfo_clear(&err);
		a.shape.nfields = 0;
		a.shape.base = "Everything";
		assert_int_equal(soap_find_item_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_string_equal(err.msg,
			"shape.base: 'Everything' is not one of IdOnly, Default, AllProperties");
	}
	/* restriction: Not with two children, too deep, missing value */
	errinfo_clear(&err);
	{
		soap_restriction two[] = { r, r };
		soap_restriction not2 = { .op = SOAP_R_NOT, .children = two, .nchildren = 2 };
		soap_find_item_args a = { .max_entries = 5, .restriction = &not2, .folders = &inbox,
					  .nfolders = 1 };
		assert_int_equal(soap_find_item_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_string_equal(err.msg, "restriction: 'not' takes exactly one condition, got 2");

		for (i = 0; i < SOAP_RESTRICTION_DEPTH_MAX + 1; i++)
			deep[i] = (soap_restriction){ .op = SOAP_R_NOT, .children = &deep[i + 1], .nchildren = 1 };
		deep[SOAP_RESTRICTION_DEPTH_MAX + 1] = r;
		a.restriction = deep;
		errinfo_clear(&err);
		assert_int_equal(soap_find_item_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_non_null(strstr(err.msg, "nested deeper than 16 levels"));

		soap_restriction novalue = { .op = SOAP_R_CONTAINS, .field = "item:Subject" };
		a.restriction = &novalue;
		errinfo_clear(&err);
		assert_int_equal(soap_find_item_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_string_equal(err.msg, "restriction.value: is required");
	}
	/* forward without recipients */
	errinfo_clear(&err);
	{
		soap_respond_args a = { .kind = SOAP_FORWARD, .reference = { "AAMk=", NULL } };
		assert_int_equal(soap_respond_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_string_equal(err.msg, "to: a forward needs at least one recipient");
	}
	/* disposition */
	errinfo_clear(&err);
	{
		soap_message msg = { .subject = "x" };
		soap_create_message_args a = { "SendAndSave", NULL, &msg };
		assert_int_equal(soap_create_message_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_string_equal(err.msg,
			"disposition: 'SendAndSave' is not one of SaveOnly, SendOnly, SendAndSaveCopy");
		errinfo_clear(&err);
		a.disposition = NULL;
		assert_int_equal(soap_create_message_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_non_null(strstr(err.msg, "disposition: is required"));
	}
	/* recipient without an address */
	errinfo_clear(&err);
	{
		soap_mailbox to[] = { { "Bob", NULL } };
		soap_message msg = { .subject = "x", .to = to, .nto = 1 };
		soap_create_message_args a = { "SaveOnly", NULL, &msg };
		assert_int_equal(soap_create_message_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_string_equal(err.msg, "to[0].email: is required");
	}
	/* too many ids in one batch */
	errinfo_clear(&err);
	{
		soap_item_ref ids[SOAP_BATCH_MAX + 1];
		soap_get_item_args a = { .ids = ids, .nids = SOAP_BATCH_MAX + 1 };
		for (i = 0; i <= SOAP_BATCH_MAX; i++)
			ids[i] = (soap_item_ref){ "AAMk=", NULL };
		assert_int_equal(soap_get_item_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_string_equal(err.msg, "item_ids: at most 100 entries per request, got 101");
	}
	/* calendar item end before start; task percent; oof without dates */
	errinfo_clear(&err);
	{
		soap_calendar_item c = { .subject = "x", .start = "2024-05-02T10:00:00Z",
					 .end = "2024-05-02T09:00:00Z" };
		soap_create_calendar_args a = { NULL, NULL, &c };
		assert_int_equal(soap_create_calendar_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_non_null(strstr(err.msg, "end: end (2024-05-02T09:00:00Z) is before start"));
	}
	errinfo_clear(&err);
	{
		soap_task t = { .subject = "x", .has_percent_complete = 1, .percent_complete = 101 };
		soap_create_task_args a = { NULL, &t };
		assert_int_equal(soap_create_task_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_string_equal(err.msg, "percent_complete: must be between 0 and 100");
	}
	errinfo_clear(&err);
	{
		soap_set_oof_args a = { .mailbox = "a@b.c", .state = "Scheduled" };
		assert_int_equal(soap_set_oof_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_non_null(strstr(err.msg, "a scheduled out-of-office needs a start and an end"));
	}
	errinfo_clear(&err);
	{
		soap_sync_folder_items_args a = { .folder = inbox, .max_changes = 513 };
		assert_int_equal(soap_sync_folder_items_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_string_equal(err.msg, "max_changes: must be between 1 and 512, got 513");
	}
	errinfo_clear(&err);
	{
		soap_field_change f[] = { { .op = SOAP_UPDATE_SET, .field = "contacts:PhysicalAddress",
					    .field_index = "Business", .value = "x" } };
		soap_item_change ch[] = { { { "AAMk=", "CK=" }, NULL, f, 1 } };
		soap_update_item_args a = { .changes = ch, .nchanges = 1 };
		assert_int_equal(soap_update_item_request(&out, NULL, &a, &err), ERR_INVAL);
		assert_non_null(strstr(err.msg, "changes[0].fields[0]: indexed updates are supported"));
	}
	assert_int_equal(out.len, 0);
	buf_dispose(&out);
}

static void test_buffer_cap(void **state)
{
	buf out = BUF_INIT(300);
	errinfo err = ERRINFO_INIT;

	(void)state;
	assert_int_equal(b_create_message(&out, NULL, &modes[0], &err), ERR_NOMEM);
	assert_int_equal(err.code, ERR_NOMEM);
	buf_dispose(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validator_rejects_invalid_samples),
		cmocka_unit_test(test_all_builders_all_modes),
		cmocka_unit_test(test_escaping_round_trips),
		cmocka_unit_test(test_delegate_shapes),
		cmocka_unit_test(test_public_folder_root_has_no_mailbox),
		cmocka_unit_test(test_supported_versions),
		cmocka_unit_test(test_optional_headers),
		cmocka_unit_test(test_versions_refused),
		cmocka_unit_test(test_bad_headers_refused),
		cmocka_unit_test(test_bad_text_names_field),
		cmocka_unit_test(test_schema_limits_refused),
		cmocka_unit_test(test_argument_errors),
		cmocka_unit_test(test_buffer_cap),
	};

	return cmocka_run_group_tests(tests, soaptest_schema_load, soaptest_schema_free);
}
