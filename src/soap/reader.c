/* reader.c - parse an EWS response body and list its response messages
 * (see reader.h).
 *
 * Hardening: the body is checked for size and for a DOCTYPE before
 * libxml2 sees it (SOAP 1.1 section 3 forbids DTDs in messages, and
 * refusing them is the simplest complete defence against entity
 * expansion and external entities), then parsed with XML_PARSE_NONET and
 * without XML_PARSE_NOENT/DTDLOAD/HUGE, so libxml2's own limits (depth,
 * name length) stay in force. libxml2's error output is switched off per
 * parse (NOERROR/NOWARNING); the error is read back from the context. */
#include "soap/reader.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "soap/envelope.h"
#include "soap/read_util.h"

#define SOAP12_NS "http://www.w3.org/2003/05/soap-envelope"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
	xmlInitParser();
}

/* ---- string storage ------------------------------------------------------ */

/* Takes ownership of s (from libxml2) and returns it, or NULL. */
static const char *keep(soap_response *r, xmlChar *s)
{
	char **grown;

	if (!s)
		return NULL;
	if (r->nstrs == r->astrs) {
		size_t n = r->astrs ? r->astrs * 2 : 16;
		grown = realloc(r->strs, n * sizeof(*grown));
		if (!grown) {
			xmlFree(s);
			return NULL;
		}
		r->strs = grown;
		r->astrs = n;
	}
	r->strs[r->nstrs++] = (char *)s;
	return (const char *)s;
}

void soap_response_free(soap_response *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nstrs; i++)
		xmlFree(r->strs[i]);
	free(r->strs);
	free(r->msgs);
	xmlFreeDoc(r->doc);
	free(r);
}

/* ---- classification of non-SOAP bodies ----------------------------------- */

static int starts_ci(const char *s, size_t n, const char *prefix)
{
	size_t i, k = strlen(prefix);

	if (n < k)
		return 0;
	for (i = 0; i < k; i++)
		if (tolower((unsigned char)s[i]) != prefix[i])
			return 0;
	return 1;
}

/* Finds needle (lower-case) in s[0..n) ignoring case; offset or -1. */
static long find_ci(const char *s, size_t n, const char *needle)
{
	size_t i, k = strlen(needle);

	for (i = 0; i + k <= n; i++)
		if (starts_ci(s + i, n - i, needle))
			return (long)i;
	return -1;
}

/* Copies up to max printable ASCII characters of s into dst, collapsing
 * whitespace; used to quote a little of an unexpected body safely. */
static void snippet(char *dst, size_t size, const char *s, size_t n, size_t max)
{
	size_t i, o = 0;
	int space = 0;

	for (i = 0; i < n && o + 1 < size && o < max; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isspace(c)) {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < size) {
			dst[o++] = ' ';
			space = 0;
		}
		dst[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	dst[o] = '\0';
}

static int html_error(const char *s, size_t n, long status, errinfo *err)
{
	char title[128] = "";
	long t = find_ci(s, n, "<title>");

	if (t >= 0) {
		const char *start = s + t + 7;
		long end = find_ci(start, n - (size_t)(t + 7), "</title>");
		if (end > 0)
			snippet(title, sizeof(title), start, (size_t)end, 100);
	}
	/* A web page served with success is no passing fault: the URL is
	 * not an EWS endpoint (a portal, IIS's start page, OWA). A 5xx page
	 * is a proxy or IIS error page and may pass. */
	if (status >= 200 && status < 300)
		return errinfo_set(err, ERR_CONFIG,
			"this URL serves a web page (HTTP %ld%s%s%s) and is not an EWS "
			"endpoint: set EWS_SERVER_URL to https://<server>/EWS/Exchange.asmx",
			status, title[0] ? ": \"" : "", title, title[0] ? "\"" : "");
	if (title[0])
		return errinfo_set(err, ERR_PARSE,
			"Exchange answered with an HTML page instead of SOAP (HTTP %ld): %s",
			status, title);
	return errinfo_set(err, ERR_PARSE,
		"Exchange answered with an HTML page instead of SOAP (HTTP %ld)", status);
}

/* Skips the prolog (BOM, whitespace, XML declaration, comments, PIs) and
 * returns the offset of the first markup that is not one of those, or n. */
static size_t skip_prolog(const char *s, size_t n)
{
	size_t i = 0;

	if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
	    (unsigned char)s[2] == 0xBF)
		i = 3;
	for (;;) {
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i + 4 <= n && memcmp(s + i, "<!--", 4) == 0) {
			long e = -1;
			size_t j;
			for (j = i + 4; j + 3 <= n; j++)
				if (memcmp(s + j, "-->", 3) == 0) {
					e = (long)j;
					break;
				}
			if (e < 0)
				return n;
			i = (size_t)e + 3;
			continue;
		}
		if (i + 2 <= n && s[i] == '<' && s[i + 1] == '?') {
			size_t j;
			for (j = i + 2; j + 2 <= n; j++)
				if (s[j] == '?' && s[j + 1] == '>')
					break;
			if (j + 2 > n)
				return n;
			i = j + 2;
			continue;
		}
		return i;
	}
}

