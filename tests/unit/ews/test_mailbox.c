/* test_mailbox.c - target_mailbox resolution (src/ews/mailbox.c,
 * address.c): the primary by case and blanks, the seed's "Impersonation
 * not enabled" text verbatim, malformed targets (CR/LF, <x>, XML
 * metacharacters, over-long), the allow-list, the access mode per
 * configuration, the context cache and the seed's log lines. No request
 * is sent: resolving a target costs no round trip. */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "ews/address.h"
#include "ews/call.h"
#include "ews/client.h"
#include "ews/mailbox.h"

/* ---- captured log lines ------------------------------------------------ */

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char logged[8192];

static void hook(log_level level, const char *comp, const char *msg,
		 void *payload)
{
	size_t n;

	(void)payload;
	pthread_mutex_lock(&log_lock);
	n = strlen(logged);
	snprintf(logged + n, sizeof(logged) - n, "%s:%s:%s\n",
		 log_level_name(level), comp, msg);
	pthread_mutex_unlock(&log_lock);
}

static int setup(void **state)
{
	(void)state;
	logged[0] = '\0';
	log_set_level(LOG_LEVEL_DEBUG);
	log_set_hook(hook, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	log_set_hook(NULL, NULL);
	log_set_level(LOG_LEVEL_WARNING);
	return 0;
}

static ews_client *make_client(int enabled, ews_target_type type,
			       ews_auth_type auth, const char *allowed)
{
	ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	ews_client *c = NULL;

	o.url = "http://127.0.0.1:9";
	o.primary_smtp = " svc-mcp@Contoso.test ";
	o.auth_type = auth;
	o.username = "CONTOSO\\svc-mcp";
	o.password = "secret";
	o.tenant_id = "contoso.test";
	o.client_id = "app";
	o.client_secret = "s3cret";
	o.impersonation_enabled = enabled;
	o.impersonation_type = type;
	o.impersonation_allowed = allowed;
	if (ews_client_new(&c, &o, &err) != 0)
		fail_msg("ews_client_new: %s", err.msg);
	return c;
}

static void test_primary(void **state)
{
	static const char *const primaries[] = {
		NULL, "", "   ", "svc-mcp@contoso.test", "SVC-MCP@CONTOSO.TEST",
		"  svc-mcp@contoso.test\t", "\tSvc-Mcp@Contoso.Test "
	};
	ews_client *c = make_client(0, EWS_TARGET_IMPERSONATION,
				    EWS_AUTH_NTLM, NULL);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(primaries) / sizeof(primaries[0]); i++) {
		errinfo err = ERRINFO_INIT;
		ews_mailbox *mb = NULL;

		if (ews_mailbox_resolve(&mb, c, primaries[i], &err) != 0)
			fail_msg("'%s': %s", primaries[i] ? primaries[i] : "NULL",
				 err.msg);
		assert_true(ews_mailbox_is_primary(mb));
		/* "mailbox" of results: EWS_EMAIL, trimmed, as configured */
		assert_string_equal(ews_mailbox_address(mb),
				    "svc-mcp@Contoso.test");
		assert_int_equal(ews_mailbox_access(mb), EWS_ACCESS_SELF);
		ews_mailbox_free(mb);
	}
	ews_client_free(c);
}

static void test_disabled_text_verbatim(void **state)
{
	ews_client *c = make_client(0, EWS_TARGET_IMPERSONATION,
				    EWS_AUTH_NTLM, NULL);
	errinfo err = ERRINFO_INIT;
	ews_mailbox *mb = NULL;

	(void)state;
	assert_int_equal(ews_mailbox_resolve(&mb, c, " user@domain.com ", &err),
			 ERR_CONFIG);
	assert_null(mb);
	assert_string_equal(err.msg,
			    "Impersonation not enabled. Set "
			    "EWS_IMPERSONATION_ENABLED=true to access mailbox: "
			    "user@domain.com");
	ews_client_free(c);
}

