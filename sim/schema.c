/* schema.c - required attributes of EWS requests (see schema.h).
 *
 * The table lists the attributes types.xsd and messages.xsd declare with
 * use="required" on the elements the sim reads, by element local name (as
 * the sim reads elements: clients use any prefix). An attribute the schema
 * leaves optional is not here even when Exchange has a specific error for
 * its absence (CreateItem's MessageDisposition gives
 * ErrorMessageDispositionRequired, answered by the operation). Violations
 * are worded like .NET's schema validator, which Exchange runs: "The
 * required attribute 'FieldURI' is missing."
 */
#include "sim/schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct required {
	const char *element;
	const char *attrs[4];   /* NULL-terminated */
} required;

static const required table[] = {
	/* property paths (BasePathToElementType and its kinds) */
	{ "FieldURI", { "FieldURI", NULL } },
	{ "IndexedFieldURI", { "FieldURI", "FieldIndex", NULL } },
	{ "ExceptionFieldURI", { "FieldURI", NULL } },
	/* restrictions and sort orders */
	{ "Constant", { "Value", NULL } },
	{ "FieldOrder", { "Order", NULL } },
	/* ids */
	{ "ItemId", { "Id", NULL } },
	{ "ParentItemId", { "Id", NULL } },
	{ "ReferenceItemId", { "Id", NULL } },
	{ "FolderId", { "Id", NULL } },
	{ "DistinguishedFolderId", { "Id", NULL } },
	{ "AttachmentId", { "Id", NULL } },
	{ "AlternateId", { "Format", "Id", "Mailbox", NULL } },
	/* paging views */
	{ "IndexedPageItemView", { "Offset", "BasePoint", NULL } },
	{ "IndexedPageFolderView", { "Offset", "BasePoint", NULL } },
	{ "FractionalPageItemView", { "Numerator", "Denominator", NULL } },
	{ "FractionalPageFolderView", { "Numerator", "Denominator", NULL } },
	{ "CalendarView", { "StartDate", "EndDate", NULL } },
	/* item properties */
	{ "Body", { "BodyType", NULL } },
	{ "Entry", { "Key", NULL } },
	/* operations (messages.xsd) */
	{ "FindItem", { "Traversal", NULL } },
	{ "FindFolder", { "Traversal", NULL } },
	{ "UpdateItem", { "ConflictResolution", NULL } },
	{ "DeleteItem", { "DeleteType", NULL } },
	{ "DeleteFolder", { "DeleteType", NULL } },
	{ "SendItem", { "SaveItemToFolder", NULL } },
	{ "ResolveNames", { "ReturnFullContactData", NULL } },
	{ "ConvertId", { "DestinationFormat", NULL } },
};

int sim_schema_fail(sim_status *st, const xmlNode *at, const char *fmt, ...)
{
	char violation[sizeof(st->violation)];
	va_list ap;

	if (st->code)
		return -1;
	va_start(ap, fmt);
	vsnprintf(violation, sizeof(violation), fmt, ap);
	va_end(ap);
	st->line = at ? xmlGetLineNo(at) : 0;
	if (st->line < 0)
		st->line = 0;
	snprintf(st->violation, sizeof(st->violation), "%s", violation);
	if (st->line > 0)
		return sim_failf(st, "ErrorSchemaValidation",
				 "The request failed schema validation: %s Line %ld.",
				 violation, st->line);
	return sim_failf(st, "ErrorSchemaValidation",
			 "The request failed schema validation: %s", violation);
}

/* A folder element's DistinguishedFolderId child is a folder property
 * (DistinguishedFolderIdNameType, a string), not a folder id. */
static int is_folder_property(const xmlNode *n)
{
	const char *parent = n->parent && n->parent->type == XML_ELEMENT_NODE
			     ? (const char *)n->parent->name : "";
	size_t len = strlen(parent);

	return strcmp((const char *)n->name, "DistinguishedFolderId") == 0 &&
	       len >= 6 && strcmp(parent + len - 6, "Folder") == 0;
}

static int check_element(const xmlNode *n, sim_status *st)
{
	size_t i, k;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strcmp(table[i].element, (const char *)n->name) != 0)
			continue;
		if (is_folder_property(n))
			return 0;
		for (k = 0; table[i].attrs[k]; k++)
			if (!xmlHasProp(n, (const xmlChar *)table[i].attrs[k]))
				return sim_schema_fail(st, n,
						       "The required attribute '%s' is missing.",
						       table[i].attrs[k]);
		return 0;
	}
	return 0;
}

int sim_schema_check(const xmlNode *op, sim_status *st)
{
	const xmlNode *n = op;

	/* Depth-first, in document order, without recursion: a hostile
	 * request may nest deeply (libxml2 caps the depth at 256 by default,
	 * but the walk need not rely on that). */
	while (n) {
		if (n->type == XML_ELEMENT_NODE && check_element(n, st) < 0)
			return -1;
		if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			continue;
		}
		while (n && n != op && !n->next)
			n = n->parent;
		if (!n || n == op)
			break;
		n = n->next;
	}
	return 0;
}
