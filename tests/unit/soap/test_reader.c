/* test_reader.c - the response reader and the typed JSON readers against
 * fixture files in cases/<name>/response.xml (each valid one is itself
 * checked against the EWS schema), plus hostile and broken input. */
#include <stdlib.h>
#include <string.h>

#include "soaptest.h"
#include "soap/soap.h"

/* Fixture table: which cases are schema-valid SOAP responses. */
static const struct {
	const char *name;
	int valid;
} fixtures[] = {
	{ "finditem_success", 1 }, { "getitem_batch_error", 1 }, { "fault_server_busy", 1 },
	{ "fault_impersonate_denied", 1 }, { "internal_error_inner_busy", 1 },
	{ "availability", 1 }, { "oof_settings", 1 }, { "resolvenames_multiple", 1 },
	{ "findfolder_success", 1 }, { "getattachment_file", 1 }, { "createitem_ids", 1 },
	{ "inboxrules", 1 }, { "syncfolderitems", 1 }, { "servertimezones", 1 },
	{ "convertid", 1 }, { "expanddl", 1 }, { "findpeople", 1 },
	{ "html_error_page", 0 }, { "truncated_body", 0 }, { "empty_body", 0 },
};

static char *load_case(const char *name, size_t *len)
{
	char path[256];
	char *data;

	snprintf(path, sizeof(path), "cases/%s/response.xml", name);
	data = testutil_read_file(path, len);
	if (!data)
		print_error("cannot read %s (run from tests/unit/soap)\n", path);
	assert_non_null(data);
	return data;
}

/* Parses a fixture that must be SOAP; the caller frees. */
static soap_response *parse_case(const char *name, long status)
{
	soap_response *r = NULL;
	errinfo err = ERRINFO_INIT;
	size_t len;
	char *xml = load_case(name, &len);
	int rc = soap_response_parse(&r, xml, len, status, &err);

	if (rc != 0)
		print_error("%s: %s\n", name, err.msg);
	assert_int_equal(rc, 0);
	assert_non_null(r);
	free(xml);
	return r;
}

static const char *jstr(const json_t *o, const char *path)
{
	/* path: "key" or "key.key" or "key[0].key" (one level of index) */
	char pbuf[128], *tok, *save = NULL;
	const json_t *cur = o;

	snprintf(pbuf, sizeof(pbuf), "%s", path);
	for (tok = strtok_r(pbuf, ".", &save); tok && cur; tok = strtok_r(NULL, ".", &save)) {
		char *br = strchr(tok, '[');
		if (br) {
			*br = '\0';
			cur = *tok ? json_object_get(cur, tok) : cur;
			cur = json_array_get(cur, (size_t)atoi(br + 1));
		} else {
			cur = json_object_get(cur, tok);
		}
	}
	if (!cur)
		return NULL;
	if (json_is_string(cur))
		return json_string_value(cur);
	if (json_is_true(cur))
		return "true";
	if (json_is_false(cur))
		return "false";
	if (json_is_integer(cur)) {
		static char num[32];
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(cur));
		return num;
	}
	return "(other)";
}

#define assert_json(o, path, want) do { \
	const char *got_ = jstr((o), (path)); \
	if (!got_ || strcmp(got_, (want)) != 0) \
		print_error("%s: got '%s', want '%s'\n", (path), got_ ? got_ : "(absent)", (want)); \
	assert_non_null(got_); \
	assert_string_equal(got_, (want)); \
} while (0)

/* ---- fixtures are what they claim ----------------------------------------- */

static void test_fixtures_validate(void **state)
{
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		char *xml = load_case(fixtures[i].name, &len);
		xmlDocPtr doc = soaptest_parse(xml, len);

		if (fixtures[i].valid) {
			assert_non_null(doc);
			assert_int_equal(soaptest_validate_doc(doc, fixtures[i].name), 0);
		} else if (doc && soaptest_schema) {
			/* the HTML page parses as XML but is no SOAP envelope */
			assert_int_not_equal(soaptest_validate_doc(doc, fixtures[i].name), 0);
		}
		xmlFreeDoc(doc);
		free(xml);
	}
}

/* ---- normal responses ------------------------------------------------------- */

