/* registry.c - tool listing, lookup and argument validation (see registry.h). */
#include "mcp/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcp/schema.h"

typedef struct entry {
	const tool_def *tool;
	json_t *input_schema;  /* parsed once */
	json_t *listing;       /* the tools/list object */
} entry;

struct mcp_registry {
	entry *entries;
	size_t count;
};

/* SEP-986: tool names are 1-128 characters of [A-Za-z0-9_.-]. */
static int name_is_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	return n >= 1 && n <= 128 &&
	       strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789_.-") == n;
}

static json_t *annotations(const tool_def *tool)
{
	json_t *a = json_object();

	if (tool->title)
		json_object_set_new(a, "title", json_string(tool->title));
	json_object_set_new(a, "readOnlyHint", json_boolean(tool->flags & TOOL_READ_ONLY));
	json_object_set_new(a, "destructiveHint",
			    json_boolean(tool->flags & TOOL_DESTRUCTIVE));
	json_object_set_new(a, "idempotentHint",
			    json_boolean(tool->flags & TOOL_IDEMPOTENT));
	json_object_set_new(a, "openWorldHint",
			    json_boolean(tool->flags & TOOL_OPEN_WORLD));
	return a;
}

static int build_entry(entry *e, const tool_def *tool, errinfo *err)
{
	json_error_t jerr;
	json_t *output = NULL;

	e->tool = tool;
	if (!name_is_valid(tool->name))
		return errinfo_set(err, ERR_INVAL, "tool name '%s' is not valid",
				   tool->name ? tool->name : "(null)");
	if (!tool->description || !tool->handler)
		return errinfo_set(err, ERR_INVAL, "tool %s: description and handler are required",
				   tool->name);
	e->input_schema = json_loads(tool->input_schema, 0, &jerr);
	if (!e->input_schema)
		return errinfo_set(err, ERR_INVAL, "tool %s: input schema is not JSON: %s",
				   tool->name, jerr.text);
	if (mcp_schema_check(e->input_schema, err) < 0)
		return errinfo_set(err, ERR_INVAL, "tool %s: input schema", tool->name);
	if (tool->output_schema) {
		output = json_loads(tool->output_schema, 0, &jerr);
		if (!output || mcp_schema_check(output, err) < 0) {
			json_decref(output);
			return errinfo_set(err, ERR_INVAL, "tool %s: output schema is not valid",
					   tool->name);
		}
	}
	e->listing = json_object();
	json_object_set_new(e->listing, "name", json_string(tool->name));
	if (tool->title)
		json_object_set_new(e->listing, "title", json_string(tool->title));
	json_object_set_new(e->listing, "description", json_string(tool->description));
	json_object_set(e->listing, "inputSchema", e->input_schema);
	if (output)
		json_object_set_new(e->listing, "outputSchema", output);
	json_object_set_new(e->listing, "annotations", annotations(tool));
	return 0;
}

int mcp_registry_new(mcp_registry **out, const toolset *const *sets,
		     size_t nsets, errinfo *err)
{
	mcp_registry *reg;
	size_t total = 0, i, j, k;

	*out = NULL;
	for (i = 0; i < nsets; i++)
		total += sets[i]->count;
	reg = calloc(1, sizeof(*reg));
	if (!reg || !(reg->entries = calloc(total ? total : 1, sizeof(entry)))) {
		free(reg);
		return errinfo_set(err, ERR_NOMEM, "out of memory building the tool registry");
	}
	for (i = 0; i < nsets; i++) {
		for (j = 0; j < sets[i]->count; j++) {
			const tool_def *tool = &sets[i]->tools[j];

			for (k = 0; k < reg->count; k++)
				if (strcmp(reg->entries[k].tool->name, tool->name) == 0) {
					mcp_registry_free(reg);
					return errinfo_set(err, ERR_INVAL,
							   "tool %s is registered twice", tool->name);
				}
			if (build_entry(&reg->entries[reg->count++], tool, err) < 0) {
				mcp_registry_free(reg);
				return err->code;
			}
		}
	}
	*out = reg;
	return 0;
}

void mcp_registry_free(mcp_registry *reg)
{
	size_t i;

	if (!reg)
		return;
	for (i = 0; i < reg->count; i++) {
		json_decref(reg->entries[i].input_schema);
		json_decref(reg->entries[i].listing);
	}
	free(reg->entries);
	free(reg);
}

size_t mcp_registry_count(const mcp_registry *reg)
{
	return reg ? reg->count : 0;
}

static const entry *find_entry(const mcp_registry *reg, const tool_def *tool)
{
	size_t i;

	for (i = 0; i < reg->count; i++)
		if (reg->entries[i].tool == tool)
			return &reg->entries[i];
	return NULL;
}

json_t *mcp_registry_names(const mcp_registry *reg)
{
	json_t *names = json_array();
	size_t i;

	for (i = 0; i < reg->count; i++)
		json_array_append_new(names, json_string(reg->entries[i].tool->name));
	return names;
}

const tool_def *mcp_registry_find(const mcp_registry *reg, const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < reg->count; i++)
		if (strcmp(reg->entries[i].tool->name, name) == 0)
			return reg->entries[i].tool;
	return NULL;
}

const json_t *mcp_registry_entry(const mcp_registry *reg, const tool_def *tool)
{
	const entry *e = find_entry(reg, tool);

	return e ? e->listing : NULL;
}

/* Cursors are opaque to clients; ours is "t" + the offset of the next page,
 * which is enough because the registry never changes while we run. */
int mcp_registry_list(json_t **out, const mcp_registry *reg,
		      const char *cursor, size_t page_size, errinfo *err)
{
	size_t start = 0, i;
	json_t *tools, *result;
	char next[32], *end;

	*out = NULL;
	if (cursor) {
		unsigned long v;

		if (cursor[0] != 't' || !cursor[1])
			return errinfo_set(err, ERR_INVAL, "cursor: not a cursor this server issued");
		v = strtoul(cursor + 1, &end, 10);
		if (*end || v > reg->count)
			return errinfo_set(err, ERR_INVAL, "cursor: not a cursor this server issued");
		start = v;
	}
	if (page_size == 0)
		page_size = reg->count ? reg->count : 1;
	tools = json_array();
	for (i = start; i < reg->count && i < start + page_size; i++)
		json_array_append(tools, reg->entries[i].listing);
	result = json_object();
	json_object_set_new(result, "tools", tools);
	if (i < reg->count) {
		snprintf(next, sizeof(next), "t%zu", i);
		json_object_set_new(result, "nextCursor", json_string(next));
	}
	*out = result;
	return 0;
}

int mcp_registry_check_args(const mcp_registry *reg, const tool_def *tool,
			    const json_t *args, errinfo *err)
{
	const entry *e = find_entry(reg, tool);
	json_t *empty = NULL;
	int error;

	if (!e)
		return errinfo_set(err, ERR_INVAL, "unknown tool");
	if (!args)
		args = empty = json_object();
	error = mcp_schema_validate(e->input_schema, args, err);
	json_decref(empty);
	return error;
}
