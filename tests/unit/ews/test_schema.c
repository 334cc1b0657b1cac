/* test_schema.c - every request the EWS wrappers produce, in the four
 * access modes (primary with NTLM, impersonation, delegate, app-only
 * OAuth), validated in-process against Microsoft's schema
 * (ews-schema/soap-envelope-ews.xsd with types.xsd/messages.xsd), plus the
 * mode's wire markers: the impersonation header where (and only where) it
 * belongs, X-AnchorMailbox, t:Mailbox in distinguished folder ids, From
 * for delegate sends, the Bearer token. Bodies are captured by the
 * client's request hook; a scripted fake Exchange answers. Without the
 * schema the whole test is skipped (testutil_require_schema). */
#include "testutil.h"

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "ews/client.h"
#include "ews/folders.h"
#include "ews/mailbox.h"
#include "ews/ops.h"
#include "fake_ews.h"

static xmlSchemaPtr schema;

typedef struct captured {
	int n;
	char ops[FAKE_MAX][48];
} captured;

static void hook(const char *op, const char *body, size_t len, void *payload)
{
	captured *c = payload;

	(void)body;
	(void)len;
	if (c->n < FAKE_MAX)
		snprintf(c->ops[c->n++], sizeof(c->ops[0]), "%s", op);
}

static int load_schema(void **state)
{
	xmlSchemaParserCtxtPtr pc;

	(void)state;
	pc = xmlSchemaNewParserCtxt(testutil_schema_path("soap-envelope-ews.xsd"));
	schema = pc ? xmlSchemaParse(pc) : NULL;
	xmlSchemaFreeParserCtxt(pc);
	log_set_level(LOG_LEVEL_ERROR);
	return schema ? 0 : -1;
}

static int free_schema(void **state)
{
	(void)state;
	xmlSchemaFree(schema);
	xmlCleanupParser();
	return 0;
}

static void validate(const char *mode, const char *op, const char *body)
{
	xmlDocPtr doc = xmlReadMemory(body, (int)strlen(body), "request.xml",
				      NULL, XML_PARSE_NONET);
	xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
	int rc = doc ? xmlSchemaValidateDoc(vc, doc) : -1;

	xmlSchemaFreeValidCtxt(vc);
	xmlFreeDoc(doc);
	if (rc != 0)
		fail_msg("%s %s: request does not validate:\n%s", mode, op, body);
}

enum mode { PRIMARY_NTLM, IMPERSONATION, DELEGATE, APP_ONLY };
static const char *const mode_names[] = {
	"primary/ntlm", "impersonation", "delegate", "app-only oauth"
};

static ews_client *client_for(enum mode m, fake_ews *f, captured *cap)
{
	ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	ews_client *c = NULL;
	char authority[128];

	snprintf(authority, sizeof(authority), "http://127.0.0.1:%d", f->port);
	o.url = f->url;
	o.primary_smtp = "svc-mcp@contoso.test";
	o.auth_type = m == APP_ONLY ? EWS_AUTH_OAUTH2 : EWS_AUTH_BASIC;
	o.username = "svc-mcp@contoso.test";
	o.password = "pw";
	o.oauth_authority = authority;
	o.tenant_id = "contoso.test";
	o.client_id = "app-id";
	o.client_secret = "app-secret";
	o.impersonation_enabled = 1;
	o.impersonation_type = m == DELEGATE ? EWS_TARGET_DELEGATE
					     : EWS_TARGET_IMPERSONATION;
	o.timezone = "Europe/Berlin";
	o.retry.max_retries = 0;
	o.request_hook = hook;
	o.request_hook_payload = cap;
	if (ews_client_new(&c, &o, &err) != 0)
		fail_msg("client: %s", err.msg);
	return c;
}

