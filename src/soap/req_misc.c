/* req_misc.c - ResolveNames, FindPeople, ExpandDL, attachment, inbox-rule,
 * SyncFolderItems, GetServerTimeZones and ConvertId request builders (see
 * req_misc.h; wire shapes in ews-protocol.md sections 5.9 and 5.13-5.19). */
#include "soap/req_misc.h"

#include <stdio.h>
#include <string.h>

#include "soap/ids.h"
#include "soap/internal.h"
#include "soap/item_write.h"
#include "soap/query.h"

#define PEOPLE_PAGE_MAX 1000
#define SYNC_CHANGES_MAX 512

static const char *const search_scopes[] = {
	"ActiveDirectory", "ActiveDirectoryContacts", "Contacts", "ContactsActiveDirectory", NULL
};
static const char *const default_shapes[] = { "IdOnly", "Default", "AllProperties", NULL };
static const char *const attachment_body_types[] = { "Best", "HTML", "Text", NULL };
static const char *const sync_scopes[] = { "NormalItems", "NormalAndAssociatedItems", NULL };
static const char *const id_formats[] = {
	"EwsLegacyId", "EwsId", "EntryId", "HexEntryId", "StoreId", "OwaId", NULL
};

/* ---- ResolveNames / FindPeople / ExpandDL ------------------------------ */

