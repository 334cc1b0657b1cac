/* delegate_hint.c - what to tell an admin when delegate access falls short.
 *
 * A delegate sees another mailbox only through folder permissions that
 * the owner granted, and Exchange's answers do not say which one is
 * missing: a folder the delegate may not read is "not found", a create
 * in a folder it may only read is "access denied". So a refusal under
 * delegate access is completed with the folder (read from the request we
 * built), the permission level the operation needs (Reviewer to read,
 * Author to create, Editor to change or delete, PublishingAuthor to add a
 * subfolder, send on behalf to send) and who grants it. In auto mode the
 * impersonation refusal that led to delegate access is added too.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ews/internal.h"

/* The permission level an operation needs in the folder it touches. */
static const struct {
	const char *op;
	const char *level;
	const char *to;
} needs[] = {
	{ "FindItem", "Reviewer", "to read it" },
	{ "GetItem", "Reviewer", "to read it" },
	{ "FindFolder", "Reviewer", "to read it" },
	{ "GetFolder", "Reviewer", "to read it" },
	{ "SyncFolderItems", "Reviewer", "to read it" },
	{ "GetAttachment", "Reviewer", "to read it" },
	{ "CreateItem", "Author", "to create items in it" },
	{ "CreateAttachment", "Editor", "to change its items" },
	{ "UpdateItem", "Editor", "to change its items" },
	{ "DeleteItem", "Editor", "to delete its items" },
	{ "DeleteAttachment", "Editor", "to change its items" },
	{ "MoveItem", "Editor", "to move its items" },
	{ "CopyItem", "Author", "to create items in it" },
	{ "CreateFolder", "PublishingAuthor", "to create folders in it" },
	{ "UpdateFolder", "Owner", "to change the folder" },
	{ "DeleteFolder", "Owner", "to delete the folder" },
	{ "MoveFolder", "Owner", "to move the folder" },
};

/* The folder names Outlook shows for distinguished folder ids. */
static const struct {
	const char *id;
	const char *name;
} folders[] = {
	{ "inbox", "Inbox" }, { "calendar", "Calendar" }, { "contacts", "Contacts" },
	{ "tasks", "Tasks" }, { "sentitems", "Sent Items" }, { "drafts", "Drafts" },
	{ "deleteditems", "Deleted Items" }, { "notes", "Notes" },
	{ "journal", "Journal" }, { "outbox", "Outbox" }, { "junkemail", "Junk Email" },
	{ "msgfolderroot", "Top of Information Store" },
};

static int is_delegate_refusal(const char *code)
{
	static const char *const codes[] = {
		"ErrorFolderNotFound", "ErrorAccessDenied", "ErrorItemNotFound",
		"ErrorSendAsDenied", "ErrorDelegateNoUser", "ErrorDelegateValidationFailed",
		NULL,
	};
	size_t i;

	for (i = 0; codes[i]; i++)
		if (strcmp(code, codes[i]) == 0)
			return 1;
	return 0;
}

/* The first distinguished folder the request names, as Outlook shows it;
 * NULL when it names folders by id only. Our own builder wrote the XML,
 * and text content is escaped, so the attribute cannot be spoofed. */
static const char *folder_of(const buf *req)
{
	const char *p = req && req->ptr ? strstr(req->ptr, "DistinguishedFolderId Id=\"") : NULL;
	size_t i, n;

	if (!p)
		return NULL;
	p += strlen("DistinguishedFolderId Id=\"");
	n = strcspn(p, "\"");
	for (i = 0; i < sizeof(folders) / sizeof(folders[0]); i++)
		if (strlen(folders[i].id) == n && strncmp(p, folders[i].id, n) == 0)
			return folders[i].name;
	return NULL;
}

static void append(errinfo *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void append(errinfo *err, const char *fmt, ...)
{
	size_t n = strlen(err->msg);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof(err->msg) - n, fmt, ap);
	va_end(ap);
}

void ews__delegate_hint(errinfo *err, const ews_ctx *ctx, const ews_call *call,
			const buf *req, int error)
{
	ews_mailbox *mb = ctx->mailbox;
	const char *owner = ews_mailbox_address(mb), *me = ctx->client->primary;
	const char *folder, *level = NULL, *to = NULL;
	char before[300];
	size_t i;

	if (!err || error >= 0 || mb->primary ||
	    ews_mailbox_access(mb) != EWS_ACCESS_DELEGATE ||
	    !is_delegate_refusal(err->ews_code) || strstr(err->msg, "grants it"))
		return;
	for (i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
		if (strcmp(call->op, needs[i].op) == 0) {
			level = needs[i].level;
			to = needs[i].to;
		}
	/* one sentence after Exchange's own text, however that ends */
	{
		size_t n = strlen(err->msg);

		while (n > 0 && (err->msg[n - 1] == '.' || err->msg[n - 1] == ' '))
			err->msg[--n] = '\0';
	}
	if (strcmp(err->ews_code, "ErrorSendAsDenied") == 0) {
		append(err, ". As a delegate of %s, %s needs the Send on Behalf "
		       "permission to send from that mailbox; the owner grants it in "
		       "Outlook (File > Account Settings > Delegate Access), or an "
		       "admin with Set-Mailbox %s -GrantSendOnBehalfTo @{add=\"%s\"}",
		       owner, me, owner, me);
	} else if (level) {
		folder = folder_of(req);
		append(err, ". As a delegate of %s, %s needs at least %s on ",
		       owner, me, level);
		if (folder)
			append(err, "the %s folder %s; the mailbox owner grants it in "
			       "Outlook (the folder's Properties > Permissions), or an admin "
			       "with Add-MailboxFolderPermission -Identity \"%s:\\%s\"",
			       folder, to, owner, folder);
		else
			append(err, "the folder of this item %s; the mailbox owner grants "
			       "it in Outlook (the folder's Properties > Permissions), or an "
			       "admin with Add-MailboxFolderPermission", to);
		append(err, " -User %s -AccessRights %s", me, level);
	}
	ews_mailbox__auto_refusal(mb, before, sizeof(before));
	if (before[0] && !strstr(err->msg, "impersonation was refused"))
		append(err, " (EWS_IMPERSONATION_TYPE=auto: impersonation was refused "
		       "too: %s)", before);
}
