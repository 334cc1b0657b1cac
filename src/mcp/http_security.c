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
 * keeps foreign pages out.
 *
 * The attacker chooses the name, so both headers are parsed, never
 * prefix-matched: "127.0.0.1.evil.example" is a name under evil.example,
 * not an address. Loopback means a literal 127.0.0.0/8 dotted quad, [::1]
 * (or [::ffff:127.x.y.z]), or localhost; whether the bind itself is
 * loopback is decided from the addresses MCP_HOST resolves to.
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

/* ---- Host and Origin syntax --------------------------------------------------- */

/* An authority as Host (RFC 9110 7.2) and Origin (RFC 6454 6.1) carry it:
 * "host", "host:port", "[v6]" or "[v6]:port" (RFC 3986 3.2.2). */
typedef struct authority {
	char host[256];            /* without the brackets */
	int ipv6;                  /* it was bracketed */
	long port;                 /* -1 when absent */
} authority;

/* 0, or -1 when p (len bytes) is not 1 to 5 digits with a value 1-65535. */
static int parse_port(long *out, const char *p, size_t len)
{
	long v = 0;
	size_t i;

	if (len == 0 || len > 5)
		return -1;
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	if (v < 1 || v > 65535)
		return -1;
	*out = v;
	return 0;
}

/* Splits text (len bytes) into out. 0, or -1 when it is not a well-formed
 * authority: an empty host, unbalanced brackets, anything but a port
 * after the host, or a character no host name has ('@' of userinfo, '/',
 * a second ':'), so "127.0.0.1:80@evil.example" is refused outright. */
static int parse_authority(authority *out, const char *text, size_t len)
{
	static const char name_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					 "0123456789.-_~";
	const char *end = text + len, *p;
	size_t n;

	out->host[0] = '\0';
	out->ipv6 = 0;
	out->port = -1;
	if (len == 0)
		return -1;
	if (text[0] == '[') {
		p = memchr(text, ']', len);
		if (!p)
			return -1;
		n = (size_t)(p - text) - 1;
		if (n == 0 || n >= sizeof(out->host))
			return -1;
		memcpy(out->host, text + 1, n);
		out->host[n] = '\0';
		/* An IPv6 literal; IPvFuture and zone ids are not ours. */
		if (strspn(out->host, "0123456789abcdefABCDEF:.") != n)
			return -1;
		out->ipv6 = 1;
		p++;
	} else {
		p = memchr(text, ':', len);
		if (!p)
			p = end;
		n = (size_t)(p - text);
		if (n == 0 || n >= sizeof(out->host))
			return -1;
		memcpy(out->host, text, n);
		out->host[n] = '\0';
		if (strspn(out->host, name_chars) != n)
			return -1;
	}
	if (p == end)
		return 0;
	if (*p != ':')
		return -1;
	return parse_port(&out->port, p + 1, (size_t)(end - p - 1));
}

/* Splits an Origin ("scheme://host[:port]", RFC 6454 6.1) of scheme http
 * or https. 0, or -1 for anything else ("null", file:, extensions, a path
 * or userinfo). A trailing '/' is tolerated, as it always was. */
static int parse_origin(authority *out, const char *origin)
{
	size_t len = strlen(origin), skip;

	while (len && origin[len - 1] == '/')
		len--;
	if (len >= 7 && strncasecmp(origin, "http://", 7) == 0)
		skip = 7;
	else if (len >= 8 && strncasecmp(origin, "https://", 8) == 0)
		skip = 8;
	else
		return -1;
	if (len == skip)
		return -1;
	return parse_authority(out, origin + skip, len - skip);
}

static int v6_is_loopback(const unsigned char *a)
{
	static const unsigned char one[16] = { [15] = 1 };
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };

	/* ::1, or ::ffff:127.x.y.z (an IPv4 loopback address, mapped). */
	return memcmp(a, one, 16) == 0 || (memcmp(a, mapped, 12) == 0 && a[12] == 127);
}

/* 1 when the parsed host is a loopback literal or the name localhost:
 * 127.0.0.0/8 as a full dotted quad of decimal octets (inet_pton refuses
 * "127.1", "0x7f.0.0.1" and trailing text), [::1] or [::ffff:127.x.y.z],
 * and "localhost" in any case, with at most one trailing dot. */
static int authority_is_loopback(const authority *a)
{
	unsigned char b[16];
	size_t n = strlen(a->host);

	if (a->ipv6)
		return inet_pton(AF_INET6, a->host, b) == 1 && v6_is_loopback(b);
	if (inet_pton(AF_INET, a->host, b) == 1)
		return b[0] == 127;
	if (n && a->host[n - 1] == '.')
		n--;
	return n == 9 && strncasecmp(a->host, "localhost", 9) == 0;
}

int http_host_is_loopback(const char *host)
{
	authority a;

	return host && parse_authority(&a, host, strlen(host)) == 0 && authority_is_loopback(&a);
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

/* 1 when the parsed host is this server: a loopback name or the bind
 * address (h->host has no brackets). */
static int same_host(const mcp_http *h, const authority *a)
{
	return authority_is_loopback(a) || strcasecmp(a->host, h->host) == 0;
}

/* 1 when origin is acceptable: listed in MCP_ALLOWED_ORIGINS (or "*"
 * is), or an http(s) Origin naming this server. */
static int origin_allowed(const mcp_http *h, const char *origin)
{
	size_t i, len = strlen(origin);
	authority a;

	while (len && origin[len - 1] == '/')
		len--;
	for (i = 0; i < h->norigins; i++)
		if (strcmp(h->origins[i], "*") == 0 ||
		    (strlen(h->origins[i]) == len && strncasecmp(h->origins[i], origin, len) == 0))
			return 1;
	return parse_origin(&a, origin) == 0 && same_host(h, &a);
}

/* 1 when the Host names the host of one of the allowed origins. */
static int host_in_origins(const mcp_http *h, const authority *host)
{
	authority oa;
	size_t i;

	for (i = 0; i < h->norigins; i++)
		if (parse_origin(&oa, h->origins[i]) == 0 && oa.ipv6 == host->ipv6 &&
		    strcasecmp(oa.host, host->host) == 0)
			return 1;
	return 0;
}

int http_check_host_origin(const mcp_http *h, const char *host, const char *origin,
			   char *why, size_t cap)
{
	authority a;

	/* No Host at all is an HTTP/1.0 client, not a browser. */
	if (h->bind_loopback && host &&
	    (parse_authority(&a, host, strlen(host)) < 0 ||
	     (!same_host(h, &a) && !host_in_origins(h, &a)))) {
		snprintf(why, cap, "Forbidden: Host '%.100s' is not this server "
			 "(DNS rebinding protection)", host);
		return -1;
	}
	if (origin && !origin_allowed(h, origin)) {
		snprintf(why, cap, "Forbidden: Origin '%.100s' is not allowed; add it to "
			 "MCP_ALLOWED_ORIGINS to permit it", origin);
		return -1;
	}
	return 0;
}

int http_check_origin(const mcp_http *h, struct MHD_Connection *c, char *why, size_t cap)
{
	return http_check_host_origin(h, http_header(c, "Host"), http_header(c, "Origin"), why,
				      cap);
}
