/* test_sim_stats.c - GET /sim/stats counts what Exchange really saw.
 *
 * Tests of write safety assert on these counters, so the counters must
 * see every HTTP request, not only the ones that got past authentication:
 * an NTLM handshake leg, a wrong password, an expired bearer token and a
 * dropped connection are each counted, with their status. Writes are
 * counted twice over: executed (the mailbox changed) and answered (the
 * answer left whole), by operation and by mailbox, so a test can tell a
 * write that happened and lost its answer from one that never happened. */
#include "simtest.h"

#include <jansson.h>

#define SEND_TO_BOB(subject) \
	"<m:CreateItem MessageDisposition=\"SendAndSaveCopy\"><m:Items><t:Message>" \
	"<t:Subject>" subject "</t:Subject><t:Body BodyType=\"Text\">hi</t:Body>" \
	"<t:ToRecipients><t:Mailbox><t:EmailAddress>bob@contoso.test</t:EmailAddress>" \
	"</t:Mailbox></t:ToRecipients></t:Message></m:Items></m:CreateItem>"

#define GET_INBOX \
	"<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape>" \
	"<m:FolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:FolderIds></m:GetFolder>"

static json_t *stats(const ews_sim *sim)
{
	char url[512], *text;
	json_t *j;
	CURL *h = curl_easy_init();
	buf out = BUF_INIT(1 << 20);

	snprintf(url, sizeof(url), "%s/sim/stats", ews_sim_url(sim));
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, st_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
	assert_int_equal(curl_easy_perform(h), CURLE_OK);
	curl_easy_cleanup(h);
	text = buf_detach(&out);
	j = json_loads(text ? text : "", 0, NULL);
	free(text);
	assert_non_null(j);
	return j;
}

/* stats value at a dotted path ("http.by_status.401"), 0 when absent. */
static long long num(const json_t *doc, const char *path)
{
	const json_t *v = doc;
	char key[256];

	while (v && *path) {
		size_t len = strcspn(path, ".");

		snprintf(key, sizeof(key), "%.*s", (int)len, path);
		v = json_object_get(v, key);
		path += len + (path[len] == '.');
	}
	return json_integer_value(v);
}

/* A request whose answer is faulted: posted as is, not validated. */
static st_resp faulted(const ews_sim *sim, const char *body)
{
	char *env = st_envelope(NULL, body);
	st_resp r = st_post(sim, "/EWS/Exchange.asmx", ST_BASIC, ALICE, env);

	free(env);
	return r;
}

static void set_faults(const ews_sim *sim, const char *spec)
{
	st_resp x = st_post(sim, "/sim/faults", ST_NONE, NULL, NULL, spec);

	assert_int_equal(x.status, 200);
	free(x.body);
}

static void test_every_http_request_is_counted(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	st_resp x;
	json_t *s;

	(void)state;
	assert_non_null(sim);
	/* NTLM: negotiate (401 with the challenge), then authenticate */
	x = st_ews(sim, ST_NTLM, ALICE, NULL, GET_INBOX);
	assert_int_equal(x.status, 200);
	free(x.body);
	/* a wrong password: one 401, nothing else */
	x = st_ews(sim, ST_BASIC, "alice@contoso.test", "wrong", NULL, GET_INBOX);
	assert_int_equal(x.status, 401);
	free(x.body);
	/* a bearer token nobody issued */
	x = st_ews(sim, ST_BEARER, NULL, "not-a-token", NULL, GET_INBOX);
	assert_int_equal(x.status, 401);
	free(x.body);
	s = stats(sim);
	assert_int_equal(num(s, "http.requests"), 4);
	assert_int_equal(num(s, "http.challenges"), 3);
	assert_int_equal(num(s, "http.by_status.401"), 3);
	assert_int_equal(num(s, "http.by_status.200"), 1);
	assert_int_equal(num(s, "http.in_flight"), 0);
	assert_true(num(s, "http.connections") >= 3);
	/* only the authenticated request reached an operation */
	assert_int_equal(num(s, "requests"), 1);
	assert_int_equal(num(s, "by_operation.GetFolder"), 1);
	json_decref(s);
	ews_sim_stop(sim);
}

