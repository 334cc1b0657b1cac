/* test_sim_ops.c - every operation of src/ews/ops.h (and the folder
 * path resolver) executed against ews-sim in every access mode: the
 * service account's own mailbox, impersonation (Basic, NTLM, app-only
 * OAuth) and delegate access.
 *
 * Each case runs in a fresh sim (simops.h) and checks the effect the way
 * the mailbox owner or a recipient sees it - through a second client
 * signed in as that user, or /sim/stats - never only the return code.
 * The table at the bottom crosses the cases with the modes, and after
 * each case checks how every request addressed the mailbox. Where a
 * delegate cannot do what the owner can, the case asserts the refusal
 * instead: out-of-office (refused by the client before any request) and
 * inbox rules (ErrorAccessDenied from the server). Run one mode or case
 * with SIMOPS_FILTER, skip some with SIMOPS_SKIP (cmocka test-name
 * patterns such as "delegate/" followed by a star).
 */
#include "simops.h"

#include "core/b64.h"

static int is_delegate(const simops *f)
{
	return f->m->access == EWS_ACCESS_DELEGATE;
}

/* A message sent from the mode's mailbox as its recipient sees it: From
 * is the mailbox; Sender is who pressed Send (the delegate when a
 * delegate sends on behalf, otherwise the owner: impersonation acts as
 * the owner, ews-protocol.md 4.2). */
static void check_from(const simops *f, const json_t *msg)
{
	assert_non_null(msg);
	assert_string_equal(js(json_object_get(msg, "from"), "email"),
			    f->m->owner);
	assert_string_equal(js(json_object_get(msg, "sender"), "email"),
			    is_delegate(f) ? SVC : f->m->owner);
}

/* The item with this subject in user's folder must exist (new ref). */
static json_t *must_find(simops *f, const char *user, const char *folder,
			 const char *subject)
{
	json_t *it = simops_find(simops_as(f, user), dist(folder), subject);

	if (!it)
		fail_msg("'%s' is not in %s of %s", subject, folder, user);
	return it;
}

static void must_not_find(simops *f, const char *user, const char *folder,
			  const char *subject)
{
	json_t *it = simops_find(simops_as(f, user), dist(folder), subject);

	if (it) {
		json_decref(it);
		fail_msg("'%s' should not be in %s of %s", subject, folder, user);
	}
}

/* The item id created in the mode's mailbox must sit in the owner's
 * distinguished folder `folder` (not the caller's own, the classic
 * delegate mistake, ews-protocol.md 4.3). Returns the owner's view. */
static json_t *must_be_in(simops *f, const char *id, const char *folder)
{
	const ews_ctx *o = simops_owner(f);
	char *fid = simops_folder_id(o, folder);
	json_t *it = simops_get(o, id);

	assert_string_equal(js(it, "parent_folder_id"), fid);
	free(fid);
	return it;
}

/* The (id, change key) of a seeded item of the mode's mailbox, as the
 * client under test sees it. Strings are copied into the caller's. */
static void ref_of(simops *f, const char *folder, const char *subject,
		   char id[512], char ck[256])
{
	json_t *it = simops_find(&f->ctx, dist(folder), subject);

	if (!it)
		fail_msg("seed item '%s' not found in %s", subject, folder);
	snprintf(id, 512, "%s", js(it, "item_id"));
	snprintf(ck, 256, "%s", js(it, "change_key"));
	json_decref(it);
}

/* ---- FindItem ---------------------------------------------------------- */

static void c_find_paging(simops *f)
{
	soap_folder_ref inbox = dist("inbox");
	soap_find_item_args a = { .shape = { .base = "IdOnly" }, .max_entries = 2,
				  .folders = &inbox, .nfolders = 1 };
	errinfo err = ERRINFO_INIT;
	json_t *seen = json_object(), *out = NULL, *it;
	int pages = 0, last = 0;
	size_t i;

	while (!last && pages < 10) {
		MUST(ews_find_item(&out, &f->ctx, &a, &err));
		pages++;
		assert_int_equal(json_integer_value(json_object_get(out,
				 "total_items_in_view")), 5);
		json_array_foreach(json_object_get(out, "items"), i, it)
			json_object_set_new(seen, js(it, "item_id"), json_true());
		last = json_is_true(json_object_get(out,
						    "includes_last_item_in_range"));
		a.offset = (int)json_integer_value(json_object_get(out,
					"indexed_paging_offset"));
		json_decref(out);
	}
	assert_int_equal(pages, 3);               /* 2 + 2 + 1 */
	assert_int_equal(json_object_size(seen), 5); /* no repeats, none lost */
	json_decref(seen);
}

static void c_find_restriction_sort(simops *f)
{
	static const char *const fields[] = { "item:Subject" };
	static const char *const want[] = { "Territory plan",
		"Invoice 2026-0142 for Fabrikam", "Q2 pipeline review" };
	soap_restriction leaves[2] = {
		{ .op = SOAP_R_CONTAINS, .field = "item:Subject", .value = "E" },
		{ .op = SOAP_R_GT, .field = "item:DateTimeReceived",
		  .value = "2026-03-01T00:00:00Z" },
	};
	soap_restriction and = { .op = SOAP_R_AND, .children = leaves,
				 .nchildren = 2 };
	soap_sort sort = { "item:DateTimeReceived", 0 };
	soap_folder_ref inbox = dist("inbox");
	soap_find_item_args a = { .shape = { .base = "IdOnly", .fields = fields,
					     .nfields = 1 },
				  .max_entries = 50, .folders = &inbox,
				  .nfolders = 1, .restriction = &and,
				  .sort = &sort, .nsort = 1 };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *items;
	size_t i;

	/* "Lunch on Friday?" has no e; "Budget approval needed" is older */
	MUST(ews_find_item(&out, &f->ctx, &a, &err));
	items = json_object_get(out, "items");
	assert_int_equal(json_array_size(items), 3);
	assert_int_equal(json_integer_value(json_object_get(out,
			 "total_items_in_view")), 3);
	for (i = 0; i < 3; i++)
		assert_string_equal(js(json_array_get(items, i), "subject"), want[i]);
	json_decref(out);
	sort.descending = 1;
	MUST(ews_find_item(&out, &f->ctx, &a, &err));
	items = json_object_get(out, "items");
	assert_int_equal(json_array_size(items), 3);
	for (i = 0; i < 3; i++)
		assert_string_equal(js(json_array_get(items, i), "subject"),
				    want[2 - i]);
	json_decref(out);
}

static void c_find_calendar_view(simops *f)
{
	static const char *const fields[] = { "item:Subject", "calendar:Start",
					      "calendar:End" };
	soap_folder_ref cal = dist("calendar");
	soap_find_item_args a = { .shape = { .base = "IdOnly", .fields = fields,
					     .nfields = 3 },
				  .view = SOAP_VIEW_CALENDAR,
				  .cal_start = "2026-03-10T00:00:00Z",
				  .cal_end = "2026-03-12T00:00:00Z",
				  .folders = &cal, .nfolders = 1 };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *it;
	int renewal = 0, focus = 0;
	size_t i;

	MUST(ews_find_item(&out, &f->ctx, &a, &err));
	/* "Month-end close" (31 March) is outside the window */
	assert_int_equal(json_array_size(json_object_get(out, "items")), 2);
	json_array_foreach(json_object_get(out, "items"), i, it) {
		if (strcmp(js(it, "subject"), "Fabrikam renewal call") == 0) {
			renewal++;
			assert_string_equal(js(it, "start"), "2026-03-10T09:00:00Z");
			assert_string_equal(js(it, "end"), "2026-03-10T10:00:00Z");
		} else if (strcmp(js(it, "subject"), "Focus time") == 0) {
			focus++;
		}
	}
	assert_int_equal(renewal, 1);
	assert_int_equal(focus, 1);
	json_decref(out);
}