/* Calls every wrapper once; errors from the fake are expected. */
static void exercise(const ews_ctx *ctx, fake_ews *f)
{
	static const char *const fields[] = { "item:Subject",
					      "item:DateTimeReceived" };
	static const char *const ffields[] = { "folder:DisplayName" };
	soap_folder_ref inbox = { .distinguished = "inbox" };
	soap_folder_ref drafts = { .distinguished = "drafts" };
	soap_item_ref item = { "AAMkADk0AAA=", "CQAAABYAAAA=" };
	soap_mailbox bob = { "Bob", "bob@contoso.test" };
	soap_restriction unread = { .op = SOAP_R_EQ, .field = "message:IsRead",
				    .value = "false" };
	soap_message msg = { .subject = "Quarterly <numbers> & more",
			     .body = "<p>See attached.</p>", .body_type = "HTML",
			     .to = &bob, .nto = 1 };
	soap_calendar_item cal = { .subject = "Planning", .start =
				   "2026-05-02T08:00:00Z", .end =
				   "2026-05-02T09:00:00Z", .required = &bob,
				   .nrequired = 1 };
	soap_contact contact = { .display_name = "Bob Smith", .given_name = "Bob",
				 .surname = "Smith" };
	soap_task task = { .subject = "File expense report", .status =
			   "NotStarted" };
	static const unsigned char bytes[] = "hello world";
	soap_file_attachment file = { .name = "report.txt", .content_type =
				      "text/plain", .data = bytes, .len = 11 };
	soap_availability_mailbox who = { .email = "bob@contoso.test" };
	const char *att_ids[] = { "AAMkAtt1=" };
	soap_field_change set_read = { .op = SOAP_UPDATE_SET, .field =
				       "message:IsRead", .value = "true" };
	soap_item_change change = { .item = item, .fields = &set_read,
				    .nfields = 1 };
	const char *tz_ids[] = { "W. Europe Standard Time" };
	soap_alternate_id alt = { "AAAAAA==", "EntryId", "alice@contoso.test" };
	json_t *out = NULL;
	errinfo err;

#define CALL(expr) \
	do { \
		errinfo_clear(&err); \
		out = NULL; \
		if ((expr) == ERR_INVAL) \
			fail_msg("line %d: refused: %s", __LINE__, err.msg); \
		json_decref(out); \
	} while (0)
	{
		soap_find_item_args a = { .shape = { .base = "IdOnly", .fields =
			fields, .nfields = 2 }, .max_entries = 50,
			.restriction = &unread, .folders = &inbox, .nfolders = 1 };
		CALL(ews_find_item(&out, ctx, &a, &err));
	}
	{
		soap_find_item_args a = { .shape = { .base = "IdOnly" }, .view =
			SOAP_VIEW_CALENDAR, .cal_start = "2026-05-01T00:00:00Z",
			.cal_end = "2026-05-08T00:00:00Z" };
		soap_folder_ref calf = { .distinguished = "calendar" };

		a.folders = &calf;
		a.nfolders = 1;
		CALL(ews_find_item(&out, ctx, &a, &err));
	}
	{
		soap_get_item_args a = { .shape = { .base = "Default",
			.body_type = "Text" }, .ids = &item, .nids = 1 };
		CALL(ews_get_item(&out, ctx, &a, &err));
	}
	{
		soap_update_item_args a = { .disposition = "SaveOnly",
			.changes = &change, .nchanges = 1 };
		CALL(ews_update_item(&out, ctx, &a, &err));
	}
	{
		soap_delete_item_args a = { .ids = &item, .nids = 1 };
		CALL(ews_delete_item(&out, ctx, &a, &err));
	}
	{
		soap_move_item_args a = { .to_folder = { .distinguished =
			"deleteditems" }, .ids = &item, .nids = 1 };
		CALL(ews_move_item(&out, ctx, &a, &err));
		CALL(ews_copy_item(&out, ctx, &a, &err));
	}
	{
		soap_send_item_args a = { .save_copy = 1, .ids = &item, .nids = 1 };
		CALL(ews_send_item(&out, ctx, &a, &err));
	}
	{
		soap_create_message_args a = { .disposition = "SaveOnly",
			.saved_folder = &drafts, .message = &msg };
		CALL(ews_create_message(&out, ctx, &a, &err));
	}
	/* ews_send_message: delegate needs a draft id before SendItem */
	fake_push(f, 200, FAKE_CREATE_ITEM_OK, NULL, 0);
	fake_push(f, 200, FAKE_SEND_ITEM_OK, NULL, 0);
	CALL(ews_send_message(&out, ctx, &msg, &err));
	pthread_mutex_lock(&f->lock);
	f->nscript = f->next = 0;
	pthread_mutex_unlock(&f->lock);
	{
		soap_respond_args a = { .kind = SOAP_REPLY_ALL, .reference = item,
			.body = "Thanks" };
		CALL(ews_respond(&out, ctx, &a, &err));
		a.kind = SOAP_FORWARD;
		a.to = &bob;
		a.nto = 1;
		CALL(ews_respond(&out, ctx, &a, &err));
		a.kind = SOAP_ACCEPT;
		a.to = NULL;
		a.nto = 0;
		CALL(ews_respond(&out, ctx, &a, &err));
	}
	{
		soap_create_calendar_args a = { .item = &cal };
		CALL(ews_create_calendar_item(&out, ctx, &a, &err));
	}
	{
		soap_create_contact_args a = { .contact = &contact };
		CALL(ews_create_contact(&out, ctx, &a, &err));
	}
	{
		soap_create_task_args a = { .task = &task };
		CALL(ews_create_task(&out, ctx, &a, &err));
	}
	{
		soap_find_folder_args a = { .traversal = "Deep", .shape = {
			.base = "IdOnly", .fields = ffields, .nfields = 1 },
			.max_entries = 100, .parents = &inbox, .nparents = 1 };
		CALL(ews_find_folder(&out, ctx, &a, &err));
	}
	{
		soap_get_folder_args a = { .shape = { .base = "Default" },
			.folders = &inbox, .nfolders = 1 };
		CALL(ews_get_folder(&out, ctx, &a, &err));
	}
	{
		soap_create_folder_args a = { .parent = inbox, .display_name =
			"Projects", .folder_class = "IPF.Note" };
		CALL(ews_create_folder(&out, ctx, &a, &err));
	}
	{
		soap_folder_ref fid = { .id = "AAMkFolder=", .change_key = "AQAAAA==" };
		soap_delete_folder_args d = { .folders = &fid, .nfolders = 1 };
		soap_update_folder_args u = { .folder = fid, .display_name = "P2" };
		soap_move_folder_args mv = { .to_folder = { .distinguished =
			"deleteditems" }, .folders = &fid, .nfolders = 1 };

		CALL(ews_delete_folder(&out, ctx, &d, &err));
		CALL(ews_update_folder(&out, ctx, &u, &err));
		CALL(ews_move_folder(&out, ctx, &mv, &err));
	}
	{
		soap_availability_args a = { .mailboxes = &who, .nmailboxes = 1,
			.start = "2026-05-02T00:00:00", .end = "2026-05-03T00:00:00" };
		CALL(ews_get_user_availability(&out, ctx, &a, &err));
	}
	CALL(ews_get_user_oof_settings(&out, ctx, &err));
	{
		soap_set_oof_args a = { .state = "Scheduled", .external_audience =
			"Known", .start = "2026-07-01T00:00:00Z", .end =
			"2026-07-15T00:00:00Z", .internal_reply = "Away <b>now</b>",
			.external_reply = "Away" };
		CALL(ews_set_user_oof_settings(&out, ctx, &a, &err));
	}
	{
		soap_folder_ref contacts = { .distinguished = "contacts" };
		soap_resolve_names_args a = { .entry = "bob", .full_contact_data = 1,
			.search_scope = "ActiveDirectoryContacts", .folders =
			&contacts, .nfolders = 1 };
		CALL(ews_resolve_names(&out, ctx, &a, &err));
	}
	{
		soap_folder_ref dir = { .distinguished = "directory" };
		soap_find_people_args a = { .shape = { .base = "IdOnly" },
			.max_entries = 20, .folder = &dir, .query = "bob" };
		CALL(ews_find_people(&out, ctx, &a, &err));
	}
	{
		soap_expand_dl_args a = { "sales@contoso.test" };
		CALL(ews_expand_dl(&out, ctx, &a, &err));
	}
	{
		soap_get_attachment_args g = { .ids = att_ids, .nids = 1 };
		soap_create_attachment_args c = { .parent = item, .files = &file,
			.nfiles = 1 };
		soap_delete_attachment_args d = { .ids = att_ids, .nids = 1 };

		CALL(ews_get_attachment(&out, ctx, &g, &err));
		CALL(ews_create_attachment(&out, ctx, &c, &err));
		CALL(ews_delete_attachment(&out, ctx, &d, &err));
	}
	CALL(ews_get_inbox_rules(&out, ctx, &err));
	{
		const char *words[] = { "invoice" };
		soap_rule_predicates cond = { .contains_subject = words,
			.ncontains_subject = 1 };
		soap_rule_actions act = { .move_to_folder = &inbox,
			.stop_processing = SOAP_TRUE };
		soap_rule_op op = { .kind = SOAP_RULE_CREATE, .display_name =
			"Invoices", .priority = 1, .is_enabled = 1, .conditions =
			&cond, .actions = &act };
		soap_update_inbox_rules_args a = { .remove_outlook_blob = SOAP_TRUE,
			.ops = &op, .nops = 1 };
		CALL(ews_update_inbox_rules(&out, ctx, &a, &err));
	}
	{
		soap_sync_folder_items_args a = { .shape = { .base = "IdOnly" },
			.folder = inbox, .max_changes = 100 };
		CALL(ews_sync_folder_items(&out, ctx, &a, &err));
	}
	{
		soap_get_server_time_zones_args a = { .ids = tz_ids, .nids = 1 };
		CALL(ews_get_server_time_zones(&out, ctx, &a, &err));
	}
	{
		soap_convert_id_args a = { .destination_format = "EwsId", .ids =
			&alt, .nids = 1 };
		CALL(ews_convert_id(&out, ctx, &a, &err));
	}
#undef CALL
}

