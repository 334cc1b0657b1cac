/* calls.c - tools/call: argument checks, worker execution, progress,
 * cancellation and requests from a running tool to the client.
 *
 * A call is registered under its request id before it is queued, so a
 * notifications/cancelled that races the worker still finds it. Per the
 * specification a cancelled request gets no response. Argument violations
 * are answered as tool errors (isError) naming the field, which lets the
 * model correct itself; an unknown tool is a protocol error (-32602).
 */
#include "mcp/session_int.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"
#include "mcp/jsonrpc.h"

static json_t *text_block(const char *text)
{
	return json_pack("{s:s, s:s}", "type", "text", "text", text ? text : "");
}

/* The structured content of a failure: the tool's own object, or one
 * made from err. Steals obj. */
static json_t *error_object(json_t *obj, const errinfo *err)
{
	int code = err->code ? err->code : ERR_GENERIC;

	if (json_is_object(obj))
		return obj;
	json_decref(obj);
	obj = json_pack("{s:b, s:o, s:s, s:s}", "success", 0, "error",
			tool_error_string(err->msg[0] ? err->msg : "The tool failed"),
			"error_code", errinfo_code_name(code), "error_type", tool_error_type(code));
	if (err->ews_code[0])
		json_object_set_new(obj, "ews_code", json_string(err->ews_code));
	return obj;
}

/* The failure of a call refused before its handler ran, shaped like the
 * tool's own failures: a mailbox tool's also says it cannot be retried
 * as is and names the mailbox, the target_mailbox given or else the
 * service account's (as tools_run reports them). */
static json_t *refusal_object(const mcp_session *s, const tool_def *tool,
			      const json_t *args, const errinfo *err)
{
	json_t *obj = error_object(NULL, err);
	const char *target = json_string_value(json_object_get(args, "target_mailbox"));

	if (!(tool->flags & TOOL_MAILBOX))
		return obj;
	if (!target || !target[strspn(target, " \t")])
		target = s->server->opts.default_mailbox;
	json_object_set_new(obj, "is_retryable", json_false());
	json_object_set_new(obj, "mailbox", target ? json_string(target) : json_null());
	return obj;
}

static json_t *error_result(const tool_def *tool, json_t *obj, const errinfo *err)
{
	json_t *result;
	char *text;

	obj = error_object(obj, err);
	if (tool && (tool->flags & TOOL_RAW_RESULT)) {
		result = json_pack("{s:[o], s:b}", "content",
				   text_block(json_string_value(json_object_get(obj, "error"))),
				   "isError", 1);
		json_decref(obj);
		return result;
	}
	text = json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII);
	result = json_pack("{s:[o], s:o, s:b}", "content", text_block(text),
			   "structuredContent", obj, "isError", 1);
	free(text);
	return result;
}

/* A result this large returns its memory to the system once sent. */
#define LARGE_RESULT_BYTES (1u << 20)

/* Appends s as the body of a JSON string: the text is JSON written with
 * JSON_ENSURE_ASCII, so it has no control or non-ASCII characters, and
 * only quotes and backslashes need escaping. */
static void put_escaped(buf *b, const char *s)
{
	while (*s) {
		size_t run = strcspn(s, "\"\\");

		buf_put(b, s, run);
		s += run;
		if (*s) {
			buf_putc(b, '\\');
			buf_putc(b, *s++);
		}
	}
}

/* Sends a tool result whose structured content obj is an object. It is
 * serialised once: that text is both the structuredContent and, escaped,
 * the text block (MCP: a tool that returns structured content should also
 * return it as text). A sink that takes text gets the message as text,
 * any other the message as JSON. Steals obj. */