/* ---- GetItem ----------------------------------------------------------- */

static void c_get_item_batch(simops *f)
{
	char id1[512], ck1[256], id2[512], ck2[256];
	soap_item_ref ids[3];
	soap_get_item_args a = { .shape = { .base = "AllProperties" },
				 .ids = ids, .nids = 3 };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *bad;

	ref_of(f, "inbox", "Q2 pipeline review", id1, ck1);
	ref_of(f, "inbox", "Lunch on Friday?", id2, ck2);
	ids[0] = (soap_item_ref){ id1, NULL };
	ids[1] = (soap_item_ref){ "AAMkAGJvZ3VzLWlkZW50aWZpZXI=", NULL };
	ids[2] = (soap_item_ref){ id2, NULL };
	MUST(ews_get_item(&out, &f->ctx, &a, &err));
	assert_int_equal(json_array_size(out), 3);
	assert_string_equal(js(json_array_get(out, 0), "subject"),
			    "Q2 pipeline review");
	assert_string_equal(js(json_array_get(out, 2), "subject"),
			    "Lunch on Friday?");
	assert_string_equal(js(json_array_get(out, 2), "body"),
			    "Thai place around the corner at 12:30?");
	bad = json_object_get(json_array_get(out, 1), "error");
	assert_non_null(bad);
	assert_string_equal(js(bad, "response_code"), "ErrorInvalidIdMalformed");
	json_decref(out);
	/* the bogus id alone: the call fails with the item's error */
	a.ids = &ids[1];
	a.nids = 1;
	MUST_FAIL(ews_get_item(&out, &f->ctx, &a, &err), ERR_INVAL);
	assert_string_equal(err.ews_code, "ErrorInvalidIdMalformed");
	assert_null(out);
}

/* ---- CreateItem -------------------------------------------------------- */

static void c_create_draft(simops *f)
{
	soap_mailbox to = { "Bob Brennan", "bob@contoso.test" };
	soap_message m = { .subject = "Draft: agenda", .body = "<p>Points</p>",
			   .body_type = "HTML", .to = &to, .nto = 1 };
	soap_create_message_args a = { .disposition = "SaveOnly", .message = &m };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *it;

	MUST(ews_create_message(&out, &f->ctx, &a, &err));
	it = must_be_in(f, js(json_array_get(out, 0), "item_id"), "drafts");
	assert_string_equal(js(it, "subject"), "Draft: agenda");
	assert_true(json_is_true(json_object_get(it, "is_draft")));
	/* a delegate's draft is from the principal (send on behalf later) */
	if (is_delegate(f))
		assert_string_equal(js(json_object_get(it, "from"), "email"),
				    f->m->owner);
	json_decref(it);
	json_decref(out);
	assert_int_equal(simops_stat(f, "messages_sent"), 0);
	must_not_find(f, "bob@contoso.test", "inbox", "Draft: agenda");
}

static void c_create_appointment(simops *f)
{
	soap_calendar_item c = { .subject = "Dentist",
				 .start = "2026-04-02T07:00:00Z",
				 .end = "2026-04-02T08:00:00Z",
				 .location = "Harbour Street 4" };
	soap_create_calendar_args a = { .item = &c };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *it;

	MUST(ews_create_calendar_item(&out, &f->ctx, &a, &err));
	it = must_be_in(f, js(json_array_get(out, 0), "item_id"), "calendar");
	assert_string_equal(js(it, "subject"), "Dentist");
	assert_string_equal(js(it, "start"), "2026-04-02T07:00:00Z");
	assert_string_equal(js(it, "location"), "Harbour Street 4");
	assert_false(json_is_true(json_object_get(it, "is_meeting")));
	assert_string_equal(js(json_object_get(it, "organizer"), "email"),
			    f->m->owner);
	json_decref(it);
	json_decref(out);
	assert_int_equal(simops_stat(f, "messages_sent"), 0);
}

static void c_create_meeting(simops *f)
{
	soap_mailbox bob = { "Bob Brennan", "bob@contoso.test" };
	soap_calendar_item c = { .subject = "Quarterly planning",
				 .start = "2026-04-03T09:00:00Z",
				 .end = "2026-04-03T10:30:00Z",
				 .location = "Room 1", .required = &bob,
				 .nrequired = 1 };
	soap_create_calendar_args a = { .item = &c };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *it, *req;

	MUST(ews_create_calendar_item(&out, &f->ctx, &a, &err));
	it = must_be_in(f, js(json_array_get(out, 0), "item_id"), "calendar");
	assert_true(json_is_true(json_object_get(it, "is_meeting")));
	assert_string_equal(js(json_object_get(it, "organizer"), "email"),
			    f->m->owner);
	assert_string_equal(js(json_array_get(json_object_get(it,
			    "required_attendees"), 0), "email"), "bob@contoso.test");
	json_decref(it);
	json_decref(out);
	/* the attendee got the request, from the organizer, and a
	 * tentative item in his calendar */
	req = must_find(f, "bob@contoso.test", "inbox", "Quarterly planning");
	assert_string_equal(js(req, "item_type"), "meeting_request");
	assert_string_equal(js(json_object_get(req, "from"), "email"), f->m->owner);
	json_decref(req);
	it = must_find(f, "bob@contoso.test", "calendar", "Quarterly planning");
	assert_string_equal(js(it, "start"), "2026-04-03T09:00:00Z");
	json_decref(it);
	assert_int_equal(simops_stat(f, "messages_sent"), 1);
}

static void c_create_contact(simops *f)
{
	static const char *const emails[] = { "grace@navy.test" };
	soap_phone phone = { "MobilePhone", "+1 555 0100" };
	soap_contact c = { .given_name = "Grace", .surname = "Hopper",
			   .company_name = "US Navy", .job_title = "Rear Admiral",
			   .emails = emails, .nemails = 1, .phones = &phone,
			   .nphones = 1 };
	soap_create_contact_args a = { .contact = &c };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *it, *e;

	MUST(ews_create_contact(&out, &f->ctx, &a, &err));
	it = must_be_in(f, js(json_array_get(out, 0), "item_id"), "contacts");
	assert_string_equal(js(it, "item_type"), "contact");
	assert_string_equal(js(it, "given_name"), "Grace");
	assert_string_equal(js(it, "surname"), "Hopper");
	assert_string_equal(js(it, "company_name"), "US Navy");
	e = json_array_get(json_object_get(it, "email_addresses"), 0);
	assert_string_equal(js(e, "key"), "EmailAddress1");
	assert_string_equal(js(e, "email"), "grace@navy.test");
	e = json_array_get(json_object_get(it, "phone_numbers"), 0);
	assert_string_equal(js(e, "key"), "MobilePhone");
	assert_string_equal(js(e, "number"), "+1 555 0100");
	json_decref(it);
	json_decref(out);
}

static void c_create_task(simops *f)
{
	soap_task t = { .subject = "Renew certificates",
			.due_date = "2026-04-10T00:00:00Z", .status = "InProgress",
			.importance = "High" };
	soap_create_task_args a = { .task = &t };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *it;

	MUST(ews_create_task(&out, &f->ctx, &a, &err));
	it = must_be_in(f, js(json_array_get(out, 0), "item_id"), "tasks");
	assert_string_equal(js(it, "item_type"), "task");
	assert_string_equal(js(it, "subject"), "Renew certificates");
	assert_string_equal(js(it, "status"), "InProgress");
	assert_string_equal(js(it, "due_date"), "2026-04-10T00:00:00Z");
	json_decref(it);
	json_decref(out);
}

