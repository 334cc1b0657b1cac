/* test_sim_behaviour.c - ews-sim behaves like Exchange beyond single
 * operations: delivery into recipients' Inboxes and the sender's Sent
 * Items, meeting invitations and responses, free/busy from calendars, OOF
 * settings and auto-replies, attachments that travel with forwards and
 * sent drafts (not replies), FindPeople in a mailbox's contacts folder
 * with the caller's folder rights, request validation (version, ids, change
 * keys, unsupported operations, any prefixes and 1/0 booleans), NTLM via
 * libcurl, injected faults with /sim/stats, org file errors and the index
 * behind a FindItem page. Every SOAP answer is schema-validated. */
#include "simtest.h"

#include "core/b64.h"
#include "sim/store.h"

#define FIND(folder, extra) \
	"<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>" \
	"<t:AdditionalProperties><t:FieldURI FieldURI=\"item:Subject\"/>" extra \
	"</t:AdditionalProperties></m:ItemShape><m:IndexedPageItemView MaxEntriesReturned=\"50\" " \
	"Offset=\"0\" BasePoint=\"Beginning\"/><m:ParentFolderIds><t:DistinguishedFolderId Id=\"" \
	folder "\"/></m:ParentFolderIds></m:FindItem>"

static char *ews_ok(const ews_sim *sim, const char *user, const char *pw,
		    const char *body)
{
	st_resp r = st_ews(sim, ST_BASIC, user, pw, NULL, body);

	assert_int_equal(r.status, 200);
	return r.body;
}

static void test_delivery_and_sent_copy(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	char *r;

	(void)state;
	r = ews_ok(sim, ALICE,
		   "<m:CreateItem MessageDisposition=\"SendAndSaveCopy\"><m:Items><t:Message>"
		   "<t:Subject>Numbers for Q2</t:Subject><t:Body BodyType=\"HTML\">&lt;p&gt;See &amp; "
		   "check&lt;/p&gt;</t:Body><t:ToRecipients><t:Mailbox><t:EmailAddress>bob@contoso.test"
		   "</t:EmailAddress></t:Mailbox></t:ToRecipients><t:BccRecipients><t:Mailbox>"
		   "<t:EmailAddress>dave@contoso.test</t:EmailAddress></t:Mailbox></t:BccRecipients>"
		   "</t:Message></m:Items></m:CreateItem>");
	assert_string_equal(st_code(r), "NoError");
	free(r);
	r = ews_ok(sim, BOB, FIND("inbox", "<t:FieldURI FieldURI=\"message:From\"/>"));
	assert_non_null(strstr(r, "Numbers for Q2"));
	free(r);
	r = ews_ok(sim, "dave@contoso.test", "Dave-Pass-2026!", FIND("inbox", ""));
	assert_non_null(strstr(r, "Numbers for Q2"));
	free(r);
	r = ews_ok(sim, ALICE, FIND("sentitems", ""));
	assert_non_null(strstr(r, "Numbers for Q2"));
	free(r);
	/* svc-mcp is carol's delegate with send-on-behalf */
	r = ews_ok(sim, SVC,
		   "<m:CreateItem MessageDisposition=\"SendAndSaveCopy\"><m:Items><t:Message>"
		   "<t:Subject>On behalf of Carol</t:Subject><t:ToRecipients><t:Mailbox><t:EmailAddress>"
		   "bob@contoso.test</t:EmailAddress></t:Mailbox></t:ToRecipients><t:From><t:Mailbox>"
		   "<t:EmailAddress>carol@contoso.test</t:EmailAddress></t:Mailbox></t:From></t:Message>"
		   "</m:Items></m:CreateItem>");
	assert_string_equal(st_code(r), "NoError");
	free(r);
	r = ews_ok(sim, BOB, FIND("inbox", "<t:FieldURI FieldURI=\"message:From\"/>"
				  "<t:FieldURI FieldURI=\"message:Sender\"/>"));
	assert_non_null(strstr(strstr(r, "On behalf of Carol"), "svc-mcp@contoso.test"));
	free(r);
	/* ... but not on behalf of alice */
	r = ews_ok(sim, SVC,
		   "<m:CreateItem MessageDisposition=\"SendAndSaveCopy\"><m:Items><t:Message>"
		   "<t:Subject>x</t:Subject><t:ToRecipients><t:Mailbox><t:EmailAddress>"
		   "bob@contoso.test</t:EmailAddress></t:Mailbox></t:ToRecipients><t:From><t:Mailbox>"
		   "<t:EmailAddress>alice@contoso.test</t:EmailAddress></t:Mailbox></t:From></t:Message>"
		   "</m:Items></m:CreateItem>");
	assert_string_equal(st_code(r), "ErrorSendAsDenied");
	free(r);
	ews_sim_stop(sim);
}

/* ---- attachments travel with forwards and sent drafts ---- */

#define GET_ITEM(id) \
	"<m:GetItem><m:ItemShape><t:BaseShape>Default</t:BaseShape></m:ItemShape>" \
	"<m:ItemIds><t:ItemId Id=\"" id "\"/></m:ItemIds></m:GetItem>"

/* The text of the first element el ("t:Content") after from; "" if none
 * (static buffer). */
