/* envelope.h - the SOAP 1.1 envelope and EWS SOAP headers of a request.
 *
 * Every request builder in this folder starts with soap_envelope_begin()
 * and ends with soap_envelope_end(); callers outside src/soap normally use
 * the builders (req_*.h) and only fill a soap_header. The envelope uses the
 * prefixes soap (http://schemas.xmlsoap.org/soap/envelope/), t (EWS types)
 * and m (EWS messages), as ews-protocol.md section 1 describes.
 */
#ifndef INCLUDE_soap_envelope_h__
#define INCLUDE_soap_envelope_h__

#include "core/buf.h"
#include "core/errinfo.h"

#define SOAP_NS_ENVELOPE "http://schemas.xmlsoap.org/soap/envelope/"
#define SOAP_NS_TYPES "http://schemas.microsoft.com/exchange/services/2006/types"
#define SOAP_NS_MESSAGES "http://schemas.microsoft.com/exchange/services/2006/messages"
#define SOAP_NS_ERRORS "http://schemas.microsoft.com/exchange/services/2006/errors"

/* A sensible cap for a request buffer (attachments are inline base64). */
#define SOAP_REQUEST_MAX (64u * 1024u * 1024u)

/* The SOAP headers of one request.
 *
 * server_version: t:RequestServerVersion/@Version. Only "Exchange2016"
 *   (Exchange 2016, 2019 and Online), "Exchange2013_SP1" and
 *   "Exchange2010_SP2" are accepted; NULL means "Exchange2016". Anything
 *   else - notably "Exchange2019", which is not in the schema, and the
 *   "V2018_01_08"-style strings a server reports back - is refused with
 *   ERR_INVAL, because Exchange answers those with ErrorInvalidRequest.
 * impersonate: SMTP address for t:ExchangeImpersonation/t:ConnectingSID/
 *   t:PrimarySmtpAddress; NULL = no impersonation header. An empty string
 *   is refused (the schema and Exchange reject an empty ConnectingSID).
 *   App-only OAuth needs it on every operation, the caller decides.
 * timezone_id: Windows time zone id for t:TimeZoneContext (e.g.
 *   "W. Europe Standard Time"); NULL = no header, times come back in UTC.
 * datetime_precision: "Seconds" | "Milliseconds" for t:DateTimePrecision;
 *   NULL = not sent.
 * mailbox_culture: t:MailboxCulture, e.g. "en-US"; NULL = not sent. */
typedef struct soap_header {
	const char *server_version;
	const char *impersonate;
	const char *timezone_id;
	const char *datetime_precision;
	const char *mailbox_culture;
} soap_header;

#define SOAP_HEADER_INIT { "Exchange2016", NULL, NULL, NULL, NULL }

/** Non-zero if version is one the writer sends (see soap_header). */
int soap_version_is_supported(const char *version);

/**
 * Appends the XML declaration, soap:Envelope with the t/m namespaces,
 * soap:Header with the headers h asks for (in the order RequestServerVersion,
 * MailboxCulture, ExchangeImpersonation, TimeZoneContext, DateTimePrecision)
 * and the opening soap:Body. h may be NULL (= SOAP_HEADER_INIT).
 *
 * @return 0, or ERR_INVAL (bad header value, err names it) / ERR_NOMEM
 *         (buffer cap). On failure out is restored to its previous length.
 */
int soap_envelope_begin(buf *out, const soap_header *h, errinfo *err);

/**
 * Appends </soap:Body></soap:Envelope> and checks the buffer once.
 * @return 0, or ERR_NOMEM if the buffer failed at any point (cap passed).
 */
int soap_envelope_end(buf *out, errinfo *err);

#endif
