/* test_sim_matrix.c - the permission matrix: who may read, create,
 * update, delete and send in olivia@'s mailbox (sim/orgs/matrix.json),
 * with Exchange's exact response codes, and texts for the faults.
 *
 * Rows: olivia herself; svc@ impersonating her (in scope); svc@
 * impersonating oscar@ (out of scope); svc@ impersonating a nonexistent
 * mailbox; delegates with Reviewer, Author, Editor (send-on-behalf) and
 * None on her Inbox; an app-only bearer token with and without the
 * impersonation header. Every response must also validate. */
#include "simtest.h"

enum { OP_READ, OP_CREATE, OP_UPDATE, OP_DELETE, OP_SEND, OP_N };

#define IMP_DENIED "The account does not have permission to impersonate the requested user."
#define NO_MAILBOX "The SMTP address has no mailbox associated with it."
#define NO_HEADER "ExchangeImpersonation SOAP header must be present for this type of OAuth token."

typedef struct row {
	const char *name;
	st_auth auth;
	const char *user, *pw;      /* ST_BEARER: pw ignored, token used */
	const char *imp;            /* impersonation target or NULL */
	int explicit_mbx;           /* delegate: name olivia in the body */
	const char *want[OP_N];     /* ResponseCode per operation */
	const char *fault_text;     /* non-NULL: every op is this SOAP fault */
} row;

static const row rows[] = {
	{ "primary", ST_BASIC, "olivia@matrix.test", "Olivia-1!", NULL, 0,
	  { "NoError", "NoError", "NoError", "NoError", "NoError" }, NULL },
	{ "impersonation in scope", ST_BASIC, "svc@matrix.test", "Svc-1!", "olivia@matrix.test", 0,
	  { "NoError", "NoError", "NoError", "NoError", "NoError" }, NULL },
	{ "impersonation out of scope", ST_BASIC, "svc@matrix.test", "Svc-1!", "oscar@matrix.test", 0,
	  { "ErrorImpersonateUserDenied", "ErrorImpersonateUserDenied", "ErrorImpersonateUserDenied",
	    "ErrorImpersonateUserDenied", "ErrorImpersonateUserDenied" }, IMP_DENIED },
	{ "nonexistent mailbox", ST_BASIC, "svc@matrix.test", "Svc-1!", "nobody@matrix.test", 0,
	  { "ErrorNonExistentMailbox", "ErrorNonExistentMailbox", "ErrorNonExistentMailbox",
	    "ErrorNonExistentMailbox", "ErrorNonExistentMailbox" }, NO_MAILBOX },
	{ "delegate Reviewer", ST_BASIC, "rev@matrix.test", "Rev-1!", NULL, 1,
	  { "NoError", "ErrorAccessDenied", "ErrorAccessDenied", "ErrorAccessDenied",
	    "ErrorSendAsDenied" }, NULL },
	{ "delegate Author", ST_BASIC, "auth@matrix.test", "Auth-1!", NULL, 1,
	  { "NoError", "NoError", "ErrorAccessDenied", "ErrorAccessDenied",
	    "ErrorSendAsDenied" }, NULL },
	{ "delegate Editor", ST_BASIC, "edit@matrix.test", "Edit-1!", NULL, 1,
	  { "NoError", "NoError", "NoError", "NoError", "NoError" }, NULL },
	{ "delegate None", ST_BASIC, "none@matrix.test", "None-1!", NULL, 1,
	  { "ErrorFolderNotFound", "ErrorAccessDenied", "ErrorAccessDenied", "ErrorAccessDenied",
	    "ErrorSendAsDenied" }, NULL },
	{ "app-only with header", ST_BEARER, NULL, NULL, "olivia@matrix.test", 0,
	  { "NoError", "NoError", "NoError", "NoError", "NoError" }, NULL },
	{ "app-only without header", ST_BEARER, NULL, NULL, NULL, 0,
	  { "ErrorInvalidExchangeImpersonationHeaderData", "ErrorInvalidExchangeImpersonationHeaderData",
	    "ErrorInvalidExchangeImpersonationHeaderData", "ErrorInvalidExchangeImpersonationHeaderData",
	    "ErrorInvalidExchangeImpersonationHeaderData" }, NO_HEADER },
};

