/* test_jsonrpc.c - JSON-RPC 2.0 framing: classification and error answers. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mcp/jsonrpc.h"

static const struct {
	const char *in;
	int ok;              /* parses as a message */
	int kind;            /* when ok */
	int code;            /* error code answered when not ok, 0 = no answer */
	const char *reply_id;/* JSON of the id in the answer */
} cases[] = {
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", 1, MCP_MSG_REQUEST, 0, NULL },
	{ "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"x\",\"params\":{}}", 1, MCP_MSG_REQUEST, 0, NULL },
	{ "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", 1, MCP_MSG_NOTIFICATION, 0, NULL },
	{ "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}", 1, MCP_MSG_RESPONSE, 0, NULL },
	{ "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":1,\"message\":\"m\"}}", 1, MCP_MSG_RESPONSE, 0, NULL },
	{ "not json", 0, 0, MCP_PARSE_ERROR, "null" },
	/* cut short after its id: the client still gets an answer to it */
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,", 0, 0, MCP_PARSE_ERROR, "1" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":\"req-9\",\"method\":\"tools/call\",\"params\":{\"a\":tru",
	  0, 0, MCP_PARSE_ERROR, "\"req-9\"" },
	/* \u0000 is valid JSON: refused by field, with the id */
	{ "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"send_email\","
	  "\"arguments\":{\"to\":[\"a@b.test\",\"x\\u0000y\"]}}}", 0, 0, MCP_INVALID_PARAMS, "5" },
	/* a notification with one cannot be answered */
	{ "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/x\",\"params\":{\"a\":\"\\u0000\"}}",
	  0, 0, 0, NULL },
	{ "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", 0, 0, MCP_INVALID_REQUEST, "null" },
	{ "42", 0, 0, MCP_INVALID_REQUEST, "null" },
	{ "{\"id\":3,\"method\":\"ping\"}", 0, 0, MCP_INVALID_REQUEST, "3" },
	{ "{\"jsonrpc\":\"1.0\",\"id\":3,\"method\":\"ping\"}", 0, 0, MCP_INVALID_REQUEST, "3" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":5}", 0, 0, MCP_INVALID_REQUEST, "3" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", 0, 0, MCP_INVALID_REQUEST, "null" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}", 0, 0, MCP_INVALID_REQUEST, "null" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"x\",\"params\":[1]}", 0, 0, MCP_INVALID_REQUEST, "4" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"x\",\"params\":\"s\"}", 0, 0, MCP_INVALID_REQUEST, "4" },
	{ "{\"jsonrpc\":\"2.0\"}", 0, 0, MCP_INVALID_REQUEST, "null" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"x\"}", 0, 0, MCP_PARSE_ERROR, "null" },
	/* a response with both result and error is broken: never answered */
	{ "{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{},\"error\":{}}", 0, 0, 0, NULL },
};

static void test_classification(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mcp_message msg;
		json_t *reply = NULL;
		int rc = mcp_message_parse(&msg, cases[i].in, strlen(cases[i].in), &reply);

		if (cases[i].ok) {
			assert_int_equal(rc, 0);
			assert_int_equal(msg.kind, cases[i].kind);
			assert_null(reply);
			mcp_message_dispose(&msg);
			continue;
		}
		assert_int_equal(rc, -1);
		if (!cases[i].code) {
			assert_null(reply);
			continue;
		}
		assert_non_null(reply);
		assert_int_equal(json_integer_value(json_object_get(
			json_object_get(reply, "error"), "code")), cases[i].code);
		{
			char *id = json_dumps(json_object_get(reply, "id"), JSON_ENCODE_ANY);

			assert_string_equal(id, cases[i].reply_id);
			free(id);
		}
		assert_string_equal(json_string_value(json_object_get(reply, "jsonrpc")), "2.0");
		json_decref(reply);
	}
}

/* The message names the field that holds the NUL, and no library flag. */
static void test_nul_named(void **state)
{
	static const char in[] = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\","
		"\"params\":{\"name\":\"send_email\",\"arguments\":{\"subject\":\"a\\u0000\"}}}";
	mcp_message msg;
	json_t *reply = NULL;
	const char *text;

	(void)state;
	assert_int_equal(mcp_message_parse(&msg, in, strlen(in), &reply), -1);
	text = json_string_value(json_object_get(json_object_get(reply, "error"), "message"));
	assert_non_null(strstr(text, "params.arguments.subject"));
	assert_non_null(strstr(text, "NUL"));
	assert_null(strstr(text, "JSON_"));
	json_decref(reply);
}

static void test_scan_id(void **state)
{
	static const struct {
		const char *head, *tail, *want;
	} rows[] = {
		{ "{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/call\",\"params\":{\"x\":\"aaaa", NULL, "42" },
		{ " { \"id\" : -7 , \"method\":", NULL, "-7" },
		{ "{\"method\":\"m\",\"params\":{\"id\":1,\"deep\":[{\"id\":2}]},\"id\":\"top\"}", NULL, "\"top\"" },
		/* the id after the params, and only the end was kept */
		{ "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"big\":\"aaa",
		  "aaaa\"}, \"id\": 77 }\r", "77" },
		{ NULL, "\"}},\"id\":\"k-1\"}", "\"k-1\"" },
		/* ambiguous or unusable: no id */
		{ "{\"id\":1,\"id\":2}", NULL, NULL },
		{ "{\"id\":1.5}", NULL, NULL },
		{ "{\"id\":null}", NULL, NULL },
		{ "{\"id\":\"a\\\"b\"}", NULL, NULL },
		{ "[{\"id\":1}]", NULL, NULL },
		{ NULL, "\"ids\":3}", NULL },
		{ NULL, "[\"id\":3}", NULL },
		{ "{\"params\":{\"a\":", "\"b\":{\"id\":5}}", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *id = mcp_jsonrpc_scan_id(rows[i].head, rows[i].head ? strlen(rows[i].head) : 0,
						 rows[i].tail, rows[i].tail ? strlen(rows[i].tail) : 0);
		char *got = id ? json_dumps(id, JSON_ENCODE_ANY) : NULL;

		if (!rows[i].want && got)
			fail_msg("row %zu: expected no id, got %s", i, got);
		if (rows[i].want && (!got || strcmp(got, rows[i].want) != 0))
			fail_msg("row %zu: expected %s, got %s", i, rows[i].want, got ? got : "none");
		free(got);
		json_decref(id);
	}
}

static void test_builders(void **state)
{
	json_t *id = json_integer(5), *m;
	char *s;

	(void)state;
	m = mcp_jsonrpc_result(id, json_pack("{s:i}", "a", 1));
	s = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(s, "{\"id\":5,\"jsonrpc\":\"2.0\",\"result\":{\"a\":1}}");
	free(s);
	json_decref(m);

	m = mcp_jsonrpc_error(NULL, MCP_METHOD_NOT_FOUND, "nope", NULL);
	s = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(s, "{\"error\":{\"code\":-32601,\"message\":\"nope\"},"
			       "\"id\":null,\"jsonrpc\":\"2.0\"}");
	free(s);
	json_decref(m);

	m = mcp_jsonrpc_request(3, "sampling/createMessage", NULL);
	s = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(s, "{\"id\":3,\"jsonrpc\":\"2.0\",\"method\":\"sampling/createMessage\"}");
	free(s);
	json_decref(m);
	json_decref(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classification),
		cmocka_unit_test(test_builders),
		cmocka_unit_test(test_nul_named),
		cmocka_unit_test(test_scan_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
