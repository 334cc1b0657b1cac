/* serve.c - `ews-mcp serve`: MCP over stdio (see cli.h). */
#include "cli/cli.h"

#include <stdio.h>

#include "core/log.h"
#include "mcp/stdio.h"

int cli_serve(const cfg *conf)
{
	mcp_stdio_options io = MCP_STDIO_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	cli_app app;
	int rc;

	if (conf->transport == CFG_TRANSPORT_HTTP) {
		fprintf(stderr, "ews-mcp: MCP_TRANSPORT=http: this build serves MCP over "
			"stdio only; unset MCP_TRANSPORT or set it to stdio\n");
		return 1;
	}
	if (cli_app_open(&app, conf, &err) < 0) {
		fprintf(stderr, "ews-mcp: %s\n", err.msg);
		return 1;
	}
	log_info("MCP", "serving %zu tools over stdio for %s", mcp_registry_count(app.registry),
		 conf->ews_email);
	rc = mcp_stdio_run(app.server, &io, &err) < 0;
	if (rc)
		fprintf(stderr, "ews-mcp: %s\n", err.msg);
	cli_app_close(&app);
	return rc;
}
