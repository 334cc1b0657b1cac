/* test_sim_samples.c - replays every request skeleton under
 * ews-schema/samples/requests/ (written from Exchange's
 * documentation, independently of the sim) against the demo org and
 * requires a schema-valid, fault-free, all-NoError answer.
 *
 * The skeletons use contoso.com addresses and placeholder ids; before
 * each one the test creates fresh objects (messages, a draft, a meeting
 * request, a folder, an attachment, a rule, a sync state) and substitutes
 * their real ids and change keys. Skeletons with an ExchangeImpersonation
 * header run as svc-mcp@ (impersonation scope: Sales, which covers
 * alice@); the others name alice@'s mailbox in the body and run as alice.
 * The skeletons come with Microsoft's schema: without it the test is
 * skipped (testutil_require_schema).
 */
#include "simtest.h"

#include <dirent.h>

typedef struct ids {
	char a[128], a_ck[64], b[128], b_ck[64];
	char draft[128], draft_ck[64];
	char mtg[128], mtg_ck[64];
	char cal[128], cal_ck[64];
	char folder[128], folder_ck[64];
	char att[128];
	char rule[64];
	char sync[256];
} ids;

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src);
}

static char *call_ok(const ews_sim *sim, const char *user, const char *pw,
		     const char *body)
{
	st_resp r = st_ews(sim, ST_BASIC, user, pw, NULL, body);

	assert_int_equal(r.status, 200);
	return r.body;
}

static void new_message(const ews_sim *sim, char *id, char *ck, const char *subj)
{
	char body[2048];
	char *r;

	snprintf(body, sizeof(body),
		 "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>"
		 "<t:DistinguishedFolderId Id=\"inbox\"/></m:SavedItemFolderId><m:Items>"
		 "<t:Message><t:Subject>%s</t:Subject><t:Body BodyType=\"HTML\">&lt;p&gt;Hello&lt;/p&gt;</t:Body>"
		 "<t:ToRecipients><t:Mailbox><t:EmailAddress>alice@contoso.test</t:EmailAddress></t:Mailbox></t:ToRecipients>"
		 "<t:From><t:Mailbox><t:EmailAddress>carol@contoso.test</t:EmailAddress></t:Mailbox></t:From>"
		 "</t:Message></m:Items></m:CreateItem>", subj);
	r = call_ok(sim, ALICE, body);
	copy(id, 128, st_attr(r, "t:ItemId", "Id"));
	copy(ck, 64, st_attr(r, "t:ItemId", "ChangeKey"));
	assert_true(id[0] != '\0');
	free(r);
}

