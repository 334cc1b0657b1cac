/* ops_attach.c - GetAttachment, CreateAttachment (file and item
 * attachments) and DeleteAttachment. Attachment ids encode the mailbox;
 * rights are those of the parent item's folder. */
#include "sim/sim_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/b64.h"
#include "sim/ids.h"
#include "soap/escape.h"

/* Loads attachment and parent item for an AttachmentId element. */
static int resolve_att(sim_attachment *a, sim_item *parent, sim_req *r,
		       const xmlNode *el, sim_action act, sim_status *st)
{
	char *id = sim_x_attr(el, "Id");
	char pid[SIM_ID_MAX];
	sim_id aid;
	xmlDoc *doc;
	xmlNode *fake;
	int rc;

	memset(a, 0, sizeof(*a));
	memset(parent, 0, sizeof(*parent));
	if (!id || !*id) {
		free(id);
		return sim_fail(st, "ErrorInvalidIdEmpty");
	}
	rc = sim_id_decode(&aid, id);
	free(id);
	if (rc < 0 || aid.kind != SIM_ID_ATTACHMENT)
		return sim_fail(st, "ErrorInvalidIdMalformed");
	if (sim_store_att_get(a, r->ctx->store, aid.row, NULL) < 0)
		return sim_fail(st, "ErrorItemNotFound");
	/* check the parent through the normal item path */
	sim_id_encode(pid, SIM_ID_ITEM, aid.mailbox, a->item);
	doc = xmlNewDoc((const xmlChar *)"1.0");
	fake = xmlNewNode(NULL, (const xmlChar *)"ItemId");
	xmlDocSetRootElement(doc, fake);
	xmlNewProp(fake, (const xmlChar *)"Id", (const xmlChar *)pid);
	rc = sim_item_resolve(parent, r, fake, act, 0, st);
	xmlFreeDoc(doc);
	if (rc < 0)
		sim_attachment_dispose(a);
	return rc;
}

int sim_op_get_attachment(sim_req *r, const xmlNode *op)
{
	xmlNode *ids = sim_x_child(op, "AttachmentIds"), *c;
	sim_shape sh;
	sim_status shst = { 0 };

	sim_shape_parse(&sh, sim_x_child(op, "AttachmentShape"), 0, &shst);
	sh.base = SIM_SHAPE_ALL;
	buf_puts(r->out, "<m:GetAttachmentResponse><m:ResponseMessages>");
	for (c = sim_x_child(ids, NULL); c; c = sim_x_next(c, NULL)) {
		sim_status st = { 0 };
		sim_attachment a;
		sim_item parent;
		char id[SIM_ID_MAX];

		if (resolve_att(&a, &parent, r, c, SIM_ACT_READ, &st) < 0) {
			sim_rm_open(r->out, "GetAttachmentResponseMessage", &st);
			buf_puts(r->out, "<m:Attachments/>");
			sim_rm_close(r->out, "GetAttachmentResponseMessage");
			continue;
		}
		sim_id_encode(id, SIM_ID_ATTACHMENT, parent.mailbox, a.id);
		sim_rm_open(r->out, "GetAttachmentResponseMessage", NULL);
		buf_printf(r->out, "<m:Attachments><t:%s><t:AttachmentId Id=\"%s\"/><t:Name>",
			   a.item_props ? "ItemAttachment" : "FileAttachment", id);
		soap_put_text(r->out, a.name);
		buf_puts(r->out, "</t:Name>");
		if (a.content_type) {
			buf_puts(r->out, "<t:ContentType>");
			soap_put_text(r->out, a.content_type);
			buf_puts(r->out, "</t:ContentType>");
		}
		if (a.content_id) {
			buf_puts(r->out, "<t:ContentId>");
			soap_put_text(r->out, a.content_id);
			buf_puts(r->out, "</t:ContentId>");
		}
		buf_printf(r->out, "<t:Size>%zu</t:Size><t:IsInline>%s</t:IsInline>",
			   a.size, a.is_inline ? "true" : "false");
		if (a.item_props) {
			sim_item emb;
			sim_wctx wc;

			memset(&emb, 0, sizeof(emb));
			memset(&wc, 0, sizeof(wc));
			snprintf(emb.kind, sizeof(emb.kind), "%s",
				 a.item_kind[0] ? a.item_kind : "Message");
			emb.props = a.item_props;
			emb.mailbox = parent.mailbox;
			emb.id = a.id;
			emb.ck = 1;
			wc.org = r->ctx->org;
			wc.shape = &sh;
			sim_item_write(r->out, &emb, &wc);
			buf_puts(r->out, "</t:ItemAttachment>");
		} else {
			buf_puts(r->out, "<t:IsContactPhoto>false</t:IsContactPhoto><t:Content>");
			b64_encode(r->out, a.data, a.size, NULL);
			buf_puts(r->out, "</t:Content></t:FileAttachment>");
		}
		buf_puts(r->out, "</m:Attachments>");
		sim_rm_close(r->out, "GetAttachmentResponseMessage");
		sim_attachment_dispose(&a);
		sim_item_dispose(&parent);
	}
	buf_puts(r->out, "</m:ResponseMessages></m:GetAttachmentResponse>");
	sim_shape_dispose(&sh);
	return 0;
}

