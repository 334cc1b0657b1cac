/* httpauth.c - Authorization parsing and WWW-Authenticate building for
 * ews-sim (see httpauth.h). Base64 is core/b64's strict decoder: HTTP
 * clients always send padded, canonical base64 in these headers.
 */
#include "sim/httpauth.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/b64.h"

/* Decodes len characters of base64 into a fresh heap block of at most
 * cap bytes (NUL-terminated for convenience). 0 and *out, *out_len;
 * ERR_INVAL (not base64), ERR_LIMIT (over cap) or ERR_NOMEM. */
static int decode(uint8_t **out, size_t *out_len, const char *s, size_t len,
		  size_t cap)
{
	buf b = BUF_INIT(cap + 2);
	errinfo e = ERRINFO_INIT;
	int error;

	*out = NULL;
	*out_len = 0;
	/* len characters decode to at most len / 4 * 3 bytes (2 fewer with
	 * padding), so with room for cap + 2 an ERR_NOMEM below is a real
	 * allocation failure; the exact size is checked after decoding. */
	if (len / 4 * 3 > cap + 2)
		return ERR_LIMIT;
	error = b64_decode(&b, s, len, B64_STRICT, &e);
	if (error < 0)
		goto cleanup;
	if (b.len > cap) {
		error = ERR_LIMIT;
		goto cleanup;
	}
	*out_len = b.len;
	*out = (uint8_t *)buf_detach(&b);
	if (!*out)
		error = ERR_NOMEM;
cleanup:
	if (b.ptr)
		memset(b.ptr, 0, b.asize);
	buf_dispose(&b);
	return error;
}

const char *sim_httpauth_scheme_name(sim_auth_scheme scheme)
{
	switch (scheme) {
	case SIM_AUTH_BASIC:
		return "Basic";
	case SIM_AUTH_NTLM:
		return "NTLM";
	case SIM_AUTH_NEGOTIATE:
		return "Negotiate";
	case SIM_AUTH_BEARER:
		return "Bearer";
	default:
		return "";
	}
}

void sim_httpauth_dispose(sim_httpauth *auth)
{
	if (!auth)
		return;
	if (auth->token) {
		memset(auth->token, 0, auth->token_len);
		free(auth->token);
	}
	free(auth->bearer);
	memset(auth, 0, sizeof(*auth));
	auth->scheme = SIM_AUTH_NONE;
}

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static int is_token68_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || (c && strchr("-._~+/", c));
}

/* RFC 7235 token68: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" )
 * *"=" */
static int is_token68(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && is_token68_char(s[i]))
		i++;
	if (i == 0)
		return 0;
	while (i < len && s[i] == '=')
		i++;
	return i == len;
}

static int parse_basic(sim_httpauth *out, const char *cred, size_t len,
		       errinfo *err)
{
	uint8_t *raw = NULL;
	size_t raw_len, ulen, plen;
	const char *colon;
	int error;

	if (len == 0)
		return errinfo_set(err, ERR_INVAL, "Authorization: Basic credentials are empty");
	error = decode(&raw, &raw_len, cred, len,
			   SIM_HTTPAUTH_USER_MAX + SIM_HTTPAUTH_PASSWORD_MAX);
	if (error == ERR_INVAL)
		return errinfo_set(err, ERR_INVAL, "Authorization: Basic credentials are not valid base64");
	if (error == ERR_LIMIT)
		return errinfo_set(err, ERR_INVAL, "Authorization: Basic credentials are too long (more than %d bytes)",
				   SIM_HTTPAUTH_USER_MAX + SIM_HTTPAUTH_PASSWORD_MAX);
	if (error < 0)
		return errinfo_set(err, error, "Authorization: out of memory decoding Basic credentials");

	if (memchr(raw, '\0', raw_len)) {
		error = errinfo_set(err, ERR_INVAL, "Authorization: Basic credentials contain a NUL byte");
		goto cleanup;
	}
	colon = memchr(raw, ':', raw_len);
	if (!colon) {
		error = errinfo_set(err, ERR_INVAL, "Authorization: Basic credentials have no ':' between user name and password");
		goto cleanup;
	}
	ulen = (size_t)(colon - (const char *)raw);
	plen = raw_len - ulen - 1;
	if (ulen == 0) {
		error = errinfo_set(err, ERR_INVAL, "Authorization: Basic credentials have an empty user name");
		goto cleanup;
	}
	if (ulen >= SIM_HTTPAUTH_USER_MAX || plen >= SIM_HTTPAUTH_PASSWORD_MAX) {
		error = errinfo_set(err, ERR_INVAL, "Authorization: Basic %s is longer than %d bytes",
				    ulen >= SIM_HTTPAUTH_USER_MAX ? "user name" : "password",
				    SIM_HTTPAUTH_USER_MAX - 1);
		goto cleanup;
	}
	memcpy(out->user, raw, ulen);
	out->user[ulen] = '\0';
	memcpy(out->password, colon + 1, plen);
	out->password[plen] = '\0';
	error = 0;
cleanup:
	memset(raw, 0, raw_len);
	free(raw);
	return error;
}

