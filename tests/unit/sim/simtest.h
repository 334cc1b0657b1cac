/* simtest.h - helpers for the ews-sim tests (included by each test_*.c;
 * static functions, since every test file is its own program): start the
 * sim in-process on port 0, talk HTTP to it with libcurl (the real client
 * side), and validate every SOAP response in-process against the EWS
 * schema (the same check as ews-schema/validate.sh) when the schema is
 * there (testutil_have_schema: otherwise that side check is skipped). */
#ifndef INCLUDE_simtest_h__
#define INCLUDE_simtest_h__

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "core/buf.h"
#include "sim/sim.h"
#include "testutil.h"

typedef enum st_auth { ST_BASIC, ST_NTLM, ST_BEARER, ST_NONE } st_auth;

typedef struct st_resp {
	long status;
	char *body;           /* heap, NUL-terminated */
	int curl_rc;
} st_resp;

static xmlSchemaPtr st_schema;
static xmlSchemaParserCtxtPtr st_schema_pctx;

static void st_schema_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Validates a SOAP envelope against soap-envelope-ews.xsd (types.xsd +
 * messages.xsd). 0 valid, -1 invalid (first error printed). Without the
 * schema only well-formedness is checked. */
static int st_validate(const char *xml)
{
	xmlSchemaValidCtxtPtr v;
	xmlDocPtr doc;
	int rc;

	if (!st_schema && testutil_have_schema()) {
		st_schema_pctx = xmlSchemaNewParserCtxt(
			testutil_schema_path("soap-envelope-ews.xsd"));
		xmlSchemaSetParserErrors(st_schema_pctx, st_schema_silent,
					 st_schema_silent, NULL);
		st_schema = xmlSchemaParse(st_schema_pctx);
		if (!st_schema) {
			fprintf(stderr, "cannot load the EWS schema from %s\n",
				testutil_schema_path("soap-envelope-ews.xsd"));
			return -1;
		}
	}
	doc = xmlReadMemory(xml, (int)strlen(xml), "response.xml", NULL,
			    XML_PARSE_NONET);
	if (!doc) {
		fprintf(stderr, "response is not well-formed XML:\n%.2000s\n", xml);
		return -1;
	}
	if (!st_schema) {
		xmlFreeDoc(doc);
		return 0;
	}
	v = xmlSchemaNewValidCtxt(st_schema);
	rc = xmlSchemaValidateDoc(v, doc);
	xmlSchemaFreeValidCtxt(v);
	xmlFreeDoc(doc);
	if (rc != 0)
		fprintf(stderr, "response does not validate:\n%.4000s\n", xml);
	return rc == 0 ? 0 : -1;
}

static void st_schema_free(void)
{
	if (st_schema)
		xmlSchemaFree(st_schema);
	if (st_schema_pctx)
		xmlSchemaFreeParserCtxt(st_schema_pctx);
	st_schema = NULL;
	st_schema_pctx = NULL;
}

static const char *st_org_path(const char *name)
{
	static char path[1024];
	const char *src = getenv("EWS_SOURCE_DIR");

	snprintf(path, sizeof(path), "%s/sim/orgs/%s", src ? src : "../../..", name);
	return path;
}

static ews_sim *st_start(const char *org, const char *faults)
{
	ews_sim_options o = EWS_SIM_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	ews_sim *sim = NULL;

	o.org_path = st_org_path(org);
	o.quiet = 1;
	o.faults = faults;
	if (ews_sim_start(&sim, &o, &err) < 0)
		fprintf(stderr, "ews_sim_start: %s\n", err.msg);
	return sim;
}

static size_t st_write(char *p, size_t sz, size_t n, void *ud)
{
	buf_put(ud, p, sz * n);
	return sz * n;
}

/* POSTs body to url+path with the given credentials; the handle may be
 * reused by the caller for keep-alive (NULL: a fresh one). */
