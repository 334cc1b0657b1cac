/* http_legacy.c - the HTTP+SSE transport of MCP 2024-11-05, for clients
 * that predate Streamable HTTP.
 *
 * GET /sse opens a session and its one stream; the first event, "endpoint",
 * tells the client where to POST (/messages?sessionId=<id>). Every message
 * of the session, answers included, then travels on that stream as
 * "event: message". A POST is answered 202 at once. The session lives as
 * long as the stream: when the client goes away, its calls are cancelled
 * and the session ends.
 */
#include "mcp/http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "mcp/jsonrpc.h"

enum MHD_Result http_legacy_sse(mcp_http *h, struct MHD_Connection *c)
{
	http_sse_params p = { c, 0, 0, 0, h->o.keepalive_s, 0, &h->stop, 1 };
	struct MHD_Response *resp;
	http_sess *s = NULL;
	enum MHD_Result rc;
	char addr[64], endpoint[128];

	http_client_addr(c, addr, sizeof(addr));
	switch (http_sessions_create(&s, h, addr, 1)) {
	case 0:
		break;
	case 429:
		return http_reply_rpc_error(c, 429, -32000, "Too many sessions from this client; "
					    "retry later", 30);
	default:
		return http_reply_rpc_error(c, 503, -32000, "Server busy: no more sessions "
					    "available; retry later", 30);
	}
	snprintf(endpoint, sizeof(endpoint), "/messages?sessionId=%s", s->id);
	if (http_stream_push_raw(s->standalone, "endpoint", endpoint) < 0 ||
	    !(resp = http_stream_response(s->standalone, s, &p))) {
		http_sessions_remove(h, s);
		http_sess_unref(s);
		return http_reply_rpc_error(c, 503, -32603, "out of memory", 1);
	}
	rc = MHD_queue_response(c, 200, resp);
	MHD_destroy_response(resp);
	http_sess_unref(s);
	return rc;
}

enum MHD_Result http_legacy_post(mcp_http *h, struct MHD_Connection *c, http_req *r,
				 int key_index)
{
	const char *sid = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "sessionId");
	json_t *body;
	json_error_t jerr;
	http_msg_counts n;
	http_sess *s;
	enum MHD_Result rc;
	char why[300];

	if (!sid || !*sid)
		return http_reply_rpc_error(c, 400, -32000, "Bad Request: the sessionId query "
					    "parameter is required", 0);
	s = http_sessions_find(h, sid);
	if (!s || !s->legacy) {
		http_sess_unref(s);
		return http_reply_rpc_error(c, 404, -32001, "Session not found", 0);
	}
	body = json_loadb(buf_cstr(&r->body), r->body.len, 0, &jerr);
	if (!body) {
		snprintf(why, sizeof(why), "Parse error: %s (line %d, column %d)", jerr.text,
			 jerr.line, jerr.column);
		rc = http_reply_rpc_error(c, 400, MCP_PARSE_ERROR, why, 0);
		goto done;
	}
	if (json_is_array(body) || http_count_messages(body, &n, why, sizeof(why)) < 0) {
		rc = http_reply_rpc_error(c, 400, MCP_INVALID_REQUEST,
					  "Invalid Request: POST one JSON-RPC message", 0);
		goto done;
	}
	if (http_admit_calls(h, c, s, n.tool_calls, key_index, &rc) < 0)
		goto done;
	http_sess_touch(s);
	/* The answer travels on the session's stream (its default sink). */
	mcp_session_receive(s->mcp, buf_cstr(&r->body), r->body.len, NULL);
	rc = http_reply(c, 202, "text/plain", "Accepted", NULL);
done:
	json_decref(body);
	http_sess_unref(s);
	return rc;
}
