/* tokens.h - the sim's OAuth 2.0 token endpoint (client credentials grant,
 * as the Microsoft identity platform serves it at
 * POST /{tenant}/oauth2/v2.0/token) and the table of bearer tokens it has
 * issued, which the EWS endpoint consults on every Bearer request.
 *
 * Tokens are opaque: 32 random bytes in base64url. The table keeps only
 * their SHA-256 fingerprints, with the app identity and the expiry; it is
 * mutex-protected (MHD serves requests on several threads) and bounded.
 * Expired entries are purged lazily (on lookup and when tokens are
 * issued). Time comes from an injectable clock so tests can make tokens
 * expire without sleeping.
 *
 * Errors are answered the way Azure AD answers them: HTTP 400/401 with a
 * JSON body {"error", "error_description": "AADSTSnnnn: ...",
 * "error_codes": [nnnn], "timestamp", "trace_id", "correlation_id",
 * "error_uri"}.
 */
#ifndef INCLUDE_sim_tokens_h__
#define INCLUDE_sim_tokens_h__

#include <stddef.h>
#include <time.h>

#include "core/errinfo.h"

#define SIM_TOKENS_FIELD_MAX 256       /* bytes incl. NUL for ids, secrets */
#define SIM_TOKENS_SCOPE_MAX 1024      /* mailbox scope text incl. NUL */
#define SIM_TOKENS_LIFETIME_DEFAULT 3599
#define SIM_TOKENS_MAX_DEFAULT 10000   /* live tokens kept at most */
#define SIM_TOKENS_BODY_MAX 16384      /* request body bytes accepted */

/** The one scope the sim issues tokens for (EWS in Exchange Online). */
#define SIM_TOKENS_EWS_SCOPE "https://outlook.office365.com/.default"

/** Application roles (granted app permissions); bit flags. */
#define SIM_APP_ROLE_FULL_ACCESS_AS_APP 0x1u  /* EWS "full_access_as_app" */

/** What the org knows about an app registration. */
typedef struct sim_app {
	char client_id[SIM_TOKENS_FIELD_MAX];     /* application (client) id */
	char tenant_id[SIM_TOKENS_FIELD_MAX];     /* directory (tenant) GUID */
	char tenant_domain[SIM_TOKENS_FIELD_MAX]; /* e.g. "contoso.test"; "" if none */
	char secret[SIM_TOKENS_FIELD_MAX];        /* client secret value */
	unsigned roles;                           /* SIM_APP_ROLE_* */
	/* Optional mailbox scope (an application access policy); opaque to
	 * this module, carried into the token identity; "" = all mailboxes. */
	char mailbox_scope[SIM_TOKENS_SCOPE_MAX];
} sim_app;

/**
 * Fills *out for client_id and returns 0, or ERR_NOTFOUND when no app has
 * that id, or another ERR_* for an internal failure. Thread-safe.
 */
typedef int (*sim_tokens_app_fn)(sim_app *out, const char *client_id,
				 void *payload);

/**
 * Resolves the tenant of the request path (a tenant GUID or a verified
 * domain, any case) to the tenant GUID: 0 and tenant_id_out filled, or
 * ERR_NOTFOUND when the org has no such tenant. Optional: without it a
 * tenant is "known" when it matches the app's tenant_id or tenant_domain.
 */
typedef int (*sim_tokens_tenant_fn)(char *tenant_id_out, size_t cap,
				    const char *tenant, void *payload);

/** Seconds since the epoch; lets tests move time. */
typedef time_t (*sim_tokens_clock_fn)(void *payload);

typedef struct sim_tokens_options {
	long lifetime_s;                 /* expires_in; 0 = 3599 */
	size_t max_tokens;               /* 0 = SIM_TOKENS_MAX_DEFAULT */
	sim_tokens_app_fn app_lookup;    /* required */
	sim_tokens_tenant_fn tenant_lookup; /* optional */
	void *payload;                   /* passed to both lookups */
	sim_tokens_clock_fn clock;       /* NULL = time(NULL) */
	void *clock_payload;
} sim_tokens_options;

