/* ids.h - writers for folder ids, item ids and mailbox elements.
 *
 * Shared by all request builders: t:DistinguishedFolderId (with the
 * optional t:Mailbox of delegate access) / t:FolderId, t:ItemId with an
 * optional ChangeKey, and t:Mailbox recipient elements. Every function
 * takes `field`, the name used in error messages ("parent_folder",
 * "item_ids[3]"), so a caller learns exactly which value was wrong.
 */
#ifndef INCLUDE_soap_ids_h__
#define INCLUDE_soap_ids_h__

#include "core/buf.h"
#include "core/errinfo.h"
#include "soap/types.h"

/** Non-zero if name is a value of t:DistinguishedFolderIdNameType. */
int soap_distinguished_folder_is_valid(const char *name);

/**
 * Appends the folder reference f as t:DistinguishedFolderId (plus
 * t:Mailbox/t:EmailAddress when f->mailbox is set) or t:FolderId.
 * @return 0, or ERR_INVAL naming field (neither or both of distinguished/id,
 *         unknown distinguished name, empty id, text XML cannot carry).
 */
int soap_put_folder_ref(buf *b, const soap_folder_ref *f, const char *field,
			errinfo *err);

/**
 * Appends <elem Id=".." ChangeKey=".."/> for an item id. elem is the
 * qualified element name: "t:ItemId", "t:ReferenceItemId",
 * "m:ParentItemId", "t:AttachmentId" ...
 * @return 0, or ERR_INVAL naming field (missing/empty id, bad text).
 */
int soap_put_item_ref(buf *b, const char *elem, const soap_item_ref *r,
		      const char *field, errinfo *err);

/**
 * Appends t:Mailbox with t:Name (optional) and t:EmailAddress.
 * @return 0, or ERR_INVAL naming field (missing email, bad text).
 */
int soap_put_mailbox(buf *b, const soap_mailbox *m, const char *field,
		     errinfo *err);

/**
 * Appends <elem> with one t:Mailbox per entry (ToRecipients, CcRecipients,
 * ReplyTo ...); nothing at all when n is 0.
 * @return 0, or ERR_INVAL naming the entry ("to[2]: ...").
 */
int soap_put_mailbox_list(buf *b, const char *elem, const soap_mailbox *v,
			  size_t n, const char *field, errinfo *err);

#endif
