/* tooltable.c - see tooltable.h. */
#include "tooltable.h"

#include <stdio.h>
#include <stdlib.h>

#include "tools/families.h"

static int harmless(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	(void)err;
	tool_call_progress(call, 1, 2, "halfway");
	tool_call_log(call, LOG_LEVEL_INFO, "fuzz tool called");
	*out = json_pack("{s:b, s:O?}", "success", 1, "echo", (json_t *)args);
	return 0;
}

#define NFAMILIES 6

static tool_def *copies[NFAMILIES];
static toolset sets[NFAMILIES];
static mcp_registry *registry;

const mcp_registry *fuzz_tool_registry(void)
{
	const toolset *const real[NFAMILIES] = {
		&tools_mail, &tools_calendar, &tools_contacts, &tools_tasks,
		&tools_folders, &tools_oof,
	};
	const toolset *ptrs[NFAMILIES];
	errinfo err = ERRINFO_INIT;
	size_t f, i;

	if (registry)
		return registry;
	for (f = 0; f < NFAMILIES; f++) {
		copies[f] = calloc(real[f]->count, sizeof(tool_def));
		if (!copies[f])
			abort();
		for (i = 0; i < real[f]->count; i++) {
			copies[f][i] = real[f]->tools[i];
			copies[f][i].handler = harmless;
		}
		sets[f].tools = copies[f];
		sets[f].count = real[f]->count;
		ptrs[f] = &sets[f];
	}
	if (mcp_registry_new(&registry, ptrs, NFAMILIES, &err) < 0) {
		fprintf(stderr, "fuzz: the tool registry does not build: %s\n", err.msg);
		abort();
	}
	return registry;
}
