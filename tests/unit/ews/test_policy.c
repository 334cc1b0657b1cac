/* test_policy.c - what the client does with Exchange's answers, against a
 * scripted fake Exchange (fake_ews.h): retries of reads and of writes
 * that provably did not run, the per-identity back-off, lost answers to
 * writes (ERR_OUTCOME_UNKNOWN, sent once), 401 handling per auth type,
 * the OAuth refresh, refusals of a target mailbox with the seed's text
 * and their negative cache, connection reuse, cancellation, and the
 * seed's "Successfully connected" log line. The fake speaks Basic auth
 * only; NTLM and the real permission matrix are tested against ews-sim. */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "ews/client.h"
#include "ews/mailbox.h"
#include "ews/ops.h"
#include "fake_ews.h"

static char logged[16384];
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void hook(log_level level, const char *comp, const char *msg, void *p)
{
	size_t n;

	(void)p;
	pthread_mutex_lock(&log_lock);
	n = strlen(logged);
	snprintf(logged + n, sizeof(logged) - n, "%s:%s:%s\n",
		 log_level_name(level), comp, msg);
	pthread_mutex_unlock(&log_lock);
}

typedef struct env {
	fake_ews *f;
	ews_client *c;
	ews_mailbox *mb;
	ews_ctx ctx;
} env;

static void env_open(env *e, ews_auth_type auth, ews_target_type type,
		     const char *target)
{
	ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	char authority[128];

	logged[0] = '\0';
	log_set_level(LOG_LEVEL_DEBUG);
	log_set_hook(hook, NULL);
	memset(e, 0, sizeof(*e));
	e->f = fake_start();
	assert_non_null(e->f);
	snprintf(authority, sizeof(authority), "http://127.0.0.1:%d",
		 e->f->port);
	o.url = e->f->url;
	o.primary_smtp = "svc-mcp@contoso.test";
	o.auth_type = auth;
	o.username = "svc-mcp@contoso.test";
	o.password = "wrong-or-right";
	o.oauth_authority = authority;
	o.tenant_id = "contoso.test";
	o.client_id = "app";
	o.client_secret = "secret";
	o.impersonation_enabled = 1;
	o.impersonation_type = type;
	o.retry.base_delay_ms = 50;
	if (ews_client_new(&e->c, &o, &err) != 0)
		fail_msg("client: %s", err.msg);
	assert_int_equal(ews_mailbox_resolve(&e->mb, e->c, target, &err), 0);
	e->ctx.client = e->c;
	e->ctx.mailbox = e->mb;
	e->ctx.cancel = NULL;
}

static void env_close(env *e)
{
	ews_mailbox_free(e->mb);
	ews_client_free(e->c);
	fake_stop(e->f);
	log_set_hook(NULL, NULL);
	log_set_level(LOG_LEVEL_WARNING);
}

static int find_inbox(env *e, errinfo *err)
{
	soap_folder_ref inbox = { .distinguished = "inbox" };
	soap_find_item_args a = { .shape = { .base = "IdOnly" }, .max_entries = 10,
				  .folders = &inbox, .nfolders = 1 };
	json_t *out = NULL;
	int rc = ews_find_item(&out, &e->ctx, &a, err);

	json_decref(out);
	return rc;
}

static int send_mail(env *e, errinfo *err)
{
	soap_mailbox to = { NULL, "bob@contoso.test" };
	soap_message m = { .subject = "Hello", .body = "hi", .to = &to, .nto = 1 };
	json_t *out = NULL;
	int rc = ews_send_message(&out, &e->ctx, &m, err);

	json_decref(out);
	return rc;
}

static void test_server_busy_read_and_write_retried(void **state)
{
	errinfo err = ERRINFO_INIT;
	env e;

	(void)state;
	env_open(&e, EWS_AUTH_BASIC, EWS_TARGET_IMPERSONATION, NULL);
	fake_push(e.f, 500, FAKE_FAULT("ErrorServerBusy", "The server cannot "
		  "service this request right now. Try again later.",
		  FAKE_BACKOFF("200")), NULL, 0);
	fake_push(e.f, 200, FAKE_FIND_ITEM_OK, NULL, 0);
	assert_int_equal(find_inbox(&e, &err), 0);
	assert_int_equal(fake_requests(e.f), 2);
	/* a fault proves the write did not run: the send is repeated */
	fake_push(e.f, 500, FAKE_FAULT("ErrorServerBusy", "busy",
		  FAKE_BACKOFF("100")), NULL, 0);
	fake_push(e.f, 200, FAKE_CREATE_ITEM_SENT, NULL, 0);
	assert_int_equal(send_mail(&e, &err), 0);
	assert_int_equal(fake_requests(e.f), 4);
	env_close(&e);
}

