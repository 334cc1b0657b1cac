/* schema.c - fuzz target: tool-argument validation (src/mcp/schema.c and
 * registry.c's mcp_registry_check_args).
 *
 * Input, first line then the rest:
 *   TOOL_NAME\nJSON     JSON (any value) checked against that real tool's
 *                       input schema, as tools/call does with arguments,
 *                       and against its output schema, as a test checks a
 *                       result;
 *   $schema\nS I        an arbitrary schema S (a JSON value) and instance
 *                       I after it: S goes through mcp_schema_check(), and
 *                       only a schema that passes is used to validate I
 *                       (the registry never validates with an unchecked
 *                       schema).
 * Any other first line selects a tool by a hash of the line, so mutated
 * names still reach a schema.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mcp/registry.h"
#include "mcp/schema.h"
#include "tooltable.h"

/* As mcp_message_parse reads messages. */
#define LOAD_FLAGS (JSON_DECODE_ANY | JSON_REJECT_DUPLICATES)

static void validate_tool(const mcp_registry *reg, const tool_def *tool,
			  const char *text, size_t len)
{
	errinfo err = ERRINFO_INIT;
	const json_t *entry, *out_schema;
	json_t *args = json_loadb(text, len, LOAD_FLAGS, NULL);

	if (!args)
		return;
	mcp_registry_check_args(reg, tool, args, &err);
	entry = mcp_registry_entry(reg, tool);
	out_schema = json_object_get(entry, "outputSchema");
	if (out_schema) {
		errinfo e = ERRINFO_INIT;

		mcp_schema_validate(out_schema, args, &e);
	}
	json_decref(args);
}

static void validate_any(const char *text, size_t len)
{
	errinfo err = ERRINFO_INIT;
	json_error_t jerr;
	json_t *schema, *instance;
	size_t used;

	schema = json_loadb(text, len, LOAD_FLAGS | JSON_DISABLE_EOF_CHECK, &jerr);
	if (!schema)
		return;
	used = (size_t)jerr.position;
	if (used > len)
		used = len;
	instance = json_loadb(text + used, len - used, LOAD_FLAGS, NULL);
	if (mcp_schema_check(schema, &err) == 0 && instance) {
		errinfo e = ERRINFO_INIT;

		mcp_schema_validate(schema, instance, &e);
	}
	json_decref(instance);
	json_decref(schema);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const mcp_registry *reg = fuzz_tool_registry();
	const char *text = (const char *)data, *nl;
	const tool_def *tool;
	char name[160];
	size_t n, len;

	nl = memchr(text, '\n', size);
	if (!nl)
		return 0;
	n = (size_t)(nl - text);
	len = size - n - 1;
	if (n == 7 && memcmp(text, "$schema", 7) == 0) {
		validate_any(nl + 1, len);
		return 0;
	}
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, text, n);
	name[n] = '\0';
	tool = mcp_registry_find(reg, name);
	if (!tool) {
		json_t *names = mcp_registry_names(reg);
		size_t i, h = 5381, count = json_array_size(names);

		for (i = 0; i < n; i++)
			h = h * 33 + (unsigned char)name[i];
		if (count)
			tool = mcp_registry_find(reg, json_string_value(
				json_array_get(names, h % count)));
		json_decref(names);
	}
	if (tool)
		validate_tool(reg, tool, nl + 1, len);
	return 0;
}
