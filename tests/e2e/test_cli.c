/* test_cli.c - the ews-mcp commands besides serve, as an admin runs them
 * against ews-sim: check (success, wrong password, refused mailbox), call
 * (exit status follows the tool), tools, --version and --help. */
#include "testutil.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define SVC "service-account@domain.com"

static ews_sim *sim;

static int setup(void **state)
{
	(void)state;
	sim = e2e_sim_start("tests/e2e/seed-org.json");
	return sim ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ews_sim_stop(sim);
	return 0;
}

static void expect_run(int want_status, const char *needle, const char *const *extra,
		       const char *const *args)
{
	char *out = NULL;
	int status = e2e_run(&out, sim, SVC, extra, args);

	if (status != want_status || (needle && !strstr(out, needle)))
		fail_msg("%s: exit %d (want %d), output:\n%s", args[0], status, want_status, out);
	free(out);
}

static void test_check(void **state)
{
	static const char *const ok_args[] = { "check", "--mailbox", "user@domain.com", NULL };
	static const char *const out_args[] = { "check", "--mailbox", "outsider@domain.com", NULL };
	static const char *const plain[] = { "check", NULL };
	static const char *const wrong_pw[] = { "EWS_PASSWORD=not-the-password", NULL };
	static const char *const delegate[] = { "EWS_IMPERSONATION_TYPE=delegate", NULL };
	static const char *const off[] = { "EWS_IMPERSONATION_ENABLED=false", NULL };

	(void)state;
	expect_run(0, "all checks passed", NULL, ok_args);
	expect_run(0, "Inbox of user@domain.com readable (impersonation", NULL, ok_args);
	expect_run(1, "ApplicationImpersonation", NULL, out_args);
	expect_run(1, "EWS_USERNAME and EWS_PASSWORD", wrong_pw, plain);
	expect_run(1, "Delegate Access", delegate, out_args);
	expect_run(1, "EWS_IMPERSONATION_ENABLED=true", off, ok_args);
}

/* How many /tmp/ews-mcp-demo-* folders there are. */
static int demo_folders(void)
{
	DIR *d = opendir("/tmp");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strncmp(e->d_name, "ews-mcp-demo-", 13) == 0;
	if (d)
		closedir(d);
	return n;
}

/* The walkthrough reaches Carol by delegate access from the same client
 * (EWS_IMPERSONATION_TYPE=auto), says why Dave cannot be reached, and
 * leaves no working folder behind. */
static void test_demo_walkthrough(void **state)
{
	static const char *const args[] = { "demo", "--walkthrough", NULL };
	int before = demo_folders();

	(void)state;
	expect_run(0, "Retrieved 3 events  [mailbox: carol@contoso.test]", NULL, args);
	expect_run(0, "impersonation was refused too", NULL, args);
	assert_int_equal(demo_folders(), before);
}

static void test_call(void **state)
{
	static const char *const good[] = { "call", "read_emails",
		"{\"target_mailbox\": \"user@domain.com\", \"max_results\": 1}", NULL };
	static const char *const bad_args[] = { "call", "read_emails", "{\"max_results\": 0}", NULL };
	static const char *const not_json[] = { "call", "read_emails", "{oops", NULL };
	static const char *const unknown[] = { "call", "no_such_tool", "{}", NULL };

	(void)state;
	expect_run(0, "\"mailbox\": \"user@domain.com\"", NULL, good);
	expect_run(1, "max_results", NULL, bad_args);
	expect_run(1, NULL, NULL, not_json);
	expect_run(1, NULL, NULL, unknown);
}

static void test_tools_version_help(void **state)
{
	static const char *const tools[] = { "tools", NULL };
	static const char *const version[] = { "--version", NULL };
	static const char *const help[] = { "--help", NULL };
	static const char *const bogus[] = { "--bogus", NULL };
	static const char *const http_host[] = { "--http", "127.0.0.2", "config", NULL };
	static const char *const http_both[] = { "--http", "[::1]:9001", "config", NULL };
	static const char *const http_bare[] = { "--http", "config", NULL };
	char *out = NULL;
	json_t *list;

	(void)state;
	assert_int_equal(e2e_run(&out, sim, SVC, NULL, tools), 0);
	list = json_loads(out, 0, NULL);
	assert_int_equal(json_array_size(list), 15);
	json_decref(list);
	free(out);
	expect_run(0, "ews-mcp ", NULL, version);
	expect_run(0, "impersonation or delegate access", NULL, help);
	expect_run(2, NULL, NULL, bogus);
	/* --http takes an optional HOST[:PORT]; a command after it is a command */
	expect_run(0, "MCP_HOST=127.0.0.2  # flag", NULL, http_host);
	expect_run(0, "MCP_PORT=9001  # flag", NULL, http_both);
	expect_run(0, "MCP_TRANSPORT=http  # flag", NULL, http_bare);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_call),
		cmocka_unit_test(test_demo_walkthrough),
		cmocka_unit_test(test_tools_version_help),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