static void test_writes_executed_apart_from_answered(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	st_resp x;
	json_t *s;

	(void)state;
	assert_non_null(sim);
	x = st_ews(sim, ST_BASIC, ALICE, NULL, SEND_TO_BOB("answered"));
	assert_int_equal(x.status, 200);
	free(x.body);
	set_faults(sim, "kind=reset_after,op=CreateItem,count=1");
	x = faulted(sim, SEND_TO_BOB("lost"));
	assert_int_not_equal(x.curl_rc, 0);
	free(x.body);
	set_faults(sim, "kind=truncate,op=CreateItem,count=1");
	x = faulted(sim, SEND_TO_BOB("cut"));
	assert_int_not_equal(x.curl_rc, 0);
	free(x.body);
	set_faults(sim, "kind=reset_before,op=CreateItem,count=1");
	x = faulted(sim, SEND_TO_BOB("never"));
	assert_int_not_equal(x.curl_rc, 0);
	free(x.body);
	/* a read is not a write; a slow answer is a fault like the others */
	set_faults(sim, "kind=latency,ms=10,op=GetFolder,count=1");
	x = st_ews(sim, ST_BASIC, ALICE, NULL, GET_INBOX);
	free(x.body);

	s = stats(sim);
	assert_int_equal(num(s, "writes.executed"), 3);
	assert_int_equal(num(s, "writes.answered"), 1);
	assert_int_equal(num(s, "writes_executed"), 3);
	assert_int_equal(num(s, "writes.by_operation.CreateItem.executed"), 3);
	assert_int_equal(num(s, "writes.by_operation.CreateItem.answered"), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
		json_object_get(json_object_get(s, "writes"), "by_mailbox"),
		"alice@contoso.test"), "executed")), 3);
	assert_null(json_object_get(json_object_get(json_object_get(s, "writes"),
						    "by_operation"), "GetFolder"));
	assert_int_equal(num(s, "messages_sent"), 3);
	assert_int_equal(num(s, "http.by_status.reset"), 2);
	assert_int_equal(num(s, "http.requests"), 5);
	/* every injected fault is logged, latency included */
	assert_int_equal(json_array_size(json_object_get(s, "faults")), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
		json_object_get(s, "faults"), 3), "kind")), "latency");
	json_decref(s);
	ews_sim_stop(sim);
}

static void test_token_requests_and_reset(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	st_resp x;
	json_t *s;

	(void)state;
	assert_non_null(sim);
	x = st_post_h(NULL, sim, "/contoso.test/oauth2/v2.0/token", ST_NONE, NULL,
		      NULL, "application/x-www-form-urlencoded",
		      "grant_type=client_credentials&client_id=nobody&client_secret=x"
		      "&scope=https%3A%2F%2Foutlook.office365.com%2F.default");
	free(x.body);
	s = stats(sim);
	assert_int_equal(num(s, "http.token_requests"), 1);
	assert_int_equal(num(s, "http.requests"), 0);  /* not an EWS request */
	json_decref(s);
	x = st_post(sim, "/sim/reset", ST_NONE, NULL, NULL, "");
	free(x.body);
	s = stats(sim);
	assert_int_equal(num(s, "http.token_requests"), 0);
	assert_int_equal(num(s, "writes.executed"), 0);
	json_decref(s);
	ews_sim_stop(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_http_request_is_counted),
		cmocka_unit_test(test_writes_executed_apart_from_answered),
		cmocka_unit_test(test_token_requests_and_reset),
	};
	int rc;

	rc = cmocka_run_group_tests(tests, NULL, NULL);
	st_schema_free();
	return rc;
}