/* Decides, before parsing, whether the body can be SOAP at all. */
static int precheck(const char *body, size_t len, long status, errinfo *err)
{
	char snip[96];
	size_t i;

	for (i = 0; i < len && isspace((unsigned char)body[i]); i++)
		;
	if (i == len)
		return errinfo_set(err, ERR_PARSE,
			"Exchange answered with an empty body (HTTP %ld)", status);
	i = skip_prolog(body, len);
	if (i < len && (starts_ci(body + i, len - i, "<!doctype html") ||
			starts_ci(body + i, len - i, "<html") ||
			starts_ci(body + i, len - i, "<head") ||
			starts_ci(body + i, len - i, "<body")))
		return html_error(body, len, status, err);
	if (i < len && starts_ci(body + i, len - i, "<!doctype"))
		return errinfo_set(err, ERR_PARSE,
			"Exchange's answer carries a DTD (<!DOCTYPE>), which SOAP forbids; refused without reading it (HTTP %ld)",
			status);
	if (i >= len || body[i] != '<') {
		snippet(snip, sizeof(snip), body + i, len - i, 80);
		return errinfo_set(err, ERR_PARSE,
			"Exchange answered with text that is not XML (HTTP %ld): %s", status,
			snip[0] ? snip : "(binary data)");
	}
	return 0;
}

/* ---- message records ------------------------------------------------------ */

/* Reads t:Value elements of a MessageXml into m (BackOffMilliseconds,
 * InnerErrorResponseCode, InnerErrorMessageText). */
static void read_message_xml(soap_response *r, const xmlNode *mx, long *backoff,
			     const char **inner_code, const char **inner_text)
{
	xmlNode *v;

	for (v = soap__first_elem(mx); v; v = soap__next_elem(v)) {
		xmlChar *name;

		if (!soap__is(v, "Value"))
			continue;
		name = soap__attr_get(v, "Name");
		if (!name)
			continue;
		if (strcmp((const char *)name, "BackOffMilliseconds") == 0) {
			xmlChar *t = soap__content(v);
			if (t) {
				long ms = strtol((const char *)t, NULL, 10);
				*backoff = ms > 0 ? ms : 0;
				xmlFree(t);
			}
		} else if (strcmp((const char *)name, "InnerErrorResponseCode") == 0 && inner_code) {
			*inner_code = keep(r, soap__content(v));
		} else if (strcmp((const char *)name, "InnerErrorMessageText") == 0 && inner_text) {
			*inner_text = keep(r, soap__content(v));
		}
		xmlFree(name);
	}
}

/* Appends a record read from msg (the element holding ResponseClass and
 * the ResponseCode/MessageText children); node is what typed readers walk. */
static int add_msg(soap_response *r, const xmlNode *msg, xmlNode *node)
{
	soap_msg *m;

	if (r->nmsgs % 16 == 0) {
		soap_msg *grown = realloc(r->msgs, (r->nmsgs + 16) * sizeof(*grown));
		if (!grown)
			return -1;
		r->msgs = grown;
	}
	m = &r->msgs[r->nmsgs++];
	memset(m, 0, sizeof(*m));
	m->name = keep(r, xmlStrdup(msg->name));
	m->response_class = keep(r, soap__attr_get(msg, "ResponseClass"));
	m->response_code = keep(r, soap__content(soap__child(msg, "ResponseCode")));
	m->message_text = keep(r, soap__content(soap__child(msg, "MessageText")));
	read_message_xml(r, soap__child(msg, "MessageXml"), &m->backoff_ms, &m->inner_code,
			 &m->inner_text);
	m->node = node;
	return 0;
}