static char token[512];

static void get_token(const ews_sim *sim)
{
	st_resp r = st_post_h(NULL, sim, "/matrix.test/oauth2/v2.0/token", ST_NONE,
			      NULL, NULL, "application/x-www-form-urlencoded",
			      "grant_type=client_credentials&client_id=11111111-2222-3333-4444-555555555555"
			      "&client_secret=matrix-secret&scope=https%3A%2F%2Foutlook.office365.com%2F.default");
	char *p = strstr(r.body, "\"access_token\"");

	assert_int_equal(r.status, 200);
	assert_non_null(p);
	p = strchr(p + 14, '"');
	assert_non_null(p);
	snprintf(token, sizeof(token), "%.*s", (int)(strchr(p + 1, '"') - p - 1), p + 1);
	free(r.body);
}

/* A fresh message in olivia's inbox, created by olivia: its id. */
static void olivia_item(const ews_sim *sim, char *id, size_t n)
{
	st_resp r = st_ews(sim, ST_BASIC, "olivia@matrix.test", "Olivia-1!", NULL,
			   "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>"
			   "<t:DistinguishedFolderId Id=\"inbox\"/></m:SavedItemFolderId><m:Items>"
			   "<t:Message><t:Subject>target</t:Subject></t:Message></m:Items></m:CreateItem>");

	snprintf(id, n, "%s", st_attr(r.body, "t:ItemId", "Id"));
	assert_true(id[0] != '\0');
	free(r.body);
}

static void op_body(char *out, size_t n, int op, int explicit_mbx, const char *id)
{
	const char *mbx = explicit_mbx
		? "<t:Mailbox><t:EmailAddress>olivia@matrix.test</t:EmailAddress></t:Mailbox>" : "";

	switch (op) {
	case OP_READ:
		snprintf(out, n, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly"
			 "</t:BaseShape></m:ItemShape><m:IndexedPageItemView MaxEntriesReturned=\"10\" "
			 "Offset=\"0\" BasePoint=\"Beginning\"/><m:ParentFolderIds>"
			 "<t:DistinguishedFolderId Id=\"inbox\">%s</t:DistinguishedFolderId>"
			 "</m:ParentFolderIds></m:FindItem>", mbx);
		break;
	case OP_CREATE:
		snprintf(out, n, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>"
			 "<t:DistinguishedFolderId Id=\"inbox\">%s</t:DistinguishedFolderId>"
			 "</m:SavedItemFolderId><m:Items><t:Message><t:Subject>new</t:Subject>"
			 "</t:Message></m:Items></m:CreateItem>", mbx);
		break;
	case OP_UPDATE:
		snprintf(out, n, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\" "
			 "MessageDisposition=\"SaveOnly\"><m:ItemChanges><t:ItemChange>"
			 "<t:ItemId Id=\"%s\"/><t:Updates><t:SetItemField><t:FieldURI "
			 "FieldURI=\"message:IsRead\"/><t:Message><t:IsRead>1</t:IsRead></t:Message>"
			 "</t:SetItemField></t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>", id);
		break;
	case OP_DELETE:
		snprintf(out, n, "<m:DeleteItem DeleteType=\"HardDelete\"><m:ItemIds>"
			 "<t:ItemId Id=\"%s\"/></m:ItemIds></m:DeleteItem>", id);
		break;
	default:
		snprintf(out, n, "<m:CreateItem MessageDisposition=\"SendAndSaveCopy\"><m:Items>"
			 "<t:Message><t:Subject>hello</t:Subject><t:Body BodyType=\"Text\">hi</t:Body>"
			 "<t:ToRecipients><t:Mailbox><t:EmailAddress>peer@matrix.test</t:EmailAddress>"
			 "</t:Mailbox></t:ToRecipients><t:From><t:Mailbox><t:EmailAddress>"
			 "olivia@matrix.test</t:EmailAddress></t:Mailbox></t:From></t:Message>"
			 "</m:Items></m:CreateItem>");
	}
}