static const char *elem_text(const char *xml, const char *el)
{
	static char out[4096];
	char pat[128];
	const char *p, *e;

	out[0] = '\0';
	snprintf(pat, sizeof(pat), "<%s>", el);
	p = strstr(xml, pat);
	if (!p)
		return out;
	p += strlen(pat);
	e = strchr(p, '<');
	if (e && (size_t)(e - p) < sizeof(out)) {
		memcpy(out, p, (size_t)(e - p));
		out[e - p] = '\0';
	}
	return out;
}

/* The ItemId of the item with this subject in a FindItem answer ("" if
 * it is not there): the last ItemId before the subject. */
static const char *id_of(const char *xml, const char *subject)
{
	static char out[256];
	char pat[512];
	const char *s, *p, *last = NULL;

	out[0] = '\0';
	snprintf(pat, sizeof(pat), "<t:Subject>%s</t:Subject>", subject);
	s = strstr(xml, pat);
	if (!s)
		return out;
	for (p = xml; (p = strstr(p, "<t:ItemId ")) && p < s; p++)
		last = p;
	if (last)
		snprintf(out, sizeof(out), "%s", st_attr(last, "t:ItemId", "Id"));
	return out;
}

/* GetItem of the message with this subject in user's folder; the answer
 * (heap) must exist. */
static char *get_by_subject(const ews_sim *sim, const char *user,
			    const char *pw, const char *folder,
			    const char *subject)
{
	char find[1024], get[1024], *r;
	const char *id;

	snprintf(find, sizeof(find), FIND("%s", ""), folder);
	r = ews_ok(sim, user, pw, find);
	id = id_of(r, subject);
	if (!*id)
		fail_msg("'%s' is not in %s of %s", subject, folder, user);
	snprintf(get, sizeof(get), GET_ITEM("%s"), id);
	free(r);
	return ews_ok(sim, user, pw, get);
}

/* The Content (base64) of the first attachment of a GetItem answer. */
static char *first_attachment_content(const ews_sim *sim, const char *user,
				      const char *pw, const char *item_xml)
{
	char body[1024], *r, *content;

	snprintf(body, sizeof(body), "<m:GetAttachment><m:AttachmentIds>"
		 "<t:AttachmentId Id=\"%s\"/></m:AttachmentIds></m:GetAttachment>",
		 st_attr(item_xml, "t:AttachmentId", "Id"));
	r = ews_ok(sim, user, pw, body);
	assert_string_equal(st_code(r), "NoError");
	content = strdup(elem_text(r, "t:Content"));
	free(r);
	assert_true(*content);
	return content;
}

static void forward_or_reply(const ews_sim *sim, const char *what,
			     const char *disp, const char *orig,
			     const char *to)
{
	char body[2048], rcpt[256] = "", *r;

	if (to)
		snprintf(rcpt, sizeof(rcpt), "<t:ToRecipients><t:Mailbox><t:EmailAddress>"
			 "%s</t:EmailAddress></t:Mailbox></t:ToRecipients>", to);
	snprintf(body, sizeof(body),
		 "<m:CreateItem MessageDisposition=\"%s\"><m:Items><t:%s>%s"
		 "<t:ReferenceItemId Id=\"%s\"/><t:NewBodyContent BodyType=\"Text\">FYI"
		 "</t:NewBodyContent></t:%s></m:Items></m:CreateItem>",
		 disp, what, rcpt, orig, what);
	r = ews_ok(sim, ALICE, body);
	assert_string_equal(st_code(r), "NoError");
	free(r);
}

