/* internal.h - helpers shared by the request builders of src/soap.
 *
 * Not part of the public API (soap.h does not include it); names carry
 * the double underscore of internal functions. Each helper that can fail
 * returns 0 or ERR_INVAL with err naming `field`, so builders chain them
 * with `if ((error = ...) < 0) goto cleanup;`.
 */
#ifndef INCLUDE_soap_internal_h__
#define INCLUDE_soap_internal_h__

#include <stddef.h>

#include "core/buf.h"
#include "core/errinfo.h"
#include "soap/envelope.h"
#include "soap/types.h"

/* Reports why text could not be escaped ("<field>: contains a control
 * character XML cannot carry" / "is not valid UTF-8"); returns ERR_INVAL. */
int soap__text_error(errinfo *err, const char *field, const char *text);

/* Appends escaped text, failing with soap__text_error(). */
int soap__put_text(buf *b, const char *text, const char *field, errinfo *err);

/* <elem>text</elem> when text is non-NULL; nothing (0) when NULL. */
int soap__elem(buf *b, const char *elem, const char *text, const char *field,
	       errinfo *err);

/* Like soap__elem but text must be present and non-empty. */
int soap__elem_req(buf *b, const char *elem, const char *text,
		   const char *field, errinfo *err);

/* Appends ` name="value"` (value escaped). */
int soap__attr(buf *b, const char *name, const char *value, const char *field,
	       errinfo *err);

/* <elem>true|false</elem> for SOAP_TRUE/SOAP_FALSE, nothing for unset. */
void soap__bool(buf *b, const char *elem, soap_tristate v);

/* Fails unless value is one of the NULL-terminated list `allowed`; the
 * message lists the allowed values. value NULL counts as missing. */
int soap__enum(const char *value, const char *const *allowed,
	       const char *field, errinfo *err);

/* Fails unless value is a non-empty string. */
int soap__required(const char *value, const char *field, errinfo *err);

/* Fails unless v is an xs:dateTime ("2024-05-02T08:00:00Z", fraction and
 * offset optional). *epoch (may be NULL) gets seconds since 1970 UTC
 * (a value without a zone is read as UTC). */
int soap__datetime(const char *v, const char *field, long long *epoch,
		   errinfo *err);

/* Fails if both times are set and end is before start. */
int soap__time_range(const char *start, const char *end, const char *field,
		     errinfo *err);

/* Fails if n is 0 or above max ("<field>: at most 100 entries, got 150"). */
int soap__count(size_t n, size_t max, const char *field, errinfo *err);

/* Request framing: begin remembers out's length in *mark and writes the
 * envelope head; finish closes it on success, or restores out to *mark on
 * failure, and returns error (or ERR_NOMEM when the buffer failed). */
int soap__request_begin(buf *out, size_t *mark, const soap_header *h,
			errinfo *err);
int soap__request_finish(buf *out, size_t mark, int error, const char *op,
			 errinfo *err);

/* <elem> holding 1..SOAP_BATCH_MAX folder references / t:ItemId ids. */
int soap__folder_list(buf *b, const char *elem, const soap_folder_ref *v,
		      size_t n, const char *field, errinfo *err);
int soap__item_list(buf *b, const char *elem, const soap_item_ref *v,
		    size_t n, const char *field, errinfo *err);

/* snprintf into a field-name buffer: names are for messages, so a name
 * longer than the buffer is cut short on purpose. */
void soap__fmt(char *dst, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "<base>[<i>]" into dst (size n), for naming list entries in errors. */
const char *soap__field_idx(char *dst, size_t n, const char *base, size_t i);

/* Common enumerations (NULL-terminated). */
extern const char *const soap__body_types[];       /* HTML Text */
extern const char *const soap__importances[];      /* Low Normal High */
extern const char *const soap__dispositions[];     /* SaveOnly ... */
extern const char *const soap__delete_types[];
extern const char *const soap__invitations[];      /* SendToNone ... */

#endif
