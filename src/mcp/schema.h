/* schema.h - validating tool arguments against the tool's JSON Schema.
 *
 * Covers the JSON Schema 2020-12 keywords tool schemas use: type (one or a
 * list), properties, required, additionalProperties (false or a schema),
 * enum, const, minimum/maximum and their exclusive forms, multipleOf,
 * minLength/maxLength (counted in characters), pattern (POSIX extended
 * regular expression), items, minItems/maxItems, uniqueItems, anyOf,
 * oneOf, allOf, not, and local $ref ("#/$defs/x"). Other keywords
 * (title, description, default, format, examples, $schema) are annotations
 * and are not checked. The first violation is reported, naming the field:
 * "to[1]: expected string, got number".
 *
 * One keyword of our own, "x-error-hint" (a string), is added to every
 * refusal of the value it describes: "start_time: expected string, got
 * integer; accepted forms: YYYY-MM-DD, ...".
 *
 * One departure from the specification, for the way assistants write
 * arguments: an object member whose value is null counts as absent, so
 * {"cc": null} passes where cc is optional, and a required member given
 * as null "is required" (unless its schema itself allows null).
 */
#ifndef INCLUDE_schema_h__
#define INCLUDE_schema_h__

#include <jansson.h>

#include "core/errinfo.h"

/* Checks that schema is a usable tool input schema (an object whose type
 * is "object", known keyword value types, resolvable $refs, compilable
 * patterns). 0 or ERR_INVAL with the problem in err. */
int mcp_schema_check(const json_t *schema, errinfo *err);

/* Validates instance against schema. 0, or ERR_INVAL with err->msg naming
 * the field path and the problem. */
int mcp_schema_validate(const json_t *schema, const json_t *instance,
			errinfo *err);

#endif
