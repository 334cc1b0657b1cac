/* test_errors.c - EWS ResponseCode -> error category (src/ews/errors.c).
 * Every code of Microsoft's m:ResponseCodeType (read from the shared
 * schema) gets a category; the codes of ews-protocol.md 6.3 get the one
 * the table promises; Exchange's code and text are kept. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "ews/errors.h"

static const struct {
	const char *code;
	int category;
} table[] = {
	{ "NoError", 0 },
	{ "ErrorImpersonateUserDenied", ERR_ACCESS },
	{ "ErrorImpersonationDenied", ERR_ACCESS },
	{ "ErrorImpersonationFailed", ERR_TRANSIENT },
	{ "ErrorInvalidExchangeImpersonationHeaderData", ERR_CONFIG },
	{ "ErrorNonExistentMailbox", ERR_NOTFOUND },
	{ "ErrorNonPrimarySmtpAddress", ERR_INVAL },
	{ "ErrorInvalidSmtpAddress", ERR_INVAL },
	{ "ErrorInvalidUserPrincipalName", ERR_INVAL },
	{ "ErrorInvalidUserSid", ERR_INVAL },
	{ "ErrorMissingEmailAddress", ERR_CONFIG },
	{ "ErrorAccessDenied", ERR_ACCESS },
	{ "ErrorItemNotFound", ERR_NOTFOUND },
	{ "ErrorFolderNotFound", ERR_NOTFOUND },
	{ "ErrorInvalidIdMalformed", ERR_INVAL },
	{ "ErrorInvalidIdEmpty", ERR_INVAL },
	{ "ErrorInvalidChangeKey", ERR_INVAL },
	{ "ErrorChangeKeyRequiredForWriteOperations", ERR_CONFLICT },
	{ "ErrorIrresolvableConflict", ERR_CONFLICT },
	{ "ErrorMailRecipientNotFound", ERR_NOTFOUND },
	{ "ErrorNoFreeBusyAccess", ERR_ACCESS },
	{ "ErrorSendAsDenied", ERR_ACCESS },
	{ "ErrorSubscriptionDelegateAccessNotSupported", ERR_CONFIG },
	{ "ErrorServerBusy", ERR_THROTTLED },
	{ "ErrorInternalServerTransientError", ERR_TRANSIENT },
	{ "ErrorTimeoutExpired", ERR_TRANSIENT },
	{ "ErrorExceededConnectionCount", ERR_THROTTLED },
	{ "ErrorTooManyObjectsOpened", ERR_THROTTLED },
	{ "ErrorExceededFindCountLimit", ERR_LIMIT },
	{ "ErrorExceededSubscriptionCount", ERR_LIMIT },
	{ "ErrorMailboxMoveInProgress", ERR_TRANSIENT },
	{ "ErrorMailboxStoreUnavailable", ERR_TRANSIENT },
	{ "ErrorConnectionFailed", ERR_TRANSIENT },
	{ "ErrorInvalidServerVersion", ERR_CONFIG },
	{ "ErrorIncorrectSchemaVersion", ERR_CONFIG },
	{ "ErrorInvalidSchemaVersionForMailboxVersion", ERR_CONFIG },
	{ "ErrorInvalidRequest", ERR_PROTOCOL },
	{ "ErrorSchemaValidation", ERR_PROTOCOL },
	{ "ErrorAccountDisabled", ERR_ACCESS },
	{ "ErrorInvalidLicense", ERR_ACCESS },
	{ "ErrorFolderExists", ERR_CONFLICT },
	{ "ErrorQuotaExceeded", ERR_LIMIT },
	{ "ErrorMessageSizeExceeded", ERR_LIMIT },
	{ "ErrorCalendarViewRangeTooBig", ERR_INVAL },
	{ "ErrorNameResolutionNoResults", ERR_NOTFOUND },
	/* by pattern */
	{ "ErrorCannotFindUser", ERR_NOTFOUND },
	{ "ErrorInvalidPropertyForExists", ERR_INVAL },
	{ "ErrorDeleteUnifiedMessagingPromptFailed", ERR_GENERIC },
	{ "ErrorNotAllowedExternalSharingByPolicy", ERR_ACCESS },
	{ "ErrorSomethingNobodyKnows", ERR_GENERIC },
};

static void test_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (ews_error_category(table[i].code) != table[i].category)
			fail_msg("%s: got %d want %d", table[i].code,
				 ews_error_category(table[i].code),
				 table[i].category);
	assert_int_equal(ews_error_category(NULL), 0);
}

/* Every value of m:ResponseCodeType other than NoError is an error. The
 * list is Microsoft's schema (messages.xsd): skipped without it. */
static void test_every_schema_code(void **state)
{
	char *xsd;
	const char *p, *end;
	size_t n = 0, generic = 0;

	(void)state;
	if (!testutil_have_schema())
		skip();
	xsd = testutil_read_file(testutil_schema_path("messages.xsd"), NULL);
	assert_non_null(xsd);
	p = strstr(xsd, "name=\"ResponseCodeType\"");
	assert_non_null(p);
	end = strstr(p, "</xs:simpleType>");
	assert_non_null(end);
	while ((p = strstr(p, "value=\"")) && p < end) {
		char code[128];
		size_t len;

		p += 7;
		len = strcspn(p, "\"");
		assert_true(len < sizeof(code));
		memcpy(code, p, len);
		code[len] = '\0';
		n++;
		if (strcmp(code, "NoError") == 0)
			assert_int_equal(ews_error_category(code), 0);
		else if (ews_error_category(code) >= 0)
			fail_msg("%s maps to no error", code);
		else if (ews_error_category(code) == ERR_GENERIC)
			generic++;
	}
	assert_true(n > 500);
	/* Patterns leave only a minority without a specific category. */
	assert_true(generic < n / 3);
	free(xsd);
}

static void test_set_keeps_code_and_text(void **state)
{
	errinfo err = ERRINFO_INIT;

	(void)state;
	assert_int_equal(ews_error_set(&err, "GetItem", "ErrorItemNotFound",
				       "The specified object was not found in "
				       "the store."), ERR_NOTFOUND);
	assert_int_equal(err.code, ERR_NOTFOUND);
	assert_string_equal(err.ews_code, "ErrorItemNotFound");
	assert_string_equal(err.msg, "GetItem: The specified object was not "
			    "found in the store.");
	/* first message wins: a second error changes nothing */
	ews_error_set(&err, "X", "ErrorAccessDenied", "no");
	assert_string_equal(err.ews_code, "ErrorItemNotFound");
	errinfo_clear(&err);
	ews_error_set(&err, NULL, "ErrorServerBusy", NULL);
	assert_string_equal(err.msg, "Exchange answered ErrorServerBusy");
	assert_true(ews_error_is_transient("ErrorServerBusy"));
	assert_true(ews_error_is_transient("ErrorTimeoutExpired"));
	assert_false(ews_error_is_transient("ErrorExceededFindCountLimit"));
	assert_false(ews_error_is_transient("ErrorItemNotFound"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_every_schema_code),
		cmocka_unit_test(test_set_keeps_code_and_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
