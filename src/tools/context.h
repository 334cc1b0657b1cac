/* context.h - what every tool call shares: the configuration, the EWS
 * client, the audit log and the idempotency ledger.
 *
 * Built once from the configuration at start-up (ews-mcp serve/call/check/
 * demo) and handed to the MCP server as its application context; tools
 * reach it through tool_call.app. Thread-safe: every member is.
 */
#ifndef INCLUDE_tools_context_h__
#define INCLUDE_tools_context_h__

#include "core/audit.h"
#include "core/cfg.h"
#include "core/errinfo.h"
#include "core/ratelimit.h"
#include "ews/client.h"
#include "tools/ledger.h"
#include "tools/tool.h"

typedef struct tools_ctx {
	const cfg *conf;          /* borrowed; outlives the context */
	ews_client *client;
	audit_log *audit;         /* NULL when ENABLE_AUDIT_LOG is false */
	tools_ledger *ledger;     /* idempotency keys of sends */
	ratelimit *per_mailbox;   /* RATE_LIMIT_*: calls per target mailbox, or NULL */
} tools_ctx;

/* Builds the EWS client from conf, opens the audit log and the ledger.
 * Nothing is sent to Exchange. 0 or ERR_CONFIG/ERR_IO naming the problem. */
int tools_ctx_new(tools_ctx **out, const cfg *conf, errinfo *err);
void tools_ctx_free(tools_ctx *ctx);

/* The tool families enabled by ENABLE_EMAIL/CALENDAR/... in conf: fills
 * sets (capacity cap) and returns how many. */
size_t tools_enabled(const toolset **sets, size_t cap, const cfg *conf);

/* The instructions sent at initialize: how to use target_mailbox. */
const char *tools_instructions(void);

#endif
