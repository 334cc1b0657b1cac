/* test_http_security.c - DNS-rebinding protection of the HTTP transport:
 * the bind check that decides from the resolved address, not from the
 * spelling of MCP_HOST, whether an API key is required. */
#include "testutil.h"

#include "http_testkit.h"
#include "mcp/http_int.h"

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
		cmocka_unit_test(test_addr_is_loopback),
		cmocka_unit_test(test_bind_needs_key_unless_resolved_loopback),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