#define SIM_TOKENS_OPTIONS_INIT { 0, 0, NULL, NULL, NULL, NULL, NULL }

typedef struct sim_tokens sim_tokens;

/** The endpoint's answer: status and a JSON body (heap, caller disposes). */
typedef struct sim_token_response {
	int http_status;   /* 200, 400 or 401 */
	char *body;        /* JSON text */
	/* For the sim's log; never secrets. error is "" on success. */
	char error[64];    /* e.g. "invalid_client" */
	long aadsts;       /* e.g. 7000215; 0 on success */
} sim_token_response;

#define SIM_TOKEN_RESPONSE_INIT { 0, NULL, { 0 }, 0 }

/** Who a valid bearer token stands for. */
typedef struct sim_token_identity {
	char client_id[SIM_TOKENS_FIELD_MAX];
	char tenant_id[SIM_TOKENS_FIELD_MAX];
	unsigned roles;
	char mailbox_scope[SIM_TOKENS_SCOPE_MAX];
	time_t expires_at;
} sim_token_identity;

typedef enum sim_token_status {
	SIM_TOKEN_VALID = 0,
	SIM_TOKEN_EXPIRED,
	SIM_TOKEN_UNKNOWN
} sim_token_status;

/** 0 and *out (sim_tokens_free), or ERR_INVAL (no app_lookup) / ERR_NOMEM. */
int sim_tokens_new(sim_tokens **out, const sim_tokens_options *opts,
		   errinfo *err);
void sim_tokens_free(sim_tokens *tokens);  /* NULL-safe */

/**
 * Handles one token request: tenant is the path segment before
 * "/oauth2/v2.0/token" (already URL-decoded by the caller or not: it is
 * decoded again only if it contains '%'), content_type the request's
 * Content-Type (NULL = not checked), body the raw form body.
 *
 * Checks, in this order: the body is a form with no duplicated
 * parameter (AADSTS9000411), grant_type present (900144) and
 * "client_credentials" (70003), client_id and scope present (900144),
 * tenant known (90002, only with a tenant_lookup), app known in that
 * tenant (700016), client_secret present (7000216) and right (7000215,
 * compared in constant time), scope exactly SIM_TOKENS_EWS_SCOPE (70011),
 * app granted full_access_as_app (65001: Azure AD itself would issue a
 * token without the role and let Exchange refuse it; the sim refuses
 * early so the cause is visible).
 *
 * Returns 0 with *out filled (success or an OAuth error body), or a
 * negative ERR_* on internal failure with *out empty: ERR_LIMIT when the
 * token table is full (answer 503), others 500. Dispose *out either way.
 */
int sim_tokens_handle_request(sim_token_response *out, sim_tokens *tokens,
			      const char *tenant, const char *content_type,
			      const char *body, size_t body_len, errinfo *err);

void sim_token_response_dispose(sim_token_response *resp);  /* NULL-safe */

/**
 * Issues a token for an app directly (no HTTP form), e.g. for a test or
 * the demo. *token_out receives the token text (heap, caller frees).
 * 0, ERR_LIMIT when the table is full of live tokens, ERR_NOMEM / ERR_IO.
 */
int sim_tokens_issue(char **token_out, sim_tokens *tokens, const sim_app *app,
		     errinfo *err);

/**
 * Looks a presented bearer token up. VALID fills *out (may be NULL);
 * EXPIRED (and the entry is purged, so a later lookup says UNKNOWN) or
 * UNKNOWN leave *out zeroed. Either way the client gets 401 with
 * `Bearer ... error="invalid_token"`.
 */
sim_token_status sim_tokens_lookup(sim_token_identity *out,
				   sim_tokens *tokens, const char *token);

/** Number of live entries (expired ones not yet purged included). */
size_t sim_tokens_count(sim_tokens *tokens);

/** Forgets every token (the sim's /sim/reset). */
void sim_tokens_clear(sim_tokens *tokens);

#endif
