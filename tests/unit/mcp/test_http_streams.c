/* test_http_streams.c - what the HTTP transport streams: SSE answers for
 * calls that log or report progress (priming event, ids, order), the
 * standalone GET stream (one at a time: 409), resumption with
 * Last-Event-ID after a dropped connection, cancellation of calls whose
 * client went away (while waiting for JSON, on a non-resumable stream, and
 * after the resume grace), concurrent sessions, and the legacy HTTP+SSE
 * transport. ASan checks that nothing leaks when clients vanish. */
#include "testutil.h"

#include <pthread.h>

#include "http_testkit.h"

/* A tools/call body in a thread-local buffer (the concurrent test calls
 * this from several threads). */
static char *call_body(int id, const char *tool, const char *args)
{
	static _Thread_local char body[512];

	snprintf(body, sizeof(body), "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\","
		 "\"params\":{\"name\":\"%s\",\"arguments\":%s,\"_meta\":{\"progressToken\":\"p%d\"}}}",
		 id, tool, args, id);
	return body;
}

static void test_sse_answer(void **state)
{
	mcp_http_options o = tk_options();
	char sid[64], ct[128];
	const char *b, *prime, *log, *progress, *result;
	tk_server t;
	tk_resp r;

	(void)state;
	tk_start(&t, &o);
	tk_open_session(&t, "2025-11-25", sid, sizeof(sid));
	tk_post(&r, &t, sid, call_body(3, "chatty", "{}"), NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(tk_header(&r, "Content-Type", ct, sizeof(ct)), "text/event-stream");
	b = buf_cstr(&r.body);
	/* Priming first (id, retry, empty data), then the messages in order.
	 * Stream 1 was the initialize POST, so this call's is stream 2. */
	prime = strstr(b, "id: 2-0\nretry: 1000\ndata: \n\n");
	log = strstr(b, "\"notifications/message\"");
	progress = strstr(b, "\"notifications/progress\"");
	result = strstr(b, "\"done\"");
	assert_true(prime == b);
	assert_non_null(log);
	assert_non_null(progress);
	assert_non_null(result);
	assert_true(log < result && progress < result);
	assert_non_null(strstr(b, "id: 2-3\ndata: {\"jsonrpc\":\"2.0\",\"id\":3,\"result\""));
	tk_resp_dispose(&r);

	/* Older clients get no priming event (their SDKs may choke on empty data). */
	tk_open_session(&t, "2025-06-18", sid, sizeof(sid));
	tk_post(&r, &t, sid, call_body(4, "chatty", "{}"), NULL);
	assert_int_equal(r.status, 200);
	assert_null(strstr(buf_cstr(&r.body), "retry:"));
	assert_non_null(strstr(buf_cstr(&r.body), "\"done\""));
	tk_resp_dispose(&r);
	tk_stop(&t);
}

static void test_standalone_stream(void **state)
{
	mcp_http_options o = tk_options();
	char sid[64], hdrs[256], url[256], sh[128];
	const char *h[3];
	buf got = BUF_INIT(1 << 16);
	tk_server t;
	tk_resp r;
	int fd;

	(void)state;
	tk_start(&t, &o);
	tk_open_session(&t, "2025-11-25", sid, sizeof(sid));
	snprintf(hdrs, sizeof(hdrs), "Accept: text/event-stream\r\nMcp-Session-Id: %s\r\n"
		 "MCP-Protocol-Version: 2025-11-25\r\n", sid);
	fd = tk_raw_send(t.port, "GET", "/mcp", hdrs, NULL);
	assert_true(tk_raw_read_until(fd, &got, "retry: 1000", 3000));
	assert_non_null(strstr(buf_cstr(&got), "200 OK"));
	assert_non_null(strstr(buf_cstr(&got), "text/event-stream"));
	/* Keep-alive comments every keepalive_s (1 s here). */
	assert_true(tk_raw_read_until(fd, &got, ": keepalive", 3000));

	/* A second GET stream on the session: 409. */
	snprintf(url, sizeof(url), "%s/mcp", t.base);
	snprintf(sh, sizeof(sh), "Mcp-Session-Id: %s", sid);
	h[0] = sh; h[1] = "Accept: text/event-stream"; h[2] = NULL;
	tk_request(&r, "GET", url, NULL, h);
	assert_int_equal(r.status, 409);
	tk_resp_dispose(&r);
	close(fd);
	buf_dispose(&got);
	tk_stop(&t);
}

static void test_resume_with_last_event_id(void **state)
{
	mcp_http_options o = tk_options();
	char sid[64], hdrs[256], *body;
	buf got = BUF_INIT(1 << 16), again = BUF_INIT(1 << 16);
	tk_server t;
	int fd;

	(void)state;
	o.resume_grace_ms = 5000;
	tk_start(&t, &o);
	tk_open_session(&t, "2025-11-25", sid, sizeof(sid));
	atomic_store(&tk_finished, 0);
	snprintf(hdrs, sizeof(hdrs), "Content-Type: application/json\r\n"
		 "Accept: application/json, text/event-stream\r\nMcp-Session-Id: %s\r\n", sid);
	body = call_body(8, "chatty", "{\"ms\":700}");
	fd = tk_raw_send(t.port, "POST", "/mcp", hdrs, body);
	/* Read up to the progress event (id 2-2: stream 2, as initialize was
	 * stream 1), then drop the connection. */
	assert_true(tk_raw_read_until(fd, &got, "notifications/progress", 3000));
	close(fd);
	assert_null(strstr(buf_cstr(&got), "\"done\""));

	/* Resume: only what came after 2-2, ending with the result. */
	snprintf(hdrs, sizeof(hdrs), "Accept: text/event-stream\r\nMcp-Session-Id: %s\r\n"
		 "Last-Event-ID: 2-2\r\n", sid);
	fd = tk_raw_send(t.port, "GET", "/mcp", hdrs, NULL);
	assert_true(tk_raw_read_until(fd, &again, "\"done\"", 4000));
	assert_null(strstr(buf_cstr(&again), "notifications/progress"));
	assert_non_null(strstr(buf_cstr(&again), "id: 2-3\ndata: {\"jsonrpc\":\"2.0\",\"id\":8"));
	close(fd);

	/* An id of no stream of ours. */
	snprintf(hdrs, sizeof(hdrs), "Accept: text/event-stream\r\nMcp-Session-Id: %s\r\n"
		 "Last-Event-ID: 99-1\r\n", sid);
	buf_clear(&again);
	fd = tk_raw_send(t.port, "GET", "/mcp", hdrs, NULL);
	assert_true(tk_raw_read_until(fd, &again, "\r\n", 3000));
	assert_non_null(strstr(buf_cstr(&again), " 404 "));
	close(fd);
	buf_dispose(&got);
	buf_dispose(&again);
	tk_stop(&t);
}

/* Opens a POST of tool `slow` and hangs up after 200 ms; checks the call
 * is cancelled within limit_ms and the session has nothing in flight. */
static void disconnect_case(const char *version, long json_wait_ms, long limit_ms,
			    long grace_ms)
{
	mcp_http_options o = tk_options();
	char sid[64], hdrs[256];
	buf got = BUF_INIT(1 << 16);
	tk_server t;
	int fd, before;

	o.resume_grace_ms = grace_ms;
	o.json_wait_ms = json_wait_ms;
	tk_start(&t, &o);
	tk_open_session(&t, version, sid, sizeof(sid));
	before = atomic_load(&tk_cancelled);
	snprintf(hdrs, sizeof(hdrs), "Content-Type: application/json\r\n"
		 "Accept: application/json, text/event-stream\r\nMcp-Session-Id: %s\r\n", sid);
	fd = tk_raw_send(t.port, "POST", "/mcp", hdrs, call_body(5, "slow", "{\"ms\":5000}"));
	tk_raw_read_until(fd, &got, "data:", 200);
	close(fd);
	if (!tk_wait_count(&tk_cancelled, before + 1, limit_ms))
		fail_msg("%s: the call was not cancelled within %ld ms", version, limit_ms);
	buf_dispose(&got);
	tk_stop(&t);
}

static void test_disconnect_cancels(void **state)
{
	(void)state;
	/* Waiting for a JSON answer: cancelled at once. */
	disconnect_case("2025-11-25", 10000, 1500, 30000);
	/* An SSE stream (after 100 ms without an answer) of a client that
	 * cannot resume (no priming event): at once. */
	disconnect_case("2025-06-18", 100, 1500, 30000);
	/* A resumable stream: after the grace period (300 ms here). */
	disconnect_case("2025-11-25", 100, 2500, 300);
}

/* A client cancels its own call (notifications/cancelled in a second
 * POST): the POST that carried the call must end, although by the
 * specification the call gets no response. Waiting for JSON, it ends with
 * 202 and no body; on an SSE stream, the stream closes. */
static void cancel_case(const char *version, long json_wait_ms, const char *expect)
{
	mcp_http_options o = tk_options();
	char sid[64], hdrs[256];
	buf got = BUF_INIT(1 << 16);
	tk_server t;
	tk_resp r;
	int fd, before;

	o.json_wait_ms = json_wait_ms;
	tk_start(&t, &o);
	tk_open_session(&t, version, sid, sizeof(sid));
	before = atomic_load(&tk_cancelled);
	snprintf(hdrs, sizeof(hdrs), "Content-Type: application/json\r\n"
		 "Accept: application/json, text/event-stream\r\nMcp-Session-Id: %s\r\n", sid);
	fd = tk_raw_send(t.port, "POST", "/mcp", hdrs, call_body(7, "slow", "{\"ms\":20000}"));
	tk_sleep_ms(300);
	tk_post(&r, &t, sid, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
		"\"params\":{\"requestId\":7,\"reason\":\"user\"}}", NULL);
	assert_int_equal(r.status, 202);
	tk_resp_dispose(&r);
	if (!tk_wait_count(&tk_cancelled, before + 1, 3000))
		fail_msg("%s: the call was not cancelled", version);
	/* the first POST is answered: its connection ends with the answer */
	if (!tk_raw_read_until(fd, &got, expect, 3000))
		fail_msg("%s: the cancelled POST got no end within 3 s: %.300s", version,
			 got.ptr ? got.ptr : "");
	assert_null(strstr(buf_cstr(&got), "\"id\":7,\"result\""));
	close(fd);
	buf_dispose(&got);
	tk_stop(&t);
}

static void test_cancelled_post_ends(void **state)
{
	(void)state;
	cancel_case("2025-11-25", 30000, "HTTP/1.1 202");
	cancel_case("2025-06-18", 100, "\r\n0\r\n\r\n");  /* SSE: last chunk */
}

/* A NUL character in an argument is valid JSON: the answer names the
 * field and carries the request's id (it used to be a parse error with a
 * null id that named a library flag). */
static void test_nul_in_arguments(void **state)
{
	mcp_http_options o = tk_options();
	char sid[64];
	tk_server t;
	tk_resp r;

	(void)state;
	tk_start(&t, &o);
	tk_open_session(&t, "2025-11-25", sid, sizeof(sid));
	tk_post(&r, &t, sid, "{\"jsonrpc\":\"2.0\",\"id\":31,\"method\":\"tools/call\","
		"\"params\":{\"name\":\"echo\",\"arguments\":{\"who\":\"a\\u0000b\"}}}", NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.ptr, "\"id\":31"));
	assert_non_null(strstr(r.body.ptr, "-32602"));
	assert_non_null(strstr(r.body.ptr, "params.arguments.who"));
	assert_null(strstr(r.body.ptr, "JSON_ALLOW_NUL"));
	tk_resp_dispose(&r);
	tk_stop(&t);
}

