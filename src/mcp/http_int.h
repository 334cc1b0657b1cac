/* http_int.h - the insides of the HTTP transport, shared by its files:
 *   http_server.c    daemon, routing, probes, replies, start/stop
 *   http_security.c  API key, Host/Origin (DNS rebinding), bind checks
 *   http_sessions.c  the session table: ids, limits, expiry, reaping
 *   http_conns.c     connections: deadlines for receiving a request
 *   http_stream.c    SSE streams: event ids, replay buffer, keep-alive
 *   http_mcp.c       the Streamable HTTP endpoint (/mcp)
 *   http_legacy.c    the 2024-11-05 HTTP+SSE transport (/sse, /messages)
 * Not for use outside src/mcp.
 *
 * Lock order: table (mcp_http.lock) -> session (http_sess.lock) -> stream
 * (http_stream.lock) -> the MCP session's own lock. Sinks called by tool
 * workers take only a stream lock. The connection list (mcp_http.conn_lock)
 * is taken alone.
 */
#ifndef INCLUDE_http_int_h__
#define INCLUDE_http_int_h__

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "core/buf.h"
#include "core/ratelimit.h"
#include "mcp/http.h"

#define HTTP_SID_LEN 32          /* 128 bits as hex */
#define HTTP_LEGACY_VERSION "2024-11-05"
#define HTTP_DEFAULT_VERSION "2025-03-26" /* assumed without MCP-Protocol-Version */

/* ---- SSE streams (http_stream.c) ------------------------------------------ */

typedef struct http_event {
	struct http_event *next;
	uint64_t seq;              /* 1, 2, ... within the stream */
	char *data;                /* the data line(s): JSON text */
	const char *type;          /* "event:" name, NULL for the default */
} http_event;

/* The messages of one POST (or the standalone GET stream, or a legacy
 * session) in order, kept for the reader and for resumption. */
typedef struct http_stream {
	struct http_stream *next;  /* in the session's list */
	pthread_mutex_t lock;
	pthread_cond_t changed;
	atomic_int refs;
	unsigned long no;          /* event ids are "<no>-<seq>"; 0 = standalone */
	http_event *head, *tail;
	size_t nevents, max_events;
	uint64_t next_seq;
	uint64_t delivered;        /* highest seq written to some reader */
	json_t *pending;           /* request ids awaiting a response */
	json_t *cancelled;         /* ids we cancelled; their calls may still run */
	int other;                 /* a notification/request was queued: needs SSE */
	int attached;              /* a handler or reader owns the delivery */
	int closed;                /* the session ended: readers stop */
	int persistent;            /* standalone or legacy: never complete */
	int legacy;                /* legacy framing: "event: message", no ids */
	int ids;                   /* write "id:" lines (resumable) */
	struct timespec detached;  /* when the last reader went away */
} http_stream;

http_stream *http_stream_new(unsigned long no, size_t max_events, int persistent);
void http_stream_ref(http_stream *st);
void http_stream_unref(http_stream *st);

/* A sink delivering into the stream (mcp_sink.send is thread-safe). */
mcp_sink http_stream_sink(http_stream *st);

/* Queues an event outside the MCP engine (legacy "endpoint"). */
int http_stream_push_raw(http_stream *st, const char *type, const char *data);

/* Registers a request id whose response completes the stream. */
void http_stream_expect(http_stream *st, const json_t *id);

/* Marks the stream closed and wakes its reader. */
void http_stream_close(http_stream *st);

enum { HTTP_WAIT_JSON, HTTP_WAIT_SSE, HTTP_WAIT_GONE, HTTP_WAIT_STOP };

/* Waits (polling the client socket fd) until every expected response is
 * there with nothing else queued (JSON), something other than a response
 * was queued or wait_ms passed (SSE), the client left, or stop was set. */
int http_stream_wait(http_stream *st, int fd, long wait_ms, const atomic_int *stop);

/* The queued messages as one JSON body: the single message, or (batch)
 * an array. Caller frees. NULL when out of memory. */
char *http_stream_json_body(http_stream *st, int batch);

/* Moves every pending id to the cancelled list and cancels its call in
 * mcp (the stream is then complete as far as readers go). */
void http_stream_cancel_pending(http_stream *st, mcp_session *mcp);

/* Non-zero when nothing references the stream's sink any more and it has
 * no reader: safe to drop. grace_ms: how long undelivered events are kept
 * for a reconnecting client. Also cancels the calls of a stream whose
 * client has been gone longer than grace_ms. */