static void test_forward_carries_attachments(void **state)
{
	static const char invoice[] =
		"Invoice 2026-0142\nFabrikam Ltd\nTotal: EUR 12,400.00\n";
	ews_sim *sim = st_start("demo.json", NULL);
	char orig[256], *r, *want, *got;
	buf raw = BUF_INIT(4096);
	errinfo err = ERRINFO_INIT;

	(void)state;
	r = get_by_subject(sim, ALICE, "inbox", "Invoice 2026-0142 for Fabrikam");
	snprintf(orig, sizeof(orig), "%s", st_attr(r, "t:ItemId", "Id"));
	want = first_attachment_content(sim, ALICE, r);
	free(r);

	/* SendAndSaveCopy: bob's copy has the same bytes, so has alice's
	 * copy in Sent Items */
	forward_or_reply(sim, "ForwardItem", "SendAndSaveCopy", orig, "bob@contoso.test");
	r = get_by_subject(sim, BOB, "inbox", "FW: Invoice 2026-0142 for Fabrikam");
	assert_non_null(strstr(r, "<t:HasAttachments>true</t:HasAttachments>"));
	assert_string_equal(elem_text(r, "t:Name"), "invoice-2026-0142.txt");
	got = first_attachment_content(sim, BOB, r);
	free(r);
	assert_string_equal(got, want);
	assert_int_equal(b64_decode(&raw, got, strlen(got), B64_STRICT, &err), 0);
	assert_int_equal(raw.len, strlen(invoice));
	assert_memory_equal(raw.ptr, invoice, raw.len);
	free(got);
	r = get_by_subject(sim, ALICE, "sentitems", "FW: Invoice 2026-0142 for Fabrikam");
	assert_non_null(strstr(r, "<t:HasAttachments>true</t:HasAttachments>"));
	got = first_attachment_content(sim, ALICE, r);
	assert_string_equal(got, want);
	free(got);
	free(r);

	/* SendOnly: the recipient still gets them; no second Sent copy */
	forward_or_reply(sim, "ForwardItem", "SendOnly", orig, "dave@contoso.test");
	r = get_by_subject(sim, "dave@contoso.test", "Dave-Pass-2026!", "inbox",
			   "FW: Invoice 2026-0142 for Fabrikam");
	got = first_attachment_content(sim, "dave@contoso.test", "Dave-Pass-2026!", r);
	assert_string_equal(got, want);
	free(got);
	free(r);
	r = ews_ok(sim, ALICE, FIND("sentitems", ""));
	assert_int_equal(st_count(r, "FW: Invoice 2026-0142 for Fabrikam"), 1);
	free(r);

	/* SaveOnly: the draft carries them and nothing is delivered */
	forward_or_reply(sim, "ForwardItem", "SaveOnly", orig, "carol@contoso.test");
	r = get_by_subject(sim, ALICE, "drafts", "FW: Invoice 2026-0142 for Fabrikam");
	assert_non_null(strstr(r, "<t:HasAttachments>true</t:HasAttachments>"));
	assert_non_null(strstr(r, "invoice-2026-0142.txt"));
	free(r);
	r = ews_ok(sim, CAROL, FIND("inbox", ""));
	assert_null(strstr(r, "FW: Invoice 2026-0142 for Fabrikam"));
	free(r);

	/* a reply does not carry the original's attachments */
	forward_or_reply(sim, "ReplyToItem", "SendAndSaveCopy", orig, NULL);
	r = get_by_subject(sim, CAROL, "inbox", "RE: Invoice 2026-0142 for Fabrikam");
	assert_non_null(strstr(r, "<t:HasAttachments>false</t:HasAttachments>"));
	assert_null(strstr(r, "<t:FileAttachment>"));
	free(r);
	free(want);
	buf_dispose(&raw);
	ews_sim_stop(sim);
}

/* A draft with an attachment sent by SendItem (how clients send files,
 * ews-protocol.md 4.2) reaches the recipient with the attachment. */
static void test_sent_draft_carries_attachments(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	char body[2048], id[256], *r, *got;

	(void)state;
	r = ews_ok(sim, ALICE,
		   "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:Items><t:Message>"
		   "<t:Subject>Slides attached</t:Subject><t:ToRecipients><t:Mailbox>"
		   "<t:EmailAddress>bob@contoso.test</t:EmailAddress></t:Mailbox>"
		   "</t:ToRecipients></t:Message></m:Items></m:CreateItem>");
	snprintf(id, sizeof(id), "%s", st_attr(r, "t:ItemId", "Id"));
	free(r);
	snprintf(body, sizeof(body),
		 "<m:CreateAttachment><m:ParentItemId Id=\"%s\"/><m:Attachments>"
		 "<t:FileAttachment><t:Name>slides.bin</t:Name><t:Content>AAEC/f7/</t:Content>"
		 "</t:FileAttachment></m:Attachments></m:CreateAttachment>", id);
	r = ews_ok(sim, ALICE, body);
	assert_string_equal(st_code(r), "NoError");
	snprintf(body, sizeof(body),
		 "<m:SendItem SaveItemToFolder=\"true\"><m:ItemIds><t:ItemId Id=\"%s\" "
		 "ChangeKey=\"%s\"/></m:ItemIds></m:SendItem>", id,
		 st_attr(r, "t:AttachmentId", "RootItemChangeKey"));
	free(r);
	r = ews_ok(sim, ALICE, body);
	assert_string_equal(st_code(r), "NoError");
	free(r);
	r = get_by_subject(sim, BOB, "inbox", "Slides attached");
	assert_non_null(strstr(r, "<t:HasAttachments>true</t:HasAttachments>"));
	got = first_attachment_content(sim, BOB, r);
	assert_string_equal(got, "AAEC/f7/");
	free(got);
	free(r);
	ews_sim_stop(sim);
}

/* ---- FindPeople in a contacts folder ---- */

static char *find_people(const ews_sim *sim, const char *user, const char *pw,
			 const char *impersonate, const char *folder,
			 const char *query, int max, int offset)
{
	char body[2048], q[256] = "";
	st_resp r;

	if (query)
		snprintf(q, sizeof(q), "<m:QueryString>%s</m:QueryString>", query);
	snprintf(body, sizeof(body),
		 "<m:FindPeople><m:PersonaShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "</m:PersonaShape><m:IndexedPageItemView MaxEntriesReturned=\"%d\" "
		 "Offset=\"%d\" BasePoint=\"Beginning\"/><m:ParentFolderId>%s"
		 "</m:ParentFolderId>%s</m:FindPeople>", max, offset, folder, q);
	r = st_ews(sim, ST_BASIC, user, pw, impersonate, body);
	assert_int_equal(r.status, 200);
	return r.body;
}

