/* http_security.c - who may talk to the HTTP transport (see http_int.h).
 *
 * API key: MCP_API_KEY (one key, or several separated by commas) is taken
 * from "Authorization: Bearer", "X-API-Key" or, for clients that cannot
 * set headers, the api_key query parameter, and compared in constant time
 * so response timing does not leak how much of a guess was right.
 *
 * DNS rebinding (MCP 2025-11-25, Transports, "Security Warning"): a web
 * page whose host name was re-pointed at 127.0.0.1 reaches a local server
 * with its own name in Host and its own Origin. So on a loopback bind the
 * Host must be a loopback name (or the bind address); on any bind an Origin,
 * when present, must be localhost, the bind address or one of
 * MCP_ALLOWED_ORIGINS. Requests without Origin (every non-browser client)
 * pass. A non-loopback bind answers to whatever name the network gives it,
 * so there the Host is not restricted; the API key it requires is what
 * keeps foreign pages out. Whether the bind is loopback is decided from
 * the addresses MCP_HOST resolves to, never from its spelling.
 */
#include "mcp/http_int.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int http_secret_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i, n = alen > blen ? alen : blen;
	unsigned char diff = (unsigned char)(alen != blen);

	/* Touches max(alen, blen) bytes whatever the content. */
	for (i = 0; i < n; i++) {
		unsigned char x = i < alen ? (unsigned char)a[i] : 0;
		unsigned char y = i < blen ? (unsigned char)b[i] : 0;

		diff |= x ^ y;
	}
	return diff == 0;
}

int http_host_is_loopback(const char *host)
{
	if (!host)
		return 0;
	if (host[0] == '[') {
		size_t n = strcspn(host + 1, "]");

		return n == 3 && strncmp(host + 1, "::1", 3) == 0;
	}
	return strcasecmp(host, "localhost") == 0 || strcmp(host, "::1") == 0 ||
	       strncmp(host, "127.", 4) == 0;
}

static int v6_is_loopback(const unsigned char *a)
{
	static const unsigned char one[16] = { [15] = 1 };
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };

	/* ::1, or ::ffff:127.x.y.z (an IPv4 loopback address, mapped). */
	return memcmp(a, one, 16) == 0 || (memcmp(a, mapped, 12) == 0 && a[12] == 127);
}

int http_addr_is_loopback(const struct sockaddr *sa)
{
	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;

		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;

		return v6_is_loopback(in6->sin6_addr.s6_addr);
	}
	return 0;
}

static int key_matches(const mcp_http *h, const char *given, int *key_index)
{
	size_t i, glen = strlen(given);
	int found = -1;

	/* Every key is compared, so the time does not say which one matched. */
	for (i = 0; i < h->nkeys; i++)
		if (http_secret_equal(h->keys[i], strlen(h->keys[i]), given, glen) && found < 0)
			found = (int)i;
	*key_index = found;
	return found >= 0;
}

int http_check_api_key(const mcp_http *h, struct MHD_Connection *c, int *key_index)
{
	const char *v;

	*key_index = -1;
	if (h->nkeys == 0)
		return 0;
	v = http_header(c, "Authorization");
	if (v && strncasecmp(v, "Bearer ", 7) == 0) {
		v += 7;
		while (*v == ' ')
			v++;
		if (key_matches(h, v, key_index))
			return 0;
	}
	v = http_header(c, "X-API-Key");
	if (v && key_matches(h, v, key_index))
		return 0;
	v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "api_key");
	if (v && key_matches(h, v, key_index))
		return 0;
	return -1;
}

/* The host part of "host", "host:port", "[v6]", "[v6]:port" into out. */
static void host_part(const char *in, char *out, size_t cap)
{
	size_t n;

	if (in[0] == '[') {
		n = strcspn(in, "]");
		if (in[n] == ']')
			n++;
	} else {
		n = strcspn(in, ":/");
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(out, in, n);
	out[n] = '\0';
}

static int same_host(const mcp_http *h, const char *host)
{
	char bracketed[300];

	if (http_host_is_loopback(host) || strcasecmp(host, h->host) == 0)
		return 1;
	snprintf(bracketed, sizeof(bracketed), "[%s]", h->host);
	return strcasecmp(host, bracketed) == 0;
}

/* 1 when origin (scheme://host[:port]) is acceptable. */
static int origin_allowed(const mcp_http *h, const char *origin)
{
	const char *p = strstr(origin, "://");
	char host[300];
	size_t i, len = strlen(origin);

	while (len && origin[len - 1] == '/')
		len--;
	for (i = 0; i < h->norigins; i++)
		if (strcmp(h->origins[i], "*") == 0 ||
		    (strlen(h->origins[i]) == len && strncasecmp(h->origins[i], origin, len) == 0))
			return 1;
	if (!p || (strncasecmp(origin, "http://", 7) != 0 && strncasecmp(origin, "https://", 8) != 0))
		return 0; /* "null", file:, extensions... */
	host_part(p + 3, host, sizeof(host));
	return same_host(h, host);
}

/* 1 when the Host header names one of the allowed origins' hosts. */
static int host_in_origins(const mcp_http *h, const char *host)
{
	char oh[300];
	size_t i;

	for (i = 0; i < h->norigins; i++) {
		const char *p = strstr(h->origins[i], "://");

		if (!p)
			continue;
		host_part(p + 3, oh, sizeof(oh));
		if (strcasecmp(oh, host) == 0)
			return 1;
	}
	return 0;
}

int http_check_origin(const mcp_http *h, struct MHD_Connection *c, char *why, size_t cap)
{
	const char *origin = http_header(c, "Origin");
	const char *host = http_header(c, "Host");
	char hp[300];

	if (h->bind_loopback && host && *host) {
		host_part(host, hp, sizeof(hp));
		if (!same_host(h, hp) && !host_in_origins(h, hp)) {
			snprintf(why, cap, "Forbidden: Host '%.100s' is not this server "
				 "(DNS rebinding protection)", host);
			return -1;
		}
	}
	if (origin && !origin_allowed(h, origin)) {
		snprintf(why, cap, "Forbidden: Origin '%.100s' is not allowed; add it to "
			 "MCP_ALLOWED_ORIGINS to permit it", origin);
		return -1;
	}
	return 0;
}
