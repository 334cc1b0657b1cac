/* test_tokens.c - sim/tokens.c: the client-credentials token endpoint
 * (success and every error form, checked on the JSON Azure AD would send)
 * and the bearer-token table (lookup, expiry through an injected clock,
 * capacity). */
#include "testutil.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/tokens.h"

#define TENANT_ID "8a1b2c3d-0000-4000-8000-00000000c0de"
#define CLIENT_OK "11111111-2222-4333-8444-555555555555"
#define CLIENT_NOROLE "99999999-2222-4333-8444-555555555555"
#define CLIENT_OTHER "77777777-2222-4333-8444-555555555555"
#define FORM "application/x-www-form-urlencoded"
#define SCOPE_ENC "https%3A%2F%2Foutlook.office365.com%2F.default"

static time_t fake_now = 1700000000;

static time_t clock_fn(void *payload)
{
	(void)payload;
	return fake_now;
}

static int app_lookup(sim_app *out, const char *client_id, void *payload)
{
	(void)payload;
	memset(out, 0, sizeof(*out));
	if (strcmp(client_id, CLIENT_OK) == 0 || strcmp(client_id, CLIENT_NOROLE) == 0) {
		snprintf(out->client_id, sizeof(out->client_id), "%s", client_id);
		snprintf(out->tenant_id, sizeof(out->tenant_id), "%s", TENANT_ID);
		snprintf(out->tenant_domain, sizeof(out->tenant_domain), "contoso.test");
		snprintf(out->secret, sizeof(out->secret), "s3cr et+~");
		out->roles = strcmp(client_id, CLIENT_OK) == 0 ? SIM_APP_ROLE_FULL_ACCESS_AS_APP : 0;
		snprintf(out->mailbox_scope, sizeof(out->mailbox_scope), "group:finance");
		return 0;
	}
	if (strcmp(client_id, CLIENT_OTHER) == 0) {   /* registered elsewhere */
		snprintf(out->client_id, sizeof(out->client_id), "%s", client_id);
		snprintf(out->tenant_id, sizeof(out->tenant_id), "fabrikam-tenant");
		snprintf(out->secret, sizeof(out->secret), "x");
		out->roles = SIM_APP_ROLE_FULL_ACCESS_AS_APP;
		return 0;
	}
	if (strcmp(client_id, "explode") == 0)
		return ERR_IO;
	return ERR_NOTFOUND;
}

static int tenant_lookup(char *out, size_t cap, const char *tenant, void *payload)
{
	(void)payload;
	if (strcasecmp(tenant, TENANT_ID) == 0 || strcasecmp(tenant, "contoso.test") == 0) {
		snprintf(out, cap, "%s", TENANT_ID);
		return 0;
	}
	if (strcasecmp(tenant, "fabrikam.test") == 0) {
		snprintf(out, cap, "fabrikam-tenant");
		return 0;
	}
	return ERR_NOTFOUND;
}

static sim_tokens *new_table(long lifetime, size_t max, int with_tenants)
{
	sim_tokens_options o = SIM_TOKENS_OPTIONS_INIT;
	sim_tokens *t = NULL;
	errinfo err = ERRINFO_INIT;

	o.lifetime_s = lifetime;
	o.max_tokens = max;
	o.app_lookup = app_lookup;
	o.tenant_lookup = with_tenants ? tenant_lookup : NULL;
	o.clock = clock_fn;
	assert_int_equal(sim_tokens_new(&t, &o, &err), 0);
	return t;
}

/* Posts body; returns the parsed JSON answer (caller decrefs). */
static json_t *post(sim_tokens *t, const char *tenant, const char *ctype,
		    const char *body, int want_status)
{
	sim_token_response r = SIM_TOKEN_RESPONSE_INIT;
	errinfo err = ERRINFO_INIT;
	json_error_t jerr;
	json_t *j;

	assert_int_equal(sim_tokens_handle_request(&r, t, tenant, ctype, body,
						   strlen(body), &err), 0);
	if (r.http_status != want_status)
		fail_msg("status %d, want %d: %s", r.http_status, want_status, r.body);
	j = json_loads(r.body, 0, &jerr);
	assert_non_null(j);
	sim_token_response_dispose(&r);
	return j;
}

