/* session.c - one MCP connection: lifecycle, dispatch, logging (server.h).
 *
 * Quick requests are answered on the caller's (the transport reader's)
 * thread; tools/call goes to calls.c, resources/prompts/completions to
 * catalog.c. Method names and result shapes follow the MCP specification
 * 2025-11-25; older negotiated versions get the same answers, which their
 * clients accept since later revisions only add fields.
 */
#include "mcp/session_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "mcp/jsonrpc.h"

const char *const mcp_protocol_versions[] = {
	"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", NULL
};

int mcp_protocol_version_supported(const char *version)
{
	size_t i;

	for (i = 0; version && mcp_protocol_versions[i]; i++)
		if (strcmp(version, mcp_protocol_versions[i]) == 0)
			return 1;
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int mcp_server_new(mcp_server **out, const mcp_server_options *opts,
		   errinfo *err)
{
	mcp_server *server;

	*out = NULL;
	if (!opts || !opts->registry)
		return errinfo_set(err, ERR_INVAL, "server needs a tool registry");
	server = calloc(1, sizeof(*server));
	if (!server)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	server->opts = *opts;
	server->name = dup_or_null(opts->name ? opts->name : "ews-mcp");
	server->title = dup_or_null(opts->title);
	server->version = dup_or_null(opts->version ? opts->version : "0");
	server->instructions = dup_or_null(opts->instructions);
	if (mcp_workers_new(&server->workers, opts->workers ? opts->workers : 4,
			    opts->max_queued ? opts->max_queued : 64) < 0) {
		mcp_server_free(server);
		return errinfo_set(err, ERR_NOMEM, "cannot start worker threads");
	}
	*out = server;
	return 0;
}

void mcp_server_free(mcp_server *server)
{
	if (!server)
		return;
	mcp_workers_free(server->workers);
	free(server->name);
	free(server->title);
	free(server->version);
	free(server->instructions);
	free(server);
}

size_t mcp_server_tool_count(const mcp_server *server)
{
	return server ? mcp_registry_count(server->opts.registry) : 0;
}

int mcp_session_new(mcp_session **out, mcp_server *server,
		    const mcp_sink *sink, errinfo *err)
{
	mcp_session *s;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	s->server = server;
	s->sink = *sink;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->changed, NULL);
	s->next_request_id = 1;
	s->log_min_severity = 6; /* info, until the client says otherwise */
	s->subscriptions = json_object();
	*out = s;
	return 0;
}

void session_send(mcp_session *s, const mcp_sink *sink, json_t *msg)
{
	const mcp_sink *to = sink ? sink : &s->sink;

	if (msg && to->send)
		to->send(to->ctx, msg);
	json_decref(msg);
}

/* ---- logging ------------------------------------------------------------ */

static const char *const severity_names[] = {
	"emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"
};

int session_severity(log_level level)
{
	switch (level) {
	case LOG_LEVEL_DEBUG: return 7;
	case LOG_LEVEL_INFO: return 6;
	case LOG_LEVEL_WARNING: return 4;
	case LOG_LEVEL_ERROR: return 3;
	}
	return 6;
}

const char *session_severity_name(int severity)
{
	return severity >= 0 && severity <= 7 ? severity_names[severity] : "info";
}

static int severity_parse(const char *name)
{
	int i;

	for (i = 0; name && i <= 7; i++)
		if (strcmp(name, severity_names[i]) == 0)
			return i;
	return -1;
}

static mcp_session *log_target;
static pthread_mutex_t log_target_lock = PTHREAD_MUTEX_INITIALIZER;

static void forward_log(log_level level, const char *component,
			const char *message, void *payload)
{
	mcp_session *s = payload;
	int severity = session_severity(level), wanted;
	json_t *params;

	pthread_mutex_lock(&s->lock);
	wanted = s->log_level_set && !s->closing && severity <= s->log_min_severity;
	pthread_mutex_unlock(&s->lock);
	if (!wanted)
		return;
	params = json_pack("{s:s, s:s, s:s}", "level", session_severity_name(severity),
			   "logger", component, "data", message);
	if (params)
		session_send(s, NULL, mcp_jsonrpc_notification("notifications/message", params));
}

void mcp_session_forward_logs(mcp_session *s, int enable)
{
	pthread_mutex_lock(&log_target_lock);
	if (enable) {
		log_target = s;
		log_set_hook(forward_log, s);
	} else if (log_target == s) {
		log_target = NULL;
		log_set_hook(NULL, NULL);
	}
	pthread_mutex_unlock(&log_target_lock);
}

/* ---- lifecycle ---------------------------------------------------------- */

static json_t *server_capabilities(const mcp_session *s)
{
	const mcp_catalog *cat = s->server->opts.catalog;
	json_t *caps = json_object();

	json_object_set_new(caps, "tools", json_pack("{s:b}", "listChanged", 0));
	json_object_set_new(caps, "logging", json_object());
	if (cat && (cat->nresources || cat->ntemplates))
		json_object_set_new(caps, "resources",
				    json_pack("{s:b, s:b}", "subscribe", 1, "listChanged", 0));
	if (cat && cat->nprompts)
		json_object_set_new(caps, "prompts", json_pack("{s:b}", "listChanged", 0));
	if (cat && cat->complete)
		json_object_set_new(caps, "completions", json_object());
	return caps;
}

