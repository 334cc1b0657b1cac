/* props.h - the item property model of ews-sim.
 *
 * An item's EWS properties live in one JSON object keyed by the element
 * name (Subject, Body, ToRecipients, Start, EmailAddresses...). One table
 * per schema type (ItemType, MessageType, CalendarItemType, ...) lists the
 * properties in xs:sequence order with their FieldURI and value type;
 * the same tables read request XML into JSON (CreateItem, UpdateItem),
 * write JSON back as schema-ordered XML for a response shape (GetItem,
 * FindItem), and map a FieldURI to a value (restrictions, sorting).
 *
 * JSON forms: strings; booleans; integers; dates as epoch seconds;
 * Body {"type": "HTML"|"Text", "text"}; a mailbox {"name", "email"};
 * recipient lists [mailbox...]; attendees [{"name","email","response"}];
 * string arrays; dictionaries {"EmailAddress1": "..."}; physical addresses
 * {"Business": {"Street",...}}; time zones as the Id string; item id
 * references {"id", "ck"}.
 */
#ifndef INCLUDE_sim_props_h__
#define INCLUDE_sim_props_h__

#include <jansson.h>
#include <libxml/tree.h>

#include "core/buf.h"
#include "sim/org.h"
#include "sim/store.h"
#include "sim/util.h"

typedef enum sim_ptype {
	PT_STR, PT_BOOL, PT_INT, PT_DOUBLE, PT_DATE, PT_BODY, PT_MBX, PT_MBXS,
	PT_ATTENDEES, PT_STRS, PT_DICT, PT_ADDRS, PT_TZ, PT_IDREF, PT_SPECIAL
} sim_ptype;

#define P_DEFAULT 0x1u   /* in the Default shape */
#define P_NOFIND  0x2u   /* never returned by FindItem shapes */
#define P_RO      0x4u   /* computed; ignored when a client sets it */

typedef struct sim_prop {
	const char *elem;    /* element local name and JSON key */
	const char *uri;     /* FieldURI ("item:Subject") */
	sim_ptype type;
	unsigned flags;
	const char *iuri;    /* IndexedFieldURI name, or NULL */
} sim_prop;

typedef enum sim_base_shape {
	SIM_SHAPE_IDONLY = 0,
	SIM_SHAPE_DEFAULT,
	SIM_SHAPE_ALL
} sim_base_shape;

typedef enum sim_body_type {
	SIM_BODY_BEST = 0,
	SIM_BODY_HTML,
	SIM_BODY_TEXT
} sim_body_type;

#define SIM_SHAPE_EXTRA_MAX 64

typedef struct sim_shape {
	sim_base_shape base;
	sim_body_type body;
	int mime;                /* IncludeMimeContent */
	int for_find;            /* FindItem: no bodies, no recipient lists */
	char *extra[SIM_SHAPE_EXTRA_MAX];   /* requested FieldURIs (heap) */
	size_t nextra;
} sim_shape;

/* Reads an ItemShape/AttachmentShape element (NULL: IdOnly). 0, or -1
 * with st set (unknown BaseShape, bad boolean...). */
int sim_shape_parse(sim_shape *out, const xmlNode *shape, int for_find,
		    sim_status *st);
void sim_shape_dispose(sim_shape *s);
/* 1 if the shape asks for the property with this FieldURI. */
int sim_shape_wants_uri(const sim_shape *s, const char *uri);

/* The XML element name of an item kind ("Message" -> "Message"). Kinds:
 * Message, CalendarItem, Contact, Task, MeetingRequest, MeetingResponse,
 * MeetingCancellation, Item. NULL for an unknown kind. */
int sim_kind_valid(const char *kind);

/* Finds a property of a kind by element name or by FieldURI. */
const sim_prop *sim_prop_by_elem(const char *kind, const char *elem);
/* (NULL for a NULL uri: a path element without its FieldURI.) */
const sim_prop *sim_prop_by_uri(const char *kind, const char *uri);
/* Any kind: the first property with this FieldURI (restrictions on a
 * folder of mixed kinds). */
const sim_prop *sim_prop_any_uri(const char *uri);

/* Reads the children of an item element (t:Message, t:CalendarItem, ...)
 * into props (replacing keys it sets). Unknown but schema-valid elements
 * are skipped. A dateTime without a zone is a wall time of zone (NULL:
 * UTC; the request's TimeZoneContext), except that a calendar item's
 * Start and ReminderDueBy follow its StartTimeZone and its End its
 * EndTimeZone when it has them. 0, or -1 with st set for an unreadable
 * value (ErrorTimeZone for a time zone id the sim does not know). */
int sim_props_read(json_t *props, const char *kind, const xmlNode *item,
		   const tz_zone *zone, sim_status *st);
/* Reads one property value element (SetItemField's inner child) into
 * props[prop->elem], dateTimes without a zone in zone. 0 or -1. */
int sim_prop_read_value(json_t *props, const sim_prop *p, const xmlNode *el,
			const tz_zone *zone, sim_status *st);

/* What the writer needs besides the item. */
typedef struct sim_wctx {
	const sim_org *org;
	const sim_shape *shape;
	const sim_attachment *atts;   /* for item:Attachments */
	size_t natts;
	int with_parent;              /* write ParentFolderId */
} sim_wctx;

/* Writes <t:KIND> with ItemId and the shape's properties, in schema
 * order. Returns -1 when a value cannot be written as XML. */
int sim_item_write(buf *b, const sim_item *it, const sim_wctx *wc);
/* Writes one mailbox as t:Mailbox (EmailAddressType). */
void sim_write_mailbox(buf *b, const sim_org *org, const char *elem,
		       const json_t *mbx);

/* Text of the body (HTML tags stripped when the body is HTML); heap. */
char *sim_body_text(const json_t *props);
/* A mailbox JSON object {"name","email"} (new reference). */
json_t *sim_mbx_new(const char *name, const char *email);

#endif
