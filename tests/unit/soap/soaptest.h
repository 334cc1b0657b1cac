/* soaptest.h - schema validation and XPath helpers for the soap tests.
 *
 * Header-only (static functions) because every tests/unit/soap/test_*.c
 * is its own program. The schema is Microsoft's EWS XSD set wrapped by
 * ews-schema/soap-envelope-ews.xsd, the same check validate.sh runs with
 * xmllint, done in-process with libxml2's XSD validator. Load it once per
 * program (soaptest_schema_load in a group setup). The schema is not part of
 * the project: without it (testutil_have_schema) soaptest_schema stays NULL,
 * validation only checks well-formedness, and a test that needs the
 * validator to reject something calls soaptest_require_schema() first.
 */
#ifndef INCLUDE_soaptest_h__
#define INCLUDE_soaptest_h__

#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "testutil.h"
#include "soap/envelope.h"

static xmlSchemaPtr soaptest_schema;

/* Collects validator messages so a failing test prints them. */
static char soaptest_errors[8192];

static void soaptest_collect(void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void soaptest_collect(void *ctx, const char *fmt, ...)
{
	size_t used = strlen(soaptest_errors);
	va_list ap;

	(void)ctx;
	if (used + 1 >= sizeof(soaptest_errors))
		return;
	va_start(ap, fmt);
	vsnprintf(soaptest_errors + used, sizeof(soaptest_errors) - used, fmt, ap);
	va_end(ap);
}

static int soaptest_schema_load(void **state)
{
	xmlSchemaParserCtxtPtr pctx;

	(void)state;
	xmlInitParser();
	if (!testutil_have_schema())
		return 0;
	pctx = xmlSchemaNewParserCtxt(testutil_schema_path("soap-envelope-ews.xsd"));
	if (!pctx)
		return -1;
	soaptest_schema = xmlSchemaParse(pctx);
	xmlSchemaFreeParserCtxt(pctx);
	return soaptest_schema ? 0 : -1;
}

static int soaptest_schema_free(void **state)
{
	(void)state;
	xmlSchemaFree(soaptest_schema);
	soaptest_schema = NULL;
	xmlCleanupParser();
	return 0;
}

/* Parses xml (no network, no entities); NULL if not well-formed. */
static xmlDocPtr soaptest_parse(const char *xml, size_t len)
{
	return xmlReadMemory(xml, (int)len, "test.xml", NULL,
			     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/* Skips the calling cmocka test when there is no schema. */
#define soaptest_require_schema() do { if (!soaptest_schema) skip(); } while (0)

/* 0 if doc is valid against the envelope schema (or there is no schema);
 * prints errors if not. */
static int soaptest_validate_doc(xmlDocPtr doc, const char *label)
{
	xmlSchemaValidCtxtPtr vctx;
	int rc;

	if (!soaptest_schema)
		return 0;
	vctx = xmlSchemaNewValidCtxt(soaptest_schema);
	soaptest_errors[0] = '\0';
	xmlSchemaSetValidErrors(vctx, soaptest_collect, soaptest_collect, NULL);
	rc = xmlSchemaValidateDoc(vctx, doc);
	xmlSchemaFreeValidCtxt(vctx);
	if (rc != 0)
		print_error("%s: schema validation failed:\n%s\n", label, soaptest_errors);
	return rc;
}

static int soaptest_validate(const char *xml, size_t len, const char *label)
{
	xmlDocPtr doc = soaptest_parse(xml, len);
	int rc;

	if (!doc) {
		print_error("%s: not well-formed:\n%.2000s\n", label, xml);
		return -1;
	}
	rc = soaptest_validate_doc(doc, label);
	if (rc != 0)
		print_error("%s: document was:\n%.4000s\n", label, xml);
	xmlFreeDoc(doc);
	return rc;
}

/* Evaluates expr (prefixes soap, t, m, e registered) as a string. The
 * result is copied into a static buffer. */
static __attribute__((unused)) const char *soaptest_xpath(xmlDocPtr doc, const char *expr)
{
	static char out[4096];
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj;
	xmlChar *s;

	xmlXPathRegisterNs(ctx, BAD_CAST "soap", BAD_CAST SOAP_NS_ENVELOPE);
	xmlXPathRegisterNs(ctx, BAD_CAST "t", BAD_CAST SOAP_NS_TYPES);
	xmlXPathRegisterNs(ctx, BAD_CAST "m", BAD_CAST SOAP_NS_MESSAGES);
	xmlXPathRegisterNs(ctx, BAD_CAST "e", BAD_CAST SOAP_NS_ERRORS);
	obj = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	out[0] = '\0';
	if (obj) {
		s = xmlXPathCastToString(obj);
		snprintf(out, sizeof(out), "%s", s ? (const char *)s : "");
		xmlFree(s);
		xmlXPathFreeObject(obj);
	}
	xmlXPathFreeContext(ctx);
	return out;
}

#endif
