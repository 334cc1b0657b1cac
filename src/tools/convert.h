/* convert.h - turning tool arguments into EWS request values and EWS
 * answers into tool results: times, recipients, bodies, attachments.
 * Shared by the tool families so each says only what its tool does.
 */
#ifndef INCLUDE_tools_convert_h__
#define INCLUDE_tools_convert_h__

#include <jansson.h>
#include <stdint.h>

#include "core/errinfo.h"
#include "soap/types.h"
#include "tools/context.h"

/* UTC seconds as the xs:dateTime EWS wants ("2025-12-15T09:00:00Z") in a
 * caller buffer of at least 32 bytes. */
void tools_time_utc(char *out, size_t cap, int64_t utc);

/* An Exchange time (ISO 8601; with Z, an offset, or none = UTC) as local
 * time in TIMEZONE with its offset ("2025-12-15T10:00:00+01:00"). Returns
 * a new JSON string; the original text when it cannot be read. */
json_t *tools_time_local(const char *exchange_time, const cfg *conf);

/* Rewrites the named time fields of obj (in place) to local time. */
void tools_localize_times(json_t *obj, const cfg *conf, const char *const *fields);

/* A JSON array of address strings as soap_mailbox values; *out is a new
 * array (free() it) pointing into list's strings. */
int tools_mailboxes(soap_mailbox **out, size_t *n, const json_t *list, errinfo *err);

/* The body as EWS wants it, from body + body_format (html | markdown |
 * text; html with no tag in it is sent as text). *out is a new string
 * (free() it); *body_type "HTML" or "Text". */
int tools_body(char **out, const char **body_type, const char *body,
	       const char *body_format, errinfo *err);

/* Attachments from "inline_attachments" (base64 objects) and "attachments"
 * (file paths, read only inside EWS_ATTACHMENT_DIR). Fills a new array of
 * soap_file_attachment; tools_attachments_free releases it. */
typedef struct tools_attachments {
	soap_file_attachment *items;
	size_t count;
	size_t total_bytes;
} tools_attachments;

int tools_attachments_load(tools_attachments *out, const json_t *args,
			   const tools_ctx *ctx, errinfo *err);
void tools_attachments_free(tools_attachments *a);

/* A short plain-text preview of a body (HTML tags dropped), at most max
 * characters. New string. */
json_t *tools_preview(const char *body, size_t max);

#endif