static void test_long_backoff_fails_fast_for_the_identity(void **state)
{
	errinfo err = ERRINFO_INIT;
	env e;

	(void)state;
	env_open(&e, EWS_AUTH_BASIC, EWS_TARGET_IMPERSONATION, NULL);
	fake_push(e.f, 500, FAKE_FAULT("ErrorServerBusy", "The server cannot "
		  "service this request right now. Try again later.",
		  FAKE_BACKOFF("30000")), NULL, 0);
	assert_int_equal(find_inbox(&e, &err), ERR_THROTTLED);
	assert_int_equal(err.backoff_ms, 30000);
	assert_string_equal(err.ews_code, "ErrorServerBusy");
	assert_int_equal(fake_requests(e.f), 1);
	/* the hint holds for every request of the identity */
	errinfo_clear(&err);
	assert_int_equal(send_mail(&e, &err), ERR_THROTTLED);
	assert_true(err.backoff_ms > 25000);
	assert_int_equal(fake_requests(e.f), 1);
	env_close(&e);
}

static void test_503_retry_after(void **state)
{
	errinfo err = ERRINFO_INIT;
	env e;

	(void)state;
	env_open(&e, EWS_AUTH_BASIC, EWS_TARGET_IMPERSONATION, NULL);
	fake_push(e.f, 503, "Service Unavailable", "1", 0);
	fake_push(e.f, 200, FAKE_FIND_ITEM_OK, NULL, 0);
	assert_int_equal(find_inbox(&e, &err), 0);
	assert_int_equal(fake_requests(e.f), 2);
	env_close(&e);
}

static void test_lost_send_is_outcome_unknown_and_sent_once(void **state)
{
	errinfo err = ERRINFO_INIT;
	env e;

	(void)state;
	env_open(&e, EWS_AUTH_BASIC, EWS_TARGET_IMPERSONATION,
		 "alice@contoso.test");
	/* a read first, so a warm keep-alive connection exists: libcurl
	 * would resend a request that dies on a reused connection */
	fake_push(e.f, 200, FAKE_FIND_ITEM_OK, NULL, 0);
	assert_int_equal(find_inbox(&e, &err), 0);
	fake_push(e.f, 0, NULL, NULL, 1);           /* answer lost */
	assert_int_equal(send_mail(&e, &err), ERR_OUTCOME_UNKNOWN);
	assert_int_equal(fake_requests(e.f), 2);    /* sent once, never again */
	assert_non_null(strstr(err.msg, "check Sent Items of "
				       "alice@contoso.test before sending"));
	/* a truncated answer to a write: the same */
	errinfo_clear(&err);
	fake_push(e.f, 200, "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\""
		  "http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><m:Cre",
		  NULL, 0);
	assert_int_equal(send_mail(&e, &err), ERR_OUTCOME_UNKNOWN);
	assert_int_equal(fake_requests(e.f), 3);
	/* a lost answer to a read is simply asked again */
	errinfo_clear(&err);
	fake_push(e.f, 0, NULL, NULL, 1);
	fake_push(e.f, 200, FAKE_FIND_ITEM_OK, NULL, 0);
	assert_int_equal(find_inbox(&e, &err), 0);
	assert_true(fake_requests(e.f) >= 5);
	env_close(&e);
}

static void test_basic_401_once(void **state)
{
	errinfo err = ERRINFO_INIT;
	env e;

	(void)state;
	env_open(&e, EWS_AUTH_BASIC, EWS_TARGET_IMPERSONATION, NULL);
	e.f->dflt.status = 401;
	e.f->dflt.body = "";
	assert_int_equal(find_inbox(&e, &err), ERR_AUTH);
	assert_int_equal(err.http_status, 401);
	assert_non_null(strstr(err.msg, "EWS_PASSWORD"));
	assert_null(strstr(err.msg, "wrong-or-right"));  /* no secret */
	assert_int_equal(fake_requests(e.f), 1);
	errinfo_clear(&err);
	assert_int_equal(send_mail(&e, &err), ERR_AUTH);
	assert_int_equal(fake_requests(e.f), 2);
	env_close(&e);
}

