/* test_session.c - the protocol engine driven message by message through an
 * in-memory sink: lifecycle and version negotiation, tool calls (success,
 * failure, argument errors), out-of-order completion, cancellation, paging
 * and requests to the client. */
#include "testutil.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mcp/jsonrpc.h"
#include "mcp/registry.h"
#include "mcp/server.h"

/* ---- a sink that records what the session sends ------------------------ */

typedef struct recorder {
	pthread_mutex_t lock;
	pthread_cond_t more;
	json_t *messages;
} recorder;

static int record(void *ctx, const json_t *msg)
{
	recorder *r = ctx;

	pthread_mutex_lock(&r->lock);
	json_array_append_new(r->messages, json_deep_copy(msg));
	pthread_cond_broadcast(&r->more);
	pthread_mutex_unlock(&r->lock);
	return 0;
}

/* Waits (up to 30 s) for the response with this id; returns a new ref. */
static json_t *wait_response(recorder *r, json_int_t id)
{
	struct timespec deadline;
	json_t *found = NULL, *m;
	size_t i;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 30; /* generous: CI machines can be slow */
	pthread_mutex_lock(&r->lock);
	while (!found) {
		json_array_foreach(r->messages, i, m) {
			json_t *mid = json_object_get(m, "id");

			if (json_is_integer(mid) && json_integer_value(mid) == id &&
			    !json_object_get(m, "method")) {
				found = json_incref(m);
				break;
			}
		}
		if (!found && pthread_cond_timedwait(&r->more, &r->lock, &deadline) != 0)
			break;
	}
	pthread_mutex_unlock(&r->lock);
	return found;
}

/* ---- tools used by the tests ------------------------------------------- */

static atomic_int release_slow;

static int echo(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	(void)call; (void)err;
	*out = json_pack("{s:b, s:O}", "success", 1, "echo", json_object_get(args, "text"));
	return 0;
}

static int failing(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	(void)call; (void)args;
	*out = json_pack("{s:b, s:s, s:s}", "success", 0, "error", "custom failure",
			 "mailbox", "x@y.test");
	return errinfo_set(err, ERR_ACCESS, "custom failure");
}

static int plain_failing(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	(void)out; (void)call; (void)args;
	errinfo_set_ews_code(err, "ErrorItemNotFound");
	return errinfo_set(err, ERR_NOTFOUND, "The specified object was not found in the store.");
}

static int slow(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	struct timespec ts = { 0, 5 * 1000000L };

	(void)args;
	while (!atomic_load(&release_slow)) {
		if (tool_call_cancelled(call))
			return errinfo_set(err, ERR_CANCELLED, "cancelled");
		nanosleep(&ts, NULL);
	}
	*out = json_pack("{s:b}", "success", 1);
	return 0;
}

static atomic_int counted;

static int count(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	(void)call; (void)args; (void)err;
	atomic_fetch_add(&counted, 1);
	*out = json_pack("{s:b}", "success", 1);
	return 0;
}

static int ask_client(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	json_t *result = NULL;

	(void)args;
	if (tool_call_client_request(call, "sampling/createMessage",
				     json_pack("{s:[], s:i}", "messages", "maxTokens", 5),
				     &result, err) < 0)
		return err->code;
	*out = json_pack("{s:O}", "got", result);
	json_decref(result);
	return 0;
}

#define TEXT_SCHEMA "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}"
#define MAILBOX_SCHEMA "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}," \
	"\"target_mailbox\":{\"type\":\"string\"}},\"required\":[\"n\"]," \
	"\"additionalProperties\":false}"

#define EMPTY_SCHEMA "{\"type\":\"object\",\"properties\":{}}"