/* ---- UpdateItem -------------------------------------------------------- */

static void c_update_item(simops *f)
{
	char id[512], ck[256];
	soap_field_change ch[2] = {
		{ .op = SOAP_UPDATE_SET, .field = "item:Subject",
		  .value = "Lunch on Saturday?" },
		{ .op = SOAP_UPDATE_SET, .field = "message:IsRead", .value = "true" },
	};
	soap_item_change ic = { .item = { id, ck }, .item_type = "Message",
				.fields = ch, .nfields = 2 };
	soap_update_item_args a = { .disposition = "SaveOnly", .changes = &ic,
				    .nchanges = 1 };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *it;

	ref_of(f, "inbox", "Lunch on Friday?", id, ck);
	MUST(ews_update_item(&out, &f->ctx, &a, &err));
	assert_string_equal(js(json_array_get(out, 0), "item_id"), id);
	assert_string_not_equal(js(json_array_get(out, 0), "change_key"), ck);
	json_decref(out);
	it = simops_get(simops_owner(f), id);
	assert_string_equal(js(it, "subject"), "Lunch on Saturday?");
	assert_true(json_is_true(json_object_get(it, "is_read")));
	json_decref(it);

	/* the change key is now stale: Exchange refuses (5.7) */
	ch[0].value = "Lunch on Sunday?";
	ic.nfields = 1;
	a.conflict_resolution = "NeverOverwrite";
	MUST_FAIL(ews_update_item(&out, &f->ctx, &a, &err), ERR_CONFLICT);
	assert_string_equal(err.ews_code, "ErrorIrresolvableConflict");
	it = simops_get(simops_owner(f), id);
	assert_string_equal(js(it, "subject"), "Lunch on Saturday?");
	json_decref(it);
}

/* ---- DeleteItem / MoveItem / CopyItem ---------------------------------- */

static void delete_one(simops *f, const char *subject, const char *type)
{
	char id[512], ck[256];
	soap_item_ref ref = { id, ck };
	soap_delete_item_args a = { .delete_type = type, .ids = &ref, .nids = 1 };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL;

	ref_of(f, "inbox", subject, id, ck);
	MUST(ews_delete_item(&out, &f->ctx, &a, &err));
	assert_int_equal(json_array_size(out), 1);
	assert_null(json_object_get(json_array_get(out, 0), "error"));
	json_decref(out);
	must_not_find(f, f->m->owner, "inbox", subject);
}

static void c_delete_item(simops *f)
{
	errinfo err = ERRINFO_INIT;
	char id[512], ck[256];
	json_t *it, *out = NULL;
	soap_item_ref ref = { id, NULL };
	soap_get_item_args g = { .shape = { .base = "IdOnly" }, .ids = &ref,
				 .nids = 1 };

	delete_one(f, "Territory plan", "MoveToDeletedItems");
	it = must_find(f, f->m->owner, "deleteditems", "Territory plan");
	json_decref(it);

	delete_one(f, "Budget approval needed", "SoftDelete");
	must_not_find(f, f->m->owner, "deleteditems", "Budget approval needed");

	ref_of(f, "inbox", "Lunch on Friday?", id, ck);
	delete_one(f, "Lunch on Friday?", "HardDelete");
	must_not_find(f, f->m->owner, "deleteditems", "Lunch on Friday?");
	MUST_FAIL(ews_get_item(&out, simops_owner(f), &g, &err), ERR_NOTFOUND);
	assert_string_equal(err.ews_code, "ErrorItemNotFound");
}

static void c_move_item(simops *f)
{
	char id[512], ck[256];
	soap_item_ref ref = { id, ck };
	ews_folder dest;
	soap_move_item_args a = { .ids = &ref, .nids = 1,
				  .return_new_ids = SOAP_TRUE };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *it;
	char *owner_dest;

	ref_of(f, "inbox", "Territory plan", id, ck);
	MUST(ews_folder_resolve(&dest, &f->ctx, "Inbox/Customers", &err));
	a.to_folder = ews_folder_ref(&dest);
	MUST(ews_move_item(&out, &f->ctx, &a, &err));
	assert_non_null(js(json_array_get(out, 0), "item_id"));
	it = simops_get(simops_owner(f), js(json_array_get(out, 0), "item_id"));
	owner_dest = simops_path_id(simops_owner(f), "Inbox/Customers", &err);
	assert_non_null(owner_dest);
	assert_string_equal(js(it, "parent_folder_id"), owner_dest);
	assert_string_equal(js(it, "subject"), "Territory plan");
	free(owner_dest);
	json_decref(it);
	json_decref(out);
	must_not_find(f, f->m->owner, "inbox", "Territory plan");
}

static void c_copy_item(simops *f)
{
	char id[512], ck[256];
	soap_item_ref ref = { id, ck };
	ews_folder dest;
	soap_move_item_args a = { .ids = &ref, .nids = 1,
				  .return_new_ids = SOAP_TRUE };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *it;
	char *owner_dest;

	ref_of(f, "inbox", "Q2 pipeline review", id, ck);
	MUST(ews_folder_resolve(&dest, &f->ctx, "Inbox/Projects", &err));
	a.to_folder = ews_folder_ref(&dest);
	MUST(ews_copy_item(&out, &f->ctx, &a, &err));
	assert_string_not_equal(js(json_array_get(out, 0), "item_id"), id);
	it = simops_get(simops_owner(f), js(json_array_get(out, 0), "item_id"));
	owner_dest = simops_path_id(simops_owner(f), "Inbox/Projects", &err);
	assert_string_equal(js(it, "parent_folder_id"), owner_dest);
	assert_string_equal(js(it, "subject"), "Q2 pipeline review");
	free(owner_dest);
	json_decref(it);
	json_decref(out);
	it = must_find(f, f->m->owner, "inbox", "Q2 pipeline review");
	json_decref(it);  /* the original stays */
}

/* ---- SendItem, ews_send_message ---------------------------------------- */

static void c_send_item(simops *f)
{
	soap_mailbox to = { NULL, "bob@contoso.test" };
	soap_message m = { .subject = "Figures for March", .body = "Attached soon.",
			   .to = &to, .nto = 1 };
	soap_create_message_args ca = { .disposition = "SaveOnly", .message = &m };
	soap_item_ref ref;
	soap_send_item_args sa = { .save_copy = 1, .ids = &ref, .nids = 1 };
	errinfo err = ERRINFO_INIT;
	json_t *ids = NULL, *out = NULL, *it;

	MUST(ews_create_message(&ids, &f->ctx, &ca, &err));
	ref.id = js(json_array_get(ids, 0), "item_id");
	ref.change_key = js(json_array_get(ids, 0), "change_key");
	MUST(ews_send_item(&out, &f->ctx, &sa, &err));
	json_decref(out);
	json_decref(ids);
	it = must_find(f, "bob@contoso.test", "inbox", "Figures for March");
	check_from(f, it);
	json_decref(it);
	/* the copy is in the mailbox's Sent Items, the draft is gone */
	it = must_find(f, f->m->owner, "sentitems", "Figures for March");
	json_decref(it);
	must_not_find(f, f->m->owner, "drafts", "Figures for March");
	if (is_delegate(f))  /* not in the delegate's own Sent Items */
		must_not_find(f, SVC, "sentitems", "Figures for March");
	assert_int_equal(simops_stat(f, "messages_sent"), 1);
}

