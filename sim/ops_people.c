/* ops_people.c - ResolveNames (directory + the actor's or a principal's
 * contacts), FindPeople (directory or contacts) and ExpandDL (org groups).
 */
#include "sim/sim_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/ids.h"
#include "soap/escape.h"

static int user_matches(const sim_user *u, const char *q)
{
	const char *at = strchr(u->smtp, '@');
	size_t i;

	if (strncasecmp(q, "smtp:", 5) == 0)
		q += 5;
	if (strcasecmp(u->smtp, q) == 0 || sim_strcasestr(u->name, q) == u->name ||
	    (at && strncasecmp(u->smtp, q, strlen(q)) == 0 &&
	     strlen(q) <= (size_t)(at - u->smtp)))
		return 1;
	for (i = 0; i < u->naliases; i++)
		if (strcasecmp(u->aliases[i], q) == 0)
			return 1;
	/* any word of the display name */
	{
		const char *p = u->name;

		while ((p = strchr(p, ' ')))
			if (strncasecmp(++p, q, strlen(q)) == 0)
				return 1;
	}
	return 0;
}

static void put_el(buf *b, const char *el, const char *v)
{
	if (!v)
		return;
	buf_printf(b, "<t:%s>", el);
	soap_put_text(b, v);
	buf_printf(b, "</t:%s>", el);
}

static void put_mbx(buf *b, const sim_org *org, const char *name,
		    const char *email)
{
	json_t *m = sim_mbx_new(name, email);

	sim_write_mailbox(b, org, "Mailbox", m);
	json_decref(m);
}

static void write_directory_contact(buf *b, const sim_user *u)
{
	buf_puts(b, "<t:Contact>");
	put_el(b, "DisplayName", u->name);
	buf_puts(b, "<t:EmailAddresses><t:Entry Key=\"EmailAddress1\">SMTP:");
	soap_put_text(b, u->smtp);
	buf_puts(b, "</t:Entry></t:EmailAddresses><t:ContactSource>ActiveDirectory</t:ContactSource>");
	if (u->department && *u->department)
		put_el(b, "Department", u->department);
	put_el(b, "JobTitle", u->title);
	buf_puts(b, "</t:Contact>");
}

int sim_op_resolve_names(sim_req *r, const xmlNode *op)
{
	const sim_org *org = r->ctx->org;
	char *q = sim_x_child_text(op, "UnresolvedEntry");
	char *scope = sim_x_attr(op, "SearchScope");
	char *full = sim_x_attr(op, "ReturnFullContactData");
	int want_full = 0, dir = 1, contacts = 1;
	buf res = BUF_INIT(SIM_REPLY_MAX);
	size_t i, count = 0;
	sim_status st = { 0 };
	xmlNode *parents = sim_x_child(op, "ParentFolderIds");
	sim_folder cf;
	int have_cf;

	sim_parse_bool(full, &want_full);
	if (scope && strcmp(scope, "ActiveDirectory") == 0)
		contacts = 0;
	if (scope && strcmp(scope, "Contacts") == 0)
		dir = 0;
	buf_puts(r->out, "<m:ResolveNamesResponse><m:ResponseMessages>");
	if (!q || !*q) {
		sim_failf(&st, "ErrorNameResolutionNoResults",
			  "No results were found: UnresolvedEntry is empty.");
		goto emit;
	}
	for (i = 0; dir && i < org->nusers && count < 100; i++) {
		if (!user_matches(&org->users[i], q))
			continue;
		buf_puts(&res, "<t:Resolution>");
		put_mbx(&res, org, org->users[i].name, org->users[i].smtp);
		if (want_full)
			write_directory_contact(&res, &org->users[i]);
		buf_puts(&res, "</t:Resolution>");
		count++;
	}
	for (i = 0; dir && i < org->ngroups && count < 100; i++) {
		if (!sim_strcasestr(org->groups[i].name, q) &&
		    strcasecmp(org->groups[i].smtp, q) != 0)
			continue;
		buf_puts(&res, "<t:Resolution><t:Mailbox><t:Name>");
		soap_put_text(&res, org->groups[i].name);
		buf_puts(&res, "</t:Name><t:EmailAddress>");
		soap_put_text(&res, org->groups[i].smtp);
		buf_puts(&res, "</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType>"
			 "<t:MailboxType>PublicDL</t:MailboxType></t:Mailbox></t:Resolution>");
		count++;
	}
	have_cf = 0;
	if (contacts) {
		sim_status fst = { 0 };
		xmlNode *pid = sim_folder_id_child(parents);

		have_cf = pid ? sim_folder_resolve(&cf, r, pid, SIM_ACT_READ, &fst) == 0
			      : sim_store_folder_dist(&cf, r->ctx->store, SIM_MBX(r->actor),
						      "contacts", NULL) == 0;
	}
	if (have_cf) {
		sim_item_list l;

		if (sim_store_item_all(&l, r->ctx->store, cf.id, NULL) == 0) {
			for (i = 0; i < l.n && count < 100; i++) {
				const json_t *p = l.v[i].props;
				const char *dn = json_string_value(json_object_get(p, "DisplayName"));
				const char *em = json_string_value(json_object_get(
					json_object_get(p, "EmailAddresses"), "EmailAddress1"));
				sim_shape sh;
				sim_wctx wc;

				if (!((dn && sim_strcasestr(dn, q)) || (em && sim_strcasestr(em, q))))
					continue;
				buf_puts(&res, "<t:Resolution>");
				put_mbx(&res, org, dn, em);
				if (want_full) {
					memset(&sh, 0, sizeof(sh));
					sh.base = SIM_SHAPE_DEFAULT;
					memset(&wc, 0, sizeof(wc));
					wc.org = org;
					wc.shape = &sh;
					sim_item_write(&res, &l.v[i], &wc);
				}
				buf_puts(&res, "</t:Resolution>");
				count++;
			}
			sim_item_list_dispose(&l);
		}
		sim_folder_dispose(&cf);
	}
	if (count == 0)
		sim_fail(&st, "ErrorNameResolutionNoResults");
	else if (count > 1) {
		sim_fail(&st, "ErrorNameResolutionMultipleResults");
		st.warning = 1;
	}
emit:
	sim_rm_open(r->out, "ResolveNamesResponseMessage", st.code ? &st : NULL);
	if (count > 0) {
		buf_printf(r->out, "<m:ResolutionSet TotalItemsInView=\"%zu\" "
			   "IncludesLastItemInRange=\"true\">", count);
		buf_put(r->out, res.ptr ? res.ptr : "", res.len);
		buf_puts(r->out, "</m:ResolutionSet>");
	}
	sim_rm_close(r->out, "ResolveNamesResponseMessage");
	buf_puts(r->out, "</m:ResponseMessages></m:ResolveNamesResponse>");
	buf_dispose(&res);
	free(q);
	free(scope);
	free(full);
	return 0;
}