static const tool_def defs[] = {
	{ "echo", "Echo", "Echoes text", TEXT_SCHEMA, NULL, TOOL_READ_ONLY, echo },
	{ "failing", NULL, "Fails with its own object", EMPTY_SCHEMA, NULL, 0, failing },
	{ "plain_failing", NULL, "Fails with errinfo only", EMPTY_SCHEMA, NULL, 0, plain_failing },
	{ "slow", NULL, "Waits until released or cancelled", EMPTY_SCHEMA, NULL, 0, slow },
	{ "ask_client", NULL, "Asks the client to sample", EMPTY_SCHEMA, NULL, 0, ask_client },
	{ "count", NULL, "Counts its calls (a write)", EMPTY_SCHEMA, NULL, 0, count },
	{ "mailbox_tool", NULL, "A mailbox tool", MAILBOX_SCHEMA, NULL, TOOL_MAILBOX, count },
};
static const toolset set = { defs, sizeof(defs) / sizeof(defs[0]) };

/* ---- fixture ------------------------------------------------------------ */

typedef struct fixture {
	recorder rec;
	mcp_registry *reg;
	mcp_server *server;
	mcp_session *session;
} fixture;

static json_t *call(struct fixture *f, json_int_t id, const char *fmt_json);
static void send_text(struct fixture *f, const char *text);

