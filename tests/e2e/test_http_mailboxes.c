/* test_http_mailboxes.c - ews-mcp serving Streamable HTTP against ews-sim:
 * several client sessions at once, each acting on a different target
 * mailbox, each getting only its own mailbox's answers; then a clean exit
 * on SIGTERM. */
#include "testutil.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define SVC "service-account@domain.com"
#define CALLS 8

static ews_sim *sim;
static char url[256];

typedef struct body {
	char *data;
	size_t len;
} body;

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
	body *b = ud;
	char *grown = realloc(b->data, b->len + size * n + 1);

	if (!grown)
		return 0;
	b->data = grown;
	memcpy(b->data + b->len, p, size * n);
	b->len += size * n;
	b->data[b->len] = '\0';
	return size * n;
}

static char session_id[8][128];

static size_t header_cb(char *p, size_t size, size_t n, void *ud)
{
	char *sid = ud;
	size_t len = size * n;

	if (len > 15 && strncasecmp(p, "mcp-session-id:", 15) == 0) {
		const char *v = p + 15;
		size_t k;

		while (*v == ' ')
			v++;
		k = strcspn(v, "\r\n");
		snprintf(sid, 128, "%.*s", (int)k, v);
	}
	return len;
}

/* POSTs one JSON-RPC message; returns the JSON of the answer (from a JSON
 * body or the last data: line of an event stream), NULL on failure. */
static json_t *post(const char *sid, char *sid_out, const char *msg)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	body b = { NULL, 0 };
	char line[256];
	json_t *answer = NULL;
	long status = 0;

	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Accept: application/json, text/event-stream");
	if (sid) {
		snprintf(line, sizeof(line), "Mcp-Session-Id: %s", sid);
		h = curl_slist_append(h, line);
		h = curl_slist_append(h, "MCP-Protocol-Version: 2025-11-25");
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, msg);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	if (sid_out) {
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, sid_out);
	}
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (status == 200 && b.data) {
		char *data = strstr(b.data, "data:");

		if (data) { /* event stream: the answer is the last data line */
			char *last = data;

			while ((data = strstr(data + 5, "data:")))
				last = data;
			answer = json_loadb(last + 5, strcspn(last + 5, "\r\n"), 0, NULL);
		} else {
			answer = json_loads(b.data, 0, NULL);
		}
	} else if (status == 202) {
		answer = json_object();
	}
	free(b.data);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return answer;
}

typedef struct worker {
	int index;
	const char *target;
	const char *expect_subject;  /* a message only this mailbox has */
	int ok;
} worker;

static void *run_worker(void *p)
{
	worker *w = p;
	char *sid = session_id[w->index], msg[512];
	json_t *r;
	int i;

	r = post(NULL, sid, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
		 "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
		 "\"clientInfo\":{\"name\":\"e2e\",\"version\":\"1\"}}}");
	if (!r || !sid[0])
		return NULL;
	json_decref(r);
	json_decref(post(sid, NULL, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"));
	for (i = 0; i < CALLS; i++) {
		const json_t *sc;
		char *text;

		snprintf(msg, sizeof(msg), "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\","
			 "\"params\":{\"name\":\"read_emails\",\"arguments\":{\"target_mailbox\":\"%s\"}}}",
			 i + 2, w->target);
		r = post(sid, NULL, msg);
		sc = json_object_get(json_object_get(r, "result"), "structuredContent");
		text = json_dumps(sc, JSON_COMPACT);
		if (json_integer_value(json_object_get(r, "id")) != i + 2 ||
		    strcmp(json_string_value(json_object_get(sc, "mailbox")), w->target) != 0 ||
		    !text || !strstr(text, w->expect_subject)) {
			fprintf(stderr, "%s: unexpected answer: %s\n", w->target, text ? text : "(none)");
			free(text);
			json_decref(r);
			return NULL;
		}
		free(text);
		json_decref(r);
	}
	w->ok = 1;
	return NULL;
}

static void test_sessions_on_different_mailboxes(void **state)
{
	static const char *const http[] = { "MCP_TRANSPORT=http", "MCP_PORT=0", NULL };
	worker w[3] = {
		{ 0, "user@domain.com", "Quarterly review", 0 },
		{ 1, "user1@domain.com", "Welcome user1", 0 },
		{ 2, "user2@domain.com", "Welcome user2", 0 },
	};
	pthread_t t[3];
	pid_t pid;
	int status, i;

	(void)state;
	/* give user1 and user2 a message of their own to tell them apart */
	for (i = 1; i <= 2; i++) {
		e2e_server s;
		char args[256];
		json_t *r;

		assert_int_equal(e2e_server_start(&s, sim, SVC, NULL), 0);
		snprintf(args, sizeof(args), "{\"to\":[\"%s\"],\"subject\":\"%s\",\"body\":\"x\"}",
			 w[i].target, w[i].expect_subject);
		r = e2e_call(&s, "send_email", args);
		assert_false(e2e_is_error(r));
		json_decref(r);
		assert_int_equal(e2e_server_stop(&s), 0);
	}

	pid = e2e_spawn_url(url, sizeof(url), sim, SVC, http);
	assert_true(pid > 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&t[i], NULL, run_worker, &w[i]), 0);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 3; i++)
		assert_true(w[i].ok);

	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static int setup(void **state)
{
	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	sim = e2e_sim_start("tests/e2e/seed-org.json");
	return sim ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ews_sim_stop(sim);
	curl_global_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sessions_on_different_mailboxes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