static void send_structured(mcp_session *s, const mcp_sink *reply, const json_t *id,
			    json_t *obj, int is_error)
{
	char *text = json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII);
	char *idtext = json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT);
	const mcp_sink *to = reply ? reply : &s->sink;

	if (text && idtext && to->send_text) {
		size_t len = strlen(text);
		/* escaped text (at most twice as long), the text, the frame */
		buf b = BUF_INIT(len * 3 + strlen(idtext) + 256);

		buf_printf(&b, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"content\":"
			   "[{\"type\":\"text\",\"text\":\"", idtext);
		put_escaped(&b, text);
		buf_puts(&b, "\"}],\"structuredContent\":");
		buf_put(&b, text, len);
		buf_puts(&b, is_error ? ",\"isError\":true}}" : "}}");
		if (!buf_failed(&b)) {
			size_t sent = b.len;

			to->send_text(to->ctx, id, b.ptr, b.len);
			buf_dispose(&b);
			json_decref(obj);
			free(text);
			free(idtext);
			if (sent >= LARGE_RESULT_BYTES)
				/* The item tree, the XML and the text of a big
				 * read are free now: give the pages back, or the
				 * arena keeps them at their high-water mark. */
				malloc_trim(0);
			return;
		}
		buf_dispose(&b);
	}
	{
		json_t *result = json_pack("{s:[o], s:o}", "content", text_block(text),
					   "structuredContent", obj);

		if (is_error)
			json_object_set_new(result, "isError", json_true());
		session_send(s, reply, mcp_jsonrpc_result(id, result));
	}
	free(text);
	free(idtext);
}

static json_t *success_result(const tool_def *tool, json_t *out)
{
	json_t *result;
	char *text;

	if (tool->flags & TOOL_RAW_RESULT)
		return json_is_object(out) ? out : json_pack("{s:[]}", "content");
	text = json_dumps(out, JSON_COMPACT | JSON_ENSURE_ASCII);
	result = json_pack("{s:[o]}", "content", text_block(text));
	free(text);
	if (json_is_object(out))
		json_object_set_new(result, "structuredContent", out);
	else
		json_decref(out);
	return result;
}

/* ---- what a running tool may ask for (tool_call_ops) --------------------- */

static int op_cancelled(void *impl)
{
	mcp_call *c = impl;

	return atomic_load(&c->cancelled);
}

static void op_progress(void *impl, double progress, double total,
			const char *message)
{
	mcp_call *c = impl;
	json_t *params;
	int send = 0;

	if (!c->progress_token)
		return;
	/* The specification requires progress to increase with each notification. */
	pthread_mutex_lock(&c->progress_lock);
	if (progress > c->last_progress || c->last_progress < 0) {
		c->last_progress = progress;
		send = 1;
	}
	pthread_mutex_unlock(&c->progress_lock);
	if (!send)
		return;
	params = json_pack("{s:O, s:f}", "progressToken", c->progress_token,
			   "progress", progress);
	if (total > 0)
		json_object_set_new(params, "total", json_real(total));
	if (message)
		json_object_set_new(params, "message", json_string(message));
	session_send(c->session, &c->reply,
		     mcp_jsonrpc_notification("notifications/progress", params));
}

static void op_log(void *impl, log_level level, const char *logger,
		   const char *message)
{
	mcp_call *c = impl;
	mcp_session *s = c->session;
	int severity = session_severity(level), wanted;

	pthread_mutex_lock(&s->lock);
	/* Until the client sets a level, the default threshold (info) applies. */
	wanted = severity <= s->log_min_severity;
	pthread_mutex_unlock(&s->lock);
	if (!wanted)
		return;
	session_send(s, &c->reply, mcp_jsonrpc_notification("notifications/message",
		json_pack("{s:s, s:s, s:s}", "level", session_severity_name(severity),
			  "logger", logger ? logger : "tool", "data", message ? message : "")));
}

static const char *capability_for(const char *method)
{
	if (strcmp(method, "sampling/createMessage") == 0)
		return "sampling";
	if (strcmp(method, "elicitation/create") == 0)
		return "elicitation";
	if (strcmp(method, "roots/list") == 0)
		return "roots";
	return NULL;
}