static void c_send_message(simops *f)
{
	soap_mailbox to = { "Bob Brennan", "bob@contoso.test" };
	soap_mailbox cc = { NULL, "carol@contoso.test" };
	soap_message m = { .subject = "Offsite dates", .body = "<p>12-13 May</p>",
			   .body_type = "HTML", .to = &to, .nto = 1, .cc = &cc,
			   .ncc = 1 };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *it;

	MUST(ews_send_message(&out, &f->ctx, &m, &err));
	assert_true(json_is_true(json_object_get(out, "sent")));
	assert_string_equal(js(out, "mailbox"), f->m->owner);
	assert_string_equal(js(out, "method"), is_delegate(f)
			    ? "draft_and_send_item" : "create_item");
	json_decref(out);
	it = must_find(f, "bob@contoso.test", "inbox", "Offsite dates");
	check_from(f, it);
	json_decref(it);
	it = must_find(f, "carol@contoso.test", "inbox", "Offsite dates");
	json_decref(it);
	it = must_find(f, f->m->owner, "sentitems", "Offsite dates");
	json_decref(it);
	must_not_find(f, f->m->owner, "drafts", "Offsite dates");
	if (is_delegate(f))  /* not in the delegate's own Sent Items */
		must_not_find(f, SVC, "sentitems", "Offsite dates");
	assert_int_equal(simops_stat(f, "messages_sent"), 1);
}

/* ---- ews_respond ------------------------------------------------------- */

static void respond(simops *f, soap_response_kind kind, const char *subject,
		    const soap_mailbox *to, size_t nto)
{
	char id[512], ck[256];
	soap_respond_args a = { .kind = kind, .reference = { id, ck },
				.body = "Ready by Wednesday.", .to = to,
				.nto = nto };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL;

	ref_of(f, "inbox", subject, id, ck);
	MUST(ews_respond(&out, &f->ctx, &a, &err));
	json_decref(out);
	assert_int_equal(simops_stat(f, "messages_sent"), 1);
}

static void c_reply(simops *f)
{
	json_t *it;

	respond(f, SOAP_REPLY, "Q2 pipeline review", NULL, 0);
	it = must_find(f, "bob@contoso.test", "inbox", "RE: Q2 pipeline review");
	check_from(f, it);
	assert_non_null(strstr(js(it, "body"), "Ready by Wednesday."));
	json_decref(it);
	must_not_find(f, "erin@contoso.test", "inbox", "RE: Q2 pipeline review");
	it = must_find(f, f->m->owner, "sentitems", "RE: Q2 pipeline review");
	json_decref(it);
}

static void c_reply_all(simops *f)
{
	json_t *it;

	respond(f, SOAP_REPLY_ALL, "Q2 pipeline review", NULL, 0);
	it = must_find(f, "bob@contoso.test", "inbox", "RE: Q2 pipeline review");
	check_from(f, it);
	json_decref(it);
	it = must_find(f, "erin@contoso.test", "inbox", "RE: Q2 pipeline review");
	json_decref(it);
	it = must_find(f, f->m->owner, "sentitems", "RE: Q2 pipeline review");
	json_decref(it);
}

/* A forward carries the original's attachments (Exchange forwards them
 * with the message): the recipient's copy and the copy in the mode's Sent
 * Items both have the seeded invoice attached. */
static void c_forward(simops *f)
{
	soap_mailbox carol = { NULL, "carol@contoso.test" };
	json_t *it;

	respond(f, SOAP_FORWARD, "Invoice 2026-0142 for Fabrikam", &carol, 1);
	it = must_find(f, f->m->owner, "sentitems",
		       "FW: Invoice 2026-0142 for Fabrikam");
	assert_true(json_is_true(json_object_get(it, "has_attachments")));
	json_decref(it);
	it = must_find(f, "carol@contoso.test", "inbox",
		       "FW: Invoice 2026-0142 for Fabrikam");
	check_from(f, it);
	assert_non_null(strstr(js(it, "body"), "Ready by Wednesday."));
	assert_true(json_is_true(json_object_get(it, "has_attachments")));
	assert_string_equal(js(json_array_get(json_object_get(it, "attachments"),
					      0), "name"), "invoice-2026-0142.txt");
	json_decref(it);
}

/* The mode's mailbox as an attendee: bob invites it, it accepts. */
static void c_accept(simops *f)
{
	soap_mailbox me = { NULL, f->m->owner };
	soap_calendar_item c = { .subject = "Design review",
				 .start = "2026-04-07T13:00:00Z",
				 .end = "2026-04-07T14:00:00Z", .required = &me,
				 .nrequired = 1 };
	soap_create_calendar_args ca = { .item = &c };
	char id[512], ck[256];
	soap_respond_args a = { .kind = SOAP_ACCEPT, .reference = { id, ck } };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *it, *att;

	MUST(ews_create_calendar_item(&out, simops_as(f, "bob@contoso.test"),
				      &ca, &err));
	json_decref(out);
	ref_of(f, "inbox", "Design review", id, ck);
	MUST(ews_respond(&out, &f->ctx, &a, &err));
	json_decref(out);
	/* the organizer's item records the answer; he got the response */
	it = must_find(f, "bob@contoso.test", "calendar", "Design review");
	att = json_array_get(json_object_get(it, "required_attendees"), 0);
	assert_string_equal(js(att, "email"), f->m->owner);
	assert_string_equal(js(att, "response"), "Accept");
	json_decref(it);
	it = must_find(f, "bob@contoso.test", "inbox", "Accepted: Design review");
	assert_string_equal(js(json_object_get(it, "from"), "email"), f->m->owner);
	json_decref(it);
	/* and the attendee's own calendar says accepted */
	it = must_find(f, f->m->owner, "calendar", "Design review");
	assert_string_equal(js(it, "my_response_type"), "Accept");
	json_decref(it);
}

/* ---- folders ----------------------------------------------------------- */

static void c_find_folder(simops *f)
{
	json_t *names = simops_subfolders(&f->ctx, dist("inbox"), "Shallow");
	json_t *owner = simops_subfolders(simops_owner(f), dist("inbox"), "Deep");

	assert_int_equal(json_object_size(names), 2);
	assert_non_null(json_object_get(names, "Projects"));
	assert_non_null(json_object_get(names, "Customers"));
	json_decref(names);
	names = simops_subfolders(&f->ctx, dist("inbox"), "Deep");
	assert_int_equal(json_object_size(names), 3);
	assert_non_null(json_object_get(names, "2026"));
	/* the owner's folders, not the caller's */
	assert_true(json_equal(names, owner));
	json_decref(names);
	json_decref(owner);
}

static void c_get_folder(simops *f)
{
	static const char *const want[] = { "Inbox", "Calendar", "Contacts",
					    "Tasks" };
	soap_folder_ref fr[4] = { dist("inbox"), dist("calendar"),
				  dist("contacts"), dist("tasks") };
	soap_get_folder_args a = { .shape = { .base = "AllProperties" },
				   .folders = fr, .nfolders = 4 };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *fo;
	char *oid;
	size_t i;

	MUST(ews_get_folder(&out, &f->ctx, &a, &err));
	assert_int_equal(json_array_size(out), 4);
	for (i = 0; i < 4; i++) {
		fo = json_array_get(out, i);
		assert_string_equal(js(fo, "display_name"), want[i]);
		oid = simops_folder_id(simops_owner(f), fr[i].distinguished);
		assert_string_equal(js(fo, "folder_id"), oid);
		free(oid);
	}
	fo = json_array_get(out, 0);
	assert_int_equal(json_integer_value(json_object_get(fo, "total_count")), 5);
	assert_int_equal(json_integer_value(json_object_get(fo,
			 "child_folder_count")), 2);
	assert_string_equal(js(json_array_get(out, 1), "folder_type"),
			    "calendar_folder");
	json_decref(out);
}

