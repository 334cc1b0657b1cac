/* http_mcp.c - the Streamable HTTP endpoint, /mcp (MCP 2025-11-25,
 * "Transports"; the 2025-06-18 and 2025-03-26 revisions differ only in
 * details handled here: batches in 2025-03-26, priming events from
 * 2025-11-25).
 *
 * POST carries client messages. Only notifications/responses: 202. With
 * requests, the messages go to the MCP session with this POST's stream as
 * the reply sink, and the handler waits: if the answers arrive with
 * nothing else (the usual case) they go back as plain JSON; as soon as the
 * call sends anything else (progress, log messages, a sampling or
 * elicitation request) or takes longer than json_wait_ms, the answer
 * becomes an SSE stream carrying those messages and finally the response.
 * A client that disconnects while the handler waits has its calls
 * cancelled, since a JSON answer cannot be resumed.
 *
 * GET opens the standalone stream (messages not tied to a request), or with
 * Last-Event-ID resumes the stream that id belongs to. DELETE ends the
 * session. Status codes follow the SDK's own server, which clients are
 * tested against: 400 missing session id / bad version header, 404 unknown
 * session, 406 Accept, 409 a second GET stream, 415 Content-Type.
 */
#include "mcp/http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/log.h"
#include "mcp/jsonrpc.h"

/* Checks MCP-Protocol-Version: absent means 2025-03-26 (the version before
 * the header existed); any version we speak is accepted, since clients
 * send the header before they know what was agreed on some paths. */
static int version_ok(struct MHD_Connection *c, char *why, size_t cap)
{
	const char *v = http_header(c, "MCP-Protocol-Version");

	if (!v || mcp_protocol_version_supported(v))
		return 1;
	snprintf(why, cap, "Bad Request: unsupported MCP-Protocol-Version '%.40s' "
		 "(supported: 2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05)", v);
	return 0;
}

/* The session named by Mcp-Session-Id, or an answer queued (400/404). */
static http_sess *session_for(mcp_http *h, struct MHD_Connection *c, enum MHD_Result *rc)
{
	const char *sid = http_header(c, "Mcp-Session-Id");
	http_sess *s;
	char why[200];

	if (!sid || !*sid) {
		*rc = http_reply_rpc_error(c, 400, -32000,
					   "Bad Request: Mcp-Session-Id header is required", 0);
		return NULL;
	}
	s = http_sessions_find(h, sid);
	if (!s || s->legacy) {
		http_sess_unref(s);
		*rc = http_reply_rpc_error(c, 404, -32001, "Session not found", 0);
		return NULL;
	}
	if (!version_ok(c, why, sizeof(why))) {
		http_sess_unref(s);
		*rc = http_reply_rpc_error(c, 400, -32000, why, 0);
		return NULL;
	}
	http_sess_touch(s);
	return s;
}

static int version_at_least(const char *negotiated, const char *v)
{
	return negotiated && strcmp(negotiated, v) >= 0;
}

static int is_json_type(const char *ctype)
{
	size_t n = strcspn(ctype ? ctype : "", ";");

	while (n && ctype[n - 1] == ' ')
		n--;
	return ctype && n == 16 && strncasecmp(ctype, "application/json", 16) == 0;
}

/* Feeds every message of body to the session with sink as the reply route. */
static void feed(http_sess *s, const char *raw, size_t len, const json_t *body,
		 const mcp_sink *sink)
{
	size_t i;

	if (!json_is_array(body)) {
		mcp_session_receive(s->mcp, raw, len, sink);
		return;
	}
	for (i = 0; i < json_array_size(body); i++) {
		char *text = json_dumps(json_array_get(body, i), JSON_COMPACT);

		if (text)
			mcp_session_receive(s->mcp, text, strlen(text), sink);
		free(text);
	}
}

