/* test_httpauth.c - sim/httpauth.c: Authorization values in, parsed
 * credentials or a clear error out; WWW-Authenticate values built. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "core/b64.h"
#include "sim/httpauth.h"

static const struct {
	const char *value;
	int rc;                  /* 0 or ERR_INVAL */
	sim_auth_scheme scheme;
	const char *user;        /* Basic */
	const char *password;    /* Basic */
	const char *bearer;      /* Bearer */
	size_t token_len;        /* NTLM / Negotiate */
	int negotiate_is_ntlm;
	const char *err_part;    /* substring of the error message */
} cases[] = {
	{ NULL, 0, SIM_AUTH_NONE, NULL, NULL, NULL, 0, 0, NULL },
	{ "", 0, SIM_AUTH_NONE, NULL, NULL, NULL, 0, 0, NULL },
	{ "   ", 0, SIM_AUTH_NONE, NULL, NULL, NULL, 0, 0, NULL },
	/* alice:Secr3t! */
	{ "Basic YWxpY2U6U2VjcjN0IQ==", 0, SIM_AUTH_BASIC, "alice", "Secr3t!", NULL, 0, 0, NULL },
	/* scheme is case-insensitive, extra blanks allowed */
	{ "  basic   YWxpY2U6U2VjcjN0IQ==  ", 0, SIM_AUTH_BASIC, "alice", "Secr3t!", NULL, 0, 0, NULL },
	/* CONTOSO\alice:pa:ss (password keeps its ':') */
	{ "Basic Q09OVE9TT1xhbGljZTpwYTpzcw==", 0, SIM_AUTH_BASIC, "CONTOSO\\alice", "pa:ss", NULL, 0, 0, NULL },
	/* alice: (empty password is allowed by RFC 7617) */
	{ "Basic YWxpY2U6", 0, SIM_AUTH_BASIC, "alice", "", NULL, 0, 0, NULL },
	/* UTF-8 user name: jürgen@contoso.test:x */
	{ "Basic asO8cmdlbkBjb250b3NvLnRlc3Q6eA==", 0, SIM_AUTH_BASIC, "j\xc3\xbcrgen@contoso.test", "x", NULL, 0, 0, NULL },
	{ "Basic", ERR_INVAL, SIM_AUTH_NONE, NULL, NULL, NULL, 0, 0, "Basic credentials are empty" },
	{ "Basic !!!!", ERR_INVAL, SIM_AUTH_NONE, NULL, NULL, NULL, 0, 0, "not valid base64" },
	{ "Basic YWxpY2U", ERR_INVAL, SIM_AUTH_NONE, NULL, NULL, NULL, 0, 0, "not valid base64" },
	/* "alice" - no colon */
	{ "Basic YWxpY2U=", ERR_INVAL, SIM_AUTH_NONE, NULL, NULL, NULL, 0, 0, "no ':'" },
	/* ":pw" - empty user */
	{ "Basic OnB3", ERR_INVAL, SIM_AUTH_NONE, NULL, NULL, NULL, 0, 0, "empty user name" },
	/* "a\0b:c" */
	{ "Basic YQBiOmM=", ERR_INVAL, SIM_AUTH_NONE, NULL, NULL, NULL, 0, 0, "NUL byte" },
	/* NTLMSSP\0 + type 1 + flags (16 bytes) */
	{ "NTLM TlRMTVNTUAABAAAAB4IIog==", 0, SIM_AUTH_NTLM, NULL, NULL, NULL, 16, 0, NULL },
	{ "ntlm TlRMTVNTUAABAAAAB4IIog==", 0, SIM_AUTH_NTLM, NULL, NULL, NULL, 16, 0, NULL },
	{ "Negotiate TlRMTVNTUAABAAAAB4IIog==", 0, SIM_AUTH_NEGOTIATE, NULL, NULL, NULL, 16, 1, NULL },
	/* a SPNEGO NegTokenInit starts with 0x60: Negotiate but not NTLM */
	{ "Negotiate YIIBBgYGKwYBBQUC", 0, SIM_AUTH_NEGOTIATE, NULL, NULL, NULL, 12, 0, NULL },
	{ "NTLM", ERR_INVAL, SIM_AUTH_NONE, NULL, NULL, NULL, 0, 0, "NTLM token is empty" },
	{ "NTLM ****", ERR_INVAL, SIM_AUTH_NONE, NULL, NULL, NULL, 0, 0, "not valid base64" },
	{ "Negotiate TlRM TVNT", ERR_INVAL, SIM_AUTH_NONE, NULL, NULL, NULL, 0, 0, "not valid base64" },
	{ "Bearer eyJ0eXAiOiJKV1QifQ.e30.sig-_~+/==", 0, SIM_AUTH_BEARER, NULL, NULL, "eyJ0eXAiOiJKV1QifQ.e30.sig-_~+/==", 0, 0, NULL },
	{ "bearer abc", 0, SIM_AUTH_BEARER, NULL, NULL, "abc", 0, 0, NULL },
	{ "Bearer", ERR_INVAL, SIM_AUTH_NONE, NULL, NULL, NULL, 0, 0, "Bearer token is empty" },
	{ "Bearer a b", ERR_INVAL, SIM_AUTH_NONE, NULL, NULL, NULL, 0, 0, "token68" },
	{ "Bearer =abc", ERR_INVAL, SIM_AUTH_NONE, NULL, NULL, NULL, 0, 0, "token68" },
	{ "Digest username=\"a\"", 0, SIM_AUTH_UNKNOWN, NULL, NULL, NULL, 0, 0, NULL },
	{ "Basicx YWxpY2U6eA==", 0, SIM_AUTH_UNKNOWN, NULL, NULL, NULL, 0, 0, NULL },
};

