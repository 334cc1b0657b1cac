/* http.h - the HTTP transports of MCP, on libmicrohttpd.
 *
 * One listener serves:
 *   /mcp              Streamable HTTP (MCP 2025-11-25, 2025-06-18, 2025-03-26):
 *                     POST a message (answered with JSON, or with an SSE
 *                     stream when the call sends progress, log messages or
 *                     requests to the client), GET the standalone
 *                     server-to-client stream, DELETE to end the session.
 *   /sse, /messages   the legacy HTTP+SSE transport (2024-11-05).
 *   /health, /livez, /readyz   public probes.
 * Sessions are addressed by a 128-bit random Mcp-Session-Id, expire when
 * idle, and are bounded per client address and in total; so are open
 * connections, and a request's headers and body must each arrive within a
 * deadline however steadily their bytes trickle in. Requests are
 * checked for Host/Origin (DNS rebinding), the API key, body size, rate and
 * in-flight limits before they reach the MCP engine (server.h); overload is
 * answered with 429/503 and Retry-After. Each connection has its own thread,
 * so a slow call never holds up another client.
 */
#ifndef INCLUDE_mcp_http_h__
#define INCLUDE_mcp_http_h__

#include <stddef.h>

#include "core/errinfo.h"
#include "mcp/server.h"

typedef struct mcp_http mcp_http;

/* Readiness probe of the application (GET /readyz): non-zero when ready;
 * otherwise may write a one-line reason into why. Called on a connection
 * thread; must be thread-safe and should be quick. */
typedef int (*mcp_http_ready_fn)(void *payload, char *why, size_t whycap);

typedef struct mcp_http_options {
	const char *host;                /* bind address or name; "127.0.0.1" */
	long port;                       /* 8000; 0 = a free port */
	const char *api_key;             /* comma-separated keys; NULL = none, which
					  * is refused for a non-loopback bind */
	const char *allowed_origins;     /* comma-separated Origins besides localhost */
	size_t max_body;                 /* request body bytes; 4 MiB */
	size_t max_sessions;             /* in total; 256 */
	size_t max_sessions_per_client;  /* per client address; 64 */
	size_t max_inflight;             /* tool calls per session; 16 */
	size_t max_connections;          /* concurrent requests; 512 */
	size_t max_connections_per_client; /* open connections from one client
					  * address; 0 = max_connections / 4,
					  * at least 8 */
	long session_idle_s;             /* idle session expiry; 1800 */
	long keepalive_s;                /* SSE comment interval; 15; 0 = off */
	long connection_timeout_s;       /* idle keep-alive connection; 300 */
	long header_timeout_ms;          /* a request line and its headers must
					  * arrive within this; 10000 */
	long body_timeout_ms;            /* its body within this once the headers
					  * are in; 30000 */
	long json_wait_ms;               /* a POST waits this long for a plain JSON
					  * answer before it switches to SSE; 10000 */
	long resume_grace_ms;            /* a resumable stream whose client went
					  * away keeps its calls this long; 30000 */
	long retry_ms;                   /* SSE retry: hint to clients; 1000 */
	size_t replay_events;            /* kept per stream for Last-Event-ID; 256 */
	int rate_limit_enabled;          /* RATE_LIMIT_ENABLED; 0 */
	long rate_limit_per_minute;      /* tool calls per API key (or client
					  * address without keys); 25 */
	long grace_ms;                   /* in-flight calls at shutdown; 5000 */
	mcp_http_ready_fn ready;         /* NULL = always ready */
	void *ready_payload;
} mcp_http_options;

#define MCP_HTTP_OPTIONS_INIT \
	{ "127.0.0.1", 8000, NULL, NULL, 4u << 20, 256, 64, 16, 512, 0, 1800, 15, \
	  300, 10000, 30000, 10000, 30000, 1000, 256, 0, 25, 5000, NULL, NULL }

/* Validates the options, binds and starts serving. 0 and *out, or
 * ERR_CONFIG (non-loopback bind without an API key, bad host) or ERR_IO
 * (the address could not be bound) with err naming the setting. The
 * server must outlive the transport. */
int mcp_http_start(mcp_http **out, mcp_server *server,
		   const mcp_http_options *opts, errinfo *err);

/* The port actually bound (useful with port 0). */
int mcp_http_port(const mcp_http *h);

/* "http://HOST:PORT/mcp" (borrowed). */
const char *mcp_http_url(const mcp_http *h);

/* Live sessions (Streamable and legacy). */
size_t mcp_http_session_count(mcp_http *h);

/* Blocks until SIGTERM or SIGINT. */
void mcp_http_wait_signal(mcp_http *h);

/* Gives in-flight calls up to grace_ms to finish, ends every stream and
 * session (cancelling what still runs) and frees. NULL-safe. */
void mcp_http_stop(mcp_http *h);

#endif