#define CONTACTS "<t:DistinguishedFolderId Id=\"contacts\"/>"
#define DIRECTORY "<t:DistinguishedFolderId Id=\"directory\"/>"

static void test_find_people_contacts(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	char folder[512], *r;

	(void)state;
	/* a personal contact of alice's, not in the directory */
	r = find_people(sim, ALICE, NULL, CONTACTS, "Fischer", 20, 0);
	assert_string_equal(st_code(r), "NoError");
	assert_int_equal(st_count(r, "<t:Persona>"), 1);
	assert_string_equal(elem_text(r, "t:DisplayName"), "Frank Fischer");
	assert_non_null(strstr(r, "<t:EmailAddress>frank.fischer@fabrikam.test</t:EmailAddress>"));
	assert_non_null(strstr(r, "<t:EmailAddresses><t:Address>"));
	assert_string_equal(elem_text(r, "m:TotalNumberOfPeopleInView"), "1");
	free(r);
	r = find_people(sim, ALICE, NULL, DIRECTORY, "Fischer", 20, 0);
	assert_int_equal(st_count(r, "<t:Persona>"), 0);
	free(r);
	/* company and e-mail match by word prefix, not inside a word */
	r = find_people(sim, ALICE, NULL, CONTACTS, "northwind", 20, 0);
	assert_int_equal(st_count(r, "<t:Persona>"), 1);
	assert_string_equal(elem_text(r, "t:DisplayName"), "Nina Novak");
	free(r);
	r = find_people(sim, ALICE, NULL, CONTACTS, "ischer", 20, 0);
	assert_int_equal(st_count(r, "<t:Persona>"), 0);
	free(r);
	/* no query: every contact by display name, paged */
	r = find_people(sim, ALICE, NULL, CONTACTS, NULL, 1, 1);
	assert_int_equal(st_count(r, "<t:Persona>"), 1);
	assert_string_equal(elem_text(r, "t:DisplayName"), "Nina Novak");
	assert_string_equal(elem_text(r, "m:TotalNumberOfPeopleInView"), "2");
	free(r);
	/* the same folder by FolderId */
	r = ews_ok(sim, ALICE, "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly"
		   "</t:BaseShape></m:FolderShape><m:FolderIds><t:DistinguishedFolderId "
		   "Id=\"contacts\"/></m:FolderIds></m:GetFolder>");
	snprintf(folder, sizeof(folder), "<t:FolderId Id=\"%s\"/>",
		 st_attr(r, "t:FolderId", "Id"));
	free(r);
	r = find_people(sim, ALICE, NULL, folder, "Frank", 20, 0);
	assert_int_equal(st_count(r, "<t:Persona>"), 1);
	free(r);
	/* impersonation acts as the owner: alice's contacts */
	r = find_people(sim, SVC, "alice@contoso.test",
			"<t:DistinguishedFolderId Id=\"contacts\"><t:Mailbox><t:EmailAddress>"
			"alice@contoso.test</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId>",
			"Fischer", 20, 0);
	assert_int_equal(st_count(r, "<t:Persona>"), 1);
	free(r);
	/* svc-mcp is carol's delegate without rights on her contacts: the
	 * folder is not visible to it (ews-protocol.md 4.1) */
	r = find_people(sim, SVC, NULL,
			"<t:DistinguishedFolderId Id=\"contacts\"><t:Mailbox><t:EmailAddress>"
			"carol@contoso.test</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId>",
			"Olsen", 20, 0);
	assert_string_equal(st_code(r), "ErrorFolderNotFound");
	assert_null(strstr(r, "ola@auditors.test"));
	free(r);
	/* carol herself finds him */
	r = find_people(sim, CAROL, NULL, CONTACTS, "Olsen", 20, 0);
	assert_int_equal(st_count(r, "<t:Persona>"), 1);
	free(r);
	/* a mail folder is not a people source: the error names the field */
	r = find_people(sim, ALICE, NULL, "<t:DistinguishedFolderId Id=\"inbox\"/>",
			"Fischer", 20, 0);
	assert_string_equal(st_code(r), "ErrorInvalidRequest");
	assert_non_null(strstr(r, "ParentFolderId"));
	free(r);
	ews_sim_stop(sim);
}