static void run_mode(enum mode m)
{
	fake_ews *f = fake_start();
	captured cap = { 0 };
	ews_client *c;
	ews_mailbox *mb = NULL;
	ews_ctx ctx;
	const char *target;
	int i, n, delegate_sends = 0;

	assert_non_null(f);
	c = client_for(m, f, &cap);
	target = m == PRIMARY_NTLM ? NULL
	       : m == DELEGATE ? "carol@contoso.test" : "alice@contoso.test";
	assert_int_equal(ews_mailbox_resolve(&mb, c, target, NULL), 0);
	ctx.client = c;
	ctx.mailbox = mb;
	ctx.cancel = NULL;
	exercise(&ctx, f);
	if (m == APP_ONLY) {
		/* the primary mailbox under app-only OAuth */
		ews_mailbox *prim = NULL;

		assert_int_equal(ews_mailbox_resolve(&prim, c, NULL, NULL), 0);
		ctx.mailbox = prim;
		exercise(&ctx, f);
		ews_mailbox_free(prim);
	}
	n = fake_requests(f);
	/* 36 wrapper calls, one request each; in delegate mode the send is
	 * two requests (draft + SendItem) and OOF is refused before any
	 * request (two fewer); app-only runs everything twice. */
	assert_int_equal(n, m == DELEGATE ? 35 : m == APP_ONLY ? 72 : 36);
	assert_int_equal(n, cap.n);
	for (i = 0; i < n && i < FAKE_MAX; i++) {
		const char *b = f->bodies[i];
		const char *addr = m == PRIMARY_NTLM ? "svc-mcp@contoso.test"
				 : target;
		int second_half = m == APP_ONLY && i >= n / 2;

		if (second_half)
			addr = "svc-mcp@contoso.test";
		validate(mode_names[m], cap.ops[i], b);
		/* the impersonation header exactly where it belongs */
		if (m == IMPERSONATION || m == APP_ONLY) {
			char want[160];

			snprintf(want, sizeof(want), "<t:PrimarySmtpAddress>%s"
				 "</t:PrimarySmtpAddress>", addr);
			if (!strstr(b, want))
				fail_msg("%s %s: no impersonation of %s", mode_names[m],
					 cap.ops[i], addr);
		} else if (strstr(b, "ExchangeImpersonation")) {
			fail_msg("%s %s: impersonation header in %s mode",
				 mode_names[m], cap.ops[i], mode_names[m]);
		}
		assert_string_equal(f->anchors[i], addr);
		if (strstr(b, "<t:DistinguishedFolderId") &&
		    !strstr(b, "Id=\"directory\"")) {
			char want[160];

			snprintf(want, sizeof(want), "<t:Mailbox><t:EmailAddress>%s"
				 "</t:EmailAddress></t:Mailbox>", addr);
			if (!strstr(b, want))
				fail_msg("%s %s: distinguished folder without the "
					 "mailbox %s:\n%s", mode_names[m], cap.ops[i],
					 addr, b);
		}
		if (m == APP_ONLY)
			assert_true(strncmp(f->auth[i], "Bearer tok-", 11) == 0);
		else
			assert_true(strncmp(f->auth[i], "Basic ", 6) == 0);
		assert_non_null(strstr(b, "W. Europe Standard Time"));
		assert_non_null(strstr(b, "Version=\"Exchange2016\""));
		if (m == DELEGATE &&
		    strstr(b, "<m:CreateItem MessageDisposition=\"SaveOnly\"") &&
		    strstr(b, "<t:Message>")) {
			assert_non_null(strstr(b, "<t:From><t:Mailbox><t:EmailAddress>"
					       "carol@contoso.test"));
			delegate_sends++;
		}
		if (m == DELEGATE && strstr(b, "<m:SendItem ")) {
			assert_non_null(strstr(b, "Id=\"sentitems\"><t:Mailbox>"
					       "<t:EmailAddress>carol@contoso.test"));
		}
		if (m != DELEGATE && strstr(b, "SendAndSaveCopy") &&
		    strstr(b, "<t:Message>"))
			assert_non_null(strstr(b, "Id=\"sentitems\""));
	}
	if (m == DELEGATE)
		assert_true(delegate_sends >= 2); /* create_message + send */
	ews_mailbox_free(mb);
	ews_client_free(c);
	fake_stop(f);
}

