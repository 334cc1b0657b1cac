/* req_oof.h - GetUserOofSettings and SetUserOofSettings request builders.
 *
 * The mailbox is named in the body (t:Mailbox/t:Address); reading or
 * writing another user's settings works only when acting as that user
 * (impersonation), see ews-protocol.md section 4.4. Same contract as
 * req_items.h.
 */
#ifndef INCLUDE_soap_req_oof_h__
#define INCLUDE_soap_req_oof_h__

#include "core/buf.h"
#include "core/errinfo.h"
#include "soap/envelope.h"

typedef struct soap_get_oof_args {
	const char *mailbox;
} soap_get_oof_args;

int soap_get_oof_request(buf *out, const soap_header *h,
			 const soap_get_oof_args *a, errinfo *err);

/* state: "Disabled" | "Enabled" | "Scheduled" (required).
 * external_audience: "None" | "Known" | "All"; NULL = "None".
 * start/end: the Duration (xs:dateTime, UTC); required for Scheduled,
 *   optional otherwise (both or neither), end after start.
 * internal_reply / external_reply: reply texts (HTML allowed; escaped
 *   here); NULL = not sent. */
typedef struct soap_set_oof_args {
	const char *mailbox;
	const char *state;
	const char *external_audience;
	const char *start;
	const char *end;
	const char *internal_reply;
	const char *external_reply;
} soap_set_oof_args;

int soap_set_oof_request(buf *out, const soap_header *h,
			 const soap_set_oof_args *a, errinfo *err);

#endif
