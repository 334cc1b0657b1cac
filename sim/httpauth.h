/* httpauth.h - the HTTP authentication headers of ews-sim: parsing the
 * client's `Authorization` value and building the `WWW-Authenticate`
 * values of a 401, in the forms Exchange (IIS) and Exchange Online use.
 *
 * Schemes (RFC 7235 syntax: scheme name case-insensitive, one space or more,
 * then the credentials):
 *   Basic <base64(user:password)>       RFC 7617; the password may hold ':'
 *   NTLM <base64(NTLMSSP message)>      MS-NLMP over HTTP (MS-NTHT)
 *   Negotiate <base64(token)>           RFC 4559; only raw NTLMSSP tokens
 *                                       are understood (clients that fall
 *                                       back from Kerberos send those)
 *   Bearer <token>                      RFC 6750 (token68 characters)
 *
 * Parsing never reads past the value's NUL and allocates only for the
 * decoded NTLM/Negotiate token and the bearer token (capped sizes).
 * Base64 is core/b64.h (strict: padded, canonical).
 */
#ifndef INCLUDE_sim_httpauth_h__
#define INCLUDE_sim_httpauth_h__

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/errinfo.h"

#define SIM_HTTPAUTH_USER_MAX 256      /* bytes incl. NUL, Basic user name */
#define SIM_HTTPAUTH_PASSWORD_MAX 256  /* bytes incl. NUL, Basic password */
#define SIM_HTTPAUTH_TOKEN_MAX 16384   /* decoded NTLM/Negotiate token bytes */
#define SIM_HTTPAUTH_BEARER_MAX 8192   /* bearer token characters */

typedef enum sim_auth_scheme {
	SIM_AUTH_NONE = 0,   /* no Authorization header (value NULL or blank) */
	SIM_AUTH_BASIC,
	SIM_AUTH_NTLM,
	SIM_AUTH_NEGOTIATE,
	SIM_AUTH_BEARER,
	SIM_AUTH_UNKNOWN     /* a scheme the sim does not support (Digest, ...) */
} sim_auth_scheme;

/** A parsed Authorization value. Embed it, parse into it, dispose it. */
typedef struct sim_httpauth {
	sim_auth_scheme scheme;
	/* Basic: the decoded name and password (UTF-8 as sent, NUL-free). */
	char user[SIM_HTTPAUTH_USER_MAX];
	char password[SIM_HTTPAUTH_PASSWORD_MAX];
	/* NTLM / Negotiate: the decoded token (heap, token_len bytes). */
	uint8_t *token;
	size_t token_len;
	/* Negotiate: 1 when the token is a raw NTLMSSP message (so it can be
	 * handed to sim_ntlm), 0 for SPNEGO/Kerberos, which the sim rejects. */
	int negotiate_is_ntlm;
	/* Bearer: the token text (heap, NUL-terminated). */
	char *bearer;
} sim_httpauth;

#define SIM_HTTPAUTH_INIT { SIM_AUTH_NONE, { 0 }, { 0 }, NULL, 0, 0, NULL }

/**
 * Parses an Authorization header value into *out (which must be
 * SIM_HTTPAUTH_INIT or disposed). value may be NULL (no header):
 * scheme SIM_AUTH_NONE. An unsupported scheme is not an error: scheme
 * SIM_AUTH_UNKNOWN, so the caller answers 401 with its challenges.
 *
 * Returns 0, or ERR_INVAL with err naming what is wrong (e.g.
 * "Authorization: Basic credentials are not valid base64", "... have no
 * ':' between user name and password", "NTLM token is empty"), or
 * ERR_NOMEM. On error *out is left disposed (scheme NONE, no memory).
 * The password is never copied into err.
 */
int sim_httpauth_parse(sim_httpauth *out, const char *value, errinfo *err);

/** Frees what parse allocated and wipes the password; NULL-safe. */
void sim_httpauth_dispose(sim_httpauth *auth);

/** "Basic", "NTLM", "Negotiate", "Bearer"; "" for NONE/UNKNOWN. */
const char *sim_httpauth_scheme_name(sim_auth_scheme scheme);

/**
 * Appends `Basic realm="<realm>"` to out (realm quoted per RFC 7230:
 * '"' and '\' backslash-escaped; control characters dropped). IIS uses
 * the host name as realm. Returns 0 or -1 when out failed.
 */
int sim_httpauth_put_basic_challenge(buf *out, const char *realm);

/**
 * Appends `<Scheme> <base64(data)>` (e.g. "NTLM TlRMTVNTUAACAAAA...") for
 * scheme SIM_AUTH_NTLM or SIM_AUTH_NEGOTIATE; with len 0 just the scheme
 * name ("NTLM", "Negotiate": the bare challenge that starts a handshake or
 * answers a rejected one). Returns 0, or -1 (other scheme / out failed).
 */
int sim_httpauth_put_token_challenge(buf *out, sim_auth_scheme scheme,
				     const void *data, size_t len);

/**
 * Appends the bearer challenge Exchange Online sends:
 *   Bearer authorization_uri="<uri>"[, error="<error>"]
 * error is NULL when no token was presented, "invalid_token" when a token
 * was presented but is unknown or expired (RFC 6750 §3.1). uri and error
 * are quoted like the Basic realm. Returns 0 or -1.
 */
int sim_httpauth_put_bearer_challenge(buf *out, const char *authorization_uri,
				      const char *error);

#endif
