/* errors.c - EWS ResponseCode -> ERR_* category (see errors.h).
 *
 * The table below is the policy: it lists the codes whose category is a
 * decision (a "not found" that really is a permission problem stays "not
 * found", because EWS hides what the caller may not see; an impersonation
 * header the token type forbids is a configuration error, not an access
 * error). Everything else falls back to the schema's naming conventions,
 * checked in a fixed order, so all 529 schema values get a category.
 */
#include "ews/errors.h"

#include <string.h>

static const struct {
	const char *code;
	int category;
} table[] = {
	/* Mailbox targeting (ews-protocol.md 6.3). */
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
	{ "ErrorChangeKeyRequired", ERR_CONFLICT },
	{ "ErrorIrresolvableConflict", ERR_CONFLICT },
	{ "ErrorStaleObject", ERR_CONFLICT },
	{ "ErrorMailRecipientNotFound", ERR_NOTFOUND },
	{ "ErrorNoFreeBusyAccess", ERR_ACCESS },
	{ "ErrorSendAsDenied", ERR_ACCESS },
	{ "ErrorSubscriptionDelegateAccessNotSupported", ERR_CONFIG },
	{ "ErrorNotDelegate", ERR_ACCESS },
	{ "ErrorDelegateNoUser", ERR_NOTFOUND },
	{ "ErrorWrongServerVersionDelegate", ERR_CONFIG },
	{ "ErrorAccountDisabled", ERR_ACCESS },
	{ "ErrorInvalidLicense", ERR_ACCESS },
	{ "ErrorOrganizationAccessBlocked", ERR_ACCESS },
	{ "ErrorUserNotAllowedByPolicy", ERR_ACCESS },
	{ "ErrorMailboxLogonFailed", ERR_ACCESS },
	{ "ErrorPasswordExpired", ERR_AUTH },
	{ "ErrorPasswordChangeRequired", ERR_AUTH },
	{ "ErrorInvalidClientSecurityContext", ERR_AUTH },
	{ "ErrorInvalidAuthorizationContext", ERR_AUTH },
	{ "ErrorProxyTokenExpired", ERR_TRANSIENT },
	{ "ErrorNoOAuthServerAvailableForRequest", ERR_CONFIG },
	{ "ErrorCallerIsInvalidADAccount", ERR_AUTH },
	/* Throttling and transient failures (6.3, 6.4). */
	{ "ErrorServerBusy", ERR_THROTTLED },
	{ "ErrorExceededConnectionCount", ERR_THROTTLED },
	{ "ErrorTooManyObjectsOpened", ERR_THROTTLED },
	{ "ErrorInsufficientResources", ERR_THROTTLED },
	{ "ErrorExceededFindCountLimit", ERR_LIMIT },
	{ "ErrorExceededSubscriptionCount", ERR_LIMIT },
	{ "ErrorInternalServerTransientError", ERR_TRANSIENT },
	{ "ErrorTimeoutExpired", ERR_TRANSIENT },
	{ "ErrorMailboxMoveInProgress", ERR_TRANSIENT },
	{ "ErrorMailboxStoreUnavailable", ERR_TRANSIENT },
	{ "ErrorConnectionFailed", ERR_TRANSIENT },
	{ "ErrorMailboxFailover", ERR_TRANSIENT },
	{ "ErrorADUnavailable", ERR_TRANSIENT },
	{ "ErrorServiceUnavailable", ERR_TRANSIENT },
	{ "ErrorProxyRequestProcessingFailed", ERR_TRANSIENT },
	{ "ErrorFreeBusyGenerationFailed", ERR_TRANSIENT },
	{ "ErrorBatchProcessingStopped", ERR_TRANSIENT },
	{ "ErrorClientDisconnected", ERR_TRANSIENT },
	{ "ErrorRequestAborted", ERR_TRANSIENT },
	{ "ErrorNotEnoughMemory", ERR_TRANSIENT },
	{ "ErrorInternalServerError", ERR_GENERIC },
	/* Version and schema problems are ours to fix (section 2). */
	{ "ErrorInvalidServerVersion", ERR_CONFIG },
	{ "ErrorIncorrectSchemaVersion", ERR_CONFIG },
	{ "ErrorInvalidSchemaVersionForMailboxVersion", ERR_CONFIG },
	{ "ErrorInvalidRequest", ERR_PROTOCOL },
	{ "ErrorSchemaValidation", ERR_PROTOCOL },
	{ "ErrorDuplicateSOAPHeader", ERR_PROTOCOL },
	{ "ErrorNoDestinationCASDueToKerberosRequirements", ERR_CONFIG },
	{ "ErrorNoDestinationCASDueToSSLRequirements", ERR_CONFIG },
	{ "ErrorNoDestinationCASDueToVersionMismatch", ERR_CONFIG },
	/* Input the caller can correct. */
	{ "ErrorNameResolutionNoResults", ERR_NOTFOUND },
	{ "ErrorNameResolutionNoMailbox", ERR_NOTFOUND },
	{ "ErrorNameResolutionMultipleResults", ERR_INVAL },
	{ "ErrorCalendarViewRangeTooBig", ERR_INVAL },
	{ "ErrorCalendarEndDateIsEarlierThanStartDate", ERR_INVAL },
	{ "ErrorMissingRecipients", ERR_INVAL },
	{ "ErrorMissingArgument", ERR_INVAL },
	{ "ErrorValueOutOfRange", ERR_INVAL },
	{ "ErrorDeleteDistinguishedFolder", ERR_INVAL },
	{ "ErrorMoveDistinguishedFolder", ERR_INVAL },
	{ "ErrorCrossMailboxMoveCopy", ERR_INVAL },
	{ "ErrorFolderExists", ERR_CONFLICT },
	{ "ErrorDuplicateInputFolderNames", ERR_CONFLICT },
	{ "ErrorDelegateAlreadyExists", ERR_CONFLICT },
	{ "ErrorManagedFolderAlreadyExists", ERR_CONFLICT },
	{ "ErrorOutlookRuleBlobExists", ERR_CONFLICT },
	/* Size and quota limits. */
	{ "ErrorMessageSizeExceeded", ERR_LIMIT },
	{ "ErrorQuotaExceeded", ERR_LIMIT },
	{ "ErrorSubmissionQuotaExceeded", ERR_LIMIT },
	{ "ErrorExceededMessageLimit", ERR_LIMIT },
	{ "ErrorExceededMaxRecipientLimit", ERR_LIMIT },
	{ "ErrorMailboxDataArrayTooBig", ERR_LIMIT },
	{ "ErrorRequestStreamTooBig", ERR_LIMIT },
	{ "ErrorResultSetTooBig", ERR_LIMIT },
	{ "ErrorRestrictionTooComplex", ERR_LIMIT },
	{ "ErrorRestrictionTooLong", ERR_LIMIT },
	{ "ErrorQueryFilterTooLong", ERR_LIMIT },
	{ "ErrorRulesOverQuota", ERR_LIMIT },
	{ "ErrorAttachmentSizeLimitExceeded", ERR_LIMIT },
	{ "ErrorDataSizeLimitExceeded", ERR_LIMIT },
	{ "ErrorMessageBlocked", ERR_ACCESS },
	{ "ErrorMessageSubmissionBlocked", ERR_ACCESS },
	{ "ErrorAccountSuspend", ERR_ACCESS },
	{ "ErrorVirusDetected", ERR_ACCESS },
	{ "ErrorVirusMessageDeleted", ERR_ACCESS },
};

