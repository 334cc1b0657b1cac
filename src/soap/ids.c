/* ids.c - folder ids, item ids and mailbox elements (see ids.h). */
#include "soap/ids.h"

#include <stdio.h>
#include <string.h>

#include "soap/escape.h"
#include "soap/internal.h"

/* t:DistinguishedFolderIdNameType, in schema order. */
static const char *const distinguished_names[] = {
	"calendar", "contacts", "deleteditems", "drafts", "inbox", "journal",
	"notes", "outbox", "sentitems", "tasks", "msgfolderroot",
	"publicfoldersroot", "root", "junkemail", "searchfolders", "voicemail",
	"recoverableitemsroot", "recoverableitemsdeletions",
	"recoverableitemsversions", "recoverableitemspurges",
	"recoverableitemsdiscoveryholds", "archiveroot", "archivemsgfolderroot",
	"archivedeleteditems", "archiveinbox", "archiverecoverableitemsroot",
	"archiverecoverableitemsdeletions", "archiverecoverableitemsversions",
	"archiverecoverableitemspurges", "archiverecoverableitemsdiscoveryholds",
	"syncissues", "conflicts", "localfailures", "serverfailures",
	"recipientcache", "quickcontacts", "conversationhistory",
	"adminauditlogs", "todosearch", "mycontacts", "directory",
	"imcontactlist", "peopleconnect", "favorites", "mecontact",
	"personmetadata", "teamspaceactivity", "teamspacemessaging",
	"teamspaceworkitems", "scheduled", "orionnotes", "tagitems",
	"alltaggeditems", "allcategorizeditems", "externalcontacts", "teamchat",
	"teamchathistory", "yammerdata", "yammerroot", "yammerinbound",
	"yammeroutbound", "yammerfeeds", "kaizaladata", "messageingestion",
	"onedriveroot", "onedriverecylebin", "onedrivesystem", "onedrivevolume",
	"important", "starred", "archive", NULL
};

int soap_distinguished_folder_is_valid(const char *name)
{
	size_t i;

	if (!name)
		return 0;
	for (i = 0; distinguished_names[i]; i++)
		if (strcmp(name, distinguished_names[i]) == 0)
			return 1;
	return 0;
}

int soap_put_folder_ref(buf *b, const soap_folder_ref *f, const char *field,
			errinfo *err)
{
	char sub[128];
	int error;

	if (!f)
		return errinfo_set(err, ERR_INVAL, "%s: a folder is required", field);
	if ((f->distinguished != NULL) == (f->id != NULL))
		return errinfo_set(err, ERR_INVAL,
			"%s: give either a distinguished folder name or a folder id", field);
	if (f->distinguished) {
		if (!soap_distinguished_folder_is_valid(f->distinguished)) {
			const char *v = f->distinguished;
			if (strlen(v) <= 40 && soap_text_is_valid(v, strlen(v)))
				return errinfo_set(err, ERR_INVAL,
					"%s: '%s' is not a distinguished folder name (inbox, sentitems, drafts, deleteditems, junkemail, calendar, contacts, tasks, root, msgfolderroot, ...)",
					field, v);
			return errinfo_set(err, ERR_INVAL,
				"%s: not a distinguished folder name", field);
		}
		buf_printf(b, "<t:DistinguishedFolderId Id=\"%s\"", f->distinguished);
		if (f->change_key) {
			soap__fmt(sub, sizeof(sub), "%s.change_key", field);
			if ((error = soap__required(f->change_key, sub, err)) < 0 ||
			    (error = soap__attr(b, "ChangeKey", f->change_key, sub, err)) < 0)
				return error;
		}
		/* Exchange refuses a mailbox on the public folder root. */
		if (f->mailbox && strcmp(f->distinguished, "publicfoldersroot") != 0) {
			soap__fmt(sub, sizeof(sub), "%s.mailbox", field);
			buf_puts(b, "><t:Mailbox>");
			if ((error = soap__elem_req(b, "t:EmailAddress", f->mailbox, sub, err)) < 0)
				return error;
			buf_puts(b, "</t:Mailbox></t:DistinguishedFolderId>");
		} else {
			buf_puts(b, "/>");
		}
		return 0;
	}
	soap__fmt(sub, sizeof(sub), "%s.id", field);
	if ((error = soap__required(f->id, sub, err)) < 0)
		return error;
	buf_puts(b, "<t:FolderId");
	if ((error = soap__attr(b, "Id", f->id, sub, err)) < 0)
		return error;
	if (f->change_key) {
		soap__fmt(sub, sizeof(sub), "%s.change_key", field);
		if ((error = soap__required(f->change_key, sub, err)) < 0 ||
		    (error = soap__attr(b, "ChangeKey", f->change_key, sub, err)) < 0)
			return error;
	}
	buf_puts(b, "/>");
	return 0;
}

