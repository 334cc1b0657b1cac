/* fixture_server.c - an MCP server made of src/mcp and the conformance
 * fixtures, over stdio. The official suite runs against it (through the
 * harness's stdio bridge) to prove the protocol layer ews-mcp is built on. */
#include <stdio.h>

#include "core/log.h"
#include "fixtures.h"
#include "mcp/registry.h"
#include "mcp/server.h"
#include "mcp/stdio.h"
#include "version.h"

int main(void)
{
	const toolset *sets[] = { &fixture_tools };
	mcp_server_options opts = MCP_SERVER_OPTIONS_INIT;
	mcp_stdio_options io = MCP_STDIO_OPTIONS_INIT;
	mcp_registry *reg = NULL;
	mcp_server *server = NULL;
	errinfo err = ERRINFO_INIT;
	int rc = 1;

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
	io.forward_logs = 0;
	rc = mcp_stdio_run(server, &io, &err) < 0;
done:
	if (err.msg[0])
		fprintf(stderr, "fixture-server: %s\n", err.msg);
	mcp_server_free(server);
	mcp_registry_free(reg);
	return rc;
}