static void test_meeting_invite_and_response(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	char body[2048], *r, *p, mtg[128], cal[128];

	(void)state;
	r = ews_ok(sim, ALICE,
		   "<m:CreateItem SendMeetingInvitations=\"SendToAllAndSaveCopy\"><m:Items>"
		   "<t:CalendarItem><t:Subject>Pricing workshop</t:Subject>"
		   "<t:Start>2026-04-01T09:00:00Z</t:Start><t:End>2026-04-01T10:00:00Z</t:End>"
		   "<t:Location>Room 1</t:Location><t:RequiredAttendees><t:Attendee><t:Mailbox>"
		   "<t:EmailAddress>bob@contoso.test</t:EmailAddress></t:Mailbox></t:Attendee>"
		   "</t:RequiredAttendees></t:CalendarItem></m:Items></m:CreateItem>");
	snprintf(cal, sizeof(cal), "%s", st_attr(r, "t:ItemId", "Id"));
	free(r);
	r = ews_ok(sim, BOB, FIND("inbox", ""));
	p = strstr(r, "<t:MeetingRequest>");
	assert_non_null(p);
	snprintf(mtg, sizeof(mtg), "%s", st_attr(p, "t:ItemId", "Id"));
	free(r);
	r = ews_ok(sim, BOB, FIND("calendar", "<t:FieldURI FieldURI=\"calendar:LegacyFreeBusyStatus\"/>"));
	assert_non_null(strstr(strstr(r, "Pricing workshop"), "Tentative"));
	free(r);
	snprintf(body, sizeof(body),
		 "<m:CreateItem MessageDisposition=\"SendAndSaveCopy\"><m:Items><t:AcceptItem>"
		 "<t:ReferenceItemId Id=\"%s\"/></t:AcceptItem></m:Items></m:CreateItem>", mtg);
	r = ews_ok(sim, BOB, body);
	assert_string_equal(st_code(r), "NoError");
	free(r);
	snprintf(body, sizeof(body),
		 "<m:GetItem><m:ItemShape><t:BaseShape>Default</t:BaseShape></m:ItemShape>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", cal);
	r = ews_ok(sim, ALICE, body);
	p = strstr(r, "bob@contoso.test");
	assert_non_null(p);
	assert_non_null(strstr(p, "<t:ResponseType>Accept</t:ResponseType>"));
	free(r);
	ews_sim_stop(sim);
}

static void test_free_busy(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	char *r, *p;

	(void)state;
	r = ews_ok(sim, BOB,
		   "<m:GetUserAvailabilityRequest><t:TimeZone><t:Bias>0</t:Bias><t:StandardTime>"
		   "<t:Bias>0</t:Bias><t:Time>03:00:00</t:Time><t:DayOrder>5</t:DayOrder><t:Month>10"
		   "</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek></t:StandardTime><t:DaylightTime>"
		   "<t:Bias>0</t:Bias><t:Time>02:00:00</t:Time><t:DayOrder>5</t:DayOrder><t:Month>3"
		   "</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek></t:DaylightTime></t:TimeZone>"
		   "<m:MailboxDataArray><t:MailboxData><t:Email><t:Address>alice@contoso.test</t:Address>"
		   "</t:Email><t:AttendeeType>Required</t:AttendeeType></t:MailboxData>"
		   "<t:MailboxData><t:Email><t:Address>ghost@contoso.test</t:Address></t:Email>"
		   "<t:AttendeeType>Required</t:AttendeeType></t:MailboxData></m:MailboxDataArray>"
		   "<t:FreeBusyViewOptions><t:TimeWindow><t:StartTime>2026-03-10T00:00:00</t:StartTime>"
		   "<t:EndTime>2026-03-11T00:00:00</t:EndTime></t:TimeWindow>"
		   "<t:MergedFreeBusyIntervalInMinutes>30</t:MergedFreeBusyIntervalInMinutes>"
		   "<t:RequestedView>DetailedMerged</t:RequestedView></t:FreeBusyViewOptions>"
		   "</m:GetUserAvailabilityRequest>");
	p = strstr(r, "<t:MergedFreeBusy>");
	assert_non_null(p);
	p += strlen("<t:MergedFreeBusy>");
	/* 08:00-08:30 stand-up (slot 16) and 09:00-10:00 renewal (18, 19) */
	assert_int_equal(p[15], '0');
	assert_int_equal(p[16], '2');
	assert_int_equal(p[18], '2');
	assert_int_equal(p[19], '2');
	assert_int_equal(p[20], '0');
	/* bob has no calendar rights on alice: free/busy only, no subjects */
	assert_null(strstr(r, "Fabrikam renewal call"));
	assert_non_null(strstr(r, "ErrorMailRecipientNotFound"));
	free(r);
	ews_sim_stop(sim);
}

