/* query.c - shapes, field paths, restrictions and sort orders (see
 * query.h). Restriction element shapes follow t:SearchExpressionType:
 * comparisons take a path and t:FieldURIOrConstant/t:Constant, Contains a
 * path and a bare t:Constant, Exists only a path. */
#include "soap/query.h"

#include <stdio.h>
#include <string.h>

#include "soap/escape.h"
#include "soap/internal.h"

static const char *const base_shapes[] = { "IdOnly", "Default", "AllProperties", NULL };
static const char *const response_body_types[] = { "Best", "HTML", "Text", NULL };
static const char *const containment_modes[] = {
	"FullString", "Prefixed", "Substring", "PrefixOnWords", "ExactPhrase", NULL
};
static const char *const containment_comparisons[] = {
	"Exact", "IgnoreCase", "IgnoreNonSpacingCharacters", "Loose",
	"IgnoreCaseAndNonSpacingCharacters", "LooseAndIgnoreCase",
	"LooseAndIgnoreNonSpace", "LooseAndIgnoreCaseAndIgnoreNonSpace", NULL
};

int soap_field_uri_is_valid(const char *s)
{
	const char *p = s;

	if (!s || !*s)
		return 0;
	while (*p >= 'a' && *p <= 'z')
		p++;
	if (p == s || *p != ':')
		return 0;
	s = ++p;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9'))
		p++;
	return p != s && *p == '\0' && (p - s) < 80;
}

static int bad_field(const char *uri, const char *field, errinfo *err)
{
	if (!uri)
		return errinfo_set(err, ERR_INVAL, "%s: a field URI is required", field);
	if (strlen(uri) <= 60 && soap_text_is_valid(uri, strlen(uri)))
		return errinfo_set(err, ERR_INVAL,
			"%s: '%s' is not a field URI like item:Subject", field, uri);
	return errinfo_set(err, ERR_INVAL, "%s: not a field URI like item:Subject", field);
}

int soap_put_field_path(buf *b, const char *uri, const char *index,
			const char *field, errinfo *err)
{
	int error;

	if (!soap_field_uri_is_valid(uri))
		return bad_field(uri, field, err);
	if (!index) {
		buf_printf(b, "<t:FieldURI FieldURI=\"%s\"/>", uri);
		return 0;
	}
	if ((error = soap__required(index, field, err)) < 0)
		return error;
	buf_printf(b, "<t:IndexedFieldURI FieldURI=\"%s\"", uri);
	if ((error = soap__attr(b, "FieldIndex", index, field, err)) < 0)
		return error;
	buf_puts(b, "/>");
	return 0;
}

int soap_put_shape(buf *b, const char *elem, const soap_shape *s, int items,
		   errinfo *err)
{
	static const soap_shape none = { 0 };
	const char *base;
	char sub[64];
	size_t i;
	int error;

	if (!s)
		s = &none;
	base = s->base ? s->base : "IdOnly";
	if ((error = soap__enum(base, base_shapes, "shape.base", err)) < 0)
		return error;
	if (!items && (s->body_type || s->include_mime != SOAP_UNSET))
		return errinfo_set(err, ERR_INVAL,
			"shape: body_type and include_mime apply to items only");
	if (s->body_type &&
	    (error = soap__enum(s->body_type, response_body_types, "shape.body_type", err)) < 0)
		return error;
	if (s->nfields && !s->fields)
		return errinfo_set(err, ERR_INVAL, "shape.fields: list pointer is NULL");
	buf_printf(b, "<%s><t:BaseShape>%s</t:BaseShape>", elem, base);
	soap__bool(b, "t:IncludeMimeContent", s->include_mime);
	if (s->body_type)
		buf_printf(b, "<t:BodyType>%s</t:BodyType>", s->body_type);
	if (s->nfields) {
		buf_puts(b, "<t:AdditionalProperties>");
		for (i = 0; i < s->nfields; i++) {
			soap__field_idx(sub, sizeof(sub), "shape.fields", i);
			if ((error = soap_put_field_path(b, s->fields[i], NULL, sub, err)) < 0)
				return error;
		}
		buf_puts(b, "</t:AdditionalProperties>");
	}
	buf_printf(b, "</%s>", elem);
	return 0;
}

static const char *comparison_elem(soap_restriction_op op)
{
	switch (op) {
	case SOAP_R_EQ: return "t:IsEqualTo";
	case SOAP_R_NE: return "t:IsNotEqualTo";
	case SOAP_R_GT: return "t:IsGreaterThan";
	case SOAP_R_GE: return "t:IsGreaterThanOrEqualTo";
	case SOAP_R_LT: return "t:IsLessThan";
	case SOAP_R_LE: return "t:IsLessThanOrEqualTo";
	default: return NULL;
	}
}

