/* test_sim.c - the EWS client against ews-sim (integration): the three
 * access modes, the permission matrix with the seed's texts, NTLM with a
 * right and a wrong password, app-only OAuth against the sim's token
 * endpoint including a token the server no longer accepts, throttling
 * with back-off, the write-safety rule (a send whose answer is lost is
 * executed once, as /sim/stats shows) and the request count of a new
 * impersonated mailbox (the operation's requests only, then a reused
 * context and connection). The org is inline: the demo org's shape. */
#include "testutil.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "ews/client.h"
#include "ews/folders.h"
#include "ews/gate.h"
#include "ews/mailbox.h"
#include "ews/ops.h"
#include "sim/sim.h"

static const char org[] =
	"{\"domain\": \"contoso.test\","
	" \"users\": ["
	"  {\"smtp\": \"svc-mcp@contoso.test\", \"name\": \"MCP Service\","
	"   \"password\": \"Svc-Pass-1\", \"department\": \"IT\"},"
	"  {\"smtp\": \"alice@contoso.test\", \"name\": \"Alice\","
	"   \"password\": \"Alice-Pass-1\", \"department\": \"Sales\"},"
	"  {\"smtp\": \"bob@contoso.test\", \"name\": \"Bob\","
	"   \"password\": \"Bob-Pass-1\", \"department\": \"Sales\"},"
	"  {\"smtp\": \"carol@contoso.test\", \"name\": \"Carol\","
	"   \"password\": \"Carol-Pass-1\", \"department\": \"Finance\"},"
	"  {\"smtp\": \"dave@contoso.test\", \"name\": \"Dave\","
	"   \"password\": \"Dave-Pass-1\", \"department\": \"Legal\"}],"
	" \"impersonation\": [{\"account\": \"svc-mcp@contoso.test\","
	"   \"scope\": {\"department\": \"Sales\"}}],"
	" \"delegates\": [{\"mailbox\": \"carol@contoso.test\","
	"   \"delegate\": \"svc-mcp@contoso.test\","
	"   \"permissions\": {\"inbox\": \"Reviewer\", \"calendar\": \"Editor\"},"
	"   \"send_on_behalf\": true},"
	"  {\"mailbox\": \"dave@contoso.test\","
	"   \"delegate\": \"svc-mcp@contoso.test\","
	"   \"permissions\": {\"inbox\": \"Editor\"},"
	"   \"send_on_behalf\": true}],"
	" \"apps\": [{\"tenant\": \"contoso.test\","
	"   \"tenant_id\": \"8e2a1f7c-1111-4a5b-9c3d-2e4f6a8b0c1d\","
	"   \"client_id\": \"11111111-2222-3333-4444-555555555555\","
	"   \"client_secret\": \"app-secret-1\","
	"   \"roles\": [\"full_access_as_app\"]}]}";

typedef struct env {
	ews_sim *sim;
	ews_client *c;
} env;

/* GET or POST to the sim's control endpoints. */
static char *sim_http(const ews_sim *sim, const char *path, const char *post)
{
	buf out = BUF_INIT(1 << 20), url = BUF_INIT(512);
	CURL *h = curl_easy_init();
	char *s;

	buf_printf(&url, "%s%s", ews_sim_url(sim), path);
	curl_easy_setopt(h, CURLOPT_URL, buf_cstr(&url));
	if (post) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
	}
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, (curl_write_callback)NULL);
	{
		FILE *mem;
		char *data = NULL;
		size_t len = 0;

		mem = open_memstream(&data, &len);
		curl_easy_setopt(h, CURLOPT_WRITEDATA, mem);
		assert_int_equal(curl_easy_perform(h), CURLE_OK);
		fclose(mem);
		buf_put(&out, data, len);
		free(data);
	}
	curl_easy_cleanup(h);
	buf_dispose(&url);
	s = buf_detach(&out);
	return s;
}

