/* fixture_server.c - an MCP server made of src/mcp and the conformance
 * fixtures. The official suite runs against it to prove the protocol layer
 * ews-mcp is built on:
 *   mcp-fixture-server                   stdio (through the harness's bridge)
 *   mcp-fixture-server --http HOST:PORT  Streamable HTTP + legacy SSE; the
 *                                        URL is the first line on stdout,
 *                                        SIGTERM/SIGINT end it
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "fixtures.h"
#include "mcp/http.h"
#include "mcp/registry.h"
#include "mcp/server.h"
#include "mcp/stdio.h"
#include "version.h"

/* Splits "HOST:PORT" / "[V6]:PORT" into host (static storage) and port. */
static int parse_listen(const char *arg, const char **host, long *port)
{
	static char h[256];
	const char *colon = strrchr(arg, ':');
	char *end;
	size_t n;

	if (!colon || colon == arg)
		return -1;
	n = (size_t)(colon - arg);
	if (n >= sizeof(h))
		return -1;
	memcpy(h, arg, n);
	h[n] = '\0';
	*port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || *port < 0 || *port > 65535)
		return -1;
	*host = h;
	return 0;
}

static int serve_http(mcp_server *server, const char *listen, errinfo *err)
{
	mcp_http_options o = MCP_HTTP_OPTIONS_INIT;
	mcp_http *http = NULL;

	if (parse_listen(listen, &o.host, &o.port) < 0)
		return errinfo_set(err, ERR_INVAL, "--http wants HOST:PORT (example: "
				   "--http 127.0.0.1:0), got '%s'", listen);
	o.api_key = getenv("MCP_API_KEY");
	if (mcp_http_start(&http, server, &o, err) < 0)
		return err->code;
	printf("%s\n", mcp_http_url(http));
	fflush(stdout);
	mcp_http_wait_signal(http);
	mcp_http_stop(http);
	return 0;
}

int main(int argc, char **argv)
{
	const toolset *sets[] = { &fixture_tools };
	mcp_server_options opts = MCP_SERVER_OPTIONS_INIT;
	mcp_stdio_options io = MCP_STDIO_OPTIONS_INIT;
	mcp_registry *reg = NULL;
	mcp_server *server = NULL;
	errinfo err = ERRINFO_INIT;
	const char *listen = NULL;
	int rc = 1;

	if (argc == 3 && strcmp(argv[1], "--http") == 0) {
		listen = argv[2];
	} else if (argc != 1) {
		fprintf(stderr, "usage: mcp-fixture-server [--http HOST:PORT]\n");
		return 2;
	}
	log_set_level(LOG_LEVEL_WARNING);
	if (mcp_registry_new(&reg, sets, 1, &err) < 0)
		goto done;
	opts.name = "ews-mcp-conformance-fixtures";
	opts.title = "ews-mcp conformance fixtures";
	opts.version = EWS_MCP_VERSION;
	opts.registry = reg;
	opts.catalog = &fixture_catalog;
	if (mcp_server_new(&server, &opts, &err) < 0)
		goto done;
	if (listen) {
		rc = serve_http(server, listen, &err) < 0;
	} else {
		io.forward_logs = 0;
		rc = mcp_stdio_run(server, &io, &err) < 0;
	}
done:
	if (err.msg[0])
		fprintf(stderr, "fixture-server: %s\n", err.msg);
	mcp_server_free(server);
	mcp_registry_free(reg);
	return rc;
}
