/* test_url.c - EWS_SERVER_URL normalisation (src/ews/url.c): the forms
 * the Python server accepts, the http:// exception for the simulator, and
 * the inputs that must be refused with a message naming the variable. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "ews/url.h"

static const struct {
	const char *in, *want;
} good[] = {
	{ "mail.contoso.com", "https://mail.contoso.com/EWS/Exchange.asmx" },
	{ "  mail.contoso.com  ", "https://mail.contoso.com/EWS/Exchange.asmx" },
	{ "Mail.Contoso.COM", "https://mail.contoso.com/EWS/Exchange.asmx" },
	{ "https://mail.contoso.com", "https://mail.contoso.com/EWS/Exchange.asmx" },
	{ "https://mail.contoso.com/", "https://mail.contoso.com/EWS/Exchange.asmx" },
	{ "HTTPS://mail.contoso.com/EWS", "https://mail.contoso.com/EWS/Exchange.asmx" },
	{ "https://mail.contoso.com/EWS/", "https://mail.contoso.com/EWS/Exchange.asmx" },
	{ "https://mail.contoso.com/EWS/Exchange.asmx",
	  "https://mail.contoso.com/EWS/Exchange.asmx" },
	{ "https://mail.contoso.com/ews/exchange.asmx",
	  "https://mail.contoso.com/ews/exchange.asmx" },
	{ "https://outlook.office365.com/EWS/Exchange.asmx",
	  "https://outlook.office365.com/EWS/Exchange.asmx" },
	{ "https://gw.contoso.com/exchange/EWS/",
	  "https://gw.contoso.com/exchange/EWS/Exchange.asmx" },
	{ "https://gw.contoso.com/exchange/EWS/v1",
	  "https://gw.contoso.com/exchange/EWS/v1/Exchange.asmx" },
	{ "https://mail.contoso.com:8443", "https://mail.contoso.com:8443/EWS/Exchange.asmx" },
	{ "http://127.0.0.1:41234/EWS/Exchange.asmx",
	  "http://127.0.0.1:41234/EWS/Exchange.asmx" },
	{ "http://127.0.0.1:41234", "http://127.0.0.1:41234/EWS/Exchange.asmx" },
	{ "https://[::1]:8443/EWS/Exchange.asmx", "https://[::1]:8443/EWS/Exchange.asmx" },
	{ "10.0.0.5", "https://10.0.0.5/EWS/Exchange.asmx" },
};

static const struct {
	const char *in, *needle;
} bad[] = {
	{ "", "empty" },
	{ "   ", "empty" },
	{ "ftp://mail.contoso.com", "scheme 'ftp'" },
	{ "https://user:pw@mail.contoso.com", "user name or password" },
	{ "https://mail.contoso.com/EWS/Exchange.asmx?x=1", "query string" },
	{ "https://mail.contoso.com#frag", "query string" },
	{ "https://mail contoso.com", "not allowed" },
	{ "https://mail.contoso.com\r\nX: y", "not allowed" },
	{ "https://-bad.contoso.com", "not a valid host" },
	{ "https://mail..contoso.com", "not a valid host" },
	{ "https://mail.contoso.com:0", "port" },
	{ "https://mail.contoso.com:70000", "port" },
	{ "https://mail.contoso.com:", "empty port" },
	{ "https://mail.contoso.com:80a", "port" },
	{ "https://", "no host" },
	{ "https://mail.contoso.com/owa", "not an EWS endpoint" },
	{ "https://mail.contoso.com/\"x\"", "not allowed" },
	{ "https://[::1", "IPv6" },
};

static void test_good(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		errinfo err = ERRINFO_INIT;
		char *out = NULL;
		int rc = ews_url_normalize(&out, good[i].in, &err);

		if (rc != 0 || !out || strcmp(out, good[i].want) != 0)
			fail_msg("'%s': rc=%d got '%s' want '%s' (%s)", good[i].in,
				 rc, out ? out : "(null)", good[i].want, err.msg);
		free(out);
	}
}

static void test_bad(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errinfo err = ERRINFO_INIT;
		char *out = NULL;
		int rc = ews_url_normalize(&out, bad[i].in, &err);

		if (rc != ERR_CONFIG || out ||
		    strncmp(err.msg, "EWS_SERVER_URL: ", 16) != 0 ||
		    !strstr(err.msg, bad[i].needle))
			fail_msg("'%s': rc=%d msg='%s' (want '%s')", bad[i].in, rc,
				 err.msg, bad[i].needle);
		free(out);
	}
}

static void test_null(void **state)
{
	errinfo err = ERRINFO_INIT;
	char *out = (char *)1;

	(void)state;
	assert_int_equal(ews_url_normalize(&out, NULL, &err), ERR_CONFIG);
	assert_null(out);
	assert_non_null(strstr(err.msg, "not set"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
