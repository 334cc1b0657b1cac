/* oauth.h - app-only OAuth 2.0 tokens (client credentials grant) for
 * Exchange Online.
 *
 * POST {authority}/{tenant}/oauth2/v2.0/token with grant_type=
 * client_credentials, client_id, client_secret and scope=https://
 * outlook.office365.com/.default (form-encoded). The token is cached and
 * shared by all threads; it is renewed shortly before it expires (5
 * minutes, or a fifth of its lifetime for short-lived tokens) and when
 * Exchange rejects it (401). Fetches are serialised, so a burst of calls
 * after expiry costs one token request, not one per thread. Errors from
 * the token endpoint carry Microsoft's error and error_description.
 */
#ifndef INCLUDE_ews_oauth_h__
#define INCLUDE_ews_oauth_h__

#include <stdatomic.h>

#include "core/errinfo.h"

#define EWS_OAUTH_AUTHORITY_DEFAULT "https://login.microsoftonline.com"
#define EWS_OAUTH_SCOPE "https://outlook.office365.com/.default"

typedef struct ews_oauth_options {
	const char *authority;      /* NULL = EWS_OAUTH_AUTHORITY_DEFAULT */
	const char *tenant;         /* tenant id or domain (required) */
	const char *client_id;      /* required */
	const char *client_secret;  /* required */
	const char *scope;          /* NULL = EWS_OAUTH_SCOPE */
	long timeout_s;
	const char *ca_bundle;
	int insecure;
} ews_oauth_options;

typedef struct ews_oauth ews_oauth;

/** 0 and *out, or ERR_CONFIG naming the missing EWS_* variable. */
int ews_oauth_new(ews_oauth **out, const ews_oauth_options *opts,
		  errinfo *err);
void ews_oauth_free(ews_oauth *o);  /* NULL-safe; wipes the secrets */

/**
 * A valid access token (heap copy, caller frees; wipe before freeing is
 * the caller's choice). rejected: the token Exchange just refused with
 * 401, or NULL; when it is still the cached one, a new token is fetched.
 * 0, or ERR_AUTH (the endpoint refused: "invalid_client: AADSTS7000215:
 * Invalid client secret provided...") / ERR_CONFIG (unknown tenant) /
 * ERR_IO / ERR_TIMEOUT / ERR_PARSE / ERR_CANCELLED.
 */
int ews_oauth_token(char **out, ews_oauth *o, const char *rejected,
		    const atomic_int *cancel, errinfo *err);

/** Number of successful token fetches so far (tests). */
long ews_oauth_fetch_count(ews_oauth *o);

#endif