static int handle_initialize(mcp_session *s, const json_t *params,
			     json_t **result, char *msg, size_t msgcap)
{
	const json_t *version = json_object_get(params, "protocolVersion");
	const json_t *caps = json_object_get(params, "capabilities");
	const json_t *info = json_object_get(params, "clientInfo");
	const char *chosen;
	json_t *server_info;

	if (!json_is_string(version)) {
		snprintf(msg, msgcap, "initialize: params.protocolVersion must be a string");
		return MCP_INVALID_PARAMS;
	}
	if (caps && !json_is_object(caps)) {
		snprintf(msg, msgcap, "initialize: params.capabilities must be an object");
		return MCP_INVALID_PARAMS;
	}
	/* Echo the client's version when we speak it, else offer our latest:
	 * the client then decides whether it can continue. */
	chosen = mcp_protocol_version_supported(json_string_value(version))
		 ? json_string_value(version) : mcp_protocol_versions[0];

	pthread_mutex_lock(&s->lock);
	s->initialize_answered = 1;
	snprintf(s->protocol_version, sizeof(s->protocol_version), "%s", chosen);
	json_decref(s->client_capabilities);
	s->client_capabilities = caps ? json_deep_copy(caps) : json_object();
	json_decref(s->client_info);
	s->client_info = json_is_object(info) ? json_deep_copy(info) : NULL;
	pthread_mutex_unlock(&s->lock);

	server_info = json_pack("{s:s, s:s}", "name", s->server->name, "version",
				s->server->version);
	if (s->server->title)
		json_object_set_new(server_info, "title", json_string(s->server->title));
	*result = json_pack("{s:s, s:o, s:o}", "protocolVersion", chosen,
			    "capabilities", server_capabilities(s),
			    "serverInfo", server_info);
	if (s->server->instructions)
		json_object_set_new(*result, "instructions",
				    json_string(s->server->instructions));
	log_debug("MCP", "initialize: client %s, protocol %s",
		  info ? json_string_value(json_object_get(info, "name")) : "(unnamed)",
		  chosen);
	return 0;
}

static int handle_set_level(mcp_session *s, const json_t *params,
			    char *msg, size_t msgcap)
{
	const json_t *level = json_object_get(params, "level");
	int severity = json_is_string(level) ? severity_parse(json_string_value(level)) : -1;

	if (severity < 0) {
		snprintf(msg, msgcap, "logging/setLevel: params.level must be one of "
			 "debug, info, notice, warning, error, critical, alert, emergency");
		return MCP_INVALID_PARAMS;
	}
	pthread_mutex_lock(&s->lock);
	s->log_level_set = 1;
	s->log_min_severity = severity;
	pthread_mutex_unlock(&s->lock);
	return 0;
}

/* Answers one request that does not need a worker. Returns 0 with *result
 * set, or a JSON-RPC error code with msg filled. */
static int handle_request(mcp_session *s, const char *method,
			  const json_t *params, json_t **result,
			  char *msg, size_t msgcap)
{
	errinfo err = ERRINFO_INIT;
	const json_t *cursor;

	*result = NULL;
	if (strcmp(method, "initialize") == 0)
		return handle_initialize(s, params, result, msg, msgcap);
	if (strcmp(method, "ping") == 0) {
		*result = json_object();
		return 0;
	}
	if (strcmp(method, "logging/setLevel") == 0) {
		int code = handle_set_level(s, params, msg, msgcap);

		if (!code)
			*result = json_object();
		return code;
	}
	if (strcmp(method, "tools/list") == 0) {
		cursor = json_object_get(params, "cursor");
		if (cursor && !json_is_string(cursor)) {
			snprintf(msg, msgcap, "tools/list: params.cursor must be a string");
			return MCP_INVALID_PARAMS;
		}
		if (mcp_registry_list(result, s->server->opts.registry,
				      json_string_value(cursor),
				      s->server->opts.list_page_size, &err) < 0) {
			snprintf(msg, msgcap, "tools/list: %s", err.msg);
			return MCP_INVALID_PARAMS;
		}
		return 0;
	}
	if (strncmp(method, "resources/", 10) == 0 || strncmp(method, "prompts/", 8) == 0 ||
	    strcmp(method, "completion/complete") == 0) {
		int code = 0;

		if (catalog_handle(s, method, params, result, &code, msg, msgcap) == 0)
			return 0;
		return code;
	}
	snprintf(msg, msgcap, "Method not found: %s", method);
	return MCP_METHOD_NOT_FOUND;
}