/* The answer to a POST with requests, once they are fed. */
static enum MHD_Result answer_post(mcp_http *h, struct MHD_Connection *c, http_sess *s,
				   http_stream *st, int batch, int initialize)
{
	const char *version = mcp_session_protocol_version(s->mcp);
	int how = http_stream_wait(st, http_conn_fd(c), h->o.json_wait_ms, &h->stop);
	enum MHD_Result rc;

	if (how == HTTP_WAIT_GONE || how == HTTP_WAIT_STOP) {
		pthread_mutex_lock(&st->lock);
		st->attached = 0;
		pthread_mutex_unlock(&st->lock);
		http_stream_cancel_pending(st, s->mcp);
		if (how == HTTP_WAIT_GONE)
			return MHD_NO; /* nobody to answer */
		return http_reply_rpc_error(c, 503, -32000, "Server is shutting down", 5);
	}
	if (how == HTTP_WAIT_JSON) {
		char *text = http_stream_json_body(st, batch);
		const char *hdrs[] = { "Mcp-Session-Id", s->id, NULL };
		int failed_init = 0;

		if (initialize) {
			json_t *ans = text ? json_loads(text, 0, NULL) : NULL;

			failed_init = !ans || json_object_get(ans, "error") != NULL;
			json_decref(ans);
		}
		pthread_mutex_lock(&st->lock);
		st->attached = 0;
		pthread_mutex_unlock(&st->lock);
		http_sess_drop_stream(s, st);
		if (!text || !*text || strcmp(text, "[]") == 0)
			/* Every request in it was cancelled: no answer is due
			 * (specification: cancellation), so nothing is sent,
			 * as for a POST of notifications. */
			rc = http_reply(c, 202, NULL, "", NULL);
		else
			rc = http_reply(c, 200, "application/json", text,
					initialize && !failed_init ? hdrs : NULL);
		free(text);
		/* A session whose initialize failed was never usable. */
		if (failed_init)
			http_sessions_remove(h, s);
		return rc;
	}
	{
		http_sse_params p = { c, 0, 0, h->o.retry_ms, h->o.keepalive_s,
				      h->o.resume_grace_ms, &h->stop, 0 };
		struct MHD_Response *resp;

		/* Priming events (an id with empty data) arrived in 2025-11-25;
		 * older clients get ids on real events only. */
		p.prime = version_at_least(version, "2025-11-25");
		resp = http_stream_response(st, s, &p);
		pthread_mutex_lock(&st->lock);
		st->attached = resp != NULL; /* the reader owns delivery now */
		pthread_mutex_unlock(&st->lock);
		if (!resp) {
			http_stream_cancel_pending(st, s->mcp);
			return http_reply_rpc_error(c, 503, -32603, "out of memory", 1);
		}
		if (initialize)
			MHD_add_response_header(resp, "Mcp-Session-Id", s->id);
		rc = MHD_queue_response(c, 200, resp);
		MHD_destroy_response(resp);
		return rc;
	}
}

static enum MHD_Result handle_post(mcp_http *h, struct MHD_Connection *c, http_req *r,
				   int key_index)
{
	const char *raw = buf_cstr(&r->body);
	json_t *body = NULL, *m;
	json_error_t jerr;
	http_msg_counts n;
	http_sess *s = NULL;
	http_stream *st = NULL;
	mcp_sink sink = { 0 };
	enum MHD_Result rc = MHD_NO;
	char why[300], addr[64];
	size_t i;

	if (!is_json_type(http_header(c, "Content-Type")))
		return http_reply_rpc_error(c, 415, -32000, "Unsupported Media Type: "
					    "Content-Type must be application/json", 0);
	if (!http_accepts(c, "application/json") || !http_accepts(c, "text/event-stream"))
		return http_reply_rpc_error(c, 406, -32000, "Not Acceptable: Accept must list "
					    "both application/json and text/event-stream", 0);
	/* \u0000 is valid JSON; the message parser refuses it by field,
	 * with the request's id (jsonrpc.c). */
	body = json_loadb(raw, r->body.len, JSON_ALLOW_NUL, &jerr);
	if (!body) {
		snprintf(why, sizeof(why), "Parse error: %s (line %d, column %d)", jerr.text,
			 jerr.line, jerr.column);
		return http_reply_rpc_error(c, 400, MCP_PARSE_ERROR, why, 0);
	}
	if (http_count_messages(body, &n, why, sizeof(why)) < 0) {
		rc = http_reply_rpc_error(c, 400, MCP_INVALID_REQUEST, why, 0);
		goto done;
	}

	if (n.initialize) {
		if (json_is_array(body)) {
			rc = http_reply_rpc_error(c, 400, MCP_INVALID_REQUEST, "Invalid Request: "
						  "initialize must be sent alone, not in a batch", 0);
			goto done;
		}
		if (http_header(c, "Mcp-Session-Id")) {
			rc = http_reply_rpc_error(c, 400, MCP_INVALID_REQUEST, "Invalid Request: "
						  "this session is already initialized", 0);
			goto done;
		}
		http_client_addr(c, addr, sizeof(addr));
		switch (http_sessions_create(&s, h, addr, 0)) {
		case 0:
			break;
		case 429:
			rc = http_reply_rpc_error(c, 429, -32000, "Too many sessions from this "
						  "client; end unused sessions (DELETE) or retry later", 30);
			goto done;
		default:
			rc = http_reply_rpc_error(c, 503, -32000, "Server busy: no more sessions "
						  "available; retry later", 30);
			goto done;
		}
	} else {
		s = session_for(h, c, &rc);
		if (!s)
			goto done;
	}
	if (json_is_array(body) &&
	    version_at_least(mcp_session_protocol_version(s->mcp), "2025-06-18")) {
		rc = http_reply_rpc_error(c, 400, MCP_INVALID_REQUEST, "Invalid Request: JSON-RPC "
					  "batches are not part of MCP since 2025-06-18", 0);
		goto done;
	}
	if (http_admit_calls(h, c, s, n.tool_calls, key_index, &rc) < 0)
		goto done;

	if (n.requests == 0) {
		/* Notifications and responses: accepted, nothing to answer. The
		 * session's own sink catches any error answer they provoke. */
		feed(s, raw, r->body.len, body, NULL);
		rc = http_reply(c, 202, NULL, "", NULL);
		goto done;
	}
	st = http_sess_new_stream(s);
	if (!st) {
		rc = http_reply_rpc_error(c, 503, -32603, "out of memory", 1);
		goto done;
	}
	for (i = 0; i < (json_is_array(body) ? json_array_size(body) : 1); i++) {
		m = json_is_array(body) ? json_array_get(body, i) : body;
		if (json_object_get(m, "method") && json_object_get(m, "id"))
			http_stream_expect(st, json_object_get(m, "id"));
	}
	sink = http_stream_sink(st);
	feed(s, raw, r->body.len, body, &sink);
	rc = answer_post(h, c, s, st, json_is_array(body), n.initialize > 0);
done:
	http_stream_unref(st);
	if (s && n.initialize && rc == MHD_NO)
		http_sessions_remove(h, s);
	http_sess_unref(s);
	json_decref(body);
	return rc;
}