#define INITIALIZE(id) \
	"{\"jsonrpc\":\"2.0\",\"id\":" #id ",\"method\":\"initialize\",\"params\":" \
	"{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":" \
	"{\"name\":\"t\",\"version\":\"1\"}}}"

static int setup_bare(void **state)
{
	const toolset *sets[] = { &set };
	mcp_server_options opts = MCP_SERVER_OPTIONS_INIT;
	fixture *f = calloc(1, sizeof(*f));
	mcp_sink sink = { 0 };
	errinfo err = ERRINFO_INIT;

	pthread_mutex_init(&f->rec.lock, NULL);
	pthread_cond_init(&f->rec.more, NULL);
	f->rec.messages = json_array();
	assert_int_equal(mcp_registry_new(&f->reg, sets, 1, &err), 0);
	opts.registry = f->reg;
	opts.name = "test-server";
	opts.version = "9.9";
	opts.instructions = "Use target_mailbox.";
	opts.list_page_size = 2;
	/* refusals of mailbox tools name this mailbox without target_mailbox */
	opts.default_mailbox = "svc@contoso.test";
	opts.client_request_timeout_ms = 2000;
	opts.progress_interval_ms = 100;
	assert_int_equal(mcp_server_new(&f->server, &opts, &err), 0);
	sink.send = record;
	sink.ctx = &f->rec;
	assert_int_equal(mcp_session_new(&f->session, f->server, &sink, &err), 0);
	atomic_store(&release_slow, 0);
	atomic_store(&counted, 0);
	*state = f;
	return 0;
}

/* A session past initialize, as every client's is. */
static int setup(void **state)
{
	fixture *f;
	json_t *resp;

	setup_bare(state);
	f = *state;
	resp = call(f, 1000, INITIALIZE(1000));
	assert_non_null(json_object_get(resp, "result"));
	json_decref(resp);
	send_text(f, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	atomic_store(&release_slow, 1);
	mcp_session_free(f->session);
	mcp_server_free(f->server);
	mcp_registry_free(f->reg);
	json_decref(f->rec.messages);
	pthread_mutex_destroy(&f->rec.lock);
	pthread_cond_destroy(&f->rec.more);
	free(f);
	return 0;
}

static void send_text(fixture *f, const char *text)
{
	mcp_session_receive(f->session, text, strlen(text), NULL);
}

static json_t *call(fixture *f, json_int_t id, const char *fmt_json)
{
	send_text(f, fmt_json);
	return wait_response(&f->rec, id);
}

/* ---- tests --------------------------------------------------------------- */

static void test_version_negotiation(void **state)
{
	fixture *f = *state;
	static const struct { const char *offered, *answered; } rows[] = {
		{ "2025-11-25", "2025-11-25" },
		{ "2025-06-18", "2025-06-18" },
		{ "2025-03-26", "2025-03-26" },
		{ "2024-11-05", "2024-11-05" },
		{ "2099-01-01", "2025-11-25" },
		{ "1999-01-01", "2025-11-25" },
	};
	char text[400];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *resp, *result;

		/* initialize comes once per session: a new one per row */
		if (i > 0) {
			teardown(state);
			setup_bare(state);
			f = *state;
		}
		snprintf(text, sizeof(text),
			 "{\"jsonrpc\":\"2.0\",\"id\":%zu,\"method\":\"initialize\",\"params\":"
			 "{\"protocolVersion\":\"%s\",\"capabilities\":{},\"clientInfo\":"
			 "{\"name\":\"t\",\"version\":\"1\"}}}", i + 1, rows[i].offered);
		resp = call(f, (json_int_t)(i + 1), text);
		assert_non_null(resp);
		result = json_object_get(resp, "result");
		assert_string_equal(json_string_value(json_object_get(result, "protocolVersion")),
				    rows[i].answered);
		assert_string_equal(json_string_value(json_object_get(
			json_object_get(result, "serverInfo"), "name")), "test-server");
		assert_string_equal(json_string_value(json_object_get(result, "instructions")),
				    "Use target_mailbox.");
		assert_non_null(json_object_get(json_object_get(result, "capabilities"), "tools"));
		assert_non_null(json_object_get(json_object_get(result, "capabilities"), "logging"));
		/* a tools-only server does not claim resources or prompts */
		assert_null(json_object_get(json_object_get(result, "capabilities"), "resources"));
		assert_null(json_object_get(json_object_get(result, "capabilities"), "prompts"));
		json_decref(resp);
	}
	assert_string_equal(mcp_session_protocol_version(f->session), "2025-11-25");
}

static void test_bad_requests(void **state)
{
	fixture *f = *state;
	static const struct { const char *text; json_int_t id; int code; } rows[] = {
		{ "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"loud\"}}", 2, MCP_INVALID_PARAMS },
		{ "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{}}", 4, MCP_INVALID_PARAMS },
		{ "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":[]}}", 5, MCP_INVALID_PARAMS },
		{ "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"resources/list\"}", 6, MCP_METHOD_NOT_FOUND },
		{ "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":{\"cursor\":\"zz\"}}", 7, MCP_INVALID_PARAMS },
		{ "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"no/such\"}", 8, MCP_METHOD_NOT_FOUND },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *resp = call(f, rows[i].id, rows[i].text);

		assert_non_null(resp);
		assert_int_equal(json_integer_value(json_object_get(
			json_object_get(resp, "error"), "code")), rows[i].code);
		json_decref(resp);
	}
}

static void test_ping_and_set_level(void **state)
{
	fixture *f = *state;
	json_t *resp = call(f, 1, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");

	assert_int_equal(json_object_size(json_object_get(resp, "result")), 0);
	json_decref(resp);
	resp = call(f, 2, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"logging/setLevel\","
			  "\"params\":{\"level\":\"warning\"}}");
	assert_non_null(json_object_get(resp, "result"));
	json_decref(resp);
}

static void test_tools_list_paging(void **state)
{
	fixture *f = *state;
	json_t *resp;
	char text[200];
	const char *cursor = NULL;
	char saved[32];
	size_t seen = 0;
	json_int_t id = 1;

	do {
		if (cursor)
			snprintf(text, sizeof(text), "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"method\":"
				 "\"tools/list\",\"params\":{\"cursor\":\"%s\"}}", (long long)id, cursor);
		else
			snprintf(text, sizeof(text), "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"method\":"
				 "\"tools/list\"}", (long long)id);
		resp = call(f, id++, text);
		assert_non_null(resp);
		seen += json_array_size(json_object_get(json_object_get(resp, "result"), "tools"));
		cursor = json_string_value(json_object_get(json_object_get(resp, "result"),
							   "nextCursor"));
		if (cursor) {
			snprintf(saved, sizeof(saved), "%s", cursor);
			cursor = saved;
		}
		json_decref(resp);
	} while (cursor);
	assert_int_equal(seen, 7);
	assert_int_equal(id, 5); /* 2 + 2 + 2 + 1 */
}

static void test_call_success_and_errors(void **state)
{
	fixture *f = *state;
	json_t *resp, *result, *text_obj;

	/* an unknown tool is a tool error listing the tools there are */
	resp = call(f, 9, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":"
			  "{\"name\":\"nope\"}}");
	result = json_object_get(resp, "result");
	assert_true(json_is_true(json_object_get(result, "isError")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(result,
		"structuredContent"), "error")), "Unknown tool: nope");
	assert_int_equal(json_array_size(json_object_get(json_object_get(result,
		"structuredContent"), "available_tools")), 7);
	json_decref(resp);

	resp = call(f, 1, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
			  "{\"name\":\"echo\",\"arguments\":{\"text\":\"hi <&>\"}}}");
	result = json_object_get(resp, "result");
	assert_null(json_object_get(result, "isError"));
	assert_string_equal(json_string_value(json_object_get(
		json_object_get(result, "structuredContent"), "echo")), "hi <&>");
	/* the text block carries the same JSON */
	text_obj = json_loads(json_string_value(json_object_get(json_array_get(
		json_object_get(result, "content"), 0), "text")), 0, NULL);
	assert_true(json_equal(text_obj, json_object_get(result, "structuredContent")));
	json_decref(text_obj);
	json_decref(resp);

	/* schema violation: isError naming the field, handler not run */
	resp = call(f, 2, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
			  "{\"name\":\"echo\",\"arguments\":{\"text\":5}}}");
	result = json_object_get(resp, "result");
	assert_true(json_is_true(json_object_get(result, "isError")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(result,
		"structuredContent"), "error")),
		"Invalid arguments for echo: text: expected string, got integer");
	assert_string_equal(json_string_value(json_object_get(json_object_get(result,
		"structuredContent"), "error_code")), "invalid_input");
	assert_string_equal(json_string_value(json_object_get(json_object_get(result,
		"structuredContent"), "error_type")), "ValidationError");
	/* not a mailbox tool: no mailbox to name */
	assert_null(json_object_get(json_object_get(result, "structuredContent"), "mailbox"));
	json_decref(resp);

	/* a message cut in the middle of a UTF-8 sequence keeps the failure's
	 * content (jansson refuses such text) */
	{
		char big[3000], *p = big;
		size_t i;
		const char *msg;

		p += sprintf(p, "{\"jsonrpc\":\"2.0\",\"id\":23,\"method\":\"tools/call\","
			     "\"params\":{\"name\":\"mailbox_tool\",\"arguments\":{\"n\":1,\"");
		for (i = 0; i < 700; i++)
			p += sprintf(p, "\xC3\xA9");
		sprintf(p, "\":1}}}");
		resp = call(f, 23, big);
		result = json_object_get(json_object_get(resp, "result"), "structuredContent");
		msg = json_string_value(json_object_get(result, "error"));
		assert_non_null(msg);
		assert_non_null(strstr(msg, "unknown property '\xC3\xA9\xC3\xA9"));
		assert_string_equal(json_string_value(json_object_get(result, "error_code")),
				    "invalid_input");
		json_decref(resp);

		p = big;
		p += sprintf(p, "{\"jsonrpc\":\"2.0\",\"id\":24,\"method\":\"tools/call\","
			     "\"params\":{\"name\":\"x");
		for (i = 0; i < 400; i++)
			p += sprintf(p, "\xC3\xA9");
		sprintf(p, "\"}}");
		resp = call(f, 24, big);
		result = json_object_get(json_object_get(resp, "result"), "structuredContent");
		msg = json_string_value(json_object_get(result, "error"));
		assert_non_null(msg);
		assert_true(strncmp(msg, "Unknown tool: x\xC3\xA9", 17) == 0);
		json_decref(resp);
	}

	/* a mailbox tool's refusal names the mailbox, as its own failures do */
	resp = call(f, 21, "{\"jsonrpc\":\"2.0\",\"id\":21,\"method\":\"tools/call\",\"params\":"
			  "{\"name\":\"mailbox_tool\",\"arguments\":{\"n\":\"x\"}}}");
	result = json_object_get(json_object_get(resp, "result"), "structuredContent");
	assert_string_equal(json_string_value(json_object_get(result, "error_type")),
			    "ValidationError");
	assert_string_equal(json_string_value(json_object_get(result, "mailbox")), "svc@contoso.test");
	assert_true(json_is_false(json_object_get(result, "is_retryable")));
	json_decref(resp);
	resp = call(f, 22, "{\"jsonrpc\":\"2.0\",\"id\":22,\"method\":\"tools/call\",\"params\":"
			  "{\"name\":\"mailbox_tool\",\"arguments\":{\"target_mailbox\":"
			  "\"alice@contoso.test\"}}}");
	result = json_object_get(json_object_get(resp, "result"), "structuredContent");
	assert_string_equal(json_string_value(json_object_get(result, "error")),
			    "Invalid arguments for mailbox_tool: n: is required");
	assert_string_equal(json_string_value(json_object_get(result, "mailbox")),
			    "alice@contoso.test");
	json_decref(resp);

	/* handler's own error object */
	resp = call(f, 3, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":"
			  "{\"name\":\"failing\"}}");
	result = json_object_get(resp, "result");
	assert_true(json_is_true(json_object_get(result, "isError")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(result,
		"structuredContent"), "mailbox")), "x@y.test");
	json_decref(resp);

	/* error built from errinfo keeps the EWS code */
	resp = call(f, 4, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":"
			  "{\"name\":\"plain_failing\",\"arguments\":{}}}");
	result = json_object_get(json_object_get(resp, "result"), "structuredContent");
	assert_string_equal(json_string_value(json_object_get(result, "error_code")), "not_found");
	assert_string_equal(json_string_value(json_object_get(result, "ews_code")),
			    "ErrorItemNotFound");
	json_decref(resp);
}

