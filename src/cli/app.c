/* app.c - assembling the server from the configuration (see cli.h). */
#include "cli/cli.h"

#include <string.h>

#include "tools/families.h"
#include "version.h"

int cli_app_open(cli_app *app, const cfg *conf, errinfo *err)
{
	mcp_server_options so = MCP_SERVER_OPTIONS_INIT;
	const toolset *sets[16];
	size_t nsets;

	memset(app, 0, sizeof(*app));
	app->conf = conf;
	nsets = tools_enabled(sets, sizeof(sets) / sizeof(sets[0]), conf);
	if (mcp_registry_new(&app->registry, sets, nsets, err) < 0 ||
	    tools_ctx_new(&app->tools, conf, err) < 0)
		goto fail;
	so.name = conf->mcp_server_name;
	so.title = "Microsoft Exchange (EWS)";
	so.version = EWS_MCP_VERSION;
	so.instructions = tools_instructions();
	so.registry = app->registry;
	so.app = app->tools;
	so.default_mailbox = conf->ews_email;
	/* Calls mostly wait on Exchange; a few more threads than cores lets
	 * calls for different mailboxes proceed side by side. */
	so.workers = 8;
	/* PROGRESS_NOTIFICATION_*: a client that asked for progress hears
	 * from a long call (a large read, a send with attachments, a slow
	 * Exchange) while it runs. */
	so.progress_interval_ms = conf->progress_enabled ? conf->progress_interval * 1000 : 0;
	if (mcp_server_new(&app->server, &so, err) < 0)
		goto fail;
	return 0;
fail:
	cli_app_close(app);
	return err->code;
}

void cli_app_close(cli_app *app)
{
	mcp_server_free(app->server);
	tools_ctx_free(app->tools);
	mcp_registry_free(app->registry);
	memset(app, 0, sizeof(*app));
}