/* Checks the Azure AD error shape and the AADSTS code. */
static void expect_error(sim_tokens *t, const char *tenant, const char *ctype,
			 const char *body, int status, const char *error,
			 long code, const char *text_part)
{
	json_t *j = post(t, tenant, ctype, body, status);
	const char *desc = json_string_value(json_object_get(j, "error_description"));
	char prefix[32];

	print_message("%s -> %s\n", body, desc ? desc : "(none)");
	assert_string_equal(json_string_value(json_object_get(j, "error")), error);
	assert_non_null(desc);
	snprintf(prefix, sizeof(prefix), "AADSTS%ld: ", code);
	assert_int_equal(strncmp(desc, prefix, strlen(prefix)), 0);
	if (text_part && !strstr(desc, text_part))
		fail_msg("description lacks '%s': %s", text_part, desc);
	assert_non_null(strstr(desc, "\r\nTrace ID: "));
	assert_non_null(strstr(desc, "\r\nCorrelation ID: "));
	assert_non_null(strstr(desc, "\r\nTimestamp: 2023-11-14 22:13:20Z"));
	assert_int_equal(json_integer_value(json_array_get(json_object_get(j, "error_codes"), 0)), code);
	assert_string_equal(json_string_value(json_object_get(j, "timestamp")), "2023-11-14 22:13:20Z");
	assert_int_equal(strlen(json_string_value(json_object_get(j, "trace_id"))), 36);
	assert_int_equal(strlen(json_string_value(json_object_get(j, "correlation_id"))), 36);
	assert_non_null(json_string_value(json_object_get(j, "error_uri")));
	assert_null(json_object_get(j, "access_token"));
	/* The secret never appears in an answer. */
	assert_null(strstr(desc, "s3cr"));
	json_decref(j);
}