int http_stream_reapable(http_stream *st, mcp_session *mcp, long grace_ms);

struct http_sess;

/* Parameters of one SSE response. */
typedef struct http_sse_params {
	struct MHD_Connection *conn;
	uint64_t after;            /* send events with seq > after */
	int prime;                 /* send a priming event (id + retry) first */
	long retry_ms;
	long keepalive_s;
	long grace_ms;             /* resume grace for a disconnect mid-call */
	const atomic_int *stop;
	int end_session;           /* legacy: the session ends with the stream */
} http_sse_params;

/* An SSE response reading st (takes references on st and sess). Sets
 * st->attached. NULL when out of memory. */
struct MHD_Response *http_stream_response(http_stream *st, struct http_sess *sess,
					  const http_sse_params *p);

/* Parses "<no>-<seq>". 0 or -1. */
int http_event_id_parse(const char *text, unsigned long *no, uint64_t *seq);

/* Non-zero when the peer of fd closed the connection. */
int http_peer_gone(int fd);

/* ---- sessions (http_sessions.c) -------------------------------------------- */

typedef struct http_sess {
	struct http_sess *next;    /* in the table */
	atomic_int refs;
	mcp_http *http;
	char id[HTTP_SID_LEN + 1];
	char client[64];           /* client address */
	mcp_session *mcp;
	pthread_mutex_t lock;      /* streams, next_no, last_active */
	http_stream *streams;      /* POST streams */
	http_stream *standalone;   /* GET stream (no 0), or the legacy stream */
	unsigned long next_no;
	struct timespec last_active;
	int legacy;
	int removed;               /* out of the table */
} http_sess;

/* Creates and registers a session. 0, or the HTTP status to answer (429
 * too many for this client, 503 too many in total / stopping / no memory). */
int http_sessions_create(http_sess **out, mcp_http *h, const char *client, int legacy);
/* The session with this id (a new reference), or NULL. */
http_sess *http_sessions_find(mcp_http *h, const char *id);
/* Takes the session out of the table and ends its streams; the last
 * reference frees it (after its calls ended). */
void http_sessions_remove(mcp_http *h, http_sess *s);
void http_sess_unref(http_sess *s);
void http_sess_touch(http_sess *s);
/* Adds a new POST stream to the session (a reference for the caller). */
http_stream *http_sess_new_stream(http_sess *s);
/* Finds a stream by number (0 = standalone); a new reference or NULL. */
http_stream *http_sess_find_stream(http_sess *s, unsigned long no);
/* Drops a finished stream from the session at once. */
void http_sess_drop_stream(http_sess *s, http_stream *st);
/* Expires idle sessions and drops finished streams (reaper thread). */
void http_sessions_reap(mcp_http *h);
/* Removes every session (shutdown). */
void http_sessions_clear(mcp_http *h);
/* Sum of the sessions' in-flight tool calls. */
size_t http_sessions_inflight(mcp_http *h);

/* ---- connections (http_conns.c) -------------------------------------------- */

/* What a connection is doing, for its deadline. */
enum {
	HTTP_CONN_HEADERS,         /* receiving a request line and headers */
	HTTP_CONN_BODY,            /* receiving the body */
	HTTP_CONN_BUSY,            /* the request is in: being answered */
	HTTP_CONN_IDLE,            /* keep-alive, between requests */
	HTTP_CONN_CLOSING          /* past its deadline, shut down */
};

typedef struct http_conn http_conn;

/* MHD_OPTION_NOTIFY_CONNECTION (cls: the mcp_http): a record per
 * connection, in HEADERS from the start. */
void http_conn_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		      enum MHD_ConnectionNotificationCode code);
/* The record of a connection (NULL if there is none); call only from the
 * connection's own thread. */
http_conn *http_conn_of(struct MHD_Connection *c);
/* Moves the connection to phase, its clock starting now. NULL-safe. */
void http_conn_phase(mcp_http *h, http_conn *k, int phase);
/* Shuts down connections past their deadline (reaper thread). */
void http_conns_enforce(mcp_http *h);
/* Frees what records are left (after the daemon stopped). */
void http_conns_clear(mcp_http *h);

/* ---- security (http_security.c) ------------------------------------------- */

struct sockaddr;

/* 1 when host, a Host header value ("host[:port]", "[v6]:port"), names
 * loopback: 127.0.0.0/8 as a dotted quad, [::1], [::ffff:127.x.y.z] or
 * localhost (any case, one trailing dot). Malformed values are not. */
