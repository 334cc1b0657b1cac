/* errors.h - EWS ResponseCodes mapped to the project's error categories.
 *
 * Exchange answers with one of 529 ResponseCode values (messages.xsd
 * m:ResponseCodeType). Tools and the audit log need a handful of
 * categories (not found, access denied, invalid input, throttled,
 * transient, auth, config, conflict, limit); callers that want Exchange's
 * own words still have them: every error keeps the code in
 * errinfo.ews_code and Exchange's MessageText in errinfo.msg.
 */
#ifndef INCLUDE_ews_errors_h__
#define INCLUDE_ews_errors_h__

#include "core/errinfo.h"

/**
 * The ERR_* category of an EWS ResponseCode: 0 for "NoError" (and NULL),
 * a negative ERR_* otherwise. Codes in the explicit table (every code of
 * ews-protocol.md section 6.3 and the common operational ones) map as
 * documented there; the others by the schema's naming patterns (…NotFound
 * is not found, ErrorInvalid… invalid input, …Denied access denied, …);
 * a code nobody has heard of is ERR_GENERIC.
 */
int ews_error_category(const char *response_code);

/**
 * Non-zero if the code says the server did not do the work for a
 * temporary reason (busy, transient failure, store unavailable), so a
 * *read* may be repeated after a back-off. Writes are decided elsewhere
 * (retry.h): only a fault proves that nothing was executed.
 */
int ews_error_is_transient(const char *response_code);

/**
 * Fills err from an EWS error answer: code = category, ews_code = the
 * ResponseCode, msg = "<context>: <message_text>" (or, when Exchange sent
 * no text, "<context>: Exchange answered <code>"). context names the
 * operation ("GetItem", "item_ids[2]"); may be NULL. First message wins.
 * @return the category (negative), or ERR_GENERIC for "NoError".
 */
int ews_error_set(errinfo *err, const char *context,
		  const char *response_code, const char *message_text);

#endif
