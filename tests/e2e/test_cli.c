/* test_cli.c - the ews-mcp commands besides serve, as an admin runs them
 * against ews-sim: check (success, wrong password, refused mailbox), call
 * (exit status follows the tool), tools, --version and --help. */
#include "testutil.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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

/* A web server that answers every request with a page, as IIS's start
 * page or a portal would: the first at most `left` connections. */
typedef struct web_page {
	int fd, port, left;
	pthread_t t;
} web_page;

static void *serve_page(void *arg)
{
	static const char answer[] =
		"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 73\r\n"
		"Connection: close\r\n\r\n"
		"<html><head><title>IIS Windows Server</title></head><body>hi</body></html>";
	web_page *w = arg;

	while (w->left-- > 0) {
		char req[8192];
		int c = accept(w->fd, NULL, NULL);

		if (c < 0)
			break;
		if (recv(c, req, sizeof(req), 0) >= 0 &&
		    send(c, answer, sizeof(answer) - 1, MSG_NOSIGNAL) < 0)
			fprintf(stderr, "web page: send failed\n");
		close(c);
	}
	return NULL;
}

static void web_page_start(web_page *w, int connections)
{
	struct sockaddr_in a = { 0 };
	socklen_t len = sizeof(a);

	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	w->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(bind(w->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(w->fd, 8), 0);
	getsockname(w->fd, (struct sockaddr *)&a, &len);
	w->port = ntohs(a.sin_port);
	w->left = connections;
	assert_int_equal(pthread_create(&w->t, NULL, serve_page, w), 0);
}

/* check says "ok" only for what it verified, and names what is wrong with
 * the endpoint: nothing listening, a web page, TLS against plain HTTP. */
static void test_check_names_the_endpoint_problem(void **state)
{
	static const char *const plain[] = { "check", NULL };
	char closed[128], page[128], tls[160];
	const char *closed_set[] = { closed, NULL }, *page_set[] = { page, NULL },
		   *tls_set[] = { tls, NULL };
	const char *sim_url = ews_sim_url(sim);
	web_page w;
	char *out = NULL;

	(void)state;
	web_page_start(&w, 1);
	snprintf(closed, sizeof(closed), "EWS_SERVER_URL=http://127.0.0.1:1/EWS/Exchange.asmx");
	snprintf(page, sizeof(page), "EWS_SERVER_URL=http://127.0.0.1:%d/EWS/Exchange.asmx",
		 w.port);
	snprintf(tls, sizeof(tls), "EWS_SERVER_URL=https://%s/EWS/Exchange.asmx",
		 sim_url + strlen("http://"));

	expect_run(0, "ok    endpoint answers EWS", NULL, plain);
	expect_run(1, "nothing listens at 127.0.0.1:1", closed_set, plain);
	expect_run(1, "serves a web page (HTTP 200: \"IIS Windows Server\") and is not an "
		   "EWS endpoint", page_set, plain);
	expect_run(1, "does not speak TLS", tls_set, plain);
	/* no "ok endpoint" before the endpoint answered, no CA advice */
	assert_int_equal(e2e_run(&out, sim, SVC, closed_set, plain), 1);
	assert_null(strstr(out, "ok    endpoint"));
	assert_null(strstr(out, "EWS_CA_BUNDLE"));
	free(out);
	pthread_join(w.t, NULL);
	close(w.fd);
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
		cmocka_unit_test(test_check_names_the_endpoint_problem),
		cmocka_unit_test(test_demo_walkthrough),
		cmocka_unit_test(test_tools_version_help),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
