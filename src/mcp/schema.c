/* schema.c - JSON Schema validation of tool arguments (see schema.h).
 *
 * A recursive walk over schema and instance together. The path of the
 * value being checked is kept in a small buffer so that every message
 * names the field the way a caller wrote it: "attendees[2]",
 * "address.city". Recursion depth is capped: a schema is ours, but an
 * instance is not, and a deeply nested instance must not exhaust the stack.
 */
#include "mcp/schema.h"

#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 64

typedef struct walker {
	const json_t *root; /* the whole schema, for $ref */
	char path[512];
	errinfo *err;
	int depth;
} walker;

static int validate(walker *w, const json_t *schema, const json_t *inst);

/* "x-error-hint": text a schema adds to every refusal of its value, such
 * as the accepted forms of a date, so that the message helps whatever the
 * bad value was. Appended once, after "; ". */
static const json_t *resolve_ref(const walker *w, const char *ref);

static int add_hint(walker *w, const json_t *schema, int error)
{
	const char *hint = json_string_value(json_object_get(schema, "x-error-hint"));
	size_t len, hlen;
	int hops;

	/* A member given as {"$ref": ...} has its hint where the ref points. */
	for (hops = 0; !hint && schema && hops < 8; hops++) {
		const char *ref = json_string_value(json_object_get(schema, "$ref"));

		schema = ref ? resolve_ref(w, ref) : NULL;
		hint = json_string_value(json_object_get(schema, "x-error-hint"));
	}
	if (error >= 0 || !hint || !w->err)
		return error;
	len = strlen(w->err->msg);
	hlen = strlen(hint);
	if (len >= hlen && strcmp(w->err->msg + len - hlen, hint) == 0)
		return error;
	snprintf(w->err->msg + len, sizeof(w->err->msg) - len, "; %s", hint);
	return error;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "number";
	case JSON_TRUE:
	case JSON_FALSE: return "boolean";
	case JSON_NULL: return "null";
	}
	return "value";
}

static const char *where(const walker *w)
{
	return w->path[0] ? w->path : "arguments";
}