static void test_out_of_order_and_cancel(void **state)
{
	fixture *f = *state;
	json_t *resp;

	/* a slow call does not hold up a fast one behind it */
	send_text(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
		     "{\"name\":\"slow\"}}");
	resp = call(f, 2, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
			  "{\"name\":\"echo\",\"arguments\":{\"text\":\"x\"}}}");
	assert_non_null(resp);
	json_decref(resp);
	/* The fast call leaves the in-flight list just after its answer. */
	{
		struct timespec ts = { 0, 1000000L };
		int tries = 0;

		while (mcp_session_inflight(f->session) > 1 && tries++ < 30000)
			nanosleep(&ts, NULL);
	}
	assert_int_equal(mcp_session_inflight(f->session), 1);

	/* the same id cannot be reused while the call runs */
	resp = call(f, 1, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
			  "{\"name\":\"echo\",\"arguments\":{\"text\":\"x\"}}}");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(resp, "error"),
							    "code")), MCP_INVALID_REQUEST);
	json_decref(resp);

	/* cancellation stops it, and no response is sent for it */
	send_text(f, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":"
		     "{\"requestId\":1,\"reason\":\"user\"}}");
	while (mcp_session_inflight(f->session) > 0) {
		struct timespec ts = { 0, 2000000L };

		nanosleep(&ts, NULL);
	}
	{
		size_t i, answers = 0;
		json_t *m;

		json_array_foreach(f->rec.messages, i, m)
			if (json_integer_value(json_object_get(m, "id")) == 1 &&
			    json_object_get(m, "result"))
				answers++;
		assert_int_equal(answers, 0);
	}
}