static void c_create_folder(simops *f)
{
	soap_create_folder_args a = { .parent = dist("inbox"),
				      .display_name = "Reports" };
	soap_create_folder_args b = { .parent = dist("calendar"),
				      .display_name = "Team calendar",
				      .folder_class = "IPF.Appointment" };
	soap_get_folder_args g = { .shape = { .base = "AllProperties" },
				   .nfolders = 1 };
	soap_folder_ref byid = { 0 };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *names, *got = NULL;

	MUST(ews_create_folder(&out, &f->ctx, &a, &err));
	names = simops_subfolders(simops_owner(f), dist("inbox"), "Shallow");
	assert_string_equal(js(names, "Reports"),
			    js(json_array_get(out, 0), "folder_id"));
	json_decref(names);
	json_decref(out);

	MUST(ews_create_folder(&out, &f->ctx, &b, &err));
	byid.id = js(json_array_get(out, 0), "folder_id");
	g.folders = &byid;
	MUST(ews_get_folder(&got, simops_owner(f), &g, &err));
	assert_string_equal(js(json_array_get(got, 0), "display_name"),
			    "Team calendar");
	assert_string_equal(js(json_array_get(got, 0), "folder_class"),
			    "IPF.Appointment");
	json_decref(got);
	json_decref(out);
}

static void c_update_folder(simops *f)
{
	ews_folder fo;
	soap_update_folder_args a = { .display_name = "Key Customers" };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL;
	char *id;

	MUST(ews_folder_resolve(&fo, &f->ctx, "Inbox/Customers", &err));
	a.folder = ews_folder_ref(&fo);
	MUST(ews_update_folder(&out, &f->ctx, &a, &err));
	json_decref(out);
	id = simops_path_id(simops_owner(f), "Inbox/Key Customers", &err);
	assert_non_null(id);
	assert_string_equal(id, fo.id);
	free(id);
	assert_null(simops_path_id(simops_owner(f), "Inbox/Customers", &err));
	assert_int_equal(err.code, ERR_NOTFOUND);
	/* the client forgot its cached path */
	assert_null(simops_path_id(&f->ctx, "Inbox/Customers", &err));
	assert_int_equal(err.code, ERR_NOTFOUND);
}

static void c_move_folder(simops *f)
{
	ews_folder src, dst;
	soap_move_folder_args a = { .nfolders = 1 };
	soap_folder_ref sref;
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL;
	char *id;

	MUST(ews_folder_resolve(&src, &f->ctx, "Inbox/Customers", &err));
	MUST(ews_folder_resolve(&dst, &f->ctx, "Inbox/Projects", &err));
	sref = ews_folder_ref(&src);
	a.folders = &sref;
	a.to_folder = ews_folder_ref(&dst);
	MUST(ews_move_folder(&out, &f->ctx, &a, &err));
	json_decref(out);
	id = simops_path_id(simops_owner(f), "Inbox/Projects/Customers", &err);
	assert_non_null(id);
	assert_string_equal(id, src.id);
	free(id);
	assert_null(simops_path_id(simops_owner(f), "Inbox/Customers", &err));
}

static void c_delete_folder(simops *f)
{
	ews_folder fo;
	soap_folder_ref r;
	soap_delete_folder_args a = { .delete_type = "HardDelete", .folders = &r,
				      .nfolders = 1 };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *names;

	MUST(ews_folder_resolve(&fo, &f->ctx, "Inbox/Projects/2026", &err));
	r = ews_folder_ref(&fo);
	MUST(ews_delete_folder(&out, &f->ctx, &a, &err));
	json_decref(out);
	assert_null(simops_path_id(simops_owner(f), "Inbox/Projects/2026", &err));
	assert_int_equal(err.code, ERR_NOTFOUND);

	/* MoveToDeletedItems: the folder lands in the owner's Deleted Items */
	MUST(ews_folder_resolve(&fo, &f->ctx, "Inbox/Customers", &err));
	r = ews_folder_ref(&fo);
	a.delete_type = "MoveToDeletedItems";
	MUST(ews_delete_folder(&out, &f->ctx, &a, &err));
	json_decref(out);
	names = simops_subfolders(simops_owner(f), dist("deleteditems"), "Shallow");
	assert_string_equal(js(names, "Customers"), fo.id);
	json_decref(names);
}

static void c_folder_resolve(simops *f)
{
	ews_folder fo;
	soap_folder_ref r;
	soap_find_item_args a = { .shape = { .base = "Default" },
				  .max_entries = 10, .folders = &r, .nfolders = 1 };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL;
	char *oid;

	simops_count(f, "FindFolder");
	MUST(ews_folder_resolve(&fo, &f->ctx, "Inbox/Projects/2026", &err));
	/* Inbox is distinguished: Projects under it, then 2026 */
	assert_true(f->hook_op_requests >= 1 && f->hook_op_requests <= 2);
	assert_int_equal(f->hook_requests, f->hook_op_requests);
	oid = simops_path_id(simops_owner(f), "Inbox/Projects/2026", &err);
	assert_string_equal(fo.id, oid);
	free(oid);
	/* cached: the second resolution (any case, blanks) costs nothing */
	simops_count(f, "FindFolder");
	MUST(ews_folder_resolve(&fo, &f->ctx, " inbox / PROJECTS / 2026 ", &err));
	assert_int_equal(f->hook_requests, 0);
	r = ews_folder_ref(&fo);
	MUST(ews_find_item(&out, &f->ctx, &a, &err));
	assert_int_equal(json_array_size(json_object_get(out, "items")), 1);
	assert_string_equal(js(json_array_get(json_object_get(out, "items"), 0),
			       "subject"), "Welcome to the 2026 project");
	json_decref(out);
	MUST_FAIL(ews_folder_resolve(&fo, &f->ctx, "Inbox/Projekts", &err),
		  ERR_NOTFOUND);
}

/* ---- availability, OOF ------------------------------------------------- */

static int has_event_at(const json_t *mbx, const char *start)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(mbx, "events"), i, e)
		if (js(e, "start") && strncmp(js(e, "start"), start, 19) == 0)
			return 1;
	return 0;
}

static void c_availability(simops *f)
{
	soap_availability_mailbox mbx[4] = {
		{ .email = "bob@contoso.test" },
		{ .email = "carol@contoso.test" },
		{ .email = "nobody@contoso.test" },
		{ .email = f->m->owner },
	};
	soap_availability_args a = { .mailboxes = mbx, .nmailboxes = 4,
				     .start = "2026-03-10T00:00:00",
				     .end = "2026-03-11T00:00:00",
				     .requested_view = "Detailed" };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *list, *m;

	MUST(ews_get_user_availability(&out, &f->ctx, &a, &err));
	list = json_object_get(out, "mailboxes");
	assert_int_equal(json_array_size(list), 4);
	m = json_array_get(list, 0);
	assert_string_equal(js(m, "response_class"), "Success");
	assert_true(has_event_at(m, "2026-03-10T08:00:00"));   /* stand-up */
	m = json_array_get(list, 1);
	assert_string_equal(js(m, "response_class"), "Success");
	assert_true(has_event_at(m, "2026-03-10T09:00:00"));   /* invited */
	m = json_array_get(list, 2);
	assert_string_equal(js(m, "response_class"), "Error");
	assert_string_equal(js(m, "response_code"), "ErrorMailRecipientNotFound");
	m = json_array_get(list, 3);
	assert_string_equal(js(m, "response_class"), "Success");
	assert_true(has_event_at(m, "2026-03-10T09:00:00"));
	json_decref(out);
}

/* A delegate cannot reach OOF (ews-protocol.md 4.4): refused by the
 * client without a request, so neither the hook nor the sim saw one. */
static void check_oof_refused(simops *f, int rc, const errinfo *err)
{
	assert_int_equal(rc, ERR_ACCESS);
	assert_non_null(strstr(err->msg, "EWS_IMPERSONATION_TYPE=impersonation"));
	assert_int_equal(f->hook_requests, 0);
	assert_int_equal(simops_stat(f, "requests"), 0);
}