int http_host_is_loopback(const char *host);
/* 1 when the socket address is in 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104. */
int http_addr_is_loopback(const struct sockaddr *sa);
/* The Host/Origin rules on header values (either may be NULL): 0, or -1
 * with why filled. */
int http_check_host_origin(const mcp_http *h, const char *host, const char *origin,
			   char *why, size_t cap);
/* 0 when the request carries a valid key (or none is configured), else -1. */
int http_check_api_key(const mcp_http *h, struct MHD_Connection *c, int *key_index);
/* 0, or -1 with why filled: Host or Origin is foreign. */
int http_check_origin(const mcp_http *h, struct MHD_Connection *c, char *why, size_t cap);
/* Constant-time comparison; 1 when equal. */
int http_secret_equal(const char *a, size_t alen, const char *b, size_t blen);

/* ---- the transport (http_server.c) ------------------------------------------- */

struct mcp_http {
	mcp_server *server;
	mcp_http_options o;
	char *host;
	char **keys;               /* API keys */
	size_t nkeys;
	char **origins;            /* allowed Origin values */
	size_t norigins;
	int bind_loopback;         /* every address MCP_HOST resolved to is loopback */
	struct MHD_Daemon *daemon;
	int port;
	char url[320];
	pthread_mutex_t lock;      /* the session table */
	http_sess *sessions;
	size_t nsessions;
	pthread_t reaper;
	int reaper_running;
	pthread_mutex_t reap_lock;
	pthread_cond_t reap_cond;
	atomic_int stop;           /* new requests are refused, streams end */
	atomic_int draining;       /* shutting down: new sessions refused */
	atomic_int active;         /* requests being handled */
	ratelimit *rate;    /* tool calls per API key or client; NULL = off */
	size_t tool_count;
	pthread_mutex_t conn_lock; /* the connection list */
	http_conn *conns;
	unsigned long conns_cut;   /* closed at a deadline since the last log line */
	long conns_logged_ms;
};

/* Per-request state (MHD's con_cls). */
typedef struct http_req {
	buf body;
	int too_large;
	int counted;               /* counted in mcp_http.active */
	http_conn *conn;           /* the connection's record, or NULL */
} http_req;

/* Replies with a body copied from text; extra headers as name/value
 * pairs, NULL-terminated (may be NULL). */
enum MHD_Result http_reply(struct MHD_Connection *c, unsigned status,
			   const char *ctype, const char *text,
			   const char *const *headers);
/* A JSON-RPC error body (id null) with the HTTP status; retry_after > 0
 * adds Retry-After. */
enum MHD_Result http_reply_rpc_error(struct MHD_Connection *c, unsigned status,
				     int code, const char *message, long retry_after);
/* The client's address as text into out. */
void http_client_addr(struct MHD_Connection *c, char *out, size_t cap);
/* The connection's socket. */
int http_conn_fd(struct MHD_Connection *c);
/* Header lookup (case-insensitive), or NULL. */
const char *http_header(struct MHD_Connection *c, const char *name);
/* Non-zero when the Accept header admits the media type. */
int http_accepts(struct MHD_Connection *c, const char *type);

/* The rate-limit key of a request into out. */
void http_rate_key(const mcp_http *h, struct MHD_Connection *c, int key_index,
		   char *out, size_t cap);

/* Endpoints. */
enum MHD_Result http_mcp_handle(mcp_http *h, struct MHD_Connection *c,
				const char *method, http_req *r, int key_index);
enum MHD_Result http_legacy_sse(mcp_http *h, struct MHD_Connection *c);
enum MHD_Result http_legacy_post(mcp_http *h, struct MHD_Connection *c,
				 http_req *r, int key_index);

/* Message bookkeeping shared by both transports: counts in a parsed body
 * (one message or a batch array). */
typedef struct http_msg_counts {
	size_t requests, tool_calls, initialize;
} http_msg_counts;
/* 0, or -1 with why: an element is not a JSON-RPC object. */
int http_count_messages(const json_t *body, http_msg_counts *n, char *why, size_t cap);
/* Checks the rate and in-flight limits for n tool calls; 0 or an answer
 * was queued (*answered set to its MHD result). */
int http_admit_calls(mcp_http *h, struct MHD_Connection *c, http_sess *s,
		     size_t tool_calls, int key_index, enum MHD_Result *answered);

#endif
