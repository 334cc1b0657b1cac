/* client.h - the EWS client: one per configured Exchange endpoint and
 * service account, shared by all worker threads.
 *
 * The client owns the HTTP transport (connection pool), the OAuth token
 * cache, the mailbox-context cache and the concurrency gates. It is built
 * from an ews_client_options struct (filled from the cfg by the caller, or
 * by a test directly), so nothing here reads configuration files. Every
 * function is safe to call from several threads at once.
 *
 * Operations take an ews_ctx: the client, the mailbox context the call
 * targets (mailbox.h) and the caller's cancellation flag.
 */
#ifndef INCLUDE_ews_client_h__
#define INCLUDE_ews_client_h__

#include <stdatomic.h>
#include <stddef.h>

#include "core/errinfo.h"
#include "ews/retry.h"
#include "ews/transport.h"

typedef enum ews_target_type {
	EWS_TARGET_IMPERSONATION = 0,  /* ExchangeImpersonation header */
	EWS_TARGET_DELEGATE,           /* Mailbox elements, own identity */
	EWS_TARGET_AUTO                /* impersonation where Exchange grants
					* it for the target, else delegate
					* access; decided per mailbox on its
					* first request (mailbox.h) */
} ews_target_type;

/* Called with every request body before it is sent (debugging, and the
 * tests that validate each request against the EWS schema). op is the
 * operation name ("FindItem"). Must not block for long. */
typedef void (*ews_request_hook_fn)(const char *op, const char *body,
				    size_t len, void *payload);

typedef struct ews_client_options {
	const char *url;             /* EWS_SERVER_URL (normalised here) */
	const char *primary_smtp;    /* EWS_EMAIL (required) */
	ews_auth_type auth_type;     /* EWS_AUTH_TYPE */
	const char *username;        /* EWS_USERNAME (basic, ntlm) */
	const char *password;        /* EWS_PASSWORD (basic, ntlm) */
	const char *oauth_authority; /* NULL = login.microsoftonline.com */
	const char *tenant_id;       /* EWS_TENANT_ID (oauth2) */
	const char *client_id;       /* EWS_CLIENT_ID (oauth2) */
	const char *client_secret;   /* EWS_CLIENT_SECRET (oauth2) */
	const char *server_version;  /* NULL = "Exchange2016" */
	const char *timezone;        /* IANA name; NULL or "UTC" = UTC */
	int impersonation_enabled;   /* EWS_IMPERSONATION_ENABLED */
	ews_target_type impersonation_type; /* EWS_IMPERSONATION_TYPE */
	const char *impersonation_allowed;  /* comma-separated globs */
	long pool_size;              /* CONNECTION_POOL_SIZE (10) */
	long timeout_s;              /* REQUEST_TIMEOUT (30) */
	const char *ca_bundle;       /* EWS_CA_BUNDLE */
	int insecure_skip_verify;    /* EWS_INSECURE_SKIP_VERIFY */
	size_t max_response_bytes;   /* answer size cap (96 MiB) */
	long cache_size;             /* mailbox contexts kept (256) */
	long cache_ttl_s;            /* CACHE_TTL (300) */
	long negative_ttl_s;         /* failed targets kept (60) */
	int max_per_mailbox;         /* requests in flight per mailbox (4) */
	int max_per_identity;        /* per throttling identity (10) */
	long slot_wait_s;            /* wait for a free slot at most (60) */
	ews_retry_policy retry;      /* EWS_RETRY_POLICY_INIT */
	ews_request_hook_fn request_hook;
	void *request_hook_payload;
	int write_fresh_connection;  /* 1: every write opens a new connection
				      * (the cost the body guard removed;
				      * bench/sends.sh compares the two) */
} ews_client_options;

#define EWS_CLIENT_OPTIONS_INIT \
	{ NULL, NULL, EWS_AUTH_OAUTH2, NULL, NULL, NULL, NULL, NULL, NULL, \
	  NULL, NULL, 0, EWS_TARGET_IMPERSONATION, NULL, 10, 30, NULL, 0, \
	  96u * 1024u * 1024u, 256, 300, 60, 4, 10, 60, \
	  EWS_RETRY_POLICY_INIT, NULL, NULL, 0 }

typedef struct ews_client ews_client;
typedef struct ews_mailbox ews_mailbox;

/* Everything an operation needs besides its arguments. */
typedef struct ews_ctx {
	ews_client *client;
	ews_mailbox *mailbox;        /* from ews_mailbox_resolve() */
	const atomic_int *cancel;    /* non-zero aborts the call; may be NULL */
} ews_ctx;

/**
 * Validates the options and builds a client. Nothing is sent to Exchange
 * (the first real request is the connection test).
 * @return 0 and *out, or ERR_CONFIG with a message naming the variable
 *         (EWS_SERVER_URL, EWS_EMAIL, EWS_USERNAME, EWS_SERVER_VERSION,
 *         EWS_IMPERSONATION_ALLOWED, ...), or ERR_NOMEM / ERR_IO.
 */
int ews_client_new(ews_client **out, const ews_client_options *opts,
		   errinfo *err);

/** Frees the client; every ews_mailbox obtained from it must have been
 *  freed. NULL-safe. Clears the context cache (logged). */
void ews_client_free(ews_client *c);

/** Forgets every cached mailbox context (and folder ids). */
void ews_client_clear_cache(ews_client *c);

/** The normalised endpoint URL (borrowed). */
const char *ews_client_url(const ews_client *c);

/** EWS_EMAIL as configured, trimmed (borrowed). */
const char *ews_client_primary(const ews_client *c);

/** The Windows time zone id sent in TimeZoneContext (borrowed), or NULL
 *  when times are exchanged in UTC. */
const char *ews_client_timezone_id(const ews_client *c);

typedef struct ews_client_stats {
	long requests;               /* HTTP requests sent to EWS */
	long connections;            /* TCP connections opened */
	long token_fetches;          /* OAuth tokens fetched */
	long cached_contexts;        /* mailbox contexts in the cache */
} ews_client_stats;

void ews_client_stats_get(ews_client *c, ews_client_stats *out);

#endif