static void c_get_oof(simops *f)
{
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL;
	int rc;

	simops_count(f, "GetUserOofSettings");
	rc = ews_get_user_oof_settings(&out, &f->ctx, &err);
	if (is_delegate(f)) {
		check_oof_refused(f, rc, &err);
		return;
	}
	if (rc != 0)
		fail_msg("GetUserOofSettings: %s [%s]", err.msg, err.ews_code);
	assert_string_equal(js(out, "state"), "Disabled");
	assert_string_equal(js(out, "external_audience"), "Known");
	assert_non_null(strstr(js(out, "internal_reply"), "I am out of the office."));
	json_decref(out);
}

static void c_set_oof(simops *f)
{
	soap_set_oof_args a = { .state = "Scheduled", .external_audience = "All",
				.start = "2026-08-01T00:00:00Z",
				.end = "2026-08-15T00:00:00Z",
				.internal_reply = "Back on 17 August, call +45 1234.",
				.external_reply = "Back on 17 August." };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL;
	int rc;

	simops_count(f, "SetUserOofSettings");
	rc = ews_set_user_oof_settings(&out, &f->ctx, &a, &err);
	if (is_delegate(f)) {
		check_oof_refused(f, rc, &err);
		return;
	}
	if (rc != 0)
		fail_msg("SetUserOofSettings: %s [%s]", err.msg, err.ews_code);
	json_decref(out);
	/* the owner reads the new settings */
	MUST(ews_get_user_oof_settings(&out, simops_owner(f), &err));
	assert_string_equal(js(out, "state"), "Scheduled");
	assert_string_equal(js(out, "external_audience"), "All");
	assert_non_null(strstr(js(out, "start"), "2026-08-01T00:00:00"));
	assert_non_null(strstr(js(out, "end"), "2026-08-15T00:00:00"));
	/* Exchange keeps replies as HTML: look for the text inside */
	assert_non_null(strstr(js(out, "internal_reply"),
			       "Back on 17 August, call +45 1234."));
	json_decref(out);
}

/* ---- people ------------------------------------------------------------ */

/* A contact only the mode's mailbox has, created by its owner. */
static void owner_contact(simops *f)
{
	soap_contact c = { .given_name = "Zelda", .surname = "Zimmer",
			   .emails = (const char *const[]){ "zelda@zimmer.test" },
			   .nemails = 1 };
	soap_create_contact_args a = { .contact = &c };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL;

	MUST(ews_create_contact(&out, simops_owner(f), &a, &err));
	json_decref(out);
}

static int has_value(const json_t *list, const char *key, const char *value)
{
	json_t *e;
	size_t i;

	json_array_foreach(list, i, e)
		if (js(e, key) && strcasecmp(js(e, key), value) == 0)
			return 1;
	return 0;
}

static void c_resolve_names(simops *f)
{
	soap_folder_ref contacts = dist("contacts");
	soap_resolve_names_args a = { .entry = "alice", .full_contact_data = 1 };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL;

	MUST(ews_resolve_names(&out, &f->ctx, &a, &err));
	assert_true(has_value(json_object_get(out, "resolutions"), "email",
			      "alice@contoso.test"));
	json_decref(out);
	/* the mailbox's own contacts (the principal's for a delegate) */
	owner_contact(f);
	a.entry = "Zimmer";
	a.search_scope = "Contacts";
	a.folders = &contacts;
	a.nfolders = 1;
	MUST(ews_resolve_names(&out, &f->ctx, &a, &err));
	assert_int_equal(json_array_size(json_object_get(out, "resolutions")), 1);
	assert_true(has_value(json_object_get(out, "resolutions"), "email",
			      "zelda@zimmer.test"));
	json_decref(out);
	/* nothing found is an empty list, not an error */
	a.entry = "Nobody-By-This-Name";
	MUST(ews_resolve_names(&out, &f->ctx, &a, &err));
	assert_int_equal(json_array_size(json_object_get(out, "resolutions")), 0);
	json_decref(out);
}

static void c_find_people(simops *f)
{
	soap_folder_ref dir = dist("directory"), contacts = dist("contacts");
	soap_find_people_args a = { .max_entries = 20, .folder = &dir,
				    .query = "Brennan" };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *p;

	MUST(ews_find_people(&out, &f->ctx, &a, &err));
	p = json_object_get(out, "personas");
	assert_int_equal(json_array_size(p), 1);
	assert_string_equal(js(json_array_get(p, 0), "email"), "bob@contoso.test");
	json_decref(out);
	/* in the mailbox's contacts folder: ParentFolderId contacts (+Mailbox)
	 * searches personal contacts (ews-protocol.md 5.14), which the
	 * directory does not hold */
	owner_contact(f);
	a.folder = &contacts;
	a.query = "Zimmer";
	MUST(ews_find_people(&out, &f->ctx, &a, &err));
	p = json_object_get(out, "personas");
	assert_int_equal(json_array_size(p), 1);
	assert_string_equal(js(json_array_get(p, 0), "email"), "zelda@zimmer.test");
	json_decref(out);
}

static void c_expand_dl(simops *f)
{
	soap_expand_dl_args a = { .email = "sales@contoso.test" };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *m;

	MUST(ews_expand_dl(&out, &f->ctx, &a, &err));
	m = json_object_get(out, "members");
	assert_int_equal(json_array_size(m), 2);
	assert_true(has_value(m, "email", "alice@contoso.test"));
	assert_true(has_value(m, "email", "bob@contoso.test"));
	json_decref(out);
	a.email = "nolist@contoso.test";
	MUST_FAIL(ews_expand_dl(&out, &f->ctx, &a, &err), ERR_NOTFOUND);
}

/* ---- attachments ------------------------------------------------------- */

static void c_attachments(simops *f)
{
	unsigned char data[300];
	soap_mailbox to = { NULL, "bob@contoso.test" };
	soap_message m = { .subject = "With attachment", .to = &to, .nto = 1 };
	soap_create_message_args ca = { .disposition = "SaveOnly", .message = &m };
	soap_file_attachment file = { .name = "bytes.bin",
				      .content_type = "application/octet-stream",
				      .data = data, .len = sizeof(data) };
	soap_create_attachment_args cr = { .files = &file, .nfiles = 1 };
	const char *att_id;
	soap_get_attachment_args ga = { .ids = &att_id, .nids = 1 };
	soap_delete_attachment_args da = { .ids = &att_id, .nids = 1 };
	errinfo err = ERRINFO_INIT;
	json_t *ids = NULL, *made = NULL, *got = NULL, *del = NULL, *it;
	buf raw = BUF_INIT(4096);
	const char *b64;
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7 + 3);   /* NULs and high bytes */
	MUST(ews_create_message(&ids, &f->ctx, &ca, &err));
	cr.parent.id = js(json_array_get(ids, 0), "item_id");
	cr.parent.change_key = js(json_array_get(ids, 0), "change_key");
	MUST(ews_create_attachment(&made, &f->ctx, &cr, &err));
	att_id = js(json_array_get(made, 0), "attachment_id");
	assert_non_null(att_id);
	assert_string_equal(js(json_array_get(made, 0), "root_item_id"),
			    cr.parent.id);
	assert_string_not_equal(js(json_array_get(made, 0), "root_item_change_key"),
				cr.parent.change_key);
	it = simops_get(simops_owner(f), cr.parent.id);
	assert_true(json_is_true(json_object_get(it, "has_attachments")));
	assert_string_equal(js(json_array_get(json_object_get(it, "attachments"),
					      0), "name"), "bytes.bin");
	json_decref(it);

	MUST(ews_get_attachment(&got, &f->ctx, &ga, &err));
	b64 = js(json_array_get(got, 0), "content");
	assert_non_null(b64);
	assert_int_equal(b64_decode(&raw, b64, strlen(b64), B64_IGNORE_SPACE,
				    &err), 0);
	assert_int_equal(raw.len, sizeof(data));
	assert_memory_equal(raw.ptr, data, sizeof(data));
	assert_string_equal(js(json_array_get(got, 0), "name"), "bytes.bin");
	json_decref(got);
	buf_dispose(&raw);

	MUST(ews_delete_attachment(&del, &f->ctx, &da, &err));
	assert_string_equal(js(json_array_get(del, 0), "root_item_id"),
			    cr.parent.id);
	it = simops_get(simops_owner(f), cr.parent.id);
	assert_false(json_is_true(json_object_get(it, "has_attachments")));
	assert_int_equal(json_array_size(json_object_get(it, "attachments")), 0);
	json_decref(it);
	errinfo_clear(&err);
	assert_true(ews_get_attachment(&got, &f->ctx, &ga, &err) < 0);
	json_decref(del);
	json_decref(made);
	json_decref(ids);
}