static int parse_token(sim_httpauth *out, const char *name, const char *cred,
		       size_t len, errinfo *err)
{
	int error;

	if (len == 0)
		return errinfo_set(err, ERR_INVAL, "Authorization: %s token is empty", name);
	error = decode(&out->token, &out->token_len, cred, len,
			   SIM_HTTPAUTH_TOKEN_MAX);
	if (error == ERR_INVAL)
		return errinfo_set(err, ERR_INVAL, "Authorization: %s token is not valid base64", name);
	if (error == ERR_LIMIT)
		return errinfo_set(err, ERR_INVAL, "Authorization: %s token is longer than %d bytes",
				   name, SIM_HTTPAUTH_TOKEN_MAX);
	if (error < 0)
		return errinfo_set(err, error, "Authorization: out of memory decoding the %s token", name);
	if (out->token_len == 0)
		return errinfo_set(err, ERR_INVAL, "Authorization: %s token is empty", name);
	if (out->scheme == SIM_AUTH_NEGOTIATE)
		out->negotiate_is_ntlm = out->token_len >= 8 &&
					 memcmp(out->token, "NTLMSSP", 8) == 0;
	return 0;
}

static int parse_bearer(sim_httpauth *out, const char *cred, size_t len,
			errinfo *err)
{
	if (len == 0)
		return errinfo_set(err, ERR_INVAL, "Authorization: Bearer token is empty");
	if (len > SIM_HTTPAUTH_BEARER_MAX)
		return errinfo_set(err, ERR_INVAL, "Authorization: Bearer token is longer than %d characters",
				   SIM_HTTPAUTH_BEARER_MAX);
	if (!is_token68(cred, len))
		return errinfo_set(err, ERR_INVAL, "Authorization: Bearer token has characters outside the token68 set");
	out->bearer = malloc(len + 1);
	if (!out->bearer)
		return errinfo_set(err, ERR_NOMEM, "Authorization: out of memory copying the Bearer token");
	memcpy(out->bearer, cred, len);
	out->bearer[len] = '\0';
	return 0;
}

int sim_httpauth_parse(sim_httpauth *out, const char *value, errinfo *err)
{
	static const struct {
		const char *name;
		sim_auth_scheme scheme;
	} schemes[] = {
		{ "Basic", SIM_AUTH_BASIC },
		{ "NTLM", SIM_AUTH_NTLM },
		{ "Negotiate", SIM_AUTH_NEGOTIATE },
		{ "Bearer", SIM_AUTH_BEARER },
	};
	const char *name, *cred;
	size_t name_len, cred_len, i;
	int error = 0;

	memset(out, 0, sizeof(*out));
	out->scheme = SIM_AUTH_NONE;
	if (!value)
		return 0;
	while (is_ows(*value))
		value++;
	if (!*value)
		return 0;

	name = value;
	while (*value && !is_ows(*value))
		value++;
	name_len = (size_t)(value - name);
	while (is_ows(*value))
		value++;
	cred = value;
	cred_len = strlen(cred);
	while (cred_len && is_ows(cred[cred_len - 1]))
		cred_len--;

	out->scheme = SIM_AUTH_UNKNOWN;
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strlen(schemes[i].name) == name_len &&
		    strncasecmp(schemes[i].name, name, name_len) == 0)
			out->scheme = schemes[i].scheme;

	switch (out->scheme) {
	case SIM_AUTH_BASIC:
		error = parse_basic(out, cred, cred_len, err);
		break;
	case SIM_AUTH_NTLM:
	case SIM_AUTH_NEGOTIATE:
		error = parse_token(out, sim_httpauth_scheme_name(out->scheme),
				    cred, cred_len, err);
		break;
	case SIM_AUTH_BEARER:
		error = parse_bearer(out, cred, cred_len, err);
		break;
	default:
		break;
	}
	if (error < 0)
		sim_httpauth_dispose(out);
	return error;
}

/* Appends s as an RFC 7230 quoted-string. */
static void put_quoted(buf *out, const char *s)
{
	buf_putc(out, '"');
	for (; s && *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			continue;
		if (*s == '"' || *s == '\\')
			buf_putc(out, '\\');
		buf_putc(out, *s);
	}
	buf_putc(out, '"');
}

int sim_httpauth_put_basic_challenge(buf *out, const char *realm)
{
	buf_puts(out, "Basic realm=");
	put_quoted(out, realm ? realm : "");
	return buf_failed(out) ? -1 : 0;
}

int sim_httpauth_put_token_challenge(buf *out, sim_auth_scheme scheme,
				     const void *data, size_t len)
{
	if (scheme != SIM_AUTH_NTLM && scheme != SIM_AUTH_NEGOTIATE)
		return -1;
	buf_puts(out, sim_httpauth_scheme_name(scheme));
	if (len) {
		buf_putc(out, ' ');
		b64_encode(out, data, len, NULL);
	}
	return buf_failed(out) ? -1 : 0;
}

int sim_httpauth_put_bearer_challenge(buf *out, const char *authorization_uri,
				      const char *error)
{
	buf_puts(out, "Bearer authorization_uri=");
	put_quoted(out, authorization_uri ? authorization_uri : "");
	if (error) {
		buf_puts(out, ", error=");
		put_quoted(out, error);
	}
	return buf_failed(out) ? -1 : 0;
}
