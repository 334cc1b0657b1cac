/* test_sim_schema.c - requests that leave out what the EWS schema requires
 * are refused as Exchange refuses them: a SOAP fault (HTTP 500),
 * ErrorSchemaValidation, with the violation in MessageXml (sim/schema.c).
 * The first case crashed the sim (a NULL FieldURI reached strcmp in
 * sim/props.c; found by fuzz/sim_envelope.c); the others are the same
 * kind of omission elsewhere in a request. A request with the attribute
 * present still works. */
#include "simtest.h"

#define FIND_WITH(restriction, sort) \
	"<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>" \
	"</m:ItemShape><m:IndexedPageItemView MaxEntriesReturned=\"50\" Offset=\"0\" " \
	"BasePoint=\"Beginning\"/><m:Restriction>" restriction "</m:Restriction>" sort \
	"<m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds>" \
	"</m:FindItem>"

static const struct {
	const char *name;
	const char *body;      /* the operation element */
	const char *violation; /* expected t:Violation; NULL: must succeed */
} cases[] = {
	{ "Contains on a FieldURI without FieldURI",
	  FIND_WITH("<t:Contains ContainmentMode=\"Substring\" ContainmentComparison=\"IgnoreCase\">"
		    "<t:FieldURI/><t:Constant Value=\"Invoice\"/></t:Contains>", ""),
	  "The required attribute 'FieldURI' is missing." },
	{ "the same with FieldURI",
	  FIND_WITH("<t:Contains ContainmentMode=\"Substring\" ContainmentComparison=\"IgnoreCase\">"
		    "<t:FieldURI FieldURI=\"item:Subject\"/><t:Constant Value=\"Invoice\"/></t:Contains>", ""),
	  NULL },
	{ "IsGreaterThan inside And, FieldURI without FieldURI",
	  FIND_WITH("<t:And><t:Exists><t:FieldURI FieldURI=\"item:Subject\"/></t:Exists>"
		    "<t:IsGreaterThan><t:FieldURI/><t:FieldURIOrConstant><t:Constant "
		    "Value=\"2026-03-01T00:00:00Z\"/></t:FieldURIOrConstant></t:IsGreaterThan></t:And>", ""),
	  "The required attribute 'FieldURI' is missing." },
	{ "IndexedFieldURI without FieldIndex",
	  FIND_WITH("<t:Exists><t:IndexedFieldURI FieldURI=\"contacts:EmailAddress\"/></t:Exists>", ""),
	  "The required attribute 'FieldIndex' is missing." },
	{ "Constant without Value",
	  FIND_WITH("<t:IsEqualTo><t:FieldURI FieldURI=\"item:Subject\"/><t:FieldURIOrConstant>"
		    "<t:Constant/></t:FieldURIOrConstant></t:IsEqualTo>", ""),
	  "The required attribute 'Value' is missing." },
	{ "FieldOrder without Order",
	  FIND_WITH("<t:Exists><t:FieldURI FieldURI=\"item:Subject\"/></t:Exists>",
		    "<m:SortOrder><t:FieldOrder><t:FieldURI FieldURI=\"item:Subject\"/>"
		    "</t:FieldOrder></m:SortOrder>"),
	  "The required attribute 'Order' is missing." },
	{ "sort path without FieldURI",
	  FIND_WITH("<t:Exists><t:FieldURI FieldURI=\"item:Subject\"/></t:Exists>",
		    "<m:SortOrder><t:FieldOrder Order=\"Ascending\"><t:FieldURI/>"
		    "</t:FieldOrder></m:SortOrder>"),
	  "The required attribute 'FieldURI' is missing." },
	{ "FindItem without Traversal",
	  "<m:FindItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
	  "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds></m:FindItem>",
	  "The required attribute 'Traversal' is missing." },
	{ "ItemShape property without FieldURI",
	  "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>"
	  "<t:FieldURI/></t:AdditionalProperties></m:FolderShape><m:FolderIds>"
	  "<t:DistinguishedFolderId Id=\"inbox\"/></m:FolderIds></m:GetFolder>",
	  "The required attribute 'FieldURI' is missing." },
	{ "DistinguishedFolderId without Id",
	  "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>"
	  "<m:FolderIds><t:DistinguishedFolderId/></m:FolderIds></m:GetFolder>",
	  "The required attribute 'Id' is missing." },
	{ "ItemId without Id",
	  "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
	  "<m:ItemIds><t:ItemId ChangeKey=\"CQAAAA==\"/></m:ItemIds></m:GetItem>",
	  "The required attribute 'Id' is missing." },
	{ "UpdateFolder path without FieldURI",
	  "<m:UpdateFolder><m:FolderChanges><t:FolderChange><t:DistinguishedFolderId Id=\"inbox\"/>"
	  "<t:Updates><t:SetFolderField><t:FieldURI/><t:Folder><t:DisplayName>x</t:DisplayName>"
	  "</t:Folder></t:SetFolderField></t:Updates></t:FolderChange></m:FolderChanges></m:UpdateFolder>",
	  "The required attribute 'FieldURI' is missing." },
	{ "ConvertId AlternateId without Mailbox",
	  "<m:ConvertId DestinationFormat=\"EwsId\"><m:SourceIds><t:AlternateId Format=\"EwsId\" "
	  "Id=\"AAMkAAAAAA==\"/></m:SourceIds></m:ConvertId>",
	  "The required attribute 'Mailbox' is missing." },
};

