/* ops_people.c - ResolveNames (directory + the actor's or a principal's
 * contacts), FindPeople (directory or contacts) and ExpandDL (org groups).
 */
#include "sim/sim_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
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

/* ---- FindPeople ----
 * ParentFolderId picks the source (ews-protocol.md 5.14): the directory
 * (DistinguishedFolderId "directory", or no ParentFolderId) is the org's
 * users; a contacts folder (DistinguishedFolderId "contacts" with an
 * optional Mailbox, or a FolderId) is that mailbox's personal contacts,
 * read with the actor's rights on the folder like any other folder
 * (a delegate needs Reviewer; impersonation acts as the owner). */

typedef struct people_page {
	long off, max;         /* IndexedPageItemView Offset, MaxEntriesReturned */
	size_t total, shown;   /* matches so far, personas written */
} people_page;

/* Counts one match; 1 if it falls on the requested page. */
static int page_take(people_page *pg)
{
	if ((long)pg->total++ < pg->off ||
	    (pg->max >= 0 && (long)pg->shown >= pg->max))
		return 0;
	pg->shown++;
	return 1;
}

/* 1 if q begins a word of s, ignoring case: at its start or after a
 * character that is not a letter or digit, so "zim" finds "Zelda Zimmer"
 * and "zelda@zimmer.test" but "mmer" finds neither (Exchange's people
 * search matches word prefixes, not arbitrary substrings). */
static int word_prefix(const char *s, const char *q)
{
	size_t n = strlen(q);
	const char *p;

	for (p = s ? s : ""; *p; p++)
		if ((p == s || !isalnum((unsigned char)p[-1])) &&
		    strncasecmp(p, q, n) == 0)
			return 1;
	return 0;
}

static const char *const contact_email_keys[] = { "EmailAddress1",
	"EmailAddress2", "EmailAddress3", NULL };

/* The fields a people search looks at: display name, given name,
 * surname, company and every e-mail address. */
static int contact_matches(const json_t *props, const char *q)
{
	static const char *const fields[] = { "DisplayName", "GivenName",
		"Surname", "CompanyName", NULL };
	const json_t *emails = json_object_get(props, "EmailAddresses");
	size_t i;

	for (i = 0; fields[i]; i++)
		if (word_prefix(json_string_value(json_object_get(props, fields[i])), q))
			return 1;
	for (i = 0; contact_email_keys[i]; i++)
		if (word_prefix(json_string_value(json_object_get(emails,
					contact_email_keys[i])), q))
			return 1;
	return 0;
}

static void put_persona_address(buf *b, const char *elem, const char *name,
				const char *email, const char *type)
{
	buf_printf(b, "<t:%s>", elem);
	put_el(b, "Name", name);
	put_el(b, "EmailAddress", email);
	buf_printf(b, "<t:RoutingType>SMTP</t:RoutingType><t:MailboxType>%s"
		   "</t:MailboxType></t:%s>", type, elem);
}

/* One personal contact as a t:Persona, children in PersonaType's
 * schema order; EmailAddress is the first address, EmailAddresses all. */
static void write_contact_persona(buf *b, const sim_item *it)
{
	const json_t *p = it->props;
	const json_t *emails = json_object_get(p, "EmailAddresses");
	const char *dn = json_string_value(json_object_get(p, "DisplayName"));
	const char *first = NULL;
	char id[SIM_ID_MAX];
	size_t i;

	sim_id_encode(id, SIM_ID_ITEM, it->mailbox, it->id);
	buf_printf(b, "<t:Persona><t:PersonaId Id=\"%s\"/>"
		   "<t:PersonaType>Person</t:PersonaType>", id);
	put_el(b, "DisplayName", dn);
	put_el(b, "GivenName", json_string_value(json_object_get(p, "GivenName")));
	put_el(b, "Surname", json_string_value(json_object_get(p, "Surname")));
	put_el(b, "Title", json_string_value(json_object_get(p, "JobTitle")));
	put_el(b, "Department", json_string_value(json_object_get(p, "Department")));
	put_el(b, "CompanyName", json_string_value(json_object_get(p, "CompanyName")));
	for (i = 0; contact_email_keys[i] && !first; i++)
		first = json_string_value(json_object_get(emails, contact_email_keys[i]));
	if (first) {
		put_persona_address(b, "EmailAddress", dn, first, "Contact");
		buf_puts(b, "<t:EmailAddresses>");
		for (i = 0; contact_email_keys[i]; i++) {
			const char *e = json_string_value(json_object_get(
				emails, contact_email_keys[i]));

			if (e)
				put_persona_address(b, "Address", dn, e, "Contact");
		}
		buf_puts(b, "</t:EmailAddresses>");
	}
	buf_puts(b, "</t:Persona>");
}

static const char *contact_sort_name(const sim_item *it)
{
	const char *dn = json_string_value(json_object_get(it->props, "DisplayName"));

	return dn ? dn : "";
}

/* Personas are listed by display name (then by creation), as Exchange
 * orders a people view by default. */