static st_resp st_post_h(CURL *h, const ews_sim *sim, const char *path,
			 st_auth auth, const char *user, const char *secret,
			 const char *ctype, const char *body)
{
	st_resp r = { 0, NULL, 0 };
	buf out = BUF_INIT(256u * 1024 * 1024);
	char url[512], hdr[9000];
	struct curl_slist *hl = NULL;
	int own = h == NULL;

	if (own)
		h = curl_easy_init();
	snprintf(url, sizeof(url), "%s%s", ews_sim_url(sim), path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, st_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	snprintf(hdr, sizeof(hdr), "Content-Type: %s", ctype ? ctype : "text/xml; charset=utf-8");
	hl = curl_slist_append(hl, hdr);
	if (auth == ST_BASIC || auth == ST_NTLM) {
		curl_easy_setopt(h, CURLOPT_HTTPAUTH,
				 auth == ST_NTLM ? CURLAUTH_NTLM : CURLAUTH_BASIC);
		curl_easy_setopt(h, CURLOPT_USERNAME, user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, secret);
	} else if (auth == ST_BEARER) {
		snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s", secret);
		hl = curl_slist_append(hl, hdr);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	r.curl_rc = (int)curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
	curl_slist_free_all(hl);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	if (own)
		curl_easy_cleanup(h);
	r.body = buf_detach(&out);
	if (!r.body)
		r.body = strdup("");
	buf_dispose(&out);
	return r;
}

static st_resp st_post(const ews_sim *sim, const char *path, st_auth auth,
		       const char *user, const char *secret, const char *body)
{
	return st_post_h(NULL, sim, path, auth, user, secret, NULL, body);
}

/* A SOAP envelope: optional impersonation target, then the Body content. */
static char *st_envelope(const char *impersonate, const char *body)
{
	buf b = BUF_INIT(16u * 1024 * 1024);

	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
		 "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\""
		 " xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\""
		 " xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
		 "<soap:Header><t:RequestServerVersion Version=\"Exchange2016\"/>");
	if (impersonate)
		buf_printf(&b, "<t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>"
			   "%s</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>",
			   impersonate);
	buf_printf(&b, "</soap:Header><soap:Body>%s</soap:Body></soap:Envelope>", body);
	return buf_detach(&b);
}

/* One EWS call: posts, checks the answer is schema-valid, returns it. */
static st_resp st_ews(const ews_sim *sim, st_auth auth, const char *user,
		      const char *secret, const char *impersonate, const char *body)
{
	char *env = st_envelope(impersonate, body);
	st_resp r = st_post(sim, "/EWS/Exchange.asmx", auth, user, secret, env);

	free(env);
	if (r.status == 200 || r.status == 500)
		assert_int_equal(st_validate(r.body), 0);
	return r;
}

/* Copies the value of attribute attr of the first element named el (e.g.
 * "t:ItemId") found after from; "" if none (static buffer). */
static __attribute__((unused)) const char *st_attr(const char *xml, const char *el, const char *attr)
{
	static char out[1024];
	char pat[128];
	const char *p, *q, *e;

	out[0] = '\0';
	snprintf(pat, sizeof(pat), "<%s ", el);
	p = strstr(xml, pat);
	if (!p)
		return out;
	e = strchr(p, '>');
	snprintf(pat, sizeof(pat), " %s=\"", attr);
	q = strstr(p, pat);
	if (!q || (e && q > e))
		return out;
	q += strlen(pat);
	e = strchr(q, '"');
	if (e && (size_t)(e - q) < sizeof(out)) {
		memcpy(out, q, (size_t)(e - q));
		out[e - q] = '\0';
	}
	return out;
}

/* The ResponseCode of the first response message or fault ("" if none). */
static __attribute__((unused)) const char *st_code(const char *xml)
{
	static char out[128];
	const char *p = strstr(xml, "ResponseCode");
	const char *e;

	out[0] = '\0';
	if (!p || !(p = strchr(p, '>')))
		return out;
	p++;
	e = strchr(p, '<');
	if (e && (size_t)(e - p) < sizeof(out)) {
		memcpy(out, p, (size_t)(e - p));
		out[e - p] = '\0';
	}
	return out;
}

static __attribute__((unused)) int st_count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

#define ALICE "alice@contoso.test", "Alice-Pass-2026!"
#define BOB "bob@contoso.test", "Bob-Pass-2026!"
#define CAROL "carol@contoso.test", "Carol-Pass-2026!"
#define SVC "svc-mcp@contoso.test", "Svc-Pass-2026!"

#endif
