/* server.h - the MCP protocol engine, independent of the transport.
 *
 * An mcp_server holds what all connections share: the tool registry, the
 * optional catalog of resources and prompts, the application context and
 * the worker pool. An mcp_session is one client connection (stdio has one;
 * HTTP has one per Mcp-Session-Id). The transport feeds received texts to
 * mcp_session_receive() and provides sinks that deliver our messages.
 *
 * Requests are answered on the caller's thread when they are quick
 * (initialize, ping, tools/list, ...) and on a worker for tools/call, so a
 * slow Exchange call never stops the reader; answers may come out of order.
 */
#ifndef INCLUDE_server_h__
#define INCLUDE_server_h__

#include <jansson.h>
#include <stddef.h>

#include "core/errinfo.h"
#include "mcp/catalog.h"
#include "mcp/registry.h"

typedef struct mcp_server mcp_server;
typedef struct mcp_session mcp_session;

/* Where messages go. send must be thread-safe; it must not keep msg. It
 * returns 0, or -1 if the peer is gone (the message is dropped).
 * unanswered, when set, is told that the request with this id will get no
 * response (it was cancelled: the specification says not to answer), so a
 * transport that waits for the answer (an HTTP POST) can finish. */
typedef struct mcp_sink {
	int (*send)(void *ctx, const json_t *msg);
	void *ctx;
	void (*unanswered)(void *ctx, const json_t *id);
	/* Optional: sends a response already serialised (compact JSON, no
	 * newline) to the request id; a large tool result goes this way so it
	 * is serialised once, not twice. Without it, send gets the message. */
	int (*send_text)(void *ctx, const json_t *id, const char *text, size_t len);
} mcp_sink;

typedef struct mcp_server_options {
	const char *name;          /* serverInfo.name */
	const char *title;         /* serverInfo.title */
	const char *version;       /* serverInfo.version */
	const char *instructions;  /* initialize result, NULL for none */
	const mcp_registry *registry;
	const mcp_catalog *catalog; /* NULL: tools only */
	void *app;                 /* handed to tools, resources and prompts */
	size_t workers;            /* threads running tool calls */
	size_t max_queued;         /* tool calls waiting beyond the workers */
	size_t list_page_size;     /* tools/list page size, 0 = all at once */
	long client_request_timeout_ms; /* sampling/elicitation wait */
	long progress_interval_ms; /* a call whose request carries a
				    * progressToken gets notifications/progress
				    * this often while it runs; 0 = never */
	const char *default_mailbox; /* named in refusals of TOOL_MAILBOX tools
				      * called without target_mailbox; NULL
				      * = none */
} mcp_server_options;

#define MCP_SERVER_OPTIONS_INIT \
	{ "ews-mcp", NULL, "0", NULL, NULL, NULL, NULL, 4, 64, 0, 60000, 0, NULL }

/* Protocol versions we speak, newest first; NULL-terminated. */
extern const char *const mcp_protocol_versions[];

/* Non-zero if version is one of mcp_protocol_versions. */
int mcp_protocol_version_supported(const char *version);

int mcp_server_new(mcp_server **out, const mcp_server_options *opts,
		   errinfo *err);
/* Frees the server; every session must be freed first. NULL-safe. */
void mcp_server_free(mcp_server *server);

/* A session delivering to sink when a message has no better route (log
 * notifications, answers to requests received without a reply sink). */
int mcp_session_new(mcp_session **out, mcp_server *server,
		    const mcp_sink *sink, errinfo *err);

/* Handles one received message text. Answers and notifications caused by
 * a request go to reply (NULL = the session's sink); reply->ctx must stay
 * valid until that request's response was sent. */
void mcp_session_receive(mcp_session *s, const char *text, size_t len,
			 const mcp_sink *reply);

/* Answers a message that could not be read whole (size cap passed by the
 * transport) with a JSON-RPC error: id is the id recovered from it
 * (mcp_jsonrpc_scan_id), NULL for a null id. */
void mcp_session_reject(mcp_session *s, const json_t *id, int code,
			const char *message, const mcp_sink *reply);

/* Forwards this process's log lines (src/core/log.h) to the client as
 * notifications/message once the client chose a level with
 * logging/setLevel. One session at a time; 0 detaches. */
void mcp_session_forward_logs(mcp_session *s, int enable);

/* Protocol version agreed at initialize, or NULL before. */
const char *mcp_session_protocol_version(const mcp_session *s);

/* Number of tool calls not yet answered. */
size_t mcp_session_inflight(mcp_session *s);

/* Cancels the tool call with this request id as notifications/cancelled
 * would (it gets no response). For transports whose client went away in
 * the middle of a call. Unknown ids are ignored. */
void mcp_session_cancel_request(mcp_session *s, const json_t *id);

/* Non-zero while a tool call with this request id is still registered,
 * i.e. its reply sink may still be used; once 0, never again for that
 * call (a transport may then free the sink's context). */
int mcp_session_request_active(mcp_session *s, const json_t *id);

/* Number of tools in the server's registry. */
size_t mcp_server_tool_count(const mcp_server *server);

/* Stops accepting requests, lets in-flight calls finish for up to
 * grace_ms, then cancels the rest and waits for them to return. */
void mcp_session_shutdown(mcp_session *s, long grace_ms);

/* Frees a session (shuts it down first if needed). NULL-safe. */
void mcp_session_free(mcp_session *s);

#endif
