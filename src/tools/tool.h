/* tool.h - what a tool is, and what a running tool call may ask for.
 *
 * A tool family (tools_mail.c, ...) exports one const table of tool_def;
 * the MCP layer (src/mcp/registry.c) lists and dispatches them. This header
 * sits in the tools layer and knows nothing of JSON-RPC: the MCP layer
 * fills in a tool_call with function pointers (progress, logging,
 * cancellation, requests to the client), so tools stay below mcp in the
 * layering (core <- soap <- ews <- tools <- mcp).
 */
#ifndef INCLUDE_tool_h__
#define INCLUDE_tool_h__

#include <jansson.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/errinfo.h"
#include "core/log.h"

typedef struct tool_call tool_call;

/* A handler returns 0 and a new JSON object in *out (the result the
 * client sees as structuredContent and as one text block), or a negative
 * ERR_* with err filled. On failure a handler may still put an object in
 * *out: it then becomes the error result's structured content (e.g.
 * {"success":false,"error":...,"mailbox":...}); otherwise the MCP layer
 * builds one from err. With TOOL_RAW_RESULT, *out is a complete MCP
 * CallToolResult ({"content":[...]}), for tools whose answer is not JSON
 * data (images, audio, embedded resources). */
typedef int (*tool_handler_fn)(json_t **out, tool_call *call,
			       const json_t *args, errinfo *err);

enum {
	TOOL_READ_ONLY = 1 << 0,   /* annotations.readOnlyHint */
	TOOL_DESTRUCTIVE = 1 << 1, /* annotations.destructiveHint */
	TOOL_IDEMPOTENT = 1 << 2,  /* annotations.idempotentHint */
	TOOL_OPEN_WORLD = 1 << 3,  /* annotations.openWorldHint (talks to Exchange) */
	TOOL_RAW_RESULT = 1 << 4,  /* handler returns a whole CallToolResult */
	/* A mailbox tool (src/tools/runner.h): it takes target_mailbox, so a
	 * failure found before the handler runs (arguments refused by the
	 * schema) reports the mailbox too (mcp_server_options.default_mailbox
	 * when none is given). */
	TOOL_MAILBOX = 1 << 5
};

/* A failure's message as a new JSON string. errinfo and the display of a
 * bad address cut at character boundaries (core/utf8.h), but a message
 * may still quote bytes that are not UTF-8 (an argument, a server's
 * text); jansson refuses such text, and the failure would lose its
 * "error" or its whole structured content. Bytes that are not part of a
 * UTF-8 sequence become '?'. */
static inline json_t *tool_error_string(const char *msg)
{
	json_t *s = json_string(msg ? msg : "");
	size_t len, i, k, n;
	char *copy;

	if (s)
		return s;
	len = strlen(msg);
	copy = malloc(len + 1);
	if (!copy)
		return NULL;
	for (i = 0; i < len; i += n) {
		unsigned char c = (unsigned char)msg[i];

		n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
		  : (c & 0xF8) == 0xF0 ? 4 : 0;
		for (k = 1; n && k < n; k++)
			if (i + k >= len || ((unsigned char)msg[i + k] & 0xC0) != 0x80)
				n = 0;
		if (n) {
			memcpy(copy + i, msg + i, n);
		} else {
			copy[i] = '?';
			n = 1;
		}
	}
	copy[len] = '\0';
	s = json_string(copy); /* still refused: overlong forms, surrogates */
	free(copy);
	return s ? s : json_string("The tool failed (its message was not valid UTF-8)");
}

/* The Python server's exception class name for an ERR_* code, kept in a
 * failure's "error_type" so clients written against it keep working. */
static inline const char *tool_error_type(int code)
{
	switch (code) {
	case ERR_INVAL: return "ValidationError";
	case ERR_NOTFOUND: return "NotFoundError";
	case ERR_ACCESS: return "AccessDeniedError";
	case ERR_AUTH: return "AuthenticationError";
	case ERR_CONFIG: return "ConfigurationError";
	case ERR_THROTTLED: return "RateLimitError";
	case ERR_TRANSIENT:
	case ERR_TIMEOUT:
	case ERR_IO: return "ConnectionError";
	case ERR_OUTCOME_UNKNOWN: return "OutcomeUnknownError";
	case ERR_CANCELLED: return "CancelledError";
	default: return "ToolExecutionError";
	}
}

typedef struct tool_def {
	const char *name;          /* [A-Za-z0-9_.-]{1,128} */
	const char *title;         /* human-readable, may be NULL */
	const char *description;   /* what the model reads to pick the tool */
	const char *input_schema;  /* JSON Schema (2020-12) text, type object */
	const char *output_schema; /* JSON Schema text or NULL */
	unsigned flags;            /* TOOL_* */
	tool_handler_fn handler;
} tool_def;

/* One family's table: what a tools_*.c file exports. */
typedef struct toolset {
	const tool_def *tools;
	size_t count;
} toolset;

/* What the MCP layer provides to a running call. */
typedef struct tool_call_ops {
	int (*cancelled)(void *impl);
	void (*progress)(void *impl, double progress, double total,
			 const char *message);
	void (*log)(void *impl, log_level level, const char *logger,
		    const char *message);
	/* Sends a request to the client (sampling/createMessage,
	 * elicitation/create) and waits for its result (caller decrefs).
	 * params is stolen. 0 or ERR_* (client lacks the capability, error
	 * answer, cancelled, timeout). */
	int (*client_request)(void *impl, const char *method, json_t *params,
			      json_t **result, errinfo *err);
} tool_call_ops;

struct tool_call {
	const tool_call_ops *ops;
	void *impl;        /* the MCP layer's per-call state */
	void *app;         /* the application context (e.g. the tools context) */
	const char *name;  /* the tool being called */
	/* Becomes non-zero when the call is cancelled; lower layers (the EWS
	 * transport) poll it to abort an HTTP request in flight. */
	const atomic_int *cancel_flag;
};

/* Non-zero once the client cancelled this call (or the server shuts down). */
static inline int tool_call_cancelled(const tool_call *call)
{
	return call && call->ops && call->ops->cancelled(call->impl);
}

/* Reports progress; a no-op unless the client asked for progress. */
static inline void tool_call_progress(tool_call *call, double progress,
				      double total, const char *message)
{
	if (call && call->ops)
		call->ops->progress(call->impl, progress, total, message);
}

/* Sends a log message to the client (notifications/message), subject to
 * the level the client set with logging/setLevel. */
static inline void tool_call_log(tool_call *call, log_level level,
				 const char *message)
{
	if (call && call->ops)
		call->ops->log(call->impl, level, call->name, message);
}

static inline int tool_call_client_request(tool_call *call, const char *method,
					   json_t *params, json_t **result,
					   errinfo *err)
{
	if (!call || !call->ops) {
		json_decref(params);
		return errinfo_set(err, ERR_PROTOCOL, "no client to ask");
	}
	return call->ops->client_request(call->impl, method, params, result, err);
}

#endif