static void test_success(void **state)
{
	sim_tokens *t = new_table(0, 0, 1);
	sim_token_identity id;
	json_t *j;
	const char *tok;
	size_t i;

	(void)state;
	fake_now = 1700000000;
	/* secret "s3cr et+~": space sent as '+', '+' as %2B */
	j = post(t, TENANT_ID, FORM,
		 "grant_type=client_credentials&client_id=" CLIENT_OK
		 "&client_secret=s3cr+et%2B~&scope=" SCOPE_ENC, 200);
	assert_string_equal(json_string_value(json_object_get(j, "token_type")), "Bearer");
	assert_int_equal(json_integer_value(json_object_get(j, "expires_in")), 3599);
	assert_int_equal(json_integer_value(json_object_get(j, "ext_expires_in")), 3599);
	tok = json_string_value(json_object_get(j, "access_token"));
	assert_non_null(tok);
	/* 32 random bytes in base64url without padding: 43 characters */
	assert_int_equal(strlen(tok), 43);
	for (i = 0; tok[i]; i++)
		assert_true(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", tok[i]));

	assert_int_equal(sim_tokens_lookup(&id, t, tok), SIM_TOKEN_VALID);
	assert_string_equal(id.client_id, CLIENT_OK);
	assert_string_equal(id.tenant_id, TENANT_ID);
	assert_string_equal(id.mailbox_scope, "group:finance");
	assert_int_equal(id.roles, SIM_APP_ROLE_FULL_ACCESS_AS_APP);
	assert_int_equal(id.expires_at, 1700000000 + 3599);
	assert_int_equal(sim_tokens_count(t), 1);
	json_decref(j);

	/* The tenant may be given as its domain, in any case, or
	 * percent-encoded; parameter order does not matter; the content type
	 * may carry a charset. */
	j = post(t, "Contoso.TEST", FORM "; charset=utf-8",
		 "scope=" SCOPE_ENC "&client_secret=s3cr%20et%2b%7e&client_id=" CLIENT_OK
		 "&grant_type=client_credentials", 200);
	json_decref(j);
	j = post(t, "contoso%2Etest", NULL,
		 "grant_type=client_credentials&client_id=" CLIENT_OK
		 "&client_secret=s3cr+et%2B~&scope=" SCOPE_ENC, 200);
	json_decref(j);
	assert_int_equal(sim_tokens_count(t), 3);

	assert_int_equal(sim_tokens_lookup(NULL, t, "not-a-token"), SIM_TOKEN_UNKNOWN);
	assert_int_equal(sim_tokens_lookup(&id, t, ""), SIM_TOKEN_UNKNOWN);
	assert_string_equal(id.client_id, "");
	sim_tokens_clear(t);
	assert_int_equal(sim_tokens_count(t), 0);
	sim_tokens_free(t);
}

static void test_errors(void **state)
{
	sim_tokens *t = new_table(0, 0, 1);

	(void)state;
	fake_now = 1700000000;
	expect_error(t, TENANT_ID, FORM,
		     "grant_type=client_credentials&client_id=a&client_id=b",
		     400, "invalid_request", 9000411, "'client_id' is duplicated");
	expect_error(t, TENANT_ID, FORM, "", 400, "invalid_request", 900144, "'grant_type'");
	expect_error(t, TENANT_ID, FORM, "grant_type=&client_id=x", 400, "invalid_request", 900144, "'grant_type'");
	expect_error(t, TENANT_ID, FORM, "grant_type=password&client_id=" CLIENT_OK,
		     400, "unsupported_grant_type", 70003, "'password'");
	expect_error(t, TENANT_ID, FORM, "grant_type=client_credentials&scope=" SCOPE_ENC,
		     400, "invalid_request", 900144, "'client_id'");
	expect_error(t, TENANT_ID, FORM, "grant_type=client_credentials&client_id=" CLIENT_OK "&client_secret=x",
		     400, "invalid_request", 900144, "'scope'");
	expect_error(t, "nowhere.test", FORM, "grant_type=client_credentials&client_id=" CLIENT_OK "&scope=x",
		     400, "invalid_request", 90002, "'nowhere.test'");
	expect_error(t, TENANT_ID, FORM, "grant_type=client_credentials&client_id=nobody&scope=x",
		     400, "unauthorized_client", 700016, "'nobody'");
	/* an app of another tenant is "not found in this directory" */
	expect_error(t, TENANT_ID, FORM, "grant_type=client_credentials&client_id=" CLIENT_OTHER "&client_secret=x&scope=" SCOPE_ENC,
		     400, "unauthorized_client", 700016, CLIENT_OTHER);
	expect_error(t, TENANT_ID, FORM, "grant_type=client_credentials&client_id=" CLIENT_OK "&scope=" SCOPE_ENC,
		     401, "invalid_client", 7000216, "client_secret");
	expect_error(t, TENANT_ID, FORM, "grant_type=client_credentials&client_id=" CLIENT_OK "&client_secret=s3cr+et&scope=" SCOPE_ENC,
		     401, "invalid_client", 7000215, CLIENT_OK);
	expect_error(t, TENANT_ID, FORM, "grant_type=client_credentials&client_id=" CLIENT_OK
		     "&client_secret=s3cr+et%2B~&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default",
		     400, "invalid_scope", 70011, "graph.microsoft.com");
	expect_error(t, TENANT_ID, FORM, "grant_type=client_credentials&client_id=" CLIENT_OK
		     "&client_secret=s3cr+et%2B~&scope=https%3A%2F%2Foutlook.office365.com%2FEWS.AccessAsUser.All",
		     400, "invalid_scope", 70011, NULL);
	expect_error(t, TENANT_ID, FORM, "grant_type=client_credentials&client_id=" CLIENT_NOROLE
		     "&client_secret=s3cr+et%2B~&scope=" SCOPE_ENC,
		     400, "invalid_grant", 65001, "full_access_as_app");
	/* malformed encodings */
	expect_error(t, TENANT_ID, FORM, "grant_type=client_credentials&client_id=%zz",
		     400, "invalid_request", 9000411, "percent-encoding");
	expect_error(t, TENANT_ID, FORM, "grant_type=client_credentials&client_id=%4",
		     400, "invalid_request", 9000411, "percent-encoding");
	expect_error(t, TENANT_ID, FORM, "grant_type=client_credentials&client_id=a%00b",
		     400, "invalid_request", 9000411, "percent-encoding");
	/* bytes that are not UTF-8 are echoed safely */
	expect_error(t, TENANT_ID, FORM, "grant_type=client_credentials&client_id=%FF%C3&scope=x",
		     400, "unauthorized_client", 700016, "'?\?'");
	expect_error(t, TENANT_ID, "application/json",
		     "{\"grant_type\":\"client_credentials\"}",
		     400, "invalid_request", 900144, "x-www-form-urlencoded");
	assert_int_equal(sim_tokens_count(t), 0);
	sim_tokens_free(t);
}

static void test_odd_bodies(void **state)
{
	sim_tokens *t = new_table(0, 0, 1);
	sim_token_response r = SIM_TOKEN_RESPONSE_INIT;
	errinfo err = ERRINFO_INIT;
	static char big[SIM_TOKENS_BODY_MAX + 10];
	char many[2048] = "";
	static const char nul_body[] = "grant_type=client_credentials\0&client_id=x";
	const char *body;
	int i;

	(void)state;
	/* an embedded NUL byte */
	assert_int_equal(sim_tokens_handle_request(&r, t, TENANT_ID, FORM, nul_body,
						   sizeof(nul_body) - 1, &err), 0);
	assert_int_equal(r.http_status, 400);
	assert_int_equal(r.aadsts, 9000411);
	assert_string_equal(r.error, "invalid_request");
	sim_token_response_dispose(&r);
	/* too long */
	memset(big, 'a', sizeof(big) - 1);
	assert_int_equal(sim_tokens_handle_request(&r, t, TENANT_ID, FORM, big,
						   sizeof(big) - 1, &err), 0);
	assert_int_equal(r.aadsts, 9000411);
	sim_token_response_dispose(&r);
	/* too many parameters */
	for (i = 0; i < 40; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "p%d=1&", i);
	assert_int_equal(sim_tokens_handle_request(&r, t, TENANT_ID, FORM, many,
						   strlen(many), &err), 0);
	assert_int_equal(r.aadsts, 9000411);
	sim_token_response_dispose(&r);
	/* NULL body: missing grant_type */
	assert_int_equal(sim_tokens_handle_request(&r, t, TENANT_ID, FORM, NULL, 0, &err), 0);
	assert_int_equal(r.aadsts, 900144);
	sim_token_response_dispose(&r);
	/* empty pairs and parameters without '=' are tolerated */
	json_decref(post(t, TENANT_ID, FORM,
			 "&&grant_type=client_credentials&&x&client_id=" CLIENT_OK
			 "&client_secret=s3cr+et%2B~&scope=" SCOPE_ENC "&", 200));
	/* an internal failure of the org is an error, not an OAuth answer */
	errinfo_clear(&err);
	body = "grant_type=client_credentials&client_id=explode&scope=x";
	assert_int_equal(sim_tokens_handle_request(&r, t, TENANT_ID, FORM, body,
						   strlen(body), &err), ERR_IO);
	assert_null(r.body);
	assert_non_null(strstr(err.msg, "app lookup failed"));
	sim_token_response_dispose(&r);
	sim_tokens_free(t);
}

static void test_without_tenant_lookup(void **state)
{
	sim_tokens *t = new_table(0, 0, 0);
	json_t *j;

	(void)state;
	j = post(t, "CONTOSO.test", FORM, "grant_type=client_credentials&client_id=" CLIENT_OK
		 "&client_secret=s3cr+et%2B~&scope=" SCOPE_ENC, 200);
	json_decref(j);
	/* Unknown tenant: without a tenant directory it is the app that is
	 * "not in this directory". */
	expect_error(t, "fabrikam.test", FORM, "grant_type=client_credentials&client_id=" CLIENT_OK
		     "&client_secret=s3cr+et%2B~&scope=" SCOPE_ENC,
		     400, "unauthorized_client", 700016, "fabrikam.test");
	sim_tokens_free(t);
}

static void test_expiry_with_injected_clock(void **state)
{
	sim_tokens *t = new_table(60, 0, 1);
	sim_app app;
	sim_token_identity id;
	char *tok = NULL, *tok2 = NULL;
	errinfo err = ERRINFO_INIT;
	json_t *j;

	(void)state;
	fake_now = 1700000000;
	j = post(t, TENANT_ID, FORM, "grant_type=client_credentials&client_id=" CLIENT_OK
		 "&client_secret=s3cr+et%2B~&scope=" SCOPE_ENC, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "expires_in")), 60);
	tok = strdup(json_string_value(json_object_get(j, "access_token")));
	json_decref(j);

	fake_now += 59;
	assert_int_equal(sim_tokens_lookup(&id, t, tok), SIM_TOKEN_VALID);
	fake_now += 1;   /* exactly at expires_at: expired */
	assert_int_equal(sim_tokens_lookup(&id, t, tok), SIM_TOKEN_EXPIRED);
	assert_string_equal(id.client_id, "");
	/* purged on that lookup */
	assert_int_equal(sim_tokens_count(t), 0);
	assert_int_equal(sim_tokens_lookup(&id, t, tok), SIM_TOKEN_UNKNOWN);

	/* direct issue; expired entries are also purged when issuing */
	assert_int_equal(app_lookup(&app, CLIENT_OK, NULL), 0);
	assert_int_equal(sim_tokens_issue(&tok2, t, &app, &err), 0);
	free(tok);
	tok = NULL;
	assert_int_equal(sim_tokens_issue(&tok, t, &app, &err), 0);
	assert_string_not_equal(tok, tok2);
	assert_int_equal(sim_tokens_count(t), 2);
	fake_now += 3600;
	free(tok2);
	tok2 = NULL;
	assert_int_equal(sim_tokens_issue(&tok2, t, &app, &err), 0);
	assert_int_equal(sim_tokens_count(t), 1);
	assert_int_equal(sim_tokens_lookup(NULL, t, tok2), SIM_TOKEN_VALID);
	free(tok);
	free(tok2);
	sim_tokens_free(t);
}