static enum MHD_Result handle_get(mcp_http *h, struct MHD_Connection *c)
{
	const char *last = http_header(c, "Last-Event-ID");
	http_sse_params p = { c, 0, 0, h->o.retry_ms, h->o.keepalive_s, h->o.resume_grace_ms,
			      &h->stop, 0 };
	struct MHD_Response *resp;
	http_stream *st = NULL;
	http_sess *s;
	enum MHD_Result rc;
	unsigned long no = 0;
	uint64_t seq = 0;
	int busy, wait;

	if (!http_accepts(c, "text/event-stream"))
		return http_reply_rpc_error(c, 406, -32000, "Not Acceptable: Accept must list "
					    "text/event-stream", 0);
	s = session_for(h, c, &rc);
	if (!s)
		return rc;
	if (last && http_event_id_parse(last, &no, &seq) < 0) {
		rc = http_reply_rpc_error(c, 400, -32000, "Bad Request: Last-Event-ID is not an "
					  "event id of this server", 0);
		goto done;
	}
	st = http_sess_find_stream(s, no);
	if (!st) {
		rc = http_reply_rpc_error(c, 404, -32001, "Stream not found: its events are no "
					  "longer available", 0);
		goto done;
	}
	pthread_mutex_lock(&st->lock);
	/* A client reconnecting right after its connection dropped may come
	 * back before that connection's reader noticed (it checks every
	 * 100 ms): give it a moment before calling the stream taken. */
	for (wait = 0; st->attached && wait < 1000; wait += 20) {
		pthread_mutex_unlock(&st->lock);
		usleep(20 * 1000);
		pthread_mutex_lock(&st->lock);
	}
	busy = st->attached;
	if (!busy) {
		st->attached = 1;
		/* A fresh standalone stream starts with what nobody has seen yet. */
		p.after = last ? seq : st->delivered;
	}
	pthread_mutex_unlock(&st->lock);
	if (busy) {
		rc = http_reply_rpc_error(c, 409, -32000, "Conflict: this stream is already open "
					  "on another connection", 0);
		goto done;
	}
	p.prime = version_at_least(mcp_session_protocol_version(s->mcp), "2025-11-25") && !last;
	resp = http_stream_response(st, s, &p);
	if (!resp) {
		pthread_mutex_lock(&st->lock);
		st->attached = 0;
		pthread_mutex_unlock(&st->lock);
		rc = http_reply_rpc_error(c, 503, -32603, "out of memory", 1);
		goto done;
	}
	rc = MHD_queue_response(c, 200, resp);
	MHD_destroy_response(resp);
done:
	http_stream_unref(st);
	http_sess_unref(s);
	return rc;
}

enum MHD_Result http_mcp_handle(mcp_http *h, struct MHD_Connection *c, const char *method,
				http_req *r, int key_index)
{
	http_sess *s;
	enum MHD_Result rc;

	if (strcmp(method, "POST") == 0)
		return handle_post(h, c, r, key_index);
	if (strcmp(method, "GET") == 0)
		return handle_get(h, c);
	s = session_for(h, c, &rc);
	if (!s)
		return rc;
	http_sessions_remove(h, s);
	http_sess_unref(s);
	return http_reply(c, 200, NULL, "", NULL);
}
