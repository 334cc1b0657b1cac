/* call.h - one EWS operation on the wire: envelope headers for a mailbox
 * context, the POST with the retry policy, and the classification of
 * Exchange's answer. Used by the ops_*.c wrappers; tools never call it.
 */
#ifndef INCLUDE_ews_call_h__
#define INCLUDE_ews_call_h__

#include "core/buf.h"
#include "core/errinfo.h"
#include "ews/client.h"
#include "ews/retry.h"
#include "soap/envelope.h"
#include "soap/reader.h"

typedef struct ews_call {
	const char *op;            /* "FindItem": logs, errors, the hook */
	ews_op_kind kind;          /* read or write (retry.h) */
	int mailbox_bound;         /* the request addresses ctx's mailbox, so
				    * a NonExistentMailbox / ImpersonateUser-
				    * Denied answer is about the target */
	const char *outcome_hint;  /* writes: what to check when the answer
				    * is lost; NULL = a generic hint */
} ews_call;

/**
 * The SOAP headers for ctx: server version, TimeZoneContext and, when the
 * context impersonates, ExchangeImpersonation with its address. The
 * strings are borrowed from the client and the context.
 */
void ews_ctx_header(soap_header *h, const ews_ctx *ctx);

/**
 * Sends body (a complete envelope) for ctx and returns Exchange's parsed
 * answer, retrying as retry.h allows. On success *out holds a response
 * whose messages may still carry per-item errors (the caller checks
 * them: ews_call_check_message). Failures that concern the target
 * mailbox become "Failed to access mailbox <x>: <text>".
 * @return 0, or ERR_* with err filled (http_status, ews_code, backoff_ms
 *         as known).
 */
int ews_call_post(soap_response **out, const ews_ctx *ctx,
		  const ews_call *call, const buf *body, errinfo *err);

/**
 * Maps message i of r to err when it is an Error (Warning and Success
 * pass): "<op>: <MessageText>" with the category of its effective code.
 * @return 0 or the category.
 */
int ews_call_check_message(const ews_call *call, const soap_response *r,
			   size_t i, errinfo *err);

#endif
