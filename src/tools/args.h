/* args.h - reading tool arguments, each helper failing with a message that
 * names the field (redis's ...OrReply helpers).
 *
 * The MCP layer has already checked types against the tool's schema; these
 * helpers add what a schema cannot say: an address must be an address, a
 * time must exist in the configured zone, a path must stay in its folder.
 */
#ifndef INCLUDE_tools_args_h__
#define INCLUDE_tools_args_h__

#include <jansson.h>
#include <stdint.h>

#include "core/errinfo.h"

/* A string argument: *out borrowed from args, NULL when absent and not
 * required. Empty or blank strings count as absent. */
int tools_arg_str(const char **out, const json_t *args, const char *name,
		  int required, errinfo *err);

/* An integer argument, def when absent or null, checked against [min, max].
 * A number without a fraction (5.0) is an integer, as for the schema. */
int tools_arg_long(long *out, const json_t *args, const char *name, long def,
		   long min, long max, errinfo *err);

/* A boolean argument, def when absent. */
int tools_arg_bool(int *out, const json_t *args, const char *name, int def,
		   errinfo *err);

/* Longest address text taken, display name included. */
#define TOOLS_ADDRESS_TEXT_MAX 1000

/* One address as people and assistants write it: user@contoso.com,
 * Bob Brennan <bob@contoso.com>, "Brennan, Bob" <bob@contoso.com> or
 * <bob@contoso.com>. The display name is checked and dropped (Exchange
 * shows the directory's); the address is checked (no CR/LF anywhere, no
 * XML metacharacters, one @, a dotted domain) and written lower-cased to
 * out (cap at least EWS_ADDRESS_MAX + 1). 0, or ERR_INVAL naming field
 * and showing the text. */
int tools_address(char *out, size_t cap, const char *text, const char *field,
		  errinfo *err);

/* Email addresses from an array of strings, or one string with addresses
 * separated by commas or semicolons (outside quotes and angle brackets).
 * Each is read by tools_address; an error names the field and, for an
 * array, the index ("to[1]"). Duplicates are dropped ignoring case. *out
 * is a new array (caller decrefs), possibly empty when the argument is
 * absent and not required. */
int tools_arg_addresses(json_t **out, const json_t *args, const char *name,
			int required, errinfo *err);

/* A date-time argument as UTC seconds. Naive times ("2025-12-15T10:00:00")
 * are in the configured TIMEZONE, times with Z or an offset are exact, a
 * date alone is midnight (end_of_day: the following midnight, so a date-only
 * end is inclusive). *present is 0 when absent and not required. */
int tools_arg_time(int64_t *out, int *present, const json_t *args,
		   const char *name, const char *timezone, int end_of_day,
		   int required, errinfo *err);

#endif