static void test_find_item(void **state)
{
	soap_response *r = parse_case("finditem_success", 200);
	errinfo err = ERRINFO_INIT;
	json_t *j;

	(void)state;
	assert_false(r->is_fault);
	assert_string_equal(r->operation, "FindItemResponse");
	assert_int_equal(r->nmsgs, 1);
	assert_string_equal(r->msgs[0].name, "FindItemResponseMessage");
	assert_string_equal(r->msgs[0].response_class, "Success");
	assert_string_equal(r->msgs[0].response_code, "NoError");
	assert_int_equal(r->server_major, 15);
	assert_int_equal(r->server_minor, 2);
	assert_int_equal(r->server_major_build, 1544);
	assert_int_equal(r->server_minor_build, 4);
	assert_string_equal(r->server_version, "V2018_01_08");

	assert_int_equal(soap_read_find_item(&j, r, &err), 0);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 3);
	assert_json(j, "total_items_in_view", "7");
	assert_json(j, "includes_last_item_in_range", "false");
	assert_json(j, "indexed_paging_offset", "3");
	assert_json(j, "items[0].item_type", "message");
	assert_json(j, "items[0].item_id", "AAMkMsgOne=");
	assert_json(j, "items[0].change_key", "CQAAAOne");
	assert_json(j, "items[0].subject", "Budget <Q3> & forecast");
	assert_json(j, "items[0].from.name", "Bob Example");
	assert_json(j, "items[0].from.email", "bob@contoso.com");
	assert_json(j, "items[0].is_read", "false");
	assert_json(j, "items[0].has_attachments", "true");
	assert_json(j, "items[0].importance", "High");
	assert_json(j, "items[0].received", "2024-05-02T07:45:10Z");
	assert_json(j, "items[0].preview", "Numbers attached, see sheet 2.");
	assert_json(j, "items[1].subject", "Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln \xE2\x9C\x93");
	assert_json(j, "items[1].from.name", "J\xC3\xB6rg");
	assert_json(j, "items[2].item_type", "calendar_item");
	assert_json(j, "items[2].start", "2024-05-03T08:00:00Z");
	assert_json(j, "items[2].location", "Room 1");
	assert_null(json_object_get(json_array_get(json_object_get(j, "items"), 2), "is_read"));
	json_decref(j);
	soap_response_free(r);
}

static void test_get_item_batch_with_error(void **state)
{
	soap_response *r = parse_case("getitem_batch_error", 200);
	errinfo err = ERRINFO_INIT;
	json_t *j;

	(void)state;
	assert_int_equal(r->nmsgs, 3);
	assert_false(soap_msg_is_error(&r->msgs[0]));
	assert_true(soap_msg_is_error(&r->msgs[1]));
	assert_string_equal(r->msgs[1].response_code, "ErrorItemNotFound");
	assert_string_equal(r->msgs[1].message_text, "The specified object was not found in the store.");
	assert_false(soap_msg_is_error(&r->msgs[2]));

	assert_int_equal(soap_read_items(&j, r, &err), 0);
	assert_int_equal(json_array_size(j), 3);
	/* first: a full message */
	assert_json(j, "[0].subject", "Contract draft");
	assert_json(j, "[0].item_class", "IPM.Note");
	assert_json(j, "[0].parent_folder_id", "AAMkInbox=");
	assert_json(j, "[0].body_type", "HTML");
	assert_json(j, "[0].body", "<p>Please review &amp; sign.</p>");
	assert_json(j, "[0].attachments[0].name", "contract.pdf");
	assert_json(j, "[0].attachments[0].attachment_id", "AAMkAttContract=");
	assert_json(j, "[0].attachments[0].content_type", "application/pdf");
	assert_json(j, "[0].attachments[0].size", "48213");
	assert_json(j, "[0].attachments[0].is_inline", "false");
	assert_json(j, "[0].attachments[0].kind", "file");
	assert_json(j, "[0].categories[1]", "Urgent");
	assert_json(j, "[0].to[0].name", "Alice");
	assert_json(j, "[0].to[1].email", "bob@contoso.com");
	assert_json(j, "[0].cc[0].email", "carol@contoso.com");
	assert_json(j, "[0].from.name", "Dana (Legal)");
	assert_json(j, "[0].sender.email", "legal@contoso.com");
	assert_json(j, "[0].sent", "2024-04-30T09:11:58Z");
	assert_json(j, "[0].created", "2024-04-30T09:12:01Z");
	assert_json(j, "[0].conversation_id", "AAQkConv=");
	assert_json(j, "[0].internet_message_id", "<abc123@contoso.com>");
	/* second: the per-item error stays in its place */
	assert_json(j, "[1].error.response_class", "Error");
	assert_json(j, "[1].error.response_code", "ErrorItemNotFound");
	assert_json(j, "[1].error.message_text", "The specified object was not found in the store.");
	/* third: a meeting */
	assert_json(j, "[2].item_type", "calendar_item");
	assert_json(j, "[2].is_meeting", "true");
	assert_json(j, "[2].is_cancelled", "false");
	assert_json(j, "[2].is_all_day", "false");
	assert_json(j, "[2].legacy_free_busy", "Busy");
	assert_json(j, "[2].my_response_type", "Accept");
	assert_json(j, "[2].reminder_minutes", "15");
	assert_json(j, "[2].organizer.email", "erin@contoso.com");
	assert_json(j, "[2].required_attendees[0].name", "Alice");
	assert_json(j, "[2].required_attendees[0].response", "Accept");
	assert_json(j, "[2].required_attendees[1].response", "NoResponseReceived");
	assert_json(j, "[2].optional_attendees[0].email", "gina@contoso.com");
	assert_json(j, "[2].optional_attendees[0].response", "Tentative");
	json_decref(j);

	/* created ids read from the same shape */
	assert_int_equal(soap_read_created_ids(&j, r, &err), 0);
	assert_json(j, "[0].item_id", "AAMkFirst=");
	assert_json(j, "[1].error.response_code", "ErrorItemNotFound");
	assert_json(j, "[2].change_key", "DwAAAThird");
	json_decref(j);

	/* a single-answer reader on the wrong response fails cleanly */
	assert_int_equal(soap_read_find_item(&j, r, &err), ERR_PROTOCOL);
	assert_null(j);
	soap_response_free(r);
}

