/* url.c - EWS_SERVER_URL normalisation (see url.h).
 *
 * The accepted forms are those of the Python server (upstream-features.md
 * section 2.3) with two deliberate differences: http:// survives when the
 * user wrote it (the simulator runs without TLS), and input that is not an
 * EWS endpoint is refused instead of being glued into a URL that can only
 * fail later with a confusing 404.
 */
#include "ews/url.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"

#define URL_MAX 2048

static const char example[] =
	"(example: EWS_SERVER_URL=https://mail.contoso.com/EWS/Exchange.asmx)";

static int ends_with_ci(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && strncasecmp(s + len - n, suffix, n) == 0;
}

static const char *find_ci(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (strncasecmp(s + i, needle, n) == 0)
			return s + i;
	return NULL;
}

/* A DNS name (letters, digits, '-', '.'; labels 1..63, no leading or
 * trailing '-') or an IPv4 literal, which the same rule accepts. */
static int host_is_valid(const char *h, size_t len)
{
	size_t i, label = 0;

	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)h[i];

		if (c == '.') {
			if (label == 0 || h[i - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!isalnum(c) && c != '-')
			return 0;
		if (c == '-' && label == 0)
			return 0;
		if (++label > 63)
			return 0;
	}
	return label > 0 && h[len - 1] != '-';
}

/* "[v6]" with hex digits, ':' and '.' inside. */
static int ipv6_is_valid(const char *h, size_t len)
{
	size_t i;

	if (len < 4 || h[0] != '[' || h[len - 1] != ']')
		return 0;
	for (i = 1; i + 1 < len; i++)
		if (!isxdigit((unsigned char)h[i]) && h[i] != ':' && h[i] != '.')
			return 0;
	return 1;
}

