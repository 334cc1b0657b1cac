/* test_http.c - the HTTP transport's gatekeeping, over real sockets with
 * libcurl: every status code the Streamable HTTP endpoint answers, probes,
 * OAuth discovery, DNS-rebinding protection, all API-key forms, the refusal
 * of a non-loopback bind without a key, session limits and expiry, the
 * in-flight limit and rate limiting per API key. */
#include "testutil.h"

#include <pthread.h>

#include "http_testkit.h"
#include "mcp/http_int.h"

static const char tools_list[] = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

static void expect_post(const tk_server *t, const char *sid, const char *body,
			const char *extra, long status)
{
	tk_resp r;

	tk_post(&r, t, sid, body, extra);
	if (r.status != status)
		fail_msg("expected %ld, got %ld: %s", status, r.status, buf_cstr(&r.body));
	tk_resp_dispose(&r);
}

static void test_status_codes(void **state)
{
	mcp_http_options o = tk_options();
	char sid[64], url[256], hdr[256];
	const char *h[4];
	tk_server t;
	tk_resp r;

	(void)state;
	o.max_body = 4096;
	tk_start(&t, &o);
	tk_open_session(&t, "2025-11-25", sid, sizeof(sid));

	/* A plain JSON answer with the session. */
	tk_post(&r, &t, sid, tools_list, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(tk_header(&r, "Content-Type", hdr, sizeof(hdr)), "application/json");
	assert_non_null(strstr(buf_cstr(&r.body), "\"echo\""));
	tk_resp_dispose(&r);

	expect_post(&t, NULL, tools_list, NULL, 400);                        /* no session id */
	expect_post(&t, "0123456789abcdef0123456789abcdef", tools_list, NULL, 404);
	expect_post(&t, "short", tools_list, NULL, 404);
	expect_post(&t, sid, tools_list, "MCP-Protocol-Version: 1999-01-01", 400);
	expect_post(&t, sid, tools_list, "MCP-Protocol-Version: 2025-03-26", 200);
	expect_post(&t, sid, tools_list, "MCP-Protocol-Version: 2025-11-25", 200);
	expect_post(&t, sid, "{not json", NULL, 400);
	expect_post(&t, sid, "[1,2]", NULL, 400);
	/* Batches left MCP in 2025-06-18. */
	expect_post(&t, sid, "[{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}]", NULL, 400);
	/* Notification and response only: 202. */
	expect_post(&t, sid, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/roots/list_changed\"}",
		    NULL, 202);
	/* A second initialize on a session. */
	snprintf(hdr, sizeof(hdr), tk_init_body, "2025-11-25");
	expect_post(&t, sid, hdr, NULL, 400);

	snprintf(url, sizeof(url), "%s/mcp", t.base);
	h[0] = "Content-Type: text/plain"; h[1] = TK_ACCEPT; h[2] = NULL;
	tk_request(&r, "POST", url, tools_list, h);
	assert_int_equal(r.status, 415);
	tk_resp_dispose(&r);
	h[0] = TK_JSON; h[1] = "Accept: application/json"; h[2] = NULL;
	tk_request(&r, "POST", url, tools_list, h);
	assert_int_equal(r.status, 406);
	tk_resp_dispose(&r);
	{
		char big[8192];

		memset(big, ' ', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		big[0] = '{';
		big[sizeof(big) - 2] = '}';
		expect_post(&t, sid, big, NULL, 413);
	}
	/* GET needs text/event-stream; other methods are not allowed. */
	snprintf(hdr, sizeof(hdr), "Mcp-Session-Id: %s", sid);
	h[0] = hdr; h[1] = "Accept: application/json"; h[2] = NULL;
	tk_request(&r, "GET", url, NULL, h);
	assert_int_equal(r.status, 406);
	tk_resp_dispose(&r);
	tk_request(&r, "PUT", url, "{}", h);
	assert_int_equal(r.status, 405);
	assert_string_equal(tk_header(&r, "Allow", url, sizeof(url)), "GET, POST, DELETE");
	tk_resp_dispose(&r);

	/* DELETE ends the session; the id is then unknown. */
	snprintf(url, sizeof(url), "%s/mcp", t.base);
	h[0] = hdr; h[1] = NULL;
	tk_request(&r, "DELETE", url, NULL, h);
	assert_int_equal(r.status, 200);
	tk_resp_dispose(&r);
	expect_post(&t, sid, tools_list, NULL, 404);
	tk_request(&r, "DELETE", url, NULL, h);
	assert_int_equal(r.status, 404);
	tk_resp_dispose(&r);
	assert_int_equal(mcp_http_session_count(t.http), 0);
	tk_stop(&t);
}

static int ready_flag;

static int ready_cb(void *payload, char *why, size_t cap)
{
	(void)payload;
	if (!ready_flag)
		snprintf(why, cap, "Exchange has not answered yet");
	return ready_flag;
}

static void test_probes_and_discovery(void **state)
{
	mcp_http_options o = tk_options();
	char url[256], sid[64];
	tk_server t;
	tk_resp r;
	json_t *j;

	(void)state;
	o.api_key = "secret-key";
	o.ready = ready_cb;
	tk_start(&t, &o);

	/* Public: no key needed. */
	snprintf(url, sizeof(url), "%s/health", t.base);
	tk_request(&r, "GET", url, NULL, NULL);
	assert_int_equal(r.status, 200);
	j = json_loads(buf_cstr(&r.body), 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
	assert_int_equal(json_integer_value(json_object_get(j, "tools")), 3);
	assert_int_equal(json_integer_value(json_object_get(j, "sessions")), 0);
	assert_non_null(json_object_get(j, "version"));
	json_decref(j);
	tk_resp_dispose(&r);
	snprintf(url, sizeof(url), "%s/livez", t.base);
	tk_request(&r, "GET", url, NULL, NULL);
	assert_int_equal(r.status, 200);
	tk_resp_dispose(&r);
	snprintf(url, sizeof(url), "%s/readyz", t.base);
	ready_flag = 0;
	tk_request(&r, "GET", url, NULL, NULL);
	assert_int_equal(r.status, 503);
	assert_non_null(strstr(buf_cstr(&r.body), "Exchange has not answered yet"));
	tk_resp_dispose(&r);
	ready_flag = 1;
	tk_request(&r, "GET", url, NULL, NULL);
	assert_int_equal(r.status, 200);
	tk_resp_dispose(&r);

	/* OAuth discovery answers 404 even without a key, so no OAuth flow starts. */
	snprintf(url, sizeof(url), "%s/.well-known/oauth-authorization-server", t.base);
	tk_request(&r, "GET", url, NULL, NULL);
	assert_int_equal(r.status, 404);
	tk_resp_dispose(&r);
	snprintf(url, sizeof(url), "%s/.well-known/oauth-protected-resource/mcp", t.base);
	tk_request(&r, "GET", url, NULL, NULL);
	assert_int_equal(r.status, 404);
	tk_resp_dispose(&r);
	snprintf(url, sizeof(url), "%s/nothing-here", t.base);
	tk_request(&r, "GET", url, NULL, NULL);
	assert_int_equal(r.status, 404);
	tk_resp_dispose(&r);

	/* Health counts sessions. */
	{
		char body[512];

		snprintf(body, sizeof(body), tk_init_body, "2025-06-18");
		tk_post(&r, &t, NULL, body, "X-API-Key: secret-key");
		assert_int_equal(r.status, 200);
		tk_header(&r, "Mcp-Session-Id", sid, sizeof(sid));
		tk_resp_dispose(&r);
	}
	snprintf(url, sizeof(url), "%s/health", t.base);
	tk_request(&r, "GET", url, NULL, NULL);
	assert_non_null(strstr(buf_cstr(&r.body), "\"sessions\":1"));
	tk_resp_dispose(&r);
	tk_stop(&t);
}

/* The constant-time comparison itself: equal only for equal strings. */
static void secret_cases(void)
{
	static const struct { const char *a, *b; int eq; } cases[] = {
		{ "key", "key", 1 }, { "key", "kez", 0 }, { "key", "ke", 0 },
		{ "ke", "key", 0 }, { "", "", 1 }, { "", "k", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(http_secret_equal(cases[i].a, strlen(cases[i].a), cases[i].b,
						   strlen(cases[i].b)), cases[i].eq);
}

static void test_api_key_forms(void **state)
{
	mcp_http_options o = tk_options();
	mcp_http *h = NULL;
	errinfo err = ERRINFO_INIT;
	char url[256], body[512], wa[128];
	tk_server t;
	tk_resp r;

	(void)state;
	o.api_key = "key-one, key-two";
	tk_start(&t, &o);
	/* No key on a non-loopback bind: refused before binding. */
	{
		mcp_http_options bad = tk_options();

		bad.host = "0.0.0.0";
		assert_int_equal(mcp_http_start(&h, t.server, &bad, &err), ERR_CONFIG);
		assert_null(h);
		assert_non_null(strstr(err.msg, "MCP_API_KEY"));
	}
	snprintf(body, sizeof(body), tk_init_body, "2025-11-25");
	tk_post(&r, &t, NULL, body, NULL);
	assert_int_equal(r.status, 401);
	assert_string_equal(tk_header(&r, "WWW-Authenticate", wa, sizeof(wa)),
			    "Bearer realm=\"ews-mcp\"");
	tk_resp_dispose(&r);
	expect_post(&t, NULL, body, "Authorization: Bearer key-on", 401);
	expect_post(&t, NULL, body, "Authorization: Bearer key-one-and-more", 401);
	expect_post(&t, NULL, body, "X-API-Key: wrong", 401);
	expect_post(&t, NULL, body, "Authorization: Bearer key-one", 200);
	expect_post(&t, NULL, body, "Authorization: bearer key-two", 200);
	expect_post(&t, NULL, body, "X-API-Key: key-two", 200);
	{
		const char *h2[] = { TK_JSON, TK_ACCEPT, NULL };

		snprintf(url, sizeof(url), "%s/mcp?api_key=key-one", t.base);
		tk_request(&r, "POST", url, body, h2);
		assert_int_equal(r.status, 200);
		tk_resp_dispose(&r);
		snprintf(url, sizeof(url), "%s/mcp?api_key=nope", t.base);
		tk_request(&r, "POST", url, body, h2);
		assert_int_equal(r.status, 401);
		tk_resp_dispose(&r);
	}
	secret_cases();
	tk_stop(&t);
}

static void test_dns_rebinding(void **state)
{
	mcp_http_options o = tk_options();
	char body[512], host[128];
	tk_server t;

	(void)state;
	o.allowed_origins = "https://app.example.com";
	tk_start(&t, &o);
	snprintf(body, sizeof(body), tk_init_body, "2025-11-25");
	expect_post(&t, NULL, body, "Host: evil.example.com", 403);
	expect_post(&t, NULL, body, "Origin: http://evil.example.com", 403);
	expect_post(&t, NULL, body, "Origin: null", 403);
	expect_post(&t, NULL, body, "Origin: http://localhost:3000", 200);
	expect_post(&t, NULL, body, "Origin: http://127.0.0.1:1234", 200);
	expect_post(&t, NULL, body, "Origin: https://app.example.com", 200);
	expect_post(&t, NULL, body, "Host: app.example.com", 200);
	snprintf(host, sizeof(host), "Host: localhost:%d", t.port);
	expect_post(&t, NULL, body, host, 200);
	snprintf(host, sizeof(host), "Host: [::1]:%d", t.port);
	expect_post(&t, NULL, body, host, 200);
	tk_stop(&t);
}

static void test_session_limits_and_expiry(void **state)
{
	mcp_http_options o = tk_options();
	char sid[64], body[512], ra[32];
	tk_server t;
	tk_resp r;
	int i;

	(void)state;
	o.max_sessions_per_client = 3;
	o.session_idle_s = 1;
	tk_start(&t, &o);
	snprintf(body, sizeof(body), tk_init_body, "2025-11-25");
	for (i = 0; i < 3; i++)
		expect_post(&t, NULL, body, NULL, 200);
	tk_post(&r, &t, NULL, body, NULL);
	assert_int_equal(r.status, 429);
	assert_true(atoi(tk_header(&r, "Retry-After", ra, sizeof(ra))) > 0);
	tk_resp_dispose(&r);

	/* Idle sessions expire (1 s here) and then answer 404. */
	tk_sleep_ms(2300);
	assert_int_equal(mcp_http_session_count(t.http), 0);
	tk_open_session(&t, "2025-11-25", sid, sizeof(sid));
	expect_post(&t, sid, tools_list, NULL, 200);
	tk_sleep_ms(2300);
	expect_post(&t, sid, tools_list, NULL, 404);
	tk_stop(&t);

	/* The total: 503 once the server has its maximum. */
	o = tk_options();
	o.max_sessions = 2;
	tk_start(&t, &o);
	expect_post(&t, NULL, body, NULL, 200);
	expect_post(&t, NULL, body, NULL, 200);
	tk_post(&r, &t, NULL, body, NULL);
	assert_int_equal(r.status, 503);
	assert_true(atoi(tk_header(&r, "Retry-After", ra, sizeof(ra))) > 0);
	tk_resp_dispose(&r);
	tk_stop(&t);
}

typedef struct bg_call {
	const tk_server *t;
	const char *sid;
	const char *body;
	long status;
} bg_call;

static void *bg_post(void *arg)
{
	bg_call *b = arg;
	tk_resp r;

	tk_post(&r, b->t, b->sid, b->body, NULL);
	b->status = r.status;
	tk_resp_dispose(&r);
	return NULL;
}

static void test_inflight_and_rate_limits(void **state)
{
	mcp_http_options o = tk_options();
	char sid[64], sid2[64], body[512], ra[32];
	const char *call = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":"
			   "{\"name\":\"echo\",\"arguments\":{\"who\":\"x\"}}}";
	bg_call b;
	pthread_t th;
	tk_server t;
	tk_resp r;
	int i, started;

	(void)state;
	/* One call at a time per session: while the slow call runs (it runs
	 * until released, so no timing is assumed) a second one is refused;
	 * once the slow call's answer has arrived, the next call is admitted
	 * at once. */
	o.max_inflight = 1;
	tk_start(&t, &o);
	tk_open_session(&t, "2025-11-25", sid, sizeof(sid));
	b.t = &t;
	b.sid = sid;
	b.body = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":"
		 "{\"name\":\"slow\",\"arguments\":{\"ms\":60000}}}";
	atomic_store(&tk_release, 0);
	started = atomic_load(&tk_started);
	assert_int_equal(pthread_create(&th, NULL, bg_post, &b), 0);
	if (!tk_wait_count(&tk_started, started + 1, 30000))
		fail_msg("the slow call did not start within 30 s");
	tk_post(&r, &t, sid, call, NULL);
	assert_int_equal(r.status, 429);
	assert_string_equal(tk_header(&r, "Retry-After", ra, sizeof(ra)), "1");
	tk_resp_dispose(&r);
	atomic_store(&tk_release, 1);
	pthread_join(th, NULL);
	atomic_store(&tk_release, 0);
	assert_int_equal(b.status, 200);
	expect_post(&t, sid, call, NULL, 200);
	tk_stop(&t);

	/* 3 tool calls a minute per key: the 4th is refused, another key is not. */
	o = tk_options();
	o.api_key = "alpha,beta";
	o.rate_limit_enabled = 1;
	o.rate_limit_per_minute = 3;
	tk_start(&t, &o);
	snprintf(body, sizeof(body), tk_init_body, "2025-11-25");
	tk_post(&r, &t, NULL, body, "X-API-Key: alpha");
	tk_header(&r, "Mcp-Session-Id", sid, sizeof(sid));
	tk_resp_dispose(&r);
	tk_post(&r, &t, NULL, body, "X-API-Key: beta");
	tk_header(&r, "Mcp-Session-Id", sid2, sizeof(sid2));
	tk_resp_dispose(&r);
	for (i = 0; i < 3; i++)
		expect_post(&t, sid, call, "X-API-Key: alpha", 200);
	tk_post(&r, &t, sid, call, "X-API-Key: alpha");
	assert_int_equal(r.status, 429);
	assert_true(atoi(tk_header(&r, "Retry-After", ra, sizeof(ra))) >= 1);
	assert_non_null(strstr(buf_cstr(&r.body), "Rate limit exceeded"));
	tk_resp_dispose(&r);
	/* Pings are not tool calls; the other key has its own budget. */
	expect_post(&t, sid, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}",
		    "X-API-Key: alpha", 200);
	expect_post(&t, sid2, call, "X-API-Key: beta", 200);
	tk_stop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_codes),
		cmocka_unit_test(test_probes_and_discovery),
		cmocka_unit_test(test_api_key_forms),
		cmocka_unit_test(test_dns_rebinding),
		cmocka_unit_test(test_session_limits_and_expiry),
		cmocka_unit_test(test_inflight_and_rate_limits),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