/* ---- faults and wrapped errors ------------------------------------------------ */

static void test_fault_server_busy(void **state)
{
	soap_response *r = parse_case("fault_server_busy", 500);
	errinfo err = ERRINFO_INIT;
	json_t *j;

	(void)state;
	assert_true(r->is_fault);
	assert_int_equal(r->nmsgs, 0);
	assert_null(r->operation);
	assert_string_equal(r->fault_code, "ErrorServerBusy");
	assert_string_equal(r->fault_string, "The server is busy. Wait before retrying.");
	assert_int_equal(r->fault_backoff_ms, 45250);

	assert_int_equal(soap_response_set_error(&err, ERR_THROTTLED, "FindItem", r, NULL),
			 ERR_THROTTLED);
	assert_string_equal(err.ews_code, "ErrorServerBusy");
	assert_int_equal(err.backoff_ms, 45250);
	assert_string_equal(err.msg, "FindItem: The server is busy. Wait before retrying. (ErrorServerBusy)");

	/* typed readers refuse a fault with its code */
	errinfo_clear(&err);
	assert_int_equal(soap_read_find_item(&j, r, &err), ERR_PROTOCOL);
	assert_string_equal(err.ews_code, "ErrorServerBusy");
	soap_response_free(r);
}

static void test_fault_impersonate_denied(void **state)
{
	soap_response *r = parse_case("fault_impersonate_denied", 500);
	errinfo err = ERRINFO_INIT;

	(void)state;
	assert_true(r->is_fault);
	assert_string_equal(r->fault_code, "ErrorImpersonateUserDenied");
	assert_string_equal(r->fault_string,
			    "The account does not have permission to impersonate the requested user.");
	assert_int_equal(r->fault_backoff_ms, 0);
	soap_response_set_error(&err, ERR_ACCESS, "GetItem", r, NULL);
	assert_string_equal(err.ews_code, "ErrorImpersonateUserDenied");
	assert_int_equal(err.backoff_ms, 0);
	soap_response_free(r);
}

static void test_fault_code_fallback(void **state)
{
	/* no detail: the code comes from faultcode's local part */
	static const char xml[] =
		"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
		"<faultcode xmlns:a=\"urn:x\">a:ErrorInvalidRequest</faultcode>"
		"<faultstring>The request is invalid.</faultstring></s:Fault></s:Body></s:Envelope>";
	soap_response *r = NULL;
	errinfo err = ERRINFO_INIT;

	(void)state;
	assert_int_equal(soap_response_parse(&r, xml, sizeof(xml) - 1, 500, &err), 0);
	assert_true(r->is_fault);
	assert_string_equal(r->fault_code, "ErrorInvalidRequest");
	assert_string_equal(r->fault_string, "The request is invalid.");
	soap_response_free(r);
}

static void test_internal_error_with_inner_busy(void **state)
{
	soap_response *r = parse_case("internal_error_inner_busy", 200);
	errinfo err = ERRINFO_INIT;
	json_t *j;

	(void)state;
	assert_int_equal(r->nmsgs, 1);
	assert_string_equal(r->msgs[0].response_code, "ErrorInternalServerError");
	assert_string_equal(r->msgs[0].inner_code, "ErrorServerBusy");
	assert_string_equal(r->msgs[0].inner_text, "The mailbox server is throttling this client.");
	assert_int_equal(r->msgs[0].backoff_ms, 12000);
	assert_string_equal(soap_msg_effective_code(&r->msgs[0]), "ErrorServerBusy");

	soap_response_set_error(&err, ERR_THROTTLED, "GetItem", r, &r->msgs[0]);
	assert_string_equal(err.ews_code, "ErrorServerBusy");
	assert_int_equal(err.backoff_ms, 12000);
	assert_string_equal(err.msg, "GetItem: The mailbox server is throttling this client. (ErrorServerBusy)");

	assert_int_equal(soap_read_items(&j, r, &err), 0);
	assert_json(j, "[0].error.response_code", "ErrorServerBusy");
	json_decref(j);
	soap_response_free(r);
}

/* ---- bodies that are not SOAP ------------------------------------------------- */

