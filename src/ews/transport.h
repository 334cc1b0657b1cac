/* transport.h - HTTP POSTs to Exchange over libcurl.
 *
 * A pool of curl easy handles, at most pool_size of them, each used by
 * one request at a time. An easy handle keeps its connection open
 * between requests (HTTP/1.1 keep-alive), so a request reuses a warm,
 * already authenticated connection: NTLM authenticates the TCP
 * connection, and its three-leg handshake runs inside one easy handle,
 * hence on one connection. pool_size therefore caps the connections to
 * Exchange as well as the requests in flight (CONNECTION_POOL_SIZE).
 *
 * Every request carries User-Agent, a fresh client-request-id (UUID v4)
 * with return-client-request-id: true, Content-Type text/xml; charset=
 * utf-8, Accept-Encoding for gzip/deflate, and X-AnchorMailbox when given.
 * TLS peer and host verification are on unless insecure is set (a loud
 * WARNING is logged once per process). Redirects are not followed (a
 * POST must not be replayed elsewhere). Credentials and tokens never reach
 * the log. Thread-safe.
 */
#ifndef INCLUDE_ews_transport_h__
#define INCLUDE_ews_transport_h__

#include <stdatomic.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/errinfo.h"
#include "ews/retry.h"

typedef enum ews_auth_type {
	EWS_AUTH_OAUTH2 = 0,   /* bearer token per request (oauth.h) */
	EWS_AUTH_BASIC,
	EWS_AUTH_NTLM,
	EWS_AUTH_NEGOTIATE     /* Kerberos/SPNEGO through GSS-API */
} ews_auth_type;

typedef struct ews_transport_options {
	long pool_size;          /* >= 1 */
	long timeout_s;          /* whole request, >= 1 */
	long connect_timeout_s;  /* 0 = min(timeout_s, 10) */
	const char *ca_bundle;   /* PEM file; NULL = system store */
	int insecure;            /* skip TLS verification (tests only) */
	size_t max_response;     /* body cap in bytes */
	ews_auth_type auth;
	const char *username;    /* basic/ntlm (negotiate: unused) */
	const char *password;
	const char *user_agent;  /* NULL = "ews-mcp/<version>" */
	int write_fresh_connection; /* 1: a write never reuses a connection */
} ews_transport_options;

/* How long an idle kept-alive connection may carry a request. A write's
 * window is far below any server's idle timeout (IIS: 120 s); a read can
 * afford libcurl's default, since a read may simply be repeated. */
#define EWS_WRITE_REUSE_IDLE_S 5L
#define EWS_READ_REUSE_IDLE_S 118L

typedef struct ews_http_request {
	const char *url;
	const char *body;
	size_t body_len;
	const char *content_type;   /* NULL = text/xml; charset=utf-8 */
	const char *anchor_mailbox; /* X-AnchorMailbox; NULL = none */
	const char *bearer;         /* OAuth access token; NULL = none */
	const atomic_int *cancel;   /* non-zero aborts; may be NULL */
	const char *what;           /* names the request in logs ("FindItem") */
	ews_op_kind kind;           /* EWS_OP_WRITE: see ews_transport_post */
	long timeout_ms;            /* this attempt's limit; 0 = timeout_s */
} ews_http_request;

typedef struct ews_http_response {
	long status;                /* 0 when no HTTP answer came */
	buf body;                   /* decoded body (gzip undone) */
	char client_request_id[40]; /* what we sent */
	char request_id[80];        /* Exchange's request-id, "" if none */
	char cas_error[80];         /* X-CasErrorCode, "" if none */
	char location[256];         /* Location of a redirect, "" if none */
	char bearer_error[64];      /* error="..." of a Bearer challenge */
	long retry_after_ms;        /* Retry-After, 0 if none */
	int sent;                   /* the request may have reached the server */
	int reused;                 /* served on an already open connection */
	long elapsed_ms;
	ews_failure failure;        /* when no usable answer: what happened */
} ews_http_response;

#define EWS_HTTP_RESPONSE_INIT(cap) \
	{ 0, BUF_INIT(cap), { 0 }, { 0 }, { 0 }, { 0 }, { 0 }, 0, 0, 0, 0, \
	  EWS_FAIL_NONE }

typedef struct ews_transport_stats {
	long requests;              /* POSTs attempted */
	long connections;           /* new connections opened */
} ews_transport_stats;

typedef struct ews_transport ews_transport;

/** 0 and *out, or ERR_INVAL (bad option) / ERR_NOMEM / ERR_IO (curl). */
int ews_transport_new(ews_transport **out, const ews_transport_options *opts,
		      errinfo *err);
void ews_transport_free(ews_transport *t);  /* NULL-safe, idle only */

/**
 * POSTs req and fills resp (initialised with EWS_HTTP_RESPONSE_INIT, the
 * cap being the response size limit). Waits for a free handle when all
 * are busy. Returns 0 when an HTTP answer arrived, whatever its status
 * (the caller classifies it), or a negative ERR_* with resp->failure
 * saying what happened: EWS_FAIL_CONNECT (nothing sent), TIMEOUT, RESET,
 * TRUNCATED, CANCELLED; ERR_CONFIG for TLS verification failures and
 * ERR_LIMIT for an oversized body (failure NONE: not worth repeating).
 *
 * At most once: the body is put on the wire at most once per call, under
 * every auth scheme. libcurl would re-send a request whose connection it
 * counts as reused when that connection dies before any answer byte (the
 * NTLM and Negotiate handshakes' last leg, which carries the body, always
 * counts as reused); the transport hands libcurl the body through a read
 * callback that refuses to rewind once a byte has left, so such a re-send
 * fails instead, as EWS_FAIL_RESET with resp->sent set. Callers decide
 * retries (retry.h); nothing below them ever repeats a request.
 *
 * req->kind says whether the request changes the mailbox. A write reuses
 * a kept-alive connection only if it was used in the last
 * EWS_WRITE_REUSE_IDLE_S seconds (warm: the server has not idled it out),
 * which keeps the NTLM handshake off all but the first of a burst of
 * writes; reads reuse connections up to EWS_READ_REUSE_IDLE_S idle.
 */
int ews_transport_post(ews_http_response *resp, ews_transport *t,
		       const ews_http_request *req, errinfo *err);

void ews_http_response_dispose(ews_http_response *resp);

void ews_transport_stats_get(ews_transport *t, ews_transport_stats *out);

/** Writes a random (version 4) UUID, 36 characters + NUL. */
void ews_uuid4(char out[37]);

#endif
