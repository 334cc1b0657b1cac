/* address.c - SMTP syntax checks and the impersonation allow-list
 * (see address.h).
 *
 * The check is deliberately stricter than RFC 5322: quoted local parts,
 * comments, address literals and non-ASCII addresses are legal somewhere
 * but are never primary SMTP addresses of Exchange mailboxes, and each of
 * them would need escaping rules in places (HTTP headers, logs) that have
 * none. '&' and '\'' are legal atext too, but they are XML metacharacters
 * and have no business in a mailbox address given to this server.
 */
#include "ews/address.h"


#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

struct ews_allowlist {
	size_t n;
	char **patterns;  /* lower-cased */
};

/* RFC 5322 atext minus the XML metacharacters & and ' . */
static int is_atext(unsigned char c)
{
	return isalnum(c) || (c && strchr("!#$%*+/=?^_`{|}~-", c));
}

void ews_address_show(char *out, size_t cap, const char *s)
{
	size_t o = 0, i;

	if (cap == 0)
		return;
	for (i = 0; s && s[i] && i < 80; i++) {
		unsigned char c = (unsigned char)s[i];
		char tmp[8];
		size_t n;

		if (c < 0x20 || c == 0x7f)
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", c);
		else {
			tmp[0] = (char)c;
			n = 1;
		}
		if (o + n + 4 >= cap)
			break;
		memcpy(out + o, tmp, n);
		o += n;
	}
	if (s && s[i]) {
		/* cut short: not in the middle of a character */
		o = utf8_boundary(out, o);
		if (o + 4 <= cap) {
			memcpy(out + o, "...", 3);
			o += 3;
		}
	}
	out[o] = '\0';
}

int ews_address_canonical(char *out, size_t cap, const char *s,
			  const char *field, errinfo *err)
{
	size_t len, i;

	if (!s)
		s = "";
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len + 1 > cap) {
		char shown[128];

		ews_address_show(shown, sizeof(shown), s);
		return errinfo_set(err, ERR_INVAL,
			"%s '%s': is not a valid SMTP address (longer than %d "
			"characters)", field, shown, EWS_ADDRESS_MAX);
	}
	for (i = 0; i < len; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[len] = '\0';
	return 0;
}

static int bad(errinfo *err, const char *field, const char *addr,
	       const char *why)
{
	char shown[128];

	ews_address_show(shown, sizeof(shown), addr);
	return errinfo_set(err, ERR_INVAL,
			   "%s '%s': is not a valid SMTP address (%s)", field,
			   shown, why);
}

int ews_address_check(const char *addr, const char *field, errinfo *err)
{
	const char *at, *p, *domain;
	size_t len, local_len, label = 0, labels = 0;

	if (!addr || !*addr)
		return errinfo_set(err, ERR_INVAL,
				   "%s: is empty; give an SMTP address such as "
				   "user@contoso.com", field);
	len = strlen(addr);
	for (p = addr; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\r' || c == '\n')
			return bad(err, field, addr, "contains a line break");
		if (c < 0x20 || c == 0x7f)
			return bad(err, field, addr,
				   "contains a control character");
		if (c >= 0x80)
			return bad(err, field, addr,
				   "contains non-ASCII characters");
		if (strchr("<>&\"'", c))
			return bad(err, field, addr,
				   "contains one of < > & \" ' which an address "
				   "must not hold");
		if (c == ' ')
			return bad(err, field, addr, "contains a space");
	}
	if (len > EWS_ADDRESS_MAX)
		return bad(err, field, addr, "longer than 254 characters");
	at = strchr(addr, '@');
	if (!at)
		return bad(err, field, addr, "no '@'");
	if (strchr(at + 1, '@'))
		return bad(err, field, addr, "more than one '@'");
	local_len = (size_t)(at - addr);
	if (local_len == 0)
		return bad(err, field, addr, "nothing before '@'");
	if (local_len > 64)
		return bad(err, field, addr,
			   "the part before '@' is longer than 64 characters");
	if (addr[0] == '.' || at[-1] == '.')
		return bad(err, field, addr, "misplaced '.' before '@'");
	for (p = addr; p < at; p++)
		if (p[0] == '.' && p[1] == '.')
			return bad(err, field, addr, "misplaced '.' before '@'");
	for (p = addr; p < at; p++)
		if (*p != '.' && !is_atext((unsigned char)*p))
			return bad(err, field, addr,
				   "character not allowed before '@'");
	domain = at + 1;
	if (!*domain)
		return bad(err, field, addr, "nothing after '@'");
	for (p = domain; ; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '.' || c == '\0') {
			if (label == 0 || p[-1] == '-')
				return bad(err, field, addr,
					   "the domain has an empty label or one "
					   "ending in '-'");
			labels++;
			label = 0;
			if (c == '\0')
				break;
			continue;
		}
		if (!isalnum(c) && c != '-')
			return bad(err, field, addr,
				   "character not allowed in the domain");
		if (c == '-' && label == 0)
			return bad(err, field, addr,
				   "a domain label starts with '-'");
		if (++label > 63)
			return bad(err, field, addr,
				   "a domain label is longer than 63 characters");
	}
	if (labels < 2)
		return bad(err, field, addr,
			   "the domain needs a dot, e.g. contoso.com");
	return 0;
}

