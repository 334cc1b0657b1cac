/* ops_common.c - what every operation needs: turning folder and item id
 * elements into store rows while enforcing the caller's rights the way
 * Exchange reports them (a folder or item you may not read is "not
 * found"; one you may read but not change is "access denied"). */
#include "sim/sim_int.h"

#include <stdlib.h>
#include <string.h>

#include "sim/ids.h"

xmlNode *sim_folder_id_child(const xmlNode *container)
{
	xmlNode *c;

	for (c = container ? container->children : NULL; c; c = c->next)
		if (sim_x_is(c, "FolderId") || sim_x_is(c, "DistinguishedFolderId"))
			return c;
	return NULL;
}

int sim_folder_category(sim_req *r, const sim_folder *f)
{
	sim_folder cur;
	int64_t parent = f->parent;
	int depth = 0, cat;

	if (f->dist[0])
		return sim_rights_category(f->dist);
	while (parent && depth++ < 64) {
		if (sim_store_folder_get(&cur, r->ctx->store, parent, NULL) < 0)
			break;
		parent = cur.parent;
		if (cur.dist[0]) {
			cat = sim_rights_category(cur.dist);
			sim_folder_dispose(&cur);
			/* user folders directly under the root are mail folders */
			return cat == SIM_PF_OWNER_ONLY ? SIM_PF_INBOX : cat;
		}
		sim_folder_dispose(&cur);
	}
	return SIM_PF_INBOX;
}

void sim_note_written(sim_req *r, int owner, sim_action act)
{
	if (act != SIM_ACT_READ && r->written < 0)
		r->written = owner;
}

int sim_folder_check(sim_req *r, const sim_folder *f, sim_action act,
		     sim_status *st)
{
	const sim_org *org = r->ctx->org;
	int owner = SIM_USER(f->mailbox);
	int pf = sim_folder_category(r, f);

	if (sim_rights_folder(org, r->actor, owner, pf, act)) {
		sim_note_written(r, owner, act);
		return 0;
	}
	if (act == SIM_ACT_READ)
		return sim_fail(st, "ErrorFolderNotFound");
	return sim_fail(st, "ErrorAccessDenied");
}

int sim_folder_resolve(sim_folder *out, sim_req *r, const xmlNode *id_el,
		       sim_action act, sim_status *st)
{
	sim_store *store = r->ctx->store;
	char *id = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (sim_x_is(id_el, "DistinguishedFolderId")) {
		xmlNode *mbx = sim_x_child(id_el, "Mailbox");
		char *email = mbx ? sim_x_child_text(mbx, "EmailAddress") : NULL;
		int owner = r->actor;

		if (email && *email) {
			owner = sim_org_find_smtp(r->ctx->org, email, NULL);
			if (owner < 0) {
				free(email);
				return sim_fail(st, "ErrorNonExistentMailbox");
			}
		}
		free(email);
		id = sim_x_attr(id_el, "Id");
		rc = id ? sim_store_folder_dist(out, store, SIM_MBX(owner), id, NULL)
			: ERR_NOTFOUND;
		free(id);
		if (rc < 0)
			return sim_fail(st, "ErrorFolderNotFound");
	} else if (sim_x_is(id_el, "FolderId")) {
		sim_id fid;

		id = sim_x_attr(id_el, "Id");
		if (!id || !*id) {
			free(id);
			return sim_fail(st, "ErrorInvalidIdEmpty");
		}
		rc = sim_id_decode(&fid, id);
		free(id);
		if (rc < 0 || fid.kind != SIM_ID_FOLDER)
			return sim_fail(st, "ErrorInvalidIdMalformed");
		if (sim_store_folder_get(out, store, fid.row, NULL) < 0 ||
		    out->mailbox != fid.mailbox) {
			sim_folder_dispose(out);
			return sim_fail(st, "ErrorFolderNotFound");
		}
	} else {
		return sim_failf(st, "ErrorInvalidFolderId",
				 "The folder id is invalid: expected t:FolderId or t:DistinguishedFolderId.");
	}
	if (sim_folder_check(r, out, act, st) < 0) {
		sim_folder_dispose(out);
		return -1;
	}
	return 0;
}

