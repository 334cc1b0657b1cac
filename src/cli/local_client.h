/* local_client.h - an MCP client inside the process: sends JSON-RPC
 * requests to a session of our own server and waits for the answers.
 *
 * `ews-mcp call`, `ews-mcp tools` and the demo walkthrough use it, so a
 * one-off call from the command line goes through exactly the validation,
 * dispatch and result envelopes an MCP client sees.
 */
#ifndef INCLUDE_local_client_h__
#define INCLUDE_local_client_h__

#include <jansson.h>

#include "core/errinfo.h"
#include "mcp/server.h"

typedef struct local_client local_client;

/* Opens a session on server and initializes it (protocol 2025-11-25). */
int local_client_new(local_client **out, mcp_server *server, errinfo *err);
void local_client_free(local_client *lc);

/* Sends a request and waits for its response (up to timeout_ms).
 * 0 with the result in *result (caller decrefs), or ERR_PROTOCOL with the
 * JSON-RPC error message, or ERR_TIMEOUT. params is borrowed. */
int local_client_request(local_client *lc, const char *method, const json_t *params,
			 json_t **result, long timeout_ms, errinfo *err);

#endif