int soap_put_item_ref(buf *b, const char *elem, const soap_item_ref *r,
		      const char *field, errinfo *err)
{
	char sub[128];
	int error;

	if (!r)
		return errinfo_set(err, ERR_INVAL, "%s: an item id is required", field);
	if ((error = soap__required(r->id, field, err)) < 0)
		return error;
	buf_printf(b, "<%s", elem);
	if ((error = soap__attr(b, "Id", r->id, field, err)) < 0)
		return error;
	if (r->change_key) {
		soap__fmt(sub, sizeof(sub), "%s.change_key", field);
		if ((error = soap__required(r->change_key, sub, err)) < 0 ||
		    (error = soap__attr(b, "ChangeKey", r->change_key, sub, err)) < 0)
			return error;
	}
	buf_puts(b, "/>");
	return 0;
}

int soap_put_mailbox(buf *b, const soap_mailbox *m, const char *field,
		     errinfo *err)
{
	char sub[128];
	int error;

	if (!m)
		return errinfo_set(err, ERR_INVAL, "%s: a mailbox is required", field);
	soap__fmt(sub, sizeof(sub), "%s.email", field);
	if ((error = soap__required(m->email, sub, err)) < 0)
		return error;
	buf_puts(b, "<t:Mailbox>");
	soap__fmt(sub, sizeof(sub), "%s.name", field);
	if (m->name && *m->name &&
	    (error = soap__elem(b, "t:Name", m->name, sub, err)) < 0)
		return error;
	soap__fmt(sub, sizeof(sub), "%s.email", field);
	if ((error = soap__elem(b, "t:EmailAddress", m->email, sub, err)) < 0)
		return error;
	buf_puts(b, "</t:Mailbox>");
	return 0;
}

int soap_put_mailbox_list(buf *b, const char *elem, const soap_mailbox *v,
			  size_t n, const char *field, errinfo *err)
{
	char sub[128];
	size_t i;
	int error;

	if (n == 0)
		return 0;
	if (!v)
		return errinfo_set(err, ERR_INVAL, "%s: list pointer is NULL", field);
	buf_printf(b, "<%s>", elem);
	for (i = 0; i < n; i++) {
		soap__field_idx(sub, sizeof(sub), field, i);
		if ((error = soap_put_mailbox(b, &v[i], sub, err)) < 0)
			return error;
	}
	buf_printf(b, "</%s>", elem);
	return 0;
}

/* <elem> with one folder reference per entry. */
int soap__folder_list(buf *b, const char *elem, const soap_folder_ref *v,
		      size_t n, const char *field, errinfo *err)
{
	char sub[64];
	size_t i;
	int error;

	if ((error = soap__count(n, SOAP_BATCH_MAX, field, err)) < 0)
		return error;
	if (!v)
		return errinfo_set(err, ERR_INVAL, "%s: list pointer is NULL", field);
	buf_printf(b, "<%s>", elem);
	for (i = 0; i < n; i++) {
		soap__field_idx(sub, sizeof(sub), field, i);
		if ((error = soap_put_folder_ref(b, &v[i], sub, err)) < 0)
			return error;
	}
	buf_printf(b, "</%s>", elem);
	return 0;
}

/* <elem> with one t:ItemId per entry. */
int soap__item_list(buf *b, const char *elem, const soap_item_ref *v,
		    size_t n, const char *field, errinfo *err)
{
	char sub[64];
	size_t i;
	int error;

	if ((error = soap__count(n, SOAP_BATCH_MAX, field, err)) < 0)
		return error;
	if (!v)
		return errinfo_set(err, ERR_INVAL, "%s: list pointer is NULL", field);
	buf_printf(b, "<%s>", elem);
	for (i = 0; i < n; i++) {
		soap__field_idx(sub, sizeof(sub), field, i);
		if ((error = soap_put_item_ref(b, "t:ItemId", &v[i], sub, err)) < 0)
			return error;
	}
	buf_printf(b, "</%s>", elem);
	return 0;
}