/* The lifecycle: before initialize only ping is answered, and nothing
 * runs; initialize comes once. */
static void test_lifecycle(void **state)
{
	fixture *f = *state;
	static const char *const early[] = {
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"count\"}}",
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"debug\"}}",
	};
	json_t *resp;
	size_t i;

	for (i = 0; i < sizeof(early) / sizeof(early[0]); i++) {
		json_array_clear(f->rec.messages);
		resp = call(f, 1, early[i]);
		assert_non_null(resp);
		assert_int_equal(json_integer_value(json_object_get(json_object_get(resp, "error"),
								    "code")), MCP_INVALID_REQUEST);
		assert_non_null(strstr(json_string_value(json_object_get(json_object_get(resp, "error"),
									 "message")), "send initialize first"));
		json_decref(resp);
	}
	assert_int_equal(atomic_load(&counted), 0);  /* the tool never ran */
	resp = call(f, 2, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}");
	assert_non_null(json_object_get(resp, "result"));
	json_decref(resp);
	/* bad params are the client's to correct: still not initialized */
	resp = call(f, 3, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\",\"params\":{}}");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(resp, "error"),
							    "code")), MCP_INVALID_PARAMS);
	json_decref(resp);
	resp = call(f, 4, INITIALIZE(4));
	assert_non_null(json_object_get(resp, "result"));
	json_decref(resp);
	resp = call(f, 5, INITIALIZE(5));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(resp, "error"),
							    "code")), MCP_INVALID_REQUEST);
	json_decref(resp);
	/* served after the initialize answer, initialized notification or not */
	resp = call(f, 6, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":\"count\"}}");
	assert_non_null(json_object_get(resp, "result"));
	json_decref(resp);
	assert_int_equal(atomic_load(&counted), 1);
}

