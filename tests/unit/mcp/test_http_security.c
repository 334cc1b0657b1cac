/* test_http_security.c - DNS-rebinding protection of the HTTP transport:
 * which Host and Origin values name this (loopback) server, the rebinding
 * request of issue 10 (a page served under 127.0.0.1.evil.example) through
 * the real server, and the bind check that decides from the resolved
 * address, not from the spelling of MCP_HOST, whether an API key is
 * required. */
#include "testutil.h"

#include "http_testkit.h"
#include "mcp/http_int.h"

static const struct {
	const char *host;
	int loopback;
} host_cases[] = {
	{ "127.0.0.1", 1 },
	{ "127.0.0.1:8000", 1 },
	{ "127.5.6.7", 1 },
	{ "127.255.255.254:65535", 1 },
	{ "localhost", 1 },
	{ "LOCALHOST:1", 1 },
	{ "localhost.", 1 },
	{ "localhost.:8000", 1 },
	{ "[::1]:9", 1 },
	{ "[::1]", 1 },
	{ "[0:0:0:0:0:0:0:1]:80", 1 },
	{ "[::ffff:127.0.0.1]:80", 1 },
	{ "127.0.0.1.evil.example", 0 },
	{ "127.0.0.1.evil.example:80", 0 },
	{ "127.evil", 0 },
	{ "127.1", 0 },
	{ "127.0.0.1.", 0 },
	{ "127.0.0.01", 0 },
	{ "127.0.0.1:99999", 0 },
	{ "127.0.0.1:0", 0 },
	{ "127.0.0.1:", 0 },
	{ "127.0.0.1:80x", 0 },
	{ "127.0.0.1:+80", 0 },
	{ "127.0.0.1:80:80", 0 },
	{ "127.0.0.1:80@evil.example", 0 },
	{ "127.0.0.1@evil.example", 0 },
	{ "127.0.0.1/evil", 0 },
	{ "localhost.evil.example", 0 },
	{ "localhostx", 0 },
	{ "localhost..", 0 },
	{ "0x7f.0.0.1", 0 },
	{ "2130706433", 0 },
	{ "[::2]", 0 },
	{ "[::1", 0 },
	{ "[::1]x", 0 },
	{ "[::1]:99999", 0 },
	{ "[::ffff:10.0.0.1]", 0 },
	{ "::1", 0 },
	{ "[localhost]", 0 },
	{ "", 0 },
	{ ":8000", 0 },
	{ "attacker.example", 0 },
	{ "10.0.0.1", 0 },
	{ "0.0.0.0", 0 },
};

static void test_host_is_loopback(void **state)
{
	size_t i, wrong = 0;

	(void)state;
	assert_false(http_host_is_loopback(NULL));
	for (i = 0; i < sizeof(host_cases) / sizeof(host_cases[0]); i++)
		if (http_host_is_loopback(host_cases[i].host) != host_cases[i].loopback) {
			print_error("http_host_is_loopback(\"%s\") should be %d\n",
				    host_cases[i].host, host_cases[i].loopback);
			wrong++;
		}
	assert_int_equal(wrong, 0);
}

/* The bind decision looks at every resolved address; this is its test. */
static void test_addr_is_loopback(void **state)
{
	static const struct {
		const char *addr;
		int loopback;
	} cases[] = {
		{ "127.0.0.1", 1 }, { "127.255.0.9", 1 }, { "127.0.0.0", 1 },
		{ "126.255.255.255", 0 }, { "128.0.0.1", 0 }, { "10.0.0.1", 0 },
		{ "0.0.0.0", 0 }, { "192.0.2.2", 0 }, { "::1", 1 },
		{ "::ffff:127.0.0.1", 1 }, { "::ffff:127.9.8.7", 1 }, { "::ffff:10.0.0.1", 0 },
		{ "::", 0 }, { "::2", 0 }, { "::127.0.0.1", 0 }, { "fe80::1", 0 },
		{ "1::1", 0 },
	};
	struct sockaddr_storage ss;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&ss, 0, sizeof(ss));
		if (strchr(cases[i].addr, ':')) {
			struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

			in6->sin6_family = AF_INET6;
			assert_int_equal(inet_pton(AF_INET6, cases[i].addr, &in6->sin6_addr), 1);
		} else {
			struct sockaddr_in *in = (struct sockaddr_in *)&ss;

			in->sin_family = AF_INET;
			assert_int_equal(inet_pton(AF_INET, cases[i].addr, &in->sin_addr), 1);
		}
		if (http_addr_is_loopback((struct sockaddr *)&ss) != cases[i].loopback)
			fail_msg("http_addr_is_loopback(%s) should be %d", cases[i].addr,
				 cases[i].loopback);
	}
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_UNIX;
	assert_false(http_addr_is_loopback((struct sockaddr *)&ss));
	assert_false(http_addr_is_loopback(NULL));
}