static void test_oauth_refresh_once(void **state)
{
	errinfo err = ERRINFO_INIT;
	ews_client_stats st;
	env e;

	(void)state;
	env_open(&e, EWS_AUTH_OAUTH2, EWS_TARGET_IMPERSONATION, NULL);
	e.f->reject_bearer_below = 2;    /* tok-1 is refused */
	fake_push(e.f, 200, FAKE_CREATE_ITEM_SENT, NULL, 0);
	assert_int_equal(send_mail(&e, &err), 0);     /* a write, too */
	assert_int_equal(fake_requests(e.f), 2);
	assert_int_equal(e.f->token_requests, 2);
	assert_string_equal(e.f->auth[1], "Bearer tok-2");
	/* the token is shared: next call needs no fetch */
	fake_push(e.f, 200, FAKE_FIND_ITEM_OK, NULL, 0);
	assert_int_equal(find_inbox(&e, &err), 0);
	assert_int_equal(e.f->token_requests, 2);
	ews_client_stats_get(e.c, &st);
	assert_int_equal(st.token_fetches, 2);
	/* every token refused: one refresh, then ERR_AUTH */
	e.f->reject_bearer_below = 1000;
	errinfo_clear(&err);
	assert_int_equal(find_inbox(&e, &err), ERR_AUTH);
	assert_int_equal(fake_requests(e.f), 5);
	assert_non_null(strstr(err.msg, "invalid_token"));
	env_close(&e);
}

static void test_token_endpoint_error(void **state)
{
	errinfo err = ERRINFO_INIT;
	env e;

	(void)state;
	env_open(&e, EWS_AUTH_OAUTH2, EWS_TARGET_IMPERSONATION, NULL);
	e.f->token_error = "{\"error\":\"invalid_client\",\"error_description\":"
		"\"AADSTS7000215: Invalid client secret provided.\"}";
	assert_int_equal(find_inbox(&e, &err), ERR_AUTH);
	assert_non_null(strstr(err.msg, "invalid_client: AADSTS7000215: Invalid "
				       "client secret provided."));
	assert_null(strstr(err.msg, "secret\""));
	assert_int_equal(fake_requests(e.f), 0);   /* EWS never asked */
	assert_int_equal(e.f->token_requests, 1);
	env_close(&e);
}

static void test_refusals_use_seed_text_and_are_cached(void **state)
{
	errinfo err = ERRINFO_INIT;
	ews_mailbox *again = NULL;
	env e;

	(void)state;
	env_open(&e, EWS_AUTH_BASIC, EWS_TARGET_IMPERSONATION, "User@Domain.com");
	fake_push(e.f, 500, FAKE_FAULT("ErrorImpersonateUserDenied",
		  "The account does not have permission to impersonate the "
		  "requested user.", ""), NULL, 0);
	assert_int_equal(find_inbox(&e, &err), ERR_ACCESS);
	assert_string_equal(err.msg, "Failed to access mailbox user@domain.com: "
			    "The account does not have permission to "
			    "impersonate the requested user.");
	assert_string_equal(err.ews_code, "ErrorImpersonateUserDenied");
	assert_int_equal(fake_requests(e.f), 1);
	/* remembered: neither resolving nor calling costs a request */
	errinfo_clear(&err);
	assert_int_equal(ews_mailbox_resolve(&again, e.c, "user@domain.com",
					     &err), ERR_ACCESS);
	assert_string_equal(err.ews_code, "ErrorImpersonateUserDenied");
	errinfo_clear(&err);
	assert_int_equal(find_inbox(&e, &err), ERR_ACCESS);
	assert_int_equal(fake_requests(e.f), 1);
	assert_null(strstr(logged, "Successfully connected"));
	env_close(&e);

	/* delegate: a nonexistent principal, answered per message */
	env_open(&e, EWS_AUTH_BASIC, EWS_TARGET_DELEGATE,
		 "nonexistent@domain.com");
	fake_push(e.f, 200, FAKE_FIND_ITEM_ERROR("ErrorNonExistentMailbox",
		  "The SMTP address has no mailbox associated with it."),
		  NULL, 0);
	errinfo_clear(&err);
	assert_int_equal(find_inbox(&e, &err), ERR_NOTFOUND);
	assert_string_equal(err.msg, "Failed to access mailbox "
			    "nonexistent@domain.com: The SMTP address has no "
			    "mailbox associated with it.");
	env_close(&e);

	/* a delegate refused one folder keeps the mailbox */
	env_open(&e, EWS_AUTH_BASIC, EWS_TARGET_DELEGATE, "carol@contoso.test");
	fake_push(e.f, 200, FAKE_FIND_ITEM_ERROR("ErrorAccessDenied",
		  "Access is denied. Check credentials and try again."), NULL, 0);
	fake_push(e.f, 200, FAKE_FIND_ITEM_OK, NULL, 0);
	errinfo_clear(&err);
	assert_int_equal(find_inbox(&e, &err), ERR_ACCESS);
	assert_non_null(strstr(err.msg, "Failed to access mailbox "
				       "carol@contoso.test: Access is denied."));
	errinfo_clear(&err);
	assert_int_equal(find_inbox(&e, &err), 0);
	assert_int_equal(fake_requests(e.f), 2);
	env_close(&e);
}