static void expect_parse_error(const char *body, size_t len, long status, int want_code,
			       const char *want_msg)
{
	soap_response *r = (soap_response *)1;
	errinfo err = ERRINFO_INIT;

	assert_int_equal(soap_response_parse(&r, body, len, status, &err), want_code);
	assert_null(r);
	if (!strstr(err.msg, want_msg))
		print_error("got '%s', want it to contain '%s'\n", err.msg, want_msg);
	assert_non_null(strstr(err.msg, want_msg));
}

static void test_non_soap_bodies(void **state)
{
	size_t len;
	char *xml;

	(void)state;
	xml = load_case("html_error_page", &len);
	expect_parse_error(xml, len, 500, ERR_PARSE,
			   "Exchange answered with an HTML page instead of SOAP (HTTP 500): Runtime Error");
	free(xml);

	xml = load_case("truncated_body", &len);
	expect_parse_error(xml, len, 200, ERR_PARSE, "is not well-formed XML (HTTP 200, 900 bytes, probably truncated)");
	free(xml);

	xml = load_case("empty_body", &len);
	expect_parse_error(xml, len, 500, ERR_PARSE, "Exchange answered with an empty body (HTTP 500)");
	free(xml);
	expect_parse_error(NULL, 0, 502, ERR_PARSE, "empty body (HTTP 502)");
	expect_parse_error(" \r\n\t ", 5, 200, ERR_PARSE, "empty body");

	expect_parse_error("<html><body>Bad gateway</body></html>", strlen("<html><body>Bad gateway</body></html>"), 502, ERR_PARSE,
			   "an HTML page instead of SOAP (HTTP 502)");
	expect_parse_error("Service Unavailable", strlen("Service Unavailable"), 503, ERR_PARSE,
			   "text that is not XML (HTTP 503): Service Unavailable");
	expect_parse_error("<foo xmlns=\"urn:x\"/>", strlen("<foo xmlns=\"urn:x\"/>"), 200, ERR_PARSE,
			   "XML but not a SOAP envelope: root element <foo>");
	expect_parse_error("<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body/></e:Envelope>",
			   sizeof("<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body/></e:Envelope>") - 1, 200, ERR_PARSE, "SOAP 1.2 envelope");
	expect_parse_error("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body/></s:Envelope>",
			   sizeof("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body/></s:Envelope>") - 1, 200, ERR_PARSE, "no Body content");
	expect_parse_error("<a>", (size_t)SOAP_RESPONSE_MAX + 1, 200, ERR_LIMIT, "more than the");
}

/* ---- hostile input ---------------------------------------------------------------- */