static long long stat_num(const ews_sim *sim, const char *path)
{
	char *j = sim_http(sim, "/sim/stats", NULL);
	json_t *doc = json_loads(j, 0, NULL), *v = doc;
	char key[128];
	const char *p = path;
	long long n;

	while (v && *p) {
		size_t len = strcspn(p, ".");

		snprintf(key, sizeof(key), "%.*s", (int)len, p);
		v = json_object_get(v, key);
		p += len;
		if (*p == '.')
			p++;
	}
	n = json_integer_value(v);
	json_decref(doc);
	free(j);
	return n;
}

static void env_open(env *e, ews_auth_type auth, ews_target_type type,
		     const char *password)
{
	ews_sim_options so = EWS_SIM_OPTIONS_INIT;
	ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	char url[256];

	log_set_level(getenv("SIM_VERBOSE") ? LOG_LEVEL_DEBUG : LOG_LEVEL_ERROR);
	memset(e, 0, sizeof(*e));
	so.org_json = org;
	so.quiet = getenv("SIM_VERBOSE") ? 0 : 1;
	if (ews_sim_start(&e->sim, &so, &err) != 0)
		fail_msg("sim: %s", err.msg);
	snprintf(url, sizeof(url), "%s/EWS/Exchange.asmx", ews_sim_url(e->sim));
	o.url = url;
	o.primary_smtp = "svc-mcp@contoso.test";
	o.auth_type = auth;
	o.username = "svc-mcp@contoso.test";
	o.password = password;
	o.oauth_authority = ews_sim_url(e->sim);
	o.tenant_id = "contoso.test";
	o.client_id = "11111111-2222-3333-4444-555555555555";
	o.client_secret = "app-secret-1";
	o.impersonation_enabled = 1;
	o.impersonation_type = type;
	o.retry.base_delay_ms = 50;
	if (ews_client_new(&e->c, &o, &err) != 0)
		fail_msg("client: %s", err.msg);
}

static void env_close(env *e)
{
	ews_client_free(e->c);
	ews_sim_stop(e->sim);
}

static int find_in(env *e, const char *target, const char *folder,
		   errinfo *err)
{
	soap_folder_ref f = { .distinguished = folder };
	soap_find_item_args a = { .shape = { .base = "IdOnly" }, .max_entries = 10,
				  .folders = &f, .nfolders = 1 };
	ews_mailbox *mb = NULL;
	json_t *out = NULL;
	ews_ctx ctx;
	int rc;

	rc = ews_mailbox_resolve(&mb, e->c, target, err);
	if (rc < 0)
		return rc;
	ctx.client = e->c;
	ctx.mailbox = mb;
	ctx.cancel = NULL;
	rc = ews_find_item(&out, &ctx, &a, err);
	json_decref(out);
	ews_mailbox_free(mb);
	return rc;
}

static int send_as(env *e, const char *target, errinfo *err)
{
	soap_mailbox to = { NULL, "bob@contoso.test" };
	soap_message m = { .subject = "Quarterly numbers", .body = "See below.",
			   .to = &to, .nto = 1 };
	ews_mailbox *mb = NULL;
	json_t *out = NULL;
	ews_ctx ctx;
	int rc;

	rc = ews_mailbox_resolve(&mb, e->c, target, err);
	if (rc < 0)
		return rc;
	ctx.client = e->c;
	ctx.mailbox = mb;
	ctx.cancel = NULL;
	rc = ews_send_message(&out, &ctx, &m, err);
	json_decref(out);
	ews_mailbox_free(mb);
	return rc;
}

static void test_impersonation_and_request_count(void **state)
{
	errinfo err = ERRINFO_INIT;
	ews_client_stats st;
	env e;

	(void)state;
	env_open(&e, EWS_AUTH_BASIC, EWS_TARGET_IMPERSONATION, "Svc-Pass-1");
	if (find_in(&e, "alice@contoso.test", "inbox", &err) != 0)
		fail_msg("%s", err.msg);
	/* the first call for a new mailbox costs the operation only */
	assert_int_equal(stat_num(e.sim, "requests"), 1);
	assert_int_equal(stat_num(e.sim, "by_operation.FindItem"), 1);
	assert_int_equal(find_in(&e, "alice@contoso.test", "inbox", &err), 0);
	assert_int_equal(stat_num(e.sim, "requests"), 2);
	ews_client_stats_get(e.c, &st);
	assert_int_equal(st.connections, 1);   /* NTLM connection reused */
	assert_int_equal(st.cached_contexts, 1);
	/* sending as alice lands once, in her Sent Items */
	assert_int_equal(send_as(&e, "alice@contoso.test", &err), 0);
	assert_int_equal(stat_num(e.sim, "messages_sent"), 1);
	env_close(&e);
}