static const struct {
	const char *target, *needle;
} malformed[] = {
	{ "bob", "no '@'" },
	{ "bob@", "nothing after '@'" },
	{ "@contoso.test", "nothing before '@'" },
	{ "bob@localhost", "needs a dot" },
	{ "bob@@contoso.test", "more than one '@'" },
	{ "alice@contoso.test\r\nX-Evil: 1", "line break" },
	{ "alice@contoso.test\n", "line break" },
	{ "<alice@contoso.test>", "< > &" },
	{ "x<y>@contoso.test", "< > &" },
	{ "a&b@contoso.test", "< > &" },
	{ "o'brien@contoso.test", "< > &" },
	{ "a\"b@contoso.test", "< > &" },
	{ "al ice@contoso.test", "space" },
	{ "alice@contoso\x01.test", "control character" },
	{ "al\xc3\xa9@contoso.test", "non-ASCII" },
	{ ".alice@contoso.test", "misplaced '.'" },
	{ "alice..b@contoso.test", "misplaced '.'" },
	{ "alice@-contoso.test", "starts with '-'" },
	{ "alice@contoso..test", "empty label" },
	{ "alice@con_toso.test", "not allowed in the domain" },
	{ "alice(x)@contoso.test", "not allowed before '@'" },
};

static void test_malformed(void **state)
{
	ews_client *c = make_client(1, EWS_TARGET_IMPERSONATION,
				    EWS_AUTH_NTLM, NULL);
	char longaddr[400];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		errinfo err = ERRINFO_INIT;
		ews_mailbox *mb = NULL;
		int rc = ews_mailbox_resolve(&mb, c, malformed[i].target, &err);

		if (rc != ERR_INVAL || mb ||
		    strncmp(err.msg, "target_mailbox", 14) != 0 ||
		    !strstr(err.msg, malformed[i].needle) ||
		    strchr(err.msg, '\r') || strchr(err.msg, '\n'))
			fail_msg("target %zu: rc=%d msg='%s' want '%s'", i, rc,
				 err.msg, malformed[i].needle);
	}
	/* over-long: 70-character local part, then a 300-character address */
	memset(longaddr, 'a', 70);
	strcpy(longaddr + 70, "@contoso.test");
	{
		errinfo err = ERRINFO_INIT;
		ews_mailbox *mb = NULL;

		assert_int_equal(ews_mailbox_resolve(&mb, c, longaddr, &err),
				 ERR_INVAL);
		assert_non_null(strstr(err.msg, "longer than 64"));
	}
	memset(longaddr, 'a', 300);
	strcpy(longaddr + 300, "@contoso.test");
	{
		errinfo err = ERRINFO_INIT;
		ews_mailbox *mb = NULL;

		assert_int_equal(ews_mailbox_resolve(&mb, c, longaddr, &err),
				 ERR_INVAL);
		assert_non_null(strstr(err.msg, "longer than 254"));
		assert_non_null(strstr(err.msg, "..."));
	}
	ews_client_free(c);
}

static void test_allow_list(void **state)
{
	ews_client *c = make_client(1, EWS_TARGET_IMPERSONATION, EWS_AUTH_NTLM,
				    "*@contoso.test, ceo@fabrikam.com");
	errinfo err = ERRINFO_INIT;
	ews_mailbox *mb = NULL;

	(void)state;
	assert_int_equal(ews_mailbox_resolve(&mb, c, "Alice@Contoso.Test", &err), 0);
	assert_string_equal(ews_mailbox_address(mb), "alice@contoso.test");
	ews_mailbox_free(mb);
	mb = NULL;
	assert_int_equal(ews_mailbox_resolve(&mb, c, "CEO@fabrikam.com", &err), 0);
	ews_mailbox_free(mb);
	mb = NULL;
	assert_int_equal(ews_mailbox_resolve(&mb, c, "eve@evil.test", &err),
			 ERR_ACCESS);
	assert_null(mb);
	assert_string_equal(err.msg, "target_mailbox eve@evil.test is not in "
			    "EWS_IMPERSONATION_ALLOWED");
	ews_client_free(c);
}

