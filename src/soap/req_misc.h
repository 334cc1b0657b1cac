/* req_misc.h - request builders for the remaining operations.
 *
 * ResolveNames, FindPeople, ExpandDL, GetAttachment, CreateAttachment,
 * DeleteAttachment, GetInboxRules, UpdateInboxRules, SyncFolderItems,
 * GetServerTimeZones and ConvertId. Same contract as req_items.h: append
 * one envelope to out, 0 or ERR_INVAL (field named, out restored) /
 * ERR_NOMEM; h may be NULL. Under app-only OAuth every one of these needs
 * the impersonation header too (ews-protocol.md section 3.5): the caller
 * sets h->impersonate, the builders do not care which operation it is.
 */
#ifndef INCLUDE_soap_req_misc_h__
#define INCLUDE_soap_req_misc_h__

#include "core/buf.h"
#include "core/errinfo.h"
#include "soap/envelope.h"
#include "soap/types.h"

/* ---- ResolveNames ------------------------------------------------------ */

/* entry: the name or address fragment to resolve (required, non-empty).
 * full_contact_data: ReturnFullContactData (required attribute).
 * search_scope: "ActiveDirectory" | "ActiveDirectoryContacts" |
 *   "Contacts" | "ContactsActiveDirectory"; NULL = not sent (server
 *   default ActiveDirectoryContacts).
 * contact_data_shape: "IdOnly" | "Default" | "AllProperties" (2010 SP2+);
 *   NULL = not sent.
 * folders: optional ParentFolderIds (e.g. a principal's contacts). */
typedef struct soap_resolve_names_args {
	const char *entry;
	int full_contact_data;
	const char *search_scope;
	const char *contact_data_shape;
	const soap_folder_ref *folders;
	size_t nfolders;
} soap_resolve_names_args;

int soap_resolve_names_request(buf *out, const soap_header *h,
			       const soap_resolve_names_args *a, errinfo *err);

/* ---- FindPeople (Exchange 2013+) --------------------------------------- */

/* shape: persona shape (fields like "persona:DisplayName",
 *   "persona:EmailAddress"; body_type/include_mime unset).
 * max_entries (> 0) / offset (>= 0): the required IndexedPageItemView.
 * folder: ParentFolderId, e.g. distinguished "directory" (the GAL) or
 *   "contacts"; NULL = not sent.
 * query: QueryString; NULL = none. No Traversal attribute is sent: the
 *   schema has none (exchangelib's does not validate). */
typedef struct soap_find_people_args {
	soap_shape shape;
	int max_entries;
	int offset;
	const soap_folder_ref *folder;
	const char *query;
} soap_find_people_args;

int soap_find_people_request(buf *out, const soap_header *h,
			     const soap_find_people_args *a, errinfo *err);

/* ---- ExpandDL ---------------------------------------------------------- */

/* email: the distribution list's SMTP address (required). */
typedef struct soap_expand_dl_args {
	const char *email;
} soap_expand_dl_args;

int soap_expand_dl_request(buf *out, const soap_header *h,
			   const soap_expand_dl_args *a, errinfo *err);

/* ---- Attachments ------------------------------------------------------- */

/* ids: attachment ids (soap_item_ref.id; change_key unused), 1..
 *   SOAP_BATCH_MAX. body_type / include_mime apply to item attachments;
 *   NULL / SOAP_UNSET = no AttachmentShape element. */
typedef struct soap_get_attachment_args {
	const char *const *ids;
	size_t nids;
	const char *body_type;
	soap_tristate include_mime;
} soap_get_attachment_args;

int soap_get_attachment_request(buf *out, const soap_header *h,
				const soap_get_attachment_args *a,
				errinfo *err);

/* parent: the item to attach to (its ChangeKey, if given, must be
 * current). files: 1..SOAP_BATCH_MAX files. The response carries the
 * parent's new ChangeKey (RootItemChangeKey): use it for the next write. */
typedef struct soap_create_attachment_args {
	soap_item_ref parent;
	const soap_file_attachment *files;
	size_t nfiles;
} soap_create_attachment_args;

int soap_create_attachment_request(buf *out, const soap_header *h,
				   const soap_create_attachment_args *a,
				   errinfo *err);

typedef struct soap_delete_attachment_args {
	const char *const *ids;
	size_t nids;
} soap_delete_attachment_args;

int soap_delete_attachment_request(buf *out, const soap_header *h,
				   const soap_delete_attachment_args *a,
				   errinfo *err);

/* ---- Inbox rules (Exchange 2010 SP1+) ---------------------------------- */

/* mailbox: m:MailboxSmtpAddress; NULL = the caller's (or impersonated
 * user's) own mailbox. */
typedef struct soap_get_inbox_rules_args {
	const char *mailbox;
} soap_get_inbox_rules_args;

