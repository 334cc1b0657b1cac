/* jsonrpc.c - parsing and building JSON-RPC 2.0 messages (see jsonrpc.h). */
#include "mcp/jsonrpc.h"

#include <stdio.h>
#include <string.h>

/* A usable id: a string or an integer (MCP forbids null ids). */
static int id_is_valid(const json_t *id)
{
	return json_is_string(id) || json_is_integer(id);
}

static int fail(json_t **reply, const json_t *id, int code, const char *msg)
{
	*reply = mcp_jsonrpc_error(id, code, msg, NULL);
	return -1;
}

/* Finds the first string in v that holds a NUL character and leaves its
 * path in path (e.g. "params.arguments.to[1]"; cut short when longer than
 * cap). The path is built in place, one buffer for every level, so deep
 * nesting (jansson allows 2048 levels) costs little stack. 1 if found. */
static int nul_path_at(char *path, size_t len, size_t cap, const json_t *v)
{
	const char *key;
	json_t *child;
	size_t i;

	if (json_is_string(v))
		return strlen(json_string_value(v)) != json_string_length(v);
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, child) {
			if (len < cap)
				snprintf(path + len, cap - len, ".%s", key);
			if (nul_path_at(path, strlen(path), cap, child))
				return 1;
			path[len] = '\0';
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, child) {
			if (len < cap)
				snprintf(path + len, cap - len, "[%zu]", i);
			if (nul_path_at(path, strlen(path), cap, child))
				return 1;
			path[len] = '\0';
		}
	}
	return 0;
}

static int nul_path(char *out, size_t cap, const json_t *v, const char *at)
{
	snprintf(out, cap, "%s", at);
	return v && nul_path_at(out, strlen(out), cap, v);
}

int mcp_message_parse(mcp_message *out, const char *text, size_t len,
		      json_t **reply)
{
	json_error_t jerr;
	json_t *root, *version, *id, *method, *params;
	char msg[300];

	memset(out, 0, sizeof(*out));
	*reply = NULL;
	/* \u0000 is valid JSON: the message is read, and a request carrying
	 * it is refused below with its id and the field named. */
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY |
			  JSON_ALLOW_NUL, &jerr);
	if (!root) {
		json_t *found = mcp_jsonrpc_scan_id(text, len, text, len);
		int rc;

		snprintf(msg, sizeof(msg), "Parse error: %s (line %d, column %d)",
			 jerr.text, jerr.line, jerr.column);
		rc = fail(reply, found, MCP_PARSE_ERROR, msg);
		json_decref(found);
		return rc;
	}
	if (json_is_array(root)) {
		json_decref(root);
		return fail(reply, NULL, MCP_INVALID_REQUEST,
			    "Invalid Request: batches are not supported");
	}
	if (!json_is_object(root)) {
		json_decref(root);
		return fail(reply, NULL, MCP_INVALID_REQUEST,
			    "Invalid Request: a message must be a JSON object");
	}

	id = json_object_get(root, "id");
	method = json_object_get(root, "method");
	params = json_object_get(root, "params");
	version = json_object_get(root, "jsonrpc");
	if (!json_is_string(version) ||
	    strcmp(json_string_value(version), "2.0") != 0) {
		if (!method && id) { /* a broken response: nothing to answer */
			json_decref(root);
			return -1;
		}
		fail(reply, id_is_valid(id) ? id : NULL, MCP_INVALID_REQUEST,
		     "Invalid Request: \"jsonrpc\" must be \"2.0\"");
		json_decref(root);
		return -1;
	}

	if (!method) {
		json_t *result = json_object_get(root, "result");
		json_t *error = json_object_get(root, "error");

		if (!id || (!result == !error)) {
			if (!id && !result && !error)
				fail(reply, NULL, MCP_INVALID_REQUEST,
				     "Invalid Request: \"method\" is missing");
			json_decref(root);
			return -1;
		}
		out->kind = MCP_MSG_RESPONSE;
		out->root = root;
		out->id = id;
		out->result = result;
		out->error = error;
		return 0;
	}

	if (!json_is_string(method)) {
		fail(reply, id_is_valid(id) ? id : NULL, MCP_INVALID_REQUEST,
		     "Invalid Request: \"method\" must be a string");
		json_decref(root);
		return -1;
	}
	if (id && !id_is_valid(id)) {
		fail(reply, NULL, MCP_INVALID_REQUEST,
		     "Invalid Request: \"id\" must be a string or an integer");
		json_decref(root);
		return -1;
	}
	if (params && !json_is_object(params)) {
		fail(reply, id, MCP_INVALID_REQUEST,
		     "Invalid Request: \"params\" must be an object");
		json_decref(root);
		return -1;
	}
	if (nul_path(msg, sizeof(msg), params, "params")) {
		/* No MCP field takes a NUL character, and C strings below
		 * would cut the value at it: refuse it by name. A
		 * notification cannot be answered and is dropped. */
		char why[400];

		snprintf(why, sizeof(why), "Invalid params: %s: must not contain "
			 "the NUL character (\\u0000)", msg);
		if (id)
			fail(reply, id, MCP_INVALID_PARAMS, why);
		json_decref(root);
		return -1;
	}
	out->kind = id ? MCP_MSG_REQUEST : MCP_MSG_NOTIFICATION;
	out->root = root;
	out->id = id;
	out->method = json_string_value(method);
	out->params = params;
	return 0;
}

void mcp_message_dispose(mcp_message *msg)
{
	if (!msg)
		return;
	json_decref(msg->root);
	memset(msg, 0, sizeof(*msg));
}

json_t *mcp_jsonrpc_result(const json_t *id, json_t *result)
{
	json_t *msg = json_object();

	json_object_set_new(msg, "jsonrpc", json_string("2.0"));
	json_object_set_new(msg, "id", id ? json_deep_copy(id) : json_null());
	json_object_set_new(msg, "result", result ? result : json_object());
	return msg;
}

json_t *mcp_jsonrpc_error(const json_t *id, int code, const char *message,
			  json_t *data)
{
	json_t *msg = json_object(), *error = json_object();

	json_object_set_new(error, "code", json_integer(code));
	json_object_set_new(error, "message", json_string(message ? message : ""));
	if (data)
		json_object_set_new(error, "data", data);
	json_object_set_new(msg, "jsonrpc", json_string("2.0"));
	json_object_set_new(msg, "id", id ? json_deep_copy(id) : json_null());
	json_object_set_new(msg, "error", error);
	return msg;
}

json_t *mcp_jsonrpc_notification(const char *method, json_t *params)
{
	json_t *msg = json_object();

	json_object_set_new(msg, "jsonrpc", json_string("2.0"));
	json_object_set_new(msg, "method", json_string(method));
	if (params)
		json_object_set_new(msg, "params", params);
	return msg;
}

json_t *mcp_jsonrpc_request(json_int_t id, const char *method, json_t *params)
{
	json_t *msg = mcp_jsonrpc_notification(method, params);

	json_object_set_new(msg, "id", json_integer(id));
	return msg;
}