static void test_permission_matrix(void **state)
{
	errinfo err = ERRINFO_INIT;
	long long before;
	env e;

	(void)state;
	env_open(&e, EWS_AUTH_BASIC, EWS_TARGET_IMPERSONATION, "Svc-Pass-1");
	assert_int_equal(find_in(&e, "dave@contoso.test", "inbox", &err),
			 ERR_ACCESS);
	assert_string_equal(err.msg, "Failed to access mailbox dave@contoso.test: "
			    "The account does not have permission to "
			    "impersonate the requested user.");
	assert_string_equal(err.ews_code, "ErrorImpersonateUserDenied");
	errinfo_clear(&err);
	assert_int_equal(find_in(&e, "nobody@contoso.test", "inbox", &err),
			 ERR_NOTFOUND);
	assert_string_equal(err.msg, "Failed to access mailbox "
			    "nobody@contoso.test: The SMTP address has no "
			    "mailbox associated with it.");
	/* refusals are remembered: no further requests */
	before = stat_num(e.sim, "requests");
	errinfo_clear(&err);
	assert_int_equal(find_in(&e, "dave@contoso.test", "inbox", &err),
			 ERR_ACCESS);
	assert_int_equal(stat_num(e.sim, "requests"), before);
	env_close(&e);
}

static void test_delegate(void **state)
{
	errinfo err = ERRINFO_INIT;
	env e;

	(void)state;
	env_open(&e, EWS_AUTH_BASIC, EWS_TARGET_DELEGATE, "Svc-Pass-1");
	if (find_in(&e, "carol@contoso.test", "inbox", &err) != 0)
		fail_msg("inbox: %s", err.msg);
	if (find_in(&e, "carol@contoso.test", "calendar", &err) != 0)
		fail_msg("calendar: %s", err.msg);
	/* no right on carol's contacts: refused, mailbox still usable */
	errinfo_clear(&err);
	assert_true(find_in(&e, "carol@contoso.test", "contacts", &err) < 0);
	errinfo_clear(&err);
	assert_int_equal(find_in(&e, "carol@contoso.test", "inbox", &err), 0);
	/* Inbox Reviewer cannot create the draft a delegate send needs */
	errinfo_clear(&err);
	assert_int_equal(send_as(&e, "carol@contoso.test", &err), ERR_ACCESS);
	assert_non_null(strstr(err.msg, "Drafts folder of carol@contoso.test"));
	assert_int_equal(stat_num(e.sim, "messages_sent"), 0);
	/* with Editor on dave's Inbox: draft + SendItem, sent once */
	errinfo_clear(&err);
	if (send_as(&e, "dave@contoso.test", &err) != 0)
		fail_msg("send: %s", err.msg);
	assert_int_equal(stat_num(e.sim, "messages_sent"), 1);
	assert_int_equal(stat_num(e.sim, "by_operation.SendItem"), 1);
	env_close(&e);
}

/* Non-zero when the sim answers an NTLM negotiate message with a
 * challenge (a Type 2 token), i.e. it can complete a handshake. */
static int sim_speaks_ntlm(const ews_sim *sim)
{
	struct curl_slist *hdr = NULL;
	char url[256];
	FILE *devnull = fopen("/dev/null", "w");
	CURL *h = curl_easy_init();
	FILE *mem;
	char *data = NULL;
	size_t len = 0;
	int ok;

	snprintf(url, sizeof(url), "%s/EWS/Exchange.asmx", ews_sim_url(sim));
	hdr = curl_slist_append(hdr, "Authorization: NTLM "
				"TlRMTVNTUAABAAAABoIIAAAAAAAAAAAAAAAAAAAAAAA=");
	mem = open_memstream(&data, &len);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, mem);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, devnull);
	curl_easy_perform(h);
	fclose(mem);
	fclose(devnull);
	ok = data && strstr(data, "WWW-Authenticate: NTLM TlRMTVNTUAAC") != NULL;
	free(data);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	return ok;
}