static int violation(walker *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int violation(walker *w, const char *fmt, ...)
{
	char text[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return errinfo_set(w->err, ERR_INVAL, "%s: %s", where(w), text);
}

static int type_matches(const char *type, const json_t *v)
{
	if (strcmp(type, "number") == 0)
		return json_is_number(v);
	if (strcmp(type, "integer") == 0)
		return json_is_integer(v) ||
		       (json_is_real(v) && floor(json_real_value(v)) == json_real_value(v));
	if (strcmp(type, "boolean") == 0)
		return json_is_boolean(v);
	return strcmp(type, type_name(v)) == 0;
}

/* Appends ".name" or "[i]" to the path for the duration of a child check. */
static size_t push_key(walker *w, const char *key)
{
	size_t len = strlen(w->path);

	snprintf(w->path + len, sizeof(w->path) - len, "%s%s",
		 len ? "." : "", key);
	return len;
}

static size_t push_index(walker *w, size_t i)
{
	size_t len = strlen(w->path);

	snprintf(w->path + len, sizeof(w->path) - len, "[%zu]", i);
	return len;
}

static void pop(walker *w, size_t len)
{
	w->path[len] = '\0';
}

static size_t utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static const json_t *resolve_ref(const walker *w, const char *ref)
{
	const json_t *node = w->root;
	char part[128];
	const char *p;
	size_t n;

	if (strncmp(ref, "#", 1) != 0)
		return NULL;
	p = ref + 1;
	while (*p == '/') {
		p++;
		n = strcspn(p, "/");
		if (n == 0 || n >= sizeof(part))
			return NULL;
		memcpy(part, p, n);
		part[n] = '\0';
		node = json_object_get(node, part);
		if (!node)
			return NULL;
		p += n;
	}
	return *p ? NULL : node;
}

static int check_type(walker *w, const json_t *type, const json_t *inst)
{
	size_t i;
	json_t *t;
	char expected[200] = "";

	if (json_is_string(type)) {
		if (type_matches(json_string_value(type), inst))
			return 0;
		return violation(w, "expected %s, got %s",
				 json_string_value(type), type_name(inst));
	}
	if (!json_is_array(type))
		return 0;
	json_array_foreach(type, i, t) {
		if (json_is_string(t) && type_matches(json_string_value(t), inst))
			return 0;
		if (json_is_string(t)) {
			if (expected[0])
				strncat(expected, " or ", sizeof(expected) - strlen(expected) - 1);
			strncat(expected, json_string_value(t),
				sizeof(expected) - strlen(expected) - 1);
		}
	}
	return violation(w, "expected %s, got %s", expected, type_name(inst));
}

static int check_enum(walker *w, const json_t *values, const json_t *inst)
{
	char list[400] = "";
	size_t i;
	json_t *v;

	json_array_foreach(values, i, v) {
		if (json_equal(v, inst))
			return 0;
		if (json_is_string(v)) {
			if (list[0])
				strncat(list, ", ", sizeof(list) - strlen(list) - 1);
			strncat(list, json_string_value(v), sizeof(list) - strlen(list) - 1);
		}
	}
	return violation(w, "must be one of: %s", list);
}

static int check_number(walker *w, const json_t *schema, const json_t *inst)
{
	double v = json_number_value(inst), bound;
	const json_t *k;
	char num[64];

	if ((k = json_object_get(schema, "minimum")) && json_is_number(k) &&
	    v < (bound = json_number_value(k))) {
		snprintf(num, sizeof(num), "%g", bound);
		return violation(w, "must be at least %s", num);
	}
	if ((k = json_object_get(schema, "maximum")) && json_is_number(k) &&
	    v > (bound = json_number_value(k))) {
		snprintf(num, sizeof(num), "%g", bound);
		return violation(w, "must be at most %s", num);
	}
	if ((k = json_object_get(schema, "exclusiveMinimum")) && json_is_number(k) &&
	    v <= (bound = json_number_value(k))) {
		snprintf(num, sizeof(num), "%g", bound);
		return violation(w, "must be greater than %s", num);
	}
	if ((k = json_object_get(schema, "exclusiveMaximum")) && json_is_number(k) &&
	    v >= (bound = json_number_value(k))) {
		snprintf(num, sizeof(num), "%g", bound);
		return violation(w, "must be less than %s", num);
	}
	if ((k = json_object_get(schema, "multipleOf")) && json_is_number(k) &&
	    (bound = json_number_value(k)) > 0) {
		double q = v / bound;

		if (fabs(q - round(q)) > 1e-9) {
			snprintf(num, sizeof(num), "%g", bound);
			return violation(w, "must be a multiple of %s", num);
		}
	}
	return 0;
}

static int check_string(walker *w, const json_t *schema, const json_t *inst)
{
	const char *s = json_string_value(inst);
	size_t len = utf8_length(s);
	const json_t *k;
	char num[32];
	regex_t re;
	int rc;

	if ((k = json_object_get(schema, "minLength")) && json_is_integer(k) &&
	    (json_int_t)len < json_integer_value(k)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(k));
		if (json_integer_value(k) == 1)
			return violation(w, "must not be empty");
		return violation(w, "must be at least %s characters long", num);
	}
	if ((k = json_object_get(schema, "maxLength")) && json_is_integer(k) &&
	    (json_int_t)len > json_integer_value(k)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(k));
		return violation(w, "must be at most %s characters long", num);
	}
	if ((k = json_object_get(schema, "pattern")) && json_is_string(k)) {
		if (regcomp(&re, json_string_value(k), REG_EXTENDED | REG_NOSUB) != 0)
			return violation(w, "schema pattern does not compile");
		rc = regexec(&re, s, 0, NULL, 0);
		regfree(&re);
		if (rc != 0)
			return violation(w, "does not match the pattern %s",
					 json_string_value(k));
	}
	return 0;
}

static int check_array(walker *w, const json_t *schema, const json_t *inst)
{
	size_t n = json_array_size(inst), i, j, saved;
	const json_t *k, *items;
	char num[32];
	int error;

	if ((k = json_object_get(schema, "minItems")) && json_is_integer(k) &&
	    (json_int_t)n < json_integer_value(k)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(k));
		return violation(w, "must have at least %s item(s)", num);
	}
	if ((k = json_object_get(schema, "maxItems")) && json_is_integer(k) &&
	    (json_int_t)n > json_integer_value(k)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(k));
		return violation(w, "must have at most %s item(s)", num);
	}
	if (json_is_true(json_object_get(schema, "uniqueItems"))) {
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				if (json_equal(json_array_get(inst, i),
					       json_array_get(inst, j))) {
					snprintf(num, sizeof(num), "%zu", j);
					return violation(w, "item %s repeats an earlier item",
							 num);
				}
	}
	items = json_object_get(schema, "items");
	if (json_is_object(items) || json_is_boolean(items)) {
		for (i = 0; i < n; i++) {
			saved = push_index(w, i);
			error = validate(w, items, json_array_get(inst, i));
			pop(w, saved);
			if (error < 0)
				return error;
		}
	}
	return 0;
}