typedef struct cancel_job {
	fixture *f;
	atomic_int done;
} cancel_job;

static void *send_cancel(void *arg)
{
	cancel_job *j = arg;

	send_text(j->f, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
			"\"params\":{\"requestId\":7,\"reason\":\"user\"}}");
	atomic_store(&j->done, 1);
	return NULL;
}

/* With DEBUG logging forwarded to the client, a cancellation logs while
 * the session is locked; the forwarded line needs the same lock. The
 * cancel must return, the call must stop, and the log line arrive. */
static void test_cancel_with_debug_logs(void **state)
{
	fixture *f = *state;
	cancel_job job = { f, 0 };
	struct timespec ts = { 0, 2000000L };
	pthread_t t;
	json_t *resp, *m;
	size_t i;
	int tries, logged = 0;

	log_set_level(LOG_LEVEL_DEBUG);
	mcp_session_forward_logs(f->session, 1);
	resp = call(f, 6, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"logging/setLevel\","
			  "\"params\":{\"level\":\"debug\"}}");
	json_decref(resp);
	send_text(f, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":"
		     "{\"name\":\"slow\"}}");
	for (tries = 0; mcp_session_inflight(f->session) < 1 && tries < 5000; tries++)
		nanosleep(&ts, NULL);
	assert_int_equal(pthread_create(&t, NULL, send_cancel, &job), 0);
	for (tries = 0; !atomic_load(&job.done) && tries < 2500; tries++)
		nanosleep(&ts, NULL);
	if (!atomic_load(&job.done))
		fail_msg("notifications/cancelled did not return within 5 s: deadlock");
	pthread_join(t, NULL);
	for (tries = 0; mcp_session_inflight(f->session) > 0 && tries < 2500; tries++)
		nanosleep(&ts, NULL);
	assert_int_equal(mcp_session_inflight(f->session), 0);
	mcp_session_forward_logs(f->session, 0);
	log_set_level(LOG_LEVEL_ERROR);
	pthread_mutex_lock(&f->rec.lock);
	json_array_foreach(f->rec.messages, i, m) {
		const char *data = json_string_value(json_object_get(json_object_get(m, "params"),
								     "data"));

		if (data && strstr(data, "cancelled by the client"))
			logged = 1;
	}
	pthread_mutex_unlock(&f->rec.lock);
	assert_true(logged);
}

/* A call whose request carries a progressToken gets progress while it
 * runs, increasing, all before its answer; one without a token gets none. */