int sim_item_resolve(sim_item *out, sim_req *r, const xmlNode *id_el,
		     sim_action act, int check_ck, sim_status *st)
{
	sim_store *store = r->ctx->store;
	sim_folder f;
	sim_id iid;
	char *id, *ck;
	int64_t ver;
	int rc, pf, owner;

	memset(out, 0, sizeof(*out));
	id = sim_x_attr(id_el, "Id");
	if (!id || !*id) {
		free(id);
		return sim_fail(st, "ErrorInvalidIdEmpty");
	}
	rc = sim_id_decode(&iid, id);
	free(id);
	if (rc < 0 || iid.kind != SIM_ID_ITEM)
		return sim_fail(st, "ErrorInvalidIdMalformed");
	if (sim_store_item_get(out, store, iid.row, NULL) < 0)
		return sim_fail(st, "ErrorItemNotFound");
	if (out->mailbox != iid.mailbox ||
	    sim_store_folder_get(&f, store, out->folder, NULL) < 0) {
		sim_item_dispose(out);
		return sim_fail(st, "ErrorItemNotFound");
	}
	owner = SIM_USER(f.mailbox);
	pf = sim_folder_category(r, &f);
	sim_folder_dispose(&f);
	if (!sim_rights_folder(r->ctx->org, r->actor, owner, pf, SIM_ACT_READ)) {
		sim_item_dispose(out);
		/* Exchange hides items the caller cannot see. */
		return sim_fail(st, act == SIM_ACT_READ ? "ErrorItemNotFound"
				: "ErrorAccessDenied");
	}
	if (!sim_rights_folder(r->ctx->org, r->actor, owner, pf, act)) {
		sim_item_dispose(out);
		return sim_fail(st, "ErrorAccessDenied");
	}
	sim_note_written(r, owner, act);
	ck = check_ck ? sim_x_attr(id_el, "ChangeKey") : NULL;
	if (ck) {
		rc = sim_ck_decode(&ver, ck);
		free(ck);
		if (rc < 0) {
			sim_item_dispose(out);
			return sim_fail(st, "ErrorInvalidChangeKey");
		}
		if (ver != out->ck) {
			sim_item_dispose(out);
			return sim_fail(st, "ErrorIrresolvableConflict");
		}
	}
	return 0;
}

int sim_item_emit(sim_req *r, const sim_item *it, const sim_shape *shape)
{
	sim_wctx wc;
	sim_attachment *atts = NULL;
	size_t natts = 0;
	int rc;

	memset(&wc, 0, sizeof(wc));
	wc.org = r->ctx->org;
	wc.shape = shape;
	wc.with_parent = 1;
	if ((!shape->for_find && shape->base != SIM_SHAPE_IDONLY) ||
	    sim_shape_wants_uri(shape, "item:Attachments"))
		sim_store_att_list(&atts, &natts, r->ctx->store, it->id, NULL);
	wc.atts = atts;
	wc.natts = natts;
	rc = sim_item_write(r->out, it, &wc);
	sim_attachment_list_free(atts, natts);
	return rc;
}

int sim_item_touch(sim_req *r, sim_item *it, sim_status *st)
{
	sim_attachment *atts = NULL;
	size_t n = 0;

	sim_store_att_list(&atts, &n, r->ctx->store, it->id, NULL);
	sim_attachment_list_free(atts, n);
	json_object_set_new(it->props, "HasAttachments", json_boolean(n > 0));
	json_object_set_new(it->props, "LastModifiedTime", json_integer(sim_now()));
	if (sim_store_item_update(r->ctx->store, it, NULL) < 0)
		return sim_fail(st, "ErrorItemSave");
	return 0;
}

void sim_write_folder_id(buf *b, const sim_folder *f)
{
	char id[SIM_ID_MAX], ck[SIM_ID_MAX];

	sim_id_encode(id, SIM_ID_FOLDER, f->mailbox, f->id);
	sim_ck_encode(ck, f->ck);
	buf_printf(b, "<t:FolderId Id=\"%s\" ChangeKey=\"%s\"/>", id, ck);
}
