/* ntlm.h - the server side of NTLM (MS-NLMP) over HTTP, as IIS runs it
 * in front of Exchange.
 *
 * The handshake is connection-bound: the client sends NEGOTIATE (type 1),
 * the server answers 401 with a CHALLENGE (type 2) holding a random 8-byte
 * server challenge, the client sends AUTHENTICATE (type 3) on the SAME
 * TCP connection, and from then on the connection stays authenticated
 * for later requests without an Authorization header (why keep-alive
 * matters for NTLM). So the HTTP front keeps one sim_ntlm_conn per MHD
 * connection (MHD_OPTION_NOTIFY_CONNECTION + socket context) and asks it.
 *
 * Only NTLMv2 is accepted: NTLMv1 / LM-only responses, anonymous logons and
 * responses without an NTv2 blob are rejected. The password comes from a
 * caller callback (the org module), which also maps the login to the
 * mailbox's canonical SMTP address.
 *
 * Not implemented: the MIC and session keys (signing/sealing are not used
 * by NTLM over HTTP), SPNEGO-wrapped tokens (see httpauth.h).
 */
#ifndef INCLUDE_sim_ntlm_h__
#define INCLUDE_sim_ntlm_h__

#include <stddef.h>
#include <stdint.h>

#include "core/errinfo.h"
#include "sim/httpauth.h"

#define SIM_NTLM_NAME_MAX 256      /* bytes incl. NUL: user, domain, SMTP... */
#define SIM_NTLM_HEADER_MAX 4096   /* WWW-Authenticate value incl. NUL */

/**
 * Maps a login to its password and canonical SMTP address.
 * domain and user are exactly as the client sent them (UTF-8; domain may be
 * "" when the client sent a UPN "user@contoso.test" or a bare "user").
 * Fill password_out (UTF-8, NUL-terminated, at most password_cap bytes)
 * and smtp_out, and return 0; return ERR_NOTFOUND for an unknown login
 * (the client then gets 401, like a wrong password), another ERR_* for an
 * internal failure. Called from MHD worker threads: must be thread-safe.
 */
typedef int (*sim_ntlm_lookup_fn)(const char *domain, const char *user,
				  char *password_out, size_t password_cap,
				  char *smtp_out, size_t smtp_cap,
				  void *payload);

/** What the server announces in its CHALLENGE; NULL names get defaults. */
typedef struct sim_ntlm_options {
	const char *nb_domain;     /* TargetName, MsvAvNbDomainName: "CONTOSO" */
	const char *nb_computer;   /* MsvAvNbComputerName: "EXCH01" */
	const char *dns_domain;    /* MsvAvDnsDomainName: "contoso.test" */
	const char *dns_computer;  /* MsvAvDnsComputerName: "exch01.contoso.test" */
	sim_ntlm_lookup_fn lookup; /* required */
	void *payload;             /* passed to lookup */
} sim_ntlm_options;

#define SIM_NTLM_OPTIONS_INIT { "CONTOSO", "EXCH01", "contoso.test", \
				"exch01.contoso.test", NULL, NULL }

/** Immutable after creation: one per sim, shared by all connections. */
typedef struct sim_ntlm_server sim_ntlm_server;

/** Per-TCP-connection handshake state. Used by one request at a time. */
typedef struct sim_ntlm_conn sim_ntlm_conn;

typedef enum sim_ntlm_outcome {
	SIM_NTLM_CHALLENGE = 1,    /* send 401 + result.www_authenticate (type 2) */
	SIM_NTLM_AUTHENTICATED,    /* go on as result.smtp */
	SIM_NTLM_REJECTED          /* send 401 + result.www_authenticate ("NTLM") */
} sim_ntlm_outcome;

typedef struct sim_ntlm_result {
	sim_ntlm_outcome outcome;
	int http_status;                          /* 401, or 0 when authenticated */
	char www_authenticate[SIM_NTLM_HEADER_MAX]; /* "" when authenticated */
	char smtp[SIM_NTLM_NAME_MAX];             /* authenticated: canonical SMTP */
	char login[2 * SIM_NTLM_NAME_MAX];        /* "DOMAIN\user" as sent ("" if unknown) */
	char reason[256];   /* rejected: why, for the sim's log. Never send it to
			     * the client (it would tell an attacker which
			     * logins exist). */
} sim_ntlm_result;

/**
 * Creates the server half. 0 and *out (sim_ntlm_server_free), or ERR_INVAL
 * (no lookup, a name longer than 255 characters or with control
 * characters) / ERR_NOMEM with err filled.
 */