static int read_messages(soap_response *r, xmlNode *op)
{
	xmlNode *list, *c, *rm;

	if ((list = soap__child(op, "ResponseMessages"))) {
		for (c = soap__first_elem(list); c; c = soap__next_elem(c))
			if (add_msg(r, c, c) < 0)
				return -1;
		return 0;
	}
	/* GetUserAvailability: one FreeBusyResponse per mailbox, in order. */
	if ((list = soap__child(op, "FreeBusyResponseArray"))) {
		for (c = soap__first_elem(list); c; c = soap__next_elem(c)) {
			rm = soap__child(c, "ResponseMessage");
			if (rm && add_msg(r, rm, c) < 0)
				return -1;
		}
		return 0;
	}
	/* Get/SetUserOofSettings: a bare ResponseMessage. */
	if ((rm = soap__child(op, "ResponseMessage")))
		return add_msg(r, rm, op);
	/* Get/UpdateInboxRules: ResponseClass on the operation element. */
	if (xmlHasProp(op, BAD_CAST "ResponseClass"))
		return add_msg(r, op, op);
	return 0;
}

static void read_fault(soap_response *r, xmlNode *fault)
{
	xmlNode *detail = soap__child(fault, "detail");
	const char *code = keep(r, soap__content(soap__child(detail, "ResponseCode")));
	const char *text = keep(r, soap__content(soap__child(detail, "Message")));

	r->is_fault = 1;
	if (!code || !*code) {
		/* faultcode is a QName such as "a:ErrorServerBusy". */
		const char *fc = keep(r, soap__content(soap__child(fault, "faultcode")));
		const char *colon = fc ? strrchr(fc, ':') : NULL;
		code = colon ? colon + 1 : fc;
	}
	if (!text || !*text)
		text = keep(r, soap__content(soap__child(fault, "faultstring")));
	r->fault_code = code ? code : "";
	r->fault_string = text ? text : "";
	read_message_xml(r, soap__child(detail, "MessageXml"), &r->fault_backoff_ms,
			 &r->fault_inner_code, NULL);
}

static void read_server_version(soap_response *r, xmlNode *header)
{
	xmlNode *v = soap__child(header, "ServerVersionInfo");
	static const char *const attrs[] = { "MajorVersion", "MinorVersion",
					     "MajorBuildNumber", "MinorBuildNumber" };
	int *dst[] = { &r->server_major, &r->server_minor, &r->server_major_build,
		       &r->server_minor_build };
	size_t i;

	if (!v)
		return;
	for (i = 0; i < 4; i++) {
		xmlChar *s = soap__attr_get(v, attrs[i]);
		if (s) {
			*dst[i] = atoi((const char *)s);
			xmlFree(s);
		}
	}
	r->server_version = keep(r, soap__attr_get(v, "Version"));
}

static int ns_is(const xmlNode *n, const char *ns)
{
	return n->ns && n->ns->href && strcmp((const char *)n->ns->href, ns) == 0;
}

