/* runner.h - the one shape every mailbox tool has.
 *
 * tools_run() resolves target_mailbox into a mailbox context (the seed's
 * rules and error texts live in src/ews/mailbox.c), runs the tool's body
 * with it, wraps the body's data in the result envelope
 *   {"success":true,"message":...,"mailbox":<the mailbox accessed>,...data}
 * or the error envelope
 *   {"success":false,"error":...,"error_code":...,"error_type":...,"mailbox":...}
 * and writes one audit line. A body only talks to Exchange and says what
 * it found.
 */
#ifndef INCLUDE_tools_runner_h__
#define INCLUDE_tools_runner_h__

#include <jansson.h>

#include "core/errinfo.h"
#include "ews/client.h"
#include "ews/mailbox.h"
#include "tools/context.h"
#include "tools/tool.h"

typedef struct tools_req {
	tools_ctx *ctx;
	tool_call *call;
	ews_ctx ews;             /* client, resolved mailbox, cancel flag */
	const char *mailbox;     /* the address results report (borrowed) */
	json_t *item_ids;        /* ids the call touched, for the audit line */
} tools_req;

/* A tool's body: 0 and a data object in *data that must contain "message",
 * or ERR_* with err filled. */
typedef int (*tools_body_fn)(json_t **data, tools_req *req, const json_t *args,
			     errinfo *err);

/* The handler every mailbox tool uses: see above. */
int tools_run(json_t **out, tool_call *call, const json_t *args,
	      tools_body_fn body, errinfo *err);

/* Records an item or folder id the call created or changed (audit). */
void tools_req_touch(tools_req *req, const char *id);

#endif