/* POSTs initialize with one extra header line; the status. */
static long init_status(const tk_server *t, const char *header)
{
	char body[512];
	tk_resp r;
	long status;

	snprintf(body, sizeof(body), tk_init_body, "2025-11-25");
	tk_post(&r, t, NULL, body, header);
	status = r.status;
	tk_resp_dispose(&r);
	return status;
}

/* Every Host and Origin of the table through the real server on a loopback
 * bind without an API key: loopback names are served, the rest refused. */
static void test_host_and_origin_verdicts(void **state)
{
	static const struct {
		const char *origin;
		int ok;
	} origins[] = {
		{ "http://127.0.0.1", 1 },
		{ "http://127.0.0.1:8000", 1 },
		{ "https://127.5.6.7", 1 },
		{ "http://localhost", 1 },
		{ "HTTP://LOCALHOST:1", 1 },
		{ "http://localhost.:3000", 1 },
		{ "http://[::1]:9", 1 },
		{ "http://[::1]", 1 },
		{ "http://127.0.0.1.evil.example", 0 },
		{ "http://127.0.0.1.evil.example:80", 0 },
		{ "http://127.1", 0 },
		{ "http://127.0.0.1:99999", 0 },
		{ "http://localhost.evil.example", 0 },
		{ "http://0x7f.0.0.1", 0 },
		{ "http://[::2]", 0 },
		{ "http://attacker.example", 0 },
		{ "http://127.0.0.1:80@evil.example", 0 },
		{ "http://127.0.0.1@evil.example", 0 },
		{ "http://127.0.0.1/evil", 0 },
		{ "http://127.0.0.1:", 0 },
		{ "http://", 0 },
		{ "ftp://127.0.0.1", 0 },
		{ "127.0.0.1", 0 },
		{ "null", 0 },
	};
	mcp_http_options o = tk_options();
	char line[300];
	tk_server t;
	size_t i, wrong = 0;

	(void)state;
	o.max_sessions_per_client = 200;
	tk_start(&t, &o);
	for (i = 0; i < sizeof(host_cases) / sizeof(host_cases[0]); i++) {
		long want = host_cases[i].loopback ? 200 : 403, got;

		/* curl drops a header given as "Name:" but sends "Name;" empty. */
		if (host_cases[i].host[0])
			snprintf(line, sizeof(line), "Host: %s", host_cases[i].host);
		else
			snprintf(line, sizeof(line), "Host;");
		got = init_status(&t, line);
		if (got != want) {
			print_error("Host '%s': expected %ld, got %ld\n", host_cases[i].host, want,
				    got);
			wrong++;
		}
	}
	for (i = 0; i < sizeof(origins) / sizeof(origins[0]); i++) {
		long want = origins[i].ok ? 200 : 403, got;

		snprintf(line, sizeof(line), "Origin: %s", origins[i].origin);
		got = init_status(&t, line);
		if (got != want) {
			print_error("Origin '%s': expected %ld, got %ld\n", origins[i].origin, want,
				    got);
			wrong++;
		}
	}
	assert_int_equal(wrong, 0);
	assert_int_equal(init_status(&t, "Origin;"), 403);
	tk_stop(&t);
}

/* Issue 10: a page under 127.0.0.1.evil.example, re-pointed at 127.0.0.1,
 * sends its own name in Host and Origin. Neither initialize nor a call on
 * a session it somehow learnt may go through. */
