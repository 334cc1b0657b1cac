/* serve.c - `ews-mcp serve`: MCP over stdio or HTTP (see cli.h). */
#include "cli/cli.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "ews/folders.h"
#include "ews/mailbox.h"
#include "ews/ops.h"
#include "mcp/http.h"
#include "mcp/stdio.h"

/* Readiness (/readyz): the configuration loaded (we are running) and
 * Exchange answered once. The first success is kept; failed probes are
 * repeated at most every 10 s so a probing orchestrator cannot hammer
 * Exchange. */
typedef struct readiness {
	cli_app *app;
	pthread_mutex_t lock;
	int ok;
	time_t last_try;
	char why[256];
} readiness;

/* GetFolder on the primary mailbox's Inbox: one cheap authenticated call. */
static int probe_exchange(cli_app *app, errinfo *err)
{
	ews_mailbox *mb = NULL;
	ews_folder inbox;
	soap_folder_ref ref;
	soap_get_folder_args ga;
	json_t *out = NULL;
	ews_ctx ctx;
	int rc;

	rc = ews_mailbox_resolve(&mb, app->tools->client, NULL, err);
	if (rc < 0)
		return rc;
	memset(&ctx, 0, sizeof(ctx));
	ctx.client = app->tools->client;
	ctx.mailbox = mb;
	memset(&ga, 0, sizeof(ga));
	rc = ews_folder_resolve(&inbox, &ctx, "inbox", err);
	if (rc == 0) {
		ref = ews_folder_ref(&inbox);
		ga.shape.base = "IdOnly";
		ga.folders = &ref;
		ga.nfolders = 1;
		rc = ews_get_folder(&out, &ctx, &ga, err);
	}
	json_decref(out);
	ews_mailbox_free(mb);
	return rc;
}

static int ready(void *payload, char *why, size_t cap)
{
	readiness *r = payload;
	errinfo err = ERRINFO_INIT;
	time_t now = time(NULL);
	int ok;

	pthread_mutex_lock(&r->lock);
	if (!r->ok && now - r->last_try >= 10) {
		r->last_try = now;
		if (probe_exchange(r->app, &err) == 0)
			r->ok = 1;
		else
			snprintf(r->why, sizeof(r->why), "Exchange has not answered yet: %.200s", err.msg);
	}
	ok = r->ok;
	if (!ok)
		snprintf(why, cap, "%s", r->why);
	pthread_mutex_unlock(&r->lock);
	return ok;
}

static int serve_http(cli_app *app, const cfg *conf, errinfo *err)
{
	mcp_http_options o = MCP_HTTP_OPTIONS_INIT;
	readiness r;
	mcp_http *http = NULL;

	memset(&r, 0, sizeof(r));
	r.app = app;
	pthread_mutex_init(&r.lock, NULL);
	o.host = conf->mcp_host;
	o.port = conf->mcp_port;
	o.api_key = conf->mcp_api_key;
	o.allowed_origins = conf->mcp_allowed_origins;
	o.rate_limit_enabled = conf->rate_limit_enabled;
	o.rate_limit_per_minute = conf->rate_limit_per_minute;
	o.keepalive_s = conf->sse_keepalive_enabled ? conf->sse_keepalive_interval : 0;
	o.connection_timeout_s = conf->http_keepalive_timeout;
	o.ready = ready;
	o.ready_payload = &r;
	if (mcp_http_start(&http, app->server, &o, err) == 0) {
		/* One line on stdout so scripts can find a port chosen with 0. */
		printf("%s\n", mcp_http_url(http));
		fflush(stdout);
		log_info("MCP", "serving %zu tools over HTTP for %s",
			 mcp_registry_count(app->registry), conf->ews_email);
		mcp_http_wait_signal(http);
		mcp_http_stop(http);
	}
	pthread_mutex_destroy(&r.lock);
	return err->code;
}

int cli_serve(const cfg *conf)
{
	mcp_stdio_options io = MCP_STDIO_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	cli_app app;
	int rc;

	if (cli_app_open(&app, conf, &err) < 0) {
		fprintf(stderr, "ews-mcp: %s\n", err.msg);
		return 1;
	}
	if (conf->transport == CFG_TRANSPORT_HTTP) {
		rc = serve_http(&app, conf, &err) < 0;
	} else {
		log_info("MCP", "serving %zu tools over stdio for %s",
			 mcp_registry_count(app.registry), conf->ews_email);
		rc = mcp_stdio_run(app.server, &io, &err) < 0;
	}
	if (rc)
		fprintf(stderr, "ews-mcp: %s\n", err.msg);
	cli_app_close(&app);
	return rc;
}