static int is_required(const json_t *required, const char *key)
{
	json_t *name;
	size_t i;

	json_array_foreach(required, i, name)
		if (json_is_string(name) && strcmp(json_string_value(name), key) == 0)
			return 1;
	return 0;
}

/* Non-zero if the schema takes null as a value (e.g. "type": ["string",
 * "null"]); the walk's error is left untouched. */
static int accepts_null(walker *w, const json_t *schema)
{
	errinfo scratch, *saved_err = w->err;
	json_t *null = json_null();
	int ok;

	if (!schema)
		return 0;
	errinfo_clear(&scratch);
	w->err = &scratch;
	ok = validate(w, schema, null) == 0;
	w->err = saved_err;
	return ok;
}

/* A property given as null is a property not given, as assistants write
 * {"cc": null} for "no cc": it is skipped when optional, and "is required"
 * when required (unless its schema takes null as a value). */
static int check_object(walker *w, const json_t *schema, const json_t *inst)
{
	const json_t *props = json_object_get(schema, "properties");
	const json_t *required = json_object_get(schema, "required");
	const json_t *extra = json_object_get(schema, "additionalProperties");
	const char *key;
	json_t *value, *name;
	size_t i, saved;
	int error;

	json_array_foreach(required, i, name) {
		const json_t *given;

		if (!json_is_string(name))
			continue;
		given = json_object_get(inst, json_string_value(name));
		if (!given || (json_is_null(given) &&
			       !accepts_null(w, json_object_get(props, json_string_value(name))))) {
			saved = push_key(w, json_string_value(name));
			error = violation(w, given ? "is required (null given)" : "is required");
			pop(w, saved);
			return add_hint(w, json_object_get(props, json_string_value(name)), error);
		}
	}
	json_object_foreach((json_t *)inst, key, value) {
		const json_t *sub = json_object_get(props, key);

		if (sub && json_is_null(value) && !is_required(required, key))
			continue; /* not given */
		saved = push_key(w, key);
		if (sub) {
			error = validate(w, sub, value);
		} else if (json_is_false(extra)) {
			pop(w, saved);
			return violation(w, "unknown property '%s'", key);
		} else if (json_is_object(extra)) {
			error = validate(w, extra, value);
		} else {
			error = 0;
		}
		pop(w, saved);
		if (error < 0)
			return error;
	}
	return 0;
}

/* anyOf/oneOf/allOf: sub-errors are collected in a scratch errinfo so the
 * caller sees one message about the combination, not a random branch. */
static int check_combinators(walker *w, const json_t *schema, const json_t *inst)
{
	const json_t *list;
	errinfo scratch;
	errinfo *saved_err = w->err;
	size_t i, matches;
	json_t *sub;
	int error;

	if ((list = json_object_get(schema, "allOf")) && json_is_array(list)) {
		json_array_foreach(list, i, sub) {
			error = validate(w, sub, inst);
			if (error < 0)
				return error;
		}
	}
	if ((list = json_object_get(schema, "anyOf")) && json_is_array(list)) {
		matches = 0;
		w->err = &scratch;
		json_array_foreach(list, i, sub) {
			errinfo_clear(&scratch);
			if (validate(w, sub, inst) == 0) {
				matches++;
				break;
			}
		}
		w->err = saved_err;
		if (!matches)
			return json_array_size(list) == 1
				? errinfo_set(w->err, ERR_INVAL, "%s", scratch.msg)
				: violation(w, "does not match any allowed form");
	}
	if ((list = json_object_get(schema, "oneOf")) && json_is_array(list)) {
		matches = 0;
		w->err = &scratch;
		json_array_foreach(list, i, sub) {
			errinfo_clear(&scratch);
			if (validate(w, sub, inst) == 0)
				matches++;
		}
		w->err = saved_err;
		if (matches != 1)
			return violation(w, "%s", matches ? "matches more than one allowed form"
							  : "does not match any allowed form");
	}
	if ((sub = json_object_get(schema, "not"))) {
		w->err = &scratch;
		errinfo_clear(&scratch);
		error = validate(w, sub, inst);
		w->err = saved_err;
		if (error == 0)
			return violation(w, "matches a form that is not allowed");
	}
	return 0;
}

