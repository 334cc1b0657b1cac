/* http_security.c - fuzz target: the HTTP transport's header checks
 * (src/mcp/http_security.c: Host and Origin against DNS rebinding, the API
 * key from Authorization / X-API-Key / ?api_key=) and the header helpers
 * next to them (http_accepts, Last-Event-ID parsing).
 *
 * Those checks read headers through MHD_lookup_connection_value() on a
 * live libmicrohttpd connection. This program defines that function
 * itself, so the transport's own code (linked unchanged from the mcp
 * library) reads a fake connection: the headers of the input. Nothing
 * listens and no MHD daemon runs. The configuration half (MCP_HOST,
 * MCP_API_KEY, MCP_ALLOWED_ORIGINS) is split the way http_server.c splits
 * it when the transport starts (its split_list is static: mirrored here).
 *
 * Input, one item per line:
 *   line 1   MCP_HOST (the bind address, "[::1]" brackets allowed)
 *   line 2   MCP_API_KEY (comma-separated, may be empty)
 *   line 3   MCP_ALLOWED_ORIGINS (comma-separated, may be empty)
 *   then     request headers "Name: value", and "?api_key=VALUE" for the
 *            query argument
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mcp/http_int.h"

#define MAX_HEADERS 32

/* The fake connection: what MHD would have parsed from the request. */
struct MHD_Connection {
	const char *names[MAX_HEADERS];
	const char *values[MAX_HEADERS];
	size_t n;
	const char *api_key_arg;
};

/* Replaces libmicrohttpd's (the executable's definition wins over the
 * shared library's). Header names are case-insensitive, as in MHD. */
const char *MHD_lookup_connection_value(struct MHD_Connection *c,
					enum MHD_ValueKind kind,
					const char *key)
{
	size_t i;

	if (!c || !key)
		return NULL;
	if (kind == MHD_GET_ARGUMENT_KIND)
		return strcmp(key, "api_key") == 0 ? c->api_key_arg : NULL;
	if (kind != MHD_HEADER_KIND)
		return NULL;
	for (i = 0; i < c->n; i++)
		if (strcasecmp(c->names[i], key) == 0)
			return c->values[i];
	return NULL;
}

/* http_server.c split_list: comma-separated, blanks and trailing '/'
 * trimmed, empty entries dropped. */
static size_t split_list(char **v, size_t cap, char *text)
{
	char *tok, *save = NULL;
	size_t n = 0, len;

	for (tok = strtok_r(text, ",", &save); tok && n < cap;
	     tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ' || *tok == '\t')
			tok++;
		len = strlen(tok);
		while (len && (tok[len - 1] == ' ' || tok[len - 1] == '\t' ||
			       tok[len - 1] == '/'))
			tok[--len] = '\0';
		if (len)
			v[n++] = tok;
	}
	return n;
}

/* The next line of *p (cut in place), or NULL at the end. */
static char *next_line(char **p)
{
	char *line = *p, *nl;

	if (!line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		if (nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		*p = nl + 1;
	} else {
		*p = NULL;
	}
	return line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct MHD_Connection conn;
	mcp_http h;
	char *text, *p, *line, *host, *keys, *origins, *colon;
	char *keyv[16], *originv[16], why[512];
	unsigned long no;
	uint64_t seq;
	int key_index;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	p = text;
	host = next_line(&p);
	keys = next_line(&p);
	origins = next_line(&p);
	if (!host || !keys || !origins) {
		free(text);
		return 0;
	}

	memset(&h, 0, sizeof(h));
	memset(&conn, 0, sizeof(conn));
	/* As mcp_http_start: "[::1]" loses its brackets. */
	if (host[0] == '[') {
		size_t n = strcspn(host + 1, "]");

		memmove(host, host + 1, n);
		host[n] = '\0';
	}
	h.host = host;
	h.keys = keyv;
	h.nkeys = split_list(keyv, 16, keys);
	h.origins = originv;
	h.norigins = split_list(originv, 16, origins);
	h.bind_loopback = http_host_is_loopback(h.host);

	while ((line = next_line(&p)) && conn.n < MAX_HEADERS) {
		if (strncmp(line, "?api_key=", 9) == 0) {
			conn.api_key_arg = line + 9;
			continue;
		}
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon++ = '\0';
		while (*colon == ' ' || *colon == '\t')
			colon++;
		conn.names[conn.n] = line;
		conn.values[conn.n++] = colon;
	}

	(void)http_host_is_loopback(http_header(&conn, "Host"));
	(void)http_check_api_key(&h, &conn, &key_index);
	if (key_index >= (int)h.nkeys)
		abort(); /* the index names one of the configured keys */
	why[0] = '\0';
	if (http_check_origin(&h, &conn, why, sizeof(why)) < 0 && !why[0])
		abort(); /* a refusal always says why */
	(void)http_accepts(&conn, "application/json");
	(void)http_accepts(&conn, "text/event-stream");
	(void)http_event_id_parse(http_header(&conn, "Last-Event-ID"), &no, &seq);
	free(text);
	return 0;
}