static void test_ntlm(void **state)
{
	errinfo err = ERRINFO_INIT;
	ews_client_stats st;
	env e;

	(void)state;
	env_open(&e, EWS_AUTH_NTLM, EWS_TARGET_IMPERSONATION, "Svc-Pass-1");
	if (!sim_speaks_ntlm(e.sim)) {
		env_close(&e);
		print_message("ews-sim answers an NTLM negotiate message without "
			      "a challenge: NTLM tests skipped\n");
		skip();
	}
	if (find_in(&e, "alice@contoso.test", "inbox", &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(find_in(&e, "alice@contoso.test", "inbox", &err), 0);
	ews_client_stats_get(e.c, &st);
	assert_int_equal(st.connections, 1);  /* authenticated once */
	env_close(&e);

	env_open(&e, EWS_AUTH_NTLM, EWS_TARGET_IMPERSONATION, "not-the-password");
	assert_int_equal(find_in(&e, NULL, "inbox", &err), ERR_AUTH);
	assert_int_equal(err.http_status, 401);
	ews_client_stats_get(e.c, &st);
	assert_int_equal(st.requests, 1);       /* no retry loop */
	env_close(&e);
}

static void test_oauth_app_only(void **state)
{
	errinfo err = ERRINFO_INIT;
	ews_client_stats st;
	char *r;
	env e;

	(void)state;
	env_open(&e, EWS_AUTH_OAUTH2, EWS_TARGET_IMPERSONATION, NULL);
	if (find_in(&e, NULL, "inbox", &err) != 0)
		fail_msg("primary: %s", err.msg);
	if (find_in(&e, "alice@contoso.test", "inbox", &err) != 0)
		fail_msg("alice: %s", err.msg);
	ews_client_stats_get(e.c, &st);
	assert_int_equal(st.token_fetches, 1);
	/* the server forgets its tokens: one 401, one refresh, success */
	r = sim_http(e.sim, "/sim/faults", "kind=token_expired,count=1");
	free(r);
	if (find_in(&e, "alice@contoso.test", "inbox", &err) != 0)
		fail_msg("after expiry: %s", err.msg);
	ews_client_stats_get(e.c, &st);
	assert_int_equal(st.token_fetches, 2);
	env_close(&e);
}

static void test_throttling_and_lost_send(void **state)
{
	errinfo err = ERRINFO_INIT;
	char *r;
	env e;

	(void)state;
	env_open(&e, EWS_AUTH_BASIC, EWS_TARGET_IMPERSONATION, "Svc-Pass-1");
	r = sim_http(e.sim, "/sim/faults",
		     "kind=server_busy,backoff_ms=200,op=FindItem,count=1");
	free(r);
	if (find_in(&e, "bob@contoso.test", "inbox", &err) != 0)
		fail_msg("busy: %s", err.msg);
	assert_int_equal(stat_num(e.sim, "by_operation.FindItem"), 2);

	r = sim_http(e.sim, "/sim/faults",
		     "kind=reset_after,op=CreateItem,count=1");
	free(r);
	errinfo_clear(&err);
	assert_int_equal(send_as(&e, "bob@contoso.test", &err),
			 ERR_OUTCOME_UNKNOWN);
	assert_non_null(strstr(err.msg, "Sent Items of bob@contoso.test"));
	assert_int_equal(stat_num(e.sim, "messages_sent"), 1);  /* once */
	assert_int_equal(stat_num(e.sim, "by_operation.CreateItem"), 1);
	env_close(&e);
}

/* The same lost answer under every sign-in method. Under NTLM the body
 * rides the handshake's third leg, on the connection its first leg
 * opened: libcurl counts that connection as reused and, when it dies
 * before any answer byte, silently sends the whole request again on a
 * new one (Curl_retry_request). The transport must make that impossible,
 * whatever libcurl decides. */
static void test_lost_send_each_auth(void **state)
{
	static const struct {
		ews_auth_type auth;
		const char *password;
		const char *name;
	} methods[] = {
		{ EWS_AUTH_BASIC, "Svc-Pass-1", "basic" },
		{ EWS_AUTH_NTLM, "Svc-Pass-1", "ntlm" },
		{ EWS_AUTH_OAUTH2, NULL, "oauth2" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		errinfo err = ERRINFO_INIT;
		char *r;
		env e;

		env_open(&e, methods[i].auth, EWS_TARGET_IMPERSONATION,
			 methods[i].password);
		/* a warm connection first, as in a running server */
		if (find_in(&e, "bob@contoso.test", "inbox", &err) != 0)
			fail_msg("%s: %s", methods[i].name, err.msg);
		r = sim_http(e.sim, "/sim/faults",
			     "kind=reset_after,op=CreateItem,count=1");
		free(r);
		errinfo_clear(&err);
		if (send_as(&e, "bob@contoso.test", &err) != ERR_OUTCOME_UNKNOWN)
			fail_msg("%s: expected outcome unknown, got \"%s\"",
				 methods[i].name, err.msg);
		if (stat_num(e.sim, "messages_sent") != 1)
			fail_msg("%s: the message was sent %lld times",
				 methods[i].name, stat_num(e.sim, "messages_sent"));
		assert_int_equal(stat_num(e.sim, "writes_executed"), 1);
		env_close(&e);
	}
}

/* A read whose every attempt times out ends within REQUEST_TIMEOUT plus
 * the retry budget, not attempts x REQUEST_TIMEOUT, and says both. Here:
 * 1 s and 2 s: two attempts and one back-off of 0.5 s fit, against 3
 * attempts x 1 s + 1.5 s of back-off (4.5 s) before. */
static void test_read_time_bounded(void **state)
{
	ews_sim_options so = EWS_SIM_OPTIONS_INIT;
	ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	char url[256], *r;
	long long t0, ms;
	env e;

	(void)state;
	log_set_level(LOG_LEVEL_ERROR);
	so.org_json = org;
	so.quiet = 1;
	if (ews_sim_start(&e.sim, &so, &err) != 0)
		fail_msg("sim: %s", err.msg);
	snprintf(url, sizeof(url), "%s/EWS/Exchange.asmx", ews_sim_url(e.sim));
	o.url = url;
	o.primary_smtp = "svc-mcp@contoso.test";
	o.auth_type = EWS_AUTH_BASIC;
	o.username = "svc-mcp@contoso.test";
	o.password = "Svc-Pass-1";
	o.timeout_s = 1;
	o.retry.max_wait_ms = 2000;
	o.retry.base_delay_ms = 500;
	if (ews_client_new(&e.c, &o, &err) != 0)
		fail_msg("client: %s", err.msg);
	r = sim_http(e.sim, "/sim/faults", "kind=latency,ms=3000,op=FindItem");
	free(r);
	t0 = ews_now_ms();
	assert_int_equal(find_in(&e, NULL, "inbox", &err), ERR_TIMEOUT);
	ms = ews_now_ms() - t0;
	if (ms > 3000 + 400)
		fail_msg("took %lld ms, the bound is 3000 ms: %s", ms, err.msg);
	assert_non_null(strstr(err.msg, "REQUEST_TIMEOUT 1 s"));
	assert_non_null(strstr(err.msg, "retry budget of 2.0 s"));
	if (!strstr(err.msg, "2 attempts in"))
		fail_msg("%s", err.msg);
	r = sim_http(e.sim, "/sim/faults", "");
	free(r);
	env_close(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_impersonation_and_request_count),
		cmocka_unit_test(test_permission_matrix),
		cmocka_unit_test(test_delegate),
		cmocka_unit_test(test_ntlm),
		cmocka_unit_test(test_oauth_app_only),
		cmocka_unit_test(test_throttling_and_lost_send),
		cmocka_unit_test(test_lost_send_each_auth),
		cmocka_unit_test(test_read_time_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