static void test_allow_list_parse(void **state)
{
	static const char *const bad_specs[] = {
		"a@b.c,,d@e.f", "*@contoso.test,", "a b@c.d", "<x>@y.z",
	};
	ews_allowlist *l = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_specs) / sizeof(bad_specs[0]); i++) {
		errinfo err = ERRINFO_INIT;

		assert_int_equal(ews_allowlist_parse(&l, bad_specs[i], &err),
				 ERR_CONFIG);
		assert_null(l);
		assert_non_null(strstr(err.msg, "EWS_IMPERSONATION_ALLOWED"));
	}
	assert_int_equal(ews_allowlist_parse(&l, "  ", NULL), 0);
	assert_null(l);
	assert_true(ews_allowlist_match(NULL, "x@y.z"));
	assert_true(ews_glob_match("*@*.contoso.test", "a@sales.contoso.test"));
	assert_false(ews_glob_match("*@*.contoso.test", "a@contoso.test"));
	assert_true(ews_glob_match("us?r@x.y", "USER@X.Y"));
	assert_false(ews_glob_match("user@x.y", "user@x.yz"));
	assert_true(ews_glob_match("*a*a*a*b", "aaaaaaaaaaaaaaaaaaaab"));
	assert_false(ews_glob_match("*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaa"));
}

/* The SOAP header a context produces decides the access mode on the wire. */
static void expect_mode(ews_client *c, const char *target, ews_access access,
			const char *impersonate)
{
	errinfo err = ERRINFO_INIT;
	ews_mailbox *mb = NULL;
	soap_header h;
	ews_ctx ctx;

	if (ews_mailbox_resolve(&mb, c, target, &err) != 0)
		fail_msg("%s: %s", target ? target : "primary", err.msg);
	assert_int_equal(ews_mailbox_access(mb), access);
	ctx.client = c;
	ctx.mailbox = mb;
	ctx.cancel = NULL;
	ews_ctx_header(&h, &ctx);
	if (impersonate)
		assert_string_equal(h.impersonate, impersonate);
	else
		assert_null(h.impersonate);
	assert_string_equal(h.server_version, "Exchange2016");
	ews_mailbox_free(mb);
}

static void test_access_modes(void **state)
{
	ews_client *c;

	(void)state;
	c = make_client(1, EWS_TARGET_IMPERSONATION, EWS_AUTH_NTLM, NULL);
	expect_mode(c, NULL, EWS_ACCESS_SELF, NULL);
	expect_mode(c, "alice@contoso.test", EWS_ACCESS_IMPERSONATION,
		    "alice@contoso.test");
	ews_client_free(c);

	c = make_client(1, EWS_TARGET_DELEGATE, EWS_AUTH_BASIC, NULL);
	expect_mode(c, NULL, EWS_ACCESS_SELF, NULL);
	expect_mode(c, "carol@contoso.test", EWS_ACCESS_DELEGATE, NULL);
	ews_client_free(c);

	/* App-only OAuth: the header on every request, the primary too, and
	 * delegate mode is impossible (the token names no user). */
	c = make_client(1, EWS_TARGET_DELEGATE, EWS_AUTH_OAUTH2, NULL);
	expect_mode(c, NULL, EWS_ACCESS_SELF, "svc-mcp@Contoso.test");
	expect_mode(c, "bob@contoso.test", EWS_ACCESS_IMPERSONATION,
		    "bob@contoso.test");
	ews_client_free(c);
}

static void test_cache_and_seed_log_lines(void **state)
{
	ews_client *c = make_client(1, EWS_TARGET_IMPERSONATION,
				    EWS_AUTH_NTLM, NULL);
	ews_mailbox *a = NULL, *b = NULL;
	ews_client_stats st;

	(void)state;
	assert_int_equal(ews_mailbox_resolve(&a, c, "User@Domain.com", NULL), 0);
	assert_int_equal(ews_mailbox_resolve(&b, c, " user@domain.com", NULL), 0);
	assert_ptr_equal(a, b);
	assert_false(ews_mailbox_is_verified(a));
	assert_non_null(strstr(logged, "INFO:EWSClient:Creating impersonated "
				       "account for user@domain.com\n"));
	assert_non_null(strstr(logged, "DEBUG:EWSClient:Using cached account "
				       "for user@domain.com\n"));
	ews_client_stats_get(c, &st);
	assert_int_equal(st.requests, 0);   /* no probe request */
	assert_int_equal(st.cached_contexts, 1);
	/* Clearing the cache keeps contexts in use alive. */
	ews_client_clear_cache(c);
	ews_client_stats_get(c, &st);
	assert_int_equal(st.cached_contexts, 0);
	assert_string_equal(ews_mailbox_address(a), "user@domain.com");
	ews_mailbox_free(a);
	ews_mailbox_free(b);
	ews_client_free(c);
}