static void test_parse_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sim_httpauth a = SIM_HTTPAUTH_INIT;
		errinfo err = ERRINFO_INIT;
		int rc = sim_httpauth_parse(&a, cases[i].value, &err);

		print_message("case %zu: %s\n", i, cases[i].value ? cases[i].value : "(null)");
		assert_int_equal(rc, cases[i].rc);
		assert_int_equal(a.scheme, cases[i].scheme);
		if (cases[i].err_part) {
			assert_non_null(strstr(err.msg, cases[i].err_part));
			assert_null(a.token);
			assert_null(a.bearer);
		}
		if (cases[i].user) {
			assert_string_equal(a.user, cases[i].user);
			assert_string_equal(a.password, cases[i].password);
		}
		if (cases[i].bearer)
			assert_string_equal(a.bearer, cases[i].bearer);
		if (cases[i].token_len) {
			assert_non_null(a.token);
			assert_int_equal(a.token_len, cases[i].token_len);
		}
		assert_int_equal(a.negotiate_is_ntlm, cases[i].negotiate_is_ntlm);
		sim_httpauth_dispose(&a);
		sim_httpauth_dispose(&a);  /* idempotent */
	}
}

static void test_parse_limits(void **state)
{
	static char value[40000];
	sim_httpauth a = SIM_HTTPAUTH_INIT;
	errinfo err = ERRINFO_INIT;

	(void)state;
	/* A 21,848-character token decodes past the 16 KiB cap. */
	strcpy(value, "NTLM ");
	memset(value + 5, 'A', 21848);
	value[5 + 21848] = '\0';
	assert_int_equal(sim_httpauth_parse(&a, value, &err), ERR_INVAL);
	assert_non_null(strstr(err.msg, "longer than"));
	assert_null(a.token);

	/* Exactly at the cap is accepted, one byte more is not. */
	{
		static uint8_t raw[SIM_HTTPAUTH_TOKEN_MAX + 1];
		buf b = BUF_INIT(sizeof(value));

		buf_puts(&b, "NTLM ");
		assert_int_equal(b64_encode(&b, raw, SIM_HTTPAUTH_TOKEN_MAX, NULL), 0);
		assert_int_equal(sim_httpauth_parse(&a, buf_cstr(&b), &err), 0);
		assert_int_equal(a.token_len, SIM_HTTPAUTH_TOKEN_MAX);
		sim_httpauth_dispose(&a);
		buf_clear(&b);
		buf_puts(&b, "NTLM ");
		assert_int_equal(b64_encode(&b, raw, SIM_HTTPAUTH_TOKEN_MAX + 1, NULL), 0);
		assert_int_equal(sim_httpauth_parse(&a, buf_cstr(&b), &err), ERR_INVAL);
		buf_dispose(&b);
	}

	errinfo_clear(&err);
	strcpy(value, "Bearer ");
	memset(value + 7, 'x', SIM_HTTPAUTH_BEARER_MAX + 1);
	value[7 + SIM_HTTPAUTH_BEARER_MAX + 1] = '\0';
	assert_int_equal(sim_httpauth_parse(&a, value, &err), ERR_INVAL);
	assert_non_null(strstr(err.msg, "longer than"));
}

