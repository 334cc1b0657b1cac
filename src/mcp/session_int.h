/* session_int.h - the session's insides, shared by session.c (lifecycle and
 * dispatch), calls.c (tools/call on workers) and catalog.c (resources,
 * prompts, completions). Not for use outside src/mcp. */
#ifndef INCLUDE_session_int_h__
#define INCLUDE_session_int_h__

#include <pthread.h>
#include <stdatomic.h>

#include "mcp/server.h"
#include "mcp/workers.h"

struct mcp_server {
	mcp_server_options opts;
	char *name, *title, *version, *instructions;
	mcp_workers *workers;
};

/* A tool call between its request and its response. */
typedef struct mcp_call {
	struct mcp_call *next;
	mcp_session *session;
	json_t *id;              /* request id (owned copy) */
	json_t *progress_token;  /* _meta.progressToken or NULL */
	json_t *args;            /* arguments (owned) */
	const tool_def *tool;
	mcp_sink reply;
	atomic_int cancelled;
	int answered;            /* its answer is being sent (under the session lock) */
	double last_progress;
	pthread_mutex_t progress_lock;
} mcp_call;

/* A request we sent to the client, waiting for its response. */
typedef struct mcp_pending {
	struct mcp_pending *next;
	json_int_t id;
	int done;
	json_t *result;
	json_t *error;
} mcp_pending;

struct mcp_session {
	mcp_server *server;
	mcp_sink sink;
	pthread_mutex_t lock;
	pthread_cond_t changed;  /* in-flight count or a pending answer changed */
	mcp_call *calls;
	size_t inflight;         /* calls registered: a worker still uses the session */
	size_t answered;         /* of those, the ones whose answer is on its way */
	mcp_pending *pending;
	json_int_t next_request_id;
	int closing;
	int initialize_answered; /* initialize succeeded: the session may
				  * be used (MCP lifecycle) */
	int initialized;         /* notifications/initialized seen */
	char protocol_version[16];
	json_t *client_capabilities;
	json_t *client_info;
	int log_level_set;       /* client called logging/setLevel */
	int log_min_severity;    /* RFC 5424 severity: lower is more severe */
	json_t *subscriptions;   /* resource URIs the client subscribed to */
};

/* Sends msg (stolen) to sink, or to the session's sink when sink is NULL. */
void session_send(mcp_session *s, const mcp_sink *sink, json_t *msg);

/* RFC 5424 severity of our log level (debug 7 ... error 3). */
int session_severity(log_level level);
const char *session_severity_name(int severity);

/* tools/call: validates, queues on a worker, answers when done. */
void calls_handle_tools_call(mcp_session *s, const json_t *id,
			     const json_t *params, const mcp_sink *reply);
void calls_cancel(mcp_session *s, const json_t *request_id);
void calls_cancel_all(mcp_session *s);
/* A response from the client to one of our requests. */
void calls_deliver_response(mcp_session *s, const json_t *id,
			    json_t *result, json_t *error);

/* resources/..., prompts/..., completion/complete: the answer (result
 * object) in *result, or a JSON-RPC error code and message. */
int catalog_handle(mcp_session *s, const char *method, const json_t *params,
		   json_t **result, int *rpc_code, char *msg, size_t msgcap);

#endif