/* ---- inbox rules ------------------------------------------------------- */

static const char *const invoice_words[] = { "Invoice" };

/* Rules are read and written by the owner or someone acting as the owner
 * (ews-protocol.md 4.4 names the caller's or the impersonated user's
 * mailbox); a delegate with folder rights only gets ErrorAccessDenied
 * for another user's MailboxSmtpAddress, as ews-sim answers. The client
 * sends the request (it does not pre-empt this as it does for OOF). */
static void check_rules_refused(int rc, const errinfo *err)
{
	assert_int_equal(rc, ERR_ACCESS);
	assert_string_equal(err->ews_code, "ErrorAccessDenied");
}

static void make_rule(const ews_ctx *ctx, const char *folder_id, errinfo *errp)
{
	soap_rule_predicates cond = { .contains_subject = invoice_words,
				      .ncontains_subject = 1 };
	soap_folder_ref dest = { .id = folder_id };
	soap_rule_actions act = { .move_to_folder = &dest,
				  .stop_processing = SOAP_TRUE };
	soap_rule_op op = { .kind = SOAP_RULE_CREATE, .display_name = "File invoices",
			    .priority = 1, .is_enabled = 1, .conditions = &cond,
			    .actions = &act };
	soap_update_inbox_rules_args a = { .ops = &op, .nops = 1 };
	json_t *out = NULL;

	errinfo_clear(errp);
	if (ews_update_inbox_rules(&out, ctx, &a, errp) == 0)
		json_decref(out);
}