int soap_resolve_names_request(buf *out, const soap_header *h,
			       const soap_resolve_names_args *a, errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "ResolveNames: arguments are required");
	if ((error = soap__required(a->entry, "entry", err)) < 0 ||
	    (a->search_scope &&
	     (error = soap__enum(a->search_scope, search_scopes, "search_scope", err)) < 0) ||
	    (a->contact_data_shape &&
	     (error = soap__enum(a->contact_data_shape, default_shapes,
				 "contact_data_shape", err)) < 0))
		return error;
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_printf(out, "<m:ResolveNames ReturnFullContactData=\"%s\"",
		   a->full_contact_data ? "true" : "false");
	if (a->search_scope)
		buf_printf(out, " SearchScope=\"%s\"", a->search_scope);
	if (a->contact_data_shape)
		buf_printf(out, " ContactDataShape=\"%s\"", a->contact_data_shape);
	buf_putc(out, '>');
	if (a->nfolders &&
	    (error = soap__folder_list(out, "m:ParentFolderIds", a->folders, a->nfolders,
				       "folders", err)) < 0)
		goto cleanup;
	if ((error = soap__elem(out, "m:UnresolvedEntry", a->entry, "entry", err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:ResolveNames>");
cleanup:
	return soap__request_finish(out, mark, error, "ResolveNames", err);
}

int soap_find_people_request(buf *out, const soap_header *h,
			     const soap_find_people_args *a, errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "FindPeople: arguments are required");
	if (a->max_entries <= 0 || a->max_entries > PEOPLE_PAGE_MAX)
		return errinfo_set(err, ERR_INVAL, "max_entries: must be between 1 and %d, got %d",
				   PEOPLE_PAGE_MAX, a->max_entries);
	if (a->offset < 0)
		return errinfo_set(err, ERR_INVAL, "offset: must not be negative, got %d", a->offset);
	if (a->query && (error = soap__required(a->query, "query", err)) < 0)
		return error;
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	/* No Traversal attribute: FindPeopleType has none. */
	buf_puts(out, "<m:FindPeople>");
	if ((error = soap_put_shape(out, "m:PersonaShape", &a->shape, 0, err)) < 0)
		goto cleanup;
	buf_printf(out, "<m:IndexedPageItemView MaxEntriesReturned=\"%d\" Offset=\"%d\" BasePoint=\"Beginning\"/>",
		   a->max_entries, a->offset);
	if (a->folder) {
		buf_puts(out, "<m:ParentFolderId>");
		if ((error = soap_put_folder_ref(out, a->folder, "folder", err)) < 0)
			goto cleanup;
		buf_puts(out, "</m:ParentFolderId>");
	}
	if ((error = soap__elem(out, "m:QueryString", a->query, "query", err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:FindPeople>");
cleanup:
	return soap__request_finish(out, mark, error, "FindPeople", err);
}

int soap_expand_dl_request(buf *out, const soap_header *h,
			   const soap_expand_dl_args *a, errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "ExpandDL: arguments are required");
	if ((error = soap__required(a->email, "email", err)) < 0)
		return error;
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	/* m:Mailbox (messages namespace) holding t: children. */
	buf_puts(out, "<m:ExpandDL><m:Mailbox>");
	if ((error = soap__elem(out, "t:EmailAddress", a->email, "email", err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:Mailbox></m:ExpandDL>");
cleanup:
	return soap__request_finish(out, mark, error, "ExpandDL", err);
}

/* ---- attachments ------------------------------------------------------- */

static int put_attachment_ids(buf *b, const char *const *ids, size_t n, errinfo *err)
{
	char sub[64];
	size_t i;
	int error;

	if ((error = soap__count(n, SOAP_BATCH_MAX, "attachment_ids", err)) < 0)
		return error;
	if (!ids)
		return errinfo_set(err, ERR_INVAL, "attachment_ids: list pointer is NULL");
	buf_puts(b, "<m:AttachmentIds>");
	for (i = 0; i < n; i++) {
		soap_item_ref r = { ids[i], NULL };
		soap__field_idx(sub, sizeof(sub), "attachment_ids", i);
		if ((error = soap_put_item_ref(b, "t:AttachmentId", &r, sub, err)) < 0)
			return error;
	}
	buf_puts(b, "</m:AttachmentIds>");
	return 0;
}

int soap_get_attachment_request(buf *out, const soap_header *h,
				const soap_get_attachment_args *a,
				errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "GetAttachment: arguments are required");
	if (a->body_type &&
	    (error = soap__enum(a->body_type, attachment_body_types, "body_type", err)) < 0)
		return error;
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_puts(out, "<m:GetAttachment>");
	if (a->body_type || a->include_mime != SOAP_UNSET) {
		buf_puts(out, "<m:AttachmentShape>");
		soap__bool(out, "t:IncludeMimeContent", a->include_mime);
		if (a->body_type)
			buf_printf(out, "<t:BodyType>%s</t:BodyType>", a->body_type);
		buf_puts(out, "</m:AttachmentShape>");
	}
	if ((error = put_attachment_ids(out, a->ids, a->nids, err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:GetAttachment>");
cleanup:
	return soap__request_finish(out, mark, error, "GetAttachment", err);
}

int soap_create_attachment_request(buf *out, const soap_header *h,
				   const soap_create_attachment_args *a,
				   errinfo *err)
{
	char sub[64];
	size_t mark, i;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "CreateAttachment: arguments are required");
	if ((error = soap__count(a->nfiles, SOAP_BATCH_MAX, "files", err)) < 0)
		return error;
	if (!a->files)
		return errinfo_set(err, ERR_INVAL, "files: list pointer is NULL");
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_puts(out, "<m:CreateAttachment>");
	if ((error = soap_put_item_ref(out, "m:ParentItemId", &a->parent, "parent_item", err)) < 0)
		goto cleanup;
	buf_puts(out, "<m:Attachments>");
	for (i = 0; i < a->nfiles; i++) {
		soap__field_idx(sub, sizeof(sub), "files", i);
		if ((error = soap_put_file_attachment(out, &a->files[i], sub, err)) < 0)
			goto cleanup;
	}
	buf_puts(out, "</m:Attachments></m:CreateAttachment>");
cleanup:
	return soap__request_finish(out, mark, error, "CreateAttachment", err);
}

int soap_delete_attachment_request(buf *out, const soap_header *h,
				   const soap_delete_attachment_args *a,
				   errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "DeleteAttachment: arguments are required");
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_puts(out, "<m:DeleteAttachment>");
	if ((error = put_attachment_ids(out, a->ids, a->nids, err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:DeleteAttachment>");
cleanup:
	return soap__request_finish(out, mark, error, "DeleteAttachment", err);
}

/* ---- inbox rules ------------------------------------------------------- */

int soap_get_inbox_rules_request(buf *out, const soap_header *h,
				 const soap_get_inbox_rules_args *a,
				 errinfo *err)
{
	size_t mark;
	int error;

	if (a && a->mailbox && (error = soap__required(a->mailbox, "mailbox", err)) < 0)
		return error;
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_puts(out, "<m:GetInboxRules>");
	if (a && (error = soap__elem(out, "m:MailboxSmtpAddress", a->mailbox, "mailbox", err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:GetInboxRules>");
cleanup:
	return soap__request_finish(out, mark, error, "GetInboxRules", err);
}

static int put_strings(buf *b, const char *elem, const char *const *v, size_t n,
		       const char *field, errinfo *err)
{
	char sub[128];
	size_t i;
	int error;

	if (n == 0)
		return 0;
	if (!v)
		return errinfo_set(err, ERR_INVAL, "%s: list pointer is NULL", field);
	buf_printf(b, "<t:%s>", elem);
	for (i = 0; i < n; i++) {
		soap__field_idx(sub, sizeof(sub), field, i);
		if ((error = soap__elem_req(b, "t:String", v[i], sub, err)) < 0)
			return error;
	}
	buf_printf(b, "</t:%s>", elem);
	return 0;
}

/* t:ArrayOfEmailAddressesType: t:Address elements of t:EmailAddressType. */
static int put_addresses(buf *b, const char *elem, const soap_mailbox *v, size_t n,
			 const char *field, errinfo *err)
{
	char sub[128];
	size_t i;
	int error;

	if (n == 0)
		return 0;
	if (!v)
		return errinfo_set(err, ERR_INVAL, "%s: list pointer is NULL", field);
	buf_printf(b, "<t:%s>", elem);
	for (i = 0; i < n; i++) {
		soap__field_idx(sub, sizeof(sub), field, i);
		if ((error = soap__required(v[i].email, sub, err)) < 0)
			return error;
		buf_puts(b, "<t:Address>");
		if ((v[i].name && *v[i].name &&
		     (error = soap__elem(b, "t:Name", v[i].name, sub, err)) < 0) ||
		    (error = soap__elem(b, "t:EmailAddress", v[i].email, sub, err)) < 0)
			return error;
		buf_puts(b, "</t:Address>");
	}
	buf_printf(b, "</t:%s>", elem);
	return 0;
}

static int put_target_folder(buf *b, const char *elem, const soap_folder_ref *f,
			     const char *field, errinfo *err)
{
	int error;

	if (!f)
		return 0;
	buf_printf(b, "<t:%s>", elem);
	if ((error = soap_put_folder_ref(b, f, field, err)) < 0)
		return error;
	buf_printf(b, "</t:%s>", elem);
	return 0;
}

/* t:RulePredicatesType subset, in schema order. */
static int put_predicates(buf *b, const char *elem, const soap_rule_predicates *p,
			  const char *field, errinfo *err)
{
	char sub[128];
	int error;

	if (!p)
		return 0;
	if (p->importance) {
		soap__fmt(sub, sizeof(sub), "%s.importance", field);
		if ((error = soap__enum(p->importance, soap__importances, sub, err)) < 0)
			return error;
	}
	buf_printf(b, "<t:%s>", elem);
	soap__fmt(sub, sizeof(sub), "%s.contains_body", field);
	if ((error = put_strings(b, "ContainsBodyStrings", p->contains_body,
				 p->ncontains_body, sub, err)) < 0)
		return error;
	soap__fmt(sub, sizeof(sub), "%s.contains_sender", field);
	if ((error = put_strings(b, "ContainsSenderStrings", p->contains_sender,
				 p->ncontains_sender, sub, err)) < 0)
		return error;
	soap__fmt(sub, sizeof(sub), "%s.contains_subject", field);
	if ((error = put_strings(b, "ContainsSubjectStrings", p->contains_subject,
				 p->ncontains_subject, sub, err)) < 0)
		return error;
	soap__fmt(sub, sizeof(sub), "%s.from", field);
	if ((error = put_addresses(b, "FromAddresses", p->from, p->nfrom, sub, err)) < 0)
		return error;
	soap__bool(b, "t:HasAttachments", p->has_attachments);
	if (p->importance)
		buf_printf(b, "<t:Importance>%s</t:Importance>", p->importance);
	soap__fmt(sub, sizeof(sub), "%s.sent_to", field);
	if ((error = put_addresses(b, "SentToAddresses", p->sent_to, p->nsent_to, sub, err)) < 0)
		return error;
	soap__bool(b, "t:SentToMe", p->sent_to_me);
	buf_printf(b, "</t:%s>", elem);
	return 0;
}

/* t:RuleActionsType subset, in schema order. */
static int put_actions(buf *b, const soap_rule_actions *a, const char *field,
		       errinfo *err)
{
	char sub[128];
	int error;

	if (a->mark_importance) {
		soap__fmt(sub, sizeof(sub), "%s.mark_importance", field);
		if ((error = soap__enum(a->mark_importance, soap__importances, sub, err)) < 0)
			return error;
	}
	buf_puts(b, "<t:Actions>");
	soap__fmt(sub, sizeof(sub), "%s.assign_categories", field);
	if ((error = put_strings(b, "AssignCategories", a->assign_categories,
				 a->nassign_categories, sub, err)) < 0)
		return error;
	soap__fmt(sub, sizeof(sub), "%s.copy_to_folder", field);
	if ((error = put_target_folder(b, "CopyToFolder", a->copy_to_folder, sub, err)) < 0)
		return error;
	soap__bool(b, "t:Delete", a->delete_item);
	soap__fmt(sub, sizeof(sub), "%s.forward_to", field);
	if ((error = put_addresses(b, "ForwardToRecipients", a->forward_to, a->nforward_to,
				   sub, err)) < 0)
		return error;
	if (a->mark_importance)
		buf_printf(b, "<t:MarkImportance>%s</t:MarkImportance>", a->mark_importance);
	soap__bool(b, "t:MarkAsRead", a->mark_as_read);
	soap__fmt(sub, sizeof(sub), "%s.move_to_folder", field);
	if ((error = put_target_folder(b, "MoveToFolder", a->move_to_folder, sub, err)) < 0)
		return error;
	soap__bool(b, "t:StopProcessingRules", a->stop_processing);
	buf_puts(b, "</t:Actions>");
	return 0;
}

static int put_rule_op(buf *b, const soap_rule_op *op, const char *field, errinfo *err)
{
	char sub[128];
	const char *elem;
	int error;

	soap__fmt(sub, sizeof(sub), "%s.rule_id", field);
	switch (op->kind) {
	case SOAP_RULE_DELETE:
		buf_puts(b, "<t:DeleteRuleOperation>");
		if ((error = soap__elem_req(b, "t:RuleId", op->rule_id, sub, err)) < 0)
			return error;
		buf_puts(b, "</t:DeleteRuleOperation>");
		return 0;
	case SOAP_RULE_CREATE:
		if (op->rule_id)
			return errinfo_set(err, ERR_INVAL, "%s: a new rule has no id yet", sub);
		elem = "CreateRuleOperation";
		break;
	case SOAP_RULE_SET:
		if ((error = soap__required(op->rule_id, sub, err)) < 0)
			return error;
		elem = "SetRuleOperation";
		break;
	default:
		return errinfo_set(err, ERR_INVAL, "%s.kind: unknown rule operation %d",
				   field, (int)op->kind);
	}
	if (op->priority < 1)
		return errinfo_set(err, ERR_INVAL, "%s.priority: must be 1 or more, got %d",
				   field, op->priority);
	if (!op->actions)
		return errinfo_set(err, ERR_INVAL, "%s.actions: a rule needs at least one action",
				   field);
	buf_printf(b, "<t:%s><t:Rule>", elem);
	if ((error = soap__elem(b, "t:RuleId", op->rule_id, sub, err)) < 0)
		return error;
	soap__fmt(sub, sizeof(sub), "%s.display_name", field);
	if ((error = soap__elem_req(b, "t:DisplayName", op->display_name, sub, err)) < 0)
		return error;
	buf_printf(b, "<t:Priority>%d</t:Priority><t:IsEnabled>%s</t:IsEnabled>",
		   op->priority, op->is_enabled ? "true" : "false");
	soap__fmt(sub, sizeof(sub), "%s.conditions", field);
	if ((error = put_predicates(b, "Conditions", op->conditions, sub, err)) < 0)
		return error;
	soap__fmt(sub, sizeof(sub), "%s.exceptions", field);
	if ((error = put_predicates(b, "Exceptions", op->exceptions, sub, err)) < 0)
		return error;
	soap__fmt(sub, sizeof(sub), "%s.actions", field);
	if ((error = put_actions(b, op->actions, sub, err)) < 0)
		return error;
	buf_printf(b, "</t:Rule></t:%s>", elem);
	return 0;
}

int soap_update_inbox_rules_request(buf *out, const soap_header *h,
				    const soap_update_inbox_rules_args *a,
				    errinfo *err)
{
	char sub[64];
	size_t mark, i;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "UpdateInboxRules: arguments are required");
	if ((a->mailbox && (error = soap__required(a->mailbox, "mailbox", err)) < 0) ||
	    (error = soap__count(a->nops, SOAP_BATCH_MAX, "operations", err)) < 0)
		return error;
	if (!a->ops)
		return errinfo_set(err, ERR_INVAL, "operations: list pointer is NULL");
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_puts(out, "<m:UpdateInboxRules>");
	if ((error = soap__elem(out, "m:MailboxSmtpAddress", a->mailbox, "mailbox", err)) < 0)
		goto cleanup;
	soap__bool(out, "m:RemoveOutlookRuleBlob", a->remove_outlook_blob);
	buf_puts(out, "<m:Operations>");
	for (i = 0; i < a->nops; i++) {
		soap__field_idx(sub, sizeof(sub), "operations", i);
		if ((error = put_rule_op(out, &a->ops[i], sub, err)) < 0)
			goto cleanup;
	}
	buf_puts(out, "</m:Operations></m:UpdateInboxRules>");
cleanup:
	return soap__request_finish(out, mark, error, "UpdateInboxRules", err);
}

/* ---- SyncFolderItems / GetServerTimeZones / ConvertId ------------------ */

int soap_sync_folder_items_request(buf *out, const soap_header *h,
				   const soap_sync_folder_items_args *a,
				   errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "SyncFolderItems: arguments are required");
	if (a->max_changes < 1 || a->max_changes > SYNC_CHANGES_MAX)
		return errinfo_set(err, ERR_INVAL, "max_changes: must be between 1 and %d, got %d",
				   SYNC_CHANGES_MAX, a->max_changes);
	if (a->scope && (error = soap__enum(a->scope, sync_scopes, "scope", err)) < 0)
		return error;
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_puts(out, "<m:SyncFolderItems>");
	if ((error = soap_put_shape(out, "m:ItemShape", &a->shape, 1, err)) < 0)
		goto cleanup;
	buf_puts(out, "<m:SyncFolderId>");
	if ((error = soap_put_folder_ref(out, &a->folder, "folder", err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:SyncFolderId>");
	if (a->sync_state && *a->sync_state &&
	    (error = soap__elem(out, "m:SyncState", a->sync_state, "sync_state", err)) < 0)
		goto cleanup;
	if (a->nignore &&
	    (error = soap__item_list(out, "m:Ignore", a->ignore, a->nignore, "ignore", err)) < 0)
		goto cleanup;
	buf_printf(out, "<m:MaxChangesReturned>%d</m:MaxChangesReturned>", a->max_changes);
	if (a->scope)
		buf_printf(out, "<m:SyncScope>%s</m:SyncScope>", a->scope);
	buf_puts(out, "</m:SyncFolderItems>");
cleanup:
	return soap__request_finish(out, mark, error, "SyncFolderItems", err);
}

int soap_get_server_time_zones_request(buf *out, const soap_header *h,
				       const soap_get_server_time_zones_args *a,
				       errinfo *err)
{
	static const soap_get_server_time_zones_args none = { 0 };
	char sub[64];
	size_t mark, i;
	int error;

	if (!a)
		a = &none;
	if (a->nids > 500)
		return errinfo_set(err, ERR_INVAL, "ids: at most 500 zone ids, got %zu", a->nids);
	if (a->nids && !a->ids)
		return errinfo_set(err, ERR_INVAL, "ids: list pointer is NULL");
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_printf(out, "<m:GetServerTimeZones ReturnFullTimeZoneData=\"%s\">",
		   a->full ? "true" : "false");
	if (a->nids) {
		buf_puts(out, "<m:Ids>");
		for (i = 0; i < a->nids; i++) {
			soap__field_idx(sub, sizeof(sub), "ids", i);
			if ((error = soap__elem_req(out, "t:Id", a->ids[i], sub, err)) < 0)
				goto cleanup;
		}
		buf_puts(out, "</m:Ids>");
	}
	buf_puts(out, "</m:GetServerTimeZones>");
cleanup:
	return soap__request_finish(out, mark, error, "GetServerTimeZones", err);
}

int soap_convert_id_request(buf *out, const soap_header *h,
			    const soap_convert_id_args *a, errinfo *err)
{
	char sub[64], sub2[96];
	size_t mark, i;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "ConvertId: arguments are required");
	if ((error = soap__enum(a->destination_format, id_formats, "destination_format", err)) < 0 ||
	    (error = soap__count(a->nids, SOAP_BATCH_MAX, "ids", err)) < 0)
		return error;
	if (!a->ids)
		return errinfo_set(err, ERR_INVAL, "ids: list pointer is NULL");
	for (i = 0; i < a->nids; i++) {
		soap__field_idx(sub, sizeof(sub), "ids", i);
		soap__fmt(sub2, sizeof(sub2), "%s.format", sub);
		if ((error = soap__enum(a->ids[i].format, id_formats, sub2, err)) < 0)
			return error;
		soap__fmt(sub2, sizeof(sub2), "%s.id", sub);
		if ((error = soap__required(a->ids[i].id, sub2, err)) < 0)
			return error;
		soap__fmt(sub2, sizeof(sub2), "%s.mailbox", sub);
		if ((error = soap__required(a->ids[i].mailbox, sub2, err)) < 0)
			return error;
	}
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_printf(out, "<m:ConvertId DestinationFormat=\"%s\"><m:SourceIds>",
		   a->destination_format);
	for (i = 0; i < a->nids; i++) {
		soap__field_idx(sub, sizeof(sub), "ids", i);
		buf_printf(out, "<t:AlternateId Format=\"%s\"", a->ids[i].format);
		if ((error = soap__attr(out, "Id", a->ids[i].id, sub, err)) < 0 ||
		    (error = soap__attr(out, "Mailbox", a->ids[i].mailbox, sub, err)) < 0)
			goto cleanup;
		buf_puts(out, "/>");
	}
	buf_puts(out, "</m:SourceIds></m:ConvertId>");
cleanup:
	return soap__request_finish(out, mark, error, "ConvertId", err);
}