/* A client that sent a progressToken hears from a long call over HTTP:
 * progress events with that token on the call's SSE stream, before the
 * answer. */
static void test_progress_heartbeat(void **state)
{
	mcp_http_options o = tk_options();
	char sid[64], hdrs[256];
	buf got = BUF_INIT(1 << 16);
	tk_server t;
	int fd;

	(void)state;
	tk_progress_ms = 150;
	o.json_wait_ms = 50;
	tk_start(&t, &o);
	tk_open_session(&t, "2025-11-25", sid, sizeof(sid));
	snprintf(hdrs, sizeof(hdrs), "Content-Type: application/json\r\n"
		 "Accept: application/json, text/event-stream\r\nMcp-Session-Id: %s\r\n", sid);
	fd = tk_raw_send(t.port, "POST", "/mcp", hdrs,
			 "{\"jsonrpc\":\"2.0\",\"id\":41,\"method\":\"tools/call\",\"params\":"
			 "{\"name\":\"slow\",\"arguments\":{\"ms\":700},\"_meta\":"
			 "{\"progressToken\":\"tok-41\"}}}");
	if (!tk_raw_read_until(fd, &got, "\"id\":41,\"result\"", 5000))
		fail_msg("no answer: %.400s", got.ptr ? got.ptr : "");
	{
		const char *answer = strstr(got.ptr, "\"id\":41,\"result\"");
		const char *first = strstr(got.ptr, "notifications/progress");

		if (!first || first > answer || !strstr(got.ptr, "\"progressToken\":\"tok-41\""))
			fail_msg("no progress before the answer: %.600s", got.ptr);
		assert_non_null(strstr(got.ptr, "still working"));
	}
	close(fd);
	buf_dispose(&got);
	tk_stop(&t);
	tk_progress_ms = 0;
}