static int validate(walker *w, const json_t *schema, const json_t *inst)
{
	const json_t *k;
	int error;

	if (json_is_true(schema))
		return 0;
	if (json_is_false(schema))
		return violation(w, "is not allowed");
	if (!json_is_object(schema))
		return 0;
	if (++w->depth > MAX_DEPTH) {
		w->depth--;
		return violation(w, "is nested too deeply");
	}

	error = 0;
	if ((k = json_object_get(schema, "$ref")) && json_is_string(k)) {
		const json_t *target = resolve_ref(w, json_string_value(k));

		error = target ? validate(w, target, inst)
			       : violation(w, "schema reference %s cannot be resolved",
					   json_string_value(k));
	}
	if (!error && (k = json_object_get(schema, "type")))
		error = check_type(w, k, inst);
	if (!error && (k = json_object_get(schema, "const")) && !json_equal(k, inst))
		error = violation(w, "has a value that is not allowed");
	if (!error && (k = json_object_get(schema, "enum")) && json_is_array(k))
		error = check_enum(w, k, inst);
	if (!error && json_is_number(inst))
		error = check_number(w, schema, inst);
	if (!error && json_is_string(inst))
		error = check_string(w, schema, inst);
	if (!error && json_is_array(inst))
		error = check_array(w, schema, inst);
	if (!error && json_is_object(inst))
		error = check_object(w, schema, inst);
	if (!error)
		error = check_combinators(w, schema, inst);
	w->depth--;
	return add_hint(w, schema, error);
}

int mcp_schema_validate(const json_t *schema, const json_t *instance,
			errinfo *err)
{
	walker w;

	memset(&w, 0, sizeof(w));
	w.root = schema;
	w.err = err;
	return validate(&w, schema, instance);
}

/* Walks the schema looking for $refs that do not resolve and patterns
 * that do not compile: a broken tool schema is a bug found at start-up. */
static int check_node(const walker *w, const json_t *node, errinfo *err, int depth)
{
	const char *key;
	json_t *value;
	size_t i;
	regex_t re;

	if (depth > MAX_DEPTH)
		return errinfo_set(err, ERR_INVAL, "schema nested too deeply");
	if (json_is_array(node)) {
		json_array_foreach(node, i, value)
			if (check_node(w, value, err, depth + 1) < 0)
				return err->code;
		return 0;
	}
	if (!json_is_object(node))
		return 0;
	json_object_foreach((json_t *)node, key, value) {
		if (strcmp(key, "$ref") == 0 && json_is_string(value) &&
		    !resolve_ref(w, json_string_value(value)))
			return errinfo_set(err, ERR_INVAL, "unresolvable $ref %s",
					   json_string_value(value));
		if (strcmp(key, "pattern") == 0 && json_is_string(value)) {
			if (regcomp(&re, json_string_value(value), REG_EXTENDED | REG_NOSUB))
				return errinfo_set(err, ERR_INVAL, "pattern %s does not compile",
						   json_string_value(value));
			regfree(&re);
		}
		if (strcmp(key, "required") == 0 && !json_is_array(value))
			return errinfo_set(err, ERR_INVAL, "\"required\" must be an array");
		if (strcmp(key, "enum") == 0 || strcmp(key, "const") == 0 ||
		    strcmp(key, "default") == 0 || strcmp(key, "examples") == 0)
			continue; /* values, not sub-schemas */
		if (check_node(w, value, err, depth + 1) < 0)
			return err->code;
	}
	return 0;
}

int mcp_schema_check(const json_t *schema, errinfo *err)
{
	walker w;

	memset(&w, 0, sizeof(w));
	w.root = schema;
	if (!json_is_object(schema))
		return errinfo_set(err, ERR_INVAL, "schema must be a JSON object");
	if (!json_is_string(json_object_get(schema, "type")) ||
	    strcmp(json_string_value(json_object_get(schema, "type")), "object") != 0)
		return errinfo_set(err, ERR_INVAL, "schema type must be \"object\"");
	return check_node(&w, schema, err, 0);
}
