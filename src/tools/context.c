/* context.c - building the shared tool context from the configuration. */
#include "tools/context.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/log.h"
#include "tools/families.h"

static ews_auth_type auth_from_cfg(cfg_auth_type t)
{
	switch (t) {
	case CFG_AUTH_BASIC: return EWS_AUTH_BASIC;
	case CFG_AUTH_NTLM: return EWS_AUTH_NTLM;
	case CFG_AUTH_NEGOTIATE: return EWS_AUTH_NEGOTIATE;
	case CFG_AUTH_OAUTH2: break;
	}
	return EWS_AUTH_OAUTH2;
}

static int make_dir(const char *path)
{
	return mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

/* The ledger lives in DATA_DIR; if that cannot be created (a read-only
 * working directory, as under some desktop clients) keys are kept in
 * memory for this run, with a warning, rather than refusing to start. */
static int open_ledger(tools_ledger **out, const cfg *conf, errinfo *err)
{
	char path[4096];
	errinfo tmp = ERRINFO_INIT;

	if (conf->data_dir && make_dir(conf->data_dir) == 0) {
		snprintf(path, sizeof(path), "%s/ews-mcp.sqlite", conf->data_dir);
		if (tools_ledger_open(out, path, &tmp) == 0)
			return 0;
	}
	log_warning("Tools", "cannot use DATA_DIR=%s for idempotency keys (%s); "
		    "keeping them in memory for this run", conf->data_dir,
		    tmp.msg[0] ? tmp.msg : strerror(errno));
	return tools_ledger_open(out, NULL, err);
}

int tools_ctx_new(tools_ctx **out, const cfg *conf, errinfo *err)
{
	ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
	tools_ctx *ctx;
	errinfo tmp = ERRINFO_INIT;

	*out = NULL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	ctx->conf = conf;

	o.url = conf->ews_server_url;
	o.primary_smtp = conf->ews_email;
	o.auth_type = auth_from_cfg(conf->auth_type);
	o.username = conf->ews_username;
	o.password = conf->ews_password;
	o.oauth_authority = conf->ews_oauth_authority;
	o.tenant_id = conf->ews_tenant_id;
	o.client_id = conf->ews_client_id;
	o.client_secret = conf->ews_client_secret;
	o.server_version = conf->ews_server_version;
	o.timezone = conf->timezone;
	o.impersonation_enabled = conf->impersonation_enabled;
	o.impersonation_type = conf->impersonation_type == CFG_ACCESS_DELEGATE
			       ? EWS_TARGET_DELEGATE
			       : conf->impersonation_type == CFG_ACCESS_AUTO
			       ? EWS_TARGET_AUTO : EWS_TARGET_IMPERSONATION;
	o.impersonation_allowed = conf->impersonation_allowed;
	o.pool_size = conf->connection_pool_size;
	o.timeout_s = conf->request_timeout;
	o.ca_bundle = conf->ews_ca_bundle;
	o.insecure_skip_verify = conf->ews_insecure_skip_verify;
	o.cache_size = conf->enable_cache ? conf->mailbox_cache_size : 1;
	o.cache_ttl_s = conf->enable_cache ? conf->cache_ttl : 1;
	o.max_per_mailbox = (int)conf->max_concurrency_per_mailbox;
	if (ews_client_new(&ctx->client, &o, err) < 0)
		goto fail;

	if (conf->audit_enabled &&
	    audit_open(&ctx->audit, conf->audit_log_path, conf->audit_log_max_bytes,
		       conf->audit_log_backups, &tmp) < 0)
		log_warning("Audit", "audit log disabled: %s (set AUDIT_LOG_PATH to a "
			    "writable file, or ENABLE_AUDIT_LOG=false)", tmp.msg);
	if (open_ledger(&ctx->ledger, conf, err) < 0)
		goto fail;
	/* One budget per mailbox, not one for the whole server: a busy
	 * mailbox must not use up everyone else's calls. */
	if (conf->rate_limit_enabled &&
	    ratelimit_new(&ctx->per_mailbox, conf->rate_limit_per_minute, 60000) < 0) {
		errinfo_set(err, ERR_NOMEM, "out of memory");
		goto fail;
	}
	*out = ctx;
	return 0;
fail:
	tools_ctx_free(ctx);
	return err->code;
}

void tools_ctx_free(tools_ctx *ctx)
{
	if (!ctx)
		return;
	ews_client_free(ctx->client);
	audit_close(ctx->audit);
	tools_ledger_close(ctx->ledger);
	ratelimit_free(ctx->per_mailbox);
	free(ctx);
}

size_t tools_enabled(const toolset **sets, size_t cap, const cfg *conf)
{
	const struct { const toolset *set; int on; } all[] = {
		{ &tools_mail, conf->enable_email },
		{ &tools_calendar, conf->enable_calendar },
		{ &tools_contacts, conf->enable_contacts },
		{ &tools_tasks, conf->enable_tasks },
		{ &tools_folders, conf->enable_folders },
		/* Out-of-office is always on, as in the Python server. */
		{ &tools_oof, 1 },
	};
	size_t i, n = 0;

	for (i = 0; i < sizeof(all) / sizeof(all[0]) && n < cap; i++)
		if (all[i].on)
			sets[n++] = all[i].set;
	return n;
}

const char *tools_instructions(void)
{
	return "Tools for a Microsoft Exchange mailbox (mail, calendar, contacts, "
	       "tasks, folders, out-of-office). Every tool works on the service "
	       "account's own mailbox unless you pass target_mailbox with another "
	       "user's email address; the server then acts on that mailbox through "
	       "Exchange impersonation or delegate access, if the administrator "
	       "allowed it. Each result says in \"mailbox\" which mailbox was used. "
	       "Item ids returned by one tool (message_id, item_id) can be passed to "
	       "others; keep the same target_mailbox when you do. Sending tools act "
	       "immediately: use dry_run to preview, and idempotency_key to make a "
	       "retried send safe.";
}
