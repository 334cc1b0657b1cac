/* url.h - EWS_SERVER_URL normalisation.
 *
 * Users give the Exchange endpoint the way the Python ews-mcp accepts it:
 * a bare host ("mail.contoso.com"), a base URL ("https://mail.contoso.com")
 * or the full endpoint ("https://mail.contoso.com/EWS/Exchange.asmx").
 * This module turns any of those into the one URL the transport posts to,
 * and refuses anything else with a message naming EWS_SERVER_URL.
 */
#ifndef INCLUDE_ews_url_h__
#define INCLUDE_ews_url_h__

#include "core/errinfo.h"

/**
 * Normalises an EWS_SERVER_URL value:
 *  - no scheme: https:// is assumed (http:// is used only when written
 *    explicitly, e.g. for ews-sim on loopback);
 *  - an empty path, "/" or "/EWS" becomes "/EWS/Exchange.asmx";
 *  - a path containing "/EWS/" without ".asmx" gets "Exchange.asmx"
 *    appended (a missing '/' is added first);
 *  - a path ending in ".asmx" is kept as given (reverse proxies publish
 *    EWS under their own prefixes);
 *  - the scheme and host are lower-cased; the port is kept.
 * Refused (ERR_CONFIG, message starting "EWS_SERVER_URL: "): empty input,
 * whitespace or control characters inside, schemes other than http/https,
 * user:password@ in the URL (credentials belong in EWS_USERNAME/
 * EWS_PASSWORD), a missing or malformed host, a port outside 1..65535, a
 * query or fragment, and any other path (it is not an EWS endpoint).
 *
 * @param[out] out the normalised URL (heap; caller frees), NULL on error.
 * @return 0, ERR_CONFIG or ERR_NOMEM.
 */
int ews_url_normalize(char **out, const char *input, errinfo *err);

#endif