static void test_rebinding_request_refused(void **state)
{
	static const char evil_host[] = "Host: 127.0.0.1.evil.example";
	static const char evil_origin[] = "Origin: http://127.0.0.1.evil.example";
	const char *call = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":"
			   "{\"name\":\"echo\",\"arguments\":{\"who\":\"page\"}}}";
	mcp_http_options o = tk_options();
	char url[256], body[512], sid[64], sh[128];
	const char *h[6];
	tk_server t;
	tk_resp r;

	(void)state;
	tk_start(&t, &o);
	snprintf(url, sizeof(url), "%s/mcp", t.base);
	snprintf(body, sizeof(body), tk_init_body, "2025-11-25");
	h[0] = TK_JSON; h[1] = TK_ACCEPT; h[2] = evil_host; h[3] = evil_origin; h[4] = NULL;
	tk_request(&r, "POST", url, body, h);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(buf_cstr(&r.body), "DNS rebinding"));
	assert_null(strstr(buf_cstr(&r.headers), "Mcp-Session-Id"));
	tk_resp_dispose(&r);
	assert_int_equal(mcp_http_session_count(t.http), 0);

	/* Each header on its own is enough to refuse. */
	assert_int_equal(init_status(&t, evil_host), 403);
	assert_int_equal(init_status(&t, evil_origin), 403);

	/* A session opened by a real client is not reachable from the page. */
	tk_open_session(&t, "2025-11-25", sid, sizeof(sid));
	snprintf(sh, sizeof(sh), "Mcp-Session-Id: %s", sid);
	h[0] = TK_JSON; h[1] = TK_ACCEPT; h[2] = evil_host; h[3] = evil_origin; h[4] = sh;
	h[5] = NULL;
	tk_request(&r, "POST", url, call, h);
	assert_int_equal(r.status, 403);
	assert_null(strstr(buf_cstr(&r.body), "\"page\""));
	tk_resp_dispose(&r);
	/* The legacy transport is guarded the same way. */
	snprintf(url, sizeof(url), "%s/sse", t.base);
	h[0] = "Accept: text/event-stream"; h[1] = evil_host; h[2] = evil_origin; h[3] = NULL;
	tk_request(&r, "GET", url, NULL, h);
	assert_int_equal(r.status, 403);
	tk_resp_dispose(&r);
	tk_stop(&t);
}

/* MCP_HOST spelt like a loopback address but naming something else (or
 * nothing) is not a loopback bind: without an API key it is refused. */
static void test_bind_needs_key_unless_resolved_loopback(void **state)
{
	static const char *const not_loopback[] = {
		"127.0.0.1.evil.example", "127.evil", "0.0.0.0", "::", "192.0.2.2",
	};
	mcp_http_options o;
	mcp_http *h;
	errinfo err;
	tk_server t;
	size_t i;

	(void)state;
	o = tk_options();
	tk_start(&t, &o);
	mcp_http_stop(t.http);
	t.http = NULL;
	for (i = 0; i < sizeof(not_loopback) / sizeof(not_loopback[0]); i++) {
		o = tk_options();
		o.host = not_loopback[i];
		h = NULL;
		err = (errinfo)ERRINFO_INIT;
		if (mcp_http_start(&h, t.server, &o, &err) != ERR_CONFIG || h ||
		    !strstr(err.msg, "MCP_API_KEY"))
			fail_msg("MCP_HOST=%s without a key: expected ERR_CONFIG naming "
				 "MCP_API_KEY, got '%s'", not_loopback[i], err.msg);
		mcp_http_stop(h);
	}
	/* Names and numeric forms that do resolve to loopback need no key. */
	{
		static const char *const loopback[] = { "localhost", "127.0.0.1", "127.1", "::1" };

		for (i = 0; i < sizeof(loopback) / sizeof(loopback[0]); i++) {
			o = tk_options();
			o.host = loopback[i];
			h = NULL;
			err = (errinfo)ERRINFO_INIT;
			/* ::1 may be missing on a host without IPv6: only a key
			 * complaint would be wrong. */
			if (mcp_http_start(&h, t.server, &o, &err) != 0 &&
			    strstr(err.msg, "MCP_API_KEY"))
				fail_msg("MCP_HOST=%s: loopback, yet '%s'", loopback[i], err.msg);
			mcp_http_stop(h);
		}
	}
	/* With a key, a non-loopback name still fails, on resolution. */
	o = tk_options();
	o.host = "127.0.0.1.evil.example";
	o.api_key = "k";
	h = NULL;
	err = (errinfo)ERRINFO_INIT;
	assert_int_equal(mcp_http_start(&h, t.server, &o, &err), ERR_CONFIG);
	assert_non_null(strstr(err.msg, "MCP_HOST"));
	tk_stop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_is_loopback),
		cmocka_unit_test(test_addr_is_loopback),
		cmocka_unit_test(test_host_and_origin_verdicts),
		cmocka_unit_test(test_rebinding_request_refused),
		cmocka_unit_test(test_bind_needs_key_unless_resolved_loopback),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