static void test_first_request_is_the_probe(void **state)
{
	errinfo err = ERRINFO_INIT;
	ews_client_stats st;
	ews_mailbox *again = NULL;
	env e;

	(void)state;
	env_open(&e, EWS_AUTH_BASIC, EWS_TARGET_IMPERSONATION, "alice@contoso.test");
	e.f->dflt.status = 200;
	e.f->dflt.body = FAKE_FIND_ITEM_OK;
	assert_int_equal(fake_requests(e.f), 0);   /* resolving cost nothing */
	assert_int_equal(find_inbox(&e, &err), 0);
	assert_int_equal(fake_requests(e.f), 1);   /* the operation itself */
	assert_true(ews_mailbox_is_verified(e.mb));
	assert_non_null(strstr(logged, "INFO:EWSClient:Successfully connected "
				       "to mailbox: alice@contoso.test\n"));
	assert_int_equal(ews_mailbox_resolve(&again, e.c, "ALICE@contoso.test",
					     &err), 0);
	assert_ptr_equal(again, e.mb);
	ews_mailbox_free(again);
	assert_int_equal(find_inbox(&e, &err), 0);
	assert_int_equal(find_inbox(&e, &err), 0);
	assert_int_equal(fake_requests(e.f), 3);
	ews_client_stats_get(e.c, &st);
	assert_int_equal(st.requests, 3);
	assert_int_equal(st.connections, 1);        /* kept alive, reused */
	env_close(&e);
}

static void test_cancelled_before_sending(void **state)
{
	errinfo err = ERRINFO_INIT;
	atomic_int cancel = 1;
	env e;

	(void)state;
	env_open(&e, EWS_AUTH_BASIC, EWS_TARGET_IMPERSONATION, NULL);
	e.ctx.cancel = &cancel;
	assert_int_equal(send_mail(&e, &err), ERR_CANCELLED);
	assert_int_equal(fake_requests(e.f), 0);
	env_close(&e);
}

static void test_delegate_send_two_steps(void **state)
{
	errinfo err = ERRINFO_INIT;
	env e;

	(void)state;
	env_open(&e, EWS_AUTH_BASIC, EWS_TARGET_DELEGATE, "carol@contoso.test");
	fake_push(e.f, 200, FAKE_CREATE_ITEM_OK, NULL, 0);
	fake_push(e.f, 0, NULL, NULL, 1);  /* SendItem's answer is lost */
	assert_int_equal(send_mail(&e, &err), ERR_OUTCOME_UNKNOWN);
	assert_int_equal(fake_requests(e.f), 2);
	assert_non_null(strstr(e.f->bodies[1], "<t:ItemId Id=\"AAMkDRAFT1\" "
				       "ChangeKey=\"CQAAAA1\"/>"));
	assert_non_null(strstr(err.msg, "the draft is still in Drafts of "
				       "carol@contoso.test"));
	env_close(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_server_busy_read_and_write_retried),
		cmocka_unit_test(test_long_backoff_fails_fast_for_the_identity),
		cmocka_unit_test(test_503_retry_after),
		cmocka_unit_test(test_lost_send_is_outcome_unknown_and_sent_once),
		cmocka_unit_test(test_basic_401_once),
		cmocka_unit_test(test_oauth_refresh_once),
		cmocka_unit_test(test_token_endpoint_error),
		cmocka_unit_test(test_refusals_use_seed_text_and_are_cached),
		cmocka_unit_test(test_first_request_is_the_probe),
		cmocka_unit_test(test_cancelled_before_sending),
		cmocka_unit_test(test_delegate_send_two_steps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