static void handle_notification(mcp_session *s, const char *method,
				const json_t *params)
{
	if (strcmp(method, "notifications/initialized") == 0) {
		pthread_mutex_lock(&s->lock);
		s->initialized = 1;
		pthread_mutex_unlock(&s->lock);
	} else if (strcmp(method, "notifications/cancelled") == 0) {
		calls_cancel(s, json_object_get(params, "requestId"));
	}
	/* Other notifications (roots/list_changed, progress for our requests)
	 * need no action; unknown ones must be ignored. */
}

/* The lifecycle (MCP 2025-11-25, Lifecycle): initialize comes first and
 * once; before it, only ping is answered. A tool call sent before
 * initialize must not run: it would act on a mailbox for a client that
 * never negotiated anything. Requests after the initialize answer are
 * served whether or not notifications/initialized has arrived yet, as
 * clients may pipeline it. 1 with msg filled when method is refused. */
static int lifecycle_refuses(const char *method, int ready, char *msg,
			     size_t msgcap)
{
	if (strcmp(method, "initialize") == 0) {
		if (!ready)
			return 0;
		snprintf(msg, msgcap, "initialize: this session is already "
			 "initialized; start a new session to initialize again");
		return 1;
	}
	if (ready || strcmp(method, "ping") == 0)
		return 0;
	snprintf(msg, msgcap, "%s: the session is not initialized; send "
		 "initialize first", method);
	return 1;
}

void mcp_session_receive(mcp_session *s, const char *text, size_t len,
			 const mcp_sink *reply)
{
	mcp_message msg;
	json_t *answer = NULL, *result;
	char errmsg[ERRINFO_MSG_MAX + 128];
	int code, closing, ready;

	if (mcp_message_parse(&msg, text, len, &answer) < 0) {
		if (answer)
			session_send(s, reply, answer);
		return;
	}
	switch (msg.kind) {
	case MCP_MSG_RESPONSE:
		calls_deliver_response(s, msg.id, json_incref(msg.result),
				       json_incref(msg.error));
		break;
	case MCP_MSG_NOTIFICATION:
		handle_notification(s, msg.method, msg.params);
		break;
	case MCP_MSG_REQUEST:
		pthread_mutex_lock(&s->lock);
		closing = s->closing;
		ready = s->initialize_answered;
		pthread_mutex_unlock(&s->lock);
		if (closing) {
			session_send(s, reply, mcp_jsonrpc_error(msg.id, MCP_SERVER_BUSY,
								 "Server is shutting down", NULL));
			break;
		}
		if (lifecycle_refuses(msg.method, ready, errmsg, sizeof(errmsg))) {
			session_send(s, reply, mcp_jsonrpc_error(msg.id, MCP_INVALID_REQUEST,
								 errmsg, NULL));
			break;
		}
		if (strcmp(msg.method, "tools/call") == 0) {
			calls_handle_tools_call(s, msg.id, msg.params, reply);
			break;
		}
		errmsg[0] = '\0';
		code = handle_request(s, msg.method, msg.params, &result, errmsg,
				      sizeof(errmsg));
		session_send(s, reply, code ? mcp_jsonrpc_error(msg.id, code, errmsg, NULL)
					    : mcp_jsonrpc_result(msg.id, result));
		break;
	}
	mcp_message_dispose(&msg);
}

void mcp_session_reject(mcp_session *s, const json_t *id, int code,
			const char *message, const mcp_sink *reply)
{
	session_send(s, reply, mcp_jsonrpc_error(id, code, message, NULL));
}

const char *mcp_session_protocol_version(const mcp_session *s)
{
	return s->protocol_version[0] ? s->protocol_version : NULL;
}

size_t mcp_session_inflight(mcp_session *s)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->inflight - s->answered;
	pthread_mutex_unlock(&s->lock);
	return n;
}

static void deadline_after(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

void mcp_session_shutdown(mcp_session *s, long grace_ms)
{
	struct timespec deadline;

	pthread_mutex_lock(&s->lock);
	s->closing = 1;
	deadline_after(&deadline, grace_ms > 0 ? grace_ms : 0);
	while (s->inflight > 0 &&
	       pthread_cond_timedwait(&s->changed, &s->lock, &deadline) == 0)
		;
	pthread_mutex_unlock(&s->lock);

	/* Whatever is still running is told to stop; tools poll the flag and
	 * the EWS transport aborts its HTTP request. */
	calls_cancel_all(s);
	pthread_mutex_lock(&s->lock);
	while (s->inflight > 0)
		pthread_cond_wait(&s->changed, &s->lock);
	pthread_mutex_unlock(&s->lock);
}

void mcp_session_free(mcp_session *s)
{
	mcp_pending *p;

	if (!s)
		return;
	mcp_session_forward_logs(s, 0);
	mcp_session_shutdown(s, 0);
	while ((p = s->pending)) {
		s->pending = p->next;
		json_decref(p->result);
		json_decref(p->error);
		free(p);
	}
	json_decref(s->client_capabilities);
	json_decref(s->client_info);
	json_decref(s->subscriptions);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->changed);
	free(s);
}
