/* jsonrpc_id.c - finding the id of a message that cannot be parsed.
 *
 * A client that sent a request waits for the answer to its id. When the
 * message cannot be read whole (it is larger than the transport's limit,
 * or it is not valid JSON past the id), answering with "id": null leaves
 * that client waiting until its own time-out. JSON-RPC allows null there,
 * but an id that can be recovered is better: the scanner walks the
 * top-level object of the text as far as it is well formed and returns
 * the value of its "id" member when that is an integer or a string.
 * Clients put the id before the params (the SDKs write jsonrpc, id,
 * method, params), so a prefix of a huge message is usually enough; when
 * it is not, the end of the text is tried as well (`..., "id": 7}`).
 *
 * Only ids that are unambiguous are returned: a member "id" at depth 1 of
 * the outermost object, or a trailing `"id": VALUE }`. Anything else gives
 * NULL and the caller answers with a null id, as JSON-RPC says.
 */
#include "mcp/jsonrpc.h"

#include <stdlib.h>
#include <string.h>

typedef struct scan {
	const char *p, *end;
} scan;

static void skip_ws(scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
				 *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* Skips a string starting at its opening quote. 0, or -1 if it does not
 * end within the text. */
static int skip_string(scan *s)
{
	s->p++;
	while (s->p < s->end) {
		if (*s->p == '\\') {
			s->p += 2;
			continue;
		}
		if (*s->p++ == '"')
			return 0;
	}
	return -1;
}

/* Skips one value of any kind. 0, or -1 if it does not end within the
 * text or is not JSON. Nesting is tracked by counting, not recursion, so
 * a deeply nested value costs no stack. */
static int skip_value(scan *s)
{
	long depth = 0;

	do {
		skip_ws(s);
		if (s->p >= s->end)
			return -1;
		switch (*s->p) {
		case '"':
			if (skip_string(s) < 0)
				return -1;
			break;
		case '{':
		case '[':
			depth++;
			s->p++;
			break;
		case '}':
		case ']':
			if (depth == 0)
				return -1;
			depth--;
			s->p++;
			break;
		case ',':
		case ':':
			if (depth == 0)
				return -1;
			s->p++;
			break;
		default:
			/* a number or a literal */
			if (!strchr("-0123456789tfn", *s->p))
				return -1;
			while (s->p < s->end && !strchr(",:]} \t\r\n", *s->p))
				s->p++;
			break;
		}
	} while (depth > 0);
	return 0;
}

/* The id value at s->p (an integer or a string without escapes), or
 * NULL. */
static json_t *read_id(scan *s)
{
	const char *start = s->p;
	char tmp[32];

	if (s->p < s->end && *s->p == '"') {
		const char *q = memchr(s->p + 1, '"', (size_t)(s->end - s->p - 1));

		if (!q || memchr(s->p + 1, '\\', (size_t)(q - s->p - 1)))
			return NULL;
		return json_stringn(s->p + 1, (size_t)(q - s->p - 1));
	}
	if (s->p < s->end && *s->p == '-')
		s->p++;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	if (s->p == start || (size_t)(s->p - start) >= sizeof(tmp) ||
	    (s->p < s->end && !strchr(",} \t\r\n", *s->p)))
		return NULL;
	memcpy(tmp, start, (size_t)(s->p - start));
	tmp[s->p - start] = '\0';
	return json_integer(strtoll(tmp, NULL, 10));
}

/* Forward: the members of the outer object, in order. The first "id"
 * is kept while the rest is read as far as it goes; a second "id" makes
 * it ambiguous (NULL). Where the text stops being readable, the id found
 * so far stands: that is the case of a message cut at a size limit. */
static json_t *scan_forward(const char *text, size_t len)
{
	scan s = { text, text + len };
	json_t *found = NULL;

	skip_ws(&s);
	if (s.p >= s.end || *s.p != '{')
		return NULL;
	s.p++;
	for (;;) {
		const char *key;
		size_t klen;

		skip_ws(&s);
		if (s.p >= s.end || *s.p != '"')
			return found;
		key = s.p + 1;
		if (skip_string(&s) < 0)
			return found;
		klen = (size_t)(s.p - key - 1);
		skip_ws(&s);
		if (s.p >= s.end || *s.p != ':')
			return found;
		s.p++;
		skip_ws(&s);
		if (klen == 2 && memcmp(key, "id", 2) == 0) {
			if (found) {
				json_decref(found);
				return NULL;
			}
			found = read_id(&s);
			if (!found)
				return NULL;
		} else if (skip_value(&s) < 0) {
			return found;
		}
		skip_ws(&s);
		if (s.p >= s.end || *s.p != ',')
			return found;
		s.p++;
	}
}

/* Backward: `"id" : VALUE }` at the very end of the text. */
static json_t *scan_backward(const char *text, size_t len)
{
	const char *e = text + len, *v;
	scan s;

	while (e > text && strchr(" \t\r\n", e[-1]))
		e--;
	if (e == text || e[-1] != '}')
		return NULL;
	e--;
	while (e > text && strchr(" \t\r\n", e[-1]))
		e--;
	v = e;
	if (v > text && v[-1] == '"') {
		v--;
		while (v > text && v[-1] != '"')
			v--;
		if (v == text)
			return NULL;
		v--;
	} else {
		while (v > text && ((v[-1] >= '0' && v[-1] <= '9') || v[-1] == '-'))
			v--;
	}
	if (v == e)
		return NULL;
	s.p = v;
	while (s.p > text && strchr(" \t\r\n", s.p[-1]))
		s.p--;
	if (s.p == text || s.p[-1] != ':')
		return NULL;
	s.p--;
	while (s.p > text && strchr(" \t\r\n", s.p[-1]))
		s.p--;
	if (s.p - text < 5 || memcmp(s.p - 4, "\"id\"", 4) != 0)
		return NULL;
	s.p -= 4;
	while (s.p > text && strchr(" \t\r\n", s.p[-1]))
		s.p--;
	if (s.p == text || (s.p[-1] != ',' && s.p[-1] != '{'))
		return NULL;
	s.p = v;
	s.end = e;
	return read_id(&s);
}

json_t *mcp_jsonrpc_scan_id(const char *text, size_t len, const char *tail,
			    size_t tail_len)
{
	json_t *id = text ? scan_forward(text, len) : NULL;

	if (!id && tail)
		id = scan_backward(tail, tail_len);
	return id;
}