static void c_get_inbox_rules(simops *f)
{
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *rule;
	char *fid;
	int rc;

	errinfo_clear(&err);
	rc = ews_get_inbox_rules(&out, &f->ctx, &err);
	if (is_delegate(f)) {
		check_rules_refused(rc, &err);
		return;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(json_array_size(json_object_get(out, "rules")), 0);
	json_decref(out);
	/* the owner adds one; the mode sees it */
	fid = simops_path_id(simops_owner(f), "Inbox/Customers", &err);
	make_rule(simops_owner(f), fid, &err);
	assert_int_equal(err.code, 0);
	free(fid);
	MUST(ews_get_inbox_rules(&out, &f->ctx, &err));
	assert_int_equal(json_array_size(json_object_get(out, "rules")), 1);
	rule = json_array_get(json_object_get(out, "rules"), 0);
	assert_string_equal(js(rule, "display_name"), "File invoices");
	assert_string_equal(json_string_value(json_array_get(json_object_get(
			    json_object_get(rule, "conditions"),
			    "contains_subject_strings"), 0)), "Invoice");
	json_decref(out);
}

static void c_update_inbox_rules(simops *f)
{
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *rule;
	soap_rule_op del = { .kind = SOAP_RULE_DELETE };
	soap_update_inbox_rules_args da = { .ops = &del, .nops = 1 };
	char *fid, rid[256];

	fid = simops_path_id(&f->ctx, "Inbox/Customers", &err);
	assert_non_null(fid);
	make_rule(&f->ctx, fid, &err);
	if (is_delegate(f)) {
		free(fid);
		check_rules_refused(err.code, &err);
		return;
	}
	assert_int_equal(err.code, 0);
	MUST(ews_get_inbox_rules(&out, simops_owner(f), &err));
	assert_int_equal(json_array_size(json_object_get(out, "rules")), 1);
	rule = json_array_get(json_object_get(out, "rules"), 0);
	assert_string_equal(js(rule, "display_name"), "File invoices");
	assert_true(json_is_true(json_object_get(rule, "is_enabled")));
	/* the action names the owner's folder */
	assert_string_equal(js(json_object_get(json_object_get(rule, "actions"),
					       "move_to_folder"), "folder_id"), fid);
	free(fid);
	snprintf(rid, sizeof(rid), "%s", js(rule, "rule_id"));
	json_decref(out);
	del.rule_id = rid;
	MUST(ews_update_inbox_rules(&out, &f->ctx, &da, &err));
	json_decref(out);
	MUST(ews_get_inbox_rules(&out, simops_owner(f), &err));
	assert_int_equal(json_array_size(json_object_get(out, "rules")), 0);
	json_decref(out);
}

/* ---- SyncFolderItems, GetServerTimeZones, ConvertId -------------------- */

static void c_sync_folder_items(simops *f)
{
	soap_sync_folder_items_args a = { .shape = { .base = "Default" },
					  .folder = dist("inbox"),
					  .max_changes = 100 };
	soap_mailbox to = { NULL, f->m->owner };
	soap_message m = { .subject = "Fresh news", .body = "x", .to = &to,
			   .nto = 1 };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *ch;
	char *state;

	MUST(ews_sync_folder_items(&out, &f->ctx, &a, &err));
	ch = json_object_get(out, "changes");
	assert_int_equal(json_array_size(ch), 5);
	assert_string_equal(js(json_array_get(ch, 0), "change"), "create");
	assert_true(json_is_true(json_object_get(out, "includes_last_item_in_range")));
	state = strdup(js(out, "sync_state"));
	json_decref(out);

	MUST(ews_send_message(&out, simops_as(f, "bob@contoso.test"), &m, &err));
	json_decref(out);
	a.sync_state = state;
	MUST(ews_sync_folder_items(&out, &f->ctx, &a, &err));
	ch = json_object_get(out, "changes");
	assert_int_equal(json_array_size(ch), 1);
	assert_string_equal(js(json_array_get(ch, 0), "change"), "create");
	assert_string_equal(js(json_object_get(json_array_get(ch, 0), "item"),
			       "subject"), "Fresh news");
	free(state);
	state = strdup(js(out, "sync_state"));
	json_decref(out);
	a.sync_state = state;
	MUST(ews_sync_folder_items(&out, &f->ctx, &a, &err));
	assert_int_equal(json_array_size(json_object_get(out, "changes")), 0);
	json_decref(out);
	free(state);
}

static void c_server_time_zones(simops *f)
{
	static const char *const ids[] = { "W. Europe Standard Time",
					   "Pacific Standard Time" };
	soap_get_server_time_zones_args a = { .ids = ids, .nids = 2 };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *z;

	MUST(ews_get_server_time_zones(&out, &f->ctx, &a, &err));
	z = json_object_get(out, "time_zones");
	assert_int_equal(json_array_size(z), 2);
	assert_true(has_value(z, "id", "W. Europe Standard Time"));
	assert_true(has_value(z, "id", "Pacific Standard Time"));
	json_decref(out);
	a.nids = 0;
	MUST(ews_get_server_time_zones(&out, &f->ctx, &a, &err));
	assert_true(json_array_size(json_object_get(out, "time_zones")) > 2);
	json_decref(out);
}

static void c_convert_id(simops *f)
{
	char id[512], ck[256];
	soap_alternate_id src = { id, "EwsId", f->m->owner };
	soap_convert_id_args a = { .destination_format = "HexEntryId",
				   .ids = &src, .nids = 1 };
	errinfo err = ERRINFO_INIT;
	json_t *hex = NULL, *back = NULL, *it;

	ref_of(f, "inbox", "Territory plan", id, ck);
	MUST(ews_convert_id(&hex, &f->ctx, &a, &err));
	assert_string_equal(js(json_array_get(hex, 0), "format"), "HexEntryId");
	assert_string_equal(js(json_array_get(hex, 0), "mailbox"), f->m->owner);
	src.id = js(json_array_get(hex, 0), "id");
	src.format = "HexEntryId";
	a.destination_format = "EwsId";
	MUST(ews_convert_id(&back, &f->ctx, &a, &err));
	assert_string_equal(js(json_array_get(back, 0), "format"), "EwsId");
	/* the id converted back names the same item */
	it = simops_get(&f->ctx, js(json_array_get(back, 0), "id"));
	assert_string_equal(js(it, "subject"), "Territory plan");
	json_decref(it);
	json_decref(back);
	json_decref(hex);
}

/* ---- the table --------------------------------------------------------- */

typedef struct opcase {
	const char *name;
	void (*fn)(simops *f);
} opcase;

static const opcase cases[] = {
	{ "FindItem/paging", c_find_paging },
	{ "FindItem/restriction+sort", c_find_restriction_sort },
	{ "FindItem/CalendarView", c_find_calendar_view },
	{ "GetItem/batch+bogus-id", c_get_item_batch },
	{ "CreateItem/draft", c_create_draft },
	{ "CreateItem/appointment", c_create_appointment },
	{ "CreateItem/meeting", c_create_meeting },
	{ "CreateItem/contact", c_create_contact },
	{ "CreateItem/task", c_create_task },
	{ "UpdateItem/set+stale-change-key", c_update_item },
	{ "DeleteItem/move,soft,hard", c_delete_item },
	{ "MoveItem", c_move_item },
	{ "CopyItem", c_copy_item },
	{ "SendItem/draft", c_send_item },
	{ "send_message", c_send_message },
	{ "respond/reply", c_reply },
	{ "respond/reply-all", c_reply_all },
	{ "respond/forward", c_forward },
	{ "respond/accept-meeting", c_accept },
	{ "FindFolder/shallow+deep", c_find_folder },
	{ "GetFolder", c_get_folder },
	{ "CreateFolder", c_create_folder },
	{ "UpdateFolder/rename", c_update_folder },
	{ "MoveFolder", c_move_folder },
	{ "DeleteFolder/hard+to-deleted", c_delete_folder },
	{ "folder_resolve/Inbox-Projects-2026", c_folder_resolve },
	{ "GetUserAvailability", c_availability },
	{ "GetUserOofSettings", c_get_oof },
	{ "SetUserOofSettings", c_set_oof },
	{ "ResolveNames", c_resolve_names },
	{ "FindPeople", c_find_people },
	{ "ExpandDL", c_expand_dl },
	{ "Create/Get/DeleteAttachment", c_attachments },
	{ "GetInboxRules", c_get_inbox_rules },
	{ "UpdateInboxRules", c_update_inbox_rules },
	{ "SyncFolderItems", c_sync_folder_items },
	{ "GetServerTimeZones", c_server_time_zones },
	{ "ConvertId", c_convert_id },
};

static const simops_mode modes[] = {
	{ "self", EWS_AUTH_BASIC, EWS_TARGET_IMPERSONATION, SVC, NULL, SVC,
	  EWS_ACCESS_SELF, 0 },
	{ "impersonation", EWS_AUTH_BASIC, EWS_TARGET_IMPERSONATION, SVC,
	  "alice@contoso.test", "alice@contoso.test", EWS_ACCESS_IMPERSONATION,
	  1 },
	{ "delegate", EWS_AUTH_BASIC, EWS_TARGET_DELEGATE, SVC,
	  "dave@contoso.test", "dave@contoso.test", EWS_ACCESS_DELEGATE, 0 },
	/* NTLM with a down-level logon name, the usual on-premises form;
	 * the target as a user might type it */
	{ "ntlm-impersonation", EWS_AUTH_NTLM, EWS_TARGET_IMPERSONATION,
	  "CONTOSO\\svc-mcp", " Alice@Contoso.test ", "alice@contoso.test",
	  EWS_ACCESS_IMPERSONATION, 1 },
	/* app-only tokens name no user: every call impersonates, the
	 * service account's own mailbox included (it is still "self") */
	{ "app-only-self", EWS_AUTH_OAUTH2, EWS_TARGET_IMPERSONATION, NULL, NULL,
	  SVC, EWS_ACCESS_SELF, 1 },
	{ "app-only-impersonation", EWS_AUTH_OAUTH2, EWS_TARGET_IMPERSONATION,
	  NULL, "alice@contoso.test", "alice@contoso.test",
	  EWS_ACCESS_IMPERSONATION, 1 },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))
#define NMODES (sizeof(modes) / sizeof(modes[0]))

typedef struct run {
	const simops_mode *m;
	const opcase *c;
	simops *f;
	char name[96];
} run;

static int run_setup(void **state)
{
	run *r = *state;

	r->f = simops_open(r->m);
	return 0;
}

static int run_teardown(void **state)
{
	run *r = *state;

	simops_close(r->f);
	r->f = NULL;
	return 0;
}

static void run_case(void **state)
{
	run *r = *state;
	simops *f = r->f;
	ews_client_stats st;

	r->c->fn(f);
	/* one token per case; the reads share one NTLM-authenticated
	 * connection (each write opens its own, by design: transport.h) */
	ews_client_stats_get(f->c, &st);
	if (f->m->auth == EWS_AUTH_OAUTH2 && st.requests > 0)
		assert_int_equal(st.token_fetches, 1);
	if (f->m->auth == EWS_AUTH_NTLM && st.requests > 0)
		assert_true(st.connections >= 1 &&
			    st.connections <= 1 + f->writes);
	/* how the mailbox was addressed, on every request of the case:
	 * impersonation names the owner in the header; self and delegate
	 * send none (ews-protocol.md 3.1, 4.1; 3.5 for app-only) */
	assert_int_equal(f->other_header, 0);
	if (f->m->impersonates)
		assert_int_equal(f->without_header, 0);
	else
		assert_int_equal(f->with_header, 0);
}

int main(void)
{
	static run runs[NCASES * NMODES];
	static struct CMUnitTest tests[NCASES * NMODES];
	size_t i, j, n = 0;
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (i = 0; i < NMODES; i++) {
		for (j = 0; j < NCASES; j++, n++) {
			runs[n].m = &modes[i];
			runs[n].c = &cases[j];
			snprintf(runs[n].name, sizeof(runs[n].name), "%s/%s",
				 modes[i].name, cases[j].name);
			tests[n].name = runs[n].name;
			tests[n].test_func = run_case;
			tests[n].setup_func = run_setup;
			tests[n].teardown_func = run_teardown;
			tests[n].initial_state = &runs[n];
		}
	}
	if (getenv("SIMOPS_FILTER"))
		cmocka_set_test_filter(getenv("SIMOPS_FILTER"));
	if (getenv("SIMOPS_SKIP"))
		cmocka_set_skip_filter(getenv("SIMOPS_SKIP"));
	rc = _cmocka_run_group_tests("ews_sim_ops", tests, n, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