static void test_capacity(void **state)
{
	sim_tokens *t = new_table(100, 2, 1);
	sim_app app;
	char *a = NULL, *b = NULL, *c = NULL;
	errinfo err = ERRINFO_INIT;
	sim_token_response r = SIM_TOKEN_RESPONSE_INIT;
	const char *body = "grant_type=client_credentials&client_id=" CLIENT_OK
			   "&client_secret=s3cr+et%2B~&scope=" SCOPE_ENC;

	(void)state;
	fake_now = 1700000000;
	assert_int_equal(app_lookup(&app, CLIENT_OK, NULL), 0);
	assert_int_equal(sim_tokens_issue(&a, t, &app, &err), 0);
	assert_int_equal(sim_tokens_issue(&b, t, &app, &err), 0);
	assert_int_equal(sim_tokens_issue(&c, t, &app, &err), ERR_LIMIT);
	assert_null(c);
	assert_non_null(strstr(err.msg, "full"));
	errinfo_clear(&err);
	assert_int_equal(sim_tokens_handle_request(&r, t, TENANT_ID, FORM, body,
						   strlen(body), &err), ERR_LIMIT);
	assert_null(r.body);
	sim_token_response_dispose(&r);
	fake_now += 100;   /* both expire; the next issue makes room */
	errinfo_clear(&err);
	assert_int_equal(sim_tokens_issue(&c, t, &app, &err), 0);
	assert_int_equal(sim_tokens_lookup(NULL, t, a), SIM_TOKEN_UNKNOWN);
	assert_int_equal(sim_tokens_lookup(NULL, t, c), SIM_TOKEN_VALID);
	free(a);
	free(b);
	free(c);
	sim_tokens_free(t);
}

static void test_options(void **state)
{
	sim_tokens_options o = SIM_TOKENS_OPTIONS_INIT;
	sim_tokens *t = (sim_tokens *)1;
	errinfo err = ERRINFO_INIT;

	(void)state;
	assert_int_equal(sim_tokens_new(&t, &o, &err), ERR_INVAL);
	assert_null(t);
	assert_non_null(strstr(err.msg, "app_lookup"));
	o.app_lookup = app_lookup;
	o.lifetime_s = -5;
	errinfo_clear(&err);
	assert_int_equal(sim_tokens_new(&t, &o, &err), ERR_INVAL);
	assert_non_null(strstr(err.msg, "lifetime_s"));
	sim_tokens_free(NULL);
	sim_token_response_dispose(NULL);
	assert_int_equal(sim_tokens_lookup(NULL, NULL, "x"), SIM_TOKEN_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_success),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_odd_bodies),
		cmocka_unit_test(test_without_tenant_lookup),
		cmocka_unit_test(test_expiry_with_injected_clock),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