/* Naming conventions of m:ResponseCodeType, most specific first. */
static const struct {
	const char *part;
	int category;
} patterns[] = {
	{ "ErrorInvalid", ERR_INVAL },
	{ "NotFound", ERR_NOTFOUND },
	{ "NotExist", ERR_NOTFOUND },
	{ "CannotFind", ERR_NOTFOUND },
	{ "Denied", ERR_ACCESS },
	{ "NotAllowed", ERR_ACCESS },
	{ "NotAuthorized", ERR_ACCESS },
	{ "Unauthorized", ERR_ACCESS },
	{ "Transient", ERR_TRANSIENT },
	{ "Unavailable", ERR_TRANSIENT },
	{ "TimedOut", ERR_TRANSIENT },
	{ "Timeout", ERR_TRANSIENT },
	{ "Quota", ERR_LIMIT },
	{ "LimitExceeded", ERR_LIMIT },
	{ "LimitReached", ERR_LIMIT },
	{ "TooBig", ERR_LIMIT },
	{ "TooLong", ERR_LIMIT },
	{ "TooMany", ERR_LIMIT },
	{ "AlreadyExists", ERR_CONFLICT },
	{ "Exists", ERR_CONFLICT },
	{ "Conflict", ERR_CONFLICT },
	{ "ErrorCalendar", ERR_INVAL },
	{ "ErrorCannot", ERR_INVAL },
	{ "ErrorMissing", ERR_INVAL },
	{ "ErrorUnsupported", ERR_INVAL },
	{ "Required", ERR_INVAL },
	{ "Malformed", ERR_INVAL },
	{ "Disabled", ERR_CONFIG },
	{ "NotEnabled", ERR_CONFIG },
};

int ews_error_category(const char *code)
{
	size_t i;

	if (!code || !*code || strcmp(code, "NoError") == 0)
		return 0;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(table[i].code, code) == 0)
			return table[i].category;
	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
		if (strstr(code, patterns[i].part))
			return patterns[i].category;
	return ERR_GENERIC;
}

int ews_error_is_transient(const char *code)
{
	int category = ews_error_category(code);

	/* ErrorExceededFindCountLimit is a LIMIT: the same page size fails
	 * again, so it is not worth repeating. */
	return category == ERR_THROTTLED || category == ERR_TRANSIENT;
}

int ews_error_set(errinfo *err, const char *context, const char *code,
		  const char *text)
{
	int category = ews_error_category(code);
	int first = err && !err->msg[0];

	if (category == 0)
		category = ERR_GENERIC;
	if (text && *text)
		errinfo_set(err, category, "%s%s%s", context ? context : "",
			    context ? ": " : "", text);
	else
		errinfo_set(err, category, "%s%sExchange answered %s",
			    context ? context : "", context ? ": " : "",
			    code ? code : "an unknown error");
	if (first && code)
		errinfo_set_ews_code(err, code);
	return category;
}