static void test_matrix(void **state)
{
	static const char *const opname[] = { "read", "create", "update", "delete", "send" };
	ews_sim *sim = st_start("matrix.json", NULL);
	char body[4096], id[128];
	size_t i;
	int op;

	(void)state;
	assert_non_null(sim);
	get_token(sim);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const row *w = &rows[i];

		for (op = 0; op < OP_N; op++) {
			st_resp r;
			const char *code;

			olivia_item(sim, id, sizeof(id));
			op_body(body, sizeof(body), op, w->explicit_mbx, id);
			r = st_ews(sim, w->auth, w->user, w->auth == ST_BEARER ? token : w->pw,
				   w->imp, body);
			code = st_code(r.body);
			if (strcmp(code, w->want[op]) != 0)
				fprintf(stderr, "row \"%s\" op %s: got %s, want %s\n%.1500s\n",
					w->name, opname[op], code, w->want[op], r.body);
			assert_string_equal(code, w->want[op]);
			if (w->fault_text) {
				char want[512];

				assert_int_equal(r.status, 500);
				snprintf(want, sizeof(want), "<faultstring xml:lang=\"en-US\">%s</faultstring>",
					 w->fault_text);
				assert_non_null(strstr(r.body, want));
			} else {
				assert_int_equal(r.status, 200);
			}
			free(r.body);
		}
	}
	ews_sim_stop(sim);
}

/* Delegate sends on behalf: From = olivia, Sender = the delegate. */
static void test_send_on_behalf_sets_sender(void **state)
{
	ews_sim *sim = st_start("matrix.json", NULL);
	char body[4096];
	st_resp r;
	const char *p;

	(void)state;
	op_body(body, sizeof(body), OP_SEND, 1, "");
	r = st_ews(sim, ST_BASIC, "edit@matrix.test", "Edit-1!", NULL, body);
	assert_string_equal(st_code(r.body), "NoError");
	free(r.body);
	r = st_ews(sim, ST_BASIC, "peer@matrix.test", "Peer-1!", NULL,
		   "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		   "<t:AdditionalProperties><t:FieldURI FieldURI=\"message:From\"/>"
		   "<t:FieldURI FieldURI=\"message:Sender\"/></t:AdditionalProperties></m:ItemShape>"
		   "<m:IndexedPageItemView MaxEntriesReturned=\"10\" Offset=\"0\" BasePoint=\"Beginning\"/>"
		   "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds></m:FindItem>");
	p = strstr(r.body, "<t:Sender>");
	assert_non_null(p);
	assert_non_null(strstr(p, "edit@matrix.test"));
	p = strstr(r.body, "<t:From>");
	assert_non_null(p);
	assert_true(strstr(p, "olivia@matrix.test") < strstr(p, "</t:From>"));
	free(r.body);
	/* SendOnly as a delegate is refused (ews-protocol.md §4.2) */
	r = st_ews(sim, ST_BASIC, "edit@matrix.test", "Edit-1!", NULL,
		   "<m:CreateItem MessageDisposition=\"SendOnly\"><m:Items><t:Message>"
		   "<t:Subject>x</t:Subject><t:ToRecipients><t:Mailbox><t:EmailAddress>peer@matrix.test"
		   "</t:EmailAddress></t:Mailbox></t:ToRecipients><t:From><t:Mailbox><t:EmailAddress>"
		   "olivia@matrix.test</t:EmailAddress></t:Mailbox></t:From></t:Message></m:Items>"
		   "</m:CreateItem>");
	assert_string_equal(st_code(r.body), "ErrorInvalidOperation");
	free(r.body);
	ews_sim_stop(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_send_on_behalf_sets_sender),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	st_schema_free();
	curl_global_cleanup();
	xmlCleanupParser();
	return rc;
}
