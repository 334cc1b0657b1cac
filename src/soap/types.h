/* types.h - plain data types shared by the SOAP request builders.
 *
 * These structs only describe what a caller wants on the wire; they own
 * nothing (every pointer is borrowed for the duration of one builder call)
 * and are meant to be filled with designated initialisers: a zeroed field
 * always means "not given", so `soap_mailbox m = { .email = addr };` is a
 * complete value. EWS enumeration values (dispositions, shapes, body types,
 * statuses ...) are passed as the schema's own strings ("SendAndSaveCopy",
 * "IdOnly", "HTML"); the builders check them against the schema's list and
 * fail with ERR_INVAL naming the field, so a tool can pass user input
 * through unchanged and still get a precise error.
 */
#ifndef INCLUDE_soap_types_h__
#define INCLUDE_soap_types_h__

#include <stddef.h>

/* Most ids, mailboxes and recipients one request may carry. EWS throttles a
 * batch item by item and stops a request after about a minute, so larger
 * batches are the caller's to split (exchangelib uses the same chunk). */
#define SOAP_BATCH_MAX 100

/* An optional boolean: zero-initialised means "leave the element out". */
typedef enum soap_tristate {
	SOAP_UNSET = 0,
	SOAP_FALSE = 1,
	SOAP_TRUE = 2
} soap_tristate;

/* A person or mailbox (t:Mailbox, t:EmailAddressType). email is required
 * wherever a soap_mailbox is written; name is an optional display name. */
typedef struct soap_mailbox {
	const char *name;
	const char *email;
} soap_mailbox;

/* An item (t:ItemId): Id is required, ChangeKey optional. Writes need the
 * current ChangeKey; reads do not. */
typedef struct soap_item_ref {
	const char *id;
	const char *change_key;
} soap_item_ref;

/* A folder: either a distinguished folder by name ("inbox", "sentitems",
 * "drafts", "deleteditems", "junkemail", "calendar", "contacts", "tasks",
 * "root", "msgfolderroot", "archivemsgfolderroot", ... - any value of the
 * schema's t:DistinguishedFolderIdNameType), or a folder id with an
 * optional change key. Exactly one of distinguished / id must be set.
 * mailbox (SMTP) names the owning mailbox of a distinguished folder
 * (t:DistinguishedFolderId/t:Mailbox, delegate access; harmless otherwise,
 * see ews-protocol.md section 4.1); it is ignored for folder ids, which
 * already encode their mailbox, and for "publicfoldersroot", which
 * Exchange refuses with a mailbox. */
typedef struct soap_folder_ref {
	const char *distinguished;
	const char *id;
	const char *change_key;
	const char *mailbox;
} soap_folder_ref;

/* The item or folder shape of a Find/Get request.
 * base:        "IdOnly" | "Default" | "AllProperties"; NULL = "IdOnly".
 * body_type:   "Best" | "HTML" | "Text"; NULL = not sent (items only).
 * include_mime: IncludeMimeContent (items only).
 * fields:      AdditionalProperties as FieldURI values ("item:Subject",
 *              "message:IsRead", "folder:TotalCount", ...). */
typedef struct soap_shape {
	const char *base;
	const char *body_type;
	soap_tristate include_mime;
	const char *const *fields;
	size_t nfields;
} soap_shape;

/* A file to attach (t:FileAttachment). data/len are the raw bytes; the
 * writer base64-encodes them into t:Content. content_type defaults to
 * nothing (Exchange guesses); content_id is for inline images. */
typedef struct soap_file_attachment {
	const char *name;
	const char *content_type;
	const char *content_id;
	soap_tristate is_inline;
	const unsigned char *data;
	size_t len;
} soap_file_attachment;

/* One sort key (t:FieldOrder): FieldURI plus direction. */
typedef struct soap_sort {
	const char *field;
	int descending;
} soap_sort;

/* Restriction (search filter) tree node, see query.h. */
typedef enum soap_restriction_op {
	SOAP_R_AND,          /* all children */
	SOAP_R_OR,           /* any child */
	SOAP_R_NOT,          /* exactly one child */
	SOAP_R_EQ,           /* IsEqualTo: field == value */
	SOAP_R_NE,           /* IsNotEqualTo */
	SOAP_R_GT,           /* IsGreaterThan */
	SOAP_R_GE,           /* IsGreaterThanOrEqualTo */
	SOAP_R_LT,           /* IsLessThan */
	SOAP_R_LE,           /* IsLessThanOrEqualTo */
	SOAP_R_CONTAINS,     /* Contains: value inside field */
	SOAP_R_EXISTS        /* Exists: field is set */
} soap_restriction_op;

/* A restriction node. Leaves use field (a FieldURI such as "item:Subject";
 * with field_index set it becomes an IndexedFieldURI, e.g.
 * "contacts:EmailAddress" + "EmailAddress1") and value (the constant; not
 * used by Exists). Contains also takes containment_mode (FullString |
 * Prefixed | Substring | PrefixOnWords | ExactPhrase; NULL = Substring) and
 * containment_comparison (Exact | IgnoreCase | IgnoreNonSpacingCharacters |
 * Loose | IgnoreCaseAndNonSpacingCharacters | LooseAndIgnoreCase |
 * LooseAndIgnoreNonSpace | LooseAndIgnoreCaseAndIgnoreNonSpace;
 * NULL = IgnoreCase). And/Or take nchildren >= 1 nodes in children (a
 * contiguous array), Not exactly one. Trees deeper than
 * SOAP_RESTRICTION_DEPTH_MAX are refused. */
typedef struct soap_restriction {
	soap_restriction_op op;
	const char *field;
	const char *field_index;
	const char *value;
	const char *containment_mode;
	const char *containment_comparison;
	const struct soap_restriction *children;
	size_t nchildren;
} soap_restriction;

#define SOAP_RESTRICTION_DEPTH_MAX 16

#endif