static void test_oof(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	char *r;

	(void)state;
	r = ews_ok(sim, ALICE,
		   "<m:SetUserOofSettingsRequest><t:Mailbox><t:Address>alice@contoso.test</t:Address>"
		   "</t:Mailbox><t:UserOofSettings><t:OofState>Scheduled</t:OofState><t:ExternalAudience>"
		   "All</t:ExternalAudience><t:Duration><t:StartTime>2026-07-15T00:00:00Z</t:StartTime>"
		   "<t:EndTime>2026-07-01T00:00:00Z</t:EndTime></t:Duration><t:InternalReply><t:Message>x"
		   "</t:Message></t:InternalReply><t:ExternalReply><t:Message>x</t:Message>"
		   "</t:ExternalReply></t:UserOofSettings></m:SetUserOofSettingsRequest>");
	assert_string_equal(st_code(r), "ErrorInvalidScheduledOofDuration");
	free(r);
	r = ews_ok(sim, ALICE,
		   "<m:SetUserOofSettingsRequest><t:Mailbox><t:Address>alice@contoso.test</t:Address>"
		   "</t:Mailbox><t:UserOofSettings><t:OofState>Enabled</t:OofState><t:ExternalAudience>"
		   "All</t:ExternalAudience><t:InternalReply><t:Message>Back on Monday &amp; happy"
		   "</t:Message></t:InternalReply><t:ExternalReply><t:Message>Away</t:Message>"
		   "</t:ExternalReply></t:UserOofSettings></m:SetUserOofSettingsRequest>");
	assert_string_equal(st_code(r), "NoError");
	free(r);
	r = ews_ok(sim, ALICE, "<m:GetUserOofSettingsRequest><t:Mailbox><t:Address>"
		   "alice@contoso.test</t:Address></t:Mailbox></m:GetUserOofSettingsRequest>");
	assert_non_null(strstr(r, "<t:OofState>Enabled</t:OofState>"));
	assert_non_null(strstr(r, "Back on Monday &amp; happy"));
	free(r);
	r = ews_ok(sim, BOB, "<m:GetUserOofSettingsRequest><t:Mailbox><t:Address>"
		   "alice@contoso.test</t:Address></t:Mailbox></m:GetUserOofSettingsRequest>");
	assert_string_equal(st_code(r), "ErrorAccessDenied");
	free(r);
	/* bob writes to alice twice: one automatic reply */
	r = ews_ok(sim, BOB,
		   "<m:CreateItem MessageDisposition=\"SendOnly\"><m:Items><t:Message><t:Subject>Ping"
		   "</t:Subject><t:ToRecipients><t:Mailbox><t:EmailAddress>alice@contoso.test"
		   "</t:EmailAddress></t:Mailbox></t:ToRecipients></t:Message></m:Items></m:CreateItem>");
	free(r);
	r = ews_ok(sim, BOB,
		   "<m:CreateItem MessageDisposition=\"SendOnly\"><m:Items><t:Message><t:Subject>Ping 2"
		   "</t:Subject><t:ToRecipients><t:Mailbox><t:EmailAddress>alice@contoso.test"
		   "</t:EmailAddress></t:Mailbox></t:ToRecipients></t:Message></m:Items></m:CreateItem>");
	free(r);
	r = ews_ok(sim, BOB, FIND("inbox", ""));
	assert_int_equal(st_count(r, "Automatic reply: Ping"), 1);
	free(r);
	ews_sim_stop(sim);
}