static int contact_cmp(const void *a, const void *b)
{
	const sim_item *x = *(const sim_item *const *)a;
	const sim_item *y = *(const sim_item *const *)b;
	int c = strcasecmp(contact_sort_name(x), contact_sort_name(y));

	if (c)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Searches the contacts folder named by the id element pid. Personas on
 * the page go to people. 0, or -1 with st set (the folder's resolution
 * error, or a folder that does not hold contacts). */
static int search_contacts(buf *people, people_page *pg, sim_req *r,
			   const xmlNode *pid, const char *q, sim_status *st)
{
	sim_folder f;
	sim_item_list l;
	const sim_item **order = NULL;
	errinfo e = ERRINFO_INIT;
	size_t i, n = 0;
	int rc = 0;

	if (sim_folder_resolve(&f, r, pid, SIM_ACT_READ, st) < 0)
		return -1;
	if (!f.folder_class || strncmp(f.folder_class, "IPF.Contact", 11) != 0) {
		rc = sim_failf(st, "ErrorInvalidRequest",
			       "ParentFolderId: FindPeople searches a contacts folder (IPF.Contact) or the directory; folder \"%s\" holds %s items.",
			       f.name ? f.name : "", f.folder_class ? f.folder_class : "IPF.Note");
		sim_folder_dispose(&f);
		return rc;
	}
	if (sim_store_item_all(&l, r->ctx->store, f.id, &e) < 0) {
		log_error("ews-sim", "FindPeople: reading contacts: %s", e.msg);
		sim_folder_dispose(&f);
		return sim_fail(st, "ErrorInternalServerError");
	}
	sim_folder_dispose(&f);
	if (l.n && !(order = calloc(l.n, sizeof(*order)))) {
		sim_item_list_dispose(&l);
		return sim_fail(st, "ErrorInternalServerError");
	}
	for (i = 0; i < l.n; i++)
		if (strcmp(l.v[i].kind, "Contact") == 0 &&
		    (!q || !*q || contact_matches(l.v[i].props, q)))
			order[n++] = &l.v[i];
	if (n > 1)
		qsort(order, n, sizeof(*order), contact_cmp);
	for (i = 0; i < n; i++)
		if (page_take(pg))
			write_contact_persona(people, order[i]);
	free(order);
	sim_item_list_dispose(&l);
	return 0;
}

static void search_directory(buf *people, people_page *pg, const sim_org *org,
			     const char *q)
{
	char id[SIM_ID_MAX];
	size_t i;

	for (i = 0; i < org->nusers; i++) {
		const sim_user *u = &org->users[i];

		if (q && *q && !user_matches(u, q))
			continue;
		if (!page_take(pg))
			continue;
		sim_id_encode(id, SIM_ID_ITEM, SIM_MBX((int)i), 0x7fffffff);
		buf_printf(people, "<t:Persona><t:PersonaId Id=\"%s\"/>"
			   "<t:DisplayName>", id);
		soap_put_text(people, u->name);
		buf_puts(people, "</t:DisplayName>");
		put_persona_address(people, "EmailAddress", u->name, u->smtp,
				    "Mailbox");
		buf_puts(people, "</t:Persona>");
	}
}

/* 1 if the folder id element names the directory (the GAL). */
static int is_directory(const xmlNode *pid)
{
	char *id;
	int yes;

	if (!pid || !sim_x_is(pid, "DistinguishedFolderId"))
		return 0;
	id = sim_x_attr(pid, "Id");
	yes = id && strcmp(id, "directory") == 0;
	free(id);
	return yes;
}

int sim_op_find_people(sim_req *r, const xmlNode *op)
{
	xmlNode *view = sim_x_child(op, "IndexedPageItemView");
	xmlNode *pid = sim_folder_id_child(sim_x_child(op, "ParentFolderId"));
	char *q = sim_x_child_text(op, "QueryString");
	char *max_s = sim_x_attr(view, "MaxEntriesReturned");
	char *off_s = sim_x_attr(view, "Offset");
	people_page pg = { 0, 100, 0, 0 };
	buf people = BUF_INIT(SIM_REPLY_MAX);
	sim_status st = { 0 };

	pg.max = max_s ? strtol(max_s, NULL, 10) : 100;
	pg.off = off_s ? strtol(off_s, NULL, 10) : 0;
	if (pid && !is_directory(pid))
		search_contacts(&people, &pg, r, pid, q, &st);
	else
		search_directory(&people, &pg, r->ctx->org, q);
	sim_rm_open(r->out, "FindPeopleResponse", st.code ? &st : NULL);
	if (!st.code) {
		buf_puts(r->out, "<m:People>");
		buf_put(r->out, people.ptr ? people.ptr : "", people.len);
		buf_printf(r->out, "</m:People><m:TotalNumberOfPeopleInView>%zu"
			   "</m:TotalNumberOfPeopleInView><m:FirstMatchingRowIndex>%ld"
			   "</m:FirstMatchingRowIndex><m:FirstLoadedRowIndex>%ld"
			   "</m:FirstLoadedRowIndex>", pg.total, pg.off, pg.off);
	}
	sim_rm_close(r->out, "FindPeopleResponse");
	buf_dispose(&people);
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
