/* reader.h - parse an EWS response body and classify it.
 *
 * soap_response_parse() turns the bytes Exchange sent into a soap_response:
 * a SOAP fault (code, text, back-off hint), or the list of response
 * messages of a normal answer - one record per *ResponseMessage, in
 * order, so per-item errors of a batch stay with their item. The special
 * shapes are folded into the same list: the bare m:ResponseMessage of
 * Get/SetUserOofSettings, the top-level ResponseClass of Get/
 * UpdateInboxRules, and the FreeBusyResponseArray of GetUserAvailability.
 *
 * The reader only states facts; mapping response codes to ERR_* and
 * deciding about retries is the EWS client's job (src/ews). Bodies that
 * are not SOAP at all (an HTML error page, a truncated or empty body, a
 * foreign root element) fail with ERR_PARSE and a message that says what
 * came back. Parsing is hardened: no network, no DTD loading, no entity
 * expansion (a document with a DOCTYPE is refused outright, SOAP forbids
 * them), a size cap, and libxml2's default depth limit.
 *
 * The typed readers (read_items.h, read_folders.h, read_other.h) then turn
 * the messages' payloads into JSON.
 */
#ifndef INCLUDE_soap_reader_h__
#define INCLUDE_soap_reader_h__

#include <stddef.h>

#include <libxml/tree.h>

#include "core/errinfo.h"

/* Largest body the reader accepts (attachments come back as base64). */
#define SOAP_RESPONSE_MAX (96u * 1024u * 1024u)

/* One response message. Strings are owned by the soap_response (NULL when
 * the element was absent). node is the message element in the parsed
 * document (borrowed; the typed readers walk it). */
typedef struct soap_msg {
	const char *name;          /* local name, e.g. "GetItemResponseMessage" */
	const char *response_class;/* "Success" | "Warning" | "Error" */
	const char *response_code; /* "NoError", "ErrorItemNotFound", ... */
	const char *message_text;
	const char *inner_code;    /* MessageXml InnerErrorResponseCode */
	const char *inner_text;    /* MessageXml InnerErrorMessageText */
	long backoff_ms;           /* MessageXml BackOffMilliseconds, 0 if none */
	xmlNode *node;
} soap_msg;

/* A parsed response. For a fault, is_fault is set and fault_* are filled;
 * nmsgs is 0. */
typedef struct soap_response {
	xmlDoc *doc;               /* owned */
	long http_status;          /* as given by the caller */
	const char *operation;     /* local name of the Body child, e.g.
				      "GetItemResponse"; NULL for a fault */
	xmlNode *body_child;       /* that element (borrowed) */

	int is_fault;
	const char *fault_code;    /* detail/e:ResponseCode, else faultcode's
				      local part, e.g. "ErrorServerBusy" */
	const char *fault_string;  /* e:Message, else faultstring */
	long fault_backoff_ms;     /* MessageXml BackOffMilliseconds */
	const char *fault_inner_code;

	soap_msg *msgs;
	size_t nmsgs;

	/* t:ServerVersionInfo from the SOAP header; zeros/NULL if absent. */
	int server_major;
	int server_minor;
	int server_major_build;
	int server_minor_build;
	const char *server_version;/* e.g. "V2018_01_08" (never send it back) */

	/* private: string storage */
	char **strs;
	size_t nstrs;
	size_t astrs;
} soap_response;

/**
 * Parses body (len bytes, need not be NUL-terminated).
 * @param[out] out  a new soap_response on success (free with
 *                  soap_response_free()); NULL on failure.
 * @param http_status the HTTP status the body came with (0 if unknown);
 *                  used only to word messages ("... (HTTP 500)").
 * @return 0 for any SOAP envelope (a fault included: check is_fault), or
 *         ERR_PARSE (empty body, HTML page, not well-formed / truncated,
 *         DOCTYPE present, root not soap:Envelope, no Body child),
 *         ERR_LIMIT (body larger than SOAP_RESPONSE_MAX), ERR_NOMEM.
 */
int soap_response_parse(soap_response **out, const char *body, size_t len,
			long http_status, errinfo *err);

/** Frees r and its document (NULL-safe). */
void soap_response_free(soap_response *r);

/** Non-zero if m's ResponseClass is "Error". */
int soap_msg_is_error(const soap_msg *m);

/**
 * The effective code of a message: inner_code when response_code is
 * ErrorInternalServerError and an inner code is present (Exchange wraps
 * ErrorServerBusy that way), else response_code; "NoError" if neither.
 */
const char *soap_msg_effective_code(const soap_msg *m);

/**
 * Helper for callers that decided a fault or message is an error: records
 * its code (errinfo_set_ews_code), back-off hint and text in err with the
 * given ERR_* code and returns that code. what prefixes the message
 * ("GetItem"). For m == NULL the response's fault is used.
 */
int soap_response_set_error(errinfo *err, int code, const char *what,
			    const soap_response *r, const soap_msg *m);

#endif