static void prepare(const ews_sim *sim, ids *x, int n)
{
	char body[4096];
	char *r, *p;

	memset(x, 0, sizeof(*x));
	new_message(sim, x->a, x->a_ck, "Invoice A");
	new_message(sim, x->b, x->b_ck, "Invoice B");
	r = call_ok(sim, ALICE,
		    "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:Items><t:Message>"
		    "<t:Subject>Draft</t:Subject><t:Body BodyType=\"Text\">text</t:Body>"
		    "<t:ToRecipients><t:Mailbox><t:EmailAddress>bob@contoso.test</t:EmailAddress>"
		    "</t:Mailbox></t:ToRecipients></t:Message></m:Items></m:CreateItem>");
	copy(x->draft, 128, st_attr(r, "t:ItemId", "Id"));
	copy(x->draft_ck, 64, st_attr(r, "t:ItemId", "ChangeKey"));
	free(r);
	/* bob invites alice: alice gets a meeting request and a calendar item */
	snprintf(body, sizeof(body),
		 "<m:CreateItem SendMeetingInvitations=\"SendToAllAndSaveCopy\"><m:Items>"
		 "<t:CalendarItem><t:Subject>Review %d</t:Subject><t:Start>2026-05-02T08:00:00Z</t:Start>"
		 "<t:End>2026-05-02T09:00:00Z</t:End><t:RequiredAttendees><t:Attendee><t:Mailbox>"
		 "<t:EmailAddress>alice@contoso.test</t:EmailAddress></t:Mailbox></t:Attendee>"
		 "</t:RequiredAttendees></t:CalendarItem></m:Items></m:CreateItem>", n);
	free(call_ok(sim, BOB, body));
	r = call_ok(sim, ALICE,
		    "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		    "</m:ItemShape><m:IndexedPageItemView MaxEntriesReturned=\"5\" Offset=\"0\" BasePoint=\"Beginning\"/>"
		    "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds></m:FindItem>");
	p = strstr(r, "<t:MeetingRequest>");
	assert_non_null(p);
	copy(x->mtg, 128, st_attr(p, "t:ItemId", "Id"));
	copy(x->mtg_ck, 64, st_attr(p, "t:ItemId", "ChangeKey"));
	free(r);
	r = call_ok(sim, ALICE,
		    "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		    "</m:ItemShape><m:IndexedPageItemView MaxEntriesReturned=\"1\" Offset=\"0\" BasePoint=\"Beginning\"/>"
		    "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"calendar\"/></m:ParentFolderIds></m:FindItem>");
	copy(x->cal, 128, st_attr(r, "t:ItemId", "Id"));
	copy(x->cal_ck, 64, st_attr(r, "t:ItemId", "ChangeKey"));
	free(r);
	snprintf(body, sizeof(body),
		 "<m:CreateFolder><m:ParentFolderId><t:DistinguishedFolderId Id=\"inbox\"/>"
		 "</m:ParentFolderId><m:Folders><t:Folder><t:DisplayName>Replay %d</t:DisplayName>"
		 "</t:Folder></m:Folders></m:CreateFolder>", n);
	r = call_ok(sim, ALICE, body);
	copy(x->folder, 128, st_attr(r, "t:FolderId", "Id"));
	copy(x->folder_ck, 64, st_attr(r, "t:FolderId", "ChangeKey"));
	free(r);
	snprintf(body, sizeof(body),
		 "<m:CreateAttachment><m:ParentItemId Id=\"%s\"/><m:Attachments><t:FileAttachment>"
		 "<t:Name>a.txt</t:Name><t:Content>aGVsbG8=</t:Content></t:FileAttachment>"
		 "</m:Attachments></m:CreateAttachment>", x->b);
	r = call_ok(sim, ALICE, body);
	copy(x->att, 128, st_attr(r, "t:AttachmentId", "Id"));
	free(r);
	/* B's change key moved with the attachment */
	snprintf(body, sizeof(body), "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "</m:ItemShape><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", x->b);
	r = call_ok(sim, ALICE, body);
	copy(x->b_ck, 64, st_attr(r, "t:ItemId", "ChangeKey"));
	free(r);
	r = call_ok(sim, ALICE,
		    "<m:UpdateInboxRules><m:RemoveOutlookRuleBlob>true</m:RemoveOutlookRuleBlob>"
		    "<m:Operations><t:CreateRuleOperation><t:Rule><t:DisplayName>Seed</t:DisplayName>"
		    "<t:Priority>1</t:Priority><t:IsEnabled>true</t:IsEnabled></t:Rule>"
		    "</t:CreateRuleOperation></m:Operations></m:UpdateInboxRules>");
	free(r);
	r = call_ok(sim, ALICE, "<m:GetInboxRules/>");
	p = strstr(r, "<t:RuleId>");
	assert_non_null(p);
	p += strlen("<t:RuleId>");
	snprintf(x->rule, sizeof(x->rule), "%.*s", (int)(strchr(p, '<') - p), p);
	free(r);
	r = call_ok(sim, ALICE,
		    "<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
		    "<m:SyncFolderId><t:DistinguishedFolderId Id=\"inbox\"/></m:SyncFolderId>"
		    "<m:MaxChangesReturned>512</m:MaxChangesReturned></m:SyncFolderItems>");
	p = strstr(r, "<m:SyncState>");
	assert_non_null(p);
	p += strlen("<m:SyncState>");
	snprintf(x->sync, sizeof(x->sync), "%.*s", (int)(strchr(p, '<') - p), p);
	free(r);
}

/* Replaces every `from` in *text by `to` (reallocates). */
static void replace_all(char **text, const char *from, const char *to)
{
	buf b = BUF_INIT(16u * 1024 * 1024);
	const char *p = *text, *q;

	while ((q = strstr(p, from))) {
		buf_put(&b, p, (size_t)(q - p));
		buf_puts(&b, to);
		p = q + strlen(from);
	}
	buf_puts(&b, p);
	free(*text);
	*text = buf_detach(&b);
}

/* Id="ph" (optionally followed by ChangeKey="...") becomes the real pair. */
static void subst_id(char **text, const char *ph, const char *id, const char *ck)
{
	buf b = BUF_INIT(16u * 1024 * 1024);
	char pat[160];
	const char *p = *text, *q;

	snprintf(pat, sizeof(pat), "Id=\"%s\"", ph);
	while ((q = strstr(p, pat))) {
		buf_put(&b, p, (size_t)(q - p));
		buf_printf(&b, "Id=\"%s\"", id);
		p = q + strlen(pat);
		if (strncmp(p, " ChangeKey=\"", 12) == 0) {
			p = strchr(p + 12, '"') + 1;
			if (ck && *ck)
				buf_printf(&b, " ChangeKey=\"%s\"", ck);
		}
	}
	buf_puts(&b, p);
	free(*text);
	*text = buf_detach(&b);
}

static void replay_one(const ews_sim *sim, const char *file, int n)
{
	char path[1024];
	char *text, *sync_el;
	ids x;
	st_resp r;

	snprintf(path, sizeof(path), "%s/%s",
		 testutil_schema_path("samples/requests"), file);
	text = testutil_read_file(path, NULL);
	assert_non_null(text);
	prepare(sim, &x, n);
	replace_all(&text, "contoso.com", "contoso.test");
	/* the demo mailbox already has Inbox/Projects (Exchange would answer
	 * ErrorFolderExists, as the sim does): create a new name instead */
	replace_all(&text, "<t:DisplayName>Projects</t:DisplayName>",
		    "<t:DisplayName>Projects (replay)</t:DisplayName>");
	subst_id(&text, "AAMkADk0AAA=", x.a, x.a_ck);
	subst_id(&text, "AAMkADk0AAB=", x.b, x.b_ck);
	subst_id(&text, "AAMkDraft=", x.draft, x.draft_ck);
	subst_id(&text, "AAMkMtgReq=", x.mtg, x.mtg_ck);
	subst_id(&text, "AAMkCal=", x.cal, x.cal_ck);
	subst_id(&text, "AAMkFolder=", x.folder, x.folder_ck);
	subst_id(&text, "AAMkAtt1=", x.att, NULL);
	subst_id(&text, "AAAAAA==", x.a, NULL);
	replace_all(&text, "<t:RuleId>AQAAAAAAAAA=</t:RuleId>", "<t:RuleId>RULE</t:RuleId>");
	replace_all(&text, "RULE", x.rule);
	sync_el = strstr(text, "<m:SyncState>");
	if (sync_el) {
		char *end = strstr(sync_el, "</m:SyncState>");
		char repl[400];
		char *old = strndup(sync_el, (size_t)(end - sync_el));

		snprintf(repl, sizeof(repl), "<m:SyncState>%s", x.sync);
		replace_all(&text, old, repl);
		free(old);
	}
	if (strstr(text, "ExchangeImpersonation"))
		r = st_post(sim, "/EWS/Exchange.asmx", ST_BASIC, SVC, text);
	else
		r = st_post(sim, "/EWS/Exchange.asmx", ST_BASIC, ALICE, text);
	if (r.status != 200 || strstr(r.body, "ResponseClass=\"Error\"") ||
	    strstr(r.body, "ResponseClass=\"Warning\"") || strstr(r.body, "Fault>"))
		fprintf(stderr, "%s: HTTP %ld\n%.3000s\n", file, r.status, r.body);
	assert_int_equal(r.status, 200);
	assert_int_equal(st_validate(r.body), 0);
	assert_null(strstr(r.body, "ResponseClass=\"Error\""));
	assert_null(strstr(r.body, "ResponseClass=\"Warning\""));
	assert_true(strstr(r.body, "NoError") != NULL);
	free(r.body);
	free(text);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Each skeleton runs against a fresh demo org, so one skeleton's effects
 * (e.g. the contact "Bob Smith" that createitem-contact-delegate adds)
 * cannot change another's answer (ResolveNames "bob" would then find two
 * entries and answer ErrorNameResolutionMultipleResults, as Exchange does). */
static void test_replay_all_skeletons(void **state)
{
	struct dirent **list = NULL;
	int n, i, done = 0;

	(void)state;
	n = scandir(testutil_schema_path("samples/requests"), &list,
		    NULL, by_name);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		const char *f = list[i]->d_name;

		if (strlen(f) > 4 && strcmp(f + strlen(f) - 4, ".xml") == 0) {
			ews_sim *sim = st_start("demo.json", NULL);

			assert_non_null(sim);
			replay_one(sim, f, i);
			ews_sim_stop(sim);
			done++;
		}
		free(list[i]);
	}
	free(list);
	assert_int_equal(done, 44);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_all_skeletons),
	};
	int rc;

	testutil_require_schema("sim/test_sim_samples");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	st_schema_free();
	curl_global_cleanup();
	xmlCleanupParser();
	return rc;
}
