/* fixtures.h - the tools, resources and prompts the official MCP
 * conformance suite (@modelcontextprotocol/conformance) calls by name. */
#ifndef INCLUDE_fixtures_h__
#define INCLUDE_fixtures_h__

#include "mcp/catalog.h"
#include "tools/tool.h"

extern const toolset fixture_tools;
extern const mcp_catalog fixture_catalog;

#endif