/* Reads one t:FileAttachment / t:ItemAttachment into a. */
static int read_attachment(sim_attachment *a, const xmlNode *el,
			   const tz_zone *zone, sim_status *st)
{
	char *inl = sim_x_child_text(el, "IsInline");
	int b = 0;

	a->name = sim_x_child_text(el, "Name");
	a->content_type = sim_x_child_text(el, "ContentType");
	a->content_id = sim_x_child_text(el, "ContentId");
	if (inl && sim_parse_bool(inl, &b) == 0)
		a->is_inline = b;
	free(inl);
	if (!a->name || !*a->name) {
		free(a->name);
		a->name = strdup("attachment");
	}
	if (sim_x_is(el, "FileAttachment")) {
		char *content = sim_x_child_text(el, "Content");
		buf raw = BUF_INIT(SIM_BODY_MAX);

		if (!content || b64_decode(&raw, content, strlen(content),
					   B64_IGNORE_SPACE, NULL) < 0) {
			free(content);
			buf_dispose(&raw);
			return sim_failf(st, "ErrorInvalidRequest",
					 "FileAttachment/Content must be base64 (attachment \"%s\").",
					 a->name);
		}
		free(content);
		a->size = raw.len;
		a->data = raw.len ? buf_detach(&raw) : strdup("");
		buf_dispose(&raw);
		return 0;
	}
	{
		xmlNode *item = NULL, *c;

		for (c = sim_x_child(el, NULL); c; c = sim_x_next(c, NULL))
			if (sim_kind_valid((const char *)c->name))
				item = c;
		if (!item)
			return sim_failf(st, "ErrorInvalidRequest",
					 "ItemAttachment needs an item (t:Message, t:CalendarItem, ...).");
		snprintf(a->item_kind, sizeof(a->item_kind), "%s", (const char *)item->name);
		a->item_props = json_object();
		a->data = strdup("");
		if (sim_props_read(a->item_props, a->item_kind, item, zone, st) < 0)
			return -1;
		{
			char *d = json_dumps(a->item_props, JSON_COMPACT);

			a->size = d ? strlen(d) : 0;
			free(d);
		}
		return 0;
	}
}

int sim_op_create_attachment(sim_req *r, const xmlNode *op)
{
	sim_status pst = { 0 };
	sim_item parent;
	xmlNode *atts = sim_x_child(op, "Attachments"), *c;
	int ok = sim_item_resolve(&parent, r, sim_x_child(op, "ParentItemId"),
				  SIM_ACT_MODIFY, 1, &pst) == 0;

	buf_puts(r->out, "<m:CreateAttachmentResponse><m:ResponseMessages>");
	for (c = sim_x_child(atts, NULL); c; c = sim_x_next(c, NULL)) {
		sim_status st = { 0 };
		sim_attachment a;
		char id[SIM_ID_MAX], root[SIM_ID_MAX], ck[SIM_ID_MAX];

		memset(&a, 0, sizeof(a));
		if (!ok) {
			st = pst;
		} else if (read_attachment(&a, c, r->tz, &st) == 0) {
			a.item = parent.id;
			if (sim_store_att_insert(r->ctx->store, &a, NULL) < 0)
				sim_fail(&st, "ErrorInternalServerError");
			else
				sim_item_touch(r, &parent, &st);
		}
		sim_rm_open(r->out, "CreateAttachmentResponseMessage", st.code ? &st : NULL);
		if (st.code) {
			buf_puts(r->out, "<m:Attachments/>");
		} else {
			sim_id_encode(id, SIM_ID_ATTACHMENT, parent.mailbox, a.id);
			sim_id_encode(root, SIM_ID_ITEM, parent.mailbox, parent.id);
			sim_ck_encode(ck, parent.ck);
			buf_printf(r->out, "<m:Attachments><t:%s><t:AttachmentId Id=\"%s\" "
				   "RootItemId=\"%s\" RootItemChangeKey=\"%s\"/></t:%s></m:Attachments>",
				   a.item_props ? "ItemAttachment" : "FileAttachment", id, root, ck,
				   a.item_props ? "ItemAttachment" : "FileAttachment");
		}
		sim_rm_close(r->out, "CreateAttachmentResponseMessage");
		sim_attachment_dispose(&a);
	}
	buf_puts(r->out, "</m:ResponseMessages></m:CreateAttachmentResponse>");
	if (ok)
		sim_item_dispose(&parent);
	return 0;
}

int sim_op_delete_attachment(sim_req *r, const xmlNode *op)
{
	xmlNode *ids = sim_x_child(op, "AttachmentIds"), *c;

	buf_puts(r->out, "<m:DeleteAttachmentResponse><m:ResponseMessages>");
	for (c = sim_x_child(ids, NULL); c; c = sim_x_next(c, NULL)) {
		sim_status st = { 0 };
		sim_attachment a;
		sim_item parent;
		char root[SIM_ID_MAX], ck[SIM_ID_MAX];

		if (resolve_att(&a, &parent, r, c, SIM_ACT_MODIFY, &st) == 0) {
			if (sim_store_att_delete(r->ctx->store, a.id, NULL) < 0)
				sim_fail(&st, "ErrorInternalServerError");
			else
				sim_item_touch(r, &parent, &st);
		}
		sim_rm_open(r->out, "DeleteAttachmentResponseMessage", st.code ? &st : NULL);
		if (!st.code) {
			sim_id_encode(root, SIM_ID_ITEM, parent.mailbox, parent.id);
			sim_ck_encode(ck, parent.ck);
			buf_printf(r->out, "<m:RootItemId RootItemId=\"%s\" RootItemChangeKey=\"%s\"/>",
				   root, ck);
			sim_attachment_dispose(&a);
			sim_item_dispose(&parent);
		}
		sim_rm_close(r->out, "DeleteAttachmentResponseMessage");
	}
	buf_puts(r->out, "</m:ResponseMessages></m:DeleteAttachmentResponse>");
	return 0;
}