int soap_get_inbox_rules_request(buf *out, const soap_header *h,
				 const soap_get_inbox_rules_args *a,
				 errinfo *err);

/* The rule conditions the writer supports (t:RulePredicatesType subset,
 * written in schema order). Unset members are left out. */
typedef struct soap_rule_predicates {
	const char *const *contains_body;      /* ContainsBodyStrings */
	size_t ncontains_body;
	const char *const *contains_sender;    /* ContainsSenderStrings */
	size_t ncontains_sender;
	const char *const *contains_subject;   /* ContainsSubjectStrings */
	size_t ncontains_subject;
	const soap_mailbox *from;              /* FromAddresses */
	size_t nfrom;
	soap_tristate has_attachments;
	const char *importance;                /* Low | Normal | High */
	const soap_mailbox *sent_to;           /* SentToAddresses */
	size_t nsent_to;
	soap_tristate sent_to_me;
} soap_rule_predicates;

/* The rule actions the writer supports (t:RuleActionsType subset). */
typedef struct soap_rule_actions {
	const char *const *assign_categories;
	size_t nassign_categories;
	const soap_folder_ref *copy_to_folder;
	soap_tristate delete_item;             /* Delete */
	const soap_mailbox *forward_to;        /* ForwardToRecipients */
	size_t nforward_to;
	const char *mark_importance;
	soap_tristate mark_as_read;
	const soap_folder_ref *move_to_folder;
	soap_tristate stop_processing;         /* StopProcessingRules */
} soap_rule_actions;

typedef enum soap_rule_op_kind {
	SOAP_RULE_CREATE = 0,    /* CreateRuleOperation: rule_id must be NULL */
	SOAP_RULE_SET,           /* SetRuleOperation: rule_id required */
	SOAP_RULE_DELETE         /* DeleteRuleOperation: only rule_id */
} soap_rule_op_kind;

/* One rule operation. display_name is required for create/set; priority
 * >= 1; conditions/exceptions may be NULL; actions is required for
 * create/set. */
typedef struct soap_rule_op {
	soap_rule_op_kind kind;
	const char *rule_id;
	const char *display_name;
	int priority;
	int is_enabled;
	const soap_rule_predicates *conditions;
	const soap_rule_predicates *exceptions;
	const soap_rule_actions *actions;
} soap_rule_op;

/* remove_outlook_blob: RemoveOutlookRuleBlob (needed when Outlook
 * client-only rules exist). ops: 1..SOAP_BATCH_MAX operations. */
typedef struct soap_update_inbox_rules_args {
	const char *mailbox;
	soap_tristate remove_outlook_blob;
	const soap_rule_op *ops;
	size_t nops;
} soap_update_inbox_rules_args;

int soap_update_inbox_rules_request(buf *out, const soap_header *h,
				    const soap_update_inbox_rules_args *a,
				    errinfo *err);

/* ---- SyncFolderItems --------------------------------------------------- */

/* sync_state: the state of the previous call; NULL on the first call.
 * ignore: item ids to skip; max_changes 1..512 (required).
 * scope: "NormalItems" | "NormalAndAssociatedItems"; NULL = not sent. */
typedef struct soap_sync_folder_items_args {
	soap_shape shape;
	soap_folder_ref folder;
	const char *sync_state;
	const soap_item_ref *ignore;
	size_t nignore;
	int max_changes;
	const char *scope;
} soap_sync_folder_items_args;

int soap_sync_folder_items_request(buf *out, const soap_header *h,
				   const soap_sync_folder_items_args *a,
				   errinfo *err);

/* ---- GetServerTimeZones ------------------------------------------------ */

/* ids: Windows zone ids to return; none = all zones. full: ReturnFull-
 * TimeZoneData (periods and transitions). */
typedef struct soap_get_server_time_zones_args {
	const char *const *ids;
	size_t nids;
	int full;
} soap_get_server_time_zones_args;

int soap_get_server_time_zones_request(buf *out, const soap_header *h,
				       const soap_get_server_time_zones_args *a,
				       errinfo *err);

/* ---- ConvertId --------------------------------------------------------- */

/* format: t:IdFormatType ("EwsLegacyId" | "EwsId" | "EntryId" |
 * "HexEntryId" | "StoreId" | "OwaId"); mailbox: the owner's SMTP
 * (required by the schema). */
typedef struct soap_alternate_id {
	const char *id;
	const char *format;
	const char *mailbox;
} soap_alternate_id;

/* destination_format: IdFormatType of the result (required).
 * ids: 1..SOAP_BATCH_MAX source ids. */
typedef struct soap_convert_id_args {
	const char *destination_format;
	const soap_alternate_id *ids;
	size_t nids;
} soap_convert_id_args;

int soap_convert_id_request(buf *out, const soap_header *h,
			    const soap_convert_id_args *a, errinfo *err);

#endif