typedef struct worker_arg {
	const tk_server *t;
	int n;
	int ok;
} worker_arg;

static void *session_worker(void *p)
{
	worker_arg *a = p;
	char sid[64], who[64], args[128];
	tk_resp r;
	int i;

	tk_open_session(a->t, "2025-11-25", sid, sizeof(sid));
	for (i = 0; i < 10; i++) {
		snprintf(who, sizeof(who), "user%d@contoso.test", a->n);
		snprintf(args, sizeof(args), "{\"who\":\"%s\"}", who);
		tk_post(&r, a->t, sid, call_body(100 + i, "echo", args), NULL);
		if (r.status == 200 && strstr(buf_cstr(&r.body), who))
			a->ok++;
		tk_resp_dispose(&r);
	}
	return NULL;
}

static void test_concurrent_sessions(void **state)
{
	mcp_http_options o = tk_options();
	worker_arg args[8];
	pthread_t th[8];
	tk_server t;
	int i;

	(void)state;
	tk_start(&t, &o);
	for (i = 0; i < 8; i++) {
		args[i].t = &t;
		args[i].n = i;
		args[i].ok = 0;
		assert_int_equal(pthread_create(&th[i], NULL, session_worker, &args[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(args[i].ok, 10); /* each got its own answers */
	}
	assert_int_equal(mcp_http_session_count(t.http), 8);
	tk_stop(&t);
}

static void test_legacy_sse(void **state)
{
	mcp_http_options o = tk_options();
	buf got = BUF_INIT(1 << 16);
	char url[256], sid[64];
	const char *p, *h[] = { TK_JSON, NULL };
	tk_server t;
	tk_resp r;
	int fd, i;

	(void)state;
	tk_start(&t, &o);
	fd = tk_raw_send(t.port, "GET", "/sse", "Accept: text/event-stream\r\n", NULL);
	assert_true(tk_raw_read_until(fd, &got, "\n\n", 3000));
	p = strstr(buf_cstr(&got), "event: endpoint\ndata: /messages?sessionId=");
	assert_non_null(p);
	p += strlen("event: endpoint\ndata: /messages?sessionId=");
	snprintf(sid, sizeof(sid), "%.32s", p);
	assert_int_equal(mcp_http_session_count(t.http), 1);

	snprintf(url, sizeof(url), "%s/messages?sessionId=%s", t.base, sid);
	snprintf(url + strlen(url), 8, "%s", "");
	tk_request(&r, "POST", url, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
		   "\"params\":{\"protocolVersion\":\"2024-11-05\",\"capabilities\":{},"
		   "\"clientInfo\":{\"name\":\"old\",\"version\":\"1\"}}}", h);
	assert_int_equal(r.status, 202);
	tk_resp_dispose(&r);
	assert_true(tk_raw_read_until(fd, &got, "\"protocolVersion\":\"2024-11-05\"", 3000));
	assert_non_null(strstr(buf_cstr(&got), "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1"));
	tk_request(&r, "POST", url, call_body(2, "echo", "{\"who\":\"legacy\"}"), h);
	assert_int_equal(r.status, 202);
	tk_resp_dispose(&r);
	assert_true(tk_raw_read_until(fd, &got, "\\\"legacy\\\"", 3000));

	/* Unknown session, and the Streamable endpoint does not know legacy ids. */
	snprintf(url, sizeof(url), "%s/messages?sessionId=0123456789abcdef0123456789abcdef", t.base);
	tk_request(&r, "POST", url, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", h);
	assert_int_equal(r.status, 404);
	tk_resp_dispose(&r);
	tk_post(&r, &t, sid, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", NULL);
	assert_int_equal(r.status, 404);
	tk_resp_dispose(&r);

	/* Hanging up ends the session. */
	close(fd);
	for (i = 0; i < 100 && mcp_http_session_count(t.http) > 0; i++)
		tk_sleep_ms(20);
	assert_int_equal(mcp_http_session_count(t.http), 0);
	buf_dispose(&got);
	tk_stop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sse_answer),
		cmocka_unit_test(test_standalone_stream),
		cmocka_unit_test(test_resume_with_last_event_id),
		cmocka_unit_test(test_disconnect_cancels),
		cmocka_unit_test(test_cancelled_post_ends),
		cmocka_unit_test(test_nul_in_arguments),
		cmocka_unit_test(test_progress_heartbeat),
		cmocka_unit_test(test_concurrent_sessions),
		cmocka_unit_test(test_legacy_sse),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