int soap_response_parse(soap_response **out, const char *body, size_t len,
			long http_status, errinfo *err)
{
	xmlParserCtxtPtr ctxt = NULL;
	soap_response *r = NULL;
	xmlNode *root, *header, *bodyel, *op;
	int error = 0;

	*out = NULL;
	if (!body)
		len = 0;
	if (len > SOAP_RESPONSE_MAX)
		return errinfo_set(err, ERR_LIMIT,
			"Exchange's answer is %zu bytes, more than the %u the reader accepts",
			len, SOAP_RESPONSE_MAX);
	if ((error = precheck(body ? body : "", len, http_status, err)) < 0)
		return error;
	if (len > (size_t)0x7fffffff)
		return errinfo_set(err, ERR_LIMIT, "Exchange's answer is too large to parse");

	pthread_once(&init_once, init_libxml);
	r = calloc(1, sizeof(*r));
	ctxt = xmlNewParserCtxt();
	if (!r || !ctxt) {
		error = errinfo_set(err, ERR_NOMEM, "out of memory parsing Exchange's answer");
		goto cleanup;
	}
	r->http_status = http_status;
	r->doc = xmlCtxtReadMemory(ctxt, body, (int)len, "ews-response.xml", NULL,
				   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
				   XML_PARSE_NOCDATA);
	if (!r->doc || !ctxt->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char msg[160] = "";

		if (e && e->message)
			snippet(msg, sizeof(msg), e->message, strlen(e->message), 150);
		error = errinfo_set(err, ERR_PARSE,
			"Exchange's answer is not well-formed XML (HTTP %ld, %zu bytes%s): line %d: %s",
			http_status, len,
			e && (e->code == XML_ERR_DOCUMENT_END || e->code == XML_ERR_TAG_NOT_FINISHED ||
			      e->code == XML_ERR_LTSLASH_REQUIRED || e->code == XML_ERR_GT_REQUIRED ||
			      e->code == XML_ERR_DOCUMENT_EMPTY || e->code == XML_ERR_NAME_REQUIRED)
				? ", probably truncated" : "",
			e ? e->line : 0, msg[0] ? msg : "parse error");
		goto cleanup;
	}
	/* Belt and braces: precheck refuses a DOCTYPE, but never walk a
	 * document that has one. */
	if (r->doc->intSubset || r->doc->extSubset) {
		error = errinfo_set(err, ERR_PARSE,
			"Exchange's answer carries a DTD, which SOAP forbids; refused");
		goto cleanup;
	}
	root = xmlDocGetRootElement(r->doc);
	if (!root || !soap__is(root, "Envelope") || !ns_is(root, SOAP_NS_ENVELOPE)) {
		if (root && soap__is(root, "Envelope") && ns_is(root, SOAP12_NS))
			error = errinfo_set(err, ERR_PARSE,
				"Exchange answered with a SOAP 1.2 envelope; EWS speaks SOAP 1.1 (HTTP %ld)",
				http_status);
		else if (root && (soap__is(root, "html") || soap__is(root, "HTML")))
			error = html_error(body, len, http_status, err);
		else
			error = errinfo_set(err, ERR_PARSE,
				"Exchange's answer is XML but not a SOAP envelope: root element <%.60s> (HTTP %ld)",
				root ? (const char *)root->name : "?", http_status);
		goto cleanup;
	}
	header = soap__child(root, "Header");
	bodyel = soap__child(root, "Body");
	op = soap__first_elem(bodyel);
	if (!bodyel || !op) {
		error = errinfo_set(err, ERR_PARSE,
			"Exchange's SOAP envelope has no Body content (HTTP %ld)", http_status);
		goto cleanup;
	}
	read_server_version(r, header);
	r->body_child = op;
	if (soap__is(op, "Fault") && ns_is(op, SOAP_NS_ENVELOPE)) {
		read_fault(r, op);
	} else {
		r->operation = keep(r, xmlStrdup(op->name));
		if (read_messages(r, op) < 0) {
			error = errinfo_set(err, ERR_NOMEM, "out of memory reading Exchange's answer");
			goto cleanup;
		}
	}
	*out = r;
	r = NULL;
cleanup:
	if (ctxt)
		xmlFreeParserCtxt(ctxt);
	soap_response_free(r);
	return error;
}

int soap_msg_is_error(const soap_msg *m)
{
	return m && m->response_class && strcmp(m->response_class, "Error") == 0;
}

const char *soap_msg_effective_code(const soap_msg *m)
{
	if (!m)
		return "NoError";
	if (m->inner_code && *m->inner_code && m->response_code &&
	    strcmp(m->response_code, "ErrorInternalServerError") == 0)
		return m->inner_code;
	return m->response_code && *m->response_code ? m->response_code : "NoError";
}

int soap_response_set_error(errinfo *err, int code, const char *what,
			    const soap_response *r, const soap_msg *m)
{
	const char *ews, *text;
	long backoff;

	if (!m) {
		if (!r || !r->is_fault)
			return errinfo_set(err, code, "%s: failed", what);
		ews = r->fault_inner_code && *r->fault_inner_code &&
		      strcmp(r->fault_code, "ErrorInternalServerError") == 0
			? r->fault_inner_code : r->fault_code;
		text = r->fault_string;
		backoff = r->fault_backoff_ms;
	} else {
		ews = soap_msg_effective_code(m);
		text = m->inner_text && ews == m->inner_code ? m->inner_text : m->message_text;
		backoff = m->backoff_ms;
	}
	if (err && !err->code) {
		errinfo_set_ews_code(err, ews);
		if (backoff > 0 && err->backoff_ms == 0)
			err->backoff_ms = backoff;
	}
	if (text && *text)
		return errinfo_set(err, code, "%s: %s (%s)", what, text, ews);
	return errinfo_set(err, code, "%s: %s", what, ews);
}