int sim_ntlm_server_new(sim_ntlm_server **out, const sim_ntlm_options *opts,
			errinfo *err);
void sim_ntlm_server_free(sim_ntlm_server *srv);  /* NULL-safe */

/** A fresh, unauthenticated connection state. 0 or ERR_NOMEM. */
int sim_ntlm_conn_new(sim_ntlm_conn **out, errinfo *err);
void sim_ntlm_conn_free(sim_ntlm_conn *conn);    /* NULL-safe; wipes secrets */

/**
 * The canonical SMTP address this connection authenticated as, or NULL
 * while it has not (borrowed; valid until the next step or free).
 */
const char *sim_ntlm_conn_identity(const sim_ntlm_conn *conn);

/**
 * Advances the handshake with the request's Authorization header value
 * (the whole value: "NTLM TlRMTVNTUAAB..." or "Negotiate TlRMTVNT...").
 *
 *  - NEGOTIATE message: a new handshake starts (also on an already
 *    authenticated connection, which loses its identity, as on IIS);
 *    outcome CHALLENGE, 401, www_authenticate = "<Scheme> <type 2>" in the
 *    scheme the client used.
 *  - AUTHENTICATE message after this connection's CHALLENGE: the NTLMv2
 *    response is verified; AUTHENTICATED (smtp, login filled, the
 *    connection remembers the identity) or REJECTED. The server challenge
 *    is single-use either way.
 *  - anything else (no NTLM token, bad base64, malformed or hostile
 *    message, AUTHENTICATE without a pending challenge): REJECTED, 401,
 *    www_authenticate = "NTLM" (or "Negotiate"), reason says why.
 *
 * Returns 0 whenever *out holds a decision, or a negative ERR_* only for
 * an internal failure (no memory, no randomness, lookup failed) with err
 * filled; then answer 500. Client mistakes are never errors.
 */
int sim_ntlm_conn_step(sim_ntlm_result *out, sim_ntlm_conn *conn,
		       const sim_ntlm_server *srv, const char *authorization,
		       errinfo *err);

/** The same, for a value the caller already parsed (NTLM or Negotiate). */
int sim_ntlm_conn_step_parsed(sim_ntlm_result *out, sim_ntlm_conn *conn,
			      const sim_ntlm_server *srv,
			      const sim_httpauth *auth, errinfo *err);

/* ---- the NTLMv2 computations, exposed for tests and for clients ---- */

/**
 * NTOWFv2 (MS-NLMP §3.3.2) = HMAC_MD5(MD4(UTF-16LE(password)),
 * UTF-16LE(Uppercase(user) + domain)). Strings are UTF-8. Upper-casing
 * covers ASCII, Latin-1, Greek and Cyrillic (the same mapping the server
 * applies to user names received in UTF-16). 0, or ERR_INVAL for invalid
 * UTF-8 / ERR_NOMEM.
 */
int sim_ntlm_ntowfv2(uint8_t out[16], const char *password, const char *user,
		     const char *domain, errinfo *err);

/**
 * NTProofStr = HMAC_MD5(ntowfv2, server_challenge || blob), where blob is
 * the NTLMv2 "temp" structure (the NT response after its first 16 bytes).
 */
void sim_ntlm_ntproofstr(uint8_t out[16], const uint8_t ntowfv2[16],
			 const uint8_t server_challenge[8],
			 const uint8_t *blob, size_t blob_len);

/** The fields of an AUTHENTICATE message, pointing into the message. */
typedef struct sim_ntlm_authenticate {
	uint32_t flags;
	const uint8_t *lm_response;  size_t lm_response_len;
	const uint8_t *nt_response;  size_t nt_response_len;
	char domain[SIM_NTLM_NAME_MAX];       /* converted to UTF-8 */
	char user[SIM_NTLM_NAME_MAX];
	char workstation[SIM_NTLM_NAME_MAX];
	/* UTF-16LE forms as needed for NTOWFv2 (user already upper-cased). */
	uint8_t user_upper16[2 * SIM_NTLM_NAME_MAX];  size_t user_upper16_len;
	uint8_t domain16[2 * SIM_NTLM_NAME_MAX];      size_t domain16_len;
} sim_ntlm_authenticate;

/**
 * Parses an AUTHENTICATE message with a bounds check on every offset and
 * length. 0, or ERR_PARSE with err naming the bad field (never reads
 * outside msg[0..len)). Pointers in *out borrow from msg.
 */
int sim_ntlm_parse_authenticate(sim_ntlm_authenticate *out,
				const uint8_t *msg, size_t len, errinfo *err);

#endif