/* Writes node r; path is its name in errors ("restriction.children[0]"). */
static int put_node(buf *b, const soap_restriction *r, const char *path,
		    int depth, errinfo *err)
{
	char sub[256];
	const char *elem;
	size_t i;
	int error;

	if (depth > SOAP_RESTRICTION_DEPTH_MAX)
		return errinfo_set(err, ERR_INVAL,
			"%s: restriction nested deeper than %d levels", path,
			SOAP_RESTRICTION_DEPTH_MAX);
	switch (r->op) {
	case SOAP_R_AND:
	case SOAP_R_OR:
	case SOAP_R_NOT:
		if (!r->children || r->nchildren == 0)
			return errinfo_set(err, ERR_INVAL, "%s: needs at least one condition", path);
		if (r->op == SOAP_R_NOT && r->nchildren != 1)
			return errinfo_set(err, ERR_INVAL, "%s: 'not' takes exactly one condition, got %zu",
					   path, r->nchildren);
		elem = r->op == SOAP_R_AND ? "t:And" : r->op == SOAP_R_OR ? "t:Or" : "t:Not";
		buf_printf(b, "<%s>", elem);
		for (i = 0; i < r->nchildren; i++) {
			soap__fmt(sub, sizeof(sub), "%s.children[%zu]", path, i);
			if ((error = put_node(b, &r->children[i], sub, depth + 1, err)) < 0)
				return error;
		}
		buf_printf(b, "</%s>", elem);
		return 0;
	case SOAP_R_EXISTS:
		buf_puts(b, "<t:Exists>");
		soap__fmt(sub, sizeof(sub), "%s.field", path);
		if ((error = soap_put_field_path(b, r->field, r->field_index, sub, err)) < 0)
			return error;
		buf_puts(b, "</t:Exists>");
		return 0;
	case SOAP_R_CONTAINS: {
		const char *mode = r->containment_mode ? r->containment_mode : "Substring";
		const char *cmp = r->containment_comparison ? r->containment_comparison
							    : "IgnoreCase";
		soap__fmt(sub, sizeof(sub), "%s.containment_mode", path);
		if ((error = soap__enum(mode, containment_modes, sub, err)) < 0)
			return error;
		soap__fmt(sub, sizeof(sub), "%s.containment_comparison", path);
		if ((error = soap__enum(cmp, containment_comparisons, sub, err)) < 0)
			return error;
		soap__fmt(sub, sizeof(sub), "%s.value", path);
		if ((error = soap__required(r->value, sub, err)) < 0)
			return error;
		buf_printf(b, "<t:Contains ContainmentMode=\"%s\" ContainmentComparison=\"%s\">",
			   mode, cmp);
		soap__fmt(sub, sizeof(sub), "%s.field", path);
		if ((error = soap_put_field_path(b, r->field, r->field_index, sub, err)) < 0)
			return error;
		buf_puts(b, "<t:Constant");
		soap__fmt(sub, sizeof(sub), "%s.value", path);
		if ((error = soap__attr(b, "Value", r->value, sub, err)) < 0)
			return error;
		buf_puts(b, "/></t:Contains>");
		return 0;
	}
	default:
		elem = comparison_elem(r->op);
		if (!elem)
			return errinfo_set(err, ERR_INVAL, "%s: unknown restriction operator %d",
					   path, (int)r->op);
		soap__fmt(sub, sizeof(sub), "%s.value", path);
		if (!r->value)
			return errinfo_set(err, ERR_INVAL, "%s: is required", sub);
		buf_printf(b, "<%s>", elem);
		soap__fmt(sub, sizeof(sub), "%s.field", path);
		if ((error = soap_put_field_path(b, r->field, r->field_index, sub, err)) < 0)
			return error;
		buf_puts(b, "<t:FieldURIOrConstant><t:Constant");
		soap__fmt(sub, sizeof(sub), "%s.value", path);
		if ((error = soap__attr(b, "Value", r->value, sub, err)) < 0)
			return error;
		buf_printf(b, "/></t:FieldURIOrConstant></%s>", elem);
		return 0;
	}
}

int soap_put_restriction(buf *b, const soap_restriction *r, errinfo *err)
{
	int error;

	if (!r)
		return 0;
	buf_puts(b, "<m:Restriction>");
	if ((error = put_node(b, r, "restriction", 1, err)) < 0)
		return error;
	buf_puts(b, "</m:Restriction>");
	return 0;
}

int soap_put_sort(buf *b, const soap_sort *v, size_t n, errinfo *err)
{
	char sub[64];
	size_t i;
	int error;

	if (n == 0)
		return 0;
	if (!v)
		return errinfo_set(err, ERR_INVAL, "sort: list pointer is NULL");
	buf_puts(b, "<m:SortOrder>");
	for (i = 0; i < n; i++) {
		soap__field_idx(sub, sizeof(sub), "sort", i);
		buf_printf(b, "<t:FieldOrder Order=\"%s\">",
			   v[i].descending ? "Descending" : "Ascending");
		if ((error = soap_put_field_path(b, v[i].field, NULL, sub, err)) < 0)
			return error;
		buf_puts(b, "</t:FieldOrder>");
	}
	buf_puts(b, "</m:SortOrder>");
	return 0;
}
