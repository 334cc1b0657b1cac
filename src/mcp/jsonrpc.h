/* jsonrpc.h - JSON-RPC 2.0 messages as MCP uses them.
 *
 * Parsing classifies one received text as a request, a notification or a
 * response, and answers malformed input the way JSON-RPC 2.0 §5.1 says
 * (-32700 parse error, -32600 invalid request). Builders make the messages
 * we send. All JSON goes through jansson; nothing here does I/O.
 */
#ifndef INCLUDE_jsonrpc_h__
#define INCLUDE_jsonrpc_h__

#include <jansson.h>
#include <stddef.h>

#define MCP_PARSE_ERROR (-32700)
#define MCP_INVALID_REQUEST (-32600)
#define MCP_METHOD_NOT_FOUND (-32601)
#define MCP_INVALID_PARAMS (-32602)
#define MCP_INTERNAL_ERROR (-32603)
/* Implementation-defined server errors (-32000..-32099). */
#define MCP_SERVER_BUSY (-32000)
#define MCP_REQUEST_TOO_LARGE (-32001)
#define MCP_RESOURCE_NOT_FOUND (-32002)

typedef enum mcp_msg_kind {
	MCP_MSG_REQUEST,
	MCP_MSG_NOTIFICATION,
	MCP_MSG_RESPONSE
} mcp_msg_kind;

typedef struct mcp_message {
	mcp_msg_kind kind;
	json_t *root;       /* owned: the whole message */
	json_t *id;         /* borrowed from root: request/response id */
	const char *method; /* borrowed: request/notification method */
	json_t *params;     /* borrowed: object, or NULL when absent */
	json_t *result;     /* borrowed: response result, or NULL */
	json_t *error;      /* borrowed: response error, or NULL */
} mcp_message;

/* Parses one message. 0 with *out filled (mcp_message_dispose it), or -1
 * with *reply set to the error response to send (id null when the id
 * could not be read), or *reply NULL when JSON-RPC says not to answer
 * (a malformed response from the peer). Batches (arrays) are refused with
 * -32600: MCP removed JSON-RPC batching in 2025-06-18. */
int mcp_message_parse(mcp_message *out, const char *text, size_t len,
		      json_t **reply);

void mcp_message_dispose(mcp_message *msg);

/* The id of a message that cannot be parsed, when it can still be read
 * (jsonrpc_id.c): text is the message or its first part, tail (may be
 * NULL) its last part. A new integer or string, or NULL. */
json_t *mcp_jsonrpc_scan_id(const char *text, size_t len, const char *tail,
			    size_t tail_len);

/* {"jsonrpc":"2.0","id":id,"result":result}; result is stolen. */
json_t *mcp_jsonrpc_result(const json_t *id, json_t *result);

/* {"jsonrpc":"2.0","id":id|null,"error":{code,message[,data]}}; data stolen. */
json_t *mcp_jsonrpc_error(const json_t *id, int code, const char *message,
			  json_t *data);

/* {"jsonrpc":"2.0","method":method[,"params":params]}; params stolen. */
json_t *mcp_jsonrpc_notification(const char *method, json_t *params);

/* {"jsonrpc":"2.0","id":id,"method":method[,"params":params]}; params stolen. */
json_t *mcp_jsonrpc_request(json_int_t id, const char *method, json_t *params);

#endif
