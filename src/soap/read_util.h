/* read_util.h - helpers shared by the response readers of src/soap.
 *
 * Internal (not in soap.h). Element lookups match on the local name only:
 * EWS responses put each element in its documented namespace, but the
 * readers should not fail on a server that declares prefixes oddly, and
 * names are unambiguous within one parent.
 */
#ifndef INCLUDE_soap_read_util_h__
#define INCLUDE_soap_read_util_h__

#include <jansson.h>
#include <libxml/tree.h>

#include "soap/reader.h"

/* Non-zero if n is an element with local name `local`. */
int soap__is(const xmlNode *n, const char *local);

/* First child element of n named `local`, or NULL. */
xmlNode *soap__child(const xmlNode *n, const char *local);

/* Next sibling element after n (any name), or NULL. */
xmlNode *soap__next_elem(const xmlNode *n);

/* First child element (any name), or NULL. */
xmlNode *soap__first_elem(const xmlNode *n);

/* Text content of n (caller xmlFree()s), or NULL for NULL n. */
xmlChar *soap__content(const xmlNode *n);

/* Attribute value (caller xmlFree()s), or NULL. */
xmlChar *soap__attr_get(const xmlNode *n, const char *name);

/* JSON setters from XML; each is a no-op when the source is absent and
 * returns -1 only when allocation fails. */
int soap__set_text(json_t *obj, const char *key, const xmlNode *n);
int soap__set_child_text(json_t *obj, const char *key, const xmlNode *parent,
			 const char *local);
int soap__set_child_bool(json_t *obj, const char *key, const xmlNode *parent,
			 const char *local);
int soap__set_child_int(json_t *obj, const char *key, const xmlNode *parent,
			const char *local);
int soap__set_attr_text(json_t *obj, const char *key, const xmlNode *n,
			const char *attr);
int soap__set_attr_bool(json_t *obj, const char *key, const xmlNode *n,
			const char *attr);
int soap__set_attr_int(json_t *obj, const char *key, const xmlNode *n,
		       const char *attr);

/* {name, email, routing_type?, mailbox_type?} from a t:Mailbox-like
 * element (EmailAddressType). NULL on allocation failure. */
json_t *soap__mailbox_json(const xmlNode *mailbox);

/* Array of soap__mailbox_json() for each t:Mailbox child of n. */
json_t *soap__mailbox_list_json(const xmlNode *n);

/* One attachment element (t:FileAttachment / t:ItemAttachment) without
 * its content: {kind, attachment_id, root_item_id?, root_item_change_key?,
 * name, content_type, content_id, size, last_modified, is_inline}.
 * Defined in read_items.c. */
json_t *soap__attachment_json(const xmlNode *a);

/* Checks that r is not a fault and has messages; ERR_PROTOCOL otherwise
 * (what names the operation). */
int soap__need_messages(const soap_response *r, const char *what, errinfo *err);

/* For single-answer readers: the first message, ERR_PROTOCOL if there is
 * none or it is an Error (err then carries its code and text). */
int soap__first_ok(const soap_msg **out, const soap_response *r, const char *what,
		   errinfo *err);

/* Appends v to arr (steals v); -1 if v is NULL or appending fails. */
int soap__append(json_t *arr, json_t *v);

/* Converts one element (an item, a folder) to a new JSON object. */
typedef int (*soap__element_fn)(json_t **out, const xmlNode *elem, errinfo *err);

/* The batch shape shared by the item and folder readers: an array with
 * one entry per response message, in order - the first element under the
 * message's container child ("Items", "Folders") converted by convert, {}
 * when the message carries none, or {"error": {...}} for an Error message.
 * what names the kind in messages ("items", "folders"). */
int soap__read_batch(json_t **out, const soap_response *r, const char *container,
		     soap__element_fn convert, const char *what, errinfo *err);

#endif