static void test_client_options(void **state)
{
	static const struct {
		const char *url, *email, *version, *tz, *needle;
	} bad[] = {
		{ "ftp://x.y", "a@b.c", NULL, NULL, "EWS_SERVER_URL" },
		{ "x.y", NULL, NULL, NULL, "EWS_EMAIL: required" },
		{ "x.y", "not-an-address", NULL, NULL, "EWS_EMAIL" },
		{ "x.y", "a@b.c", "Exchange2019", NULL, "EWS_SERVER_VERSION" },
		{ "x.y", "a@b.c", "V2018_01_08", NULL, "EWS_SERVER_VERSION" },
		{ "x.y", "a@b.c", NULL, "Mars/Olympus", "TIMEZONE" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
		errinfo err = ERRINFO_INIT;
		ews_client *c = NULL;

		o.url = bad[i].url;
		o.primary_smtp = bad[i].email;
		o.server_version = bad[i].version;
		o.timezone = bad[i].tz;
		o.auth_type = EWS_AUTH_BASIC;
		o.username = "u";
		o.password = "p";
		if (ews_client_new(&c, &o, &err) != ERR_CONFIG || c ||
		    !strstr(err.msg, bad[i].needle))
			fail_msg("case %zu: %s", i, err.msg);
	}
	{
		ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
		errinfo err = ERRINFO_INIT;
		ews_client *c = NULL;

		/* oauth2 without a secret names the variable */
		o.url = "x.y";
		o.primary_smtp = "a@b.c";
		o.tenant_id = "t";
		o.client_id = "c";
		assert_int_equal(ews_client_new(&c, &o, &err), ERR_CONFIG);
		assert_non_null(strstr(err.msg, "EWS_CLIENT_SECRET"));
	}
	{
		ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
		errinfo err = ERRINFO_INIT;
		ews_client *c = NULL;

		o.url = "x.y";
		o.primary_smtp = "a@b.c";
		o.auth_type = EWS_AUTH_NTLM;
		assert_int_equal(ews_client_new(&c, &o, &err), ERR_CONFIG);
		assert_non_null(strstr(err.msg, "EWS_USERNAME"));
	}
	{
		ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
		errinfo err = ERRINFO_INIT;
		ews_client *c = NULL;

		o.url = "mail.contoso.com";
		o.primary_smtp = "a@b.c";
		o.auth_type = EWS_AUTH_NEGOTIATE;  /* no password needed */
		o.timezone = "Europe/Berlin";
		assert_int_equal(ews_client_new(&c, &o, &err), 0);
		assert_string_equal(ews_client_url(c),
				    "https://mail.contoso.com/EWS/Exchange.asmx");
		assert_string_equal(ews_client_timezone_id(c),
				    "W. Europe Standard Time");
		ews_client_free(c);
	}
}

/* A long target shown in an error is cut between characters, then
 * marked with "...": a cut inside one would make the error unreadable
 * as JSON. */
static void test_address_show_cuts_between_characters(void **state)
{
	char in[200], out[128];
	size_t shift;

	(void)state;
	for (shift = 0; shift < 2; shift++) {
		size_t n = shift, len;

		memset(in, 'a', shift);
		while (n + 2 < sizeof(in) - 1) {
			in[n++] = '\xc3';
			in[n++] = '\xa9';
		}
		in[n] = '\0';
		ews_address_show(out, sizeof(out), in);
		len = strlen(out);
		assert_true(len > 3 && strcmp(out + len - 3, "...") == 0);
		/* the byte before "..." ends a character: not a lead byte */
		assert_true(((unsigned char)out[len - 4] & 0xC0) != 0xC0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_primary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disabled_text_verbatim,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allow_list, setup, teardown),
		cmocka_unit_test(test_allow_list_parse),
		cmocka_unit_test(test_address_show_cuts_between_characters),
		cmocka_unit_test_setup_teardown(test_access_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_and_seed_log_lines,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_options, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
