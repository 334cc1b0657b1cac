/* util.h - small helpers shared by the sim's modules: reading request XML
 * by local name (clients use any namespace prefix), xs:boolean and
 * xs:dateTime in every form clients send, and per-message EWS status
 * (response code + message text).
 */
#ifndef INCLUDE_sim_util_h__
#define INCLUDE_sim_util_h__

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "core/tz.h"

/* First element child of parent with this local name (NULL: any). */
xmlNode *sim_x_child(const xmlNode *parent, const char *local);
/* Next element sibling after n with this local name (NULL: any). */
xmlNode *sim_x_next(const xmlNode *n, const char *local);
/* 1 if n is an element with this local name. */
int sim_x_is(const xmlNode *n, const char *local);
/* Text content, whitespace-trimmed (heap, free()); "" when empty, NULL on
 * no memory. */
char *sim_x_text(const xmlNode *n);
/* Attribute value (heap, free()), or NULL when absent. */
char *sim_x_attr(const xmlNode *n, const char *name);
/* Text of the first child with this local name (heap) or NULL. */
char *sim_x_child_text(const xmlNode *parent, const char *local);

/* xs:boolean: "true"/"false"/"1"/"0" with surrounding whitespace.
 * 0 and *out, or -1. */
int sim_parse_bool(const char *s, int *out);
/* xs:dateTime ("2024-05-01T08:00:00", fractions, "Z" or +hh:mm) to epoch
 * seconds; a value without a zone is UTC. 0 or -1. */
int sim_time_parse(const char *s, int64_t *out);
/* The same, but a value without a zone is a wall time in zone (NULL:
 * UTC), as Exchange reads such values under a TimeZoneContext. */
int sim_time_parse_in(const char *s, const tz_zone *zone, int64_t *out);
/* The same as sim_time_parse, and *has_zone says whether the text carried
 * Z or an offset (without one, *out is the wall time as local seconds). */
int sim_time_parse_ex(const char *s, int64_t *out, int *has_zone);
/* "2024-05-01T08:00:00Z" (out: 32 bytes). */
void sim_time_format(char *out, int64_t t);
/* Current time (seconds), overridable for tests via SIM_FAKE_NOW? No: the
 * sim's clock is real time. */
int64_t sim_now(void);

/* Case-insensitive substring search. */
const char *sim_strcasestr(const char *hay, const char *needle);

/* Per-message status: code NULL means NoError. */
typedef struct sim_status {
	const char *code;
	char text[512];
	int warning;          /* ResponseClass="Warning" instead of Error */
	long backoff_ms;      /* ErrorServerBusy */
	long line;            /* ErrorSchemaValidation: line of the element, 0 if unknown */
	char violation[256];  /* ErrorSchemaValidation: what is wrong (schema.h) */
} sim_status;

/* Sets code with Exchange's standard message text for it; returns -1 so
 * handlers can `return sim_fail(st, "ErrorItemNotFound");`. First wins. */
int sim_fail(sim_status *st, const char *code);
/* Sets code with a specific text. */
int sim_failf(sim_status *st, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Exchange's message text for a code ("" if the sim knows none). */
const char *sim_code_text(const char *code);

#endif
