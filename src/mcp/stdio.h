/* stdio.h - the stdio transport: one JSON-RPC message per line.
 *
 * stdin carries the client's messages, stdout ours and nothing else (logs
 * go to stderr). A line longer than the cap is discarded whole and
 * answered with an error, never half-parsed. The loop ends on end of input
 * or SIGTERM/SIGINT; in-flight tool calls then get a grace period to
 * finish before they are cancelled.
 */
#ifndef INCLUDE_mcp_stdio_h__
#define INCLUDE_mcp_stdio_h__

#include <stddef.h>

#include "core/errinfo.h"
#include "mcp/server.h"

typedef struct mcp_stdio_options {
	int in_fd;              /* 0 */
	int out_fd;             /* 1 */
	size_t max_message;     /* bytes per line; 4 MiB */
	long grace_ms;          /* in-flight grace at shutdown; 5000 */
	int forward_logs;       /* send log lines as notifications/message */
} mcp_stdio_options;

#define MCP_STDIO_OPTIONS_INIT { 0, 1, 4u << 20, 5000, 1 }

/* Serves one session until end of input or a termination signal.
 * 0 on a clean end, or ERR_IO if reading failed. */
int mcp_stdio_run(mcp_server *server, const mcp_stdio_options *opts,
		  errinfo *err);

#endif