static void test_request_validation(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	st_resp r;
	char *env, *p, id[128], ck[64], body[2048];

	(void)state;
	/* Exchange2019 is not a RequestServerVersion */
	env = st_envelope(NULL, FIND("inbox", ""));
	p = strstr(env, "Exchange2016");
	memcpy(p, "Exchange2019", 12);
	r = st_post(sim, "/EWS/Exchange.asmx", ST_BASIC, ALICE, env);
	assert_int_equal(r.status, 500);
	assert_int_equal(st_validate(r.body), 0);
	assert_string_equal(st_code(r.body), "ErrorInvalidRequest");
	free(r.body);
	free(env);
	/* unsupported operation: a fault, not a crash */
	r = st_ews(sim, ST_BASIC, ALICE, NULL, "<m:Subscribe/>");
	assert_int_equal(r.status, 500);
	assert_string_equal(st_code(r.body), "ErrorInvalidRequest");
	free(r.body);
	/* not XML at all */
	r = st_post(sim, "/EWS/Exchange.asmx", ST_BASIC, ALICE, "<<<");
	assert_int_equal(r.status, 500);
	assert_string_equal(st_code(r.body), "ErrorSchemaValidation");
	free(r.body);
	/* malformed and foreign ids */
	r = st_ews(sim, ST_BASIC, ALICE, NULL, "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly"
		   "</t:BaseShape></m:ItemShape><m:ItemIds><t:ItemId Id=\"bm90IGFuIGlk\"/>"
		   "</m:ItemIds></m:GetItem>");
	assert_string_equal(st_code(r.body), "ErrorInvalidIdMalformed");
	free(r.body);
	r = st_ews(sim, ST_BASIC, CAROL, NULL, FIND("inbox", ""));
	snprintf(id, sizeof(id), "%s", st_attr(r.body, "t:ItemId", "Id"));
	free(r.body);
	snprintf(body, sizeof(body), "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "</m:ItemShape><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
	r = st_ews(sim, ST_BASIC, BOB, NULL, body);  /* bob has no rights on carol */
	assert_string_equal(st_code(r.body), "ErrorItemNotFound");
	free(r.body);
	/* stale change key, any prefixes, 1/0 booleans */
	r = st_ews(sim, ST_BASIC, ALICE, NULL, FIND("inbox", ""));
	snprintf(id, sizeof(id), "%s", st_attr(r.body, "t:ItemId", "Id"));
	snprintf(ck, sizeof(ck), "%s", st_attr(r.body, "t:ItemId", "ChangeKey"));
	free(r.body);
	snprintf(body, sizeof(body),
		 "<?xml version=\"1.0\"?><S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\">"
		 "<S:Header><ns1:RequestServerVersion xmlns:ns1=\"http://schemas.microsoft.com/exchange/services/2006/types\" Version=\"Exchange2013_SP1\"/></S:Header>"
		 "<S:Body><UpdateItem xmlns=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
		 "xmlns:x=\"http://schemas.microsoft.com/exchange/services/2006/types\" "
		 "ConflictResolution=\"AutoResolve\" MessageDisposition=\"SaveOnly\"><ItemChanges>"
		 "<x:ItemChange><x:ItemId Id=\"%s\" ChangeKey=\"%s\"/><x:Updates><x:SetItemField>"
		 "<x:FieldURI FieldURI=\"message:IsRead\"/><x:Message><x:IsRead> 1 </x:IsRead>"
		 "</x:Message></x:SetItemField></x:Updates></x:ItemChange></ItemChanges></UpdateItem>"
		 "</S:Body></S:Envelope>", id, ck);
	r = st_post(sim, "/EWS/Exchange.asmx", ST_BASIC, ALICE, body);
	assert_int_equal(st_validate(r.body), 0);
	assert_string_equal(st_code(r.body), "NoError");
	free(r.body);
	r = st_post(sim, "/EWS/Exchange.asmx", ST_BASIC, ALICE, body);  /* same, now stale */
	assert_string_equal(st_code(r.body), "ErrorIrresolvableConflict");
	free(r.body);
	/* wrong password: 401 */
	r = st_post(sim, "/EWS/Exchange.asmx", ST_BASIC, "alice@contoso.test", "wrong", "<x/>");
	assert_int_equal(r.status, 401);
	free(r.body);
	/* DOMAIN\user login */
	r = st_ews(sim, ST_BASIC, "CONTOSO\\alice", "Alice-Pass-2026!", NULL, FIND("inbox", ""));
	assert_string_equal(st_code(r.body), "NoError");
	free(r.body);
	ews_sim_stop(sim);
}

static void test_ntlm(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	char *env = st_envelope(NULL, FIND("inbox", ""));
	CURL *h = curl_easy_init();
	st_resp r;

	(void)state;
	r = st_post_h(h, sim, "/EWS/Exchange.asmx", ST_NTLM, "CONTOSO\\alice",
		      "Alice-Pass-2026!", NULL, env);
	assert_int_equal(r.status, 200);
	assert_int_equal(st_validate(r.body), 0);
	assert_string_equal(st_code(r.body), "NoError");
	free(r.body);
	/* the same connection stays authenticated for the next request */
	r = st_post_h(h, sim, "/EWS/Exchange.asmx", ST_NTLM, "CONTOSO\\alice",
		      "Alice-Pass-2026!", NULL, env);
	assert_int_equal(r.status, 200);
	free(r.body);
	curl_easy_cleanup(h);
	r = st_post(sim, "/EWS/Exchange.asmx", ST_NTLM, "CONTOSO\\alice", "bad", env);
	assert_int_equal(r.status, 401);
	free(r.body);
	free(env);
	ews_sim_stop(sim);
}

static char *get_stats(const ews_sim *sim)
{
	CURL *h = curl_easy_init();
	buf out = BUF_INIT(1 << 20);
	char url[256];
	char *s;

	snprintf(url, sizeof(url), "%s/sim/stats", ews_sim_url(sim));
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, st_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
	curl_easy_perform(h);
	curl_easy_cleanup(h);
	s = buf_detach(&out);
	buf_dispose(&out);
	return s;
}

static const char send_to_bob[] =
	"<m:CreateItem MessageDisposition=\"SendOnly\"><m:Items><t:Message><t:Subject>Faulted send"
	"</t:Subject><t:ToRecipients><t:Mailbox><t:EmailAddress>bob@contoso.test</t:EmailAddress>"
	"</t:Mailbox></t:ToRecipients></t:Message></m:Items></m:CreateItem>";

static void test_faults_and_stats(void **state)
{
	ews_sim *sim = st_start("demo.json",
				"kind=server_busy,op=CreateItem,count=1,backoff_ms=1500;"
				"kind=http503,op=GetFolder,count=1,retry_after=7;"
				"kind=html500,op=FindFolder,count=1");
	char *env = st_envelope(NULL, send_to_bob), *stats, *r;
	st_resp x;

	(void)state;
	x = st_ews(sim, ST_BASIC, ALICE, NULL, send_to_bob);
	assert_int_equal(x.status, 500);
	assert_string_equal(st_code(x.body), "ErrorServerBusy");
	assert_non_null(strstr(x.body, "<t:Value Name=\"BackOffMilliseconds\">1500</t:Value>"));
	free(x.body);
	x = st_ews(sim, ST_BASIC, ALICE, NULL, "<m:GetFolder><m:FolderShape><t:BaseShape>Default"
		   "</t:BaseShape></m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id=\"inbox\"/>"
		   "</m:FolderIds></m:GetFolder>");
	assert_int_equal(x.status, 503);
	free(x.body);
	x = st_post(sim, "/EWS/Exchange.asmx", ST_BASIC, ALICE,
		    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
		    "<FindFolder xmlns=\"http://schemas.microsoft.com/exchange/services/2006/messages\"/>"
		    "</s:Body></s:Envelope>");
	assert_int_equal(x.status, 500);
	assert_non_null(strstr(x.body, "<html>"));
	free(x.body);
	/* connection reset before execution: nothing sent */
	x = st_post(sim, "/sim/faults", ST_NONE, NULL, NULL,
		    "kind=reset_before,op=CreateItem,count=1");
	assert_int_equal(x.status, 200);
	free(x.body);
	x = st_post(sim, "/EWS/Exchange.asmx", ST_BASIC, ALICE, env);
	assert_int_not_equal(x.curl_rc, 0);
	free(x.body);
	/* reset after execution: sent exactly once */
	x = st_post(sim, "/sim/faults", ST_NONE, NULL, NULL,
		    "kind=reset_after,op=CreateItem,count=1");
	free(x.body);
	x = st_post(sim, "/EWS/Exchange.asmx", ST_BASIC, ALICE, env);
	assert_int_not_equal(x.curl_rc, 0);
	free(x.body);
	/* truncated answer after execution */
	x = st_post(sim, "/sim/faults", ST_NONE, NULL, NULL, "kind=truncate,op=GetFolder,count=1");
	free(x.body);
	x = st_post(sim, "/EWS/Exchange.asmx", ST_BASIC, ALICE,
		    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
		    "<GetFolder xmlns=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
		    "<FolderShape><BaseShape xmlns=\"http://schemas.microsoft.com/exchange/services/2006/types\">"
		    "Default</BaseShape></FolderShape><FolderIds><DistinguishedFolderId "
		    "xmlns=\"http://schemas.microsoft.com/exchange/services/2006/types\" Id=\"inbox\"/>"
		    "</FolderIds></GetFolder></s:Body></s:Envelope>");
	assert_int_not_equal(x.curl_rc, 0);
	free(x.body);
	/* bad spec: clear error naming the key */
	x = st_post(sim, "/sim/faults", ST_NONE, NULL, NULL, "kind=busy");
	assert_int_equal(x.status, 400);
	assert_non_null(strstr(x.body, "kind: unknown \"busy\""));
	free(x.body);
	r = ews_ok(sim, BOB, FIND("inbox", ""));
	assert_int_equal(st_count(r, "Faulted send"), 1);
	free(r);
	stats = get_stats(sim);
	assert_non_null(strstr(stats, "\"kind\": \"reset_before\""));
	assert_non_null(strstr(strstr(stats, "\"kind\": \"reset_before\""), "\"executed\": false"));
	assert_non_null(strstr(strstr(stats, "\"kind\": \"reset_after\""), "\"executed\": true"));
	assert_non_null(strstr(strstr(stats, "\"kind\": \"server_busy\""), "\"executed\": false"));
	assert_non_null(strstr(stats, "\"messages_sent\": 1"));
	assert_non_null(strstr(stats, "\"alice@contoso.test\""));
	free(stats);
	free(env);
	ews_sim_stop(sim);
}

static void test_org_errors_name_the_path(void **state)
{
	ews_sim_options o = EWS_SIM_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	ews_sim *sim = NULL;

	(void)state;
	o.org_json = "{\"domain\":\"x.test\",\"users\":[{\"smtp\":\"a@x.test\",\"name\":\"A\"},"
		     "{\"name\":\"B\"}]}";
	assert_true(ews_sim_start(&sim, &o, &err) < 0);
	assert_string_equal(err.msg, "org: users[1].smtp: missing");
	errinfo_clear(&err);
	o.org_json = "{\"domain\":\"x.test\",\"users\":[{\"smtp\":\"a@x.test\",\"name\":\"A\"}],"
		     "\"delegates\":[{\"mailbox\":\"a@x.test\",\"delegate\":\"b@x.test\"}]}";
	assert_true(ews_sim_start(&sim, &o, &err) < 0);
	assert_string_equal(err.msg, "org: delegates[0].delegate: \"b@x.test\" is not a user of the org");
	errinfo_clear(&err);
	o.org_json = NULL;
	o.org_path = st_org_path("demo.json");
	o.faults = "kind=latency,ms=x";
	assert_true(ews_sim_start(&sim, &o, &err) < 0);
	assert_non_null(strstr(err.msg, "ms: must be a non-negative integer"));
}

static void test_page_query_uses_index(void **state)
{
	sim_store *st = NULL;
	errinfo err = ERRINFO_INIT;
	char *plan = NULL;

	(void)state;
	assert_int_equal(sim_store_open(&st, ":memory:", &err), 0);
	assert_int_equal(sim_store_explain_page(&plan, st, &err), 0);
	assert_non_null(strstr(plan, "USING INDEX items_received"));
	assert_null(strstr(plan, "TEMP B-TREE"));
	free(plan);
	sim_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delivery_and_sent_copy),
		cmocka_unit_test(test_forward_carries_attachments),
		cmocka_unit_test(test_sent_draft_carries_attachments),
		cmocka_unit_test(test_find_people_contacts),
		cmocka_unit_test(test_meeting_invite_and_response),
		cmocka_unit_test(test_free_busy),
		cmocka_unit_test(test_oof),
		cmocka_unit_test(test_request_validation),
		cmocka_unit_test(test_ntlm),
		cmocka_unit_test(test_faults_and_stats),
		cmocka_unit_test(test_org_errors_name_the_path),
		cmocka_unit_test(test_page_query_uses_index),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	st_schema_free();
	curl_global_cleanup();
	xmlCleanupParser();
	return rc;
}