int ews_glob_match(const char *pat, const char *text)
{
	const char *star = NULL, *resume = NULL;

	/* Iterative matcher with one back-track point: linear in practice,
	 * no recursion for hostile patterns like "*a*a*a*a*b". */
	while (*text) {
		if (*pat == '*') {
			star = pat++;
			resume = text;
		} else if (*pat == '?' ||
			   tolower((unsigned char)*pat) ==
				   tolower((unsigned char)*text)) {
			pat++;
			text++;
		} else if (star) {
			pat = star + 1;
			text = ++resume;
		} else {
			return 0;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

int ews_allowlist_parse(ews_allowlist **out, const char *spec, errinfo *err)
{
	ews_allowlist *list = NULL;
	const char *p = spec, *start, *end;
	int error = 0;

	*out = NULL;
	if (!spec || strspn(spec, " \t,") == strlen(spec))
		return 0;
	list = calloc(1, sizeof(*list));
	if (!list)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	while (*p) {
		char **grown, *pat;
		size_t len, i;

		while (*p == ' ' || *p == '\t')
			p++;
		start = p;
		while (*p && *p != ',')
			p++;
		end = p;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		len = (size_t)(end - start);
		if (len == 0) {
			error = errinfo_set(err, ERR_CONFIG,
				"EWS_IMPERSONATION_ALLOWED: empty entry in the "
				"list (example: EWS_IMPERSONATION_ALLOWED="
				"*@sales.contoso.com,ceo@contoso.com)");
			goto cleanup;
		}
		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)start[i];

			if (!is_atext(c) && c != '.' && c != '@' && c != '*' &&
			    c != '?') {
				error = errinfo_set(err, ERR_CONFIG,
					"EWS_IMPERSONATION_ALLOWED: entry '%.*s' "
					"has a character that cannot appear in an "
					"address (allowed: address characters, '*', "
					"'?')", (int)(len > 80 ? 80 : len), start);
				goto cleanup;
			}
		}
		pat = malloc(len + 1);
		grown = realloc(list->patterns,
				(list->n + 1) * sizeof(*list->patterns));
		if (!pat || !grown) {
			free(pat);
			if (grown)
				list->patterns = grown;
			error = errinfo_set(err, ERR_NOMEM, "out of memory");
			goto cleanup;
		}
		list->patterns = grown;
		for (i = 0; i < len; i++)
			pat[i] = (char)tolower((unsigned char)start[i]);
		pat[len] = '\0';
		list->patterns[list->n++] = pat;
		if (*p == ',') {
			p++;
			if (strspn(p, " \t") == strlen(p)) {
				error = errinfo_set(err, ERR_CONFIG,
					"EWS_IMPERSONATION_ALLOWED: the list ends "
					"with a comma");
				goto cleanup;
			}
		}
	}
	*out = list;
	list = NULL;
cleanup:
	ews_allowlist_free(list);
	return error;
}

int ews_allowlist_match(const ews_allowlist *list, const char *addr)
{
	size_t i;

	if (!list)
		return 1;
	for (i = 0; i < list->n; i++)
		if (ews_glob_match(list->patterns[i], addr))
			return 1;
	return 0;
}

void ews_allowlist_free(ews_allowlist *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->n; i++)
		free(list->patterns[i]);
	free(list->patterns);
	free(list);
}
