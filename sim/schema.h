/* schema.h - the part of EWS schema validation ews-sim does itself.
 *
 * Exchange validates a request against its schema before it runs any of
 * it, and answers a violation with a SOAP fault, ErrorSchemaValidation,
 * whose MessageXml carries the line and the violation (ews-protocol.md
 * §6.2). The sim does not carry Microsoft's schema; it checks what its
 * operations read and the schema requires, so a request that leaves such
 * a thing out is refused as Exchange refuses it, instead of being read
 * with a NULL where the sim expects a value.
 */
#ifndef INCLUDE_sim_schema_h__
#define INCLUDE_sim_schema_h__

#include <libxml/tree.h>

#include "sim/util.h"

/* Checks the operation element op (the child of soap:Body) and everything
 * under it: 0, or -1 with st set to ErrorSchemaValidation (text, line and
 * violation) for the first element that lacks a required attribute. */
int sim_schema_check(const xmlNode *op, sim_status *st);

/* Sets st to ErrorSchemaValidation for a violation found at element at
 * (NULL: no line known), worded as Exchange words them; returns -1. */
int sim_schema_fail(sim_status *st, const xmlNode *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