static int op_client_request(void *impl, const char *method, json_t *params,
			     json_t **result, errinfo *err)
{
	mcp_call *c = impl;
	mcp_session *s = c->session;
	const char *cap = capability_for(method);
	mcp_pending *p, **pp;
	struct timespec deadline;
	long waited = 0, limit = s->server->opts.client_request_timeout_ms;
	json_int_t id;
	int error = 0;

	*result = NULL;
	pthread_mutex_lock(&s->lock);
	if (cap && !json_object_get(s->client_capabilities, cap)) {
		pthread_mutex_unlock(&s->lock);
		json_decref(params);
		return errinfo_set(err, ERR_PROTOCOL,
				   "the client does not support %s (no '%s' capability)",
				   method, cap);
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		pthread_mutex_unlock(&s->lock);
		json_decref(params);
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	}
	id = p->id = s->next_request_id++;
	p->next = s->pending;
	s->pending = p;
	pthread_mutex_unlock(&s->lock);

	session_send(s, &c->reply, mcp_jsonrpc_request(id, method, params));

	/* Wait in short slices so a cancellation is noticed promptly. */
	pthread_mutex_lock(&s->lock);
	while (!p->done && !atomic_load(&c->cancelled) && (limit <= 0 || waited < limit)) {
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_nsec += 100 * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		if (pthread_cond_timedwait(&s->changed, &s->lock, &deadline) == ETIMEDOUT)
			waited += 100;
	}
	for (pp = &s->pending; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	pthread_mutex_unlock(&s->lock);

	if (!p->done)
		error = atomic_load(&c->cancelled)
			? errinfo_set(err, ERR_CANCELLED, "%s: cancelled", method)
			: errinfo_set(err, ERR_TIMEOUT, "%s: the client did not answer in time",
				      method);
	else if (p->error)
		error = errinfo_set(err, ERR_PROTOCOL, "%s failed: %s", method,
				    json_string_value(json_object_get(p->error, "message")));
	else
		*result = json_incref(p->result);
	json_decref(p->result);
	json_decref(p->error);
	free(p);
	return error;
}

static const tool_call_ops call_ops = {
	op_cancelled, op_progress, op_log, op_client_request
};

/* ---- registration and execution ------------------------------------------ */

static void call_free(mcp_call *c)
{
	if (!c)
		return;
	json_decref(c->id);
	json_decref(c->progress_token);
	json_decref(c->args);
	pthread_mutex_destroy(&c->progress_lock);
	free(c);
}

static void unregister(mcp_session *s, mcp_call *c)
{
	mcp_call **pp;

	pthread_mutex_lock(&s->lock);
	for (pp = &s->calls; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	if (c->answered)
		s->answered--;
	s->inflight--;
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
}

/* ---- the progress heartbeat ------------------------------------------- */

/* While a call whose client asked for progress runs, a notification goes
 * out every progress_interval_ms: the seconds elapsed, and what runs.
 * Exchange cannot say how far along a request is, so elapsed time is the
 * honest measure; it only grows, as the specification requires. */
typedef struct heartbeat {
	mcp_call *call;
	long interval_ms;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t done_cond;
	int done, running;
} heartbeat;

static void *beat(void *arg)
{
	heartbeat *h = arg;
	struct timespec start, deadline;
	char msg[200];
	long beats = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	pthread_mutex_lock(&h->lock);
	while (!h->done) {
		long ms = (++beats) * h->interval_ms;

		deadline.tv_sec = start.tv_sec + ms / 1000;
		deadline.tv_nsec = start.tv_nsec + (ms % 1000) * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		while (!h->done && pthread_cond_timedwait(&h->done_cond, &h->lock,
							  &deadline) == 0)
			;
		if (h->done)
			break;
		pthread_mutex_unlock(&h->lock);
		snprintf(msg, sizeof(msg), "%s: still working after %ld s",
			 h->call->tool->name, ms / 1000);
		op_progress(h->call, (double)ms / 1000.0, 0, msg);
		pthread_mutex_lock(&h->lock);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

static void heartbeat_start(heartbeat *h, mcp_call *c, long interval_ms)
{
	pthread_condattr_t attr;

	memset(h, 0, sizeof(*h));
	if (!c->progress_token || interval_ms <= 0)
		return;
	h->call = c;
	h->interval_ms = interval_ms;
	pthread_mutex_init(&h->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&h->done_cond, &attr);
	pthread_condattr_destroy(&attr);
	h->running = pthread_create(&h->thread, NULL, beat, h) == 0;
	if (!h->running) {
		pthread_cond_destroy(&h->done_cond);
		pthread_mutex_destroy(&h->lock);
	}
}

/* Stops the heartbeat before the answer is sent, so no progress follows
 * the response. */
static void heartbeat_stop(heartbeat *h)
{
	if (!h->running)
		return;
	pthread_mutex_lock(&h->lock);
	h->done = 1;
	pthread_cond_signal(&h->done_cond);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->thread, NULL);
	pthread_cond_destroy(&h->done_cond);
	pthread_mutex_destroy(&h->lock);
}

/* From the moment its answer goes out, a call no longer counts as in
 * progress (mcp_session_inflight) nor holds its id, although the worker
 * still uses the session until unregister(): a client that has read the
 * answer and sends the next call at once must not find this one counted
 * (it got 429 from the HTTP in-flight limit in that window). */
static void mark_answered(mcp_session *s, mcp_call *c)
{
	pthread_mutex_lock(&s->lock);
	c->answered = 1;
	s->answered++;
	pthread_mutex_unlock(&s->lock);
}

static void run_call(void *arg)
{
	mcp_call *c = arg;
	mcp_session *s = c->session;
	tool_call tc = { &call_ops, c, s->server->opts.app, c->tool->name, &c->cancelled };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *result;
	int rc, cancelled;

	if (atomic_load(&c->cancelled)) {
		rc = errinfo_set(&err, ERR_CANCELLED, "cancelled before it started");
	} else {
		heartbeat hb;

		heartbeat_start(&hb, c, s->server->opts.progress_interval_ms);
		rc = c->tool->handler(&out, &tc, c->args, &err);
		heartbeat_stop(&hb);
	}
	cancelled = atomic_load(&c->cancelled);
	mark_answered(s, c);
	/* A cancelled request is not answered (specification: cancellation);
	 * a transport waiting for the answer is told there will be none. */
	if (cancelled) {
		json_decref(out);
		if (c->reply.unanswered)
			c->reply.unanswered(c->reply.ctx, c->id);
	} else if (!(c->tool->flags & TOOL_RAW_RESULT) &&
		   (rc < 0 || json_is_object(out))) {
		send_structured(s, &c->reply, c->id,
				rc < 0 ? error_object(out, &err) : out, rc < 0);
	} else {
		result = rc < 0 ? error_result(c->tool, out, &err)
				: success_result(c->tool, out);
		session_send(s, &c->reply, mcp_jsonrpc_result(c->id, result));
	}
	unregister(s, c);
	call_free(c);
}

void calls_handle_tools_call(mcp_session *s, const json_t *id,
			     const json_t *params, const mcp_sink *reply)
{
	const json_t *name = json_object_get(params, "name");
	const json_t *args = json_object_get(params, "arguments");
	const json_t *meta = json_object_get(params, "_meta");
	const mcp_registry *reg = s->server->opts.registry;
	const tool_def *tool;
	errinfo err = ERRINFO_INIT;
	mcp_call *c, *other;
	char msg[300];

	if (!json_is_string(name)) {
		session_send(s, reply, mcp_jsonrpc_error(id, MCP_INVALID_PARAMS,
			"tools/call: params.name must be a string", NULL));
		return;
	}
	if (args && !json_is_object(args) && !json_is_null(args)) {
		session_send(s, reply, mcp_jsonrpc_error(id, MCP_INVALID_PARAMS,
			"tools/call: params.arguments must be an object", NULL));
		return;
	}
	tool = mcp_registry_find(reg, json_string_value(name));
	if (!tool) {
		/* A tool error, not a protocol error: the model that misspelt a
		 * name reads the list and corrects itself, as it can with the
		 * Python server's {"error": "Unknown tool: X", "available_tools"}. */
		json_t *obj = json_pack("{s:b, s:s, s:s, s:o}", "success", 0,
					"error", "", "error_code", "invalid_input",
					"available_tools", mcp_registry_names(reg));

		snprintf(msg, sizeof(msg), "Unknown tool: %s", json_string_value(name));
		json_object_set_new(obj, "error", tool_error_string(msg));
		errinfo_set(&err, ERR_INVAL, "%s", msg);
		session_send(s, reply, mcp_jsonrpc_result(id, error_result(NULL, obj, &err)));
		return;
	}
	if (json_is_null(args))
		args = NULL;
	if (mcp_registry_check_args(reg, tool, args, &err) < 0) {
		char text[ERRINFO_MSG_MAX + 64];

		snprintf(text, sizeof(text), "Invalid arguments for %s: %s",
			 tool->name, err.msg);
		errinfo_clear(&err);
		errinfo_set(&err, ERR_INVAL, "%s", text);
		session_send(s, reply, mcp_jsonrpc_result(id, error_result(tool,
			refusal_object(s, tool, args, &err), &err)));
		return;
	}

	c = calloc(1, sizeof(*c));
	if (!c) {
		session_send(s, reply, mcp_jsonrpc_error(id, MCP_INTERNAL_ERROR,
							 "out of memory", NULL));
		return;
	}
	c->session = s;
	c->id = json_deep_copy(id);
	c->tool = tool;
	c->args = args ? json_deep_copy(args) : json_object();
	c->reply = reply ? *reply : s->sink;
	c->last_progress = -1;
	pthread_mutex_init(&c->progress_lock, NULL);
	if (json_is_object(meta)) {
		json_t *token = json_object_get(meta, "progressToken");

		if (json_is_string(token) || json_is_integer(token))
			c->progress_token = json_incref(token);
	}

	pthread_mutex_lock(&s->lock);
	for (other = s->calls; other; other = other->next)
		if (!other->answered && json_equal(other->id, id))
			break;
	if (!other) {
		c->next = s->calls;
		s->calls = c;
		s->inflight++;
	}
	pthread_mutex_unlock(&s->lock);
	if (other) {
		session_send(s, reply, mcp_jsonrpc_error(id, MCP_INVALID_REQUEST,
			"Invalid Request: this id is already used by a call in progress", NULL));
		call_free(c);
		return;
	}
	if (mcp_workers_submit(s->server->workers, run_call, c) < 0) {
		mark_answered(s, c);
		session_send(s, reply, mcp_jsonrpc_error(id, MCP_SERVER_BUSY,
			"Server busy: too many tool calls in progress; retry shortly", NULL));
		unregister(s, c);
		call_free(c);
	}
}

void calls_cancel(mcp_session *s, const json_t *request_id)
{
	char name[160] = "";
	mcp_call *c;

	if (!request_id)
		return;
	pthread_mutex_lock(&s->lock);
	for (c = s->calls; c; c = c->next)
		if (json_equal(c->id, request_id)) {
			atomic_store(&c->cancelled, 1);
			snprintf(name, sizeof(name), "%s", c->tool->name);
		}
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
	/* Logged after the lock is released: a log line may be forwarded
	 * to this very session (notifications/message), which takes the
	 * session lock; under it, the cancel deadlocked the reader. */
	if (name[0])
		log_debug("MCP", "tool call %s cancelled by the client", name);
}

void calls_cancel_all(mcp_session *s)
{
	mcp_call *c;

	pthread_mutex_lock(&s->lock);
	for (c = s->calls; c; c = c->next)
		atomic_store(&c->cancelled, 1);
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
}

void calls_deliver_response(mcp_session *s, const json_t *id, json_t *result,
			    json_t *error)
{
	mcp_pending *p;

	pthread_mutex_lock(&s->lock);
	for (p = s->pending; p; p = p->next)
		if (json_is_integer(id) && json_integer_value(id) == p->id && !p->done) {
			p->done = 1;
			p->result = result;
			p->error = error;
			result = error = NULL;
			break;
		}
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
	if (result || error)
		log_debug("MCP", "response to an unknown request id ignored");
	json_decref(result);
	json_decref(error);
}

void mcp_session_cancel_request(mcp_session *s, const json_t *id)
{
	calls_cancel(s, id);
}

int mcp_session_request_active(mcp_session *s, const json_t *id)
{
	mcp_call *c;
	int found = 0;

	if (!id)
		return 0;
	pthread_mutex_lock(&s->lock);
	for (c = s->calls; c && !found; c = c->next)
		found = json_equal(c->id, id);
	pthread_mutex_unlock(&s->lock);
	return found;
}
