/* jsonrpc.c - fuzz target: JSON-RPC framing and MCP dispatch (src/mcp:
 * stdio.c's line framing, jsonrpc.c, session.c, calls.c, catalog.c,
 * registry.c's argument checks).
 *
 * The input is what a client writes to the server's stdin: newline-
 * delimited JSON-RPC messages (initialize, notifications, tools/call,
 * responses to our requests, garbage...). It is served by the real stdio
 * loop (mcp_stdio_run) on one session of a server that offers the real
 * ews-mcp tools with harmless handlers (tooltable.h) and the conformance
 * fixture's resources, prompts and completions; the answers go to
 * /dev/null. The session ends at the end of the input and waits for its
 * tool calls, so one input never leaks into the next.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "fixtures.h"
#include "mcp/server.h"
#include "mcp/stdio.h"
#include "tooltable.h"

static mcp_server *server;
static FILE *input;   /* the input, as a file the stdio loop reads */
static int devnull = -1;

static void init(void)
{
	mcp_server_options so = MCP_SERVER_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;

	log_set_level(LOG_LEVEL_ERROR);
	so.registry = fuzz_tool_registry();
	so.catalog = &fixture_catalog;
	so.instructions = "fuzzing";
	so.workers = 2;
	so.max_queued = 16;
	so.list_page_size = 7; /* so tools/list pages and cursors are exercised */
	so.client_request_timeout_ms = 100;
	if (mcp_server_new(&server, &so, &err) < 0) {
		fprintf(stderr, "jsonrpc: %s\n", err.msg);
		abort();
	}
	input = tmpfile();
	devnull = open("/dev/null", O_WRONLY);
	if (!input || devnull < 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mcp_stdio_options o = MCP_STDIO_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	int fd;

	if (!server)
		init();
	fd = fileno(input);
	if (ftruncate(fd, 0) < 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size) ||
	    lseek(fd, 0, SEEK_SET) < 0)
		abort();
	o.in_fd = fd;
	o.out_fd = devnull;
	o.max_message = 2048; /* small enough that the size cap is reached */
	o.grace_ms = 5000;
	o.forward_logs = 0;
	mcp_stdio_run(server, &o, &err);
	return 0;
}