static void test_progress_heartbeat(void **state)
{
	fixture *f = *state;
	struct timespec ts = { 0, 350 * 1000000L };
	json_t *resp, *m;
	double last = -1;
	size_t i, beats = 0, after = 0;
	int answered = 0;

	send_text(f, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":"
		     "{\"name\":\"slow\",\"_meta\":{\"progressToken\":\"t8\"}}}");
	nanosleep(&ts, NULL);
	atomic_store(&release_slow, 1);
	resp = wait_response(&f->rec, 8);
	assert_non_null(json_object_get(resp, "result"));
	json_decref(resp);
	pthread_mutex_lock(&f->rec.lock);
	json_array_foreach(f->rec.messages, i, m) {
		const json_t *p = json_object_get(m, "params");

		if (json_integer_value(json_object_get(m, "id")) == 8)
			answered = 1;
		if (!json_is_string(json_object_get(m, "method")) ||
		    strcmp(json_string_value(json_object_get(m, "method")),
			   "notifications/progress") != 0)
			continue;
		assert_string_equal(json_string_value(json_object_get(p, "progressToken")), "t8");
		assert_true(json_number_value(json_object_get(p, "progress")) > last);
		last = json_number_value(json_object_get(p, "progress"));
		beats++;
		after += answered;
	}
	pthread_mutex_unlock(&f->rec.lock);
	assert_true(beats >= 2);
	assert_int_equal(after, 0);

	/* no token, no progress */
	atomic_store(&release_slow, 0);
	json_array_clear(f->rec.messages);
	send_text(f, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":"
		     "{\"name\":\"slow\"}}");
	nanosleep(&ts, NULL);
	atomic_store(&release_slow, 1);
	resp = wait_response(&f->rec, 9);
	json_decref(resp);
	pthread_mutex_lock(&f->rec.lock);
	assert_int_equal(json_array_size(f->rec.messages), 1);
	pthread_mutex_unlock(&f->rec.lock);
}

static void test_client_request(void **state)
{
	fixture *f = *state;
	json_t *resp, *req = NULL, *m;
	struct timespec ts = { 0, 2000000L };
	size_t i;
	int tries;

	/* without the sampling capability the tool fails cleanly */
	send_text(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
		     "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}");
	resp = call(f, 2, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
			  "{\"name\":\"ask_client\"}}");
	assert_true(json_is_true(json_object_get(json_object_get(resp, "result"), "isError")));
	json_decref(resp);

	/* with it (a new session: initialize comes once), the request
	 * reaches the client and the answer comes back */
	teardown(state);
	setup_bare(state);
	f = *state;
	send_text(f, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\",\"params\":"
		     "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"sampling\":{}}}}");
	send_text(f, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":"
		     "{\"name\":\"ask_client\"}}");
	for (tries = 0; !req && tries < 15000; tries++) {
		pthread_mutex_lock(&f->rec.lock);
		json_array_foreach(f->rec.messages, i, m)
			if (json_is_string(json_object_get(m, "method")) &&
			    strcmp(json_string_value(json_object_get(m, "method")),
				   "sampling/createMessage") == 0)
				req = json_incref(m);
		pthread_mutex_unlock(&f->rec.lock);
		if (!req)
			nanosleep(&ts, NULL);
	}
	assert_non_null(req);
	{
		char text[200];

		snprintf(text, sizeof(text), "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":"
			 "{\"role\":\"assistant\",\"content\":{\"type\":\"text\",\"text\":\"ok\"}}}",
			 (long long)json_integer_value(json_object_get(req, "id")));
		send_text(f, text);
	}
	json_decref(req);
	resp = wait_response(&f->rec, 4);
	assert_non_null(resp);
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(
		json_object_get(json_object_get(resp, "result"), "structuredContent"), "got"),
		"content"), "text")), "ok");
	json_decref(resp);
}

static void test_shutdown_grace(void **state)
{
	fixture *f = *state;

	send_text(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
		     "{\"name\":\"slow\"}}");
	/* never released: shutdown waits the grace, then cancels */
	mcp_session_shutdown(f->session, 50);
	assert_int_equal(mcp_session_inflight(f->session), 0);
	/* requests after shutdown are refused */
	{
		json_t *resp = call(f, 2, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}");

		assert_int_equal(json_integer_value(json_object_get(json_object_get(resp, "error"),
								    "code")), MCP_SERVER_BUSY);
		json_decref(resp);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_version_negotiation, setup_bare, teardown),
		cmocka_unit_test_setup_teardown(test_bad_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ping_and_set_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tools_list_paging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_call_success_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_order_and_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lifecycle, setup_bare, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_with_debug_logs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress_heartbeat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_request, setup_bare, teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_grace, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
