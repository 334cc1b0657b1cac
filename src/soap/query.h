/* query.h - writers for the query parts of Find/Get requests.
 *
 * Item and folder shapes (BaseShape, BodyType, AdditionalProperties),
 * restriction trees (t:Restriction), sort orders (t:SortOrder) and field
 * paths (t:FieldURI / t:IndexedFieldURI). The request builders use these;
 * they are public so other builders (and the simulator's tests) can reuse
 * them. See ews-protocol.md section 5.1 for the wire shapes.
 */
#ifndef INCLUDE_soap_query_h__
#define INCLUDE_soap_query_h__

#include "core/buf.h"
#include "core/errinfo.h"
#include "soap/types.h"

/** Non-zero if s looks like a FieldURI value ("prefix:Name", ASCII
 *  letters/digits, e.g. "item:Subject", "message:IsRead"). The server's
 *  list is long and version dependent; this catches typos and injection,
 *  the server names any unknown property. */
int soap_field_uri_is_valid(const char *s);

/**
 * Appends t:FieldURI, or t:IndexedFieldURI when index is non-NULL.
 * @return 0, or ERR_INVAL naming field.
 */
int soap_put_field_path(buf *b, const char *uri, const char *index,
			const char *field, errinfo *err);

/**
 * Appends <elem> (m:ItemShape, m:FolderShape, m:PersonaShape ...) for s.
 * items: non-zero for item shapes (BodyType/IncludeMimeContent allowed);
 * for folder shapes those two fields must be unset.
 * @return 0, or ERR_INVAL naming the bad value ("shape.base: ...").
 */
int soap_put_shape(buf *b, const char *elem, const soap_shape *s, int items,
		   errinfo *err);

/**
 * Appends m:Restriction containing the tree r.
 * @return 0, or ERR_INVAL naming the node ("restriction.children[1].value:
 *         ..."): wrong child count, missing field/value, bad containment
 *         mode, tree deeper than SOAP_RESTRICTION_DEPTH_MAX.
 */
int soap_put_restriction(buf *b, const soap_restriction *r, errinfo *err);

/**
 * Appends m:SortOrder with one t:FieldOrder per key (nothing if n is 0).
 * @return 0, or ERR_INVAL naming the key.
 */
int soap_put_sort(buf *b, const soap_sort *v, size_t n, errinfo *err);

#endif