static void test_primary_ntlm(void **state)
{
	(void)state;
	run_mode(PRIMARY_NTLM);
}

static void test_impersonation(void **state)
{
	(void)state;
	run_mode(IMPERSONATION);
}

static void test_delegate(void **state)
{
	(void)state;
	run_mode(DELEGATE);
}

static void test_app_only(void **state)
{
	(void)state;
	run_mode(APP_ONLY);
}

/* The validator itself must reject what the schema forbids. */
static void test_validator_rejects_invalid(void **state)
{
	static const char *const bad[] = {
		"samples/getitem.invalid.xml",
		"samples/header-bad-version.invalid.xml",
		"samples/createitem-message-wrong-order.invalid.xml",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *body = testutil_read_file(testutil_schema_path(bad[i]), NULL);
		xmlDocPtr doc;
		xmlSchemaValidCtxtPtr vc;

		assert_non_null(body);
		doc = xmlReadMemory(body, (int)strlen(body), "x.xml", NULL,
				    XML_PARSE_NONET);
		vc = xmlSchemaNewValidCtxt(schema);
		xmlSchemaSetValidErrors(vc, NULL, NULL, NULL);
		assert_non_null(doc);
		assert_int_not_equal(xmlSchemaValidateDoc(vc, doc), 0);
		xmlSchemaFreeValidCtxt(vc);
		xmlFreeDoc(doc);
		free(body);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validator_rejects_invalid),
		cmocka_unit_test(test_primary_ntlm),
		cmocka_unit_test(test_impersonation),
		cmocka_unit_test(test_delegate),
		cmocka_unit_test(test_app_only),
	};

	testutil_require_schema("ews/test_schema");
	return cmocka_run_group_tests(tests, load_schema, free_schema);
}