static void test_basic_user_too_long(void **state)
{
	/* "u" * 300 + ":p", base64-encoded by the NTLM challenge builder and
	 * re-labelled as Basic. */
	char raw[303];
	buf b = BUF_INIT(1000);
	sim_httpauth a = SIM_HTTPAUTH_INIT;
	errinfo err = ERRINFO_INIT;
	char *value;

	(void)state;
	memset(raw, 'u', 300);
	memcpy(raw + 300, ":p", 3);
	assert_int_equal(sim_httpauth_put_token_challenge(&b, SIM_AUTH_NTLM, raw, 302), 0);
	value = strdup(buf_cstr(&b));
	memcpy(value, "XXXX", 4);           /* "NTLM <b64>" -> "XXXX <b64>" */
	buf_clear(&b);
	buf_puts(&b, "Basic");
	buf_puts(&b, value + 4);
	assert_int_equal(sim_httpauth_parse(&a, buf_cstr(&b), &err), ERR_INVAL);
	assert_non_null(strstr(err.msg, "user name is longer than"));
	free(value);
	buf_dispose(&b);
}

static void test_challenges(void **state)
{
	buf b = BUF_INIT(1024);

	(void)state;
	assert_int_equal(sim_httpauth_put_basic_challenge(&b, "mail.contoso.test"), 0);
	assert_string_equal(buf_cstr(&b), "Basic realm=\"mail.contoso.test\"");
	buf_clear(&b);
	assert_int_equal(sim_httpauth_put_basic_challenge(&b, "a\"b\\c\r\nd"), 0);
	assert_string_equal(buf_cstr(&b), "Basic realm=\"a\\\"b\\\\cd\"");
	buf_clear(&b);
	assert_int_equal(sim_httpauth_put_token_challenge(&b, SIM_AUTH_NTLM, NULL, 0), 0);
	assert_string_equal(buf_cstr(&b), "NTLM");
	buf_clear(&b);
	assert_int_equal(sim_httpauth_put_token_challenge(&b, SIM_AUTH_NEGOTIATE, NULL, 0), 0);
	assert_string_equal(buf_cstr(&b), "Negotiate");
	buf_clear(&b);
	assert_int_equal(sim_httpauth_put_token_challenge(&b, SIM_AUTH_NTLM, "NTLMSSP\0\2\0\0\0", 12), 0);
	assert_string_equal(buf_cstr(&b), "NTLM TlRMTVNTUAACAAAA");
	buf_clear(&b);
	assert_int_equal(sim_httpauth_put_bearer_challenge(&b, "https://login.microsoftonline.com/common/oauth2/authorize", NULL), 0);
	assert_string_equal(buf_cstr(&b), "Bearer authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\"");
	buf_clear(&b);
	assert_int_equal(sim_httpauth_put_bearer_challenge(&b, "https://login.microsoftonline.com/common/oauth2/authorize", "invalid_token"), 0);
	assert_string_equal(buf_cstr(&b), "Bearer authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", error=\"invalid_token\"");
	buf_clear(&b);
	/* Only NTLM and Negotiate carry base64 tokens. */
	assert_int_equal(sim_httpauth_put_token_challenge(&b, SIM_AUTH_BASIC, "x", 1), -1);
	assert_string_equal(sim_httpauth_scheme_name(SIM_AUTH_BASIC), "Basic");
	assert_string_equal(sim_httpauth_scheme_name(SIM_AUTH_UNKNOWN), "");
	buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_parse_limits),
		cmocka_unit_test(test_basic_user_too_long),
		cmocka_unit_test(test_challenges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