int ews_url_normalize(char **out, const char *input, errinfo *err)
{
	buf b = BUF_INIT(URL_MAX);
	const char *s, *end, *p, *auth, *auth_end, *path, *host_end, *colon;
	size_t len, i, path_len, host_len;
	int https = 1, error = 0;
	long port = 0;

	*out = NULL;
	if (!input)
		return errinfo_set(err, ERR_CONFIG, "EWS_SERVER_URL: not set %s",
				   example);
	s = input;
	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0)
		return errinfo_set(err, ERR_CONFIG, "EWS_SERVER_URL: empty %s",
				   example);
	if (len > URL_MAX / 2)
		return errinfo_set(err, ERR_CONFIG,
				   "EWS_SERVER_URL: longer than %d characters",
				   URL_MAX / 2);
	end = s + len;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c == 0x7f || c == '"' || c == '<' ||
		    c == '>' || c == '\\' || c >= 0x80)
			return errinfo_set(err, ERR_CONFIG,
				"EWS_SERVER_URL: character %zu is not allowed in "
				"a URL (spaces, quotes, control and non-ASCII "
				"characters must not appear) %s", i + 1, example);
	}

	/* Scheme. */
	p = find_ci(s, len, "://");
	if (p) {
		size_t slen = (size_t)(p - s);

		if (slen == 5 && strncasecmp(s, "https", 5) == 0)
			https = 1;
		else if (slen == 4 && strncasecmp(s, "http", 4) == 0)
			https = 0;
		else
			return errinfo_set(err, ERR_CONFIG,
				"EWS_SERVER_URL: scheme '%.*s' is not supported; "
				"use https:// %s", (int)(slen > 16 ? 16 : slen), s,
				example);
		auth = p + 3;
	} else {
		auth = s;
	}

	/* Authority: up to the first '/', '?' or '#'. */
	auth_end = auth;
	while (auth_end < end && *auth_end != '/' && *auth_end != '?' &&
	       *auth_end != '#')
		auth_end++;
	if (memchr(auth, '@', (size_t)(auth_end - auth)))
		return errinfo_set(err, ERR_CONFIG,
			"EWS_SERVER_URL: must not contain a user name or "
			"password; set EWS_USERNAME and EWS_PASSWORD instead");
	if (strcspn(auth_end, "?#") < (size_t)(end - auth_end))
		return errinfo_set(err, ERR_CONFIG,
			"EWS_SERVER_URL: a query string or fragment is not "
			"allowed %s", example);

	/* Host and optional port; an IPv6 literal keeps its brackets. */
	host_end = auth_end;
	if (*auth == '[') {
		const char *rb = memchr(auth, ']', (size_t)(auth_end - auth));

		if (!rb)
			return errinfo_set(err, ERR_CONFIG,
				"EWS_SERVER_URL: unterminated IPv6 address %s",
				example);
		host_end = rb + 1;
		colon = host_end < auth_end ? host_end : NULL;
		if (colon && *colon != ':')
			return errinfo_set(err, ERR_CONFIG,
				"EWS_SERVER_URL: unexpected text after the IPv6 "
				"address %s", example);
	} else {
		colon = memchr(auth, ':', (size_t)(auth_end - auth));
		if (colon)
			host_end = colon;
	}
	host_len = (size_t)(host_end - auth);
	if (host_len == 0)
		return errinfo_set(err, ERR_CONFIG, "EWS_SERVER_URL: no host name %s",
				   example);
	if (*auth == '[' ? !ipv6_is_valid(auth, host_len)
			 : !host_is_valid(auth, host_len))
		return errinfo_set(err, ERR_CONFIG,
			"EWS_SERVER_URL: '%.*s' is not a valid host name %s",
			(int)(host_len > 80 ? 80 : host_len), auth, example);
	if (colon) {
		const char *d = colon + 1;

		if (d == auth_end)
			return errinfo_set(err, ERR_CONFIG,
				"EWS_SERVER_URL: empty port after ':' %s", example);
		for (; d < auth_end; d++) {
			if (!isdigit((unsigned char)*d) || port > 65535)
				break;
			port = port * 10 + (*d - '0');
		}
		if (d != auth_end || port < 1 || port > 65535)
			return errinfo_set(err, ERR_CONFIG,
				"EWS_SERVER_URL: the port must be a number from 1 "
				"to 65535 %s", example);
	}

	buf_puts(&b, https ? "https://" : "http://");
	for (i = 0; i < host_len; i++)
		buf_putc(&b, (char)tolower((unsigned char)auth[i]));
	if (colon)
		buf_printf(&b, ":%ld", port);

	/* Path. */
	path = auth_end;
	path_len = (size_t)(end - path);
	if (path_len == 0 || (path_len == 1 && path[0] == '/') ||
	    (path_len == 4 && strncasecmp(path, "/EWS", 4) == 0) ||
	    (path_len == 5 && strncasecmp(path, "/EWS/", 5) == 0)) {
		buf_puts(&b, "/EWS/Exchange.asmx");
	} else if (ends_with_ci(path, path_len, ".asmx")) {
		buf_put(&b, path, path_len);
	} else if (find_ci(path, path_len, "/EWS/")) {
		buf_put(&b, path, path_len);
		if (path[path_len - 1] != '/')
			buf_putc(&b, '/');
		buf_puts(&b, "Exchange.asmx");
	} else if (ends_with_ci(path, path_len, "/EWS")) {
		buf_put(&b, path, path_len);
		buf_puts(&b, "/Exchange.asmx");
	} else {
		error = errinfo_set(err, ERR_CONFIG,
			"EWS_SERVER_URL: path '%.*s' is not an EWS endpoint "
			"(expected /EWS/Exchange.asmx) %s",
			(int)(path_len > 80 ? 80 : path_len), path, example);
		goto cleanup;
	}

	if (buf_failed(&b)) {
		error = errinfo_set(err, ERR_NOMEM, "EWS_SERVER_URL: out of memory");
		goto cleanup;
	}
	*out = buf_detach(&b);
	if (!*out)
		error = errinfo_set(err, ERR_NOMEM, "EWS_SERVER_URL: out of memory");
cleanup:
	buf_dispose(&b);
	return error;
}