int sim_op_find_people(sim_req *r, const xmlNode *op)
{
	const sim_org *org = r->ctx->org;
	xmlNode *view = sim_x_child(op, "IndexedPageItemView");
	char *q = sim_x_child_text(op, "QueryString");
	char *max_s = sim_x_attr(view, "MaxEntriesReturned");
	char *off_s = sim_x_attr(view, "Offset");
	long max = max_s ? strtol(max_s, NULL, 10) : 100;
	long off = off_s ? strtol(off_s, NULL, 10) : 0;
	size_t i, total = 0, shown = 0;
	char id[SIM_ID_MAX];

	buf_puts(r->out, "<m:FindPeopleResponse ResponseClass=\"Success\">"
		 "<m:ResponseCode>NoError</m:ResponseCode><m:People>");
	for (i = 0; i < org->nusers; i++) {
		const sim_user *u = &org->users[i];

		if (q && *q && !user_matches(u, q))
			continue;
		if ((long)total++ < off || (max >= 0 && (long)shown >= max))
			continue;
		sim_id_encode(id, SIM_ID_ITEM, SIM_MBX((int)i), 0x7fffffff);
		buf_printf(r->out, "<t:Persona><t:PersonaId Id=\"%s\"/>"
			   "<t:DisplayName>", id);
		soap_put_text(r->out, u->name);
		buf_puts(r->out, "</t:DisplayName><t:EmailAddress><t:Name>");
		soap_put_text(r->out, u->name);
		buf_puts(r->out, "</t:Name><t:EmailAddress>");
		soap_put_text(r->out, u->smtp);
		buf_puts(r->out, "</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType>"
			 "<t:MailboxType>Mailbox</t:MailboxType></t:EmailAddress></t:Persona>");
		shown++;
	}
	buf_printf(r->out, "</m:People><m:TotalNumberOfPeopleInView>%zu"
		   "</m:TotalNumberOfPeopleInView><m:FirstMatchingRowIndex>%ld"
		   "</m:FirstMatchingRowIndex><m:FirstLoadedRowIndex>%ld"
		   "</m:FirstLoadedRowIndex></m:FindPeopleResponse>", total, off, off);
	free(q);
	free(max_s);
	free(off_s);
	return 0;
}

int sim_op_expand_dl(sim_req *r, const xmlNode *op)
{
	const sim_org *org = r->ctx->org;
	char *addr = sim_x_child_text(sim_x_child(op, "Mailbox"), "EmailAddress");
	int g = addr ? sim_org_find_group(org, addr) : -1;
	sim_status st = { 0 };
	size_t i;

	buf_puts(r->out, "<m:ExpandDLResponse><m:ResponseMessages>");
	if (g < 0) {
		sim_fail(&st, "ErrorNameResolutionNoResults");
		sim_rm_open(r->out, "ExpandDLResponseMessage", &st);
	} else {
		const sim_group *grp = &org->groups[g];

		buf_printf(r->out, "<m:ExpandDLResponseMessage ResponseClass=\"Success\" "
			   "TotalItemsInView=\"%zu\" IncludesLastItemInRange=\"true\">"
			   "<m:ResponseCode>NoError</m:ResponseCode><m:DLExpansion>",
			   grp->nmembers);
		for (i = 0; i < grp->nmembers; i++) {
			json_t *m = sim_mbx_new(org->users[grp->members[i]].name,
						org->users[grp->members[i]].smtp);

			sim_write_mailbox(r->out, org, "Mailbox", m);
			json_decref(m);
		}
		buf_puts(r->out, "</m:DLExpansion>");
	}
	sim_rm_close(r->out, "ExpandDLResponseMessage");
	buf_puts(r->out, "</m:ResponseMessages></m:ExpandDLResponse>");
	free(addr);
	return 0;
}