/* The text as the sim writes it in XML (soap_put_text escapes quotes). */
static const char *escaped(const char *text)
{
	static char out[512];
	size_t n = 0;

	for (; *text && n + 7 < sizeof(out); text++) {
		if (*text == '\'') {
			memcpy(out + n, "&apos;", 6);
			n += 6;
		} else {
			out[n++] = *text;
		}
	}
	out[n] = '\0';
	return out;
}

static void test_required_attributes(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	char want[600];
	size_t i;

	(void)state;
	assert_non_null(sim);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		st_resp r = st_ews(sim, ST_BASIC, ALICE, NULL, cases[i].body);

		if (!cases[i].violation) {
			if (r.status != 200 || strcmp(st_code(r.body), "NoError") != 0)
				fail_msg("%s: HTTP %ld %s", cases[i].name, r.status, st_code(r.body));
			free(r.body);
			continue;
		}
		if (r.status != 500 || strcmp(st_code(r.body), "ErrorSchemaValidation") != 0)
			fail_msg("%s: HTTP %ld %s, expected 500 ErrorSchemaValidation",
				 cases[i].name, r.status, st_code(r.body));
		snprintf(want, sizeof(want), "<t:Violation>%s</t:Violation>",
			 escaped(cases[i].violation));
		if (!strstr(r.body, want))
			fail_msg("%s: no %s in\n%s", cases[i].name, want, r.body);
		assert_non_null(strstr(r.body, "<t:LineNumber>1</t:LineNumber>"));
		free(r.body);
	}
	ews_sim_stop(sim);
}

/* The faults name the line of the offending element, as Exchange does. */
static void test_violation_line(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	st_resp r;

	(void)state;
	r = st_post(sim, "/EWS/Exchange.asmx", ST_BASIC, ALICE,
		    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"\n"
		    " xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"\n"
		    " xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">\n"
		    "<s:Body><m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>\n"
		    "<m:ItemIds>\n"
		    "<t:ItemId/></m:ItemIds></m:GetItem></s:Body></s:Envelope>");
	assert_int_equal(r.status, 500);
	assert_int_equal(st_validate(r.body), 0);
	assert_string_equal(st_code(r.body), "ErrorSchemaValidation");
	assert_non_null(strstr(r.body, "<t:LineNumber>6</t:LineNumber>"));
	assert_non_null(strstr(r.body, escaped("The request failed schema validation: The "
					       "required attribute 'Id' is missing. Line 6.")));
	free(r.body);
	ews_sim_stop(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_required_attributes),
		cmocka_unit_test(test_violation_line),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	st_schema_free();
	curl_global_cleanup();
	xmlCleanupParser();
	return rc;
}