static void test_billion_laughs_refused(void **state)
{
	static const char xml[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE s:Envelope [\n"
		" <!ENTITY a \"ha\">\n"
		" <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
		" <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
		" <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
		" <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
		" <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
		" <!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
		" <!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
		" <!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">\n"
		"]>\n"
		"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
		"<faultcode>x:ErrorServerBusy</faultcode><faultstring>&i;</faultstring>"
		"</s:Fault></s:Body></s:Envelope>";

	(void)state;
	expect_parse_error(xml, sizeof(xml) - 1, 500, ERR_PARSE, "DTD");
}

static void test_external_entity_refused(void **state)
{
	/* The DTD hides behind a comment; the entity names a local file and
	 * a URL. Neither may be read or fetched. */
	static const char xml[] =
		"\xEF\xBB\xBF<?xml version=\"1.0\"?><!-- hello -->\n"
		"<!DOCTYPE s:Envelope [ <!ENTITY file SYSTEM \"file:///etc/passwd\">"
		" <!ENTITY net SYSTEM \"http://127.0.0.1:9/x\"> ]>"
		"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
		"<faultcode>x:E</faultcode><faultstring>&file;&net;</faultstring>"
		"</s:Fault></s:Body></s:Envelope>";
	/* an entity reference without any DTD is simply not well-formed */
	static const char undeclared[] =
		"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
		"<faultcode>x:E</faultcode><faultstring>&file;</faultstring>"
		"</s:Fault></s:Body></s:Envelope>";

	(void)state;
	expect_parse_error(xml, sizeof(xml) - 1, 200, ERR_PARSE, "DTD");
	expect_parse_error(undeclared, sizeof(undeclared) - 1, 200, ERR_PARSE, "not well-formed");
}

static void test_deep_nesting_refused(void **state)
{
	size_t depth = 20000, i;
	buf b = BUF_INIT(1u << 20);

	(void)state;
	buf_puts(&b, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>");
	for (i = 0; i < depth; i++)
		buf_puts(&b, "<a>");
	for (i = 0; i < depth; i++)
		buf_puts(&b, "</a>");
	buf_puts(&b, "</s:Body></s:Envelope>");
	assert_false(buf_failed(&b));
	expect_parse_error(b.ptr, b.len, 200, ERR_PARSE, "not well-formed");
	buf_dispose(&b);
}

/* Every prefix of a real response either parses or fails with ERR_PARSE,
 * and every typed reader copes with whatever parsed. */
static void test_every_truncation(void **state)
{
	size_t len, cut;
	char *xml = load_case("getitem_batch_error", &len);

	(void)state;
	for (cut = 0; cut <= len; cut += 7) {
		soap_response *r = NULL;
		errinfo err = ERRINFO_INIT;
		int rc = soap_response_parse(&r, xml, cut, 200, &err);
		json_t *j = NULL;

		if (rc != 0) {
			assert_int_equal(rc, ERR_PARSE);
			assert_null(r);
			continue;
		}
		if (soap_read_items(&j, r, &err) == 0)
			json_decref(j);
		if (soap_read_find_item(&j, r, &err) == 0)
			json_decref(j);
		soap_response_free(r);
	}
	free(xml);
}

/* Runs every typed reader over r; they must fail cleanly or succeed. */
static void read_everything(const soap_response *r)
{
	int (*readers[])(json_t **, const soap_response *, errinfo *) = {
		soap_read_find_item, soap_read_items, soap_read_find_folder, soap_read_folders,
		soap_read_attachments, soap_read_availability, soap_read_oof,
		soap_read_resolve_names, soap_read_expand_dl, soap_read_find_people,
		soap_read_sync_folder_items, soap_read_server_time_zones, soap_read_convert_id,
		soap_read_inbox_rules, soap_read_created_ids,
	};
	size_t i;

	for (i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		errinfo err = ERRINFO_INIT;
		json_t *j = NULL;
		int rc = readers[i](&j, r, &err);

		if (rc == 0)
			assert_non_null(j);
		else
			assert_null(j);
		json_decref(j);
	}
}

/* Deterministic byte mutations of every valid fixture: parse and read
 * without crashing, leaking or tripping the sanitizers. */
static void test_mutated_fixtures(void **state)
{
	unsigned seed = 12345;
	size_t f, round, len;

	(void)state;
	for (f = 0; f < sizeof(fixtures) / sizeof(fixtures[0]); f++) {
		char *orig;

		if (!fixtures[f].valid)
			continue;
		orig = load_case(fixtures[f].name, &len);
		for (round = 0; round < 60; round++) {
			char *xml = malloc(len + 1);
			soap_response *r = NULL;
			errinfo err = ERRINFO_INIT;
			int k;

			memcpy(xml, orig, len + 1);
			for (k = 0; k < 3; k++) {
				seed = seed * 1103515245u + 12345u;
				xml[(seed >> 8) % len] = (char)(seed >> 16);
			}
			if (soap_response_parse(&r, xml, len, 200, &err) == 0) {
				read_everything(r);
				soap_response_free(r);
			} else {
				assert_null(r);
				assert_true(err.msg[0] != '\0');
			}
			free(xml);
		}
		/* and the unmutated file through every reader */
		{
			soap_response *r = NULL;
			errinfo err = ERRINFO_INIT;
			assert_int_equal(soap_response_parse(&r, orig, len, 200, &err), 0);
			read_everything(r);
			soap_response_free(r);
		}
		free(orig);
	}
}

/* ---- the other response shapes ---------------------------------------------------- */

static void test_availability(void **state)
{
	soap_response *r = parse_case("availability", 200);
	errinfo err = ERRINFO_INIT;
	json_t *j;

	(void)state;
	assert_int_equal(r->nmsgs, 2);
	assert_false(soap_msg_is_error(&r->msgs[0]));
	assert_true(soap_msg_is_error(&r->msgs[1]));
	assert_string_equal(r->msgs[1].response_code, "ErrorMailRecipientNotFound");

	assert_int_equal(soap_read_availability(&j, r, &err), 0);
	assert_int_equal(json_array_size(json_object_get(j, "mailboxes")), 2);
	assert_json(j, "mailboxes[0].response_code", "NoError");
	assert_json(j, "mailboxes[0].merged_free_busy", "000022220000111100003333");
	assert_json(j, "mailboxes[0].view_type", "DetailedMerged");
	assert_json(j, "mailboxes[0].events[0].start", "2024-05-02T02:00:00");
	assert_json(j, "mailboxes[0].events[0].end", "2024-05-02T04:00:00");
	assert_json(j, "mailboxes[0].events[0].busy_type", "Busy");
	assert_json(j, "mailboxes[0].events[0].subject", "Budget review");
	assert_json(j, "mailboxes[0].events[0].is_meeting", "true");
	assert_json(j, "mailboxes[0].events[1].busy_type", "Tentative");
	assert_json(j, "mailboxes[0].working_hours.time_zone_bias", "-60");
	assert_json(j, "mailboxes[0].working_hours.periods[0].start_minutes", "480");
	assert_json(j, "mailboxes[0].working_hours.periods[0].days",
		    "Monday Tuesday Wednesday Thursday Friday");
	assert_json(j, "mailboxes[1].response_class", "Error");
	assert_json(j, "mailboxes[1].response_code", "ErrorMailRecipientNotFound");
	assert_json(j, "mailboxes[1].message_text", "No mailbox with such guid.");
	assert_int_equal(json_array_size(json_object_get(json_array_get(json_object_get(j, "mailboxes"), 1), "events")), 0);
	assert_json(j, "suggestions[0].day_quality", "Good");
	assert_json(j, "suggestions[0].times[0].time", "2024-05-02T10:30:00");
	assert_json(j, "suggestions[0].times[0].quality", "Excellent");
	assert_json(j, "suggestions[0].times[0].is_work_time", "true");
	json_decref(j);
	soap_response_free(r);
}

static void test_oof(void **state)
{
	soap_response *r = parse_case("oof_settings", 200);
	errinfo err = ERRINFO_INIT;
	json_t *j;

	(void)state;
	assert_int_equal(r->nmsgs, 1);
	assert_string_equal(r->msgs[0].name, "ResponseMessage");
	assert_int_equal(soap_read_oof(&j, r, &err), 0);
	assert_json(j, "state", "Scheduled");
	assert_json(j, "external_audience", "Known");
	assert_json(j, "start", "2024-07-01T00:00:00Z");
	assert_json(j, "end", "2024-07-15T00:00:00Z");
	assert_json(j, "internal_reply", "<html><body>Back on 15 July & reachable by phone.</body></html>");
	assert_json(j, "external_reply", "Away until 15 July.");
	assert_json(j, "allow_external_oof", "All");
	json_decref(j);
	soap_response_free(r);
}

static void test_resolve_names(void **state)
{
	soap_response *r = parse_case("resolvenames_multiple", 200);
	errinfo err = ERRINFO_INIT;
	json_t *j;

	(void)state;
	assert_string_equal(r->msgs[0].response_class, "Warning");
	assert_false(soap_msg_is_error(&r->msgs[0]));
	assert_int_equal(soap_read_resolve_names(&j, r, &err), 0);
	assert_json(j, "multiple", "true");
	assert_json(j, "includes_last_item_in_range", "true");
	assert_int_equal(json_array_size(json_object_get(j, "resolutions")), 2);
	assert_json(j, "resolutions[0].name", "Bob Example");
	assert_json(j, "resolutions[0].email", "bob@contoso.com");
	assert_json(j, "resolutions[0].routing_type", "SMTP");
	assert_json(j, "resolutions[0].mailbox_type", "Mailbox");
	assert_json(j, "resolutions[0].contact.job_title", "Account Manager");
	assert_json(j, "resolutions[0].contact.department", "Sales");
	assert_json(j, "resolutions[0].contact.email_addresses[0].key", "EmailAddress1");
	assert_json(j, "resolutions[0].contact.email_addresses[0].email", "SMTP:bob@contoso.com");
	assert_json(j, "resolutions[0].contact.phone_numbers[1].key", "MobilePhone");
	assert_json(j, "resolutions[0].contact.phone_numbers[1].number", "+1 555 0199");
	assert_json(j, "resolutions[1].mailbox_type", "Contact");
	assert_json(j, "resolutions[1].item_id", "AAMkContactBobby=");
	json_decref(j);
	soap_response_free(r);

	/* no results is an empty list, not an error */
	{
		static const char xml[] =
			"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
			"<m:ResolveNamesResponse xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
			"<m:ResponseMessages><m:ResolveNamesResponseMessage ResponseClass=\"Error\">"
			"<m:MessageText>No results were found.</m:MessageText>"
			"<m:ResponseCode>ErrorNameResolutionNoResults</m:ResponseCode>"
			"</m:ResolveNamesResponseMessage></m:ResponseMessages></m:ResolveNamesResponse>"
			"</s:Body></s:Envelope>";
		assert_int_equal(soap_response_parse(&r, xml, sizeof(xml) - 1, 200, &err), 0);
		assert_int_equal(soaptest_validate(xml, sizeof(xml) - 1, "resolvenames-none"), 0);
		assert_int_equal(soap_read_resolve_names(&j, r, &err), 0);
		assert_int_equal(json_array_size(json_object_get(j, "resolutions")), 0);
		assert_json(j, "multiple", "false");
		json_decref(j);
		soap_response_free(r);
	}
}

static void test_folders(void **state)
{
	soap_response *r = parse_case("findfolder_success", 200);
	errinfo err = ERRINFO_INIT;
	json_t *j;

	(void)state;
	assert_int_equal(soap_read_find_folder(&j, r, &err), 0);
	assert_json(j, "total_items_in_view", "2");
	assert_json(j, "includes_last_item_in_range", "true");
	assert_json(j, "folders[0].folder_id", "AAMkProjects=");
	assert_json(j, "folders[0].change_key", "AQAAAP1");
	assert_json(j, "folders[0].parent_folder_id", "AAMkInbox=");
	assert_json(j, "folders[0].display_name", "Projects");
	assert_json(j, "folders[0].folder_class", "IPF.Note");
	assert_json(j, "folders[0].total_count", "42");
	assert_json(j, "folders[0].unread_count", "5");
	assert_json(j, "folders[0].child_folder_count", "1");
	assert_json(j, "folders[1].folder_type", "calendar_folder");
	assert_null(json_object_get(json_array_get(json_object_get(j, "folders"), 1), "unread_count"));
	json_decref(j);
	soap_response_free(r);
}

static void test_attachments_and_ids(void **state)
{
	soap_response *r = parse_case("getattachment_file", 200);
	errinfo err = ERRINFO_INIT;
	json_t *j;

	(void)state;
	assert_int_equal(soap_read_attachments(&j, r, &err), 0);
	assert_json(j, "[0].attachment_id", "AAMkAttNotes=");
	assert_json(j, "[0].name", "notes.txt");
	assert_json(j, "[0].content", "aGVsbG8gd29ybGQ=");
	assert_json(j, "[0].size", "11");
	assert_json(j, "[1].error.response_code", "ErrorInvalidAttachmentId");
	json_decref(j);
	soap_response_free(r);

	r = parse_case("createitem_ids", 200);
	assert_int_equal(soap_read_created_ids(&j, r, &err), 0);
	assert_int_equal(json_array_size(j), 3);
	assert_json(j, "[0].item_id", "AAMkNewDraft=");
	assert_json(j, "[0].change_key", "CQAAANew");
	assert_int_equal(json_object_size(json_array_get(j, 1)), 0);
	assert_json(j, "[2].error.response_code", "ErrorSendAsDenied");
	json_decref(j);
	soap_response_free(r);

	r = parse_case("convertid", 200);
	assert_int_equal(soap_read_convert_id(&j, r, &err), 0);
	assert_json(j, "[0].id", "AAMkConverted=");
	assert_json(j, "[0].format", "EwsId");
	assert_json(j, "[0].mailbox", "alice@contoso.com");
	assert_json(j, "[1].error.response_code", "ErrorInvalidIdMalformed");
	json_decref(j);
	soap_response_free(r);
}

static void test_rules_sync_zones_people(void **state)
{
	soap_response *r = parse_case("inboxrules", 200);
	errinfo err = ERRINFO_INIT;
	json_t *j;

	(void)state;
	assert_int_equal(r->nmsgs, 1);
	assert_string_equal(r->msgs[0].name, "GetInboxRulesResponse");
	assert_int_equal(soap_read_inbox_rules(&j, r, &err), 0);
	assert_json(j, "outlook_rule_blob_exists", "true");
	assert_json(j, "rules[0].rule_id", "AQAAAAAAAAE=");
	assert_json(j, "rules[0].display_name", "Invoices");
	assert_json(j, "rules[0].priority", "1");
	assert_json(j, "rules[0].is_enabled", "true");
	assert_json(j, "rules[0].conditions.contains_subject_strings[1]", "bill");
	assert_json(j, "rules[0].conditions.from_addresses[0].email", "billing@vendor.example");
	assert_json(j, "rules[0].actions.move_to_folder.folder_id", "AAMkInvoices=");
	assert_json(j, "rules[0].actions.stop_processing_rules", "true");
	assert_json(j, "rules[1].is_enabled", "false");
	assert_json(j, "rules[1].actions.mark_as_read", "true");
	json_decref(j);
	soap_response_free(r);

	r = parse_case("syncfolderitems", 200);
	assert_int_equal(soap_read_sync_folder_items(&j, r, &err), 0);
	assert_json(j, "sync_state", "H4sIAAAAAAAEAGNgYGBgAAAAAP//");
	assert_json(j, "includes_last_item_in_range", "false");
	assert_json(j, "changes[0].change", "create");
	assert_json(j, "changes[0].item.subject", "New one");
	assert_json(j, "changes[1].change", "update");
	assert_json(j, "changes[1].item.item_id", "AAMkSyncUpd=");
	assert_json(j, "changes[2].change", "delete");
	assert_json(j, "changes[2].item_id", "AAMkSyncGone=");
	assert_json(j, "changes[3].change", "read_flag_change");
	assert_json(j, "changes[3].is_read", "true");
	json_decref(j);
	soap_response_free(r);

	r = parse_case("servertimezones", 200);
	assert_int_equal(soap_read_server_time_zones(&j, r, &err), 0);
	assert_json(j, "time_zones[0].id", "W. Europe Standard Time");
	assert_json(j, "time_zones[1].name", "(UTC-08:00) Pacific Time (US & Canada)");
	json_decref(j);
	soap_response_free(r);

	r = parse_case("expanddl", 200);
	assert_int_equal(soap_read_expand_dl(&j, r, &err), 0);
	assert_json(j, "members[0].email", "alice@contoso.com");
	assert_json(j, "members[1].mailbox_type", "PublicDL");
	assert_json(j, "includes_last_item_in_range", "true");
	json_decref(j);
	soap_response_free(r);

	r = parse_case("findpeople", 200);
	assert_int_equal(r->nmsgs, 1);
	assert_int_equal(soap_read_find_people(&j, r, &err), 0);
	assert_json(j, "personas[0].persona_id", "AAUQPersona1=");
	assert_json(j, "personas[0].display_name", "Bob Example");
	assert_json(j, "personas[0].email", "bob@contoso.com");
	assert_json(j, "personas[0].title", "Account Manager");
	assert_json(j, "total_number_of_people_in_view", "1");
	json_decref(j);
	soap_response_free(r);
}

/* Task and contact items (GetItem), read from an inline response. */
static void test_task_and_contact_items(void **state)
{
	static const char xml[] =
		"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
		"<m:GetItemResponse xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\""
		" xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><m:ResponseMessages>"
		"<m:GetItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode><m:Items>"
		"<t:Task><t:ItemId Id=\"AAMkTask=\" ChangeKey=\"EwAAAT\"/><t:Subject>File report</t:Subject>"
		"<t:Importance>High</t:Importance>"
		"<t:DueDate>2024-06-01T00:00:00Z</t:DueDate><t:IsComplete>false</t:IsComplete>"
		"<t:PercentComplete>62.5</t:PercentComplete><t:StartDate>2024-05-27T00:00:00Z</t:StartDate>"
		"<t:Status>InProgress</t:Status></t:Task>"
		"</m:Items></m:GetItemResponseMessage>"
		"<m:GetItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode><m:Items>"
		"<t:Contact><t:ItemId Id=\"AAMkCon=\"/><t:FileAs>Smith, Bob</t:FileAs><t:DisplayName>Bob Smith</t:DisplayName>"
		"<t:GivenName>Bob</t:GivenName><t:CompanyName>Fabrikam</t:CompanyName>"
		"<t:EmailAddresses><t:Entry Key=\"EmailAddress1\">bob@fabrikam.com</t:Entry></t:EmailAddresses>"
		"<t:PhoneNumbers><t:Entry Key=\"MobilePhone\">+45 12</t:Entry></t:PhoneNumbers>"
		"<t:JobTitle>Buyer</t:JobTitle><t:Surname>Smith</t:Surname></t:Contact>"
		"</m:Items></m:GetItemResponseMessage>"
		"</m:ResponseMessages></m:GetItemResponse></s:Body></s:Envelope>";
	soap_response *r = NULL;
	errinfo err = ERRINFO_INIT;
	json_t *j;

	(void)state;
	assert_int_equal(soaptest_validate(xml, sizeof(xml) - 1, "task-contact"), 0);
	assert_int_equal(soap_response_parse(&r, xml, sizeof(xml) - 1, 200, &err), 0);
	assert_int_equal(soap_read_items(&j, r, &err), 0);
	assert_json(j, "[0].item_type", "task");
	assert_json(j, "[0].due_date", "2024-06-01T00:00:00Z");
	assert_json(j, "[0].start_date", "2024-05-27T00:00:00Z");
	assert_json(j, "[0].status", "InProgress");
	assert_json(j, "[0].is_complete", "false");
	assert_true(json_real_value(json_object_get(json_array_get(j, 0), "percent_complete")) == 62.5);
	assert_json(j, "[1].item_type", "contact");
	assert_json(j, "[1].display_name", "Bob Smith");
	assert_json(j, "[1].file_as", "Smith, Bob");
	assert_json(j, "[1].given_name", "Bob");
	assert_json(j, "[1].surname", "Smith");
	assert_json(j, "[1].company_name", "Fabrikam");
	assert_json(j, "[1].job_title", "Buyer");
	assert_json(j, "[1].email_addresses[0].email", "bob@fabrikam.com");
	assert_json(j, "[1].phone_numbers[0].key", "MobilePhone");
	json_decref(j);
	soap_response_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_validate),
		cmocka_unit_test(test_find_item),
		cmocka_unit_test(test_get_item_batch_with_error),
		cmocka_unit_test(test_fault_server_busy),
		cmocka_unit_test(test_fault_impersonate_denied),
		cmocka_unit_test(test_fault_code_fallback),
		cmocka_unit_test(test_internal_error_with_inner_busy),
		cmocka_unit_test(test_non_soap_bodies),
		cmocka_unit_test(test_billion_laughs_refused),
		cmocka_unit_test(test_external_entity_refused),
		cmocka_unit_test(test_deep_nesting_refused),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_mutated_fixtures),
		cmocka_unit_test(test_availability),
		cmocka_unit_test(test_oof),
		cmocka_unit_test(test_resolve_names),
		cmocka_unit_test(test_folders),
		cmocka_unit_test(test_attachments_and_ids),
		cmocka_unit_test(test_rules_sync_zones_people),
		cmocka_unit_test(test_task_and_contact_items),
	};

	return cmocka_run_group_tests(tests, soaptest_schema_load, soaptest_schema_free);
}
