/* cli.h - the commands of the ews-mcp program (main.c dispatches).
 *
 * Each command takes the loaded configuration and returns the process
 * exit status. They print to stderr, except what a command exists to
 * print (a tool's result, the tool list, the check report), which goes
 * to stdout; `serve` keeps stdout for the MCP stream.
 */
#ifndef INCLUDE_cli_h__
#define INCLUDE_cli_h__

#include "core/cfg.h"
#include "core/errinfo.h"
#include "mcp/registry.h"
#include "mcp/server.h"
#include "tools/context.h"

/* The assembled server: tools context, registry and MCP engine. */
typedef struct cli_app {
	const cfg *conf;
	tools_ctx *tools;
	mcp_registry *registry;
	mcp_server *server;
} cli_app;

/* Builds the application for conf (borrowed; must outlive the app).
 * 0 or ERR_* with err saying what is wrong. */
int cli_app_open(cli_app *app, const cfg *conf, errinfo *err);
void cli_app_close(cli_app *app);

/* Serves MCP on the configured transport until the client goes away. */
int cli_serve(const cfg *conf);

/* Runs one tool call and prints its result JSON on stdout: exit 0 on
 * success, 1 when the tool failed or the arguments were wrong. */
int cli_call(const cfg *conf, const char *tool, const char *args_json);

/* Prints the tools (name, title, description, schemas) as JSON. */
int cli_tools(const cfg *conf);

/* Checks configuration, endpoint, credentials and (with mailbox) access
 * to another mailbox; prints what works and how to fix what does not. */
int cli_check(const cfg *conf, const char *mailbox);

/* Runs the embedded ews-sim with the demo organisation and serves MCP
 * against it (walkthrough: a scripted tour printed to stdout instead).
 * The configuration is loaded with lo (the user's log level, transport
 * and time zone apply); the Exchange settings are replaced by the demo's. */
int cli_demo(const cfg_load_options *lo, int walkthrough);

#endif
